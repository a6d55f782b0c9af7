//! `restore`: put every item of a backup back, bit-exact, through directory handles.
//!
//! Every write is relative to an open handle of its parent directory, reached from the
//! destination one component at a time with `O_NOFOLLOW`: a path longer than `PATH_MAX` restores
//! like any other (the kernel never sees more than one name), and a symlink planted where a
//! directory belongs stops the restore instead of redirecting it outside the tree. A new file
//! is written under a short temporary name, hashed as it is written, fsynced, and only then
//! renamed over its place: with `RENAME_NOREPLACE` when nothing was there, so something created
//! meanwhile is never clobbered.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{AtFlags, Mode, OFlags, RenameFlags};
use serde::Serialize;

use super::backup::{hex, verify, Hashing, Item, ARCHIVE};
use crate::error::{Error, Result};
use crate::fsx::{fstatx, meta_at, open_dir_at};
use crate::relpath::RelPath;
use crate::scan::EntryKind;

#[derive(Debug, Default, Serialize)]
pub struct RestoreReport {
    pub restored: u64,
    pub unchanged: u64,
    pub refused: Vec<String>,
    pub special_not_restored: Vec<String>,
}

/// Put every item of the backup at `dir` back under `to`: content, mode, mtime, symlinks as
/// symlinks. An existing path with different content is refused unless `force`. Every file's
/// hash is checked as it is written.
pub fn restore(dir: &Path, to: &Path, force: bool) -> Result<RestoreReport> {
    let m = verify(dir)?;
    std::fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    let mut tree = Dirs::open(to)?;
    let by_path: HashMap<Vec<u8>, &Item> = m
        .items
        .iter()
        .filter_map(|i| Some((i.rel()?.as_bytes().to_vec(), i)))
        .collect();
    let mut report = RestoreReport::default();
    // Refusals first, so a refused restore writes nothing. `--force` overrides different
    // content, never a directory in the way or a symlinked parent.
    for i in &m.items {
        let rel = i.rel().unwrap_or_default();
        if let Some((reason, overridable)) = tree.conflict(&rel, i)? {
            if !(force && overridable) {
                report.refused.push(format!("{}: {reason}", i.path));
            }
        }
    }
    if !report.refused.is_empty() {
        return Ok(report);
    }
    let archive = dir.join(ARCHIVE);
    let f = std::fs::File::open(&archive).map_err(|e| Error::io(&archive, e))?;
    let dec = zstd::Decoder::new(f).map_err(|e| Error::io(&archive, e))?;
    let mut ar = tar::Archive::new(dec);
    let mut dirs: Vec<(RelPath, &Item)> = Vec::new();
    for entry in ar.entries().map_err(|e| Error::io(&archive, e))? {
        let mut entry = entry.map_err(|e| Error::io(&archive, e))?;
        let raw = entry.path_bytes().into_owned();
        let key = raw.strip_suffix(b"/").unwrap_or(&raw).to_vec();
        let item = *by_path
            .get(&key)
            .ok_or_else(|| Error::Usage("archive member not in the manifest".into()))?;
        let rel = RelPath::from_bytes(key);
        if rel.is_root() {
            continue;
        }
        let shown = rel.under(to);
        let name = rel.file_name().to_vec();
        let parent = tree.parent(&rel, true)?.expect("created");
        let here = meta_at(parent, &name).map_err(|e| Error::io(&shown, e))?;
        match item.kind {
            EntryKind::Dir => {
                match here.map(|m| m.kind()) {
                    Some(EntryKind::Dir) => {}
                    Some(_) => {
                        // Only with --force: a file or symlink where the directory belongs.
                        unlink(parent, &name, false).map_err(|e| Error::io(&shown, e))?;
                        mkdir(parent, &name).map_err(|e| Error::io(&shown, e))?;
                    }
                    None => mkdir(parent, &name).map_err(|e| Error::io(&shown, e))?,
                }
                dirs.push((rel, item));
                continue;
            }
            EntryKind::File => {
                if here.is_some() && same_file(parent, &name, item).unwrap_or(false) {
                    report.unchanged += 1;
                    set_times(parent, &name, item).map_err(|e| Error::io(&shown, e))?;
                    continue;
                }
                write_file(parent, &name, &mut entry, item, here.is_some())
                    .map_err(|e| Error::io(&shown, e))?;
            }
            EntryKind::Symlink => {
                let want =
                    RelPath::from_hex(item.target_hex.as_deref().unwrap_or("")).unwrap_or_default();
                if here
                    .as_ref()
                    .is_some_and(|m| m.kind() == EntryKind::Symlink)
                {
                    let cur = rustix::fs::readlinkat(parent, OsStr::from_bytes(&name), Vec::new())
                        .map_err(|e| Error::io(&shown, e.into()))?;
                    if cur.as_bytes() == want.as_bytes() {
                        report.unchanged += 1;
                        set_times(parent, &name, item).map_err(|e| Error::io(&shown, e))?;
                        continue;
                    }
                }
                if let Some(h) = &here {
                    unlink(parent, &name, h.kind() == EntryKind::Dir)
                        .map_err(|e| Error::io(&shown, e))?;
                }
                rustix::fs::symlinkat(
                    OsStr::from_bytes(want.as_bytes()),
                    parent,
                    OsStr::from_bytes(&name),
                )
                .map_err(|e| Error::io(&shown, e.into()))?;
            }
            EntryKind::Other => continue,
        }
        let parent = tree.parent(&rel, false)?.expect("opened above");
        set_times(parent, &name, item).map_err(|e| Error::io(&shown, e))?;
        report.restored += 1;
    }
    for i in m.items.iter().filter(|i| i.kind == EntryKind::Other) {
        report.special_not_restored.push(i.path.clone());
    }
    // Directory modes and times last, deepest first, once nothing more is written into them.
    dirs.sort_by(|a, b| b.0.cmp(&a.0));
    for (rel, item) in dirs {
        let shown = rel.under(to);
        let name = rel.file_name().to_vec();
        let parent = tree.parent(&rel, false)?.expect("created");
        rustix::fs::chmodat(
            parent,
            OsStr::from_bytes(&name),
            Mode::from_raw_mode(item.mode),
            AtFlags::empty(),
        )
        .map_err(|e| Error::io(&shown, e.into()))?;
        set_times(parent, &name, item).map_err(|e| Error::io(&shown, e))?;
        report.restored += 1;
    }
    Ok(report)
}

/// Open handles from the destination down to the directory last used: members of an archive
/// come parents first, so consecutive members share most of the chain.
struct Dirs<'a> {
    to: &'a Path,
    root: OwnedFd,
    chain: Vec<(Vec<u8>, OwnedFd)>,
}

impl<'a> Dirs<'a> {
    fn open(to: &'a Path) -> Result<Self> {
        let root = crate::fsx::open_dir(to).map_err(|e| Error::io(to, e))?;
        Ok(Dirs {
            to,
            root,
            chain: Vec::new(),
        })
    }

    /// The handle of `rel`'s parent directory; missing directories are created when `create`,
    /// else `None`. A component that is a symlink or not a directory is an error naming it.
    fn parent(&mut self, rel: &RelPath, create: bool) -> Result<Option<BorrowedFd<'_>>> {
        let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
        let want = &comps[..comps.len() - 1];
        let keep = self
            .chain
            .iter()
            .zip(want)
            .take_while(|((n, _), w)| n.as_slice() == **w)
            .count();
        self.chain.truncate(keep);
        for (i, name) in want.iter().enumerate().skip(keep) {
            let at = self
                .chain
                .last()
                .map_or(self.root.as_fd(), |(_, fd)| fd.as_fd());
            let fd = match open_dir_at(at, name) {
                Ok(fd) => fd,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => mkdir(at, name)
                    .and_then(|_| open_dir_at(at, name))
                    .map_err(|e| Error::io(self.shown(&want[..=i]), e))?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => {
                    let p = self.shown(&want[..=i]);
                    return Err(match rustix::io::Errno::from_io_error(&e) {
                        Some(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => {
                            Error::Usage(format!(
                                "{}: is not a directory (a symlink or a file); restore will not write through it",
                                p.display()
                            ))
                        }
                        _ => Error::io(p, e),
                    });
                }
            };
            self.chain.push((name.to_vec(), fd));
        }
        Ok(Some(
            self.chain
                .last()
                .map_or(self.root.as_fd(), |(_, fd)| fd.as_fd()),
        ))
    }

    fn shown(&self, comps: &[&[u8]]) -> std::path::PathBuf {
        RelPath::from_bytes(comps.join(&b'/')).under(self.to)
    }

    /// Why restoring `item` at `rel` would overwrite something different, if it would, and
    /// whether `--force` may overwrite it.
    fn conflict(&mut self, rel: &RelPath, item: &Item) -> Result<Option<(String, bool)>> {
        if rel.is_root() {
            return Ok(None);
        }
        let name = rel.file_name().to_vec();
        let shown = rel.under(self.to);
        let parent = match self.parent(rel, false) {
            Ok(Some(p)) => p,
            Ok(None) => return Ok(None),
            Err(Error::Usage(m)) => return Ok(Some((m, false))),
            Err(e) => return Err(e),
        };
        let Some(here) = meta_at(parent, &name).map_err(|e| Error::io(shown, e))? else {
            return Ok(None);
        };
        let reason =
            match (item.kind, here.kind()) {
                (EntryKind::Dir, EntryKind::Dir) | (EntryKind::Other, _) => None,
                (EntryKind::File, EntryKind::File) => (!same_file(parent, &name, item)
                    .unwrap_or(false))
                .then_some("exists with different content (--force to overwrite)"),
                (EntryKind::Symlink, EntryKind::Symlink) => {
                    let cur = rustix::fs::readlinkat(parent, OsStr::from_bytes(&name), Vec::new())
                        .map(|c| hex(c.as_bytes()))
                        .ok();
                    (cur != item.target_hex)
                        .then_some("a symlink with another target exists (--force to overwrite)")
                }
                (_, EntryKind::Dir) => return Ok(Some((
                    "a directory is in its place (move it away; --force never deletes a directory)"
                        .into(),
                    false,
                ))),
                _ => Some("exists as another kind of file (--force to overwrite)"),
            };
        Ok(reason.map(|r| (r.to_string(), true)))
    }
}

fn mkdir(at: BorrowedFd<'_>, name: &[u8]) -> std::io::Result<()> {
    rustix::fs::mkdirat(at, OsStr::from_bytes(name), Mode::from_raw_mode(0o777))
        .map_err(std::io::Error::from)
}

/// Remove a file or symlink; a directory only when empty (restore never deletes a tree).
fn unlink(at: BorrowedFd<'_>, name: &[u8], is_dir: bool) -> std::io::Result<()> {
    let flags = if is_dir {
        AtFlags::REMOVEDIR
    } else {
        AtFlags::empty()
    };
    rustix::fs::unlinkat(at, OsStr::from_bytes(name), flags).map_err(std::io::Error::from)
}

/// Whether the regular file `name` already holds the item's content.
fn same_file(at: BorrowedFd<'_>, name: &[u8], item: &Item) -> std::io::Result<bool> {
    let fd = rustix::fs::openat(
        at,
        OsStr::from_bytes(name),
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    if fstatx(fd.as_fd())?.stx_size != item.size {
        return Ok(false);
    }
    let mut h = blake3::Hasher::new();
    std::io::copy(&mut std::fs::File::from(fd), &mut h)?;
    Ok(Some(h.finalize().to_hex().to_string()) == item.blake3)
}

static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Write `src` as `name` under `at`: a short temporary name (a long `name` plus a suffix could
/// pass NAME_MAX), content hashed against the manifest, fsynced, mode set, then renamed into
/// place; onto an empty place with `RENAME_NOREPLACE`.
fn write_file(
    at: BorrowedFd<'_>,
    name: &[u8],
    src: &mut impl Read,
    item: &Item,
    replace: bool,
) -> std::io::Result<()> {
    let tmp = format!(
        ".mami-restore.{}.{}",
        std::process::id(),
        TMP_SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let fd = rustix::fs::openat(
        at,
        tmp.as_str(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )?;
    let mut out = std::fs::File::from(fd);
    let mut h = Hashing {
        inner: src,
        hasher: blake3::Hasher::new(),
        n: 0,
    };
    let written = std::io::copy(&mut h, &mut out).and_then(|_| {
        if Some(h.hasher.finalize().to_hex().to_string()) != item.blake3 {
            return Err(std::io::Error::other(
                "restored content does not match the manifest",
            ));
        }
        out.sync_all()?;
        rustix::fs::fchmod(&out, Mode::from_raw_mode(item.mode))?;
        let flags = if replace {
            RenameFlags::empty()
        } else {
            RenameFlags::NOREPLACE
        };
        rustix::fs::renameat_with(at, tmp.as_str(), at, OsStr::from_bytes(name), flags)?;
        Ok(())
    });
    if written.is_err() {
        let _ = rustix::fs::unlinkat(at, tmp.as_str(), AtFlags::empty());
    }
    written
}

fn set_times(at: BorrowedFd<'_>, name: &[u8], item: &Item) -> std::io::Result<()> {
    let ts = rustix::fs::Timespec {
        tv_sec: item.mtime_ns.div_euclid(1_000_000_000) as i64,
        tv_nsec: item.mtime_ns.rem_euclid(1_000_000_000) as _,
    };
    let times = rustix::fs::Timestamps {
        last_access: ts,
        last_modification: ts,
    };
    rustix::fs::utimensat(
        at,
        OsStr::from_bytes(name),
        &times,
        AtFlags::SYMLINK_NOFOLLOW,
    )
    .map_err(std::io::Error::from)
}
