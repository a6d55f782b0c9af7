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

mod types;

use std::collections::HashSet;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use crate::docker::files::is_build_file_name;
use crate::fsx::{
    fstatx, list_fresh_dir, open_dir, open_dir_at, statx_at, statx_name, Meta, DIR_FLAGS,
};
use rayon::prelude::*;
use rustix::fs::Mode;

pub use types::*;

use crate::classify::{self, is_git_name, is_own_state, Facts, Protection, Verdict};
use crate::error::{Error, Result};
use crate::git::GitInfo;
use crate::relpath::RelPath;
use crate::rules::{Action, GitGuard, RuleSet};

/// Knobs the CLI turns; the scanner sees nothing else of it.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// "Now" for age guards (fixed in tests).
    pub now: SystemTime,
    /// Count the root's `.git` directory but do not walk it (for the gate, which never reports
    /// the tree's total and should cost about what `git status` does).
    pub skip_git_dir: bool,
    /// Keep every file's path and size ([`ScanResult::listing`]), so build contexts are read
    /// from it instead of a walk of their own (the gate and the audit; not `plan`, whose trees
    /// run to millions of files).
    pub keep_listing: bool,
    /// Size dependency directories and size-only subtrees the fast way
    /// ([`Scanner::size_fast`]). Off only to check that it changes nothing.
    pub fast_sizing: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            now: SystemTime::now(),
            skip_git_dir: false,
            keep_listing: false,
            fast_sizing: true,
        }
    }
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

#[derive(Clone, Copy)]
enum WalkMode {
    /// Classify every child.
    Normal,
    /// Inside a selected directory: size, and watch for blockers.
    Matched { rule: usize, regenerable: bool },
    /// Size only (`.git`, nested repositories, kept directories).
    SizeOnly,
}

impl WalkMode {
    /// The rule a matched walk is sizing for.
    fn rule(self) -> Option<usize> {
        match self {
            WalkMode::Matched { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

struct LinkRec {
    dev: u64,
    ino: u64,
    bytes: u64,
    disk: u64,
    path: RelPath,
}

#[derive(Default)]
struct Acc {
    stats: Stats,
    found: Vec<Found>,
    protected: Vec<Protected>,
    notes: Vec<Note>,
    links: Vec<LinkRec>,
    kept: Vec<RelPath>,
    /// The root's own `.git`, sized on its own so reports can speak of the work tree.
    git_dir: Stats,
    /// Inside a selected directory: something below may not be deleted.
    blocked: bool,
    /// With `keep_listing`: the files seen, one chunk per directory (flattened once at the end,
    /// where merging each subtree's files into its parent's list moved every entry once per
    /// level), and the directories not listed.
    seen: Vec<Vec<Seen>>,
    unlisted: Vec<RelPath>,
    build_files: Vec<Seen>,
    /// Directories sized by [`Scanner::size_fast`].
    sized_fast: u64,
}

impl Acc {
    fn merge(&mut self, o: Acc) {
        self.stats.add(&o.stats);
        self.found.extend(o.found);
        self.protected.extend(o.protected);
        self.notes.extend(o.notes);
        self.links.extend(o.links);
        self.kept.extend(o.kept);
        self.git_dir.add(&o.git_dir);
        self.blocked |= o.blocked;
        self.seen.extend(o.seen);
        self.unlisted.extend(o.unlisted);
        self.build_files.extend(o.build_files);
        self.sized_fast += o.sized_fast;
    }
    fn note(&mut self, path: &RelPath, kind: NoteKind, message: impl Into<String>) {
        self.notes.push(Note {
            path: path.clone(),
            kind,
            message: message.into(),
        });
    }
    fn protect(
        &mut self,
        path: &RelPath,
        p: Protection,
        keep: Option<usize>,
        shadowed: Option<usize>,
    ) {
        self.protected.push(Protected {
            path: path.clone(),
            protection: p,
            keep_rule: keep,
            shadowed,
        });
    }
}

/// One listed child. `meta` is `None` for a directory known from d_type alone, not yet opened.
struct Child {
    /// Its name is the last component: no second copy per entry.
    rel: RelPath,
    meta: Option<Meta>,
}

/// Guard facts for a real child, answered from the listing and the parent's handle.
struct RealFacts<'a> {
    fd: BorrowedFd<'a>,
    names: &'a [(Vec<u8>, bool)],
    child: &'a Child,
    now: SystemTime,
    git: Option<&'a GitInfo>,
}

impl Facts for RealFacts<'_> {
    fn siblings(&self) -> Vec<&[u8]> {
        self.names.iter().map(|(n, _)| n.as_slice()).collect()
    }
    fn has_inside(&self, name: &str) -> bool {
        let mut p = self.child.name().to_vec();
        p.push(b'/');
        p.extend_from_slice(name.as_bytes());
        statx_at(self.fd, &p).is_ok()
    }
    fn age_days(&self) -> Option<f64> {
        // A directory is not stat'ed before it is classified; the few an age guard asks about
        // are stat'ed here.
        let secs = match self.child.meta {
            Some(m) => m.mtime_sec,
            None => statx_at(self.fd, self.child.name()).ok()?.stx_mtime.tv_sec,
        };
        let secs = secs.max(0) as u64;
        let mtime = SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(secs))?;
        let age = self.now.duration_since(mtime).unwrap_or_default();
        Some(age.as_secs_f64() / 86_400.0)
    }
    fn git_state(&self) -> GitGuard {
        match self.git {
            Some(g) => g.state(&self.child.rel),
            None => GitGuard::None,
        }
    }
}

impl Child {
    fn name(&self) -> &[u8] {
        self.rel.file_name()
    }

    /// This child as an entry of `rule`.
    fn found(&self, kind: EntryKind, rule: usize, stats: Stats, identity: Identity) -> Found {
        Found {
            path: self.rel.clone(),
            kind,
            rule,
            stats,
            identity,
        }
    }
}

/// What to do with a child, decided while its parent's handle is open.
#[derive(Clone, Copy)]
enum Plan {
    Walk(WalkMode),
    /// Selected by a rule (a directory is walked in matched mode and decided after).
    Select(usize),
    /// A blocker inside a matched directory: size only.
    Blocked,
}

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

    /// Walk the tree. Per-path problems become notes; only a root that cannot be read fails.
    pub fn run(mut self) -> Result<ScanResult> {
        let fd = open_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let st = fstatx(fd.as_fd()).map_err(|e| Error::io(&self.root, e))?;
        let meta = Meta::from_statx(&st);
        self.root_dev = meta.id.dev;
        self.fd_budget = crate::limits::fd_budget();
        // Recursion depth follows the tree's depth (up to MAX_DEPTH).
        let pool = crate::limits::deep_pool(self.opts.threads, "mami-scan")
            .map_err(|e| Error::Usage(format!("cannot start scan threads: {e}")))?;
        let root_rel = RelPath::root();
        let mut acc = pool.install(|| self.walk(fd, &root_rel, meta.mnt_id, WalkMode::Normal));
        acc.stats.add(&meta.stats());
        Ok(self.finish(acc, meta.id))
    }

    /// Hard links, then deterministic order.
    fn finish(&self, mut acc: Acc, root_id: Identity) -> ScanResult {
        acc.found.sort_by(|a, b| a.path.cmp(&b.path));
        acc.links.sort_by(|a, b| a.path.cmp(&b.path));
        let mut seen = HashSet::new();
        for l in &acc.links {
            if !seen.insert((l.dev, l.ino)) {
                continue;
            }
            acc.stats.bytes += l.bytes;
            acc.stats.disk_bytes += l.disk;
            // The entry holding this link, if any: the link itself or one of its ancestors
            // (entries are disjoint, so at most one matches).
            let mut p = Some(l.path.clone());
            while let Some(cur) = p {
                if let Ok(i) = acc.found.binary_search_by(|f| f.path.cmp(&cur)) {
                    let s = &mut acc.found[i].stats;
                    s.bytes += l.bytes;
                    s.disk_bytes += l.disk;
                    break;
                }
                p = cur.parent().filter(|q| !q.is_root());
            }
        }
        acc.protected.sort_by(|a, b| a.path.cmp(&b.path));
        acc.notes
            .sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
        acc.kept.sort();
        acc.build_files.sort_by(|a, b| a.path.cmp(&b.path));
        let listing = self.opts.keep_listing.then(|| {
            let mut files = Vec::with_capacity(acc.seen.iter().map(Vec::len).sum());
            for chunk in acc.seen.drain(..) {
                files.extend(chunk);
            }
            // Each chunk is one sorted run: the stable sort merges runs instead of sorting anew.
            files.sort_by(|a: &Seen, b: &Seen| a.path.cmp(&b.path));
            acc.unlisted.sort();
            Listing {
                files,
                unlisted: std::mem::take(&mut acc.unlisted),
            }
        });
        ScanResult {
            git_dir: acc.git_dir,
            kept: acc.kept,
            tree: acc.stats,
            found: acc.found,
            protected: acc.protected,
            notes: acc.notes,
            root_identity: Some(root_id),
            listing,
            build_files: acc.build_files,
            sized_fast: acc.sized_fast,
        }
    }

    /// A leaf's own stats as they count toward its parent: a multiply-linked inode's bytes are
    /// deferred to [`Self::finish`], which counts each inode once.
    fn leaf_stats(acc: &mut Acc, rel: &RelPath, m: &Meta) -> Stats {
        let s = m.stats();
        if m.id.nlink > 1 {
            acc.links.push(LinkRec {
                dev: m.id.dev,
                ino: m.id.ino,
                bytes: s.bytes,
                disk: s.disk_bytes,
                path: rel.clone(),
            });
            Stats {
                bytes: 0,
                disk_bytes: 0,
                ..s
            }
        } else {
            s
        }
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

    /// A child's `statx` by name, or `None` (said in `acc`) when it cannot be stat'ed or is a
    /// mount point, which the walk skips (and, inside a selection, protects).
    fn stat_child(
        &self,
        acc: &mut Acc,
        fd: &OwnedFd,
        rel: &RelPath,
        mnt: Option<u64>,
        mode: WalkMode,
    ) -> Option<Meta> {
        let m = match statx_at(fd.as_fd(), rel.file_name()) {
            Ok(st) => Meta::from_statx(&st),
            Err(e) => {
                // Vanished between listing and stat, or unreadable: say so, go on.
                acc.note(rel, NoteKind::Unreadable, format!("cannot stat: {e}"));
                self.unlisted(acc, rel);
                return None;
            }
        };
        if self.is_mount(&m, mnt) {
            acc.note(
                rel,
                NoteKind::MountPoint,
                "mount point inside the tree; skipped, never crossed",
            );
            self.unlisted(acc, rel);
            if let WalkMode::Matched { rule, .. } = mode {
                acc.protect(rel, Protection::MountPoint, None, Some(rule));
                acc.blocked = true;
            }
            return None;
        }
        Some(m)
    }

    /// Phase A: stat each child (a directory only where a rule matched it: d_type says the
    /// rest, and the walk `fstat`s the handle it opens), classify it, decide its plan. Blockers and notes go into `acc`.
    fn decide(
        &self,
        acc: &mut Acc,
        fd: &OwnedFd,
        rel: &RelPath,
        mnt: Option<u64>,
        names: &[(Vec<u8>, bool)],
        mode: WalkMode,
    ) -> Vec<(Child, Plan)> {
        let mut scratch = Vec::new();
        let check_modified = matches!(mode, WalkMode::Matched { .. })
            && self.git.is_some_and(|g| g.modified_under(rel) > 0);
        let check_gitlinks = self.git.is_some_and(|g| g.has_gitlinks());
        let mut out = Vec::with_capacity(names.len());
        for (name, dtype_dir) in names {
            let child_rel = rel.join(name);
            // A directory (d_type says so) is opened and `fstat`ed when it is walked; stat'ing
            // it by name first is only needed where a rule matched it (see below).
            let fast_dir = *dtype_dir;
            let meta = if fast_dir {
                None
            } else {
                match self.stat_child(acc, fd, &child_rel, mnt, mode) {
                    Some(m) => Some(m),
                    None => continue,
                }
            };
            let is_dir = fast_dir || meta.is_some_and(|m| m.kind() == EntryKind::Dir);
            let mut c = Child {
                rel: child_rel,
                meta,
            };
            let facts = RealFacts {
                fd: fd.as_fd(),
                names,
                child: &c,
                now: self.opts.now,
                git: self.git,
            };
            let plan = match mode {
                WalkMode::SizeOnly => Plan::Walk(WalkMode::SizeOnly),
                WalkMode::Matched { rule, regenerable } => {
                    let blocker = if is_own_state(&c.rel, c.name()) {
                        Some((Protection::OwnState, None))
                    } else if is_dir
                        && check_gitlinks
                        && self.git.is_some_and(|g| g.is_gitlink(&c.rel))
                    {
                        Some((Protection::NestedRepo, None))
                    } else if !is_dir
                        && check_modified
                        && self.git.is_some_and(|g| g.is_modified(&c.rel))
                    {
                        Some((Protection::TrackedModified, None))
                    } else if regenerable {
                        // Keep rules protect data; a dependency dir's contents are all regenerable.
                        None
                    } else {
                        match classify::classify(self.rules, &c.rel, is_dir, &facts, &mut scratch) {
                            Verdict::Keep { rule: k, .. } => {
                                acc.kept.push(c.rel.clone());
                                Some((Protection::Keep, Some(k)))
                            }
                            _ => None,
                        }
                    };
                    match blocker {
                        Some((p, keep)) => {
                            acc.protect(&c.rel, p, keep, Some(rule));
                            Plan::Blocked
                        }
                        None => Plan::Walk(mode),
                    }
                }
                WalkMode::Normal if is_git_name(c.name()) => {
                    // The repository's own `.git` (nested ones are caught one level up).
                    if self.opts.skip_git_dir && rel.is_root() {
                        let m = c
                            .meta
                            .or_else(|| self.stat_child(acc, fd, &c.rel, mnt, mode));
                        if let Some(m) = m {
                            acc.stats.add(&m.stats());
                            self.unlisted(acc, &c.rel);
                        }
                        continue;
                    }
                    Plan::Walk(WalkMode::SizeOnly)
                }
                WalkMode::Normal => {
                    let verdict =
                        classify::classify(self.rules, &c.rel, is_dir, &facts, &mut scratch);
                    // A directory a rule matched is stat'ed by name before anything is decided
                    // for it, as it always was: a mount point is skipped here, never kept or
                    // selected. One nothing matched is left to the walk, whose `fstat` of the
                    // opened handle finds a mount point just the same: one system call fewer
                    // per source directory.
                    if c.meta.is_none() && !matches!(verdict, Verdict::None) {
                        match self.stat_child(acc, fd, &c.rel, mnt, mode) {
                            Some(m) => c.meta = Some(m),
                            None => continue,
                        }
                    }
                    let shadowed = match verdict {
                        Verdict::Select { rule } => Some(rule),
                        Verdict::Keep { shadowed, .. } => shadowed,
                        Verdict::None => None,
                    };
                    // A directory no rule matched is walked as usual, and its own listing
                    // shows whether it holds a `.git` (see `walk`): no `statx` for it here,
                    // one fewer per source directory.
                    let nested = is_dir
                        && (self.git.is_some_and(|g| g.is_gitlink(&c.rel))
                            || (!matches!(verdict, Verdict::None)
                                && has_dot_git(fd.as_fd(), c.name())));
                    if nested || is_own_state(&c.rel, c.name()) {
                        if nested {
                            acc.note(&c.rel, NoteKind::NestedRepo, NESTED_REPO);
                        }
                        if shadowed.is_some() {
                            let p = if nested {
                                Protection::NestedRepo
                            } else {
                                Protection::OwnState
                            };
                            acc.protect(&c.rel, p, None, shadowed);
                        }
                        Plan::Walk(WalkMode::SizeOnly)
                    } else {
                        match verdict {
                            Verdict::Keep { rule, shadowed } => {
                                acc.kept.push(c.rel.clone());
                                if shadowed.is_some() {
                                    acc.protect(&c.rel, Protection::Keep, Some(rule), shadowed);
                                }
                                Plan::Walk(WalkMode::SizeOnly)
                            }
                            Verdict::Select { rule } => {
                                let dirty = !is_dir
                                    && self.rules.rules[rule].action == Action::Delete
                                    && self.git.is_some_and(|g| g.is_modified(&c.rel));
                                if dirty {
                                    acc.protect(
                                        &c.rel,
                                        Protection::TrackedModified,
                                        None,
                                        Some(rule),
                                    );
                                    Plan::Walk(WalkMode::Normal)
                                } else {
                                    Plan::Select(rule)
                                }
                            }
                            Verdict::None => Plan::Walk(WalkMode::Normal),
                        }
                    }
                }
            };
            out.push((c, plan));
        }
        out
    }

    /// Phase B: size the leaves, walk the subdirectories in parallel (opened relative to
    /// `parent`), and inside a selection that turned out to hold a blocker, make each unblocked
    /// child an entry of its own.
    fn descend(
        &self,
        parent: &OwnedFd,
        mnt: Option<u64>,
        children: Vec<(Child, Plan)>,
        mode: WalkMode,
        already_blocked: bool,
    ) -> Acc {
        let mut acc = Acc::default();
        let mut dirs = Vec::new();
        // (child, its own stats, blocked) for leaves inside a selection, in case it splits.
        let mut units: Vec<(Child, Stats, bool)> = Vec::new();
        let mut seen_here = Vec::new();
        for (c, plan) in children {
            let Some(m) = c.meta.filter(|m| m.kind() != EntryKind::Dir) else {
                if c.name() == b".git" {
                    acc.build_files.push(Seen {
                        path: c.rel.clone(),
                        kind: EntryKind::Dir,
                        size: 0,
                        link: None,
                    });
                }
                dirs.push((c, plan));
                continue;
            };
            let s = Self::leaf_stats(&mut acc, &c.rel, &m);
            acc.stats.add(&s);
            match plan {
                Plan::Select(rule) => acc.found.push(c.found(m.kind(), rule, s, m.id)),
                Plan::Blocked => acc.blocked = true,
                Plan::Walk(_) => {}
            }
            let seen = |path| Seen {
                path,
                kind: m.kind(),
                size: m.id.size,
                link: (m.id.nlink > 1).then_some((m.id.dev, m.id.ino)),
            };
            let name = c.name();
            if name == b".git" || (m.kind() == EntryKind::File && is_build_file_name(name)) {
                acc.build_files.push(seen(c.rel.clone()));
            }
            if matches!(mode, WalkMode::Matched { .. }) {
                if self.opts.keep_listing {
                    seen_here.push(seen(c.rel.clone()));
                }
                let blocked = matches!(plan, Plan::Blocked);
                units.push((c, s, blocked));
            } else if self.opts.keep_listing {
                seen_here.push(seen(c.rel));
            }
        }
        if !seen_here.is_empty() {
            acc.seen.push(seen_here);
        }

        let dir_units: Vec<(Child, Acc, bool)> = dirs
            .into_par_iter()
            .map(|(mut c, plan)| {
                let mut a = Acc::default();
                let (sub_mode, select, blocked_already) = match plan {
                    Plan::Walk(m) => (m, None, false),
                    Plan::Blocked => (WalkMode::SizeOnly, None, true),
                    Plan::Select(rule) => {
                        let regenerable = self.rules.rules[rule].regenerate.is_some();
                        (WalkMode::Matched { rule, regenerable }, Some(rule), false)
                    }
                };
                // Held until this subtree is done: counts the directory handles open at once.
                let depth = c.rel.as_bytes().iter().filter(|&&b| b == b'/').count() + 1;
                let _slot = match self.fd_slot().filter(|_| depth <= MAX_DEPTH) {
                    Some(slot) => slot,
                    None => return self.too_deep(c, a, sub_mode, mode, select, blocked_already),
                };
                let opened = open_dir_at(parent.as_fd(), c.name())
                    .and_then(|fd| fstatx(fd.as_fd()).map(|st| (fd, Meta::from_statx(&st))));
                let (fd, m) = match opened {
                    Ok(x) => x,
                    Err(e) => {
                        if let Some(m) = c.meta {
                            a.stats.add(&m.stats());
                        }
                        a.note(&c.rel, NoteKind::Unreadable, format!("cannot open: {e}"));
                        self.unlisted(&mut a, &c.rel);
                        let selecting = !matches!(sub_mode, WalkMode::SizeOnly)
                            || matches!(mode, WalkMode::Matched { .. });
                        if selecting && !blocked_already {
                            a.blocked = true;
                            a.protect(
                                &c.rel,
                                Protection::Unreadable,
                                None,
                                select.or(sub_mode.rule()).or(mode.rule()),
                            );
                        }
                        let blocked = a.blocked;
                        a.blocked = false;
                        return (c, a, blocked || blocked_already);
                    }
                };
                match c.meta {
                    Some(seen) if seen.id.ino != m.id.ino || seen.id.dev != m.id.dev => {
                        a.note(
                            &c.rel,
                            NoteKind::Changed,
                            "replaced while being scanned; skipped",
                        );
                        self.unlisted(&mut a, &c.rel);
                        return (c, a, true);
                    }
                    None if self.is_mount(&m, mnt) => {
                        a.note(
                            &c.rel,
                            NoteKind::MountPoint,
                            "mount point inside the tree; skipped, never crossed",
                        );
                        self.unlisted(&mut a, &c.rel);
                        let blocked = matches!(mode, WalkMode::Matched { .. });
                        if blocked {
                            a.protect(&c.rel, Protection::MountPoint, None, mode.rule());
                        }
                        return (c, a, blocked);
                    }
                    _ => {}
                }
                c.meta = Some(m);
                a.stats.add(&m.stats());
                let sub = match self.sizing_only(sub_mode, &c.rel) {
                    true => self.size_fast(fd.as_fd(), &c.rel, depth, m.mnt_id, sub_mode),
                    false => None,
                };
                let sub = match sub {
                    Some(sub) => {
                        // Sized, not listed: a build context that takes it in reads it from
                        // the disk (one with it ignored, as it should be, never does).
                        self.unlisted(&mut a, &c.rel);
                        sub
                    }
                    // Something to report below (or no fast path here): the full walk, from
                    // the start of the listing.
                    None => match rustix::fs::seek(&fd, rustix::fs::SeekFrom::Start(0)) {
                        Ok(_) => self.walk(fd, &c.rel, m.mnt_id, sub_mode),
                        Err(e) => self.unlistable(&c.rel, sub_mode, e),
                    },
                };
                let sub_blocked = sub.blocked;
                a.merge(sub);
                if c.rel.as_bytes() == b".git" {
                    a.git_dir = a.stats;
                }
                a.blocked = false;
                if let Some(rule) = select {
                    if !sub_blocked {
                        a.found.push(c.found(EntryKind::Dir, rule, a.stats, m.id));
                    }
                }
                let blocked =
                    blocked_already || (matches!(mode, WalkMode::Matched { .. }) && sub_blocked);
                (c, a, blocked)
            })
            .collect();

        let WalkMode::Matched { rule, .. } = mode else {
            for (_, a, _) in dir_units {
                acc.merge(a);
            }
            return acc;
        };
        let split = already_blocked
            || acc.blocked
            || units.iter().any(|u| u.2)
            || dir_units.iter().any(|u| u.2);
        if split {
            for (c, s, blocked) in &units {
                if let (false, Some(m)) = (blocked, c.meta) {
                    acc.found.push(c.found(m.kind(), rule, *s, m.id));
                }
            }
        }
        for (c, mut a, blocked) in dir_units {
            if split && !blocked {
                if let Some(m) = c.meta {
                    a.found.push(c.found(EntryKind::Dir, rule, a.stats, m.id));
                }
            }
            acc.merge(a);
        }
        acc.blocked = split;
        acc
    }
}

impl Scanner<'_> {
    /// Whether the subtree at `rel`, walked in `mode`, is only sized: nothing in it is
    /// classified or kept, so [`Self::size_fast`] may walk it (and a listing leaves it out, as
    /// [`Listing::unlisted`]). Inside a selection that holds only regenerable files (dependency
    /// directories: keep rules do not look inside), and in size-only subtrees (`.git`, nested
    /// repositories, kept directories).
    fn sizing_only(&self, mode: WalkMode, rel: &RelPath) -> bool {
        if !self.opts.fast_sizing || self.holds_too_deep(rel) {
            return false;
        }
        match mode {
            WalkMode::SizeOnly => true,
            WalkMode::Matched {
                regenerable: true, ..
            } => self
                .git
                .is_none_or(|g| !g.has_gitlinks() && g.modified_under(rel) == 0),
            _ => false,
        }
    }

    /// Fast sizing reached [`MAX_DEPTH`] at `deepest`: the full walk takes over there and
    /// reports it, and no directory above it is fast-sized again (each level would walk the
    /// whole chain below it once more: quadratic in the depth).
    fn too_deep_for_fast(&self, deepest: RelPath) {
        self.deep
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(deepest);
        self.any_deep.store(true, Ordering::Relaxed);
    }

    /// Whether `rel` holds a directory fast sizing found too deep.
    fn holds_too_deep(&self, rel: &RelPath) -> bool {
        self.any_deep.load(Ordering::Relaxed)
            && self
                .deep
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .any(|d| d.starts_with(rel))
    }

    /// Size the directory open as `fd` the way the bare walk does (`bench/`'s floor): no names
    /// kept or sorted, no path made per file, no classification. It gives up (`None`) at the
    /// first thing the full walk would have to say or decide: a `.git` or mami-clean's own
    /// state inside a selection, a mount point, an entry that cannot be read or changed under
    /// it, the open-file budget. The caller then walks the directory the full way, so what
    /// is reported never depends on which path sized it. Most of a large tree sits in such
    /// subtrees (`node_modules`, `.venv`, `.git`).
    fn size_fast(
        &self,
        fd: BorrowedFd<'_>,
        rel: &RelPath,
        depth: usize,
        mnt: Option<u64>,
        mode: WalkMode,
    ) -> Option<Acc> {
        let selected = matches!(mode, WalkMode::Matched { .. });
        let mut acc = Acc::default();
        let mut subdirs: Vec<(std::ffi::CString, Option<Meta>)> = Vec::new();
        let mut buf = Vec::with_capacity(16 * 1024);
        let mut dir = rustix::fs::RawDir::new(fd, buf.spare_capacity_mut());
        let mut entries = 0;
        while let Some(e) = dir.next() {
            let e = e.ok()?;
            let name = e.file_name();
            let bytes = name.to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            entries += 1;
            if selected && (is_git_name(bytes) || is_own_state(&RelPath::root(), bytes)) {
                return None;
            }
            // A `.git` is kept as the full walk keeps it (see `descend`): it marks a repository
            // of its own for the build files found beside it.
            let git_dir = |acc: &mut Acc| {
                acc.build_files.push(Seen {
                    path: rel.join(bytes),
                    kind: EntryKind::Dir,
                    size: 0,
                    link: None,
                })
            };
            if e.file_type() == rustix::fs::FileType::Directory {
                if bytes == b".git" {
                    git_dir(&mut acc);
                }
                subdirs.push((name.to_owned(), None));
                continue;
            }
            let m = Meta::from_statx(&statx_name(fd, name).ok()?);
            if m.kind() == EntryKind::Dir {
                // The listing did not say (d_type unknown): checked again once opened.
                if bytes == b".git" {
                    git_dir(&mut acc);
                }
                subdirs.push((name.to_owned(), Some(m)));
                continue;
            }
            let lazy = std::cell::OnceCell::new();
            let path = || lazy.get_or_init(|| rel.join(bytes)).clone();
            let s = if m.id.nlink > 1 {
                Self::leaf_stats(&mut acc, &path(), &m)
            } else {
                m.stats()
            };
            acc.stats.add(&s);
            if bytes == b".git" || (m.kind() == EntryKind::File && is_build_file_name(bytes)) {
                acc.build_files.push(Seen {
                    path: path(),
                    kind: m.kind(),
                    size: m.id.size,
                    link: (m.id.nlink > 1).then_some((m.id.dev, m.id.ino)),
                });
            }
        }
        self.progress.tick(entries);
        let below = subdirs
            .into_par_iter()
            .map(|(name, seen)| {
                if depth >= MAX_DEPTH {
                    self.too_deep_for_fast(rel.join(name.to_bytes()));
                    return None;
                }
                let _slot = self.fd_slot()?;
                let sub = rustix::fs::openat(fd, name.as_c_str(), DIR_FLAGS, Mode::empty()).ok()?;
                let m = Meta::from_statx(&fstatx(sub.as_fd()).ok()?);
                let replaced = seen.is_some_and(|s| (s.id.dev, s.id.ino) != (m.id.dev, m.id.ino));
                if replaced || self.is_mount(&m, mnt) {
                    return None;
                }
                let crel = rel.join(name.to_bytes());
                let mut a = self.size_fast(sub.as_fd(), &crel, depth + 1, m.mnt_id, mode)?;
                a.stats.add(&m.stats());
                Some(a)
            })
            .try_reduce(Acc::default, |mut a, b| {
                a.merge(b);
                Some(a)
            })?;
        acc.merge(below);
        acc.sized_fast += 1;
        Some(acc)
    }
}

/// Does directory `name` (under the open `parent`) hold a `.git` (a directory, or the file a
/// submodule or worktree has)?
fn has_dot_git(parent: BorrowedFd<'_>, name: &[u8]) -> bool {
    let mut p = name.to_vec();
    p.extend_from_slice(b"/.git");
    statx_at(parent, &p).is_ok()
}
