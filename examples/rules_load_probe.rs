//! How long loading the built-in rules takes, as every command does at its start (the TOML,
//! then checking and compiling the rules), and, given paths on stdin, how long matching them
//! takes the first time (each thread's matcher builds its lazy DFA as it goes) and once warm.
//!
//!     cargo run --release --example rules_load_probe < /dev/null
//!     git -C REPO ls-files | cargo run --release --example rules_load_probe
use std::io::Read;
use std::time::Instant;

use mami_clean::relpath::RelPath;
use mami_clean::rules::RuleSet;

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let mut input = String::new();
    let _ = std::io::stdin().read_to_string(&mut input);
    let paths: Vec<RelPath> = input
        .lines()
        .map(|l| RelPath::from_bytes(l.as_bytes()))
        .collect();
    for _ in 0..5 {
        let t = Instant::now();
        let (sources, inputs, phases) = mami_clean::rules::compile::builtin_inputs().unwrap();
        let parsed = t.elapsed();
        let rules = RuleSet::compile(sources, inputs, phases, Default::default()).unwrap();
        let compiled = t.elapsed() - parsed;
        let mut line = format!(
            "{} rules: TOML {:.1} ms, compile {:.1} ms",
            rules.rules.len(),
            ms(parsed),
            ms(compiled)
        );
        if !paths.is_empty() {
            let pass = || {
                let t = Instant::now();
                let mut hits = Vec::new();
                for p in &paths {
                    hits.clear();
                    rules.matching(p, false, &mut hits);
                }
                t.elapsed()
            };
            let (cold, warm) = (pass(), pass());
            line += &format!(
                "; {} paths matched: first {:.2} ms, again {:.2} ms",
                paths.len(),
                ms(cold),
                ms(warm)
            );
        }
        println!("{line}");
    }
}
