//! Which set of the matcher a glob belongs to: a glob that can match only a path of one
//! component is asked of top-level paths alone, and `**/name` of a path's last component.

/// True when `pattern`, compiled with `literal_separator`, can match only a path without `/`:
/// it has no `/` and no `**`, and each character class is a plain list of letters, digits and
/// ranges between them (a negated class, or a range like `[.-0]`, can match `/`).
pub(super) fn single_component(pattern: &str) -> bool {
    if pattern.contains('/') || pattern.contains("**") {
        return false;
    }
    let b = pattern.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'[' => {
                let Some(len) = b[i + 1..].iter().position(|&c| c == b']') else {
                    return false;
                };
                if !plain_class(&b[i + 1..i + 1 + len]) {
                    return false;
                }
                i += len + 2;
            }
            _ => i += 1,
        }
    }
    true
}

/// `a-z0-9x`: letters, digits and ranges between them, nothing else.
fn plain_class(body: &[u8]) -> bool {
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    let mut i = 0;
    if body.is_empty() {
        return false;
    }
    while i < body.len() {
        if !alnum(&body[i]) {
            return false;
        }
        if body.get(i + 1) == Some(&b'-') {
            match body.get(i + 2) {
                Some(c) if alnum(c) => i += 3,
                _ => return false,
            }
        } else {
            i += 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn glob(p: &str) -> Option<globset::GlobMatcher> {
        globset::GlobBuilder::new(p)
            .literal_separator(true)
            .backslash_escape(true)
            .empty_alternates(true)
            .build()
            .ok()
            .map(|g| g.compile_matcher())
    }

    #[test]
    fn single_component_examples() {
        for p in [
            "README*",
            "*.{bat,cmd}",
            "test_*.py",
            "{FAZ,PHASE}[0-9]*.md",
            "a[a-zA-Z]b",
            "x\\*",
        ] {
            assert!(single_component(p), "{p}");
        }
        for p in [
            "**/x", "a/b", "{a,b/c}", "a[!x]b", "a[^x]b", "a[.-0]b", "a[--0]b", "a[/]", "[", "a[]b",
        ] {
            assert!(!single_component(p), "{p}");
        }
    }

    proptest! {
        /// `**/name` matches a path exactly where `name`, as the names set compiles it, matches
        /// the path's last component, case folded or not.
        #[test]
        fn a_recursive_name_glob_is_its_name_on_the_last_component(
            name in "[ab*?.\\-!\\[\\]{},0]{1,6}(\\.[a-c0-9]{1,3})?",
            path in "[ab.\\-0!/]{0,4}/?[aAbB.\\-0!]{1,4}",
            ignore_case in any::<bool>(),
        ) {
            prop_assume!(single_component(&name));
            let full = globset::GlobBuilder::new(&format!("**/{name}"))
                .literal_separator(true)
                .backslash_escape(true)
                .case_insensitive(ignore_case)
                .empty_alternates(true)
                .build();
            if let (Ok(full), Ok(n)) = (full, crate::rules::globs::build_name_glob(&name, ignore_case)) {
                let last = path.rsplit('/').next().unwrap_or(&path);
                prop_assert_eq!(
                    full.compile_matcher().is_match(&path),
                    n.compile_matcher().is_match(last),
                    "**/{} on {}", name, path
                );
            }
        }

        /// A glob called single-component never matches a path with a `/` in it.
        #[test]
        fn single_component_globs_stay_at_the_top(
            pattern in "[ab*?.\\-!\\[\\]{},0/]{1,8}",
            path in "[ab.\\-0!/]{1,4}/[ab.\\-0!/]{0,4}",
        ) {
            if let (true, Some(m)) = (single_component(&pattern), glob(&pattern)) {
                prop_assert!(!m.is_match(&path), "{} matched {}", pattern, path);
            }
        }
    }
}
