//! Every rule's globs, compiled once into two `GlobSet`s: the scanner asks "which rules match
//! this path?" with one or two match calls whatever the number of rules.
//!
//! Many rules are about the repository root only (`README*`, `*.bat`, `test_*.py`): their globs
//! have no `/` and cannot match below the root. Kept in a set of their own, they are asked only
//! for top-level entries, so a file deep in `src/` does not pay for them. Globs are compiled
//! with `literal_separator`, so `*` and `?` never cross a `/`; [`single_component`] decides which
//! globs are of that kind and is conservative: anything it is unsure of goes in the other set.

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
    /// Every other glob.
    deep: GlobSet,
    deep_refs: Vec<GlobRef>,
}

impl Matcher {
    /// `globs` with the text each was compiled from (which decides its set).
    pub fn build(
        globs: impl IntoIterator<Item = (GlobRef, Glob)>,
    ) -> Result<Matcher, globset::Error> {
        let (mut top, mut deep) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let (mut top_refs, mut deep_refs) = (Vec::new(), Vec::new());
        for (r, g) in globs {
            if single_component(g.glob()) {
                top.add(g);
                top_refs.push(r);
            } else {
                deep.add(g);
                deep_refs.push(r);
            }
        }
        // Each set compiles a regex of its globs (~7 ms together, at every command's start):
        // the two are built side by side.
        let (top, deep) = std::thread::scope(|s| {
            let t = s.spawn(|| top.build());
            let d = deep.build();
            (t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), d)
        });
        Ok(Matcher {
            top: top?,
            top_refs,
            deep: deep?,
            deep_refs,
        })
    }

    /// The rules (indices, unsorted, possibly repeated) with a glob matching `c`. `top_level`
    /// says the path has one component. Allocates nothing below the root.
    pub fn rules_matching(&self, c: &Candidate, top_level: bool, out: &mut Vec<usize>) {
        self.deep.matches_candidate_into(c, out);
        for g in out.iter_mut() {
            *g = self.deep_refs[*g].rule;
        }
        if top_level {
            let top = self.top.matches_candidate(c);
            out.extend(top.into_iter().map(|g| self.top_refs[g].rule));
        }
    }

    /// Every glob matching `path`, sorted. Both sets are asked whatever the path's depth.
    pub fn globs_matching(&self, path: &str) -> Vec<GlobRef> {
        let mut hits: Vec<GlobRef> = (self.deep.matches(path).into_iter())
            .map(|g| self.deep_refs[g])
            .chain(self.top.matches(path).into_iter().map(|g| self.top_refs[g]))
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
