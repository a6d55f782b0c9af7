//! "Is this tracked file unchanged?" answered the way git itself answers it first: the index
//! records each file's `stat` data as it was when git last saw the content; a file whose
//! `statx` (the scan's own, taken anyway) still matches it, and that was not written in the
//! same instant as the index ("racily clean", which git re-reads), holds what the index holds.
//! Where the index's tree for the file's folder is HEAD's (its cache-tree says so), the index
//! holds what HEAD holds: the file is unmodified, and git can give it back.
//!
//! This spares the gate and the audit a libgit2 status of a selected folder (libgit2 stats and
//! compares every tracked file below it again, on one thread: ~250 ms for a 66,870-file
//! committed backup copy). Anything not answered here (no match, racy, staged, flags such as
//! skip-worktree or intent-to-add, an index read by libgit2) goes to the status as before.
//! `apply` reads the whole status before its scan and never comes here; `plan` reads it beside
//! its scan, which comes here until it is read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::GitInfo;
use crate::entry::Identity;
use crate::fsx::Meta;
use crate::relpath::RelPath;

/// What the index recorded of one entry's `stat`, as git writes it (times in seconds and
/// nanoseconds, inode and size truncated to 32 bits); `None` where the entry's state is not a
/// plain staged file (a gitlink, skip-worktree, assume-valid, intent-to-add, a conflict stage).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct EntryStat {
    pub mtime: (u32, u32),
    pub ctime: (u32, u32),
    pub ino: u32,
    pub size: u32,
    /// The index's mode: 0o100644, 0o100755 or 0o120000.
    pub mode: u32,
}

/// The index's stat data, its own modification time, the folders its cache-tree holds valid
/// (path → tree id), and which entries a `statx` has shown unchanged.
pub(super) struct StatData {
    pub entries: Vec<Option<EntryStat>>,
    pub index_time: (u32, u32),
    pub trees: HashMap<Vec<u8>, git2::Oid>,
    pub verified: Vec<AtomicBool>,
    /// Folder → whether the index holds HEAD's tree there, once asked.
    pub unstaged: std::sync::Mutex<HashMap<Vec<u8>, bool>>,
}

impl EntryStat {
    /// Whether `now` (a `statx` of the entry's path) is the file the index recorded, and was
    /// recorded safely after it last changed. Stricter than git (which may skip the inode,
    /// ctime or nanoseconds): any difference sends the question to the status.
    pub fn matches(&self, now: &Identity, index_time: (u32, u32)) -> bool {
        let split = |ns: i128| -> Option<(u32, u32)> {
            let s = u32::try_from(ns.div_euclid(1_000_000_000)).ok()?;
            Some((s, ns.rem_euclid(1_000_000_000) as u32))
        };
        let kind = now.mode & 0o170000;
        let mode_ok = match self.mode {
            0o120000 => kind == 0o120000,
            m => kind == 0o100000 && (now.mode & 0o100 != 0) == (m & 0o100 != 0),
        };
        // Racily clean: written no earlier than the index itself, the file may have changed
        // again within the same timestamp after git hashed it (git's racy-git.txt).
        let racy = self.mtime >= index_time;
        mode_ok
            && !racy
            && split(now.mtime_ns) == Some(self.mtime)
            && split(now.ctime_ns) == Some(self.ctime)
            && now.ino as u32 == self.ino
            && now.size == u64::from(self.size)
    }
}

/// What [`GitInfo::is_modified_in`] needs of a folder, asked once for all its files: where the
/// index holds what lies below it, and whether its tree there is HEAD's.
pub struct FolderStat {
    below: std::ops::Range<usize>,
    unstaged: bool,
}

impl GitInfo {
    /// The folder `dir`'s [`FolderStat`].
    pub fn folder_stat(&self, dir: &RelPath) -> FolderStat {
        FolderStat {
            below: self.tracked_range(dir).1,
            unstaged: self.unstaged_dir(dir),
        }
    }

    /// Whether the tracked file `rel` in the folder `dir` ([`GitInfo::folder_stat`]), whose
    /// `statx` the scan took (`meta`), has uncommitted changes: from its stat data where that
    /// proves it unchanged, else from the status.
    pub fn is_modified_in(&self, dir: &FolderStat, rel: &RelPath, meta: Option<&Meta>) -> bool {
        if self.modified.get().is_none()
            && dir.unstaged
            && meta.is_some_and(|m| self.unchanged_by_stat(dir, rel, m))
        {
            return false;
        }
        self.is_modified(rel)
    }

    /// Whether anything at or below `rel` may have uncommitted changes, for a walk that will
    /// then ask [`GitInfo::is_modified_in`] of each file it finds: where stat data can answer
    /// for the files, only whether anything is tracked there; else the status's answer.
    pub fn may_have_modified(&self, rel: &RelPath) -> bool {
        if self.modified.get().is_none() && self.stat.is_some() && self.unstaged_dir(rel) {
            return self.tracked_under(rel) > 0;
        }
        self.modified_under(rel) > 0
    }

    /// `rel`'s entry is found among its folder's, not the whole index: a shorter search, and
    /// one that starts at paths sharing the folder's bytes.
    fn unchanged_by_stat(&self, dir: &FolderStat, rel: &RelPath, meta: &Meta) -> bool {
        let Some(stat) = &self.stat else {
            return false;
        };
        let below = &self.tracked[dir.below.clone()];
        let Ok(at) = below.binary_search_by(|e| e.as_slice().cmp(rel.as_bytes())) else {
            return false;
        };
        let at = dir.below.start + at;
        let same = stat.entries[at].is_some_and(|e| e.matches(&meta.id, stat.index_time));
        if same {
            stat.verified[at].store(true, Ordering::Relaxed);
        }
        same
    }

    /// The size the index records for the tracked file `rel` (read by gix-index only).
    pub fn index_size(&self, rel: &RelPath) -> Option<u64> {
        let e = self.stat.as_ref()?.entries[self.index_of(rel.as_bytes())?]?;
        Some(u64::from(e.size))
    }

    /// Whether every index entry at or below `p` (one at least) was shown unchanged by its
    /// `statx`: then nothing there is modified, and no status need say so.
    pub(super) fn all_verified_under(&self, p: &RelPath) -> bool {
        let Some(stat) = &self.stat else {
            return false;
        };
        let (exact, below) = self.tracked_range(p);
        let mut all = exact.into_iter().chain(below);
        let first = all.next();
        first.is_some()
            && first
                .into_iter()
                .chain(all)
                .all(|i| stat.verified[i].load(Ordering::Relaxed))
    }

    /// Whether the index holds HEAD's tree at folder `dir`: its cache-tree has a valid entry
    /// there, or at a folder above it, equal to HEAD's tree id there. Git invalidates a
    /// folder's entry (and its parents') when anything below it is staged, so a valid entry
    /// is the whole folder's content. Folders are answered top down and remembered: on a
    /// fresh clone the root's entry answers for all, and no other tree of HEAD is read.
    fn unstaged_dir(&self, dir: &RelPath) -> bool {
        let Some(stat) = &self.stat else {
            return false;
        };
        let memo = || stat.unstaged.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&v) = memo().get(dir.as_bytes()) {
            return v;
        }
        let above = dir.parent().is_some_and(|up| self.unstaged_dir(&up));
        let v = above
            || (stat.trees.get(dir.as_bytes())).is_some_and(|id| self.head_tree(dir) == Some(*id));
        memo().insert(dir.as_bytes().to_vec(), v);
        v
    }
}

/// The index's cache-tree (gix-index's reading of the `TREE` extension) as folder → tree id,
/// for the folders whose entry git left valid.
pub(super) fn valid_trees(root: &gix_index::extension::Tree) -> HashMap<Vec<u8>, git2::Oid> {
    let mut out = HashMap::new();
    let mut stack: Vec<(Vec<u8>, &gix_index::extension::Tree)> = vec![(Vec::new(), root)];
    while let Some((path, t)) = stack.pop() {
        // An invalid entry (something below it was staged since) says nothing of its
        // children: git invalidates every folder above a change, so a valid one still holds.
        if t.num_entries.is_some() {
            if let Ok(id) = git2::Oid::from_bytes(t.id.as_bytes()) {
                out.insert(path.clone(), id);
            }
        }
        for c in &t.children {
            let name: &[u8] = c.name.as_ref();
            let child = match path.is_empty() {
                true => name.to_vec(),
                false => [path.as_slice(), b"/", name].concat(),
            };
            stack.push((child, c));
        }
    }
    out
}

/// An entry's stat data if its state lets a `statx` decide it (see [`EntryStat`]).
pub(super) fn entry_stat(e: &gix_index::Entry) -> Option<EntryStat> {
    use gix_index::entry::{Flags, Mode};
    let special = Flags::ASSUME_VALID | Flags::SKIP_WORKTREE | Flags::INTENT_TO_ADD;
    let mode = match e.mode {
        Mode::FILE => 0o100644,
        Mode::FILE_EXECUTABLE => 0o100755,
        Mode::SYMLINK => 0o120000,
        _ => return None,
    };
    if e.flags.intersects(special) || e.stage_raw() != 0 {
        return None;
    }
    let t = |t: gix_index::entry::stat::Time| (t.secs, t.nsecs);
    Some(EntryStat {
        mtime: t(e.stat.mtime),
        ctime: t(e.stat.ctime),
        ino: e.stat.ino,
        size: e.stat.size,
        mode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u32 = 1_700_000_000;

    fn now(mode: u32, size: u64, mtime: (u32, u32), ctime: (u32, u32)) -> Identity {
        let ns = |t: (u32, u32)| i128::from(t.0) * 1_000_000_000 + i128::from(t.1);
        Identity {
            dev: 1,
            ino: 42,
            mode,
            nlink: 1,
            size,
            mtime_ns: ns(mtime),
            ctime_ns: ns(ctime),
        }
    }

    /// Every field git records must agree, and a file written no earlier than the index
    /// (racily clean) is never decided by its stat data.
    #[test]
    fn stat_data_decides_only_an_exact_older_match() {
        let e = EntryStat {
            mtime: (S, 5),
            ctime: (S, 7),
            ino: 42,
            size: 10,
            mode: 0o100644,
        };
        let index = (S + 1, 0);
        let file = |mode, size, m, c| now(mode, size, m, c);
        assert!(e.matches(&file(0o100644, 10, (S, 5), (S, 7)), index));
        assert!(
            e.matches(&file(0o100664, 10, (S, 5), (S, 7)), index),
            "group bits: git's too"
        );
        for (what, f) in [
            ("size", file(0o100644, 11, (S, 5), (S, 7))),
            ("mtime ns", file(0o100644, 10, (S, 6), (S, 7))),
            ("mtime s", file(0o100644, 10, (S - 1, 5), (S, 7))),
            ("ctime", file(0o100644, 10, (S, 5), (S, 8))),
            ("exec bit", file(0o100755, 10, (S, 5), (S, 7))),
            ("a symlink now", file(0o120777, 10, (S, 5), (S, 7))),
            ("a directory now", file(0o040755, 10, (S, 5), (S, 7))),
        ] {
            assert!(!e.matches(&f, index), "{what}");
        }
        let mut other_inode = file(0o100644, 10, (S, 5), (S, 7));
        other_inode.ino = 43;
        assert!(!e.matches(&other_inode, index), "inode");
        let same = file(0o100644, 10, (S, 5), (S, 7));
        assert!(!e.matches(&same, (S, 5)), "written as the index was: racy");
        assert!(!e.matches(&same, (S, 4)), "written after the index: racy");
        assert!(e.matches(&same, (S, 6)), "written before it");
        let link = EntryStat {
            mode: 0o120000,
            ..e
        };
        assert!(link.matches(&file(0o120777, 10, (S, 5), (S, 7)), index));
        assert!(!link.matches(&same, index), "a file where a link was");
        let exec = EntryStat {
            mode: 0o100755,
            ..e
        };
        assert!(exec.matches(&file(0o100755, 10, (S, 5), (S, 7)), index));
        assert!(!exec.matches(&same, index), "exec bit lost");
    }
}
