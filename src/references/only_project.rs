//! A folder a name rule picks that holds the only project the repository tracks is that
//! project, whatever its name: Admincssindiaonline/backup tracks a Laravel app in `backup/`
//! (its `composer.json`, `artisan`, `app/`) and one file beside it. `backup-dirs` matched the
//! name, and the plan deleted 100% of the tree. A backup sits beside the project it copies;
//! where no build manifest is tracked outside the selected folders, there is none beside it.

use std::collections::HashMap;

use super::{Candidate, RefKind, Reference};
use crate::git::GitInfo;
use crate::relpath::{within, RelPath};

/// Files that make a directory a project of some ecosystem.
const MANIFESTS: &[&[u8]] = &[
    b"package.json",
    b"composer.json",
    b"pyproject.toml",
    b"setup.py",
    b"requirements.txt",
    b"manage.py",
    b"go.mod",
    b"Cargo.toml",
    b"pom.xml",
    b"build.gradle",
    b"build.gradle.kts",
    b"Gemfile",
    b"mix.exs",
    b"pubspec.yaml",
];

/// Add to `out` each folder candidate (not referred to already) that holds a manifest, when
/// every manifest the repository tracks lies in one of the candidate folders.
pub(super) fn only_projects(
    g: &GitInfo,
    cands: &[Candidate],
    out: &mut HashMap<RelPath, Reference>,
) {
    let dirs: Vec<&RelPath> = (cands.iter())
        .filter_map(|c| match c.named() {
            (d, true) => Some(d),
            _ => None,
        })
        .collect();
    if dirs.is_empty() {
        return;
    }
    let mut first: HashMap<&RelPath, Vec<u8>> = HashMap::new();
    for p in g.tracked_files() {
        let name = p.rsplit(|&b| b == b'/').next().unwrap_or(p);
        // A package's own manifest inside a dependency tree says nothing of the project.
        let bundled = (p.split(|&b| b == b'/')).any(|c| c == b"node_modules" || c == b"vendor");
        if !MANIFESTS.contains(&name) || bundled {
            continue;
        }
        match dirs.iter().find(|d| within(p, d.as_bytes())) {
            Some(d) => {
                first.entry(*d).or_insert_with(|| p.to_vec());
            }
            // A project outside every selected folder: the folders are beside it.
            None => return,
        }
    }
    for c in cands {
        let (d, true) = c.named() else { continue };
        if out.contains_key(c.path) {
            continue;
        }
        if let Some(m) = first.get(d) {
            let r = Reference {
                file: String::from_utf8_lossy(m).into_owned(),
                line: 0,
                excerpt: String::from_utf8_lossy(d.as_bytes()).into_owned(),
                kind: RefKind::OnlyProject,
            };
            out.insert(c.path.clone(), r);
        }
    }
}
