//! Whether a path was edited in git after it got its name. A backup is a snapshot: copied or
//! renamed into place in one commit, and left as it was. A "backup" whose files later commits
//! change is what the project runs: CellGuard-AI renamed `backend/` to `backend_backup/` and
//! then fixed `backend_backup/app.py` twice; it is the backend its host deploys.

use super::GitInfo;
use crate::relpath::RelPath;

/// First-parent commits read back from HEAD, at most. A folder named longer ago than this
/// and edited only before counts as not edited.
const MAX_COMMITS: usize = 1000;

/// A commit that changes more files than this is a sweep (a reformat of every file, line
/// endings renormalised): it edits backups along with everything else, and says nothing of
/// their use.
const SWEEP_FILES: usize = 100;

/// The latest edit of a file inside a path, after the path got its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The commit, abbreviated to 10 hex digits as the plan's header shows HEAD.
    pub commit: String,
    /// Its summary line.
    pub summary: String,
    /// The edited file, relative to the root.
    pub file: Vec<u8>,
}

/// What the walk knows of one path so far.
enum State {
    Open,
    Done(Option<Edit>),
}

impl GitInfo {
    /// For each of `paths` (tracked at HEAD), the latest first-parent commit that changed a
    /// file already in it, after the commit that created it under this name; `None` where no
    /// commit did, where it was named before the last [`MAX_COMMITS`] commits, or where
    /// history cannot be read (a shallow clone stops at its depth).
    pub fn edits_since_named(&self, paths: &[&RelPath]) -> Vec<Option<Edit>> {
        let mut states: Vec<State> = paths.iter().map(|_| State::Open).collect();
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let mut commit = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        for _ in 0..MAX_COMMITS {
            let Some(c) = commit.take() else { break };
            let Some(parent) = c.parents().next() else {
                break; // the root commit created whatever is still open
            };
            let (Ok(now), Ok(before)) = (c.tree(), parent.tree()) else {
                break;
            };
            let mut sweep = None;
            for (p, state) in paths.iter().zip(states.iter_mut()) {
                if let State::Open = state {
                    if let Some(done) = step(&repo, &c, &now, &before, p, &mut sweep) {
                        *state = State::Done(done);
                    }
                }
            }
            if states.iter().all(|s| matches!(s, State::Done(_))) {
                break;
            }
            commit = Some(parent);
        }
        (states.into_iter())
            .map(|s| match s {
                State::Done(e) => e,
                State::Open => None,
            })
            .collect()
    }
}

/// One commit's word on `path`: `Some(None)` where the commit created it (the walk is done
/// with it), `Some(Some(edit))` where it changed a file already in it, `None` to read on.
fn step(
    repo: &git2::Repository,
    c: &git2::Commit,
    now: &git2::Tree,
    before: &git2::Tree,
    path: &RelPath,
    sweep: &mut Option<bool>,
) -> Option<Option<Edit>> {
    let Ok(was) = before.get_path(path.as_path()) else {
        return Some(None);
    };
    let is = now.get_path(path.as_path()).ok()?;
    if is.id() == was.id() {
        return None;
    }
    let file = edited_file(repo, &is, &was, path)?;
    if *sweep.get_or_insert_with(|| changed_files(repo, now, before) > SWEEP_FILES) {
        return None;
    }
    let id = c.id().to_string();
    Some(Some(Edit {
        commit: id[..10.min(id.len())].to_string(),
        summary: c.summary().unwrap_or("").chars().take(72).collect(),
        file,
    }))
}

/// A file both versions of `path` hold, changed between them: the path itself where it is a
/// file, else the first such file below it. Files added or removed are not edits (a folder
/// of backups gains new ones).
fn edited_file(
    repo: &git2::Repository,
    is: &git2::TreeEntry,
    was: &git2::TreeEntry,
    path: &RelPath,
) -> Option<Vec<u8>> {
    let (Ok(is), Ok(was)) = (is.to_object(repo), was.to_object(repo)) else {
        return None;
    };
    match (is.as_tree(), was.as_tree()) {
        (Some(is), Some(was)) => {
            let diff = repo.diff_tree_to_tree(Some(was), Some(is), None).ok()?;
            let modified = diff
                .deltas()
                .find(|d| d.status() == git2::Delta::Modified)?;
            let below = modified.new_file().path_bytes()?;
            Some([path.as_bytes(), b"/", below].concat())
        }
        (None, None) => Some(path.as_bytes().to_vec()),
        _ => None, // a file became a folder or the other way: a new thing under the name
    }
}

/// How many files a commit changes, counted up to one past [`SWEEP_FILES`].
fn changed_files(repo: &git2::Repository, now: &git2::Tree, before: &git2::Tree) -> usize {
    repo.diff_tree_to_tree(Some(before), Some(now), None)
        .map_or(0, |d| d.deltas().take(SWEEP_FILES + 1).count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::tests::git;

    fn commit_all(root: &std::path::Path, msg: &str) {
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", msg]);
    }

    fn edits(root: &std::path::Path, paths: &[&str]) -> Vec<Option<String>> {
        let g = GitInfo::discover(root).unwrap().unwrap();
        let rels: Vec<RelPath> = paths
            .iter()
            .map(|p| RelPath::from_bytes(p.as_bytes()))
            .collect();
        let refs: Vec<&RelPath> = rels.iter().collect();
        (g.edits_since_named(&refs).into_iter())
            .map(|e| e.map(|e| format!("{} {}", String::from_utf8_lossy(&e.file), e.summary)))
            .collect()
    }

    /// A folder renamed to a backup name and fixed since is in use; one that only gains new
    /// snapshots, or was edited only before it got the name, is not; a sweep of every file
    /// is no edit.
    #[test]
    fn an_edit_after_the_name_is_found_and_nothing_else() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        git(root, &["init", "-q", "."]);
        std::fs::create_dir_all(root.join("backend")).unwrap();
        std::fs::create_dir_all(root.join("backups/one")).unwrap();
        std::fs::write(root.join("backend/app.py"), "v1\n").unwrap();
        std::fs::write(root.join("backups/one/a.py"), "a\n").unwrap();
        commit_all(root, "start");
        std::fs::write(root.join("backend/app.py"), "v2\n").unwrap();
        commit_all(root, "edit before the rename");
        git(root, &["mv", "backend", "backend_backup"]);
        commit_all(root, "rename");
        std::fs::create_dir_all(root.join("backups/two")).unwrap();
        std::fs::write(root.join("backups/two/b.py"), "b\n").unwrap();
        commit_all(root, "another snapshot");
        assert_eq!(edits(root, &["backend_backup", "backups"]), [None, None]);

        std::fs::write(root.join("backend_backup/app.py"), "v3\n").unwrap();
        commit_all(root, "Fixed AI Backend");
        for i in 0..=SWEEP_FILES {
            std::fs::write(root.join(format!("f{i}.txt")), "x\n").unwrap();
        }
        commit_all(root, "more files");
        for i in 0..=SWEEP_FILES {
            std::fs::write(root.join(format!("f{i}.txt")), "y\n").unwrap();
        }
        std::fs::write(root.join("backups/one/a.py"), "reformatted\n").unwrap();
        commit_all(root, "reformat everything");
        assert_eq!(
            edits(
                root,
                &["backend_backup", "backups", "backend_backup/app.py"]
            ),
            [
                Some("backend_backup/app.py Fixed AI Backend".to_string()),
                None,
                Some("backend_backup/app.py Fixed AI Backend".to_string()),
            ]
        );
    }
}
