//! `restore`: put every item of a backup back, bit-exact, through directory handles.
//!
//! Every write is relative to an open handle of its parent directory, reached from the
//! destination one component at a time with `O_NOFOLLOW`: a path longer than `PATH_MAX` restores
//! like any other (the kernel never sees more than one name), and a symlink planted where a
//! directory belongs stops the restore instead of redirecting it outside the tree. A new file
//! is written under a short temporary name, hashed as it is written, fsynced, and only then
//! renamed over its place: with `RENAME_NOREPLACE` when nothing was there, so something created
//! meanwhile is never clobbered. A backup is untrusted input: its paths are checked before
//! anything is written, at most a bounded number of directory handles are open whatever its
//! depth, and only directories it created get its modes.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{AtFlags, Mode, OFlags, RenameFlags};
use serde::Serialize;

use super::backup::{hex, verify, Hashing, Item, Manifest, ARCHIVE};
use crate::error::{Error, Result};
use crate::fsx::{fstatx, meta_at, DirChain, Meta};
use crate::relpath::RelPath;
use crate::scan::EntryKind;

#[derive(Debug, Default, Serialize)]
pub struct RestoreReport {
    /// Files and symlinks written, and directories created.
    pub restored: u64,
    /// Files and symlinks already in place with the backup's content.
    pub unchanged: u64,
    pub refused: Vec<String>,
    pub special_not_restored: Vec<String>,
}

/// Why a backup cannot be trusted to stay inside the destination, if it cannot: every item's
/// path must be relative and plain (no empty, `.`, `..` or `.git` component), named once, and
/// below directories only (a symlink or file item above another item would have the restore
/// write through it).
fn check_items(m: &Manifest) -> std::result::Result<(), String> {
    let mut rels = Vec::with_capacity(m.items.len());
    for i in &m.items {
        let rel = i
            .rel()
            .ok_or_else(|| format!("item `{}`: path_hex is not hex", i.path))?;
        crate::plan::check_path(rel.as_bytes())
            .map_err(|why| format!("item `{}`: {why}", i.path))?;
        rels.push((rel, i.kind));
    }
    // In component-wise order a path's descendants follow it directly: each pair of
    // neighbours tells a duplicate, or an item below a file or symlink (linear in the items,
    // where walking up every item's parents is quadratic in a deep tree).
    rels.sort_by(|a, b| a.0.cmp(&b.0));
    for w in rels.windows(2) {
        let ((a, kind), (b, _)) = (&w[0], &w[1]);
        if a == b {
            return Err(format!("item `{}` is listed twice", a.display()));
        }
        if *kind != EntryKind::Dir && b.starts_with(a) {
            return Err(format!(
                "item `{}` lies below `{}`, which the backup holds as a file or symlink",
                b.display(),
                a.display()
            ));
        }
    }
    Ok(())
}

/// Put every item of the backup at `dir` back under `to`: content, mode, mtime, symlinks as
/// symlinks. An existing path with different content is refused unless `force`. Every file's
/// hash is checked as it is written. The backup is untrusted input (anyone may hand one over):
/// its paths are checked first ([`check_items`]), and with `same_tree` the destination must be
/// the directory it was taken from (device and inode, where the manifest records them).
/// Directory modes and times are set only on the directories the restore created.
pub fn restore(dir: &Path, to: &Path, force: bool, same_tree: bool) -> Result<RestoreReport> {
    let m = verify(dir)?;
    let bad = |why: String| {
        Error::Usage(format!(
            "backup {} cannot be restored, nothing was written: {why}",
            dir.display()
        ))
    };
    check_items(&m).map_err(bad)?;
    std::fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    let to_fd = crate::fsx::open_dir(to).map_err(|e| Error::io(to, e))?;
    if let (true, Some(id)) = (same_tree, m.root_id) {
        let here = Meta::from_statx(&fstatx(to_fd.as_fd()).map_err(|e| Error::io(to, e))?);
        if (here.id.dev, here.id.ino) != (id.dev, id.ino) {
            return Err(bad(format!(
                "it was taken from another directory at {} (moved or re-cloned since?); restore it elsewhere with --to",
                m.root
            )));
        }
    }
    let mut tree = Dirs {
        to,
        chain: DirChain::new(to_fd),
    };
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
    let mut created: Vec<(RelPath, &Item)> = Vec::new();
    for entry in ar.entries().map_err(|e| Error::io(&archive, e))? {
        let mut entry = entry.map_err(|e| Error::io(&archive, e))?;
        let raw = entry.path_bytes().into_owned();
        let key = raw.strip_suffix(b"/").unwrap_or(&raw).to_vec();
        let item = *by_path
            .get(&key)
            .ok_or_else(|| Error::Usage("archive member not in the manifest".into()))?;
        let rel = RelPath::from_bytes(key);
        let shown = rel.under(to);
        let name = rel.file_name().to_vec();
        let parent = tree.parent(&rel, true)?.expect("created");
        let here = meta_at(parent, &name).map_err(|e| Error::io(&shown, e))?;
        match item.kind {
            EntryKind::Dir => {
                match here.map(|m| m.kind()) {
                    Some(EntryKind::Dir) => continue,
                    Some(_) => {
                        // Only with --force: a file or symlink where the directory belongs.
                        unlink(parent, &name, false).map_err(|e| Error::io(&shown, e))?;
                        mkdir(parent, &name).map_err(|e| Error::io(&shown, e))?;
                    }
                    None => mkdir(parent, &name).map_err(|e| Error::io(&shown, e))?,
                }
                created.push((rel, item));
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
        set_times(parent, &name, item).map_err(|e| Error::io(&shown, e))?;
        report.restored += 1;
    }
    for i in m.items.iter().filter(|i| i.kind == EntryKind::Other) {
        report.special_not_restored.push(i.path.clone());
    }
    // Modes and times of the directories it created last, deepest first, once nothing more is
    // written into them; then everything to disk at once.
    created.sort_by(|a, b| b.0.cmp(&a.0));
    for (rel, item) in created {
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
    rustix::fs::syncfs(tree.chain.root()).map_err(|e| Error::io(to, e.into()))?;
    Ok(report)
}

/// The destination's directories, reached through a bounded chain of handles.
struct Dirs<'a> {
    to: &'a Path,
    chain: DirChain,
}

impl Dirs<'_> {
    /// The handle of `rel`'s parent directory; missing directories are created when `create`,
    /// else `None`. A component that is a symlink or not a directory is an error naming it.
    fn parent(&mut self, rel: &RelPath, create: bool) -> Result<Option<BorrowedFd<'_>>> {
        let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
        let want = &comps[..comps.len() - 1];
        match self.chain.open(want, create) {
            Ok(fd) => Ok(fd),
            Err(e) => Err(match rustix::io::Errno::from_io_error(&e) {
                Some(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => Error::Usage(format!(
                    "{}: is not a directory (a symlink or a file); restore will not write through it",
                    RelPath::from_bytes(want.join(&b'/')).under(self.to).display()
                )),
                _ => Error::io(RelPath::from_bytes(want.join(&b'/')).under(self.to), e),
            }),
        }
    }

    /// Why restoring `item` at `rel` would overwrite something different, if it would, and
    /// whether `--force` may overwrite it.
    fn conflict(&mut self, rel: &RelPath, item: &Item) -> Result<Option<(String, bool)>> {
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
/// pass NAME_MAX), content hashed against the manifest, mode set, then renamed into place;
/// onto an empty place with `RENAME_NOREPLACE`. Not fsynced one by one: the backup stays, so a
/// crash mid-restore loses nothing a second restore does not bring back, and the whole restore
/// is made durable by one `syncfs` at its end (an fsync per file took 150 s for 200,000 files).
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
