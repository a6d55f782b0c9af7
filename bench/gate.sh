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
# Interleaved, not one command's runs then the other's: on a machine whose caches drift (other
# work, memory reclaim), back-to-back pairs see the same state, and the median of the per-pair
# ratios is what the target is judged on. hyperfine's JSON is kept for its own statistics.
hyperfine --warmup 2 --runs "$runs" -N --export-json "$out/gate.json" \
  -n "git status" "git -C $dir/repo status --porcelain" \
  -n "mami-clean gate" "$bin -C $dir/repo gate" >/dev/null
python3 - "$dir/repo" "$bin" "$runs" "$files" <<'PY' | tee "$out/gate-results.md"
import statistics, subprocess, sys, time
repo, binary, runs, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
cmds = {
    "git status": ["git", "-C", repo, "status", "--porcelain"],
    "mami-clean gate": [binary, "-C", repo, "gate"],
}
def once(argv):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t
for argv in cmds.values():
    once(argv)
times = {k: [] for k in cmds}
for _ in range(runs):
    for k, argv in cmds.items():
        times[k].append(once(argv))
ratios = [g / s for g, s in zip(times["mami-clean gate"], times["git status"])]
print(f"Repository with {files:,} tracked files, clean checkout, warm cache, {runs} interleaved pairs:\n")
print("| command | median | vs git status (median of pair ratios) |")
print("|---|---:|---:|")
print(f"| git status | {statistics.median(times['git status'])*1000:.0f} ms | 1.00x |")
print(f"| mami-clean gate | {statistics.median(times['mami-clean gate'])*1000:.0f} ms | {statistics.median(ratios):.2f}x |")
PY
