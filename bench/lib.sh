# Shared by the bench scripts (sourced, not run): where the binary and the results go, and the
# rule that a benchmark only ever writes into a directory it made itself.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
repo=$(dirname "$here")
bin="$repo/target/release/mami-clean"
out="$repo/bench/out"

# claim_dir DIR PREFIX: print DIR, or a new /tmp/PREFIX.XXXXXX when DIR is empty; refuse (exit 2)
# a DIR that exists, is not empty and holds no marker of an earlier bench run; mark it.
claim_dir() {
  local d=$1
  if [ -z "$d" ]; then d=$(mktemp -d "/tmp/$2.XXXXXX"); fi
  if [ -e "$d" ] && [ ! -e "$d/.mami-bench-owned" ] && [ -n "$(ls -A "$d")" ]; then
    echo "$d exists and was not made by a bench script" >&2
    exit 2
  fi
  mkdir -p "$d"
  touch "$d/.mami-bench-owned"
  echo "$d"
}

# The release binary (and examples/walk_floor, the bare walk run.sh compares with), built
# now, and the results directory.
floor="$repo/target/release/examples/walk_floor"
build_release() {
  (cd "$repo" && cargo build --release -q && cargo build --release -q --example walk_floor)
  mkdir -p "$out"
}
