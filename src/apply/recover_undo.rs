//! `recover --undo`: put back what the interrupted run deleted, from its backup and from git.

use super::*;
use crate::plan::GitState;

/// Put back what the interrupted run deleted.
pub(super) fn undo(
    root: &Path,
    state: &journal::State,
    recs: &[journal::Record],
    run: &Run,
    plan: Option<&Plan>,
    report: &mut RecoverReport,
) -> Result<()> {
    if let Some(b) = &run.backup {
        let r = crate::apply::restore::restore(b, root, false, true)?;
        if !r.refused.is_empty() {
            report.refused.extend(r.refused);
            return Ok(());
        }
        report.notes.push(format!(
            "backup {}: {} restored, {} already in place",
            b.display(),
            r.restored,
            r.unchanged
        ));
    }
    // Tracked files come back from the index (a fresh view: the run deleted some).
    let touched: Vec<RelPath> = report
        .entries
        .iter()
        .filter(|e| e.state != EntryState::Pending)
        .map(|e| e.rel.clone())
        .collect();
    if let Some(g) = GitInfo::discover(root)? {
        let r = g.recreate_missing(&touched)?;
        if r.written > 0 {
            report.notes.push(format!(
                "{} tracked files checked out from the index",
                r.written
            ));
        }
        if !r.differ.is_empty() {
            report.refused.push(format!(
                "tracked files written from the index do not read back as their blobs: {}; run `mami-clean recover --undo` again",
                r.differ.join(", ")
            ));
            return Ok(());
        }
    }
    // What is still gone: regenerable directories (with the command that rebuilds them), or
    // what a `--no-backup` run deleted.
    let planned: Vec<(Option<&str>, Option<GitState>)> = match plan {
        Some(p) => p
            .deletions()
            .map(|e| (e.regenerate.as_deref(), e.git))
            .collect(),
        None => Vec::new(),
    };
    let mut notes = Vec::new();
    for (k, e) in report.entries.iter_mut().enumerate() {
        if e.state == EntryState::Pending {
            continue;
        }
        let gone = e.rel.under(root).symlink_metadata().is_err();
        // A regenerable directory the run was inside when it stopped is there, but not whole.
        let partly = !gone && e.state != EntryState::Done && e.state != EntryState::Skipped;
        let (how, git) = planned.get(k).copied().unwrap_or_default();
        let how = how.unwrap_or("its build or install step");
        // Deleted whole, but git tracks part of it (a patch committed inside `node_modules`):
        // the index gave that part back, and only that.
        let in_part = e.state == EntryState::Done && git == Some(GitState::Mixed);
        e.result = Some(match (gone, partly, e.recovery) {
            (false, true, Some(Recovery::Regenerable)) => {
                notes.push(format!(
                    "{}: partly deleted; {}",
                    e.path,
                    crate::apply::undo::rebuild_clause(how)
                        .replace("rebuild with", "rebuild it with")
                ));
                "partly deleted: regenerable".into()
            }
            (false, false, Some(Recovery::Regenerable)) if in_part => {
                notes.push(format!(
                    "{}: only its tracked files came back; {}",
                    e.path,
                    crate::apply::undo::rebuild_clause(how)
                        .replace("rebuild with", "rebuild the rest with")
                ));
                "only its tracked files are back: regenerable".into()
            }
            (false, ..) => "in place".into(),
            (true, _, Some(Recovery::Regenerable)) => {
                notes.push(format!(
                    "{}: {}",
                    e.path,
                    crate::apply::undo::rebuild_clause(how)
                ));
                "still deleted: regenerable".into()
            }
            (true, ..) => "still deleted: the run had no backup of it (--no-backup?)".into(),
        });
    }
    report.notes.extend(notes);
    journal::Journal::close_interrupted(state, recs)?;
    let _ = state.file(journal::PLAN_COPY).and_then(|p| p.remove());
    report.closed = true;
    Ok(())
}
