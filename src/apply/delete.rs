//! Deleting one plan entry, safely.
//!
//! Every operation is relative to an open directory handle and one name (`openat` with
//! `O_NOFOLLOW|O_DIRECTORY`, `unlinkat`), so a directory swapped for a symlink mid-run leads
//! nowhere: the open fails instead of following it. Before anything goes, the entry is checked
//! against the identity the plan recorded (type, device, inode, size, mtime; for a directory
//! also its file and directory counts). While removing, nothing is crossed that the scan would
//! not have entered: mount points (by mount id, which catches same-filesystem bind mounts),
//! `.git` in any spelling, directories holding their own `.git`. Permissions are never changed
//! to force a delete: EACCES, EPERM and EROFS are reported and the rest goes on.
//!
//! And each file is checked against what can give it back at the moment it is unlinked
//! ([`Vouch`]): the verified backup, git (its content hashed now), or a built-in regenerable
//! rule for untracked files. A file nothing vouches for is left in place and reported, so
//! nothing the user did not review is lost.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rayon::prelude::*;

use super::unlink::{err_text, unlink_at};
pub use super::unlink::{identity_diff, Failure, Outcome};
use super::vouch::Vouch;
use crate::classify::is_git_name;
use crate::fsx::{fstatx, list_dir_types, meta_at, open_dir_at, Meta};
use crate::limits::MAX_DEPTH;
use crate::plan::Entry;
use crate::relpath::RelPath;
use crate::scan::EntryKind;
use rustix::fs::FileType;

pub struct Deleter<'a> {
    root: &'a OwnedFd,
    /// Removing recurses once per level: on threads with deep stacks, to [`MAX_DEPTH`].
    pool: rayon::ThreadPool,
    progress: crate::scan::Progress,
    root_mnt: Option<u64>,
    root_dev: u64,
}

#[derive(Default)]
struct Tally {
    files: u64,
    dirs: u64,
    left: Vec<Failure>,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        self.files += o.files;
        self.dirs += o.dirs;
        self.left.extend(o.left);
    }
    fn fail(&mut self, rel: &RelPath, reason: impl Into<String>) {
        self.left.push(Failure {
            path: rel.display(),
            reason: reason.into(),
        });
    }
}

/// Counts of a directory tree as the scan counted them, for the identity check.
#[derive(Default, Debug, PartialEq, Eq)]
struct Count {
    files: u64,
    dirs: u64,
}

impl<'a> Deleter<'a> {
    pub fn new(root: &'a OwnedFd, progress: crate::scan::Progress) -> std::io::Result<Self> {
        let m = Meta::from_statx(&fstatx(root.as_fd())?);
        Ok(Deleter {
            root,
            pool: crate::limits::deep_pool(0, "mami-delete")?,
            progress,
            root_mnt: m.mnt_id,
            root_dev: m.id.dev,
        })
    }

    fn same_mount(&self, m: &Meta) -> bool {
        m.id.dev == self.root_dev
            && !m.mount_root
            && (m.mnt_id.is_none() || m.mnt_id == self.root_mnt)
    }

    /// Open the parent directory of `rel`, one component at a time, refusing symlinks, mount
    /// points, `.git` and nested repositories on the way.
    fn open_parent(&self, comps: &[&[u8]]) -> Result<Option<OwnedFd>, String> {
        let mut cur: Option<OwnedFd> = None;
        for c in &comps[..comps.len() - 1] {
            let dir = cur.as_ref().map_or(self.root.as_fd(), |f| f.as_fd());
            let fd = open_dir_at(dir, c).map_err(|e| {
                format!(
                    "cannot open `{}`: {}",
                    String::from_utf8_lossy(c),
                    err_text(&e)
                )
            })?;
            let m = Meta::from_statx(&fstatx(fd.as_fd()).map_err(|e| e.to_string())?);
            if !self.same_mount(&m) {
                return Err(format!(
                    "`{}` is a mount point: never crossed",
                    String::from_utf8_lossy(c)
                ));
            }
            if meta_at(fd.as_fd(), b".git").ok().flatten().is_some() {
                return Err(format!(
                    "`{}` is a git repository of its own",
                    String::from_utf8_lossy(c)
                ));
            }
            cur = Some(fd);
        }
        Ok(cur)
    }

    /// Delete one entry of the plan, re-verifying it first.
    pub fn delete(&self, e: &Entry, vouch: &Vouch) -> Outcome {
        self.pool.install(|| self.delete_with(e, vouch, true))
    }

    /// Finish the entry an interrupted apply was deleting: part of it may be gone, so its
    /// directory's mtime and counts no longer match the plan; it must still be the same
    /// directory (type, device, inode), and every file left is checked against `vouch` as ever.
    pub fn delete_rest(&self, e: &Entry, vouch: &Vouch) -> Outcome {
        self.pool.install(|| self.delete_with(e, vouch, false))
    }

    /// Why entry `e` cannot be touched as the plan recorded it (an unsafe path, something
    /// in the way, vanished, changed), or the handle of its parent, its name and its `statx`.
    /// `whole`: the directory's mtime must match too (not for a partly deleted one).
    fn locate<'e>(
        &self,
        e: &Entry,
        comps: &[&'e [u8]],
        whole: bool,
    ) -> Result<(Option<OwnedFd>, &'e [u8], Meta), String> {
        if comps
            .iter()
            .any(|c| c.is_empty() || *c == b"." || *c == b".." || is_git_name(c))
        {
            return Err("unsafe path (empty, `.`, `..` or `.git` component)".into());
        }
        let parent = self.open_parent(comps)?;
        let pfd = parent.as_ref().map_or(self.root.as_fd(), |f| f.as_fd());
        let name = comps[comps.len() - 1];
        let m = match meta_at(pfd, name) {
            Ok(Some(m)) => m,
            Ok(None) => return Err("vanished since the plan".into()),
            Err(err) => return Err(format!("cannot stat: {}", err_text(&err))),
        };
        // A partly deleted directory has a new mtime (its own entries changed).
        let partly = !whole && m.kind() == EntryKind::Dir;
        if let Some(diff) = identity_diff(e, &m, !partly) {
            return Err(format!("changed since the plan: {diff}"));
        }
        Ok((parent, name, m))
    }

    /// Why `e` is no longer what the plan recorded, if it is not (nothing is touched).
    pub fn changed(&self, e: &Entry) -> Option<String> {
        let rel = e.rel().filter(|r| !r.is_root())?;
        let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
        self.locate(e, &comps, true).err()
    }

    fn delete_with(&self, e: &Entry, vouch: &Vouch, whole: bool) -> Outcome {
        let skip = |reason: String| Outcome::Skipped { reason };
        let Some(rel) = e.rel().filter(|r| !r.is_root()) else {
            return skip("the plan's path is not valid".into());
        };
        let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
        let (parent, name, m) = match self.locate(e, &comps, whole) {
            Ok(found) => found,
            Err(r) => return skip(r),
        };
        let pfd = parent.as_ref().map_or(self.root.as_fd(), |f| f.as_fd());
        if m.kind() != EntryKind::Dir {
            if let Err(r) = vouch.permits(pfd, name, &rel, &m) {
                return skip(r.into());
            }
            return match unlink_at(pfd, name, false) {
                Ok(()) => Outcome::Deleted { files: 1, dirs: 0 },
                Err(err) => skip(format!("cannot delete: {}", err_text(&err))),
            };
        }
        let dfd = match open_dir_at(pfd, name) {
            Ok(fd) => fd,
            Err(err) => return skip(format!("cannot open: {}", err_text(&err))),
        };
        match fstatx(dfd.as_fd()).map(|s| Meta::from_statx(&s)) {
            Ok(now)
                if now.id.ino == m.id.ino && now.id.dev == m.id.dev && self.same_mount(&now) => {}
            Ok(_) => return skip("replaced while being opened, or a mount point".into()),
            Err(err) => return skip(format!("cannot stat: {}", err_text(&err))),
        }
        // The directory's own counts must still be the plan's.
        let count = match self.count(dfd.as_fd(), comps.len()) {
            Ok(c) => Count {
                files: c.files,
                dirs: c.dirs + 1,
            },
            Err(r) => return skip(r),
        };
        if whole && (count.files != e.files || count.dirs != e.dirs) {
            return skip(format!(
                "contents changed since the plan: {} files, {} dirs then; {} files, {} dirs now",
                e.files, e.dirs, count.files, count.dirs
            ));
        }
        let clear = vouch.clears_all_below(&rel);
        let mut t = self.remove_tree(dfd, &rel, vouch, clear);
        match unlink_at(pfd, name, true) {
            Ok(()) => t.dirs += 1,
            Err(err) => t.fail(&rel, format!("directory kept: {}", err_text(&err))),
        }
        if t.left.is_empty() {
            Outcome::Deleted {
                files: t.files,
                dirs: t.dirs,
            }
        } else {
            t.left.sort_by(|a, b| a.path.cmp(&b.path));
            Outcome::Partial {
                files: t.files,
                dirs: t.dirs,
                left: t.left,
            }
        }
    }

    /// Count files and directories below `dir` (read-only), refusing trees that now hold a
    /// nested repository or a mount point. d_type tells files from directories, so only
    /// directories are stat'ed (for the mount check); subdirectories are counted in parallel.
    fn count(&self, dir: BorrowedFd<'_>, depth: usize) -> Result<Count, String> {
        if depth >= MAX_DEPTH {
            return Err(format!("deeper than {MAX_DEPTH} levels: left in place"));
        }
        let names = list_dir_types(dir).map_err(|e| format!("cannot list: {}", err_text(&e)))?;
        let mut c = Count::default();
        let mut subdirs = Vec::new();
        for (name, ft) in names {
            if is_git_name(&name) {
                return Err("now holds a `.git`: a repository of its own".into());
            }
            let is_dir = match ft {
                FileType::Directory => true,
                FileType::Unknown => meta_at(dir, &name)
                    .map_err(|e| e.to_string())?
                    .is_some_and(|m| m.kind() == EntryKind::Dir),
                _ => false,
            };
            if is_dir {
                subdirs.push(name);
            } else {
                c.files += 1;
            }
        }
        let subs: Vec<Result<Count, String>> = subdirs
            .into_par_iter()
            .map(|name| {
                let sub = open_dir_at(dir, &name)
                    .map_err(|e| format!("cannot open: {}", err_text(&e)))?;
                let m = Meta::from_statx(&fstatx(sub.as_fd()).map_err(|e| e.to_string())?);
                if !self.same_mount(&m) {
                    return Err("now holds a mount point".into());
                }
                let mut sc = self.count(sub.as_fd(), depth + 1)?;
                sc.dirs += 1;
                Ok(sc)
            })
            .collect();
        for s in subs {
            let s = s?;
            c.files += s.files;
            c.dirs += s.dirs;
        }
        Ok(c)
    }

    /// Remove everything below `dir` that `vouch` permits (`clear`: all of it, asked once for
    /// the whole subtree); subdirectories in parallel.
    fn remove_tree(&self, dir: OwnedFd, rel: &RelPath, vouch: &Vouch, clear: bool) -> Tally {
        let mut t = Tally::default();
        if rel.as_bytes().iter().filter(|&&b| b == b'/').count() >= MAX_DEPTH {
            t.fail(
                rel,
                format!("deeper than {MAX_DEPTH} levels: left in place"),
            );
            return t;
        }
        let names = match list_dir_types(dir.as_fd()) {
            Ok(n) => n,
            Err(e) => {
                t.fail(rel, format!("cannot list: {}", err_text(&e)));
                return t;
            }
        };
        let mut subdirs = Vec::new();
        for (name, ft) in names {
            if is_git_name(&name) {
                t.fail(&rel.join(&name), "a `.git`: never removed");
                continue;
            }
            // d_type says what it is; stat only when it does not, or when the check needs it.
            let mut meta = None;
            let is_dir = match ft {
                FileType::Directory => true,
                FileType::Unknown => match meta_at(dir.as_fd(), &name) {
                    Ok(Some(m)) => {
                        meta = Some(m);
                        m.kind() == EntryKind::Dir
                    }
                    Ok(None) => continue,
                    Err(e) => {
                        t.fail(&rel.join(&name), err_text(&e));
                        continue;
                    }
                },
                _ => false,
            };
            if is_dir {
                subdirs.push(name);
                continue;
            }
            if !clear {
                let crel = rel.join(&name);
                if meta.is_none() {
                    match meta_at(dir.as_fd(), &name) {
                        Ok(Some(m)) => meta = Some(m),
                        Ok(None) => continue,
                        Err(e) => {
                            t.fail(&crel, err_text(&e));
                            continue;
                        }
                    }
                }
                if let Err(r) =
                    vouch.permits(dir.as_fd(), &name, &crel, meta.as_ref().expect("set above"))
                {
                    t.fail(&crel, r);
                    continue;
                }
            }
            match unlink_at(dir.as_fd(), &name, false) {
                Ok(()) => {
                    t.files += 1;
                    self.progress.tick(1);
                    super::failpoint("delete-after-file", self.progress.entries() as usize);
                }
                Err(e) => t.fail(&rel.join(&name), err_text(&e)),
            }
        }
        let dfd = dir.as_fd();
        let subs: Vec<Tally> = subdirs
            .into_par_iter()
            .map(|name| {
                let crel = rel.join(&name);
                let mut st = Tally::default();
                let fd = match open_dir_at(dfd, &name) {
                    Ok(fd) => fd,
                    Err(e) => {
                        st.fail(&crel, format!("cannot open: {}", err_text(&e)));
                        return st;
                    }
                };
                match fstatx(fd.as_fd()).map(|s| Meta::from_statx(&s)) {
                    Ok(now) if self.same_mount(&now) => {}
                    Ok(_) => {
                        st.fail(&crel, "a mount point: never crossed");
                        return st;
                    }
                    Err(e) => {
                        st.fail(&crel, err_text(&e));
                        return st;
                    }
                }
                if meta_at(fd.as_fd(), b".git").ok().flatten().is_some() {
                    st.fail(&crel, "a git repository of its own: never removed");
                    return st;
                }
                st.merge(self.remove_tree(fd, &crel, vouch, clear));
                match unlink_at(dfd, &name, true) {
                    Ok(()) => st.dirs += 1,
                    Err(e) if st.left.is_empty() => st.fail(&crel, err_text(&e)),
                    Err(_) => {} // not empty because of what is already reported below it
                }
                st
            })
            .collect();
        for s in subs {
            t.merge(s);
        }
        t
    }
}
