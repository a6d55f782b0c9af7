//! Glob compilation for the rules, and the checks on what a glob may reach: `.git` and the
//! whole tree are refused; kebab-case ids.

use globset::{Glob, GlobBuilder};
use toml::Spanned;

use super::compile::{err_at, Rule, Source};
use super::lazy_set::{LazySet, NameSet};
use super::matcher::{GlobRef, Matcher};
use super::schema::Action;
use crate::error::Result;

/// Probe paths: a glob that matches one of these targets git's own directory.
pub(super) const GIT_PROBES: &[&str] = &[
    ".git",
    "a/.git",
    ".git/HEAD",
    "a/.git/HEAD",
    "a/b/.git/config",
];
/// Probe names no real rule targets: a glob matching one at the root (`*`, `**`, `{*,x}`)
/// matches every top-level entry, i.e. the whole tree.
pub(super) const WHOLE_TREE_PROBES: &[&str] = &["q7zx-probe", "q7zx-probe.q7zx"];

pub(super) fn build_glob(pattern: &str, ignore_case: bool) -> std::result::Result<Glob, String> {
    compiled(pattern, true, ignore_case).map_err(|e| format!("bad glob `{pattern}`: {}", e.kind()))
}

/// `name`, the one-component part of a `**/name` glob, as the matcher asks it of a path's last
/// component alone ([`super::matcher`]): with no `/` to keep `*` from, globset matches
/// `*.pyc` by its extension, `README*` by prefix and `*~` by suffix, without a regex.
pub(super) fn build_name_glob(name: &str, ignore_case: bool) -> Result<Glob, globset::Error> {
    compiled(name, false, ignore_case)
}

/// `pattern` checked as written and compiled as the regex set's ([`in_regex_set`]): the same
/// paths match. A case-folded glob is in the regex set already, and `*.pyc` without
/// `literal_separator` is matched by its extension, without a regex: those stay as written.
fn compiled(
    pattern: &str,
    literal_separator: bool,
    ignore_case: bool,
) -> Result<Glob, globset::Error> {
    let build = |p: &str| {
        GlobBuilder::new(p)
            .literal_separator(literal_separator)
            .backslash_escape(true)
            .case_insensitive(ignore_case)
            .empty_alternates(true)
            .build()
    };
    let glob = build(pattern)?;
    let by_extension = !literal_separator
        && (pattern.strip_prefix("*."))
            .is_some_and(|e| !e.contains(['.', '*', '?', '[', '{', '\\']));
    Ok(match (ignore_case || by_extension, in_regex_set(pattern)) {
        (false, Some(p)) => build(&p).unwrap_or(glob),
        _ => glob,
    })
}

/// `pattern` written so that `GlobSet` matches it in its one regex of all globs, where it
/// would give it a regex of its own: a glob ending in a literal extension after other
/// wildcards (`tests/**/debug_*.py`; `*.bat`, as `*` may not cross `/`). Each such regex is
/// compiled at every start and, for every path with that extension, run on its own, taking
/// its cache from a pool shared by the scan's threads: half the time rule matching took in a
/// gate. The last letter as a one-letter class (`debug_*.p[y]`) matches what it did.
/// `None` for every other glob: literal ones, `**/name`, `**/*.ext` (all matched without a
/// regex), and those already in the regex set.
pub(super) fn in_regex_set(pattern: &str) -> Option<String> {
    let b = pattern.as_bytes();
    // The extension: letters and digits after a `.` (neither can be escaped or in a class).
    let ext = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if ext == 0 || ext == b.len() || b[b.len() - ext - 1] != b'.' {
        return None;
    }
    // Any wildcard, class or alternation not escaped by a backslash.
    let wild = |s: &[u8]| {
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'\\' => i += 2,
                c if b"*?[{".contains(&c) => return true,
                _ => i += 1,
            }
        }
        false
    };
    let extension_only = b.starts_with(b"**/*.") && !wild(&b[5..]) && !b[5..].contains(&b'.');
    let basename = b.starts_with(b"**/") && !wild(&b[3..]);
    if !wild(b) || extension_only || basename {
        return None;
    }
    let last = b.len() - 1;
    Some(format!("{}[{}]", &pattern[..last], &pattern[last..]))
}

/// The shape checks for a selecting glob: relative, inside the tree, not `.git`, not everything.
pub(super) fn check_glob_shape(pattern: &str) -> std::result::Result<(), String> {
    if pattern.trim().is_empty() {
        return Err("empty glob".into());
    }
    if pattern.starts_with('/') {
        return Err(format!(
            "glob `{pattern}` is an absolute path; globs are relative to the repository root (drop the leading `/`)"
        ));
    }
    if pattern.split('/').any(|c| c == "..") {
        return Err(format!(
            "glob `{pattern}` targets `..`: rules cannot reach outside the repository"
        ));
    }
    if pattern.split('/').any(|c| c == ".") {
        return Err(format!(
            "glob `{pattern}` has a `.` component; write the path without it"
        ));
    }
    Ok(())
}

pub(super) fn compile_globs(
    src: &Source,
    rule: &str,
    globs: &[Spanned<String>],
    ignore_case: bool,
) -> Result<Vec<Glob>> {
    globs
        .iter()
        .map(|g| {
            build_glob(g.get_ref(), ignore_case)
                .map_err(|m| err_at(src, g.span().start, Some(rule), m))
        })
        .collect()
}

pub(super) fn compile_set(
    src: &Source,
    rule: &str,
    globs: &[Spanned<String>],
    ignore_case: bool,
) -> Result<LazySet> {
    let compiled = compile_globs(src, rule, globs, ignore_case)?;
    LazySet::new(compiled, !src.builtin).map_err(|e| err_at(src, 0, Some(rule), e.to_string()))
}

pub(super) fn name_set(
    src: &Source,
    rule: &str,
    offset: usize,
    names: &[String],
) -> Result<NameSet> {
    let (mut yes, mut no) = (Vec::new(), Vec::new());
    for n in names {
        let (list, glob) = match n.strip_prefix('!') {
            Some(rest) => (&mut no, rest),
            None => (&mut yes, n.as_str()),
        };
        if glob.contains('/') || glob.is_empty() {
            return Err(err_at(
                src,
                offset,
                Some(rule),
                format!("marker `{n}` must be a single file name (a glob of names is allowed)"),
            ));
        }
        list.push(build_glob(glob, false).map_err(|m| err_at(src, offset, Some(rule), m))?);
    }
    if yes.is_empty() && !no.is_empty() {
        return Err(err_at(
            src,
            offset,
            Some(rule),
            "a `!` marker only takes names out of the others: give at least one name to look for",
        ));
    }
    let set = |globs| LazySet::new(globs, !src.builtin);
    let err = |e: globset::Error| err_at(src, offset, Some(rule), e.to_string());
    Ok(NameSet {
        yes: set(yes).map_err(err)?,
        no: set(no).map_err(err)?,
    })
}

pub(super) fn is_kebab_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// A selecting glob must not reach `.git` (unless its rule's exclude removes it) or match
/// everything (unless its rule's `when.copy_of_parent` names what it selects: a folder named
/// like its parent, holding its names): the first such glob, in rule order, and why. The probes
/// run through the combined matcher, which says which globs matched: no glob is compiled twice.
pub(super) fn check_reach(rules: &[Rule], matcher: &Matcher) -> Option<(GlobRef, String)> {
    let hits = |p: &str| -> Vec<GlobRef> {
        let mut v = matcher.globs_matching(p);
        v.retain(|g| {
            let r = &rules[g.rule];
            r.action != Action::Keep && !r.exclude.is_match(p)
        });
        v
    };
    let whole = WHOLE_TREE_PROBES
        .iter()
        .flat_map(|p| hits(p))
        .filter(|g| !rules[g.rule].guards.copy_of_parent)
        .min()
        .map(|g| {
            (
                g,
                "glob `{}` matches the whole tree; name what to clean".to_string(),
            )
        });
    let git = GIT_PROBES
        .iter()
        .enumerate()
        .flat_map(|(i, p)| hits(p).into_iter().map(move |g| (g, i, *p)))
        .min()
        .map(|(g, _, p)| {
            let msg = format!(
                "glob `{{}}` targets `.git` (it matches `{p}`); git's own data is never cleaned"
            );
            (g, msg)
        });
    // The earlier glob is reported; on one glob, the whole tree before `.git`.
    match (whole, git) {
        (Some(w), Some(g)) if g.0 < w.0 => Some(g),
        (Some(w), _) => Some(w),
        (None, g) => g,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The glob as written, compiled as the rules compile it, without the rewrite.
    fn as_written(p: &str) -> Option<globset::GlobMatcher> {
        let g = GlobBuilder::new(p)
            .literal_separator(true)
            .backslash_escape(true)
            .empty_alternates(true)
            .build();
        g.ok().map(|g| g.compile_matcher())
    }

    #[test]
    fn globs_with_an_extension_after_wildcards_go_to_the_regex_set() {
        for (p, want) in [
            ("tests/**/debug_*.py", "tests/**/debug_*.p[y]"),
            ("*.bat", "*.ba[t]"),
            ("**/*.log.old", "**/*.log.ol[d]"),
            ("{docs,doc}/**/*_REPORT.md", "{docs,doc}/**/*_REPORT.m[d]"),
            ("data/*_{stats,usage}.json", "data/*_{stats,usage}.jso[n]"),
        ] {
            assert_eq!(in_regex_set(p).as_deref(), Some(want), "{p}");
        }
        for p in [
            "**/*.py",
            "**/setup.py",
            "setup.py",
            "a\\*b.py",
            "*.{py,js}",
            "*.py[cod]",
            "*.py~",
            "**/*.db-wal",
            "x.",
            ".py",
            "py",
            "*",
        ] {
            assert_eq!(in_regex_set(p), None, "{p}");
        }
    }

    /// Every built-in glob matches, as compiled, what it matches as written, on the rules'
    /// own example paths and those one level down.
    #[test]
    fn built_in_globs_match_as_written() {
        let set = super::super::RuleSet::builtin().unwrap();
        let mut paths: Vec<String> = Vec::new();
        for r in &set.rules {
            paths.extend(r.examples.matches.iter().cloned());
            paths.extend(r.examples.no_match.iter().cloned());
        }
        let deeper: Vec<String> = paths.iter().map(|p| format!("sub/{p}")).collect();
        paths.extend(deeper);
        let mut rewritten = 0;
        for r in set.rules.iter().filter(|r| !r.ignore_case) {
            for p in r.patterns.iter().chain(&r.excludes) {
                let (Some(written), Ok(built)) = (as_written(p), build_glob(p, false)) else {
                    panic!("{p} does not build");
                };
                rewritten += usize::from(built.glob() != p);
                let built = built.compile_matcher();
                for path in &paths {
                    let path = path.trim_end_matches('/');
                    assert_eq!(
                        built.is_match(path),
                        written.is_match(path),
                        "{p} on {path}"
                    );
                }
            }
        }
        assert!(rewritten > 20, "only {rewritten} globs rewritten");
    }

    proptest! {
        /// The rewrite never changes what a glob matches.
        #[test]
        fn the_rewrite_matches_what_the_glob_did(
            pattern in "[ab*?.{},/\\[\\]!-]{0,7}(\\.[a-c0-9]{1,3})?",
            path in "[ab.c0-9/]{0,10}",
        ) {
            if let (Some(written), Some(p)) = (as_written(&pattern), in_regex_set(&pattern)) {
                let built = as_written(&p).expect("the rewrite of a valid glob builds");
                prop_assert_eq!(built.is_match(&path), written.is_match(&path), "{} as {}", pattern, p);
            }
        }
    }
}
