//! The parallel scan: one walk that sizes every path and classifies the ones it must.
//!
//! Shape, and why:
//! - Directory-handle relative: each directory is opened with `O_NOFOLLOW|O_DIRECTORY`, listed,
//!   and every child is `statx`ed relative to that handle. No symlink is ever followed, and a
//!   name is resolved once, not along a long absolute path per file.
//! - Subdirectories are opened relative to their parent's handle, which stays open while they
//!   are walked: open descriptors are bounded by depth × threads (fts and `rm -r` hold one per
//!   level too). A directory the listing's d_type says is a directory is not stat'ed by name
//!   (unless a rule matched it): it is opened and `fstat`ed, one lookup instead of two.
//! - Subdirectories are walked in parallel with rayon (`par_iter` keeps their order, so merging
//!   is deterministic); each call returns its own accumulator and nothing is shared but a
//!   progress counter.
//! - A directory a rule selects is not classified inside: it is only sized, while watching for
//!   what may not be deleted inside it (nested repositories, mount points, keep matches,
//!   modified tracked files). If it holds such a thing the selection splits: its other children
//!   become entries of the same rule, and the blocker is reported as protected.
//! - Dependency directories (selections whose contents are all regenerable) and size-only
//!   subtrees (`.git`, nested repositories) hold most of a large tree's files and need only
//!   their sizes: they are sized by a walk as bare as `bench/`'s floor (no name kept or sorted,
//!   no path made per file), which hands the directory back to the full walk at the first
//!   thing it would have to report. ~15% of `plan` on the 1M-file benchmark tree.
//! - Hard links: a multiply-linked inode is counted once, in the first path in sorted order,
//!   after the walk, so sizes match `du` and do not depend on thread timing.

mod acc;
mod decide;
mod descend;
mod fast;
mod finish;
mod options;
mod types;
mod within;

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::fsx::{
    fstatx, list_fresh_dir, open_dir, open_dir_at, statx_at, statx_name, Meta, DIR_FLAGS,
};
use rayon::prelude::*;
use rustix::fs::Mode;

pub use options::*;
pub use types::*;

use acc::*;
use fast::has_dot_git;

use crate::classify::{self, is_env_name, is_git_name, is_own_state, Protection, Verdict};
use crate::error::{Error, Result};
use crate::git::GitInfo;
use crate::relpath::RelPath;
use crate::rules::{Action, RuleSet};

const NESTED_REPO: &str = "nested git repository or submodule; reported, never entered";

pub use crate::limits::MAX_DEPTH;

/// A directory handle counted against the scan's budget of open files.
struct FdSlot<'a>(&'a AtomicUsize);

impl Drop for FdSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct Scanner<'a> {
    root: PathBuf,
    /// Directory handles open right now, and how many may be: each level of the walk holds its
    /// directory open while its subdirectories are walked, so a very deep tree under a low
    /// `ulimit -n` would run out. Past the budget a subtree is reported, not scanned.
    open_dirs: AtomicUsize,
    fd_budget: usize,
    rules: &'a RuleSet,
    git: Option<&'a GitInfo>,
    opts: ScanOptions,
    progress: Progress,
    root_dev: u64,
    /// Where fast sizing met the depth cap ([`Scanner::too_deep_for_fast`]).
    deep: std::sync::Mutex<Vec<RelPath>>,
    any_deep: std::sync::atomic::AtomicBool,
}

impl<'a> Scanner<'a> {
    /// `root` must be an absolute path to a directory.
    pub fn new(
        root: &Path,
        rules: &'a RuleSet,
        git: Option<&'a GitInfo>,
        opts: ScanOptions,
    ) -> Self {
        Scanner {
            root: root.to_path_buf(),
            rules,
            git,
            opts,
            progress: Progress::default(),
            root_dev: 0,
            open_dirs: AtomicUsize::new(0),
            fd_budget: 0,
            deep: Default::default(),
            any_deep: Default::default(),
        }
    }

    fn fd_slot(&self) -> Option<FdSlot<'_>> {
        if self.open_dirs.fetch_add(1, Ordering::SeqCst) >= self.fd_budget {
            self.open_dirs.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(FdSlot(&self.open_dirs))
    }

    /// A subdirectory left unscanned because the open-file budget is spent: said plainly, and
    /// (inside a selection) protected, since what it holds is unknown.
    fn too_deep(
        &self,
        c: Child,
        mut a: Acc,
        sub_mode: WalkMode,
        mode: WalkMode,
        select: Option<usize>,
        blocked_already: bool,
    ) -> (Child, Acc, bool) {
        if let Some(m) = c.meta {
            a.stats.add(&m.stats());
        }
        self.unlisted(&mut a, &c.rel);
        a.note(
            &c.rel,
            NoteKind::Unreadable,
            format!("not scanned: deeper than {MAX_DEPTH} levels, or {} directories open and the open-file limit allows no more (raise `ulimit -n`)", self.fd_budget),
        );
        let selecting =
            !matches!(sub_mode, WalkMode::SizeOnly) || matches!(mode, WalkMode::Matched { .. });
        if selecting && !blocked_already {
            a.protect(
                &c.rel,
                Protection::Unreadable,
                None,
                select.or(sub_mode.rule()).or(mode.rule()),
            );
        }
        (c, a, selecting || blocked_already)
    }

    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }

    /// The root, opened; the walk's device and open-file budget set from it.
    fn open_root(&mut self) -> Result<(OwnedFd, Meta)> {
        let fd = open_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let st = fstatx(fd.as_fd()).map_err(|e| Error::io(&self.root, e))?;
        let meta = Meta::from_statx(&st);
        self.root_dev = meta.id.dev;
        self.fd_budget = crate::limits::fd_budget();
        Ok((fd, meta))
    }

    /// Walk the tree. Per-path problems become notes; only a root that cannot be read fails.
    pub fn run(mut self) -> Result<ScanResult> {
        let (fd, meta) = self.open_root()?;
        // Recursion depth follows the tree's depth (up to MAX_DEPTH).
        let root_rel = RelPath::root();
        let this = &self;
        let mut acc = crate::limits::install_deep(self.opts.threads, "mami-scan", || {
            this.walk(fd, &root_rel, meta.mnt_id, WalkMode::Normal)
        })
        .map_err(|e| Error::Usage(format!("cannot start scan threads: {e}")))?;
        acc.stats.add(&meta.stats());
        Ok(self.finish(acc, meta.id))
    }

    /// A directory the walk did not list, for [`Listing::unlisted`].
    fn unlisted(&self, acc: &mut Acc, rel: &RelPath) {
        if self.opts.keep_listing {
            acc.unlisted.push(rel.clone());
        }
    }

    fn is_mount(&self, m: &Meta, parent_mnt: Option<u64>) -> bool {
        m.kind() == EntryKind::Dir
            && (m.id.dev != self.root_dev
                || matches!((m.mnt_id, parent_mnt), (Some(a), Some(b)) if a != b)
                || m.mount_root)
    }

    /// Walk the directory open as `fd` (whose own size the caller counts).
    fn walk(&self, fd: OwnedFd, rel: &RelPath, mnt: Option<u64>, mode: WalkMode) -> Acc {
        let mut acc = Acc::default();
        let names = match list_fresh_dir(fd.as_fd()) {
            Ok(n) => n,
            Err(e) => return self.unlistable(rel, mode, e),
        };
        self.progress.tick(names.len() as u64);

        // Inside a selection, a `.git` makes this directory a repository of its own: nothing in
        // it may go, so size the rest and report it.
        let mut mode = mode;
        if let WalkMode::Matched { rule, .. } = mode {
            if names.iter().any(|(n, _)| is_git_name(n)) {
                acc.note(
                    rel,
                    NoteKind::NestedRepo,
                    "nested git repository inside a selected directory; kept, never cleaned",
                );
                acc.protect(rel, Protection::NestedRepo, None, Some(rule));
                acc.blocked = true;
                mode = WalkMode::SizeOnly;
            }
        }
        // A directory walked normally (no rule matched it) that holds a `.git` is a nested
        // repository: sized, reported, never classified.
        if matches!(mode, WalkMode::Normal)
            && !rel.is_root()
            && names.iter().any(|(n, _)| n == b".git")
        {
            acc.note(rel, NoteKind::NestedRepo, NESTED_REPO);
            mode = WalkMode::SizeOnly;
        }
        let children = self.decide(&mut acc, &fd, rel, mnt, &names, mode);
        let sub = self.descend(&fd, mnt, children, mode, acc.blocked);
        acc.merge(sub);
        acc
    }

    /// A directory that could not be listed: said, and inside a selection protected (what it
    /// holds is unknown).
    fn unlistable(&self, rel: &RelPath, mode: WalkMode, e: impl std::fmt::Display) -> Acc {
        let mut acc = Acc::default();
        acc.note(rel, NoteKind::Unreadable, format!("cannot list: {e}"));
        self.unlisted(&mut acc, rel);
        if !matches!(mode, WalkMode::SizeOnly) {
            acc.blocked = true;
            acc.protect(rel, Protection::Unreadable, None, mode.rule());
        }
        acc
    }
}
