//! The cleanup as one commit (`apply --commit`): a tree built from HEAD's, less the tracked
//! files the cleanup deleted, plus the ignore files it wrote. Never the user's other work: a
//! file they staged before `apply --allow-dirty` stays staged and out of the commit. Only the
//! cleanup's own paths are updated in the index afterwards, so `git status` shows them
//! committed and everything else as it was.
//!
//! The identity is git's: `GIT_AUTHOR_*` / `GIT_COMMITTER_*` from the environment (a CI
//! runner's way), else `user.name` / `user.email`, else `EMAIL`. Asked before anything is
//! deleted (a pre-check), so a missing one refuses the run instead of failing after it.

use git2::{IndexEntry, IndexTime, Signature};

use super::GitInfo;
use crate::error::{Error, Result};
use crate::relpath::RelPath;

impl GitInfo {
    /// Author and committer, as `git commit` would take them, or why there are none.
    pub fn identity(
        &self,
    ) -> std::result::Result<(Signature<'static>, Signature<'static>), String> {
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let cfg = repo.config().ok();
        let conf = |k: &str| cfg.as_ref().and_then(|c| c.get_string(k).ok());
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let who = |role: &str| -> std::result::Result<Signature<'static>, String> {
            let name = env(&format!("GIT_{role}_NAME")).or_else(|| conf("user.name"));
            let email = env(&format!("GIT_{role}_EMAIL"))
                .or_else(|| conf("user.email"))
                .or_else(|| env("EMAIL"));
            match (name, email) {
                (Some(n), Some(e)) => Signature::now(&n, &e).map_err(|e| e.message().to_string()),
                _ => Err(format!(
                    "no git identity for the commit: set user.name and user.email (`git config`), or GIT_{role}_NAME and GIT_{role}_EMAIL"
                )),
            }
        };
        Ok((who("AUTHOR")?, who("COMMITTER")?))
    }

    /// Commit HEAD's tree less the tracked files under `removed` that are gone from the work
    /// tree, plus the files `written` as they are on disk. `None` when that changes nothing.
    pub fn commit_cleanup(
        &self,
        removed: &[RelPath],
        written: &[RelPath],
        message: &str,
    ) -> Result<Option<String>> {
        let (author, committer) = self.identity().map_err(Error::Usage)?;
        let gone: Vec<Vec<u8>> = removed
            .iter()
            .flat_map(|p| self.tracked_paths_under(p))
            .filter(|t| {
                RelPath::from_bytes(*t)
                    .under(&self.workdir)
                    .symlink_metadata()
                    .is_err()
            })
            .map(<[u8]>::to_vec)
            .collect();
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        let head = repo.head()?.peel_to_commit()?;
        let mut tree = git2::Index::new()?;
        tree.read_tree(&head.tree()?)?;
        for g in &gone {
            let _ = tree.remove_path(RelPath::from_bytes(g.as_slice()).as_path());
        }
        for w in written {
            let p = w.under(&self.workdir);
            let content = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
            tree.add(&entry(w, content.len(), repo.blob(&content)?))?;
        }
        let tree_id = tree.write_tree_to(&repo)?;
        if tree_id == head.tree_id() {
            return Ok(None);
        }
        let oid = repo.commit(
            Some("HEAD"),
            &author,
            &committer,
            message,
            &repo.find_tree(tree_id)?,
            &[&head],
        )?;
        // The cleanup's own paths in the user's index; nothing else of it moves.
        let mut index = repo.index()?;
        for g in &gone {
            let _ = index.remove_path(RelPath::from_bytes(g.as_slice()).as_path());
        }
        for w in written {
            index.add_path(w.as_path())?;
        }
        index.write()?;
        Ok(Some(oid.to_string()))
    }
}

/// An index entry for a regular file at `path` holding the blob `id`.
fn entry(path: &RelPath, len: usize, id: git2::Oid) -> IndexEntry {
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        file_size: len as u32,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}
