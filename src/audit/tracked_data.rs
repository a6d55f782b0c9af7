//! A folder of live data a keep rule keeps out of git, committed all the same (`tracked-data`):
//! the storage a vector database's quickstart mounts from the project folder (`qdrant_storage/`
//! with its `raft_state.json` is committed in 1,287+ public repositories, Milvus' `volumes/etcd`
//! in 290+), the data users flagged in a Gradio app (2,208+). The server rewrites it as it
//! runs, so each run changes tracked files, and every clone carries what it stored; `ignore
//! --write` cannot give `.gitignore` the rule's line while git tracks the folder (it would hide
//! tracked files) and said only that. One finding per folder, whose fix untracks it first.
//!
//! Folders only: the keep rules for logs and `.env` files have findings of their own
//! (`tracked-log`, `secret-committed`). None where `.gitignore` already ignores some of it
//! (`tracked-ignored` says so) or a Dockerfile copies it (seed data baked into an image: a
//! fresh clone must have it).

use std::collections::HashSet;
use std::path::Path;

use super::build_inputs::BuildInputs;
use super::{finding, Finding};
use crate::git::GitInfo;
use crate::relpath::{within, RelPath};
use crate::rules::{Action, RuleSet};

/// A committed folder a keep rule with `.gitignore` lines holds: its path, the rule, and its
/// tracked files and bytes.
struct Held<'g> {
    dir: &'g [u8],
    rule: usize,
    files: usize,
    bytes: u64,
}

pub(super) fn findings(
    root: &Path,
    rules: &RuleSet,
    git: &GitInfo,
    inputs: &BuildInputs,
    out: &mut Vec<Finding>,
) {
    let ignored: HashSet<&[u8]> = git.tracked_ignored().iter().map(Vec::as_slice).collect();
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let mut held: Vec<(Held, bool)> = Vec::new();
    // Tracked files come in index order: those below a folder are one run.
    for p in git.tracked_files() {
        if let Some((h, any_ignored)) = held.last_mut().filter(|(h, _)| within(p, h.dir)) {
            h.files += 1;
            h.bytes += size_of(root, p);
            *any_ignored |= ignored.contains(p);
            continue;
        }
        let dirs = (p.iter().enumerate())
            .filter(|(_, &b)| b == b'/')
            .map(|(i, _)| &p[..i]);
        for dir in dirs {
            if !seen.insert(dir) {
                continue;
            }
            if let Some(rule) = keeping(root, rules, git, dir) {
                let h = Held {
                    dir,
                    rule,
                    files: 1,
                    bytes: size_of(root, p),
                };
                held.push((h, ignored.contains(p)));
                break;
            }
        }
    }
    let reported = held
        .into_iter()
        .filter(|(h, any_ignored)| !any_ignored && inputs.copying(h.dir).is_none());
    out.extend(reported.map(|(h, _)| finding_for(rules, &h)));
}

/// The keep rule with `.gitignore` lines that holds the directory `dir`, its guards passing.
fn keeping(root: &Path, rules: &RuleSet, git: &GitInfo, dir: &[u8]) -> Option<usize> {
    let rel = RelPath::from_bytes(dir);
    let mut hits = Vec::new();
    rules.matching(&rel, true, &mut hits);
    hits.into_iter().find(|&ri| {
        let r = &rules.rules[ri];
        r.action == Action::Keep
            && !r.gitignore.is_empty()
            && !crate::classify::is_env_name(rel.file_name())
            && (crate::classify::guard_failures(
                r,
                rel.file_name(),
                true,
                &crate::explain::facts(root, &rel, Some(git)),
            ))
            .is_empty()
    })
}

fn size_of(root: &Path, p: &[u8]) -> u64 {
    let m = RelPath::from_bytes(p).under(root).symlink_metadata();
    m.map_or(0, |m| m.len())
}

fn finding_for(rules: &RuleSet, h: &Held) -> Finding {
    let shown = RelPath::from_bytes(h.dir).display();
    let arg = crate::shell::path_arg(&shown);
    let r = &rules.rules[h.rule];
    let mut x = finding(
        "tracked-data",
        format!("{shown}/"),
        format!(
            "`{shown}/` ({}, {}) is committed to git: {}; it changes as the app or server runs, and every clone carries what it holds",
            crate::size::plural(h.files as u64, "file", "files"),
            crate::size::human(h.bytes),
            r.reason
        ),
        format!("`git rm -r --cached {arg}` (it stays on disk), then `mami-clean ignore --write`, which keeps it out of git from there on"),
    );
    x.bytes = Some(h.bytes);
    x
}
