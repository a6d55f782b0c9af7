//! Docker's walk of one context directory, as fsutil does it: names in order, a directory
//! entered unless the ignore file excludes it and no exception names something below it,
//! subdirectories side by side, each file sent with its size (and its inode when it has other
//! links, to count it once).

use std::os::fd::AsFd;

use super::super::ignore::{DirHits, DockerIgnore};
use super::SentFile;
use crate::error::{Error, Result};
use crate::fsx::{list_fresh_dir, meta_at, open_dir_at};
use crate::relpath::{Part, RelPath, Runs};
use crate::scan::EntryKind;
use rayon::prelude::*;

/// One sent file, with its inode when it has other links (counted once, after the walk).
pub(in crate::docker) type Sent = (SentFile, Option<(u64, u64)>);

pub(in crate::docker) fn sent(
    path: RelPath,
    kind: EntryKind,
    bytes: u64,
    link: Option<(u64, u64)>,
) -> Sent {
    (SentFile { path, kind, bytes }, link)
}

/// What Docker's walk does with an entry of the context (at `rel`, handed back).
pub(in crate::docker) enum Step {
    /// A directory it walks into: not excluded, or with an exception naming a path below.
    Enter(RelPath),
    Send(Sent),
    Pass,
}

pub(in crate::docker) fn step(
    ig: &DockerIgnore,
    hits: &DirHits,
    m: &crate::fsx::Meta,
    rel: RelPath,
) -> Step {
    let kind = m.kind();
    if kind == EntryKind::Dir {
        return dir_step(ig, hits, rel);
    }
    if ig.excluded_in(hits, rel.as_bytes()) {
        return Step::Pass;
    }
    let link = (m.id.nlink > 1).then_some((m.id.dev, m.id.ino));
    Step::Send(sent(rel, kind, m.id.size, link))
}

/// [`step`] for a directory: all the walk needs to know of it is its path.
fn dir_step(ig: &DockerIgnore, hits: &DirHits, rel: RelPath) -> Step {
    let d = rel.as_bytes();
    if ig.excluded_in(hits, d) && ig.skips_dir(d) {
        Step::Pass
    } else {
        Step::Enter(rel)
    }
}

/// Walk `fd` (the directory `rel` of the context, opened just before and not read yet): files
/// in order, subdirectories in parallel.
pub(in crate::docker) fn walk(
    ig: &DockerIgnore,
    fd: std::os::fd::BorrowedFd<'_>,
    rel: &RelPath,
) -> Result<Vec<Sent>> {
    let chunks = walk_chunks(ig, fd, rel)?;
    // Each file is moved once: appending each directory's result to its parent's moved the
    // files of a tree as deep as it is (and faulted in fresh pages each time).
    let mut out = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for c in chunks {
        out.extend(c);
    }
    Ok(out)
}

/// [`walk`]'s files as they come, in runs in order, for a caller that reads them through once
/// (a dependency tree shared by contexts): not moved into one vector first.
pub(in crate::docker) fn walk_chunks(
    ig: &DockerIgnore,
    fd: std::os::fd::BorrowedFd<'_>,
    rel: &RelPath,
) -> Result<Vec<Vec<Sent>>> {
    let mut chunks = Vec::new();
    walk_into(ig, fd, rel, &ig.dir_hits(rel.as_bytes()), &mut chunks)?;
    Ok(chunks)
}

/// [`walk`], in chunks in the plan's order: a directory's files (names come sorted) are cut
/// into runs at its subdirectories, whose chunks go between them.
fn walk_into(
    ig: &DockerIgnore,
    fd: std::os::fd::BorrowedFd<'_>,
    rel: &RelPath,
    hits: &DirHits,
    chunks: &mut Vec<Vec<Sent>>,
) -> Result<()> {
    let names = list_fresh_dir(fd).map_err(|e| Error::io(rel.as_path(), e))?;
    let mut runs = Runs::default();
    let mut dirs = Vec::new();
    for (name, is_dir) in names {
        let crel = rel.join(&name);
        // A directory by its d_type needs no statx: the walk enters it or not by its path.
        let step = if is_dir {
            dir_step(ig, hits, crel)
        } else {
            let Some(m) = meta_at(fd, &name).map_err(|e| Error::io(crel.as_path(), e))? else {
                continue;
            };
            step(ig, hits, &m, crel)
        };
        match step {
            Step::Enter(crel) => {
                dirs.push((name, crel));
                runs.cut();
            }
            Step::Send(f) => runs.push(f),
            Step::Pass => {}
        }
    }
    let subs: Vec<Result<Vec<Vec<Sent>>>> = dirs
        .into_par_iter()
        .map(|(name, crel)| {
            let sub = open_dir_at(fd, &name).map_err(|e| Error::io(crel.as_path(), e))?;
            let mut mine = Vec::new();
            let sub_hits = ig.dir_hits_below(hits, crel.as_bytes());
            walk_into(ig, sub.as_fd(), &crel, &sub_hits, &mut mine)?;
            Ok(mine)
        })
        .collect();
    for part in runs.between(subs) {
        match part {
            Part::Run(r) => chunks.push(r),
            Part::Sub(s) => chunks.extend(s?),
        }
    }
    Ok(())
}
