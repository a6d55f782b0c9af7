//! Every rule's globs, compiled once into three `GlobSet`s: the scanner asks "which rules match
//! this path?" with two or three match calls whatever the number of rules.
//!
//! Many rules are about the repository root only (`README*`, `*.bat`, `test_*.py`): their globs
//! have no `/` and cannot match below the root. Kept in a set of their own, they are asked only
//! for top-level entries, so a file deep in `src/` does not pay for them. Globs are compiled
//! with `literal_separator`, so `*` and `?` never cross a `/`; [`single_component`] decides which
//! globs are of that kind and is conservative: anything it is unsure of goes in the other set.
//!
//! Most of the rest are `**/name` globs (`**/*.pyc`, `**/*.bak[0-9]*`, `**/node_modules`), which
//! match a path whose last component `name` matches: their names are a set asked of that
//! component alone. As path globs, each began with `(?:/?|.*/)` in the one regex of them all,
//! whose lazy DFA every scanning thread built state by state on its first paths.

use globset::{Candidate, Glob, GlobSet, GlobSetBuilder};

/// One glob of one rule: the rule's index in the rule list and the glob's place in its `match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GlobRef {
    pub rule: usize,
    pub glob: usize,
}

#[derive(Debug)]
pub struct Matcher {
    /// Globs that can only match a path of one component: asked for top-level entries only.
    top: GlobSet,
    top_refs: Vec<GlobRef>,
    /// The `name` of each `**/name` glob whose name is one component: asked of a path's last
    /// component.
    names: GlobSet,
    name_refs: Vec<GlobRef>,
    /// Every other glob.
    deep: GlobSet,
    deep_refs: Vec<GlobRef>,
}

impl Matcher {
    /// `globs`, each with whether it ignores case; its text decides its set.
    pub fn build(
        globs: impl IntoIterator<Item = (GlobRef, Glob, bool)>,
    ) -> Result<Matcher, globset::Error> {
        let mut sets: [(GlobSetBuilder, Vec<GlobRef>); 3] =
            std::array::from_fn(|_| (GlobSetBuilder::new(), Vec::new()));
        for (r, g, ignore_case) in globs {
            let text = g.glob();
            let name = (text.strip_prefix("**/"))
                .filter(|n| single_component(n))
                .and_then(|n| super::globs::build_name_glob(n, ignore_case).ok());
            let (set, glob) = match (name, single_component(text)) {
                (Some(n), _) => (&mut sets[1], n),
                (None, true) => (&mut sets[0], g),
                (None, false) => (&mut sets[2], g),
            };
            set.0.add(glob);
            set.1.push(r);
        }
        // Each set compiles a regex of its globs (~5 ms together, at every command's start):
        // they are built side by side.
        let [(top, top_refs), (names, name_refs), (deep, deep_refs)] = sets;
        let (top, names, deep) = std::thread::scope(|s| {
            let t = s.spawn(|| top.build());
            let n = s.spawn(|| names.build());
            let d = deep.build();
            let join = |h: std::thread::ScopedJoinHandle<'_, _>| {
                h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
            };
            (join(t), join(n), d)
        });
        Ok(Matcher {
            top: top?,
            top_refs,
            names: names?,
            name_refs,
            deep: deep?,
            deep_refs,
        })
    }

    /// The rules (indices, unsorted, possibly repeated) with a glob matching `c`, whose last
    /// component is `name`. `top_level` says the path has one component. Allocates nothing
    /// below the root.
    pub fn rules_matching(
        &self,
        c: &Candidate,
        name: &Candidate,
        top_level: bool,
        out: &mut Vec<usize>,
    ) {
        self.deep.matches_candidate_into(c, out);
        for g in out.iter_mut() {
            *g = self.deep_refs[*g].rule;
        }
        let named = self.names.matches_candidate(name);
        out.extend(named.into_iter().map(|g| self.name_refs[g].rule));
        if top_level {
            let top = self.top.matches_candidate(c);
            out.extend(top.into_iter().map(|g| self.top_refs[g].rule));
        }
    }

    /// Every glob matching `path`, sorted. Both sets are asked whatever the path's depth.
    pub fn globs_matching(&self, path: &str) -> Vec<GlobRef> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut hits: Vec<GlobRef> = (self.deep.matches(path).into_iter())
            .map(|g| self.deep_refs[g])
            .chain(self.top.matches(path).into_iter().map(|g| self.top_refs[g]))
            .chain(
                self.names
                    .matches(name)
                    .into_iter()
                    .map(|g| self.name_refs[g]),
            )
            .collect();
        hits.sort_unstable();
        hits
    }
}

/// True when `pattern`, compiled with `literal_separator`, can match only a path without `/`:
/// it has no `/` and no `**`, and each character class is a plain list of letters, digits and
/// ranges between them (a negated class, or a range like `[.-0]`, can match `/`).
pub fn single_component(pattern: &str) -> bool {
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
