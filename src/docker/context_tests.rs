//! Tests of `context.rs`, kept apart so the code reads on its own.
use super::*;
use proptest::prelude::*;

/// Every ancestor of every file, summed the obvious way.
fn naive(files: &[SentFile]) -> Vec<(String, u64, u64)> {
    let mut m: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for f in files {
        let mut p = std::str::from_utf8(f.path.as_bytes()).unwrap();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            let e = m.entry(p.to_string()).or_default();
            e.0 += f.bytes;
            e.1 += 1;
        }
    }
    m.into_iter().map(|(k, (b, n))| (k, b, n)).collect()
}

proptest! {
    #[test]
    fn dir_sizes_sum_every_ancestor(
        paths in proptest::collection::btree_set("[ab.-]{1,2}(/[ab.-]{1,2}){0,3}", 0..40)
    ) {
        // Keep only paths that are not also a directory of another (files are leaves).
        let all: Vec<&String> = paths.iter().collect();
        let files: Vec<SentFile> = all
            .iter()
            .filter(|p| !all.iter().any(|q| q.starts_with(&format!("{p}/"))))
            .enumerate()
            .map(|(i, p)| SentFile {
                path: RelPath::from_bytes(p.as_bytes()),
                kind: EntryKind::File,
                bytes: i as u64 + 1,
            })
            .collect();
        let mut got: Vec<(String, u64, u64)> = dir_sizes(&files)
            .into_iter()
            .map(|d| (d.path, d.bytes, d.files))
            .collect();
        got.sort();
        prop_assert_eq!(got, naive(&files));
    }
}
