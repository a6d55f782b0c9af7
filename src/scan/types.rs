//! What a scan produces: sizes, identities, selected entries, protected paths and notes. Plain
//! values: the planner turns them into a plan, the reporter into text.

use serde::{Deserialize, Serialize};

use crate::classify::Protection;
use crate::relpath::RelPath;

pub use crate::entry::{EntryKind, Identity, Stats};

/// A path a delete or review rule selected.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: RelPath,
    pub kind: EntryKind,
    pub rule: usize,
    pub stats: Stats,
    pub identity: Identity,
    /// The directory the rule selected, where it split around what it keeps (a `.env` in a
    /// backup folder): this entry is one of its parts.
    pub split_from: Option<RelPath>,
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
    /// A compose file Compose itself refuses: its project's builds are not measured.
    ComposeRefused,
    /// A COPY/ADD source lies in a directory the plan deletes (a plan note).
    BuildInputDeleted,
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
    /// With [`super::ScanOptions::keep_dir_bytes`]: each directory the walk opened and
    /// finished, with the apparent bytes at and below it (hard links counted once, as in
    /// `tree`), sorted by path. A directory missing here (sized as part of a dependency tree,
    /// unreadable, a mount point) counts in its parent's own bytes.
    pub dir_bytes: Vec<(RelPath, u64)>,
    /// How many directories were sized the fast way (what is reported is the same either way;
    /// for tests and diagnostics).
    pub sized_fast: u64,
}
