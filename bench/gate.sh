#!/usr/bin/env bash
# Benchmark `mami-clean gate` against `git status` on the same clean checkout: a generated
# repository with 100k tracked files (bench/gen-repo.py) and the Mami-shaped fixture's size.
#
#   bench/gate.sh [--dir DIR] [--files N] [--runs N]
#
# DIR must be new or made by this script before (it holds a marker file).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
files=100000 runs=10 dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine
if [ -z "$dir" ]; then dir=$(mktemp -d /tmp/mami-gate-bench.XXXXXX); fi
if [ -e "$dir" ] && [ ! -e "$dir/.mami-bench-owned" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "$dir exists and was not made by bench/gate.sh" >&2; exit 2
fi
mkdir -p "$dir"; touch "$dir/.mami-bench-owned"
[ -d "$dir/repo" ] || python3 "$here/gen-repo.py" "$dir/repo" --files "$files"
(cd "$repo" && cargo build --release -q)
bin="$repo/target/release/mami-clean"
out="$repo/bench/out"; mkdir -p "$out"
git -C "$dir/repo" status >/dev/null   # refresh the index stat cache, as any checkout would
hyperfine --warmup 2 --runs "$runs" -N --export-json "$out/gate.json" \
  -n "git status" "git -C $dir/repo status --porcelain" \
  -n "mami-clean gate" "$bin -C $dir/repo gate" >/dev/null
python3 - "$out/gate.json" "$files" <<'PY' | tee "$out/gate-results.md"
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = [r for r in res if r["command"] == "git status"][0]["median"]
print(f"Repository with {int(sys.argv[2]):,} tracked files, clean checkout, warm cache:\n")
print("| command | median | vs git status |")
print("|---|---:|---:|")
for r in res:
    print(f"| {r['command']} | {r['median']*1000:.0f} ms | {r['median']/base:.2f}x |")
PY
