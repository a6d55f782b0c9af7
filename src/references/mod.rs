//! The reference guard (`when.unreferenced` in a rule): a name pattern does not make a path
//! junk when the rest of the project refers to it. A top-level `backup/` that `settings.py`
//! lists in `INSTALLED_APPS` is an app, and a `start.bat` the README tells Windows users to run
//! is a launcher in use: both are reported for review, with the referring line, never deleted.
//!
//! What counts is an instruction to run or import the path, in a tracked file that stays:
//! - in code and build files (Python, shell, JavaScript, Go, Rust, Java, C#, C/C++ and the
//!   rest of `file_kinds::CODE_EXTENSIONS`, Makefiles, CI workflows, package.json,
//!   Dockerfiles, compose files, TOML/INI/CFG/conf settings): any mention of its name;
//! - in README and docs (Markdown, reStructuredText, text files): a mention in a command
//!   (inline code, a code block, a quoted name, right after "run" or "double-click") or a
//!   link target;
//! - a Windows launcher beside one the project refers to (it ships its launchers as a set),
//!   or in a directory a script uses whole;
//! - a Windows launcher in a repository with no Dockerfile or compose file: nothing replaces
//!   it;
//! - a directory that is one of the repository's compose stacks ([`crate::stacks`]).
//!
//! What does not: file listings and generated inventories (`repo_tree.txt`,
//! `*_inventory.json`, lines that are `git status` output or tree drawings), lists of names a
//! program skips (`skip_dirs = ['node_modules', 'backup']`), files the cleanup deletes
//! anyway, prose ("the old backup folder"), a line that only writes the file (`open(p, 'w')`,
//! `> out.txt`), a path from the filesystem's top (`/backups/db.sql.gz`), and another
//! project's files (a folder with a licence of its own) naming paths outside it.
//!
//! One pass: every candidate's names go into one Aho-Corasick automaton, run once over each
//! referring file.

use std::collections::HashMap;

use serde::Serialize;

use crate::git::GitInfo;
use crate::relpath::RelPath;

mod candidate;
mod clause;
mod edited;
mod file_kinds;
mod launchers;
mod lines;
mod only_project;
mod originals;
mod referrers;
mod search;
mod skip_list;
mod urls;
mod vendored;
pub use candidate::{candidates, Candidate};
pub use edited::{add_edits, edited};
use file_kinds::{referrer, Referrer};
use launchers::{docker_launchers, numbered_launchers, sibling_launchers, undockered_launchers};

/// Whether the tracked file `path` is a document (README, Markdown, text), whose mentions
/// count only as commands and links.
pub fn is_document(path: &[u8]) -> bool {
    referrer(path) == Some(Referrer::Docs)
}

/// Where a path is referred to.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Reference {
    /// The referring file, relative to the root.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// The line, trimmed (and cut at 120 characters).
    pub excerpt: String,
    /// What kind of reference: a mention (the default), or none of the text's own.
    #[serde(default, skip_serializing_if = "RefKind::is_mention")]
    pub kind: RefKind,
}

/// How the project refers to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefKind {
    /// The line names it: an instruction to run, import or link it.
    #[default]
    Mention,
    /// pytest collects it as a test module ([`crate::pytest_collect`]); the line is the
    /// config's `python_files`, or the file's first test under the default.
    Collected,
    /// It is the Windows script of a set with one per system ([`crate::os_variants`]); the
    /// file is its counterpart for the others.
    Counterpart,
    /// A GitHub Action's metadata runs it ([`crate::gh_action`]); the line is its `runs` key.
    Runs,
    /// It is the committed `node_modules` a JavaScript action's code loads its packages from
    /// ([`crate::gh_action`]); the line is the action's `runs` key.
    ActionModules,
    /// It is a Windows launcher beside one the project refers to; the file is that one.
    Sibling,
    /// A script names the directory that holds it, as a whole (`cp ${USER_SCRIPTS}/* dist`).
    Holder,
    /// It is one of the repository's compose stacks ([`crate::stacks`]); the file is its
    /// compose file.
    Stack,
    /// It is one of a numbered set of Windows launchers in its directory (`1.安装.bat`,
    /// `2-1.更新.bat`, …): the steps a user follows; the file is the directory.
    Steps,
    /// It is a Windows launcher no Docker setup in its folder or above replaces; the file is
    /// the root.
    NoDocker,
    /// jest or vitest runs it as a test ([`crate::js_tests`]); the file is their config.
    TestRunner,
    /// A commit changed a file in it after it got its name ([`edited`]); the file is that
    /// file, the excerpt the commit.
    Edited,
    /// It lies inside a folder with a licence of its own ([`vendored`]); the file is that
    /// licence, the excerpt the folder.
    Vendored,
    /// It is a folder holding the only project the repository tracks ([`only_project`]); the
    /// file is its manifest, the excerpt the folder.
    OnlyProject,
    /// A compose service bind-mounts it, a folder holding it or one inside it
    /// ([`crate::in_use`]); the line is the mount.
    Mounted,
    /// It is a pid file whose process is running ([`crate::in_use`]); the file is itself, the
    /// excerpt the pid.
    Running,
    /// It is a copy of a file that is missing, and the line names that file ([`originals`]).
    Original,
    /// It is a Windows launcher that runs a container or builds an image itself (`docker
    /// run`, `docker build`); the line is the first that does.
    RunsDocker,
}

impl RefKind {
    fn is_mention(&self) -> bool {
        *self == RefKind::Mention
    }
}

/// For each candidate, the first instruction that refers to it, from git's tracked files under
/// `root` (none outside git), leaving out the files `deleted` says the cleanup takes.
///
/// A file the cleanup takes refers to nothing, until something keeps it: a candidate kept for
/// review stays, and so does what it refers to (Mail-Agent's `backend/DEPLOYMENT_SUMMARY.md`,
/// kept as part of a folder with a licence of its own, names the root's
/// `RAG_IMPROVEMENTS_SUMMARY.md`). So the files held out are searched too, in rounds, once a
/// candidate holding them is kept, until no round keeps another: two reports that name only
/// each other both go.
pub fn find(
    root: &std::path::Path,
    git: Option<&GitInfo>,
    cands: &[Candidate],
    deleted: &dyn Fn(&RelPath) -> bool,
) -> HashMap<RelPath, Reference> {
    let mut out = find_direct(root, git, cands, deleted);
    originals::add(root, git, cands, deleted, &mut out);
    out
}

/// [`find`] without asking after the missing originals of copies.
fn find_direct(
    root: &std::path::Path,
    git: Option<&GitInfo>,
    cands: &[Candidate],
    deleted: &dyn Fn(&RelPath) -> bool,
) -> HashMap<RelPath, Reference> {
    let mut out = HashMap::new();
    let Some(g) = git.filter(|_| !cands.is_empty()) else {
        return out;
    };
    let mut homes = vendored::Licensed::new(g);
    // Files the cleanup takes (58,233 of the 64,438 in `bench/gen-shapes.py backup-copy`) are read
    // only once something they hold is kept: what kind of file each is and which project it
    // belongs to is asked then, not for every tracked file up front.
    let (mut held, live): (Vec<&[u8]>, Vec<&[u8]>) = g
        .tracked_files()
        .partition(|&p| deleted(&RelPath::from_bytes(p)));
    let mut files = referring(live, &mut homes);
    let text: u64 = (files.iter())
        .filter_map(|(rel, ..)| g.index_size(rel))
        .sum();
    let Some(search) = search::Search::new(cands, text) else {
        return out;
    };
    loop {
        search.run(root, &files, cands, &mut out);
        guards(root, g, cands, &mut out);
        let marked = kept(&held, &out);
        let (now_kept, still_held): (Vec<_>, Vec<_>) =
            held.into_iter().zip(marked).partition(|&(_, k)| k);
        held = still_held.into_iter().map(|(p, _)| p).collect();
        if now_kept.is_empty() {
            return out;
        }
        files = referring(now_kept.into_iter().map(|(p, _)| p), &mut homes);
    }
}

/// Of tracked `paths`, the files that may refer to candidates, each with its kind and the
/// project whose paths it names.
fn referring<'p>(
    paths: impl IntoIterator<Item = &'p [u8]>,
    homes: &mut vendored::Licensed,
) -> Vec<search::Referring> {
    (paths.into_iter())
        .filter_map(|p| {
            let kind = referrer(p)?;
            let rel = RelPath::from_bytes(p);
            let home = homes.home_of(&rel);
            Some((rel, kind, home))
        })
        .collect()
}

/// [`find`] for one candidate without a scan, as the plan judges it: the referring files that
/// `deleted` takes and whose rule carries this guard (`guarded`) are candidates too, so one the
/// plan keeps for review (a test script pytest collects) refers to what it names there as it
/// does in the plan, instead of being taken as deleted.
pub fn find_one(
    root: &std::path::Path,
    git: Option<&GitInfo>,
    cand: Candidate<'_>,
    deleted: &dyn Fn(&RelPath) -> bool,
    guarded: &dyn Fn(&RelPath) -> bool,
) -> Option<Reference> {
    let held: Vec<RelPath> = (git?.tracked_files())
        .filter(|p| referrer(p).is_some())
        .map(RelPath::from_bytes)
        .filter(|r| !r.starts_with(cand.path) && deleted(r) && guarded(r))
        .collect();
    let mut cands = vec![cand.clone()];
    cands.extend(held.iter().map(|path| Candidate {
        path,
        is_dir: false,
        within: None,
    }));
    find(root, git, &cands, deleted).remove(cand.path)
}

/// Which of `held` (in index order) are candidates something refers to (kept for review), or
/// lie below one: each candidate's run of the sorted paths is marked, instead of each held
/// file (67,867 below a committed backup copy) looking up its path and every folder above it.
fn kept(held: &[&[u8]], out: &HashMap<RelPath, Reference>) -> Vec<bool> {
    let mut marked = vec![false; held.len()];
    for k in out.keys().map(RelPath::as_bytes).filter(|k| !k.is_empty()) {
        let (exact, below) = crate::relpath::sorted_under(held, |p| p, k);
        marked[below].fill(true);
        if let Some(i) = exact {
            marked[i] = true;
        }
    }
    marked
}

/// What refers to a candidate other than a line naming it: a compose file making a directory
/// one of the stacks, pytest collecting a module, the same script for other systems, a
/// launcher's siblings, a folder with a licence of its own, the only project tracked.
fn guards(
    root: &std::path::Path,
    g: &GitInfo,
    cands: &[Candidate],
    out: &mut HashMap<RelPath, Reference>,
) {
    // A directory that is one of the repository's compose stacks is referred to by its
    // compose file; a Python file pytest runs with the suite by the suite; a Windows script by
    // the same script for the other systems.
    let mut pytest = None;
    // Asked once per directory: the children of a split selection share theirs.
    let mut stacks: HashMap<&RelPath, Option<Reference>> = HashMap::new();
    for c in cands {
        // Being one of the stacks says more than a line that happens to name the directory.
        if let (dir, true) = c.named() {
            let stack = stacks
                .entry(dir)
                .or_insert_with(|| crate::stacks::stack_member(g, dir));
            if let Some(r) = stack {
                out.insert(c.path.clone(), r.clone());
                continue;
            }
        }
        if out.contains_key(c.path) || c.is_dir {
            continue;
        }
        let r = if c.path.file_name().ends_with(b".py") {
            let p = pytest.get_or_insert_with(|| crate::pytest_collect::Collection::at(root));
            p.collects(root, c.path)
        } else {
            crate::os_variants::counterpart(g, c.path)
                .or_else(|| crate::js_tests::runner_above(root, c.path))
        };
        if let Some(r) = r {
            out.insert(c.path.clone(), r);
        }
    }
    sibling_launchers(cands, out);
    numbered_launchers(cands, out);
    undockered_launchers(g, cands, out);
    docker_launchers(root, cands, out);
    vendored::inside_projects(g, cands, out);
    only_project::only_projects(g, cands, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A held file is kept when it is a candidate something refers to or lies below one; a
    /// name that only starts the same (`app-old` beside `app`) is not below it.
    #[test]
    fn held_files_below_a_referred_candidate_are_kept() {
        let held: Vec<&[u8]> = ["app", "app-old/x.md", "app/a.md", "app/sub/b.md", "b.md"]
            .iter()
            .map(|p| p.as_bytes())
            .collect();
        let r = Reference {
            file: "compose.yaml".into(),
            line: 1,
            excerpt: String::new(),
            kind: RefKind::Mention,
        };
        let out: HashMap<RelPath, Reference> = [("app", &r), ("b.md", &r)]
            .into_iter()
            .map(|(p, r)| (RelPath::from_bytes(p.as_bytes()), r.clone()))
            .collect();
        assert_eq!(kept(&held, &out), [true, false, true, true, true]);
    }
}
