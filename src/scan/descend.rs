//! Phase B of a directory: size the leaves, walk the subdirectories in parallel, and split a
//! selection that turned out to hold something that may not be deleted.

use super::acc::*;
use super::*;
use crate::relpath::{Part, Runs};

impl Scanner<'_> {
    /// Phase B: size the leaves, walk the subdirectories in parallel (opened relative to
    /// `parent`), and inside a selection that turned out to hold a blocker, make each unblocked
    /// child an entry of its own.
    pub(super) fn descend(
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
        // The listing, cut at each subdirectory: its files go between these runs, so the
        // listing comes out sorted (children come sorted; `finish` then need not sort it).
        let mut runs = Runs::default();
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
                runs.cut();
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
            if name == b".git" || (m.kind() == EntryKind::File && (self.opts.noted)(name)) {
                acc.build_files.push(seen(c.rel.clone()));
            }
            if matches!(mode, WalkMode::Matched { .. }) {
                if self.opts.keep_listing {
                    runs.push(seen(c.rel.clone()));
                }
                let blocked = matches!(plan, Plan::Blocked);
                units.push((c, s, blocked));
            } else if self.opts.keep_listing {
                runs.push(seen(c.rel));
            }
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
                // Only a directory sized fast is listed as it goes (the caller's question,
                // asked once per such directory, not of every directory walked).
                let mut list = false;
                let sub = if self.unmeasured(sub_mode, &c.rel) {
                    Some(Acc::default())
                } else if self.sizing_only(sub_mode, &c.rel) {
                    list = self.lists(sub_mode, &c.rel);
                    self.size_fast(fd.as_fd(), &c.rel, depth, m.mnt_id, sub_mode, list)
                } else {
                    None
                };
                let sub = match sub {
                    Some(sub) => {
                        // Sized, and unless listed for a context the caller named, not listed:
                        // a build context that takes it in reads it from the disk (one with it
                        // ignored, as it should be, never does).
                        if !list {
                            self.unlisted(&mut a, &c.rel);
                        }
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
                if self.opts.keep_dir_bytes {
                    a.dir_bytes.push((c.rel.clone(), a.stats.bytes));
                }
                if c.rel.as_bytes() == b".git" {
                    a.git_dir = a.stats;
                }
                a.blocked = false;
                if let Some(rule) = select {
                    if !sub_blocked {
                        a.found.push(c.found(EntryKind::Dir, rule, a.stats, m.id));
                    } else {
                        // Its parts, however deep the split went, belong to this selection.
                        for f in &mut a.found {
                            f.split_from = Some(c.rel.clone());
                        }
                    }
                }
                let blocked =
                    blocked_already || (matches!(mode, WalkMode::Matched { .. }) && sub_blocked);
                (c, a, blocked)
            })
            .collect();

        let WalkMode::Matched { rule, .. } = mode else {
            for part in runs.between(dir_units) {
                match part {
                    Part::Run(r) => acc.seen.push(r),
                    Part::Sub((_, a, _)) => acc.merge(a),
                }
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
        for part in runs.between(dir_units) {
            let (c, mut a, blocked) = match part {
                Part::Run(r) => {
                    acc.seen.push(r);
                    continue;
                }
                Part::Sub(sub) => sub,
            };
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
