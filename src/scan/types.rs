//! What a scan produces: sizes, identities, selected entries, protected paths and notes. Plain
//! values: the planner turns them into a plan, the reporter into text.

use serde::{Deserialize, Serialize};

use crate::classify::Protection;
use crate::relpath::RelPath;

/// Sizes of a path and everything under it, the way `du` counts: every inode once, directories
/// and symlinks included (a symlink's size is its target's length, never the target's content).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Apparent size, `du --apparent-size -B1` (`du -sb`).
    pub bytes: u64,
    /// Allocated size, st_blocks × 512, `du -B1`.
    pub disk_bytes: u64,
    /// Non-directory entries: regular files, symlinks and others, every hard link counted.
    pub files: u64,
    /// Directories, the path itself included when it is one.
    pub dirs: u64,
}

impl Stats {
    pub fn add(&mut self, o: &Stats) {
        self.bytes += o.bytes;
        self.disk_bytes += o.disk_bytes;
        self.files += o.files;
        self.dirs += o.dirs;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// Sockets, FIFOs, devices: sized, never opened.
    Other,
}

impl EntryKind {
    pub fn from_mode(mode: u32) -> Self {
        match mode & 0o170000 {
            0o040000 => EntryKind::Dir,
            0o100000 => EntryKind::File,
            0o120000 => EntryKind::Symlink,
            _ => EntryKind::Other,
        }
    }
}

/// What `apply` compares just before it deletes, to refuse an entry that changed since the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
    pub mode: u32,
    pub nlink: u64,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

/// A path a delete or review rule selected.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: RelPath,
    pub kind: EntryKind,
    pub rule: usize,
    pub stats: Stats,
    pub identity: Identity,
}

/// A path a rule matched but a protection kept, or that a protection keeps from the scan.
#[derive(Debug, Clone)]
pub struct Protected {
    pub path: RelPath,
    pub protection: Protection,
    /// The keep rule that protected it (for [`Protection::Keep`]).
    pub keep_rule: Option<usize>,
    /// The delete or review rule that would otherwise have selected it.
    pub shadowed: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    NestedRepo,
    MountPoint,
    Unreadable,
    Changed,
    /// A build's context directory or Dockerfile does not exist (a plan note, not the scan's).
    MissingBuildInput,
}

/// Something the user should know about the scan that is not a selection.
#[derive(Debug, Clone)]
pub struct Note {
    pub path: RelPath,
    pub kind: NoteKind,
    pub message: String,
}

/// A non-directory the scan saw, kept when [`super::ScanOptions::keep_listing`] asks.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: RelPath,
    pub kind: EntryKind,
    /// Apparent bytes (a symlink: its target's length).
    pub size: u64,
    /// (device, inode) when the inode has other links.
    pub link: Option<(u64, u64)>,
}

/// Every file the scan saw, so build contexts can be read without walking the tree again.
#[derive(Debug, Default)]
pub struct Listing {
    /// Sorted by path.
    pub files: Vec<Seen>,
    /// Directories (or entries of unknown kind) the scan did not list: the root's `.git` when
    /// skipped, mount points, what could not be opened or was replaced, and subtrees that were
    /// only sized (dependency directories, `.git`, nested repositories, kept directories).
    /// Sorted.
    pub unlisted: Vec<RelPath>,
}

/// The whole scan.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// The tree's totals; equal to `du -sb` / `du -sB1` on the root (mount points excluded).
    pub tree: Stats,
    /// Selected entries, sorted by path.
    pub found: Vec<Found>,
    /// Sorted by path.
    pub protected: Vec<Protected>,
    /// Sorted by path, then kind.
    pub notes: Vec<Note>,
    /// Paths a keep rule matched (files, or directories kept whole), sorted: the data `apply`
    /// proves intact.
    pub kept: Vec<RelPath>,
    /// The root's `.git` directory (included in `tree`).
    pub git_dir: Stats,
    pub root_identity: Option<Identity>,
    /// With [`super::ScanOptions::keep_listing`].
    pub listing: Option<Listing>,
    /// Every regular file named like a build file and every `.git`, sorted: where
    /// [`crate::docker::BuildFiles::from_scan`] finds compose files, Dockerfiles and
    /// `.dockerignore` files without walking the tree again.
    pub build_files: Vec<Seen>,
    /// How many directories were sized the fast way (what is reported is the same either way;
    /// for tests and diagnostics).
    pub sized_fast: u64,
}
