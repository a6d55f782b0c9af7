//! `mami-clean undo [ID]`: put back everything a finished apply changed that can be put back,
//! in one command: the files its backup holds (restored bit-exact, never over a different
//! file), the tracked files it deleted (from HEAD as it was before the run, written whole or
//! not at all), and the ignore files as they were (only where they still hold what the run
//! wrote: a later edit is the user's and stays). The regenerable directories are listed with
//! the commands that rebuild them; when the run committed, the commit is named (`git revert`
//! takes it out of the history; undo puts the files back in the work tree).

use std::path::Path;

use serde::Serialize;

use super::runs::{self, RunRecord};
use super::{restore, state_dir};
use crate::error::{Error, Result};
use crate::fsx::Place;
use crate::git::GitInfo;
use crate::relpath::RelPath;

#[derive(Debug, Default, Serialize)]
pub struct UndoReport {
    pub id: String,
    /// Files and directories the backup put back, and those already in place.
    pub restored: u64,
    pub unchanged: u64,
    /// Tracked files written back from git.
    pub tracked: usize,
    /// Ignore files put back as they were (or removed, where the run created them).
    pub ignore_files: Vec<String>,
    /// What could not be put back, and why (nothing else was refused for it).
    pub refused: Vec<String>,
    /// What the user still has to do: rebuild commands, the commit to revert.
    pub notes: Vec<String>,
}

/// Undo the run `id` (the latest when `None`) of the tree at `root`.
pub fn undo(root: &Path, git: Option<&GitInfo>, id: Option<&str>) -> Result<UndoReport> {
    let state = state_dir(root, git)?;
    let _lock = super::journal::Lock::acquire(&state)?;
    if super::journal::unfinished(&state)? {
        return Err(Error::Usage(
            "an apply was interrupted: `mami-clean recover --undo` puts back what it deleted"
                .into(),
        ));
    }
    let run = match id {
        Some(id) => runs::load(&state, id)?,
        None => runs::list(&state).pop().ok_or_else(|| {
            Error::Usage(format!(
                "no finished apply of {} is recorded: nothing to undo",
                root.display()
            ))
        })?,
    };
    let mut report = UndoReport {
        id: run.id.clone(),
        ..UndoReport::default()
    };
    if let Some(b) = &run.backup {
        let r = restore::restore(b, root, false, true)?;
        if !r.refused.is_empty() {
            report.refused.extend(r.refused);
            return Ok(report);
        }
        report.restored = r.restored;
        report.unchanged = r.unchanged;
    }
    if let (Some(g), Some(head)) = (git, &run.head) {
        let paths: Vec<RelPath> = run.deleted.iter().filter_map(|d| d.rel()).collect();
        let r = g.recreate_from_commit(head, &paths)?;
        report.tracked = r.written;
        report.refused.extend(
            r.differ
                .into_iter()
                .map(|p| format!("{p}: written from git but does not read back as its blob")),
        );
    }
    ignore_files(root, &run, &mut report)?;
    for r in &run.regenerable {
        let how = r.command.as_deref().unwrap_or("its build or install step");
        report
            .notes
            .push(format!("{}: {}", r.path, rebuild_clause(how)));
    }
    if let Some(c) = &run.commit {
        report.notes.push(format!(
            "the run committed its deletions as {}: the files are back in the work tree; `git revert {}` takes the commit out of the history",
            &c[..c.len().min(10)],
            &c[..c.len().min(10)]
        ));
    }
    Ok(report)
}

/// Each ignore file the run wrote, put back as it was, if it still holds what the run wrote.
fn ignore_files(root: &Path, run: &RunRecord, report: &mut UndoReport) -> Result<()> {
    for edit in &run.ignore_files {
        let place = Place::below(root, &RelPath::from_bytes(edit.path.as_bytes()), false)?;
        let now = place.read(crate::limits::MAX_IGNORE_BYTES)?;
        let same = now
            .as_ref()
            .is_some_and(|b| blake3::hash(b).to_hex().as_str() == edit.after_blake3);
        if !same {
            report.refused.push(format!(
                "{}: changed since the run (or gone); left as it is",
                edit.path
            ));
            continue;
        }
        match &edit.before {
            Some(text) => place.replace(text.as_bytes(), None)?,
            None => place.remove()?,
        }
        report.ignore_files.push(edit.path.clone());
    }
    Ok(())
}

/// What to tell about a regenerable path left deleted: a rule's command (`npm ci`) is run by
/// hand, a rule's parenthesised words (`(not needed)`, `(Python recompiles it on import)`)
/// say why nothing is: "rebuild with `(not needed)`" read as a command.
pub(super) fn rebuild_clause(how: &str) -> String {
    match how.strip_prefix('(').and_then(|h| h.strip_suffix(')')) {
        Some(why) => why.to_string(),
        None => format!("rebuild with `{how}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::rebuild_clause;

    #[test]
    fn commands_are_run_and_reasons_are_said() {
        assert_eq!(rebuild_clause("npm ci"), "rebuild with `npm ci`");
        assert_eq!(rebuild_clause("(not needed)"), "not needed");
        assert_eq!(
            rebuild_clause("(Python recompiles it on import)"),
            "Python recompiles it on import"
        );
    }
}
