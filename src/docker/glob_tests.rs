//! Tests of `glob.rs`, kept apart so the code reads on its own.
use super::*;
use proptest::prelude::*;

/// A pattern from the pieces that make globs differ (also `ignore.rs`'s tests' lines).
pub(in crate::docker) fn pattern() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("b"),
            Just("/"),
            Just("*"),
            Just("**"),
            Just("**/"),
            Just("?"),
            Just("[ab]"),
            Just("[^a]"),
            Just("[!a]"),
            Just("[a-c]"),
            Just("[\\]]"),
            Just("\\*"),
            Just("\\a"),
            Just("\\/"),
            Just("."),
            Just("é"),
            Just("^"),
            Just("$"),
            Just("\n"),
        ],
        1..7,
    )
    .prop_map(|v| v.concat())
}

fn path() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            Just(&b"a"[..]),
            Just(&b"b"[..]),
            Just(&b"/"[..]),
            Just(&b"c"[..]),
            Just("é".as_bytes()),
            Just(&b"\n"[..]),
            Just(&b"."[..]),
            Just(&b"!"[..]),
            Just(&b"]"[..]),
            Just(&b"\xff"[..]),
            Just(&b"*"[..]),
        ],
        0..8,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]
    /// The matcher says what patternmatcher's regex says, on every pattern both accept.
    #[test]
    fn the_matcher_agrees_with_the_regex(p in pattern(), paths in proptest::collection::vec(path(), 1..6)) {
        let (Ok(fast), Ok(slow)) = (compile(&p), compile_as(&p, true, false)) else {
            return Ok(());
        };
        for path in &paths {
            prop_assert_eq!(fast.matches(path), slow.matches(path), "pattern {:?} path {:?}", p, String::from_utf8_lossy(path));
        }
    }
}

#[test]
fn plain_globs_need_no_regex() {
    for p in ["**/node_modules/*.js", "a?c", "[^a]b", "**/x/**", "a[b-d]*"] {
        assert!(matches!(compile(p), Ok(Kind::Glob(_))), "{p}");
    }
    for p in ["*.log", "*~", "*", "*/x.md", "*$py.class"] {
        assert!(matches!(compile(p), Ok(Kind::StarSuffix(_))), "{p}");
    }
    for p in ["a\\db", "a*^b", "x/a\\wb"] {
        assert!(matches!(compile(p), Ok(Kind::Regex(_))), "{p}");
    }
}
