//! `.gitignore` lines for the directories the cleanup deletes that their rule's lines do not
//! cover: a rule that finds directories by what they hold (a venv by its `pyvenv.cfg`:
//! `venv_310/`, `env_bot/`) cannot name them all in a pattern, so the path itself is written
//! (`/venv_310/`), anchored at the root, and the directory stays out of git when it is made
//! again. Files are not (a deleted report or `.old` file is not made again at its path), nor
//! what rules without `.gitignore` lines select. And where a rule's own line would ignore a
//! tracked file, [`instead_of`] names the regenerable paths it deleted, files too.

use crate::docker::walk::Walk;
use crate::docker::DockerIgnore;
use crate::plan::Plan;
use crate::relpath::RelPath;
use crate::rules::{Rule, RuleSet};
use crate::scan::EntryKind;

/// Each deleted directory whose rule carries lines of a dialect (`lines`), with that rule.
fn deleted_dirs<'p>(
    rules: &'p RuleSet,
    plan: &'p Plan,
    lines: fn(&Rule) -> &[String],
) -> impl Iterator<Item = (&'p Rule, RelPath)> {
    plan.deletions()
        .filter(|e| e.kind == EntryKind::Dir)
        .filter_map(move |e| {
            Some((
                rules.by_id(&e.rule).filter(|r| !lines(r).is_empty())?,
                e.rel()?,
            ))
        })
}

/// The matcher of each rule's lines, built on its first use.
fn per_rule<'c, 'r, M>(
    cache: &'c mut Vec<(&'r str, M)>,
    rule: &'r Rule,
    build: impl FnOnce() -> M,
) -> &'c M {
    let i = match cache.iter().position(|(id, _)| *id == rule.id) {
        Some(i) => i,
        None => {
            cache.push((&rule.id, build()));
            cache.len() - 1
        }
    };
    &cache[i].1
}

/// `/path/` of each deleted directory whose rule has `.gitignore` lines that do not match it,
/// in plan order; paths git cannot be told as text are left out.
pub(super) fn uncovered(root: &std::path::Path, rules: &RuleSet, plan: &Plan) -> Vec<String> {
    let mut matchers = Vec::new();
    let mut out = Vec::new();
    for (rule, rel) in deleted_dirs(rules, plan, |r| &r.gitignore) {
        let Some(line) = line_for(&rel) else { continue };
        let m = per_rule(&mut matchers, rule, || {
            let lines: Vec<&str> = rule.gitignore.iter().map(String::as_str).collect();
            super::git_effect::matcher(root, &lines)
        });
        if !m
            .matched_path_or_any_parents(rel.as_path(), true)
            .is_ignore()
        {
            out.push(line);
        }
    }
    out
}

/// The line [`uncovered`] writes for the deleted directory at `rel`: `None` for a path that is
/// not text or holds a control character (a newline in a name would write lines of its own
/// choosing into `.gitignore`; git cannot match such a name with a pattern anyway).
pub(super) fn line_for(rel: &RelPath) -> Option<String> {
    let text = std::str::from_utf8(rel.as_bytes())
        .ok()
        .filter(|t| !t.chars().any(char::is_control))?;
    Some(format!("/{}/", escaped(text)))
}

/// `text` read by both Docker walks (fewer than two where it does not parse).
pub(super) fn both_walks(text: &str) -> Vec<DockerIgnore> {
    [Walk::Current, Walk::Legacy]
        .iter()
        .filter_map(|&w| DockerIgnore::parse_for(text, "lines", w).ok())
        .collect()
}

/// Whether the folder `p` is excluded under both walks: matched, or never entered (a line
/// for a folder above it).
pub(super) fn excluded(igs: &[DockerIgnore], p: &[u8]) -> bool {
    igs.len() == 2 && igs.iter().all(|ig| ig.excluded(p) || !ig.enters(p))
}

/// `lines` without each of `paths` (lines naming one folder) that the others exclude under
/// both walks; one the file's block already holds stays, as every block line does.
pub(super) fn without_covered(
    mut lines: Vec<String>,
    paths: &[String],
    existing: &str,
) -> Vec<String> {
    let held = super::block::parts(existing).block;
    for p in paths.iter().filter(|p| !held.contains(&p.as_str())) {
        let Some(i) = lines.iter().position(|l| l == p) else {
            continue;
        };
        let others: Vec<&str> = (lines.iter().enumerate())
            .filter(|&(j, _)| j != i)
            .map(|(_, l)| l.as_str())
            .collect();
        let path = p.strip_prefix('/').unwrap_or(p);
        if excluded(&both_walks(&others.join("\n")), path.as_bytes()) {
            lines.remove(i);
        }
    }
    lines
}

/// The `.dockerignore` lines, relative to the context at `prefix` (from the root), for the
/// deleted directories inside it whose rule's `.dockerignore` lines do not exclude them under
/// both Docker walks, and that the file as it stands (`existing`) does not exclude either: a
/// rebuilt `venv_310/` is then not sent. Only plain names (letters, digits, `._-/`), which
/// mean themselves as Docker patterns.
pub(super) fn uncovered_in_context(
    rules: &RuleSet,
    plan: &Plan,
    prefix: &RelPath,
    existing: &str,
) -> Vec<String> {
    let plain = |p: &[u8]| {
        p.iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/'))
    };
    let existing = both_walks(existing);
    let mut matchers = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for (rule, rel) in deleted_dirs(rules, plan, |r| &r.dockerignore) {
        let Some(Some(inside)) = crate::relpath::seen_from(prefix, &rel) else {
            continue;
        };
        let ours = per_rule(&mut matchers, rule, || {
            both_walks(&rule.dockerignore.join("\n"))
        });
        if !plain(inside) || excluded(ours, inside) || excluded(&existing, inside) {
            continue;
        }
        let line = String::from_utf8_lossy(inside).into_owned();
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

/// A `.gitignore` line for the deleted entry at `rel` alone: `/path/` for a directory
/// ([`line_for`]), `/path` for a file; `None` as there.
pub(super) fn anchored(rel: &RelPath, is_dir: bool) -> Option<String> {
    let line = line_for(rel)?;
    Some(match is_dir {
        true => line,
        false => line.trim_end_matches('/').to_string(),
    })
}

/// The lines to write instead of `line`, which would ignore a tracked file: each deleted path
/// among `matched` that it matches and that comes back (a build's output, a cache: the plan
/// says how it is regenerated), anchored (`/.dart_tool/` where a committed
/// `build/.dart_tool/` stays), and only where that line passes on its own. A deleted backup
/// copy is not made again at its path: a line for it would be clutter.
pub(super) fn instead_of(
    judge: &super::git_effect::Existing,
    plan: &Plan,
    line: &str,
    matched: &[(RelPath, bool)],
    tracked: &[&[u8]],
    git: Option<&crate::git::GitInfo>,
) -> Vec<String> {
    let alone = super::git_effect::matcher(judge.root(), &[line]);
    let regenerated: Vec<(RelPath, bool)> = (plan.deletions())
        .filter(|e| e.regenerate.is_some())
        .filter_map(|e| Some((e.rel()?, e.kind == EntryKind::Dir)))
        .collect();
    (matched.iter())
        .filter(|m| regenerated.contains(m))
        .filter(|(r, d)| (alone.matched_path_or_any_parents(r.as_path(), *d)).is_ignore())
        .filter_map(|(rel, dir)| {
            let l = anchored(rel, *dir)?;
            let refused = judge.refuse(&l, &[(rel.clone(), *dir)], tracked, git);
            refused.is_none().then_some(l)
        })
        .collect()
}

/// A path as a `.gitignore` pattern that matches only it: glob characters and a trailing
/// space escaped.
fn escaped(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    if s.ends_with(' ') {
        s.pop();
        s.push_str("\\ ");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use ignore::gitignore::GitignoreBuilder;

    #[test]
    fn a_name_with_a_control_character_writes_no_line() {
        let rel = |s: &str| crate::relpath::RelPath::from_bytes(s.as_bytes());
        assert_eq!(line_for(&rel("venv_310")).as_deref(), Some("/venv_310/"));
        for hostile in ["a\n!important.env\nb", "a\rb", "x\u{1b}[8m"] {
            assert_eq!(line_for(&rel(hostile)), None, "{hostile:?}");
        }
        assert_eq!(
            line_for(&crate::relpath::RelPath::from_bytes(b"\xff")),
            None
        );
    }

    #[test]
    fn paths_are_patterns_of_themselves() {
        assert_eq!(escaped("venv_310"), "venv_310");
        assert_eq!(escaped("a[1]*?\\b "), "a\\[1\\]\\*\\?\\\\b\\ ");
        let mut b = GitignoreBuilder::new("/r");
        b.add_line(None, &format!("/{}/", escaped("x[1] ")))
            .unwrap();
        let g = b.build().unwrap();
        assert!(g.matched("x[1] ", true).is_ignore());
        assert!(!g.matched("x1 ", true).is_ignore());
    }
}
