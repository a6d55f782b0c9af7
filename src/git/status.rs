//! Which tracked paths have uncommitted changes: the whole status up front ([`super::Status::Full`]),
//! or a status limited to each selected path, cached for what is below it
//! ([`super::Status::PerPath`]); and whether HEAD holds a path the index lacks (a staged deletion).

use std::collections::HashMap;

use git2::{Repository, StatusOptions};

use super::{count_under, GitInfo};
use crate::error::Result;
use crate::relpath::RelPath;

impl GitInfo {
    /// Tracked paths with uncommitted changes at or below `p`.
    pub fn modified_under(&self, p: &RelPath) -> usize {
        self.with_modified(p, |list| count_under(list, p.as_bytes()))
    }

    pub fn is_modified(&self, p: &RelPath) -> bool {
        self.with_modified(p, |list| {
            list.binary_search_by(|e| e.as_slice().cmp(p.as_bytes()))
                .is_ok()
        })
    }

    /// Run `f` over a sorted list of modified paths that holds all of those at or below `p`:
    /// the whole status when read, else the status of `p` or of a path above it.
    fn with_modified<R>(&self, p: &RelPath, f: impl FnOnce(&[Vec<u8>]) -> R) -> R {
        if let Some(all) = self.modified.get() {
            return f(all);
        }
        // Nothing in the index there and nothing in HEAD either: nothing modified. A path HEAD
        // has and the index lacks is a staged deletion (`git rm --cached`), which the whole
        // status reports; the status limited to the path below reports it too.
        if self.tracked_under(p) == 0 && !self.in_head(p) {
            return f(&[]);
        }
        // Every file there matched its stat data when the scan saw it (and nothing is staged
        // there): nothing modified, nothing deleted.
        if self.all_verified_under(p) {
            return f(&[]);
        }
        let mut cache = self.modified_at.lock().unwrap_or_else(|e| e.into_inner());
        // Another walk thread may have read the whole status while this one waited for the
        // lock: the scan's threads queue here at once, and each read it again (six whole
        // statuses of a 74,779-file work tree copied with new inodes, 3 s each).
        if let Some(all) = self.modified.get() {
            return f(all);
        }
        if let Some((_, list)) = cache.iter().find(|(q, _)| p.starts_with(q)) {
            return f(list);
        }
        // Each status limited to a path costs about what the whole status spends on
        // PER_PATH_COST tracked files (~100 µs against ~3 µs a file, measured): once the ones
        // asked add up to the whole status's cost, read the whole status instead. A small
        // repository with many selections (69 of them in the Mami fixture: 7 ms) then pays at
        // most twice what reading all of it up front would have, and a large one with few
        // selections never reads it.
        let per_path = PER_PATH_COST + self.tracked.len() / PER_PATH_SHARE;
        if (cache.len() + 1) * per_path >= self.tracked.len() + WHOLE_STATUS_FIXED {
            if let Ok(all) = self.read_whole() {
                drop(cache);
                return f(all);
            }
        }
        let list = (self.read_status(Some(p)))
            .unwrap_or_else(|_| self.tracked_paths_under(p).map(<[u8]>::to_vec).collect());
        let r = f(&list);
        cache.push((p.clone(), list));
        r
    }

    /// Does HEAD's tree hold `p` (a file or a directory)? Asked for every selection the index
    /// has nothing under. When the index's own tree is HEAD's, nothing is staged and the answer
    /// is no without reading a tree. Otherwise the trees of `p`'s parents are read from HEAD
    /// and remembered (~10 µs a tree, most of it inflating it from the pack).
    fn in_head(&self, p: &RelPath) -> bool {
        let Some(head) = &self.head else {
            return false;
        };
        if p.is_root() {
            return true;
        }
        // The index's tree is HEAD's: nothing staged, and a path the index lacks HEAD lacks.
        // Answered without the repository's lock, which a whole status may hold for a while.
        if self.index_tree.is_some() && self.index_tree == self.head_root {
            return false;
        }
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let mut memo = self.head_dirs.lock().unwrap_or_else(|e| e.into_inner());
        let parent = p.parent().unwrap_or_default();
        let found = head_dir(&repo, &mut memo, head, &parent).and_then(|dir| match dir {
            Some(id) => Ok(repo.find_tree(id)?.get_name_bytes(p.file_name()).is_some()),
            None => Ok(false),
        });
        // Unreadable: ask the status, which answers or counts the path as modified.
        found.unwrap_or(true)
    }

    /// HEAD's tree id at folder `dir`, if HEAD has that folder.
    pub(super) fn head_tree(&self, dir: &RelPath) -> Option<git2::Oid> {
        if dir.is_root() {
            return self.head_root;
        }
        let head = self.head.as_ref()?;
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let mut memo = self.head_dirs.lock().unwrap_or_else(|e| e.into_inner());
        head_dir(&repo, &mut memo, head, dir).ok().flatten()
    }

    /// In [`Status::PerPath`] mode, read the whole status now if the repository is small enough
    /// that it costs less than what the caller does meanwhile (see [`PREFETCH_MAX_COST`]); the
    /// questions the scan asks later are then answered from it. Meant for a thread of its own.
    /// A status that fails is left unread: the questions fall back to per-path statuses.
    pub fn prefetch_status(&self) {
        if self.modified.get().is_some()
            || self.tracked.len() + WHOLE_STATUS_FIXED > PREFETCH_MAX_COST
        {
            return;
        }
        let _ = self.read_whole();
    }

    /// Whether the whole work tree's status has been read (up front, or once per-path
    /// questions cost as much).
    pub fn whole_status_read(&self) -> bool {
        self.modified.get().is_some()
    }

    /// Every tracked path with uncommitted changes (the whole status, read now if it was not).
    pub fn modified_paths(&self) -> Result<&[Vec<u8>]> {
        match self.modified.get() {
            Some(all) => Ok(all),
            None => self.read_whole(),
        }
    }

    /// The whole status, read once: a second caller (the scan asking beside `plan`'s reading of
    /// it on another thread) waits for the first one's and takes it.
    fn read_whole(&self) -> Result<&[Vec<u8>]> {
        let _one = self.whole.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(all) = self.modified.get() {
            return Ok(all);
        }
        let all = self.read_status(None)?;
        Ok(self.modified.get_or_init(|| all))
    }

    /// How many statuses (limited to a path, or whole) this view has read since it opened.
    pub fn statuses_read(&self) -> usize {
        self.statuses.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn read_status(&self, under: Option<&RelPath>) -> Result<Vec<Vec<u8>>> {
        self.statuses
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        changed_paths(&repo, under)
    }

    /// How many tracked paths have uncommitted changes, if the whole status was read.
    pub fn modified_count(&self) -> Option<u64> {
        self.modified.get().map(|m| m.len() as u64)
    }
}

/// Statuses read by every view in this process, for `-v`.
static STATUSES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many git statuses (limited or whole) this process has read after opening repositories.
pub fn statuses_read() -> usize {
    STATUSES.load(std::sync::atomic::Ordering::Relaxed)
}

/// A status limited to one path costs about what the whole status spends on this many tracked
/// files, plus one for every PER_PATH_SHARE tracked files (libgit2 goes through the index for
/// each: ~100 µs on 116 files, ~2 ms on 74,779, where the whole status takes ~3.5 µs a file);
/// the whole status has a fixed part worth WHOLE_STATUS_FIXED more.
const PER_PATH_COST: usize = 35;

const PER_PATH_SHARE: usize = 128;

const WHOLE_STATUS_FIXED: usize = 150;

/// A whole status up to this cost (in tracked files, fixed part included: ~2 ms) takes no longer
/// than loading the rules, which the checks do anyway: [`GitInfo::prefetch_status`] reads it on
/// another core meanwhile. On the Mami fixture (116 files) the scan spent ~1.9 ms in seven
/// statuses per path and then the whole one; read cold beside the rules, the whole one takes
/// ~1.5 ms off the scan's path (gate median 9.9 → 8.8 ms, 60 interleaved runs).
const PREFETCH_MAX_COST: usize = 700;

/// The tree id of directory `dir` in commit `head`, `None` if HEAD has no such directory;
/// looked up through `memo` (directory → tree id) one component at a time.
fn head_dir(
    repo: &Repository,
    memo: &mut HashMap<Vec<u8>, Option<git2::Oid>>,
    head: &str,
    dir: &RelPath,
) -> Result<Option<git2::Oid>> {
    if let Some(v) = memo.get(dir.as_bytes()) {
        return Ok(*v);
    }
    let id = if dir.is_root() {
        Some(repo.find_commit(git2::Oid::from_str(head)?)?.tree_id())
    } else {
        match head_dir(repo, memo, head, &dir.parent().unwrap_or_default())? {
            Some(up) => repo
                .find_tree(up)?
                .get_name_bytes(dir.file_name())
                .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
                .map(|e| e.id()),
            None => None,
        }
    };
    memo.insert(dir.as_bytes().to_vec(), id);
    Ok(id)
}

/// Tracked paths with staged or unstaged changes, sorted: in the whole work tree, or at and
/// below `under` (a literal path, not a pattern).
pub(super) fn changed_paths(repo: &Repository, under: Option<&RelPath>) -> Result<Vec<Vec<u8>>> {
    STATUSES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut opts = StatusOptions::new();
    opts.include_untracked(false)
        .include_ignored(false)
        .exclude_submodules(true)
        .renames_head_to_index(false);
    if let Some(p) = under {
        opts.pathspec(p.as_path()).disable_pathspec_match(true);
    }
    use git2::Status as S;
    let staged = S::INDEX_NEW
        | S::INDEX_MODIFIED
        | S::INDEX_DELETED
        | S::INDEX_RENAMED
        | S::INDEX_TYPECHANGE
        | S::CONFLICTED;
    let changed = staged | S::WT_MODIFIED | S::WT_DELETED | S::WT_TYPECHANGE | S::WT_RENAMED;
    let statuses = repo.statuses(Some(&mut opts))?;
    let changes = (statuses.iter()).filter(|s| s.status().intersects(changed));
    let mut skipped = None;
    let mut modified: Vec<Vec<u8>> = Vec::new();
    for s in changes {
        // libgit2 has no sparse checkout: a path `git sparse-checkout` left out of the work
        // tree (skip-worktree in the index) reads as deleted, while git calls it unchanged.
        // Only a work-tree change is git's to overlook; a staged one is a change.
        let in_tree_only = !s.status().intersects(staged);
        if in_tree_only && skip_worktree(repo, &mut skipped, s.path_bytes()) {
            continue;
        }
        modified.push(s.path_bytes().to_vec());
    }
    modified.sort_unstable();
    modified.dedup();
    Ok(modified)
}

/// Whether the index marks `path` skip-worktree (`git sparse-checkout`, `git update-index
/// --skip-worktree`); the index is read at the first question (`index`).
fn skip_worktree(repo: &Repository, index: &mut Option<Option<git2::Index>>, path: &[u8]) -> bool {
    let index = index.get_or_insert_with(|| repo.index().ok());
    let flag = git2::IndexEntryExtendedFlag::SKIP_WORKTREE.bits();
    (index.as_ref())
        .and_then(|i| i.get_path(RelPath::from_bytes(path).as_path(), 0))
        .is_some_and(|e| e.flags_extended & flag != 0)
}
