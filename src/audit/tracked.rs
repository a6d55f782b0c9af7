//! What git holds that it should not: committed dependency, cache and editor directories
//! (`tracked-junk`, one per rule: every committed `__pycache__` is one finding), and tracked
//! files `.gitignore` ignores (`tracked-ignored`, one per ignore line, at that line). One
//! finding per problem: files inside a committed junk directory are that directory's finding,
//! and a directory the line ignores is named once, not file by file (0Papitchu/GBPBot's
//! committed venvs and `node_modules` were 17,920 warnings; its logs, `.bak` files and
//! lockfiles 36 more, now six lines).

use std::collections::{BTreeMap, HashMap};

use super::{finding, Finding};
use crate::git::check_ignore::Decider;
use crate::git::{GitInfo, IgnoringLine, Kept};
use crate::plan::{Entry, GitState, Plan};
use crate::relpath::{parent_of, within, Holder, RelPath};
use crate::rules::Action;

use super::build_inputs::BuildInputs;
use super::ignored_lines::line_finding;
use super::placeholders::{is_lone_marker, is_placeholder};

pub(super) fn checks(plan: &Plan, git: &GitInfo, inputs: &BuildInputs, out: &mut Vec<Finding>) {
    // One finding per rule: 37 committed `__pycache__` directories are one problem.
    let tracked = |e: &&Entry| matches!(e.git, Some(GitState::Tracked | GitState::Mixed));
    // What the plan only reports is not called junk in git: a committed build output the
    // project may serve (netbox's static `dist/`), or one it runs (an action's bundle).
    let committed: Vec<&Entry> = (plan.entries.iter().filter(tracked))
        .filter(|e| e.phase == 7 && e.action == Action::Delete)
        .collect();
    for g in crate::plan::by_rule(committed.iter().copied()) {
        out.push(junk_finding(&g));
    }
    let mut junk: Vec<RelPath> = committed.iter().filter_map(|e| e.rel()).collect();
    // An editor folder is junk in git for the files in it that are one developer's own.
    let editors = (plan.entries.iter().filter(tracked))
        .filter(|e| e.action == Action::Review && e.rule == "editor-settings");
    for (e, dir) in editors.filter_map(|e| Some((e, e.rel()?))) {
        let personal = super::editor_files::personal(git, &dir);
        if !personal.is_empty() {
            out.push(super::editor_files::junk_finding(git, e, &personal));
            junk.extend(personal.iter().map(|p| RelPath::from_bytes(*p)));
        }
    }
    // Claude Code's `settings.local.json`: one developer's, like an editor folder's own files.
    let local = (plan.entries.iter().filter(tracked))
        .filter(|e| e.action == Action::Review && e.rule == "assistant-settings");
    for e in local {
        out.push(super::editor_files::local_settings_finding(git, e));
        junk.extend(e.rel());
    }
    // Which junk entry holds a file, by its directories (a hash lookup per level, not a scan of
    // every entry per file).
    let mut holder = Holder::new(junk.iter().map(|j| Some(j.as_bytes())));
    // A committed credential is its own problem; an ignore line that names it too late is
    // part of it, not one more.
    let secrets = super::committed::findings(git, &mut holder, out);
    // A log the cleanup deletes (a failed install's `npm-debug.log`) is the plan's problem.
    let gone: Vec<RelPath> = plan.deletions().filter_map(|e| e.rel()).collect();
    let mut gone = Holder::new(gone.iter().map(|d| Some(d.as_bytes())));
    let logs = super::tracked_logs::finding_of(git, [&mut holder, &mut gone], &secrets);
    out.extend(logs);
    let ignored: Vec<&[u8]> = git
        .tracked_ignored()
        .iter()
        .map(Vec::as_slice)
        .filter(|p| holder.of(p).is_none())
        .filter(|p| !is_placeholder(p) && !is_lone_marker(git, p))
        .filter(|p| !secrets.contains(p))
        .filter(|&p| git.in_work_tree(p))
        .collect();
    // What a Go program embeds is tracked on purpose (see `go_embed`).
    let mut directives = HashMap::new();
    let ignored: Vec<&[u8]> = (ignored.into_iter())
        .filter(|p| !super::go_embed::embedded(git, p, &mut directives))
        .collect();
    ignored_findings(git, &ignored, inputs, out);
}

/// The `tracked-ignored` findings of `ignored` (sorted tracked paths .gitignore ignores): one
/// per ignore line (saleor's `.*` ignores four tracked dotfiles: one line, one decision),
/// and one per path (or directory of them) where git named no line.
fn ignored_findings(
    git: &GitInfo,
    ignored: &[&[u8]],
    inputs: &BuildInputs,
    out: &mut Vec<Finding>,
) {
    let deciders = git.deciding_lines(ignored).unwrap_or_default();
    let mut by_line: BTreeMap<Option<&Decider>, Vec<&[u8]>> = BTreeMap::new();
    for (i, p) in ignored.iter().enumerate() {
        let d = deciders.get(i).and_then(Option::as_ref);
        by_line.entry(d).or_default().push(p);
    }
    let under = |d: &[u8]| git.tracked_under(&RelPath::from_bytes(d));
    let grouped: Vec<_> = by_line
        .into_iter()
        .map(|(d, files)| (d, groups(&files, under), files))
        .collect();
    let lines = (grouped.iter()).filter_map(|(d, items, _)| Some(((*d)?, items.as_slice())));
    let mut forced = force_added(git, lines).into_iter();
    // A directory stands for its files only where the line ignores the directory itself
    // (`cache/`): `yarn.lock` ignores `api/yarn.lock`, not `api/`, even when that is all `api/`
    // tracks, and `!/api` would re-include nothing.
    let dirs: Vec<&[u8]> = grouped
        .iter()
        .flat_map(|(_, items, _)| items.iter().filter(|i| i.1 > 0).map(|i| i.0))
        .collect();
    let asked = git.deciding_lines(&dirs).unwrap_or_default();
    let dir_lines: HashMap<&[u8], &Decider> = dirs
        .iter()
        .zip(asked.iter())
        .filter_map(|(&p, d)| Some((p, d.as_ref()?)))
        .collect();
    let dir_line = |p: &[u8]| dir_lines.get(p).copied();
    let mut lines: Vec<Ignored<'_>> = Vec::new();
    // Where a bare name ignores only the project's code, a fix of its own (see
    // `ignored_code`).
    let mut code_fixes: HashMap<(&str, usize), String> = HashMap::new();
    for (d, items, files) in grouped {
        let Some(d) = d else {
            out.extend(items.iter().map(|&(p, n)| path_finding(p, n)));
            continue;
        };
        let kept = forced.next().unwrap_or_default();
        let mut shown: Vec<(&[u8], usize)> = Vec::new();
        for (p, n) in items {
            if n == 0 || dir_line(p) == Some(d) {
                shown.push((p, n));
            } else {
                // Its files, contiguous in the sorted list.
                let from = files.partition_point(|f| *f < p);
                let inside = files[from..].iter().take_while(|f| f.starts_with(p));
                shown.extend(inside.filter(|f| within(f, p)).map(|&f| (f, 0)));
            }
        }
        // A directory's one file, added with the line: a placeholder (see `git::kept`).
        let lone = |f: &[u8]| git.tracked_under(&RelPath::from_bytes(parent_of(f))) == 1;
        shown.retain(|&(p, n)| {
            let with = |f: &&Vec<u8>| n <= 1 && within(f, p) && lone(f);
            !kept.with_line.iter().any(|f| with(&f))
        });
        if !shown.is_empty() && !on_purpose(d, &mut shown, &kept.since) {
            if let Some(fix) = super::ignored_code::line_fix(git, d, &files, &shown, inputs) {
                code_fixes.insert((d.source.as_str(), d.line), fix);
            }
            lines.push((d, shown));
        }
    }
    for block in blocks(lines) {
        out.push(match block.as_slice() {
            [(d, shown)] => {
                let mut x = line_finding(
                    git,
                    &d.source,
                    d.line,
                    &format!("`{}` ignores", d.pattern),
                    shown,
                );
                if let Some(fix) = code_fixes.remove(&(d.source.as_str(), d.line)) {
                    x.fix = fix;
                }
                x
            }
            _ => block_finding(git, &block),
        });
    }
}

/// For each of `lines` (an ignore line and its tracked entries), the files in its entries
/// that a commit added after the line was written (which took `git add -f`), and with it.
fn force_added<'a>(
    git: &GitInfo,
    lines: impl Iterator<Item = (&'a Decider, &'a [(&'a [u8], usize)])>,
) -> Vec<Kept> {
    let asked: Vec<IgnoringLine<'_>> = lines
        .map(|(d, items)| IgnoringLine {
            source: &d.source,
            line: d.line,
            paths: items.iter().map(|&(p, _)| p).collect(),
        })
        .collect();
    git.added_since_lines(&asked)
}

/// Whether line `d` ignores everything it ignores (`shown`) on purpose, taking out of `shown`
/// what it ignores on purpose: `forced` holds a file that was force-added since the line was
/// written. A line that names one path then ignores all of it on purpose (text-generation-
/// webui's `/css`, `/extensions`, `/user_data`: what users add there stays out of `git
/// status`, what the project ships is force-added); a pattern, each file that way added (its
/// `Colab-TextGen-GPU.ipynb` under `*.ipynb`, a `.env.example` under `.env.*`). A directory
/// a pattern ignores stays, although a file in it was force-added (dvai's `lib/` caught
/// `frontend/lib/utils.ts`, then added with `-f`): the next file there is ignored too.
fn on_purpose(d: &Decider, shown: &mut Vec<(&[u8], usize)>, forced: &[Vec<u8>]) -> bool {
    if forced.is_empty() {
        return false;
    }
    if names_one_path(&d.pattern) {
        return true;
    }
    shown.retain(|&(p, n)| n > 0 || !forced.iter().any(|a| a == p));
    shown.is_empty()
}

/// Whether an ignore pattern names one path (`/css`, `apps/web/data.json`): a slash before its
/// end ties it to its file's directory, and it has no wildcard.
fn names_one_path(pattern: &str) -> bool {
    let p = pattern.strip_suffix('/').unwrap_or(pattern);
    p.contains('/') && !p.contains(['*', '?', '[', '\\'])
}

/// Lines of one ignore file that each ignore tracked entries of the same directory are one
/// problem: Master-Haven's `.gitignore` lists six poster folders of `Haven-UI/data/posters/`
/// (lines 186 to 195), each ignoring its one committed file. Other lines stand alone.
fn blocks<'a>(lines: Vec<Ignored<'a>>) -> Vec<Vec<Ignored<'a>>> {
    let mut out: Vec<(BlockKey<'a>, Vec<Ignored<'a>>)> = Vec::new();
    for (d, shown) in lines {
        let parent = crate::relpath::parent_of(shown[0].0);
        // At the root, entries of different lines are different things.
        let shared = (!parent.is_empty()
            && shown
                .iter()
                .all(|(p, _)| crate::relpath::parent_of(p) == parent))
        .then_some((d.source.as_str(), parent));
        match out.iter_mut().find(|(k, _)| k.is_some() && *k == shared) {
            Some((_, block)) => block.push((d, shown)),
            None => out.push((shared, vec![(d, shown)])),
        }
    }
    out.into_iter().map(|(_, b)| b).collect()
}

/// An ignore line and the tracked entries it ignores.
type Ignored<'a> = (&'a Decider, Vec<(&'a [u8], usize)>);

/// The ignore file and folder a line's entries share, if they share one.
type BlockKey<'a> = Option<(&'a str, &'a [u8])>;

/// The one finding of a block of lines (see [`blocks`]), at its first line.
fn block_finding(git: &GitInfo, block: &[Ignored<'_>]) -> Finding {
    let patterns: Vec<String> = block
        .iter()
        .map(|(d, _)| format!("`{}`", d.pattern))
        .collect();
    let named = match patterns.len() {
        0..=3 => crate::docker::names::and_list(&patterns),
        n => format!("{} and {} more", patterns[..2].join(", "), n - 2),
    };
    let (first, last) = (block[0].0.line, block[block.len() - 1].0.line);
    let subject = format!(
        "{} lines ({named}, lines {first} to {last}) ignore",
        block.len()
    );
    let items: Vec<(&[u8], usize)> = block.iter().flat_map(|(_, s)| s.iter().copied()).collect();
    let mut x = line_finding(git, &block[0].0.source, last, &subject, &items);
    x.line = Some(first);
    x
}

/// Ignore first, then untrack: the line is written while the path is the rule's selection,
/// and once untracked it is ignored at once, before any `git add -A` can take it back.
pub(crate) fn untrack_fix(quoted: &[String]) -> String {
    format!(
        "`mami-clean ignore --write`, then `git rm -r --cached {}` (ignored first, it stays on disk and out of the next `git add`)",
        quoted.join(" ")
    )
}

/// A tracked file (or a directory whose tracked files are all ignored) that no line was
/// named for.
fn path_finding(path: &[u8], files: usize) -> Finding {
    let shown = RelPath::from_bytes(path).display();
    let arg = crate::shell::path_arg(&shown);
    if files == 0 {
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
            untrack_fix(&quoted),
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
                untrack_fix(&quoted),
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
