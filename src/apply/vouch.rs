//! Whether one file may be unlinked: asked for every file, at the moment it goes.
//!
//! A file goes only when something can give it back, whatever the plan or a rule says:
//! - it is in the verified backup, as the same inode unchanged since (ctime);
//! - or git holds it: tracked, its content read now hashes to its index blob, which the object
//!   store has ([`GitInfo::proves_at`]);
//! - or it is untracked under a directory a *built-in* regenerable rule selects with its guards
//!   holding now (`node_modules` beside a `package.json`): the rebuild brings it back. A
//!   regenerable directory never vouches for a tracked file: a local patch to a dependency is
//!   an edit like any other;
//! - or the user accepted its loss (`--no-backup`, which lists the entries first).
//!
//! Everything else stays in place and is reported: a file that appeared after the plan, one
//! edited after the backup was taken, a tracked file with changes git does not have.

use std::collections::HashMap;
use std::os::fd::BorrowedFd;

use crate::fsx::Meta;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// The files of a verified backup: path → (inode, ctime) when it was archived.
pub type BackupIndex = HashMap<Vec<u8>, (u64, i128)>;

/// What an entry's class lets go without a backup or git.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// Nothing: every file needs the backup or git.
    Nothing,
    /// Untracked files (a built-in regenerable rule selects the entry now).
    Untracked,
    /// Everything: `--no-backup`, with the loss listed and accepted.
    Everything,
}

pub struct Vouch<'a> {
    pub backup: Option<&'a BackupIndex>,
    pub git: Option<&'a GitInfo>,
    pub grant: Grant,
}

impl Vouch<'_> {
    /// May `name` in `dir` (at `rel`, `m` its `statx` just taken) be unlinked?
    pub fn permits(
        &self,
        dir: BorrowedFd<'_>,
        name: &[u8],
        rel: &RelPath,
        m: &Meta,
    ) -> Result<(), &'static str> {
        let archived = self.backup.and_then(|b| b.get(rel.as_bytes()));
        if archived.is_some_and(|&(ino, ctime)| ino == m.id.ino && ctime == m.id.ctime_ns) {
            return Ok(());
        }
        if self.grant == Grant::Everything {
            return Ok(());
        }
        match self.git {
            Some(g) if g.is_tracked(rel) => {
                return if g.proves_at(dir, name, rel, m) {
                    Ok(())
                } else if archived.is_some() {
                    Err("changed since it was backed up, and git does not hold this content")
                } else {
                    Err("tracked, with content git does not hold (an uncommitted edit): kept")
                };
            }
            _ => {}
        }
        if self.grant == Grant::Untracked {
            return Ok(());
        }
        Err(match (archived, self.backup) {
            (Some(_), _) => "changed since it was backed up",
            (None, Some(_)) => "not in the backup (appeared after the plan?)",
            (None, None) => "not tracked and clean in git (appeared after the plan?)",
        })
    }

    /// Whether every file below the directory `rel` may go without asking one by one: the
    /// entry grants untracked files and git tracks nothing there.
    pub fn clears_all_below(&self, rel: &RelPath) -> bool {
        match self.grant {
            Grant::Everything => true,
            Grant::Untracked => self.git.is_none_or(|g| g.tracked_under(rel) == 0),
            Grant::Nothing => false,
        }
    }
}
