use super::*;
use crate::rules::globs::build_glob;
use proptest::prelude::*;

/// A matcher of `globs`, each with whether it ignores case, as the rules build one.
fn matcher(globs: &[(Glob, bool)]) -> Matcher {
    let refs = (globs.iter().enumerate())
        .map(|(i, (g, ic))| (GlobRef { rule: i, glob: 0 }, g.clone(), *ic));
    Matcher::build(refs).expect("globs that globset built compile")
}

fn each(globs: &[(Glob, bool)]) -> Vec<globset::GlobMatcher> {
    globs.iter().map(|(g, _)| g.compile_matcher()).collect()
}

/// The matcher's answer for `path` next to each glob's own globset matcher's, as glob indices.
fn both(m: &Matcher, globs: &[globset::GlobMatcher], path: &[u8]) -> (Vec<usize>, Vec<usize>) {
    let p = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
    let want = (globs.iter().enumerate())
        .filter(|(_, g)| g.is_match(p))
        .map(|(i, _)| i)
        .collect();
    let mut got = Vec::new();
    m.rules_matching(path, &mut got);
    (got, want)
}

use std::os::unix::ffi::OsStrExt;

#[test]
fn matcher_agrees_with_globset_on_the_built_in_globs() {
    let set = crate::rules::RuleSet::builtin().unwrap();
    let mut paths: Vec<String> = Vec::new();
    for r in &set.rules {
        paths.extend(r.examples.matches.iter().cloned());
        paths.extend(r.examples.no_match.iter().cloned());
    }
    let deeper: Vec<String> = paths.iter().map(|p| format!("sub/{p}")).collect();
    paths.extend(deeper);
    paths.extend(["", "a\nb.log", "x/\u{e9}.bak", "NUL", "src/nul"].map(String::from));
    let globs: Vec<(Glob, bool)> = (set.rules.iter())
        .flat_map(|r| {
            (r.patterns.iter()).map(|p| (build_glob(p, r.ignore_case).unwrap(), r.ignore_case))
        })
        .collect();
    assert!(globs.len() > 300);
    let (m, globs) = (matcher(&globs), each(&globs));
    for path in &paths {
        let (got, want) = both(&m, &globs, path.trim_end_matches('/').as_bytes());
        assert_eq!(got, want, "{path}");
    }
}

#[test]
fn bytes_a_name_may_hold_match_as_in_globset() {
    let globs: Vec<(Glob, bool)> = [
        "**/*.log",
        "**/*.log.gz",
        "a?b",
        "**/x*",
        "*",
        "**/[!a]",
        "**/a\nb",
        "a\nb/x1",
    ]
    .iter()
    .map(|p| (build_glob(p, false).unwrap(), false))
    .collect();
    let (m, globs) = (matcher(&globs), each(&globs));
    for path in [
        &b"dir/a\nb.log"[..],
        b".log",
        b"d/.log",
        b"d/x.log.gz",
        b"a\nb/x1",
        b"a\nb",
        b"d/x\xff\xfe",
        b"\xff",
        b"a/\n",
    ] {
        let (got, want) = both(&m, &globs, path);
        assert_eq!(got, want, "{}", String::from_utf8_lossy(path));
    }
}

proptest! {
    /// On any globs and any path, the one DFA says what each glob's own matcher says.
    #[test]
    fn matcher_agrees_with_globset(
        patterns in prop::collection::vec("(\\*\\*/)?[ab*?.{},/\\[\\]!-]{1,7}(\\.[a-cA-C0-9]{1,3})?", 1..6),
        path in "[abAB.\\-!/\n]{0,5}/?[aAbB.\\-0!]{1,4}(\\.[a-cA-C0-9]{1,3})?",
        ignore_case in any::<bool>(),
    ) {
        let globs: Vec<(Glob, bool)> = (patterns.iter())
            .filter_map(|p| build_glob(p, ignore_case).ok().map(|g| (g, ignore_case)))
            .collect();
        prop_assume!(!globs.is_empty());
        let (got, want) = both(&matcher(&globs), &each(&globs), path.as_bytes());
        prop_assert_eq!(got, want, "{:?} on {:?}", patterns, path);
    }
}

/// A part with no globs (a config whose globs are all literal) builds, and matches nothing.
#[test]
fn a_matcher_of_literal_globs_alone_builds() {
    let globs: Vec<(Glob, bool)> = ["a/b", "**/c", "**/*.d"]
        .iter()
        .map(|p| (build_glob(p, false).unwrap(), false))
        .collect();
    let (m, each) = (matcher(&globs), each(&globs));
    for path in [&b"a/b"[..], b"x/c", b"c.d", b"c", b"e"] {
        let (got, want) = both(&m, &each, path);
        assert_eq!(got, want, "{}", String::from_utf8_lossy(path));
    }
}
