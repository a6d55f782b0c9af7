#!/usr/bin/env bash
# The README's build figures (Speed, "The build"): a clean `cargo build --release` of an older
# tree and of HEAD, one after the other, each in its own temp dir and target dir (nothing
# shared but cargo's download cache). Run it on an idle machine: a second job on two cores
# doubles the figures.
#
#   bench/build-time.sh [REV]      # REV defaults to 4e52d3f^, the tree before the speed work
set -euo pipefail
rev=${1:-4e52d3f^}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for r in "$rev" HEAD; do
  dir="$work/$(git -C "$repo" rev-parse --short "$r")"
  mkdir -p "$dir"
  git -C "$repo" archive --format=tar "$r" | tar -x -C "$dir"
  start=$(date +%s%N)
  (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --release --quiet)
  end=$(date +%s%N)
  awk -v r="$r" -v c="$(basename "$dir")" -v ns=$((end - start)) \
    'BEGIN { printf "%-12s %s  clean release build: %.1f s\n", r, c, ns / 1e9 }'
done
