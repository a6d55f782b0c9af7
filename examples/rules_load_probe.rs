//! How long loading the built-in rules takes, as every command does at its start: the TOML,
//! then checking and compiling the rules (globs into the combined matcher).
//!
//!     cargo run --release --example rules_load_probe     # prints the two times, five runs
use std::time::Instant;

fn main() {
    for _ in 0..5 {
        let t = Instant::now();
        let (sources, inputs, phases) = mami_clean::rules::compile::builtin_inputs().unwrap();
        let parsed = t.elapsed();
        let rules =
            mami_clean::rules::RuleSet::compile(sources, inputs, phases, Default::default())
                .unwrap();
        let compiled = t.elapsed() - parsed;
        println!(
            "{} rules: TOML {:.1} ms, compile {:.1} ms",
            rules.rules.len(),
            parsed.as_secs_f64() * 1e3,
            compiled.as_secs_f64() * 1e3
        );
    }
}
