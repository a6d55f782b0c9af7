#!/usr/bin/env bash
# Benchmark `mami-clean apply` against `rm -rf` of the same entries, on copies of the tree
# bench/run.sh generated (it must exist: run bench/run.sh first, with the same --dir).
#
#   bench/apply.sh --dir DIR [--runs N]
#
# Each timed run gets a fresh `cp -a` copy (not timed). The copy has no .git, so apply backs up
# what is not regenerable (backups/) to DIR/bk and deletes the rest; rm -rf deletes the same
# paths, read from the plan, with no backup.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=3 dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] && [ -e "$dir/.mami-bench-owned" ] && [ -d "$dir/tree" ] || { echo "need --dir DIR made by bench/run.sh" >&2; exit 2; }
build_release
copy="$dir/copy"

prep="rm -rf '$copy' '$dir/bk' && cp -a '$dir/tree' '$copy' && rm -rf '$copy/.git' && sync"
bash -c "$prep"
"$bin" -C "$copy" plan --format json > "$out/apply-plan.json"
python3 - "$out/apply-plan.json" "$copy" > "$out/apply-paths" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
for e in plan["entries"]:
    if e["action"] == "delete":
        sys.stdout.write(sys.argv[2] + "/" + e["path"] + "\0")
PY
echo "entries: $(tr -cd '\0' < "$out/apply-paths" | wc -c)"

hyperfine --runs "$runs" --export-json "$out/apply.json" --prepare "$prep" \
  -n "mami-clean apply --yes" "$bin -C $copy apply --yes --backup-dir $dir/bk > /dev/null" \
  -n "rm -rf (same entries)" "xargs -0 rm -rf < $out/apply-paths" >/dev/null

python3 - "$out/apply.json" <<'PY' | tee "$out/apply-results.md"
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = [r for r in res if r["command"].startswith("rm")][0]["median"]
print("| command | median | vs rm -rf |")
print("|---|---:|---:|")
for r in res:
    print(f"| {r['command']} | {r['median']:.2f} s | {r['median']/base:.2f}x |")
PY
rm -rf "$copy" "$dir/bk"
