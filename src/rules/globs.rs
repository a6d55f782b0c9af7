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
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .case_insensitive(ignore_case)
        .empty_alternates(true)
        .build()
        .map_err(|e| format!("bad glob `{pattern}`: {}", e.kind()))
}

/// `name`, the one-component part of a `**/name` glob, as the matcher asks it of a path's last
/// component alone ([`super::matcher`]): `*` has no `/` to stop at there.
pub(super) fn build_name_glob(name: &str, ignore_case: bool) -> Result<Glob, globset::Error> {
    GlobBuilder::new(name)
        .backslash_escape(true)
        .case_insensitive(ignore_case)
        .empty_alternates(true)
        .build()
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
