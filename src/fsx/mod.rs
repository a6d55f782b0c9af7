//! Directory-handle-relative filesystem operations shared by the scan, apply and restore: every
//! name is resolved relative to an open directory, with `O_NOFOLLOW`, one component at a time.
//! Nothing here follows a symlink.

use std::ffi::OsStr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, StatxAttributes, StatxFlags};

mod chain;
mod write;
pub use chain::DirChain;
pub use write::Place;

use crate::entry::{EntryKind, Identity, Stats};

/// What the walk keeps of a `statx`: the identity, the allocation, and mount facts.
#[derive(Clone, Copy)]
pub struct Meta {
    pub id: Identity,
    pub blocks: u64,
    pub mnt_id: Option<u64>,
    pub mount_root: bool,
    pub mtime_sec: i64,
}

impl Meta {
    pub fn from_statx(st: &rustix::fs::Statx) -> Meta {
        let ts = |t: &rustix::fs::StatxTimestamp| {
            i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec)
        };
        Meta {
            id: Identity {
                dev: rustix::fs::makedev(st.stx_dev_major, st.stx_dev_minor),
                ino: st.stx_ino,
                mode: u32::from(st.stx_mode),
                nlink: u64::from(st.stx_nlink),
                size: st.stx_size,
                mtime_ns: ts(&st.stx_mtime),
                ctime_ns: ts(&st.stx_ctime),
            },
            blocks: st.stx_blocks,
            mnt_id: (st.stx_mask & StatxFlags::MNT_ID.bits() != 0).then_some(st.stx_mnt_id),
            mount_root: st.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
                && st.stx_attributes.contains(StatxAttributes::MOUNT_ROOT),
            mtime_sec: st.stx_mtime.tv_sec,
        }
    }

    pub fn kind(&self) -> EntryKind {
        EntryKind::from_mode(self.id.mode)
    }

    pub fn stats(&self) -> Stats {
        let is_dir = self.kind() == EntryKind::Dir;
        Stats {
            bytes: self.id.size,
            disk_bytes: self.blocks * 512,
            files: u64::from(!is_dir),
            dirs: u64::from(is_dir),
        }
    }
}

pub const STATX_MASK: StatxFlags = StatxFlags::BASIC_STATS.union(StatxFlags::MNT_ID);

/// `statx` calls made through this module (every walk's), so a test can hold each command to
/// one per entry without strace, and `-v` can say it.
static STAT_CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many `statx` calls the walks have made in this process.
pub fn stat_calls() -> u64 {
    STAT_CALLS.load(std::sync::atomic::Ordering::Relaxed)
}

fn counted() {
    STAT_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

pub fn statx_at(fd: BorrowedFd<'_>, name: &[u8]) -> std::io::Result<rustix::fs::Statx> {
    counted();
    rustix::fs::statx(
        fd,
        OsStr::from_bytes(name),
        AtFlags::SYMLINK_NOFOLLOW,
        STATX_MASK,
    )
    .map_err(std::io::Error::from)
}

/// [`statx_at`] for a name that is NUL-terminated already (straight from `getdents64`): no copy.
pub fn statx_name(fd: BorrowedFd<'_>, name: &std::ffi::CStr) -> std::io::Result<rustix::fs::Statx> {
    counted();
    rustix::fs::statx(fd, name, AtFlags::SYMLINK_NOFOLLOW, STATX_MASK).map_err(std::io::Error::from)
}

pub fn fstatx(fd: BorrowedFd<'_>) -> std::io::Result<rustix::fs::Statx> {
    counted();
    rustix::fs::statx(fd, "", AtFlags::EMPTY_PATH, STATX_MASK).map_err(std::io::Error::from)
}

pub const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

pub fn open_dir(path: &Path) -> std::io::Result<OwnedFd> {
    rustix::fs::open(path, DIR_FLAGS, Mode::empty()).map_err(std::io::Error::from)
}

pub fn open_dir_at(parent: BorrowedFd<'_>, name: &[u8]) -> std::io::Result<OwnedFd> {
    rustix::fs::openat(parent, OsStr::from_bytes(name), DIR_FLAGS, Mode::empty())
        .map_err(std::io::Error::from)
}

/// The directory `rel` (components split by `/`, at least one) below `parent`, opened one
/// component at a time, following no symlink on the way.
pub fn open_dir_below(parent: BorrowedFd<'_>, rel: &[u8]) -> std::io::Result<OwnedFd> {
    let mut comps = rel.split(|&b| b == b'/');
    let mut fd = open_dir_at(parent, comps.next().unwrap_or_default())?;
    for c in comps {
        fd = open_dir_at(fd.as_fd(), c)?;
    }
    Ok(fd)
}

/// Names in the directory with whether d_type says "directory" (`false` also for unknown).
pub fn list_dir(fd: BorrowedFd<'_>) -> std::io::Result<Vec<(Vec<u8>, bool)>> {
    Ok(dir_flags(list_dir_types(fd)?))
}

/// Names in the directory with their d_type (`Unknown` where the filesystem does not say),
/// sorted. Rewinds the handle first, so a listing can be repeated.
pub fn list_dir_types(fd: BorrowedFd<'_>) -> std::io::Result<Vec<(Vec<u8>, FileType)>> {
    rustix::fs::seek(fd, rustix::fs::SeekFrom::Start(0)).map_err(std::io::Error::from)?;
    read_names(fd)
}

/// [`list_dir`] for a handle opened just before and never read (its position at the start):
/// no rewind. The scan lists each directory once.
pub fn list_fresh_dir(fd: BorrowedFd<'_>) -> std::io::Result<Vec<(Vec<u8>, bool)>> {
    Ok(dir_flags(read_names(fd)?))
}

fn dir_flags(names: Vec<(Vec<u8>, FileType)>) -> Vec<(Vec<u8>, bool)> {
    names
        .into_iter()
        .map(|(n, t)| (n, t == FileType::Directory))
        .collect()
}

/// `getdents64` from the handle's position to the end, straight from the handle (no
/// duplicate, no second lookup): names with their d_type, `.` and `..` left out, sorted.
fn read_names(fd: BorrowedFd<'_>) -> std::io::Result<Vec<(Vec<u8>, FileType)>> {
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut dir = rustix::fs::RawDir::new(fd, buf.spare_capacity_mut());
    let mut names = Vec::new();
    while let Some(e) = dir.next() {
        let e = e.map_err(std::io::Error::from)?;
        let n = e.file_name().to_bytes();
        if n != b"." && n != b".." {
            names.push((n.to_vec(), e.file_type()));
        }
    }
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(names)
}

/// The content of the file `name` under `dir`, at most `max` bytes: `None` when it is missing,
/// a link, not a file that reads (a directory), or longer. Opened without blocking, so a FIFO
/// reads as empty; no `statx`, so the walk's count stays one per entry.
pub fn read_small_at(dir: BorrowedFd<'_>, name: &[u8], max: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(dir, name, flags, Mode::empty()).ok()?;
    let mut buf = Vec::new();
    std::fs::File::from(fd)
        .take(max + 1)
        .read_to_end(&mut buf)
        .ok()?;
    (buf.len() as u64 <= max).then_some(buf)
}

/// Meta of an entry by name under `dir`, `None` when it does not exist.
pub fn meta_at(dir: BorrowedFd<'_>, name: &[u8]) -> std::io::Result<Option<Meta>> {
    match statx_at(dir, name) {
        Ok(st) => Ok(Some(Meta::from_statx(&st))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The content of the regular file at `path`, `None` when nothing is there. Opened without
/// blocking (a FIFO named like an ignore file never hangs a command) and, unless
/// `follow_links`, without following a link at the end; checked to be a regular file by its
/// handle; more than `max` bytes is an error naming the file and the limit.
pub fn read_regular(path: &Path, max: u64, follow_links: bool) -> crate::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    if !follow_links {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return Ok(None),
        Err(rustix::io::Errno::LOOP) => {
            return Err(crate::Error::Usage(format!(
                "{}: a symlink; mami-clean does not read this file through a link",
                path.display()
            )))
        }
        Err(e) => return Err(crate::Error::io(path, e.into())),
    };
    let m = Meta::from_statx(&fstatx(fd.as_fd()).map_err(|e| crate::Error::io(path, e))?);
    if m.kind() != EntryKind::File {
        return Err(crate::Error::Usage(format!(
            "{}: not a regular file (a FIFO, socket or device?); mami-clean reads only regular files",
            path.display()
        )));
    }
    if m.id.size > max {
        return Err(crate::Error::Usage(format!(
            "{}: {} bytes is more than mami-clean reads of such a file ({} bytes; see README, Limits)",
            path.display(),
            m.id.size,
            max
        )));
    }
    let mut buf = Vec::with_capacity(m.id.size as usize);
    std::fs::File::from(fd)
        .take(max)
        .read_to_end(&mut buf)
        .map_err(|e| crate::Error::io(path, e))?;
    Ok(Some(buf))
}

/// A text file's content, lossily, for what is only inspected (a Dockerfile's COPY lines):
/// `None` when it is missing, not a regular file or over `max` bytes (links followed, as
/// Docker follows them).
pub fn read_text(path: &Path, max: u64) -> Option<String> {
    let bytes = read_regular(path, max, true).ok()??;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}
