//! Compose projects that are copies of another, kept to be shipped somewhere else: onyx embeds
//! byte-for-byte copies of `deployment/docker_compose/*.yml` in its CLI
//! (`cli/internal/deploy/deployfiles/embedded/docker_compose/`, `go:embed`, a test holding
//! them to the originals), which the CLI writes out where `../../backend` is the project's
//! `backend/`. Read where they lie, their contexts are missing, and every service was an error
//! of a build that does not exist. Such a copy's builds are the original's, audited there.

use std::path::{Path, PathBuf};

use super::compose::Build;

/// The places in `projects` (each a project's compose files, main first, and its builds) of
/// the copies: a project with a build whose context does not exist, whose main compose file
/// has the same bytes as the main file of a project in another directory whose every context
/// does.
pub(super) fn copied_projects(projects: &[(Vec<PathBuf>, Vec<Build>)]) -> Vec<usize> {
    let whole = |b: &[Build]| b.iter().all(|b| b.context.is_dir());
    let main_of = |files: &[PathBuf]| files.first().and_then(|f| read_small(f));
    let originals: Vec<(&Path, Vec<u8>)> = (projects.iter())
        .filter(|(_, builds)| !builds.is_empty() && whole(builds))
        .filter_map(|(files, _)| Some((files.first()?.parent()?, main_of(files)?)))
        .collect();
    if originals.is_empty() {
        return Vec::new();
    }
    (projects.iter().enumerate())
        .filter(|(_, (_, builds))| !whole(builds))
        .filter(|(_, (files, _))| {
            let (Some(dir), Some(bytes)) = (files.first().and_then(|f| f.parent()), main_of(files))
            else {
                return false;
            };
            (originals.iter()).any(|(d, b)| *d != dir && *b == bytes)
        })
        .map(|(i, _)| i)
        .collect()
}

/// A compose file's bytes, where it is small enough to be one.
fn read_small(path: &Path) -> Option<Vec<u8>> {
    let max = crate::limits::MAX_BUILD_FILE_BYTES;
    crate::fsx::read_regular(path, max, false).ok().flatten()
}
