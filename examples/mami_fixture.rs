//! Build the Mami-shaped test fixture (`testdata/mami/`) where a benchmark can use it:
//! `bench/gate.sh --mami` times the gate on it, the repository the cleanup plan was written
//! for. Prints the fixture's root. The fixture is made under `$TMPDIR` and kept.
//!
//!     TMPDIR=DIR cargo run --release --example mami_fixture

#[path = "../testdata/mami/fixture.rs"]
#[allow(dead_code)]
mod fixture;

fn main() {
    let m = fixture::build();
    println!("{}", m.root.display());
    // Kept for the benchmark that asked for it; it lives in that benchmark's own directory.
    let _ = m.dir.keep();
}
