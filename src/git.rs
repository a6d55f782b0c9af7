//! What git knows about the tree, read once with libgit2 before the scan: the index (tracked
//! paths, sorted, for prefix counts), the tracked paths with uncommitted changes, submodules,
//! and HEAD. Ignore checks are asked lazily, only for entries a git guard needs.
//!
//! Recovery classes rest on this: a path is `git`-recoverable only if every file under it is in
//! the index and neither staged nor modified (so HEAD holds it). Apply re-proves that by hashing
//! before it deletes; the scan's answer is the plan's claim.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use git2::{Repository, Status, StatusOptions};

use crate::error::Result;
use crate::relpath::RelPath;
use crate::rules::GitGuard;

pub struct GitInfo {
    pub workdir: PathBuf,
    /// HEAD's commit id, `None` on an unborn branch.
    pub head: Option<String>,
    tracked: Vec<Vec<u8>>,
    gitlinks: HashSet<Vec<u8>>,
    modified: Vec<Vec<u8>>,
    repo: Mutex<Repository>,
}

impl std::fmt::Debug for GitInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitInfo")
            .field("workdir", &self.workdir)
            .field("head", &self.head)
            .field("tracked", &self.tracked.len())
            .field("modified", &self.modified.len())
            .finish()
    }
}

/// Count of sorted `list` entries equal to `p` or below it (`p/...`).
fn count_under(list: &[Vec<u8>], p: &[u8]) -> usize {
    if p.is_empty() {
        return list.len();
    }
    let exact = list.binary_search_by(|e| e.as_slice().cmp(p)).is_ok() as usize;
    let mut lo = p.to_vec();
    lo.push(b'/');
    let mut hi = p.to_vec();
    hi.push(b'/' + 1);
    let a = list.partition_point(|e| e.as_slice() < lo.as_slice());
    let b = list.partition_point(|e| e.as_slice() < hi.as_slice());
    exact + (b - a)
}

impl GitInfo {
    /// Open the repository containing `start`, if any. Bare repositories have no tree to clean.
    pub fn discover(start: &Path) -> Result<Option<GitInfo>> {
        let repo = match Repository::discover(start) {
            Ok(r) => r,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return Ok(None);
        };
        GitInfo::read(repo, workdir).map(Some)
    }

    fn read(repo: Repository, workdir: PathBuf) -> Result<GitInfo> {
        let head = repo
            .head()
            .ok()
            .and_then(|h| h.target())
            .map(|o| o.to_string());
        let index = repo.index()?;
        let mut tracked = Vec::with_capacity(index.len());
        let mut gitlinks = HashSet::new();
        for e in index.iter() {
            if e.mode == 0o160000 {
                gitlinks.insert(e.path.clone());
            }
            tracked.push(e.path);
        }
        tracked.sort_unstable();
        tracked.dedup(); // conflict stages repeat a path

        let mut opts = StatusOptions::new();
        opts.include_untracked(false)
            .include_ignored(false)
            .exclude_submodules(true)
            .renames_head_to_index(false);
        let changed = Status::INDEX_NEW
            | Status::INDEX_MODIFIED
            | Status::INDEX_DELETED
            | Status::INDEX_RENAMED
            | Status::INDEX_TYPECHANGE
            | Status::WT_MODIFIED
            | Status::WT_DELETED
            | Status::WT_TYPECHANGE
            | Status::WT_RENAMED
            | Status::CONFLICTED;
        let mut modified: Vec<Vec<u8>> = repo
            .statuses(Some(&mut opts))?
            .iter()
            .filter(|s| s.status().intersects(changed))
            .map(|s| s.path_bytes().to_vec())
            .collect();
        modified.sort_unstable();
        modified.dedup();
        Ok(GitInfo {
            workdir,
            head,
            tracked,
            gitlinks,
            modified,
            repo: Mutex::new(repo),
        })
    }

    pub fn is_tracked(&self, p: &RelPath) -> bool {
        self.tracked
            .binary_search_by(|e| e.as_slice().cmp(p.as_bytes()))
            .is_ok()
    }

    /// Index entries at or below `p`.
    pub fn tracked_under(&self, p: &RelPath) -> usize {
        count_under(&self.tracked, p.as_bytes())
    }

    /// Tracked paths with uncommitted changes at or below `p`.
    pub fn modified_under(&self, p: &RelPath) -> usize {
        count_under(&self.modified, p.as_bytes())
    }

    pub fn is_modified(&self, p: &RelPath) -> bool {
        self.modified
            .binary_search_by(|e| e.as_slice().cmp(p.as_bytes()))
            .is_ok()
    }

    pub fn is_gitlink(&self, p: &RelPath) -> bool {
        self.gitlinks.contains(p.as_bytes())
    }

    pub fn has_gitlinks(&self) -> bool {
        !self.gitlinks.is_empty()
    }

    pub fn tracked_count(&self) -> usize {
        self.tracked.len()
    }

    pub fn modified_paths(&self) -> &[Vec<u8>] {
        &self.modified
    }

    /// Whether the repository's ignore rules (all .gitignore files, info/exclude,
    /// core.excludesFile) ignore `p`.
    pub fn is_ignored(&self, p: &RelPath) -> bool {
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        repo.is_path_ignored(p.as_path()).unwrap_or(false)
    }

    /// The state a `when.git` guard compares against.
    pub fn state(&self, p: &RelPath) -> GitGuard {
        if self.tracked_under(p) > 0 {
            GitGuard::Tracked
        } else if self.is_ignored(p) {
            GitGuard::Ignored
        } else {
            GitGuard::Untracked
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count_under;

    #[test]
    fn prefix_counts_respect_component_boundaries() {
        let mut l: Vec<Vec<u8>> = ["a", "a-b", "a/x", "a/y/z", "ab", "b"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        l.sort();
        assert_eq!(count_under(&l, b"a"), 3);
        assert_eq!(count_under(&l, b"a/y"), 1);
        assert_eq!(count_under(&l, b"ab"), 1);
        assert_eq!(count_under(&l, b"c"), 0);
        assert_eq!(count_under(&l, b""), 6);
    }
}
