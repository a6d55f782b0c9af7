//! What the caller sets (threads, "now", what to keep and to note) and the progress counter
//! it reads; the scanner sees nothing else of the CLI.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

/// Knobs the CLI turns; the scanner sees nothing else of it.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Worker threads; 0 means [`crate::limits::default_threads`].
    pub threads: usize,
    /// "Now" for age guards (fixed in tests).
    pub now: SystemTime,
    /// Count the root's `.git` directory but do not walk it (for the gate, which never reports
    /// the tree's total and should cost about what `git status` does).
    pub skip_git_dir: bool,
    /// Keep every file's path and size ([`ScanResult::listing`]), so build contexts are read
    /// from it instead of a walk of their own. Subtrees only sized (dependency directories,
    /// `.git`) are left out: they hold most of a large tree's files.
    pub keep_listing: bool,
    /// Keep each walked directory's apparent bytes ([`ScanResult::dir_bytes`]), for the
    /// treemap of `plan --format html`.
    pub keep_dir_bytes: bool,
    /// With `keep_listing`: the dependency directories this says yes to (those a build context
    /// known before the scan takes in) are listed as they are sized, so the context is read
    /// from the listing instead of by a second walk after the scan.
    pub list_deps: ListDeps,
    /// Which dependency directories (selected, regenerable, holding no tracked file) are sized.
    /// The gate and the audit need no size of an ignored `node_modules` outside a build
    /// context (the context engine reads what a context holds), so they ask only for the
    /// phases a budget covers; the others are counted as their own directory entry, left out
    /// of the listing, and never walked.
    pub dep_sizes: DepSizes,
    /// Size dependency directories and size-only subtrees the fast way
    /// ([`Scanner::size_fast`]). Off only to check that it changes nothing.
    pub fast_sizing: bool,
    /// Files the caller wants collected in [`ScanResult::build_files`], by name (the Docker
    /// commands pass `docker::names::is_build_file_name`). Given, so the scan knows nothing of
    /// Docker; by default none.
    pub noted: fn(&[u8]) -> bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            now: SystemTime::now(),
            skip_git_dir: false,
            keep_listing: false,
            keep_dir_bytes: false,
            dep_sizes: DepSizes::All,
            list_deps: ListDeps::default(),
            fast_sizing: true,
            noted: |_| false,
        }
    }
}

/// See [`ScanOptions::list_deps`]: which directories (from the root) to list; none by default.
#[derive(Clone, Default)]
pub struct ListDeps(pub Option<Arc<ListsDir>>);

/// Whether to list the dependency directory at this path from the root.
pub type ListsDir = dyn Fn(&crate::relpath::RelPath) -> bool + Send + Sync;

impl ListDeps {
    pub fn lists(&self, rel: &crate::relpath::RelPath) -> bool {
        self.0.as_ref().is_some_and(|f| f(rel))
    }
}

impl std::fmt::Debug for ListDeps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ListDeps(some)"
        } else {
            "ListDeps(none)"
        })
    }
}

/// See [`ScanOptions::dep_sizes`].
#[derive(Debug, Clone, Default, PartialEq)]
pub enum DepSizes {
    /// Every one (`plan`, `apply`: sizes are what they report).
    #[default]
    All,
    /// Only those of these phases.
    Phases(Vec<u8>),
}

/// Counts entries seen, for a progress display that lives outside the core.
#[derive(Debug, Default, Clone)]
pub struct Progress(Arc<AtomicU64>);

impl Progress {
    pub fn entries(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
    pub fn tick(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}
