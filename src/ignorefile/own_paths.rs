//! `.gitignore` lines for the directories the cleanup deletes that their rule's lines do not
//! cover: a rule that finds directories by what they hold (a venv by its `pyvenv.cfg`:
//! `venv_310/`, `env_bot/`) cannot name them all in a pattern, so the path itself is written
//! (`/venv_310/`), anchored at the root, and the directory stays out of git when it is made
//! again. Files are not (a deleted report or `.old` file is not made again at its path), nor
//! what rules without `.gitignore` lines select.

use ignore::gitignore::GitignoreBuilder;

use crate::plan::Plan;
use crate::rules::RuleSet;
use crate::scan::EntryKind;

/// `/path/` of each deleted directory whose rule has `.gitignore` lines that do not match it,
/// in plan order; paths git cannot be told as text are left out.
pub(super) fn uncovered(root: &std::path::Path, rules: &RuleSet, plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    let mut built: Vec<(&str, ignore::gitignore::Gitignore)> = Vec::new();
    for e in plan.deletions() {
        let Some(rule) = rules.by_id(&e.rule).filter(|r| !r.gitignore.is_empty()) else {
            continue;
        };
        let Some(rel) = e.rel() else { continue };
        let dir = e.kind == EntryKind::Dir;
        let Some(line) = line_for(&rel, dir).filter(|_| dir) else {
            continue;
        };
        let i = match built.iter().position(|(id, _)| *id == rule.id) {
            Some(i) => i,
            None => {
                let mut b = GitignoreBuilder::new(root);
                for l in &rule.gitignore {
                    let _ = b.add_line(None, l);
                }
                let Ok(g) = b.build() else { continue };
                built.push((&rule.id, g));
                built.len() - 1
            }
        };
        if built[i]
            .1
            .matched_path_or_any_parents(rel.as_path(), dir)
            .is_ignore()
        {
            continue;
        }
        out.push(line);
    }
    out
}

/// The line [`uncovered`] writes for the entry at `rel`: `None` for a path that is not text
/// or holds a control character (a newline in a name would write lines of its own choosing
/// into `.gitignore`; git cannot match such a name with a pattern anyway).
pub(super) fn line_for(rel: &crate::relpath::RelPath, dir: bool) -> Option<String> {
    let text = std::str::from_utf8(rel.as_bytes())
        .ok()
        .filter(|t| !t.chars().any(char::is_control))?;
    Some(format!("/{}{}", escaped(text), if dir { "/" } else { "" }))
}

/// The `.dockerignore` lines, relative to the context at `prefix` (from the root), for the
/// deleted directories inside it whose rule's `.dockerignore` lines do not exclude them under
/// both Docker walks, and that the file as it stands (`existing`) does not exclude either: a
/// rebuilt `venv_310/` is then not sent. Only plain names (letters, digits, `._-/`), which
/// mean themselves as Docker patterns.
pub(super) fn uncovered_in_context(
    rules: &RuleSet,
    plan: &Plan,
    prefix: &crate::relpath::RelPath,
    existing: &str,
) -> Vec<String> {
    use crate::docker::walk::Walk;
    use crate::docker::DockerIgnore;
    let excluded_by = |text: &str, p: &[u8]| {
        [Walk::Current, Walk::Legacy]
            .iter()
            .all(|&w| DockerIgnore::parse_for(text, "lines", w).is_ok_and(|ig| ig.excluded(p)))
    };
    let plain = |p: &[u8]| {
        p.iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/'))
    };
    let mut out: Vec<String> = Vec::new();
    for e in plan.deletions().filter(|e| e.kind == EntryKind::Dir) {
        let Some(rule) = rules.by_id(&e.rule).filter(|r| !r.dockerignore.is_empty()) else {
            continue;
        };
        let Some(rel) = e.rel() else { continue };
        let Some(Some(inside)) = crate::relpath::seen_from(prefix, &rel) else {
            continue;
        };
        if !plain(inside)
            || excluded_by(&rule.dockerignore.join("\n"), inside)
            || excluded_by(existing, inside)
        {
            continue;
        }
        let line = String::from_utf8_lossy(inside).into_owned();
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
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

    #[test]
    fn a_name_with_a_control_character_writes_no_line() {
        let rel = |s: &str| crate::relpath::RelPath::from_bytes(s.as_bytes());
        assert_eq!(
            line_for(&rel("venv_310"), true).as_deref(),
            Some("/venv_310/")
        );
        for hostile in ["a\n!important.env\nb", "a\rb", "x\u{1b}[8m"] {
            assert_eq!(line_for(&rel(hostile), true), None, "{hostile:?}");
        }
        assert_eq!(
            line_for(&crate::relpath::RelPath::from_bytes(b"\xff"), true),
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
