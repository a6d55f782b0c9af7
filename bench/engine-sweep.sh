#!/usr/bin/env bash
# Accuracy on working copies nobody wrote for the tests: for each repository, the files a real
# Engine's BuildKit receives as the build context of its root, against `mami-clean context
# --list`, as the repository stands and again after `mami-clean ignore --write`. Each is a copy
# (or a clone) in DIR; repositories given as directories are only read. The Engine is started
# here, with its own socket and data root in DIR (root; `apt-get install docker.io`), and
# stopped at the end. It is Debian's 20.10, so the walk compared is Docker 20.10's
# (`--docker-walk legacy`).
#
#   bench/engine-sweep.sh [--dir DIR] [--max-mb N] REPO_DIR...
#   bench/engine-sweep.sh [--dir DIR] [--max-mb N] --list bench/corpus/engine-sweep.txt \
#       [--mirror-dir /work/.mirror]
#
# `--list` clones each `owner/name commit` of the file from the mirror (`fetch` makes them)
# at that commit. One line per repository and state: `same NAME before|after (N files)`, or
# `DIFF` and the first lines of the difference (`<` the Engine only, `>` mami-clean only).
# Results: bench/out/engine-sweep.txt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir="" max_mb=150 list="" mirror=/work/.mirror
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --max-mb) max_mb=$2; shift 2 ;;
    --list) list=$2; shift 2 ;;
    --mirror-dir) mirror=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || [ -n "$list" ] || {
  echo "usage: bench/engine-sweep.sh [--dir DIR] [--max-mb N] (REPO_DIR... | --list FILE)" >&2
  exit 2
}
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

# clone SPEC COPY: the mirror's `owner/name` at `commit` into COPY; blobs the mirror lacks are
# committed away, so the work tree is clean as a developer's is.
clone() {
  local name=${1% *} commit=${1#* } src
  src="$mirror/${name/\//+}/repo"
  [ -d "$src/.git" ] && src="$src/.git"
  git clone -q -n "$src" "$2" 2>/dev/null || return 1
  # A blob the mirror lacks fails the checkout of that file only: the rest is written.
  git -C "$2" checkout -q "$commit" 2>/dev/null || true
  [ "$(git -C "$2" rev-parse HEAD)" = "$commit" ] || return 1
  if [ -n "$(git -C "$2" status --porcelain)" ]; then
    git -C "$2" reset -q
    git -C "$2" add -A > /dev/null 2>&1
    git -C "$2" -c user.name=sweep -c user.email=sweep@localhost commit -qm absent > /dev/null 2>&1
  fi
}

# sweep NAME COPY: both states of the copy, then it goes.
sweep() {
  local mb
  mb=$(du -sm "$2" | cut -f1)
  if [ "$mb" -gt "$max_mb" ]; then
    echo "skip $1 ($mb MB)"
  else
    compare "$1" before "$2"
    "$bin" -C "$2" ignore --write > /dev/null 2>&1 || true
    compare "$1" after "$2"
  fi
  rm -rf "$2"
  # BuildKit keeps each context it received: not a copy per repository on disk.
  /usr/bin/docker builder prune -af > /dev/null 2>&1 || true
}

{
  mkdir -p "$dir/copy"
  for r in "$@"; do
    w="$dir/copy/$(basename "$r")"
    rm -rf "$w"; cp -a "$r" "$w"
    sweep "$(basename "$r")" "$w"
  done
  if [ -n "$list" ]; then
    grep -v '^#' "$list" | while read -r spec; do
      [ -n "$spec" ] || continue
      c=${spec#* }; name="${spec% *}@${c:0:10}"; name="${name/\//+}"
      w="$dir/copy/$name"
      rm -rf "$w"
      if clone "$spec" "$w"; then sweep "$name" "$w"; else echo "CLONE FAILED $spec"; rm -rf "$w"; fi
    done
  fi
} | tee "$out/engine-sweep.txt"
