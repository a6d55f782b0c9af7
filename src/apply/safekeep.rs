//! Step 4 of `apply`: everything that nothing else can give back goes into a verified backup
//! before the first file is unlinked.
//!
//! What needs it, per entry of the class the rules give it now:
//! - `backup`: the whole entry;
//! - `git`: the whole entry, unless every tracked file under it is proven (its content hashes
//!   to its index blob: assume-unchanged and skip-worktree can hide edits from the status);
//! - `regenerable`: the tracked files under it that git cannot prove (a local patch to a
//!   dependency); the untracked rest is rebuilt.
//!
//! `--no-backup` archives nothing: the entries that would have needed it are listed as
//! unrecoverable, and their loss is what the user accepted.

use std::collections::HashSet;
use std::os::fd::OwnedFd;
use std::path::Path;

use super::authority::Work;
use super::backup::{self, Wanted};
use super::checks::check;
use super::vouch::BackupIndex;
use super::{ApplyOptions, ApplyReport, BackupReport, Status};
use crate::fsx::Meta;
use crate::git::GitInfo;
use crate::plan::{Plan, Recovery};
use crate::relpath::RelPath;
use crate::scan::EntryKind;

/// What the deleter may rely on once the backup stands.
#[derive(Default)]
pub(super) struct Kept {
    /// The verified backup's files.
    pub index: Option<BackupIndex>,
    /// Positions (in the work list) of entries whose loss `--no-backup` accepted.
    pub accepted: HashSet<usize>,
}

/// What must be archived, and how many `git` entries git could not prove.
fn wanted<'p>(work: &[Work<'p>], git: Option<&GitInfo>) -> (Wanted<'p>, Vec<usize>, usize) {
    let mut w = Wanted {
        entries: Vec::new(),
        files: Vec::new(),
    };
    let (mut whole, mut unproven) = (Vec::new(), 0);
    for (i, item) in work.iter().enumerate() {
        if item.refused.is_some() {
            continue;
        }
        let e = item.entry;
        let rel = e.rel().unwrap_or_default();
        match item.recovery {
            Recovery::Backup => {
                w.entries.push(e);
                whole.push(i);
            }
            Recovery::Git => {
                let proven = git.is_some_and(|g| {
                    let paths: Vec<&[u8]> = g.tracked_paths_under(&rel).collect();
                    paths.len() as u64 == e.files && paths.iter().all(|p| g.proves(p))
                });
                if !proven {
                    unproven += 1;
                    w.entries.push(e);
                    whole.push(i);
                }
            }
            Recovery::Regenerable => {
                if let Some(g) = git {
                    w.files.extend(
                        g.tracked_paths_under(&rel)
                            .filter(|p| !g.proves(p))
                            .map(RelPath::from_bytes),
                    );
                }
            }
        }
    }
    (w, whole, unproven)
}

/// Make and verify the backup (a pre-check row either way). `None`: refused, nothing deleted.
#[allow(clippy::too_many_arguments)]
pub(super) fn back_up(
    root: &Path,
    root_fd: &OwnedFd,
    root_meta: &Meta,
    plan: &Plan,
    work: &[Work],
    git: Option<&GitInfo>,
    opts: &ApplyOptions,
    report: &mut ApplyReport,
) -> Option<Kept> {
    let (wanted, whole, unproven) = wanted(work, git);
    let row = |status, detail: String| check("backup present", status, detail);
    if opts.no_backup {
        report.backup.unrecoverable = wanted.entries.iter().map(|e| e.path.clone()).collect();
        report.prechecks.push(row(
            Status::Skip,
            format!(
                "--no-backup: {} entries cannot be brought back",
                whole.len()
            ),
        ));
        return Some(Kept {
            index: None,
            accepted: whole.into_iter().collect(),
        });
    }
    if wanted.entries.is_empty() && wanted.files.is_empty() {
        report.prechecks.push(row(
            Status::Pass,
            "nothing needs one: every entry is in git or regenerable".into(),
        ));
        return Some(Kept::default());
    }
    let mut refuse = |detail: String| {
        report.refused = true;
        report.prechecks.push(row(Status::Fail, detail));
        None
    };
    let dir = match opts.backup_dir.clone().map_or_else(backup::default_dir, Ok) {
        Ok(d) => d,
        Err(e) => return refuse(format!("{e}; nothing was deleted")),
    };
    let dir = match backup::place::resolve(&dir, (root_meta.id.dev, root_meta.id.ino)) {
        Ok(d) => d,
        Err(e) => return refuse(format!("{e}; nothing was deleted")),
    };
    let (bdir, m) = match backup::create(root_fd, root, &wanted, &dir, &plan.body_hash) {
        Ok(made) => made,
        Err(e) => return refuse(format!("{e}; nothing was deleted")),
    };
    let files = m.items.iter().filter(|i| i.kind != EntryKind::Dir).count();
    let bytes = m.items.iter().map(|i| i.size).sum();
    let mut extra = String::new();
    if unproven > 0 {
        extra += &format!(
            " ({unproven} tracked entries could not be proven identical to git and were added)"
        );
    }
    if !wanted.files.is_empty() {
        extra += &format!(
            " ({} tracked files with edits git does not hold, under regenerable entries)",
            wanted.files.len()
        );
    }
    report.prechecks.push(row(
        Status::Pass,
        format!(
            "{} entries, {files} files, {} in {}, verified{extra}",
            wanted.entries.len(),
            crate::size::human(bytes),
            bdir.display()
        ),
    ));
    report.backup = BackupReport {
        restore_command: Some(backup::restore_command(&bdir)),
        dir: Some(bdir),
        id: Some(m.id.clone()),
        entries: wanted.entries.len(),
        files,
        bytes,
        unrecoverable: Vec::new(),
    };
    Some(Kept {
        index: Some(backup::index(&m)),
        accepted: HashSet::new(),
    })
}
