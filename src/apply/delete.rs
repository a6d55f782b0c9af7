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
//! And each file is checked against what can give it back before it is unlinked: a file
//! under a `backup` entry must be in the verified backup with the same inode and ctime; under a
//! `git` entry it must be tracked and unmodified. A file that appeared after the backup is
//! left in place, so nothing the user did not review is lost.

use std::collections::HashMap;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use rayon::prelude::*;
use rustix::fs::AtFlags;

use crate::classify::is_git_name;
use crate::fsx::{fstatx, list_dir_types, meta_at, open_dir_at, Meta};
use crate::git::GitInfo;
use crate::plan::Entry;
use crate::relpath::RelPath;
use crate::scan::EntryKind;
use rustix::fs::FileType;

/// What may be unlinked under an entry, per file.
pub enum Allow<'a> {
    /// Regenerable entries: everything below goes.
    Any,
    /// `git` entries: only files tracked and unmodified.
    Tracked(&'a GitInfo),
    /// `backup` entries: only files the verified backup holds, unchanged since.
    Backed(&'a HashMap<Vec<u8>, (u64, i128)>),
}

impl Allow<'_> {
    fn permits(&self, rel: &RelPath, m: &Meta) -> Result<(), &'static str> {
        match self {
            Allow::Any => Ok(()),
            Allow::Tracked(g) => {
                if g.is_tracked(rel) && !g.is_modified(rel) {
                    Ok(())
                } else {
                    Err("not tracked and clean in git (appeared after the plan?)")
                }
            }
            Allow::Backed(map) => match map.get(rel.as_bytes()) {
                Some(&(ino, ctime)) if ino == m.id.ino && ctime == m.id.ctime_ns => Ok(()),
                Some(_) => Err("changed since it was backed up"),
                None => Err("not in the backup (appeared after the plan?)"),
            },
        }
    }
}

/// One path left in place, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failure {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// Everything under the entry is gone.
    Deleted { files: u64, dirs: u64 },
    /// Nothing was touched: the entry changed or vanished since the plan, or its path is unsafe.
    Skipped { reason: String },
    /// Some of it is gone; what is left, and why.
    Partial {
        files: u64,
        dirs: u64,
        left: Vec<Failure>,
    },
}

fn err_text(e: &std::io::Error) -> String {
    use rustix::io::Errno;
    let is = |x: Errno| e.raw_os_error() == Some(x.raw_os_error());
    if is(Errno::ACCESS) {
        "permission denied (EACCES)".into()
    } else if is(Errno::PERM) {
        "operation not permitted (EPERM: immutable or append-only?)".into()
    } else if is(Errno::ROFS) {
        "read-only filesystem (EROFS)".into()
    } else if is(Errno::NOTEMPTY) {
        "directory not empty (something in it was kept)".into()
    } else if is(Errno::BUSY) {
        "busy (EBUSY: a mount point?)".into()
    } else {
        e.to_string()
    }
}

fn unlink_at(dir: BorrowedFd<'_>, name: &[u8], is_dir: bool) -> std::io::Result<()> {
    let flags = if is_dir {
        AtFlags::REMOVEDIR
    } else {
        AtFlags::empty()
    };
    rustix::fs::unlinkat(dir, std::ffi::OsStr::from_bytes(name), flags)
        .map_err(std::io::Error::from)
}

pub struct Deleter<'a> {
    root: &'a OwnedFd,
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
    pub fn delete(&self, e: &Entry, allow: &Allow) -> Outcome {
        self.delete_with(e, allow, true)
    }

    /// Finish the entry an interrupted apply was deleting: part of it may be gone, so its
    /// directory's mtime and counts no longer match the plan; it must still be the same
    /// directory (type, device, inode), and every file left is checked against `allow` as ever.
    pub fn delete_rest(&self, e: &Entry, allow: &Allow) -> Outcome {
        self.delete_with(e, allow, false)
    }

    fn delete_with(&self, e: &Entry, allow: &Allow, whole: bool) -> Outcome {
        let skip = |reason: String| Outcome::Skipped { reason };
        let Some(rel) = e.rel() else {
            return skip("the plan's path is not valid".into());
        };
        let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
        if rel.is_root()
            || comps
                .iter()
                .any(|c| c.is_empty() || *c == b"." || *c == b".." || is_git_name(c))
        {
            return skip("unsafe path (empty, `.`, `..` or `.git` component)".into());
        }
        let parent = match self.open_parent(&comps) {
            Ok(p) => p,
            Err(r) => return skip(r),
        };
        let pfd = parent.as_ref().map_or(self.root.as_fd(), |f| f.as_fd());
        let name = comps[comps.len() - 1];
        let m = match meta_at(pfd, name) {
            Ok(Some(m)) => m,
            Ok(None) => return skip("vanished since the plan".into()),
            Err(err) => return skip(format!("cannot stat: {}", err_text(&err))),
        };
        // A partly deleted directory has a new mtime (its own entries changed).
        let partly = !whole && m.kind() == EntryKind::Dir;
        if let Some(diff) = identity_diff(e, &m, !partly) {
            return skip(format!("changed since the plan: {diff}"));
        }
        if m.kind() != EntryKind::Dir {
            if let Err(r) = allow.permits(&rel, &m) {
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
        let count = match self.count(dfd.as_fd()) {
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
        let mut t = self.remove_tree(dfd, &rel, allow);
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
    fn count(&self, dir: BorrowedFd<'_>) -> Result<Count, String> {
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
                let mut sc = self.count(sub.as_fd())?;
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

    /// Remove everything below `dir` that `allow` permits; subdirectories in parallel.
    fn remove_tree(&self, dir: OwnedFd, rel: &RelPath, allow: &Allow) -> Tally {
        let mut t = Tally::default();
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
            if !matches!(allow, Allow::Any) {
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
                if let Err(r) = allow.permits(&crel, meta.as_ref().expect("set above")) {
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
                st.merge(self.remove_tree(fd, &crel, allow));
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

/// How the entry differs from the plan's record, if it does.
pub fn identity_diff(e: &Entry, m: &Meta, mtime: bool) -> Option<String> {
    let p = &e.identity;
    let kind = m.kind();
    if kind != e.kind {
        return Some(format!("was a {:?}, now a {:?}", e.kind, kind).to_lowercase());
    }
    if m.id.dev != p.dev || m.id.ino != p.ino {
        return Some("replaced by another file of the same name".into());
    }
    if kind != EntryKind::Dir && m.id.size != p.size {
        return Some(format!("size {} then, {} now", p.size, m.id.size));
    }
    if mtime && m.id.mtime_ns != p.mtime_ns {
        return Some("modified (mtime differs)".into());
    }
    None
}
