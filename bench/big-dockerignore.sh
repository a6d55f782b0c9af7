#!/usr/bin/env bash
# The hostile-input figure in the README (Limits): `context --list` under a 100,000-line
# .dockerignore (`**/gen0/*.tmp` … `**/gen99999/*.tmp`, the shape tests/resource_bounds.rs
# uses) beside a Dockerfile, app/main.py and N empty files, for N in 0 and 1000. One run each
# (the time is the program's, not the cache's: the tree is tiny).
#
#   bench/big-dockerignore.sh [--dir DIR]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
dir=$(claim_dir "$dir" mami-dockerignore-bench)
build_release
for n in 0 1000; do
  t="$dir/tree-$n"
  rm -rf "$t" && mkdir -p "$t/app" "$t/src"
  printf 'print(1)\n' > "$t/app/main.py"
  printf 'FROM x\nCOPY app/ /app/\n' > "$t/Dockerfile"
  python3 -c "import sys; sys.stdout.write(''.join(f'**/gen{i}/*.tmp\n' for i in range(100000)))" > "$t/.dockerignore"
  for i in $(seq 1 "$n"); do : > "$t/src/f$i.py"; done
  /usr/bin/time -f "$n extra files: %e s, %M KB peak" "$bin" -C "$t" context --list > /dev/null
done
