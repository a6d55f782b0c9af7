//! What git knows about the tree, read once with libgit2 before the scan: the index (tracked
//! paths, sorted, for prefix counts), the tracked paths with uncommitted changes, submodules,
//! and HEAD. Ignore checks are asked lazily, only for entries that need the answer, of git
//! itself ([`check_ignore`]: libgit2's ignore rules differ from git's in places).
//!
//! The status of the whole work tree costs a stat of every tracked file (libgit2 does it on one
//! thread: twice `git status`). `apply` reads it before its scan; `plan` on another thread
//! beside its scan. The gate and the audit only ask about the few paths a rule selects, so
//! they read it per selection ([`Status::PerPath`]): a status limited to that path, cached for
//! everything below it. A status that fails counts every tracked file there as modified:
//! protected, never deleted. Until the whole status is read, where the scan holds a file's
//! `statx`, the index's stat data answer as git's own status does first ([`stat_match`]); a
//! folder every file of which they settle needs no status at all.
//!
//! Recovery classes rest on this: a path is `git`-recoverable only if every file under it is in
//! the index and neither staged nor modified (so HEAD holds it). Apply re-proves that by hashing
//! before it deletes; the scan's answer is the plan's claim.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use git2::Repository;

use crate::error::Result;
use crate::relpath::RelPath;

pub mod blob;
pub mod check_ignore;
mod checkout;
mod commit;
mod history;
mod ignored;
mod index;
mod kept;
pub use kept::{IgnoringLine, Kept};
mod preflight;
mod stat_match;
mod status;
use check_ignore::CheckIgnore;
pub use history::Edit;
use index::{count_under, read_index, read_index_fast};
use status::changed_paths;
pub use status::statuses_read;

pub struct GitInfo {
    pub workdir: PathBuf,
    /// The repository's (common) git directory, where mami-clean keeps its lock and journal.
    pub git_dir: PathBuf,
    /// HEAD's commit id, `None` on an unborn branch.
    pub head: Option<String>,
    tracked: Vec<Vec<u8>>,
    /// Index blob id per tracked path (same order), to prove a file is what git holds.
    oids: Vec<git2::Oid>,
    /// Tracked files (gitlinks aside) and their bytes as the index records them.
    tracked_files: u64,
    tracked_bytes: u64,
    gitlinks: HashSet<Vec<u8>>,
    /// Tracked paths with uncommitted changes in the whole work tree, sorted, once read.
    modified: OnceLock<Vec<Vec<u8>>>,
    /// Tracked paths the ignore rules ignore, once asked.
    tracked_ignored: OnceLock<Vec<Vec<u8>>>,
    /// [`Status::PerPath`]: (path, sorted modified paths at or below it) per path asked.
    modified_at: Mutex<Vec<(RelPath, Vec<Vec<u8>>)>>,
    /// The index's root tree from its cache-tree extension, when git left it valid: equal to
    /// HEAD's when nothing is staged (a fresh checkout, a CI clone).
    index_tree: Option<git2::Oid>,
    /// HEAD's root tree, read at open: compared without the repository's lock.
    head_root: Option<git2::Oid>,
    /// Held while the whole status is read, so it is read once ([`GitInfo::modified_paths`]).
    whole: Mutex<()>,
    /// Statuses read through [`GitInfo::read_status`], for tests and `-v`.
    statuses: std::sync::atomic::AtomicUsize,
    /// The index's stat data (gix-index read it), for [`GitInfo::is_modified_in`].
    stat: Option<stat_match::StatData>,
    /// Directories of HEAD's tree looked up by [`GitInfo::in_head`]: path → tree id, if any.
    head_dirs: Mutex<HashMap<Vec<u8>, Option<git2::Oid>>>,
    /// Git's `check-ignore`, started on the first question; `Some(None)` when it cannot run.
    check_ignore: Mutex<Option<Option<CheckIgnore>>>,
    /// Every path asked whether it is ignored, with the answer: the plan and then the
    /// ignore-file check ask about the same selections.
    ignored_memo: Mutex<HashMap<Vec<u8>, bool>>,
    /// What other modules read from the tracked files, once per type ([`GitInfo::derived`]).
    derived: Mutex<HashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>>,
    repo: Mutex<Repository>,
}

/// When to read the work tree's status: all of it up front, or per path as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Full,
    PerPath,
}

impl std::fmt::Debug for GitInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitInfo")
            .field("workdir", &self.workdir)
            .field("head", &self.head)
            .field("tracked", &self.tracked.len())
            .field("modified", &self.modified.get().map(Vec::len))
            .finish()
    }
}

impl GitInfo {
    /// Open the repository containing `start`, if any, with its whole status read. Bare
    /// repositories have no tree to clean.
    pub fn discover(start: &Path) -> Result<Option<GitInfo>> {
        GitInfo::discover_with(start, Status::Full)
    }

    pub fn discover_with(start: &Path, status: Status) -> Result<Option<GitInfo>> {
        let repo = match Repository::discover(start) {
            Ok(r) => r,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return Ok(None);
        };
        GitInfo::read(repo, workdir, status).map(Some)
    }

    fn read(repo: Repository, workdir: PathBuf, status: Status) -> Result<GitInfo> {
        let head_ref = repo.head().ok();
        let head = (head_ref.as_ref())
            .and_then(|h| h.target())
            .map(|o| o.to_string());
        let head_root = (head_ref.and_then(|h| h.peel_to_commit().ok())).map(|c| c.tree_id());
        let index::IndexRead {
            mut entries,
            gitlinks,
            files: tracked_files,
            bytes: tracked_bytes,
            stat,
        } = match read_index_fast(&repo.path().join("index")) {
            Some(read) => read,
            None => read_index(&repo)?,
        };
        let index_tree = (stat.as_ref()).and_then(|s| s.trees.get(&b""[..]).copied());
        // The index is sorted by path already (a conflict repeats a path, once per stage; there
        // is no cache-tree then, and no stat answer: the stat data would not line up).
        let stat = stat.filter(|_| entries.windows(2).all(|w| w[0].0 < w[1].0));
        if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
            entries.sort_by(|a, b| a.0.cmp(&b.0));
        }
        entries.dedup_by(|a, b| a.0 == b.0);
        let (tracked, oids): (Vec<Vec<u8>>, Vec<git2::Oid>) = entries.into_iter().unzip();

        preflight::check(&workdir, repo.path(), &tracked)?;
        let modified = OnceLock::new();
        if status == Status::Full {
            let _ = modified.set(changed_paths(&repo, None)?);
        }
        let git_dir = repo.commondir().to_path_buf();
        Ok(GitInfo {
            workdir,
            git_dir,
            head,
            tracked,
            oids,
            tracked_files,
            tracked_bytes,
            gitlinks,
            modified,
            modified_at: Mutex::new(Vec::new()),
            head_dirs: Mutex::new(HashMap::new()),
            index_tree,
            head_root,
            whole: Mutex::new(()),
            stat,
            statuses: Default::default(),
            check_ignore: Mutex::new(None),
            ignored_memo: Mutex::new(HashMap::new()),
            derived: Mutex::new(HashMap::new()),
            tracked_ignored: OnceLock::new(),
            repo: Mutex::new(repo),
        })
    }

    /// `T` as `read` makes it from the tracked files, read once for this view of the
    /// repository however many stages ask: the plan, the audit and the ignore-file writer
    /// each ask which folders the compose files and `docker run` commands mount, which reads
    /// every tracked compose file, script and Markdown file. `read` runs without the lock
    /// held: two stages asking at once may both read, and the first answer is kept.
    pub fn derived<T: std::any::Any + Send + Sync>(&self, read: impl FnOnce() -> T) -> Arc<T> {
        let id = std::any::TypeId::of::<T>();
        let memo = || self.derived.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = memo().get(&id).cloned() {
            if let Ok(v) = v.downcast::<T>() {
                return v;
            }
        }
        let made: Arc<dyn std::any::Any + Send + Sync> = Arc::new(read());
        let kept = memo().entry(id).or_insert(made).clone();
        kept.downcast::<T>()
            .unwrap_or_else(|_| unreachable!("kept under its own type id"))
    }

    /// Run `f` with the repository (under its lock).
    pub fn with_repo<R>(&self, f: impl FnOnce(&Repository) -> R) -> R {
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        f(&repo)
    }

    /// Markers of a git operation in progress (or a crashed one): never apply during them.
    pub fn busy(&self) -> Option<String> {
        [
            "index.lock",
            "MERGE_HEAD",
            "CHERRY_PICK_HEAD",
            "REVERT_HEAD",
            "rebase-merge",
            "rebase-apply",
            "BISECT_LOG",
        ]
        .iter()
        .find(|m| self.git_dir.join(m).exists())
        .map(|m| format!("git operation in progress (.git/{m} exists)"))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    /// Run git in `dir` with a fixed identity and branch name.
    pub(crate) fn git(dir: &Path, args: &[&str]) {
        let ok = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@t",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    }

    /// A derived value is read once per type, and each type keeps its own.
    #[test]
    fn derived_values_are_read_once_per_type() {
        let d = tempfile::tempdir().unwrap();
        git(d.path(), &["init", "-q", "."]);
        let g = super::GitInfo::discover(d.path()).unwrap().unwrap();
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let read = |v: u32| {
            reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            v
        };
        assert_eq!(*g.derived(|| read(7)), 7);
        assert_eq!(*g.derived(|| read(8)), 7, "the first reading is kept");
        assert_eq!(*g.derived(|| String::from("x")), "x");
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
