//! A build context's `.dockerignore`: which file (one per context and Dockerfile), and the
//! lines it should hold (those of the rules that matched in that context, less what a build
//! needs: COPY sources, what the user re-includes, the `.git` a build reads).

use std::path::{Path, PathBuf};

use super::{
    candidates, docker_env, docker_keep, docker_own, keep_git_for_readers, keep_reincluded,
    own_paths, read_ignore_file, render, wanted, Change, Dialect, DOCKER_BASELINE,
};
use crate::docker::compose::Build;
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::relpath::RelPath;
use crate::rules::RuleSet;
use crate::scan::ScanResult;

/// The change for the ignore file in force (or the one to create) of every build context
/// inside `root`.
pub(super) fn changes(
    root: &Path,
    rules: &RuleSet,
    plan: &Plan,
    scan: &ScanResult,
    builds: &[Build],
    git: Option<&crate::git::GitInfo>,
) -> Result<Vec<Change>> {
    // What services mount and this checkout's own data, asked once for every ignore file.
    let data = Data {
        in_use: crate::in_use::InUse::at(root, git, &|p| plan.selecting(p)),
        local: crate::plan::local_data(scan, rules, git),
    };
    files(root, builds)?
        .into_iter()
        .map(|(f, bs)| change(root, rules, plan, scan, git, &data, f, &bs))
        .collect()
}

/// Data folders and files no image should hold: those compose services mount, and what
/// [`crate::plan::local_data`] says this checkout wrote.
struct Data {
    in_use: crate::in_use::InUse,
    local: Vec<RelPath>,
}

/// Each ignore file in force and the builds that read it.
fn files<'b>(root: &Path, builds: &'b [Build]) -> Result<Vec<(PathBuf, Vec<&'b Build>)>> {
    let mut files: Vec<(PathBuf, Vec<&Build>)> = Vec::new();
    // A context that does not exist gets no ignore file (the audit reports it as missing).
    for b in builds
        .iter()
        .filter(|b| b.context.starts_with(root) && b.context.is_dir())
    {
        // Docker follows a context that is a link; mami-clean neither reads nor writes
        // through one, so it cannot say what that context needs.
        if b.context
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Error::Usage(format!(
                "{}: the build context of {} is a symlink; mami-clean writes only regular files, never through or over a link, and only inside the directory it was given",
                b.context.display(),
                b.name
            )));
        }
        let f = crate::docker::ignore_file_for(&b.context, &b.dockerfile)
            .unwrap_or_else(|| b.context.join(".dockerignore"));
        match files.iter_mut().find(|(p, _)| *p == f) {
            Some((_, v)) => v.push(b),
            None => files.push((f, vec![b])),
        }
    }
    Ok(files)
}

/// The change to the ignore file `f` that `bs` read.
#[allow(clippy::too_many_arguments)]
fn change(
    root: &Path,
    rules: &RuleSet,
    plan: &Plan,
    scan: &ScanResult,
    git: Option<&crate::git::GitInfo>,
    data: &Data,
    f: PathBuf,
    bs: &[&Build],
) -> Result<Change> {
    let before = read_ignore_file(&f)?;
    let exists = f.symlink_metadata().is_ok();
    // The file to write, before the block: the one there, or, for a new `.dockerignore` in a
    // context whose only ignore file has a name Docker never reads (Podman's
    // `.containerignore`, a `.dockerignore.txt`), that file's lines, so Docker leaves out
    // what the project meant to.
    let base = match exists {
        true => before.clone(),
        false => seed(&bs[0].context, &f),
    };
    let prefix = bs[0]
        .context
        .strip_prefix(root)
        .ok()
        .map(|p| RelPath::from_bytes(p.as_os_str().as_encoded_bytes()));
    // A context's file wants the lines of the rules that matched something in that
    // context (the root's: anywhere), or a build below the root would be given a file
    // that changes nothing it sends (awesome-compose: 29 new files saying `**/.env` in
    // contexts that hold none). Lines the block holds stay: it only grows.
    let mut docker = candidates(rules, plan, scan, Dialect::Docker, prefix.as_ref());
    // The baseline is the history a context holds: the root's `.git`, or a nested
    // worktree's. A subdirectory's context has none to send, and the line would only
    // make a file that changes nothing (nextcloud/docker: fifteen example contexts, each
    // given a new `.dockerignore` saying `.git`). One already in the block stays, as
    // every block line does.
    let holds_git = bs[0].context.join(".git").symlink_metadata().is_ok();
    for (l, matched) in &mut docker.lines {
        *matched &= holds_git || !DOCKER_BASELINE.contains(&l.as_str());
    }
    let mut lines = wanted(&docker, &base);
    // Path lines: deleted folders no rule's line excludes, folders services mount as data, and
    // this checkout's own data files.
    let mut paths = Vec::new();
    if let Some(prefix) = &prefix {
        paths.extend(own_paths::uncovered_in_context(rules, plan, prefix, &base));
        let mounted = data.in_use.untracked_data().map(|m| &m.source);
        paths.extend(path_lines(mounted.chain(&data.local), prefix));
        for l in &paths {
            if !lines.contains(l) {
                lines.push(l.clone());
            }
        }
    }
    let (lines, narrowed) = match &prefix {
        Some(p) => docker_own::keep_own(lines, &base, rules, plan, git, p),
        None => (lines, Vec::new()),
    };
    // Git's reader first: its reason names the Dockerfile's line (ragflow's `.git` mount).
    let (lines, git_read) = keep_git_for_readers(lines, bs, &base);
    let narrow = prefix.as_ref().map(|p| (rules, plan, p));
    let (lines, dropped) = docker_keep::keep_copy_sources_in(lines, bs, narrow);
    let (lines, reincluded) = keep_reincluded(lines, &base);
    let (lines, settings) = match &prefix {
        Some(p) => docker_env::keep_build_settings(lines, &base, git, root, p),
        None => (lines, Vec::new()),
    };
    // Once the other lines are final (each step above may narrow or drop one), a path line
    // another line excludes is dropped: `**/.gradio` needs no `.gradio/cached_examples` after it.
    let lines = own_paths::without_covered(lines, &paths, &base);
    let dropped = (git_read.into_iter())
        .chain(dropped)
        .chain(narrowed)
        .chain(reincluded)
        .chain(settings)
        .collect();
    let after = render(&base, &lines, Dialect::Docker);
    let shown = f.strip_prefix(root).unwrap_or(&f).display().to_string();
    Ok(Change {
        exists,
        path: f,
        shown,
        dialect: Dialect::Docker,
        before,
        after,
        dropped,
    })
}

/// A line for each of `paths` (from the root) that lies in the context at `prefix`, written
/// from the context's top as the one path meant: folders compose services mount as their data
/// (the audit's `mounted-data-in-context`) and this checkout's own data (an untracked SQLite
/// database, `local-data-in-context`). A name a line cannot spell exactly (glob characters,
/// spaces at an end, control characters) gets none.
fn path_lines<'p>(paths: impl Iterator<Item = &'p RelPath>, prefix: &RelPath) -> Vec<String> {
    let plain =
        |t: &&str| t.trim() == *t && !t.chars().any(|c| c.is_control() || "*?[]\\".contains(c));
    paths
        .filter_map(|p| match crate::relpath::seen_from(prefix, p) {
            Some(Some(inside)) => std::str::from_utf8(inside).ok().filter(plain),
            _ => None,
        })
        .map(|t| format!("/{t}"))
        .collect()
}

/// What a new `.dockerignore` `f` of `context` starts from: the lines of an ignore file there
/// that Docker does not read by its name (Podman's `.containerignore`, a `.dockerignore.txt`).
/// Not one holding a pattern Docker rejects: copied, it would fail every build.
fn seed(context: &Path, f: &Path) -> String {
    use crate::misnamed_ignore as m;
    let found = (*f == context.join(".dockerignore"))
        .then(|| m::find(context, m::DOCKER))
        .flatten()
        .filter(|m| crate::docker::DockerIgnore::parse(&m.text, m.name).is_ok());
    m::seed(found, "Docker")
}
