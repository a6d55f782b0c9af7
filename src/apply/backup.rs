//! Backups: everything `apply` deletes that nothing else can give back goes first into a
//! tar + zstd archive outside the tree, with a manifest of BLAKE3 hashes, modes, mtimes and
//! symlink targets. The archive is fsynced, renamed into place, read back and verified against
//! the manifest before the first file may go. `restore` (its own module) puts entries back.
//!
//! Layout: `<backups>/<repo>-<UTC time>/` holding `backup.tar.zst`, `manifest.json` and a
//! `.mami-clean-backup` marker (so a backup placed inside a tree is never itself cleaned).
//! The archive alone suffices to restore by hand: `zstd -d < backup.tar.zst | tar -x`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::classify::{is_git_name, BACKUP_MARKER};
use crate::error::{Error, Result};
use crate::fsx::{fstatx, list_dir, meta_at, open_dir_at, Meta};
use crate::plan::Entry;
use crate::relpath::RelPath;
use crate::scan::EntryKind;

pub const ARCHIVE: &str = "backup.tar.zst";
pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: &str = "mami-clean-backup";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    pub kind: EntryKind,
    pub mode: u32,
    pub mtime_ns: i128,
    pub size: u64,
    pub ino: u64,
    pub ctime_ns: i128,
    /// BLAKE3 of a regular file's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blake3: Option<String>,
    /// A symlink's target, in hex (targets are bytes and may be anything).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_hex: Option<String>,
}

impl Item {
    pub fn rel(&self) -> Option<RelPath> {
        RelPath::from_json_fields(&self.path, self.path_hex.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub id: String,
    pub created: String,
    /// The tree the backup came from.
    pub root: String,
    /// The plan it was made for.
    pub plan_body_hash: String,
    pub archive_blake3: String,
    pub items: Vec<Item>,
}

/// Where backups go: `--backup-dir`, else `$XDG_DATA_HOME/mami-clean/backups`, else
/// `~/.local/share/mami-clean/backups`.
pub fn default_dir() -> Result<PathBuf> {
    crate::dirs::data()
        .map(|d| d.join("backups"))
        .map_err(|e| Error::Usage(format!("{e}: pass --backup-dir")))
}

pub(super) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// Collects the items of the entries to back up, reading through directory handles.
struct Collector<'a> {
    root: BorrowedFd<'a>,
    items: Vec<(Item, Option<OwnedFd>)>,
}

impl Collector<'_> {
    fn add_entry(&mut self, e: &Entry) -> Result<()> {
        let rel = e
            .rel()
            .ok_or_else(|| Error::Usage(format!("{}: bad path in plan", e.path)))?;
        let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
        let mut parent: Option<OwnedFd> = None;
        for c in &comps[..comps.len() - 1] {
            let dir = parent.as_ref().map_or(self.root, |f| f.as_fd());
            parent = Some(open_dir_at(dir, c).map_err(|err| Error::io(rel.as_path(), err))?);
        }
        let name = comps[comps.len() - 1].to_vec();
        let dir = parent.as_ref().map_or(self.root, |f| f.as_fd());
        // An entry that vanished or changed since the plan is not deleted either (the deleter
        // re-checks and skips it), so there is nothing of it to keep.
        match meta_at(dir, &name) {
            Ok(Some(m)) if super::delete::identity_diff(e, &m, true).is_none() => {
                self.add(dir, &name, rel.clone())
            }
            Ok(_) => Ok(()),
            Err(err) => Err(Error::io(rel.as_path(), err)),
        }
    }

    fn add(&mut self, dir: BorrowedFd<'_>, name: &[u8], rel: RelPath) -> Result<()> {
        let m = meta_at(dir, name)
            .map_err(|e| Error::io(rel.as_path(), e))?
            .ok_or_else(|| Error::io(rel.as_path(), std::io::ErrorKind::NotFound.into()))?;
        let (path, path_hex) = rel.to_json_fields();
        let mut item = Item {
            path,
            path_hex,
            kind: m.kind(),
            mode: m.id.mode & 0o7777,
            mtime_ns: m.id.mtime_ns,
            size: if m.kind() == EntryKind::File {
                m.id.size
            } else {
                0
            },
            ino: m.id.ino,
            ctime_ns: m.id.ctime_ns,
            blake3: None,
            target_hex: None,
        };
        match m.kind() {
            EntryKind::File => {
                let fd = rustix::fs::openat(
                    dir,
                    std::ffi::OsStr::from_bytes(name),
                    rustix::fs::OFlags::RDONLY
                        | rustix::fs::OFlags::NOFOLLOW
                        | rustix::fs::OFlags::CLOEXEC
                        | rustix::fs::OFlags::NONBLOCK,
                    rustix::fs::Mode::empty(),
                )
                .map_err(|e| Error::io(rel.as_path(), e.into()))?;
                let now =
                    Meta::from_statx(&fstatx(fd.as_fd()).map_err(|e| Error::io(rel.as_path(), e))?);
                if now.id.ino != m.id.ino {
                    return Err(Error::Usage(format!(
                        "{}: replaced while being backed up",
                        rel.display()
                    )));
                }
                self.items.push((item, Some(fd)));
            }
            EntryKind::Symlink => {
                let t = rustix::fs::readlinkat(dir, std::ffi::OsStr::from_bytes(name), Vec::new())
                    .map_err(|e| Error::io(rel.as_path(), e.into()))?;
                item.target_hex = Some(hex(t.as_bytes()));
                self.items.push((item, None));
            }
            EntryKind::Dir => {
                if is_git_name(name) {
                    return Ok(());
                }
                let fd = open_dir_at(dir, name).map_err(|e| Error::io(rel.as_path(), e))?;
                self.items.push((item, None));
                for (child, _) in list_dir(fd.as_fd()).map_err(|e| Error::io(rel.as_path(), e))? {
                    let crel = rel.join(&child);
                    self.add(fd.as_fd(), &child, crel)?;
                }
            }
            EntryKind::Other => self.items.push((item, None)),
        }
        Ok(())
    }
}

/// Free bytes where the backup goes.
fn free_space(dir: &Path) -> Option<u64> {
    let v = rustix::fs::statvfs(dir).ok()?;
    Some(v.f_bavail.saturating_mul(v.f_frsize))
}

/// Reader that hashes what passes through and counts it.
pub(super) struct Hashing<R> {
    pub(super) inner: R,
    pub(super) hasher: blake3::Hasher,
    pub(super) n: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.hasher.update(&buf[..k]);
        self.n += k as u64;
        Ok(k)
    }
}

fn fsync_dir(p: &Path) -> std::io::Result<()> {
    std::fs::File::open(p)?.sync_all()
}

/// Write, fsync and verify a backup of `entries` from the tree open as `root`. Nothing in the
/// tree is modified. On any error the partial backup directory is removed.
pub fn create(
    root: &OwnedFd,
    root_path: &Path,
    entries: &[&Entry],
    backups: &Path,
    plan_body_hash: &str,
) -> Result<(PathBuf, Manifest)> {
    let mut col = Collector {
        root: root.as_fd(),
        items: Vec::new(),
    };
    for e in entries {
        col.add_entry(e)?;
    }
    let need: u64 = col.items.iter().map(|(i, _)| i.size + 1024).sum::<u64>() + (1 << 20);
    std::fs::create_dir_all(backups).map_err(io_err(backups))?;
    if let Some(free) = free_space(backups) {
        if free < need {
            return Err(Error::Usage(format!(
                "not enough space for the backup in {}: {} free, up to {} needed (uncompressed); nothing was deleted",
                backups.display(),
                crate::size::human(free),
                crate::size::human(need)
            )));
        }
    }
    let created = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let repo = root_path
        .file_name()
        .map_or("root".into(), |n| n.to_string_lossy().into_owned());
    let stamp: String = created
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .collect();
    let mut id = format!("{repo}-{stamp}Z");
    let mut dir = backups.join(&id);
    let mut k = 1;
    while dir.exists() {
        k += 1;
        id = format!("{repo}-{stamp}Z-{k}");
        dir = backups.join(&id);
    }
    std::fs::create_dir(&dir).map_err(io_err(&dir))?;
    let result = write_and_verify(&dir, &id, &created, root_path, col.items, plan_body_hash);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result.map(|m| (dir, m))
}

fn write_and_verify(
    dir: &Path,
    id: &str,
    created: &str,
    root_path: &Path,
    items: Vec<(Item, Option<OwnedFd>)>,
    plan_body_hash: &str,
) -> Result<Manifest> {
    std::fs::write(dir.join(BACKUP_MARKER), b"mami-clean backup\n").map_err(io_err(dir))?;
    let tmp = dir.join(format!("{ARCHIVE}.tmp"));
    let file = std::fs::File::create(&tmp).map_err(io_err(&tmp))?;
    let mut enc = zstd::Encoder::new(file, 3).map_err(io_err(&tmp))?;
    enc.include_checksum(true).map_err(io_err(&tmp))?;
    let mut tar = tar::Builder::new(enc);
    tar.follow_symlinks(false);
    let mut out = Vec::with_capacity(items.len());
    for (mut item, fd) in items {
        let rel = item.rel().expect("collector made it");
        let mut h = tar::Header::new_gnu();
        h.set_mode(item.mode);
        h.set_mtime(u64::try_from(item.mtime_ns.div_euclid(1_000_000_000)).unwrap_or(0));
        match item.kind {
            EntryKind::File => {
                let fd = fd.expect("files carry their handle");
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(item.size);
                let mut r = Hashing {
                    inner: std::fs::File::from(fd).take(item.size),
                    hasher: blake3::Hasher::new(),
                    n: 0,
                };
                tar.append_data(&mut h, rel.as_path(), &mut r)
                    .map_err(io_err(&tmp))?;
                if r.n != item.size {
                    return Err(Error::Usage(format!(
                        "{}: changed size while being backed up; nothing was deleted",
                        rel.display()
                    )));
                }
                item.blake3 = Some(r.hasher.finalize().to_hex().to_string());
            }
            EntryKind::Symlink => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                let target =
                    RelPath::from_hex(item.target_hex.as_deref().unwrap_or("")).unwrap_or_default();
                tar.append_link(&mut h, rel.as_path(), target.as_path())
                    .map_err(io_err(&tmp))?;
            }
            EntryKind::Dir => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_size(0);
                tar.append_data(&mut h, rel.as_path(), std::io::empty())
                    .map_err(io_err(&tmp))?;
            }
            // FIFOs, sockets, devices: recorded in the manifest only.
            EntryKind::Other => {}
        }
        out.push(item);
        super::failpoint("backup-after-item", out.len());
    }
    let enc = tar.into_inner().map_err(io_err(&tmp))?;
    let file = enc.finish().map_err(io_err(&tmp))?;
    file.sync_all().map_err(io_err(&tmp))?;
    drop(file);
    let archive = dir.join(ARCHIVE);
    std::fs::rename(&tmp, &archive).map_err(io_err(&archive))?;
    let archive_blake3 = hash_file(&archive)?;
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: 1,
        id: id.into(),
        created: created.into(),
        root: root_path.display().to_string(),
        plan_body_hash: plan_body_hash.into(),
        archive_blake3,
        items: out,
    };
    let mpath = dir.join(MANIFEST);
    let mtmp = dir.join(format!("{MANIFEST}.tmp"));
    {
        let mut f = std::fs::File::create(&mtmp).map_err(io_err(&mtmp))?;
        f.write_all(
            &serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Usage(e.to_string()))?,
        )
        .map_err(io_err(&mtmp))?;
        f.sync_all().map_err(io_err(&mtmp))?;
    }
    std::fs::rename(&mtmp, &mpath).map_err(io_err(&mpath))?;
    fsync_dir(dir).map_err(io_err(dir))?;
    verify(dir)?;
    Ok(manifest)
}

fn hash_file(p: &Path) -> Result<String> {
    let mut h = blake3::Hasher::new();
    let mut f = std::fs::File::open(p).map_err(io_err(p))?;
    std::io::copy(&mut f, &mut h).map_err(io_err(p))?;
    Ok(h.finalize().to_hex().to_string())
}

pub fn load_manifest(dir: &Path) -> Result<Manifest> {
    let p = dir.join(MANIFEST);
    let m: Manifest = serde_json::from_slice(&std::fs::read(&p).map_err(io_err(&p))?)
        .map_err(|e| Error::Usage(format!("{}: not a backup manifest: {e}", p.display())))?;
    if m.format != FORMAT {
        return Err(Error::Usage(format!(
            "{}: not a mami-clean backup",
            p.display()
        )));
    }
    Ok(m)
}

/// Read the archive back and check every member against the manifest.
pub fn verify(dir: &Path) -> Result<Manifest> {
    let m = load_manifest(dir)?;
    let archive = dir.join(ARCHIVE);
    let bad = |msg: String| {
        Error::Usage(format!(
            "backup {} failed verification: {msg}",
            dir.display()
        ))
    };
    if hash_file(&archive)? != m.archive_blake3 {
        return Err(bad("the archive's hash differs from the manifest's".into()));
    }
    let f = std::fs::File::open(&archive).map_err(io_err(&archive))?;
    let dec = zstd::Decoder::new(f).map_err(io_err(&archive))?;
    let mut ar = tar::Archive::new(dec);
    let mut want = m.items.iter().filter(|i| i.kind != EntryKind::Other);
    for entry in ar.entries().map_err(io_err(&archive))? {
        let mut entry = entry.map_err(|e| bad(e.to_string()))?;
        let item = want
            .next()
            .ok_or_else(|| bad("more members than the manifest lists".into()))?;
        let path = entry.path_bytes().into_owned();
        let member = RelPath::from_bytes(path.strip_suffix(b"/").unwrap_or(&path).to_vec());
        if Some(member.clone()) != item.rel() {
            return Err(bad(format!(
                "member `{}` where the manifest has `{}`",
                member.display(),
                item.path
            )));
        }
        match item.kind {
            EntryKind::File => {
                let mut h = blake3::Hasher::new();
                let n = std::io::copy(&mut entry, &mut h).map_err(|e| bad(e.to_string()))?;
                if n != item.size || Some(h.finalize().to_hex().to_string()) != item.blake3 {
                    return Err(bad(format!("`{}`: content differs", item.path)));
                }
            }
            EntryKind::Symlink => {
                let t = entry.link_name_bytes().map(|t| hex(&t)).unwrap_or_default();
                if Some(t) != item.target_hex {
                    return Err(bad(format!("`{}`: symlink target differs", item.path)));
                }
            }
            _ => {}
        }
    }
    if want.next().is_some() {
        return Err(bad(
            "the archive ends before the manifest does (truncated?)".into(),
        ));
    }
    Ok(m)
}

/// The files of a backup by path, for [`super::delete::Allow::Backed`].
pub fn index(m: &Manifest) -> HashMap<Vec<u8>, (u64, i128)> {
    m.items
        .iter()
        .filter(|i| i.kind != EntryKind::Dir)
        .filter_map(|i| Some((i.rel()?.as_bytes().to_vec(), (i.ino, i.ctime_ns))))
        .collect()
}

/// Backups of the tree at `root`, oldest first.
pub fn list(backups: &Path, root: &Path) -> Vec<(PathBuf, Manifest)> {
    let Ok(rd) = std::fs::read_dir(backups) else {
        return Vec::new();
    };
    let mut v: Vec<(PathBuf, Manifest)> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter_map(|p| load_manifest(&p).ok().map(|m| (p, m)))
        .filter(|(_, m)| Path::new(&m.root) == root)
        .collect();
    v.sort_by(|a, b| (&a.1.created, &a.1.id).cmp(&(&b.1.created, &b.1.id)));
    v
}
