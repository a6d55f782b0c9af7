//! Phase A of a directory: each child's `statx` (or none, where d_type says enough), and what
//! to do with it: walk it, select it for a rule, protect it, or only size it.

use super::acc::*;
use super::*;
use std::os::unix::ffi::OsStrExt;

impl Scanner<'_> {
    /// A child's `statx` by name, or `None` (said in `acc`) when it cannot be stat'ed or is a
    /// mount point, which the walk skips (and, inside a selection, protects).
    pub(super) fn stat_child(
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
    pub(super) fn decide(
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
            && self.git.is_some_and(|g| g.may_have_modified(rel));
        let check_gitlinks = self.git.is_some_and(|g| g.has_gitlinks());
        // Whether a child file has uncommitted changes, with what the index says of this
        // folder asked once for all of them.
        let folder = std::cell::OnceCell::new();
        let modified = |c: &Child| {
            self.git.is_some_and(|g| {
                let folder = folder.get_or_init(|| g.folder_stat(rel));
                g.is_modified_in(folder, &c.rel, c.meta.as_ref())
            })
        };
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
                root_name: self.root.file_name().map(|n| n.as_bytes()),
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
                    } else if !is_dir && check_modified && modified(&c) {
                        Some((Protection::TrackedModified, None))
                    } else if regenerable && (is_dir || !is_env_name(c.name())) {
                        // Keep rules protect data; a dependency dir's contents are regenerable,
                        // but for an environment file put there (`dist/.env`, `.vercel/`'s
                        // from `vercel pull`), which no build makes and which holds secrets.
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
                                    && modified(&c);
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
}
