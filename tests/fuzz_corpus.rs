//! The fuzz targets on stable Rust: every corpus file in fuzz/corpus/<target>/, then a few
//! thousand deterministic mutations of them (byte flips, splices, truncations). Inputs the
//! fuzzer found go into the corpus and so become regression tests here.

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("rules", mami_clean::fuzz::rules),
    ("dockerignore", mami_clean::fuzz::dockerignore),
    ("gitignore", mami_clean::fuzz::gitignore),
    ("plan", mami_clean::fuzz::plan),
    ("size", mami_clean::fuzz::size),
];

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPICE: &[&[u8]] = &[
    b"**/",
    b"!",
    b"[",
    b"]",
    b"\\",
    b"\0",
    b"\n",
    b"..",
    b"/",
    b"*",
    b"?",
    b".git",
    b"[^a-",
    b"\xff",
    b"=",
    b"\"",
    b"[[rule]]\n",
];

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(4) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            1 => {
                let i = rng.below(v.len() + 1);
                let s = SPICE[rng.below(SPICE.len())];
                v.splice(i..i, s.iter().copied());
            }
            2 if !v.is_empty() => v.truncate(rng.below(v.len())),
            _ => {
                let i = rng.below(v.len() + 1);
                let j = rng.below(v.len() + 1).max(i);
                let chunk = v[i..j].to_vec();
                v.extend_from_slice(&chunk);
            }
        }
    }
    v
}

#[test]
fn every_target_survives_its_corpus_and_mutations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (name, target) in TARGETS {
        let mut corpus: Vec<Vec<u8>> = std::fs::read_dir(root.join(name))
            .map(|rd| {
                rd.flatten()
                    .map(|e| std::fs::read(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
        assert!(!corpus.is_empty(), "fuzz/corpus/{name} is empty");
        corpus.sort();
        for input in &corpus {
            target(input);
        }
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
        let rounds = if *name == "rules" { 300 } else { 3000 };
        for _ in 0..rounds {
            let base = &corpus[rng.below(corpus.len())];
            target(&mutate(&mut rng, base));
        }
    }
}
