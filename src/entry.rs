//! What every floor says about a path on disk: its kind, its identity, and its sizes as `du`
//! counts them. The lowest floor (`fsx`) produces them and the scan, the plan and `apply` carry
//! them, so they live below all of those.

use serde::{Deserialize, Serialize};

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
