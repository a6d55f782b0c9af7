#!/usr/bin/env bash
# The plan's HTML page on a generated ~1M-file tree (bench/gen-tree.py), rendered the way a
# person opens it: headless Chromium, a screenshot, and the page's own self-check (the treemap's
# leaves sum to the tree's bytes; the boxes fill the map). Prints the page's size, how long
# `plan --format html` and the render took, and the self-check.
#
# usage: bench/html.sh [DIR] [--scale S]     (DIR: a tree made by a bench script, or a new one)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir=""; scale=1.0
while [ $# -gt 0 ]; do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    *) dir=$1; shift ;;
  esac
done
dir=$(claim_dir "$dir" mami-html)
tree="$dir/tree"
[ -d "$tree" ] || python3 "$here/gen-tree.py" "$tree" --scale "$scale"
build_release
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "no chromium (apt-get install chromium)" >&2; exit 2; }

page="$out/plan-1m.html"
# Warm: the first run after generating the tree waits on writeback (cold figures: bench/run.sh).
"$bin" -C "$tree" plan --format json >/dev/null
/usr/bin/time -f "plan --format html: %e s, peak RSS %M kB" "$bin" -C "$tree" plan --format html >"$page"
files=$(find "$tree" -xdev | wc -l)
echo "tree: $files entries; page: $(stat -c %s "$page") bytes"
profile=$(mktemp -d "$dir/chrome.XXXXXX")
s=$(date +%s.%N)
"$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --window-size=1300,1600 --screenshot="$out/plan-1m.png" "file://$page" 2>/dev/null
e=$(date +%s.%N)
echo "render + screenshot: $(python3 -c "print(f'{$e - $s:.2f} s')") -> $out/plan-1m.png"
"$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
  --window-size=1300,1600 --dump-dom "file://$page" 2>/dev/null |
  sed -n 's/.*<pre id="selfcheck"[^>]*>\([^<]*\)<\/pre>.*/\1/p' | sed 's/&quot;/"/g'
