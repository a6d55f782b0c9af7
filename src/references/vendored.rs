//! Code vendored from another project is its authors', not litter: a `*_old.py` or a
//! `tests/manual_test_*.py` that kohya-ss' sd-scripts ships is still there in
//! Ktiseos-Nyx-Trainer's copy of it (`trainer/derrian_backend/sd_scripts/`, with its own
//! `LICENSE.md`). A folder below the root that tracks a licence of its own is a project of its
//! own; what a name rule picks inside it is reported for review. Its files, in turn, refer
//! to their own project's paths: the `-cpuprofile cpu.out` in lazygit's
//! `vendor/github.com/buger/jsonparser/Makefile` names that library's profile, not a `cpu.out`
//! at lazygit's root.

use std::collections::HashMap;

use super::{Candidate, RefKind, Reference};
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// The names a licence file starts with, as projects spell them.
const LICENCE_NAMES: &[&str] = &["LICENSE", "LICENCE", "COPYING", "License", "license"];

/// Add to `out` each candidate (not referred to already) that lies inside a folder with a
/// licence of its own, below the root and above what its rule named.
pub(super) fn inside_projects(
    g: &GitInfo,
    cands: &[Candidate],
    out: &mut HashMap<RelPath, Reference>,
) {
    let mut licensed = Licensed::new(g);
    for c in cands {
        if out.contains_key(c.path) {
            continue;
        }
        // Above the whole selection: a copy of the project keeps the project's licence.
        if let Some((_, r)) = licensed.nearest(c.named().0.as_bytes()) {
            out.insert(c.path.clone(), r);
        }
    }
}

/// The licence of `dir`, when it is not the root's own (`root`): a folder that carries the
/// root's licence file, byte for byte, is a copy of this project (agent-web-scraper's
/// `archive/worktrees/*/`), not someone else's.
fn licence_of(g: &GitInfo, root: Option<&[u8]>, dir: &RelPath) -> Option<Reference> {
    let file = g.tracked_child_named(dir, LICENCE_NAMES)?;
    if root.is_some_and(|r| g.same_blob(r, file)) {
        return None;
    }
    Some(Reference {
        file: String::from_utf8_lossy(file).into_owned(),
        line: 0,
        excerpt: String::from_utf8_lossy(dir.as_bytes()).into_owned(),
        kind: RefKind::Vendored,
    })
}

/// The folders below the root with a licence of their own, asked once per folder: for a
/// candidate, the project it is part of; for a referring file, the project whose paths it
/// names ([`Licensed::home_of`]).
pub(super) struct Licensed<'g> {
    g: &'g GitInfo,
    root: Option<&'g [u8]>,
    licence: HashMap<Vec<u8>, Option<Reference>>,
}

impl<'g> Licensed<'g> {
    pub(super) fn new(g: &'g GitInfo) -> Licensed<'g> {
        let root = g.tracked_child_named(&RelPath::from_bytes(b""), LICENCE_NAMES);
        Licensed {
            g,
            root,
            licence: HashMap::new(),
        }
    }

    /// The nearest folder above `path` with a licence other than the root's, and that licence.
    fn nearest(&mut self, path: &[u8]) -> Option<(RelPath, Reference)> {
        let mut dir = crate::relpath::parent_of(path);
        while !dir.is_empty() {
            if !self.licence.contains_key(dir) {
                let found = licence_of(self.g, self.root, &RelPath::from_bytes(dir));
                self.licence.insert(dir.to_vec(), found);
            }
            if let Some(r) = &self.licence[dir] {
                return Some((RelPath::from_bytes(dir), r.clone()));
            }
            dir = crate::relpath::parent_of(dir);
        }
        None
    }

    /// The project whose paths the file `file` names: the nearest folder above it with a
    /// licence of its own, only where the root has one, since without one a licensed folder
    /// is as likely the project itself (its `backend/README.md` telling users to run the
    /// root's `start.bat`).
    pub(super) fn home_of(&mut self, file: &RelPath) -> Option<RelPath> {
        self.root?;
        self.nearest(file.as_bytes()).map(|(dir, _)| dir)
    }
}
