#!/usr/bin/env bash
# Benchmark `mami-clean gate` against `git status` on the same clean checkout: a generated
# repository with N tracked files (default 100k; bench/gen-repo.py), e.g. --files 5000 for a
# small one, or with --mami a clean clone of the Mami-shaped test fixture (testdata/mami: the
# repository the cleanup plan was written for, 116 tracked files, committed junk included),
# or with --mami-cleaned that clone after `mami-clean apply --commit`: the state the gate then
# keeps in CI (48 tracked files, up-to-date ignore files, no findings).
#
#   bench/gate.sh [--dir DIR] [--files N | --mami | --mami-cleaned] [--runs N]
#
# DIR must be new or made by this script before (it holds a marker file).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
files=100000 runs=10 dir="" mami="" cleaned=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mami) mami=1; shift ;;
    --mami-cleaned) mami=1 cleaned=1; shift ;;
    --dir) dir=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine
dir=$(claim_dir "$dir" mami-gate-bench)
build_release
if [ -n "$mami" ]; then
  if [ ! -d "$dir/repo" ]; then
    (cd "$repo" && cargo build --release -q --example mami_fixture)
    made=$(TMPDIR="$dir" "$repo/target/release/examples/mami_fixture")
    git clone -q "$made" "$dir/repo"     # the clean checkout: what is committed, nothing else
    if [ -n "$cleaned" ]; then
      # The cleanup, committed; its backup and state stay inside DIR.
      git -C "$dir/repo" config user.name bench && git -C "$dir/repo" config user.email bench@localhost
      XDG_DATA_HOME="$dir/xdg/data" XDG_STATE_HOME="$dir/xdg/state" \
        "$bin" -C "$dir/repo" apply --yes --commit >/dev/null
    fi
  fi
  files=$(git -C "$dir/repo" ls-files | wc -l)
else
  [ -d "$dir/repo" ] || python3 "$here/gen-repo.py" "$dir/repo" --files "$files"
fi
git -C "$dir/repo" status >/dev/null   # refresh the index stat cache, as any checkout would
# Interleaved, not one command's runs then the other's: on a machine whose caches drift (other
# work, memory reclaim), back-to-back pairs see the same state, and the median of the per-pair
# ratios is what the target is judged on. hyperfine's JSON is kept for its own statistics.
hyperfine --warmup 2 --runs "$runs" -N -i --export-json "$out/gate.json" \
  -n "git status" "git -C $dir/repo status --porcelain" \
  -n "mami-clean gate" "$bin -C $dir/repo gate" >/dev/null
pair=$(python3 "$here/pairs.py" "$runs" "git -C $dir/repo status --porcelain" "$bin -C $dir/repo gate")
python3 - "$pair" "$files" <<'PY' | tee "$out/gate-results.md"
import json, sys
p, files = json.loads(sys.argv[1]), int(sys.argv[2])
print(f"Repository with {files:,} tracked files, clean checkout, warm cache, {p['runs']} interleaved pairs:\n")
print("| command | median | vs git status (median of pair ratios) |")
print("|---|---:|---:|")
print(f"| git status | {p['base']*1000:.0f} ms | 1.00x |")
print(f"| mami-clean gate | {p['other']*1000:.0f} ms | {p['ratio']:.2f}x |")
PY
