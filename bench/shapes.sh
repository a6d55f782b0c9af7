#!/usr/bin/env bash
# Speed on working copies shaped like real ones (bench/gen-shapes.py), each figure a ratio to a
# named peer measured in the same run:
#   - the 1M-entry monorepo (23k tracked files, ~1.1M in ignored node_modules, no Dockerfile):
#     gate vs `git status --porcelain` (target <= 1.5x);
#   - the Olympus-shaped working copy after its cleanup commit (two compose services building
#     `.`, ui-new/node_modules in that context): gate vs diskus of the context (<= 1.0x), plan
#     vs diskus of the tree (<= 0.8x), warm and cold (page cache dropped before every run);
#   - the same copy before the cleanup: plan vs diskus;
#   - a service that commits a copy of its frontend, node_modules and all (~59,000 of its
#     ~66,000 tracked files): gate vs `git status --porcelain` (<= 1.5x).
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
command -v diskus >/dev/null || cargo install -q diskus
[ "$(id -u)" = 0 ] || cold=""
dir=$(claim_dir "$dir" mami-shapes)
build_release
for s in monorepo olympus backup-copy; do
  [ -d "$dir/$s" ] || python3 "$here/gen-shapes.py" "$s" "$dir/$s"
done
[ -d "$dir/olympus-before" ] || python3 "$here/gen-shapes.py" olympus "$dir/olympus-before" --before
for s in monorepo olympus olympus-before backup-copy; do git -C "$dir/$s" status >/dev/null; done

# Interleaved pairs (bench/pairs.py: peer, mami-clean, peer, ...): "mami-clean-median
# peer-median ratio", the ratio the median of each pair's. This VM's speed drifts within a
# minute; hyperfine's blocks of one command's runs then another's turned that into the ratio.
pair() {
  python3 "$here/pairs.py" "$@" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.4f %.4f %.3f" % (r["other"], r["base"], r["ratio"]))'
}
drop='sync; echo 3 > /proc/sys/vm/drop_caches'
row() { python3 -c 'import sys; n,a,b,r,t=sys.argv[1:]; a,b=float(a),float(b); print(f"| {n} | {a*1000:.0f} ms | {b*1000:.0f} ms | {float(r):.2f}x | {t} |")' "$@"; }

m="$dir/monorepo" o="$dir/olympus" ob="$dir/olympus-before" bc="$dir/backup-copy"
read -r g_m s_m r_m < <(pair "$runs" "git -C $m status --porcelain" "$bin -C $m gate")
read -r g_b s_b r_b < <(pair "$runs" "git -C $bc status --porcelain" "$bin -C $bc gate")
read -r g_o d_o r_go < <(pair "$runs" "diskus $o" "$bin -C $o gate")
read -r p_o dt_o r_po < <(pair "$runs" "diskus $o" "$bin -C $o plan --format json")
read -r p_b d_b r_pb < <(pair "$runs" "diskus $ob" "$bin -C $ob plan --format json")
rss_plan=$(/usr/bin/time -f %M "$bin" -C "$m" plan --format json 2>&1 >/dev/null | tail -1)
rss_gate=$(/usr/bin/time -f %M "$bin" -C "$m" gate 2>&1 >/dev/null | tail -1)
{
  echo "Working copies from bench/gen-shapes.py; $(nproc) cores; $runs interleaved pairs each (medians; the ratio is the median of the pairs' ratios), warm unless marked cold."
  echo
  echo "| measurement | mami-clean | peer | ratio | target |"
  echo "|---|---:|---:|---:|---|"
  row "monorepo ($(git -C "$m" ls-files | wc -l) tracked, $(find "$m" -xdev | wc -l) entries): gate vs git status" "$g_m" "$s_m" "$r_m" "<= 1.5x"
  row "Olympus after cleanup: gate vs diskus of the context" "$g_o" "$d_o" "$r_go" "<= 1.0x"
  row "Olympus after cleanup: plan vs diskus" "$p_o" "$dt_o" "$r_po" "<= 0.8x"
  row "Olympus before cleanup: plan vs diskus" "$p_b" "$d_b" "$r_pb" "<= 0.8x"
  row "committed frontend copy ($(git -C "$bc" ls-files | wc -l) tracked): gate vs git status" "$g_b" "$s_b" "$r_b" "<= 1.5x"
  if [ -n "$cold" ]; then
    read -r cp_o cd_o r_cp < <(pair --prepare "$drop" "$runs" "diskus $o" "$bin -C $o plan --format json")
    read -r cg_o cdg_o r_cg < <(pair --prepare "$drop" "$runs" "diskus $o" "$bin -C $o gate")
    row "Olympus after cleanup, cold: plan vs diskus" "$cp_o" "$cd_o" "$r_cp" "<= 0.8x"
    row "Olympus after cleanup, cold: gate vs diskus" "$cg_o" "$cdg_o" "$r_cg" "<= 1.0x"
  fi
  echo
  echo "Peak RSS on the monorepo: plan $((rss_plan / 1024)) MB, gate $((rss_gate / 1024)) MB (target <= 150 MB)."
} | tee "$out/shapes-results.md"
