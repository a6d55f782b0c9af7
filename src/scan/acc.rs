//! The walk's working values: how a directory is walked, what one walk hands back to its
//! parent (sizes, entries, protections, notes, hard links, the listing), a listed child, and
//! the guard facts a rule asks of it.

use std::os::fd::BorrowedFd;
use std::time::SystemTime;

use super::*;
use crate::classify::{Content, Facts, Protection};
use crate::fsx::{statx_at, Meta};
use crate::git::GitInfo;
use crate::limits::MAX_COMPARED_BYTES;
use crate::relpath::RelPath;
use crate::rules::GitGuard;

#[derive(Clone, Copy)]
pub(super) enum WalkMode {
    /// Classify every child.
    Normal,
    /// Inside a selected directory: size, and watch for blockers.
    Matched { rule: usize, regenerable: bool },
    /// Size only (`.git`, nested repositories, kept directories).
    SizeOnly,
}

impl WalkMode {
    /// The rule a matched walk is sizing for.
    pub(super) fn rule(self) -> Option<usize> {
        match self {
            WalkMode::Matched { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

pub(super) struct LinkRec {
    pub(super) dev: u64,
    pub(super) ino: u64,
    pub(super) bytes: u64,
    pub(super) disk: u64,
    pub(super) path: RelPath,
}

#[derive(Default)]
pub(super) struct Acc {
    pub(super) stats: Stats,
    pub(super) found: Vec<Found>,
    pub(super) protected: Vec<Protected>,
    pub(super) notes: Vec<Note>,
    pub(super) links: Vec<LinkRec>,
    pub(super) kept: Vec<RelPath>,
    /// The root's own `.git`, sized on its own so reports can speak of the work tree.
    pub(super) git_dir: Stats,
    /// Inside a selected directory: something below may not be deleted.
    pub(super) blocked: bool,
    /// With `keep_listing`: the files seen, one chunk per directory (flattened once at the end,
    /// where merging each subtree's files into its parent's list moved every entry once per
    /// level), and the directories not listed.
    pub(super) seen: Vec<Vec<Seen>>,
    pub(super) unlisted: Vec<RelPath>,
    pub(super) build_files: Vec<Seen>,
    /// Directories sized by [`Scanner::size_fast`].
    pub(super) sized_fast: u64,
    /// With `keep_dir_bytes`: each finished subdirectory and its bytes (before hard links).
    pub(super) dir_bytes: Vec<(RelPath, u64)>,
}

impl Acc {
    pub(super) fn merge(&mut self, o: Acc) {
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
        self.dir_bytes.extend(o.dir_bytes);
    }
    pub(super) fn note(&mut self, path: &RelPath, kind: NoteKind, message: impl Into<String>) {
        self.notes.push(Note {
            path: path.clone(),
            kind,
            message: message.into(),
        });
    }
    pub(super) fn protect(
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
pub(super) struct Child {
    /// Its name is the last component: no second copy per entry.
    pub(super) rel: RelPath,
    pub(super) meta: Option<Meta>,
}

/// Guard facts for a real child, answered from the listing and the parent's handle.
pub(super) struct RealFacts<'a> {
    pub(super) fd: BorrowedFd<'a>,
    pub(super) names: &'a [(Vec<u8>, bool)],
    pub(super) child: &'a Child,
    pub(super) now: SystemTime,
    pub(super) git: Option<&'a GitInfo>,
    /// The name of the scanned root directory.
    pub(super) root_name: Option<&'a [u8]>,
}

impl Facts for RealFacts<'_> {
    fn siblings(&self) -> Vec<&[u8]> {
        self.names.iter().map(|(n, _)| n.as_slice()).collect()
    }
    fn parent_name(&self) -> Option<&[u8]> {
        self.child.rel.parent_name().or(self.root_name)
    }
    fn read_beside(&self, name: &[u8]) -> Content {
        match crate::fsx::read_small_at(self.fd, name, MAX_COMPARED_BYTES) {
            Some(b) => Content::Bytes(b),
            None => Content::Unreadable,
        }
    }
    fn names_in_sibling(&self, name: &[u8]) -> Option<Vec<Vec<u8>>> {
        let fd = crate::fsx::open_dir_at(self.fd, name).ok()?;
        let names = crate::fsx::list_fresh_dir(fd.as_fd()).ok()?;
        Some(names.into_iter().map(|(n, _)| n).collect())
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
    pub(super) fn name(&self) -> &[u8] {
        self.rel.file_name()
    }

    /// This child as an entry of `rule`.
    pub(super) fn found(
        &self,
        kind: EntryKind,
        rule: usize,
        stats: Stats,
        identity: Identity,
    ) -> Found {
        Found {
            path: self.rel.clone(),
            kind,
            rule,
            stats,
            identity,
            split_from: None,
        }
    }
}

/// What to do with a child, decided while its parent's handle is open.
#[derive(Clone, Copy)]
pub(super) enum Plan {
    Walk(WalkMode),
    /// Selected by a rule (a directory is walked in matched mode and decided after).
    Select(usize),
    /// A blocker inside a matched directory: size only.
    Blocked,
}
