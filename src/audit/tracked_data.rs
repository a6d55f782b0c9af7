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
use crate::rules::{Action, Rule, RuleSet};

pub(super) fn findings(
    root: &Path,
    rules: &RuleSet,
    git: &GitInfo,
    inputs: &BuildInputs,
    out: &mut Vec<Finding>,
) {
    // Each tracked folder is asked once, from the top; below one that is held, nothing more.
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let mut held: Vec<(RelPath, usize)> = Vec::new();
    for p in git.tracked_files() {
        if held.last().is_some_and(|(h, _)| within(p, h.as_bytes())) {
            continue;
        }
        let dirs = (p.iter().enumerate())
            .filter(|(_, &b)| b == b'/')
            .map(|(i, _)| &p[..i]);
        let found = dirs
            .filter(|d| seen.insert(d))
            .find_map(|d| Some((d, keeping(root, rules, git, d)?)));
        if let Some((dir, rule)) = found {
            held.push((RelPath::from_bytes(dir), rule));
        }
    }
    let ignored: HashSet<&[u8]> = git.tracked_ignored().iter().map(Vec::as_slice).collect();
    for (dir, rule) in held {
        let files: Vec<&[u8]> = (git.tracked_paths_under(&dir))
            .filter(|f| !git.is_gitlink(&RelPath::from_bytes(*f)))
            .collect();
        if files.iter().any(|f| ignored.contains(f)) || inputs.copying(dir.as_bytes()).is_some() {
            continue;
        }
        out.push(finding_for(root, &rules.rules[rule], &dir, &files));
    }
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

/// The `tracked-data` finding of the folder `dir`, held by rule `r`, with its tracked `files`.
fn finding_for(root: &Path, r: &Rule, dir: &RelPath, files: &[&[u8]]) -> Finding {
    let bytes: u64 = (files.iter())
        .filter_map(|f| RelPath::from_bytes(*f).under(root).symlink_metadata().ok())
        .map(|m| m.len())
        .sum();
    let shown = dir.display();
    let arg = crate::shell::path_arg(&shown);
    let mut x = finding(
        "tracked-data",
        format!("{shown}/"),
        format!(
            "`{shown}/` ({}, {}) is committed to git: {}; it changes as the app or server runs, and every clone carries what it holds",
            crate::size::plural(files.len() as u64, "file", "files"),
            crate::size::human(bytes),
            r.reason
        ),
        format!("`git rm -r --cached {arg}` (it stays on disk), then `mami-clean ignore --write`, which keeps it out of git from there on"),
    );
    x.bytes = Some(bytes);
    x
}
