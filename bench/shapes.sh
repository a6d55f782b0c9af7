#!/usr/bin/env bash
# Speed on working copies shaped like real ones (bench/gen-shapes.py), each figure a ratio to a
# named peer measured in the same run:
#   - the 1M-entry monorepo (23k tracked files, ~1.1M in ignored node_modules, no Dockerfile):
#     gate vs `git status --porcelain` (target <= 1.5x);
#   - the Olympus-shaped working copy after its cleanup commit (two compose services building
#     `.`, ui-new/node_modules in that context): gate vs diskus of the context (<= 1.0x), plan
#     vs diskus of the tree (<= 0.8x), warm and cold (page cache dropped before every run);
#   - the same copy before the cleanup: plan vs diskus.
# Peak RSS of plan and gate on the monorepo. Results: bench/out/shapes-results.md.
#
#   bench/shapes.sh [--dir DIR] [--runs N] [--no-cold]
#
# DIR must be new or made by a bench script (it holds a marker file). Cold runs need root.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir="" runs=10 cold=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-cold) cold=""; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine
command -v diskus >/dev/null || cargo install -q diskus
[ "$(id -u)" = 0 ] || cold=""
dir=$(claim_dir "$dir" mami-shapes)
build_release
for s in monorepo olympus; do
  [ -d "$dir/$s" ] || python3 "$here/gen-shapes.py" "$s" "$dir/$s"
done
[ -d "$dir/olympus-before" ] || python3 "$here/gen-shapes.py" olympus "$dir/olympus-before" --before
for s in monorepo olympus olympus-before; do git -C "$dir/$s" status >/dev/null; done

# mean seconds of each command, in order, from hyperfine's JSON
means() {
  python3 -c 'import json,sys; print(" ".join("%.4f" % r["mean"] for r in json.load(open(sys.argv[1]))["results"]))' "$1"
}
# mean seconds of each command, in order, from one hyperfine run
bench() {
  local json=$1; shift
  hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$json" "$@" >/dev/null
  means "$json"
}
cold_bench() {
  local json=$1; shift
  hyperfine -N -i --runs "$runs" --prepare 'sh -c "sync; echo 3 > /proc/sys/vm/drop_caches"' \
    --export-json "$json" "$@" >/dev/null
  means "$json"
}
row() { python3 -c 'import sys; n,a,b,t=sys.argv[1:]; a,b=float(a),float(b); print(f"| {n} | {a*1000:.0f} ms | {b*1000:.0f} ms | {a/b:.2f}x | {t} |")' "$@"; }

m="$dir/monorepo" o="$dir/olympus" ob="$dir/olympus-before"
read -r g_m s_m < <(bench "$out/shapes-mono.json" "$bin -C $m gate" "git -C $m status --porcelain")
read -r g_o d_o p_o dt_o < <(bench "$out/shapes-oly.json" "$bin -C $o gate" "diskus $o" \
  "$bin -C $o plan --format json" "diskus $o")
read -r p_b d_b < <(bench "$out/shapes-oly-before.json" "$bin -C $ob plan --format json" "diskus $ob")
rss_plan=$(/usr/bin/time -f %M "$bin" -C "$m" plan --format json 2>&1 >/dev/null | tail -1)
rss_gate=$(/usr/bin/time -f %M "$bin" -C "$m" gate 2>&1 >/dev/null | tail -1)
{
  echo "Working copies from bench/gen-shapes.py; $(nproc) cores; means of $runs runs (hyperfine), warm unless marked cold."
  echo
  echo "| measurement | mami-clean | peer | ratio | target |"
  echo "|---|---:|---:|---:|---|"
  row "monorepo ($(git -C "$m" ls-files | wc -l) tracked, $(find "$m" -xdev | wc -l) entries): gate vs git status" "$g_m" "$s_m" "<= 1.5x"
  row "Olympus after cleanup: gate vs diskus of the context" "$g_o" "$d_o" "<= 1.0x"
  row "Olympus after cleanup: plan vs diskus" "$p_o" "$dt_o" "<= 0.8x"
  row "Olympus before cleanup: plan vs diskus" "$p_b" "$d_b" "<= 0.8x"
  if [ -n "$cold" ]; then
    read -r cp_o cd_o < <(cold_bench "$out/shapes-oly-cold.json" "$bin -C $o plan --format json" "diskus $o")
    read -r cg_o cdg_o < <(cold_bench "$out/shapes-oly-gate-cold.json" "$bin -C $o gate" "diskus $o")
    row "Olympus after cleanup, cold: plan vs diskus" "$cp_o" "$cd_o" "<= 0.8x"
    row "Olympus after cleanup, cold: gate vs diskus" "$cg_o" "$cdg_o" "<= 1.0x"
  fi
  echo
  echo "Peak RSS on the monorepo: plan $((rss_plan / 1024)) MB, gate $((rss_gate / 1024)) MB (target <= 150 MB)."
} | tee "$out/shapes-results.md"
