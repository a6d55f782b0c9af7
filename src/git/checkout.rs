//! Tracked files put back from the index (`recover --undo`), so that a crash at any moment
//! leaves every file either absent or whole: each is written under a temporary name beside
//! its place, fsynced, then renamed into place with `RENAME_NOREPLACE` (never over a file that
//! exists: the user's work wins). A second run finds what the first wrote whole, writes what
//! is still missing, and clears the temporary files a crash left. Every file is then checked
//! against its blob before the caller may close its journal.

use std::io::Write;
use std::os::fd::BorrowedFd;
use std::os::unix::ffi::OsStrExt;

use rustix::fs::{AtFlags, Mode, OFlags, RenameFlags};

use super::GitInfo;
use crate::error::{Error, Result};
use crate::fsx::{list_dir, meta_at, DirChain};
use crate::relpath::RelPath;

/// Temporary names start so; a crash may leave them, the next run removes them.
const TMP_PREFIX: &[u8] = b".mami-undo.";

/// What [`GitInfo::recreate_missing`] did.
#[derive(Debug, Default)]
pub struct Recreated {
    /// Files written from their blobs.
    pub written: usize,
    /// Files written that do not read back as their blob.
    pub differ: Vec<String>,
}

/// A file to put back: its path, blob and mode.
type Item = (Vec<u8>, git2::Oid, u32);

impl GitInfo {
    /// Put back, from the index, the tracked files under `paths` that are missing from the
    /// work tree (never over a path that exists), then read every file written back against
    /// its blob.
    pub fn recreate_missing(&self, paths: &[RelPath]) -> Result<Recreated> {
        let items: Vec<Item> = {
            let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
            let index = repo.index()?;
            paths
                .iter()
                .flat_map(|p| self.tracked_paths_under(p))
                .filter_map(|t| {
                    let e = index.get_path(RelPath::from_bytes(t).as_path(), 0)?;
                    Some((t.to_vec(), e.id, e.mode))
                })
                .collect()
        };
        self.write_missing(items)
    }

    /// [`GitInfo::recreate_missing`] from the tree of `commit` instead of the index: the files
    /// at or under `paths` there (for undoing a run that committed its deletions).
    pub fn recreate_from_commit(&self, commit: &str, paths: &[RelPath]) -> Result<Recreated> {
        let items: Vec<Item> = {
            let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
            let tree = repo.find_commit(git2::Oid::from_str(commit)?)?.tree()?;
            let mut items = Vec::new();
            for p in paths {
                let Ok(entry) = tree.get_path(p.as_path()) else {
                    continue;
                };
                match entry.kind() {
                    Some(git2::ObjectType::Tree) => {
                        let sub = repo.find_tree(entry.id())?;
                        sub.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
                            if e.kind() == Some(git2::ObjectType::Blob) {
                                let rel = RelPath::from_bytes(p.as_bytes())
                                    .join(format!("{dir}{}", e.name().unwrap_or("")).as_bytes());
                                items.push((rel.as_bytes().to_vec(), e.id(), e.filemode() as u32));
                            }
                            git2::TreeWalkResult::Ok
                        })?;
                    }
                    _ => items.push((p.as_bytes().to_vec(), entry.id(), entry.filemode() as u32)),
                }
            }
            items
        };
        self.write_missing(items)
    }

    /// Write each item missing from the work tree from its blob (whole or not at all), then
    /// read every file written back against its blob.
    fn write_missing(&self, items: Vec<Item>) -> Result<Recreated> {
        let root = crate::fsx::open_dir(&self.workdir).map_err(|e| Error::io(&self.workdir, e))?;
        let mut chain = DirChain::new(root);
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = Recreated::default();
        let mut cleaned: std::collections::HashSet<Vec<u8>> = Default::default();
        let mut written = Vec::new();
        for (t, id, mode) in &items {
            if *mode == 0o160000 {
                continue; // a submodule: not a file to write
            }
            let rel = RelPath::from_bytes(t.as_slice());
            let comps: Vec<&[u8]> = t.split(|&b| b == b'/').collect();
            let (dirs, name) = comps.split_at(comps.len() - 1);
            let shown = || rel.under(&self.workdir);
            let dir = chain
                .open(dirs, true)
                .map_err(|e| Error::io(shown(), e))?
                .expect("created");
            let parent = rel.parent().unwrap_or_default();
            if cleaned.insert(parent.as_bytes().to_vec()) {
                clear_leftovers(dir).map_err(|e| Error::io(shown(), e))?;
            }
            if meta_at(dir, name[0])
                .map_err(|e| Error::io(shown(), e))?
                .is_some()
            {
                continue;
            }
            let blob = repo.find_blob(*id)?;
            write_new(dir, name[0], blob.content(), *mode, out.written)
                .map_err(|e| Error::io(shown(), e))?;
            out.written += 1;
            written.push((rel, *id, *mode));
        }
        rustix::fs::syncfs(chain.root()).map_err(|e| Error::io(&self.workdir, e.into()))?;
        for (rel, id, mode) in written {
            let p = rel.under(&self.workdir);
            let got = if mode & 0o170000 == 0o120000 {
                std::fs::read_link(&p).ok().and_then(|t| {
                    git2::Oid::hash_object(git2::ObjectType::Blob, t.as_os_str().as_bytes()).ok()
                })
            } else {
                git2::Oid::hash_file(git2::ObjectType::Blob, &p).ok()
            };
            if got != Some(id) {
                out.differ.push(rel.display());
            }
        }
        Ok(out)
    }
}

/// Remove the temporary files an interrupted run left in `dir`.
fn clear_leftovers(dir: BorrowedFd<'_>) -> std::io::Result<()> {
    for (name, is_dir) in list_dir(dir)? {
        if !is_dir && name.starts_with(TMP_PREFIX) {
            rustix::fs::unlinkat(dir, std::ffi::OsStr::from_bytes(&name), AtFlags::empty())?;
        }
    }
    Ok(())
}

/// `content` as `name` in `dir`: a regular file (mode from the index: 0644 or 0755) or a
/// symlink (mode 0120000, `content` its target), whole or not at all.
/// (`n`: how many were written before, for the crash tests' failpoint.)
fn write_new(
    dir: BorrowedFd<'_>,
    name: &[u8],
    content: &[u8],
    mode: u32,
    n: usize,
) -> std::io::Result<()> {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut tmp = TMP_PREFIX.to_vec();
    tmp.extend_from_slice(
        format!(
            "{}.{}",
            std::process::id(),
            SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        )
        .as_bytes(),
    );
    let tmp = std::ffi::OsStr::from_bytes(&tmp);
    let written = if mode & 0o170000 == 0o120000 {
        rustix::fs::symlinkat(std::ffi::OsStr::from_bytes(content), dir, tmp).map_err(Into::into)
    } else {
        let perm = if mode & 0o111 != 0 { 0o755 } else { 0o644 };
        rustix::fs::openat(
            dir,
            tmp,
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(perm),
        )
        .map_err(std::io::Error::from)
        .and_then(|fd| {
            let mut f = std::fs::File::from(fd);
            f.write_all(content)?;
            f.sync_all()?;
            crate::failpoint::failpoint("undo-before-rename", n);
            Ok(())
        })
    };
    written
        .and_then(|()| {
            rustix::fs::renameat_with(
                dir,
                tmp,
                dir,
                std::ffi::OsStr::from_bytes(name),
                RenameFlags::NOREPLACE,
            )
            .map_err(Into::into)
        })
        .inspect_err(|_| {
            let _ = rustix::fs::unlinkat(dir, tmp, AtFlags::empty());
        })
}
