//! What git holds that it should not: committed dependency, cache and editor directories
//! (`tracked-junk`, one per rule: every committed `__pycache__` is one finding), and tracked
//! files `.gitignore` ignores
//! (`tracked-ignored`). One finding per problem: files inside a committed junk directory are
//! that directory's finding, and a directory whose tracked files are all ignored is one
//! finding, not one per file (0Papitchu/GBPBot's committed venvs and `node_modules` were
//! 17,920 warnings).

use std::collections::HashMap;

use super::{finding, Finding};
use crate::git::GitInfo;
use crate::plan::{Entry, GitState, Plan};
use crate::relpath::{parent_of, Holder, RelPath};
use crate::rules::Action;

pub(super) fn checks(plan: &Plan, git: &GitInfo, out: &mut Vec<Finding>) {
    let mut junk: Vec<RelPath> = Vec::new();
    // One finding per rule: 37 committed `__pycache__` directories are one problem.
    let mut by_rule: Vec<Vec<&Entry>> = Vec::new();
    for e in plan
        .entries
        .iter()
        .filter(|e| matches!(e.git, Some(GitState::Tracked | GitState::Mixed)))
        .filter(|e| e.phase == 7 || (e.action == Action::Review && e.rule == "editor-settings"))
    {
        match by_rule.iter_mut().find(|g| g[0].rule == e.rule) {
            Some(g) => g.push(e),
            None => by_rule.push(vec![e]),
        }
        junk.extend(e.rel());
    }
    for g in by_rule {
        out.push(junk_finding(&g));
    }
    // Which junk entry holds a file, by its directories (a hash lookup per level, not a scan of
    // every entry per file).
    let mut holder = Holder::new(junk.iter().map(|j| Some(j.as_bytes())));
    let ignored: Vec<&[u8]> = git
        .tracked_ignored()
        .iter()
        .map(Vec::as_slice)
        .filter(|p| holder.of(p).is_none())
        .collect();
    for (path, files) in groups(&ignored, |d| git.tracked_under(&RelPath::from_bytes(d))) {
        let r = RelPath::from_bytes(path);
        let shown = r.display();
        let arg = crate::shell::path_arg(&shown);
        out.push(if files == 0 {
            finding(
                "tracked-ignored",
                shown.clone(),
                format!("`{shown}` is tracked although .gitignore ignores it"),
                format!("`git rm --cached {arg}` (the file stays on disk)"),
            )
        } else {
            finding(
                "tracked-ignored",
                shown.clone(),
                format!("`{shown}/` holds {files} tracked files, all of which .gitignore ignores"),
                format!("`git rm -r --cached {arg}` (the files stay on disk)"),
            )
        });
    }
}

/// The `tracked-junk` finding of one rule's committed entries (`g`, in plan order), its fix one
/// command for all of them.
fn junk_finding(g: &[&Entry]) -> Finding {
    let quoted: Vec<String> = g
        .iter()
        .map(|e| crate::shell::path_arg(&e.path).into_owned())
        .collect();
    let (message, fix) = match g {
        [e] => (
            format!("`{}` ({}) is committed to git", e.path, e.reason),
            format!("`git rm -r --cached {}` and ignore it", quoted[0]),
        ),
        _ => {
            let some: Vec<String> = g.iter().take(3).map(|e| format!("`{}`", e.path)).collect();
            let more = match g.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            (
                format!(
                    "{} paths ({}) are committed to git: {}{more}",
                    g.len(),
                    g[0].reason,
                    some.join(", ")
                ),
                format!("`git rm -r --cached {}` and ignore them", quoted.join(" ")),
            )
        }
    };
    let mut x = finding("tracked-junk", g[0].path.clone(), message, fix);
    x.bytes = Some(g.iter().map(|e| e.bytes).sum());
    x
}

/// The ignored tracked files (`ignored`, sorted) as findings: each under the highest directory
/// (below the root) whose tracked files (`tracked_under`) are all ignored, as (directory, its
/// file count), else alone, as (file, 0); in path order.
fn groups<'a>(
    ignored: &[&'a [u8]],
    tracked_under: impl Fn(&[u8]) -> usize,
) -> Vec<(&'a [u8], usize)> {
    let mut below: HashMap<&[u8], usize> = HashMap::new();
    for p in ignored {
        let mut d = parent_of(p);
        while !d.is_empty() {
            *below.entry(d).or_default() += 1;
            d = parent_of(d);
        }
    }
    let mut out: Vec<(&[u8], usize)> = Vec::new();
    for p in ignored {
        // The highest ancestor all of whose tracked files are ignored.
        let mut top = None;
        let mut d = parent_of(p);
        while !d.is_empty() {
            if below[d] == tracked_under(d) {
                top = Some(d);
            }
            d = parent_of(d);
        }
        let group = top.map_or((*p, 0), |d| (d, below[d]));
        if out.last() != Some(&group) {
            out.push(group);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relpath::within;

    #[test]
    fn a_directory_of_ignored_files_is_one_group() {
        let tracked: &[&[u8]] = &[b"a/x/1", b"a/x/2", b"a/y", b"b.log", b"c/1", b"c/keep.py"];
        let ignored: &[&[u8]] = &[b"a/x/1", b"a/x/2", b"a/y", b"b.log", b"c/1"];
        let under = |d: &[u8]| tracked.iter().filter(|t| within(t, d)).count();
        assert_eq!(
            groups(ignored, under),
            [(&b"a"[..], 3), (&b"b.log"[..], 0), (&b"c/1"[..], 0)]
        );
    }
}
