#!/usr/bin/env bash
# Accuracy on working copies nobody wrote for the tests: for each repository given, the files a
# real Engine's BuildKit receives as the build context of its root, against `mami-clean context
# --list`, as the repository stands and again after `mami-clean ignore --write`. A copy of each
# is made in DIR; the repositories themselves are only read. The Engine is started here, with
# its own socket and data root in DIR (root; `apt-get install docker.io`), and stopped at the
# end. It is Debian's 20.10, so the walk compared is Docker 20.10's (`--docker-walk legacy`).
#
#   bench/engine-sweep.sh [--dir DIR] [--max-mb N] REPO...
#
# One line per repository and state: `same NAME before|after (N files)`, or `DIFF` and the
# first lines of the difference (`<` the Engine only, `>` mami-clean only). Results:
# bench/out/engine-sweep.txt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir="" max_mb=150
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --max-mb) max_mb=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: bench/engine-sweep.sh [--dir DIR] [--max-mb N] REPO..." >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "the Engine needs root" >&2; exit 2; }
dir=$(claim_dir "$dir" mami-engine-sweep)
build_release

mkdir -p "$dir/engine/data" "$dir/engine/exec"
dockerd --data-root "$dir/engine/data" --exec-root "$dir/engine/exec" --storage-driver=vfs \
  --iptables=false --bridge=none --host "unix://$dir/engine/d.sock" \
  --pidfile "$dir/engine/pid" > "$dir/engine/log" 2>&1 &
trap 'kill "$(cat "$dir/engine/pid" 2>/dev/null)" 2>/dev/null || true' EXIT
export DOCKER_HOST="unix://$dir/engine/d.sock" DOCKER_BUILDKIT=1
for _ in $(seq 50); do /usr/bin/docker version >/dev/null 2>&1 && break; sleep 0.2; done

# compare NAME STATE COPY: the Engine's context of COPY against ours.
compare() {
  local name=$1 state=$2 w=$3 out="$dir/out"
  rm -rf "$out"
  printf 'FROM scratch\nCOPY . /ctx/\n' > "$w/Dockerfile.mceprobe"
  if ! /usr/bin/docker build -q -f "$w/Dockerfile.mceprobe" --output "type=local,dest=$out" "$w" \
      > "$dir/build.log" 2>&1; then
    echo "BUILD FAILED $name $state: $(tail -1 "$dir/build.log")"
    rm -f "$w/Dockerfile.mceprobe"
    return
  fi
  (cd "$out/ctx" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort) > "$dir/engine.txt"
  "$bin" context --list --docker-walk legacy -f "$w/Dockerfile.mceprobe" "$w" | LC_ALL=C sort > "$dir/ours.txt"
  rm -f "$w/Dockerfile.mceprobe"
  if cmp -s "$dir/engine.txt" "$dir/ours.txt"; then
    echo "same $name $state ($(wc -l < "$dir/engine.txt") files)"
  else
    echo "DIFF $name $state"
    diff "$dir/engine.txt" "$dir/ours.txt" | head -10 || true
  fi
}

{
  for r in "$@"; do
    mb=$(du -sm "$r" | cut -f1)
    name=$(basename "$r")
    if [ "$mb" -gt "$max_mb" ]; then echo "skip $name ($mb MB)"; continue; fi
    w="$dir/copy/$name"
    rm -rf "$w"; mkdir -p "$dir/copy"; cp -a "$r" "$w"
    compare "$name" before "$w"
    "$bin" -C "$w" ignore --write > /dev/null 2>&1 || true
    compare "$name" after "$w"
    rm -rf "$w"
    # BuildKit keeps each context it received: not a copy per repository on disk.
    /usr/bin/docker builder prune -af > /dev/null 2>&1 || true
  done
} | tee "$out/engine-sweep.txt"
