//! Properties of the .dockerignore engine, checked on generated inputs (proptest).

use mami_clean::docker::ignore::clean;
use mami_clean::docker::DockerIgnore;
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    "[a-z0-9_]{1,8}"
}

fn dirs() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(name(), 0..6)
}

/// Small patterns from the syntax that matters: names, `*`, `?`, `**`, classes.
fn pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-z]{1,4}",
            Just("*".to_string()),
            Just("**".to_string()),
            Just("?".to_string()),
            Just("[a-c]".to_string()),
            "[a-z]{1,2}\\*"
        ],
        1..4,
    )
    .prop_map(|v| v.join("/"))
}

fn excluded(patterns: &str, path: &str) -> bool {
    DockerIgnore::parse(patterns, "p")
        .unwrap()
        .excluded(path.as_bytes())
}

proptest! {
    #[test]
    fn double_star_slash_matches_a_name_at_every_depth(x in name(), ds in dirs(), below in dirs()) {
        let mut p = ds;
        p.push(x.clone());
        p.extend(below);
        let path = p.join("/");
        prop_assert!(excluded(&format!("**/{x}"), &path), "**/{x} on {path}");
        // A bare name only matches at the root: the path's first component.
        prop_assert_eq!(excluded(&x, &path), p[0] == x);
    }

    #[test]
    fn an_exception_after_an_exclusion_re_includes_exactly_what_it_matches(a in pattern(), b in pattern(), ds in dirs(), leaf in name()) {
        let mut p = ds;
        p.push(leaf);
        let path = p.join("/");
        let want = excluded(&a, &path) && !excluded(&b, &path);
        prop_assert_eq!(excluded(&format!("{a}\n!{b}"), &path), want);
    }

    #[test]
    // Whitespace only around the line (Docker trims it); inside a path a space is a character,
    // and `/ /x` cleans to a pattern that would not survive a second trim.
    fn parsing_is_idempotent_on_cleaned_patterns(raw in "[ ]{0,2}!?[/.]{0,2}[a-z*?/.]{1,12}/{0,2}[ ]{0,2}") {
        if let Ok(d) = DockerIgnore::parse(&raw, "p") {
            for p in &d.patterns {
                let again = DockerIgnore::parse(&format!("{}{}", if p.exception { "!" } else { "" }, p.text), "p").unwrap();
                prop_assert_eq!(&again.patterns[0].text, &p.text);
            }
        }
    }

    #[test]
    fn clean_is_idempotent(p in "[a-z./]{0,16}") {
        let once = clean(&p);
        prop_assert_eq!(clean(&once), once);
    }
}
