//! The single unlink, what a path left in place records, and the identity check that stops a
//! delete when the entry is no longer what the plan saw.

use std::os::fd::BorrowedFd;
use std::os::unix::ffi::OsStrExt;

use rustix::fs::AtFlags;

use crate::fsx::Meta;
use crate::plan::Entry;
use crate::scan::EntryKind;

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

pub(super) fn err_text(e: &std::io::Error) -> String {
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

pub(super) fn unlink_at(dir: BorrowedFd<'_>, name: &[u8], is_dir: bool) -> std::io::Result<()> {
    let flags = if is_dir {
        AtFlags::REMOVEDIR
    } else {
        AtFlags::empty()
    };
    rustix::fs::unlinkat(dir, std::ffi::OsStr::from_bytes(name), flags)
        .map_err(std::io::Error::from)
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
