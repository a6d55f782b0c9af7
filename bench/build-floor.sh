#!/usr/bin/env bash
# The floor under the README's build figures (Speed, "The build"): a clean release build of an
# empty program that uses only the base dependencies the project's brief names (walkdir,
# ignore, globset, git2 without default features, rayon, indicatif, clap with derive,
# humansize, serde, toml, serde_json), with mami-clean's release profile for them (no debug
# info, libgit2's C at -O2, clap_builder at -O1). No build of mami-clean can be faster than
# this plus the compile of its own code. Run it on an idle machine, after bench/build-time.sh
# or on its own; it prints the wall time and the sum of the units' compile times.
#
#   bench/build-floor.sh
set -euo pipefail
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cat >"$work/Cargo.toml" <<'EOF'
[package]
name = "floor"
version = "0.1.0"
edition = "2021"

[dependencies]
walkdir = "2"
ignore = "0.4"
globset = "0.4"
git2 = { version = "0.20", default-features = false }
rayon = "1"
indicatif = "0.18"
clap = { version = "4", features = ["derive"] }
humansize = "2"
serde = { version = "1", features = ["derive"] }
toml = "1"
serde_json = "1"

[profile.release]
debug = false

[profile.release.package.libgit2-sys]
opt-level = 2

[profile.release.package.clap_builder]
opt-level = 1
EOF
# Each dependency used, so none is optimised away before it is compiled.
cat >"$work/src/main.rs" <<'EOF'
use clap::Parser;

#[derive(Parser, serde::Serialize, serde::Deserialize)]
struct Args {
    #[arg(long)]
    x: Option<String>,
}

fn main() {
    let a = Args::parse();
    let _ = git2::Repository::open(".");
    let _ = ignore::WalkBuilder::new(".").build().count();
    let _ = globset::Glob::new("*.rs");
    let _ = walkdir::WalkDir::new(".").into_iter().count();
    let _ = rayon::current_num_threads();
    let _ = indicatif::ProgressBar::new(1);
    let _: toml::Value = toml::from_str("a = 1").unwrap();
    let size = humansize::format_size(1u64, humansize::DECIMAL);
    println!("{size} {}", serde_json::to_string(&a).unwrap());
}
EOF
# The versions mami-clean builds with, where they are the same crates.
cp "$repo/Cargo.lock" "$work/"
cd "$work"
start=$(date +%s%N)
CARGO_TARGET_DIR="$work/target" cargo build --release --quiet --timings
end=$(date +%s%N)
units=$(python3 -c '
import json, re, sys
html = open(sys.argv[1]).read()
data = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
print(round(sum(u["duration"] for u in data), 1))
' target/cargo-timings/cargo-timing.html)
awk -v ns=$((end - start)) -v units="$units" \
  'BEGIN { printf "base dependencies only: clean release build %.1f s (%s s of compile units)\n", ns / 1e9, units }'
