//! Proof that git can give a file back: its content, read now, hashes to the blob the index
//! records for it, that blob is in the object store, and the status read at the start saw no
//! change (so HEAD holds the same blob). `git status` alone can be fooled (assume-unchanged,
//! skip-worktree, an edit within the same second as the index's stat), so the proof reads the
//! content itself.
//!
//! [`GitInfo::proves`] is asked before the backup is made (which entries git can give back);
//! [`GitInfo::proves_at`] is asked again for every tracked file at the moment it is unlinked,
//! through the handle of its directory, so an edit made while `apply` ran is never lost.

use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use rustix::fs::{Mode, OFlags};

use super::GitInfo;
use crate::entry::EntryKind;
use crate::fsx::{fstatx, Meta};
use crate::relpath::RelPath;

impl GitInfo {
    /// The blob the index records for `rel`, if it is tracked.
    pub(super) fn index_blob(&self, rel: &[u8]) -> Option<git2::Oid> {
        Some(self.oids[self.index_of(rel)?])
    }

    fn has_blob(&self, oid: git2::Oid) -> bool {
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        repo.odb().is_ok_and(|odb| odb.exists(oid))
    }

    /// Whether git can give `rel` back as it is in the work tree now (see the module docs).
    pub fn proves(&self, rel: &[u8]) -> bool {
        !self.is_modified(&RelPath::from_bytes(rel)) && self.holds(rel)
    }

    /// Whether the content at `rel` now is its index blob, present in the object store (the
    /// status aside: for files just written from that blob).
    pub fn holds(&self, rel: &[u8]) -> bool {
        let path = RelPath::from_bytes(rel);
        let (Some(parent), name) = (path.parent(), path.file_name()) else {
            return false;
        };
        let Ok(dir) = crate::fsx::open_dir(&parent.under(&self.workdir)) else {
            return false;
        };
        match crate::fsx::meta_at(dir.as_fd(), name) {
            Ok(Some(m)) => self.holds_at(dir.as_fd(), name, &path, &m),
            _ => false,
        }
    }

    /// [`GitInfo::proves`] for the entry `name` of the open directory `dir`, whose `statx` is
    /// `m` (as the deleter saw it just before): hashed through a handle opened without
    /// following links, and the handle must still be that inode, unchanged while it was read.
    pub fn proves_at(&self, dir: BorrowedFd<'_>, name: &[u8], rel: &RelPath, m: &Meta) -> bool {
        !self.is_modified(rel) && self.holds_at(dir, name, rel, m)
    }

    fn holds_at(&self, dir: BorrowedFd<'_>, name: &[u8], rel: &RelPath, m: &Meta) -> bool {
        let Some(want) = self.index_blob(rel.as_bytes()) else {
            return false;
        };
        let got = match m.kind() {
            EntryKind::File => file_blob(dir, name, m),
            EntryKind::Symlink => {
                rustix::fs::readlinkat(dir, std::ffi::OsStr::from_bytes(name), Vec::new())
                    .ok()
                    .and_then(|t| git2::Oid::hash_object(git2::ObjectType::Blob, t.as_bytes()).ok())
            }
            _ => None,
        };
        got == Some(want) && self.has_blob(want)
    }
}

/// The git blob id of a regular file's content, read through a handle that must be the inode
/// `m` describes, and unchanged (size, mtime, ctime) after the read; `None` otherwise.
fn file_blob(dir: BorrowedFd<'_>, name: &[u8], m: &Meta) -> Option<git2::Oid> {
    let fd = rustix::fs::openat(
        dir,
        std::ffi::OsStr::from_bytes(name),
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let same = |now: &Meta| {
        now.id.ino == m.id.ino
            && now.id.dev == m.id.dev
            && now.id.size == m.id.size
            && now.id.mtime_ns == m.id.mtime_ns
            && now.id.ctime_ns == m.id.ctime_ns
    };
    if !same(&Meta::from_statx(&fstatx(fd.as_fd()).ok()?)) {
        return None;
    }
    let mut h = gix_hash::hasher(gix_hash::Kind::Sha1);
    h.update(format!("blob {}\0", m.id.size).as_bytes());
    let mut f = std::fs::File::from(fd);
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).ok()?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    if n != m.id.size || !same(&Meta::from_statx(&fstatx(f.as_fd()).ok()?)) {
        return None;
    }
    git2::Oid::from_bytes(h.try_finalize().ok()?.as_slice()).ok()
}
