//! What a running service is using is not litter, whatever rule picked it by name:
//! - a path in a folder a compose service bind-mounts as its own (`./pgdata:/var/lib/
//!   postgresql/data`, `./redis-data:/data`, `./uploads:/app/uploads`), or a `docker run` in
//!   the project's scripts and docs does (`-v $(pwd)/redis-data:/data`): the service's data,
//!   its `postmaster.pid`, its `dump.rdb`. Deleting Postgres' `postmaster.pid` while the
//!   server runs lets a second server start on the same files. A folder that holds tracked
//!   files the cleanup keeps is the project's code mounted for a dev container (`.:/app`,
//!   `./backend:/app`), cleaned like the rest of the checkout;
//! - a pid file whose process is alive: it is stale only once the process has exited.
//!
//! Both are reported for review, citing the line that mounts the folder, or the pid.

use std::path::Path;

use crate::docker::mounts::{bind_mounts, Mount};
use crate::docker::run_mounts::run_mounts;
use crate::git::GitInfo;
use crate::references::{RefKind, Reference};
use crate::relpath::RelPath;

/// A pid file is a number and a newline; a larger file is something else.
const MAX_PID_FILE_BYTES: u64 = 64;

/// Files committed only to keep an empty folder in git (`qdrant_storage/.gitkeep`, a
/// `data/.gitignore` of `*`): a folder holding nothing else is still a service's data.
const PLACEHOLDERS: &[&[u8]] = &[
    b".gitkeep",
    b".keep",
    b".gitignore",
    b".placeholder",
    b".empty",
];

/// Every bind mount the tracked compose files and `docker run` commands name, before the
/// cleanup's selections are weighed: read once per [`GitInfo`] ([`GitInfo::derived`]).
pub struct TrackedMounts(pub Vec<Mount>);

/// The bind mounts of [`TrackedMounts`], read on first use.
pub fn tracked_mounts(root: &Path, g: &GitInfo) -> std::sync::Arc<TrackedMounts> {
    g.derived(|| {
        TrackedMounts(
            bind_mounts(root, g)
                .into_iter()
                .chain(run_mounts(root, g))
                .collect(),
        )
    })
}

/// The folders compose services keep their own data in.
#[derive(Debug, Default)]
pub struct InUse {
    /// Each with whether git holds a file of it (beside the placeholders), which the cleanup
    /// selects.
    mounts: Vec<(Mount, bool)>,
}

impl InUse {
    /// The bind mounts of the tracked compose files under `root` that hold no tracked file but
    /// what the cleanup selects (`selected` says of a path whether a selection holds it) and
    /// [`PLACEHOLDERS`]: a service's data, even where someone committed its `dump.rdb`, and not
    /// the project's code (outside git: none, as the reference guard reads only tracked files
    /// too).
    pub fn at(root: &Path, git: Option<&GitInfo>, selected: &dyn Fn(&RelPath) -> bool) -> InUse {
        let Some(g) = git else {
            return InUse::default();
        };
        let mounts = tracked_mounts(root, g);
        let mounts = (mounts.0.iter())
            // A compose file the cleanup deletes (an old copy's, in `backend_old/`) mounts
            // nothing that stays; a folder that is not there holds nothing to keep.
            .filter(|m| !selected(&m.file))
            .filter(|m| m.source.under(root).symlink_metadata().is_ok())
            .filter_map(|m| {
                let mut tracked = false;
                for p in g.tracked_paths_under(&m.source) {
                    let p = RelPath::from_bytes(p);
                    if PLACEHOLDERS.contains(&p.file_name()) {
                        continue;
                    }
                    if !selected(&p) {
                        return None;
                    }
                    tracked = true;
                }
                Some((m.clone(), tracked))
            })
            .collect();
        InUse { mounts }
    }

    /// The services' data folders git holds nothing of: no build needs them, so a build
    /// context that holds one sends it for nothing (a committed file there may be read by a
    /// build, and is the user's call).
    pub fn untracked_data(&self) -> impl Iterator<Item = &Mount> {
        self.mounts.iter().filter(|(_, t)| !t).map(|(m, _)| m)
    }

    /// Why the selection at `path` (a regular file when `file`) is in use: a service mounts it,
    /// a folder holding it, or a folder inside it; or it is a pid file of a live process.
    /// `service_litter`: its rule selects what a service never reads back
    /// ([`crate::rules::Rule::in_service_data`]), so inside a mounted folder it is not in use
    /// (the folder itself, or one holding it, still is).
    pub fn covering(
        &self,
        root: &Path,
        path: &RelPath,
        file: bool,
        service_litter: bool,
    ) -> Option<Reference> {
        let mounted = (self.mounts.iter().map(|(m, _)| m)).find(|m| {
            let inside = path.starts_with(&m.source) && *path != m.source;
            (inside && !service_litter) || m.source.starts_with(path)
        });
        if let Some(m) = mounted {
            return Some(Reference {
                file: m.file.display(),
                line: m.line,
                excerpt: m.excerpt.clone(),
                kind: RefKind::Mounted,
            });
        }
        if !file || !path.file_name().ends_with(b".pid") {
            return None;
        }
        let pid = running_pid(&path.under(root))?;
        Some(Reference {
            file: path.display(),
            line: 1,
            excerpt: pid.to_string(),
            kind: RefKind::Running,
        })
    }
}

/// The process id a pid file names, when that process exists (signal 0 reaches it, or it is
/// another user's: `EPERM` says it exists too).
fn running_pid(path: &Path) -> Option<i32> {
    let text = crate::fsx::read_text(path, MAX_PID_FILE_BYTES)?;
    let n: i32 = text.lines().next()?.trim().parse().ok()?;
    // Not 0 or below: `kill` would then signal a process group, not the process named.
    if n <= 0 {
        return None;
    }
    let pid = rustix::process::Pid::from_raw(n)?;
    match rustix::process::test_kill_process(pid) {
        Ok(()) | Err(rustix::io::Errno::PERM) => Some(n),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pid_file_is_live_while_its_process_runs() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("app.pid");
        std::fs::write(&p, format!("{}\n", std::process::id())).unwrap();
        assert_eq!(running_pid(&p), Some(std::process::id() as i32));
        // A child that has exited and been reaped names no process.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        std::fs::write(&p, format!("{gone}\n")).unwrap();
        assert_eq!(running_pid(&p), None);
        for junk in ["", "abc\n", "-5\n", "0\n"] {
            std::fs::write(&p, junk).unwrap();
            assert_eq!(running_pid(&p), None, "{junk:?}");
        }
    }
}
