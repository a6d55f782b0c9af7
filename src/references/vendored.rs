//! Code vendored from another project is its authors', not litter: a `*_old.py` or a
//! `tests/manual_test_*.py` that kohya-ss' sd-scripts ships is still there in
//! Ktiseos-Nyx-Trainer's copy of it (`trainer/derrian_backend/sd_scripts/`, with its own
//! `LICENSE.md`). A folder below the root that tracks a licence of its own is a project of its
//! own; what a name rule picks inside it is reported for review.

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
    let mut licensed: HashMap<Vec<u8>, Option<Reference>> = HashMap::new();
    let root = g.tracked_child_named(&RelPath::from_bytes(b""), LICENCE_NAMES);
    for c in cands {
        if out.contains_key(c.path) {
            continue;
        }
        // Above the whole selection: a copy of the project keeps the project's licence.
        let mut dir = crate::relpath::parent_of(c.named().0.as_bytes());
        while !dir.is_empty() {
            let found = licensed
                .entry(dir.to_vec())
                .or_insert_with(|| licence_of(g, root, &RelPath::from_bytes(dir)));
            if let Some(r) = found {
                out.insert(c.path.clone(), r.clone());
                break;
            }
            dir = crate::relpath::parent_of(dir);
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
