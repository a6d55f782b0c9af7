//! Backups: everything `apply` deletes that nothing else can give back goes first into a
//! tar + zstd archive outside the tree, with a manifest of BLAKE3 hashes, modes, mtimes and
//! symlink targets. The archive is fsynced, renamed into place, read back and verified against
//! the manifest before the first file may go. `restore` (its own module) puts entries back.
//!
//! Layout: `<backups>/<repo>-<UTC time>/` holding `backup.tar.zst`, `manifest.json` and a
//! `.mami-clean-backup` marker (so a backup placed inside a tree is never itself cleaned).
//! The archive alone suffices to restore by hand: `zstd -d < backup.tar.zst | tar -x`.

mod archive;
mod collect;
pub mod place;

use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsx::{fstatx, DirChain, Meta};
use crate::plan::Entry;
use crate::relpath::RelPath;
use crate::scan::EntryKind;

pub use archive::verify;
pub(in crate::apply) use archive::Hashing;

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

/// A directory's identity: device and inode.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct RootId {
    pub dev: u64,
    pub ino: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub id: String,
    pub created: String,
    /// The tree the backup came from.
    pub root: String,
    /// The tree's root directory (device and inode), for `restore` to check it puts the
    /// backup back where it came from. Absent in backups from before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_id: Option<RootId>,
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

/// The command that puts the backup at `dir` (`<backups>/<id>`) back, as the user can paste
/// it: `--backup-dir` is named when the backups are not in the default place.
pub fn restore_command(dir: &Path) -> String {
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let mut cmd = format!("mami-clean restore {}", crate::shell::word(&id));
    let parent = dir
        .parent()
        .filter(|p| default_dir().ok().as_deref() != Some(*p));
    if let Some(p) = parent {
        cmd += " --backup-dir ";
        cmd += &crate::shell::path_arg(&p.display().to_string());
    }
    cmd
}

pub(in crate::apply) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub(super) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// Free bytes where the backup goes.
fn free_space(dir: &Path) -> Option<u64> {
    let v = rustix::fs::statvfs(dir).ok()?;
    Some(v.f_bavail.saturating_mul(v.f_frsize))
}

/// What to back up: whole entries (everything below them), and single files (tracked files
/// whose content git does not hold, under entries that are otherwise rebuilt or in git).
pub struct Wanted<'a> {
    pub entries: Vec<&'a Entry>,
    pub files: Vec<RelPath>,
}

/// Write, fsync and verify a backup of `wanted` from the tree open as `root` into a new
/// directory under `backups` (already checked to be outside the tree: [`place::resolve`]).
/// Nothing in the tree is modified. On any error the partial backup directory is removed.
pub fn create(
    root: &OwnedFd,
    root_path: &Path,
    wanted: &Wanted,
    backups: &Path,
    plan_body_hash: &str,
) -> Result<(PathBuf, Manifest)> {
    let root_meta = Meta::from_statx(&fstatx(root.as_fd()).map_err(io_err(root_path))?);
    let dup =
        rustix::io::fcntl_dupfd_cloexec(root, 0).map_err(|e| Error::io(root_path, e.into()))?;
    let mut chain = DirChain::new(dup);
    let mut col = collect::Collector {
        chain: &mut chain,
        items: Vec::new(),
    };
    for e in &wanted.entries {
        col.add_entry(e)?;
    }
    for f in &wanted.files {
        col.add_file(f)?;
    }
    let items = col.items;
    let need: u64 = items.iter().map(|i| i.size + 1024).sum::<u64>() + (1 << 20);
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
    while dir.symlink_metadata().is_ok() {
        k += 1;
        id = format!("{repo}-{stamp}Z-{k}");
        dir = backups.join(&id);
    }
    std::fs::create_dir(&dir).map_err(io_err(&dir))?;
    let head = archive::Header {
        id: &id,
        created: &created,
        root_path,
        root_id: RootId {
            dev: root_meta.id.dev,
            ino: root_meta.id.ino,
        },
        plan_body_hash,
    };
    let result = archive::write_and_verify(&dir, &head, &mut chain, items);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result.map(|m| (dir, m))
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

/// The files of a backup by path, for [`super::delete::Allow::Backed`].
pub fn index(m: &Manifest) -> super::vouch::BackupIndex {
    m.items
        .iter()
        .filter(|i| i.kind != EntryKind::Dir)
        .filter_map(|i| Some((i.rel()?.as_bytes().to_vec(), (i.ino, i.ctime_ns))))
        .collect()
}

/// [`list`], plus the backups at `extra` (wherever they are) that are of this tree.
pub fn list_with(backups: &Path, root: &Path, extra: Vec<PathBuf>) -> Vec<(PathBuf, Manifest)> {
    let mut v = list(backups, root);
    for p in extra {
        if v.iter().any(|(q, _)| *q == p) {
            continue;
        }
        if let Ok(m) = load_manifest(&p) {
            if Path::new(&m.root) == root {
                v.push((p, m));
            }
        }
    }
    v.sort_by(|a, b| (&a.1.created, &a.1.id).cmp(&(&b.1.created, &b.1.id)));
    v
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
