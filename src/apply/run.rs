//! Step 5 of `apply`: delete, entry by entry, in plan order. Each entry is journaled before it
//! is touched (so `recover` knows where a killed run stood), re-verified against the plan by
//! the deleter, and each file under it vouched for at the moment it goes. A plan copy beside
//! the journal lets `recover --finish` carry on. Ctrl-C stops between entries.

use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::authority::Work;
use super::safekeep::Kept;
use super::vouch::{Grant, Vouch};
use super::{delete, failpoint, journal, ApplyOptions, ApplyReport, EntryReport, Event, Outcome};
use crate::error::{Error, Result};
use crate::git::GitInfo;
use crate::plan::{Plan, Recovery};

/// What an entry's class grants without the backup or git.
pub(super) fn grant(w: &Work, accepted: bool) -> Grant {
    if accepted {
        Grant::Everything
    } else if w.recovery == Recovery::Regenerable {
        Grant::Untracked
    } else {
        Grant::Nothing
    }
}

/// The journal's word for an outcome.
pub(super) fn status_word(o: &Outcome) -> &'static str {
    match o {
        Outcome::Deleted { .. } => "deleted",
        Outcome::Skipped { .. } => "skipped",
        Outcome::Partial { .. } => "partial",
    }
}

#[allow(clippy::too_many_arguments)]
/// What the deletion step works with.
pub(super) struct Run<'a> {
    pub root: &'a Path,
    pub root_fd: &'a OwnedFd,
    pub state: &'a journal::State,
    pub git: Option<&'a GitInfo>,
    pub opts: &'a ApplyOptions,
    pub stop: &'a AtomicBool,
}

pub(super) fn delete_all(
    ctx: &Run,
    plan: &Plan,
    work: &[Work],
    kept: &Kept,
    report: &mut ApplyReport,
    on: &mut dyn FnMut(Event),
) -> Result<()> {
    let Run {
        root,
        root_fd,
        state,
        git,
        opts,
        stop,
    } = *ctx;
    let plan_copy = state.file(journal::PLAN_COPY)?;
    crate::plan::save(plan, &plan_copy)?;
    let mut j = journal::Journal::begin(
        state,
        journal::Record::Begin {
            plan_body_hash: plan.body_hash.clone(),
            root: plan.root.clone(),
            backup: report.backup.dir.clone(),
            plan: Some(plan_copy.path().to_path_buf()),
        },
    )?;
    let deleter =
        delete::Deleter::new(root_fd, opts.progress.clone()).map_err(|e| Error::io(root, e))?;
    for (i, w) in work.iter().enumerate() {
        if stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
        let e = w.entry;
        let outcome = match &w.refused {
            // An entry that changed since the plan says so first: that is what the user can act on.
            Some(reason) => Outcome::Skipped {
                reason: deleter.changed(e).unwrap_or_else(|| reason.clone()),
            },
            None => {
                j.note(&journal::Record::Intent {
                    i,
                    path: e.path.clone(),
                })?;
                let vouch = Vouch {
                    backup: kept.index.as_ref(),
                    git,
                    grant: grant(w, kept.accepted.contains(&i)),
                };
                failpoint("apply-after-intent", i);
                let outcome = deleter.delete(e, &vouch);
                failpoint("apply-after-delete", i);
                j.note(&journal::Record::Done {
                    i,
                    status: status_word(&outcome).into(),
                })?;
                outcome
            }
        };
        if matches!(outcome, Outcome::Deleted { .. }) {
            report.freed_bytes += e.bytes;
        }
        report.entries.push(EntryReport {
            path: e.path.clone(),
            rule: e.rule.clone(),
            recovery: w.recovery,
            bytes: e.bytes,
            outcome,
        });
        on(Event::Entry(report.entries.last().expect("pushed")));
    }
    j.write(&journal::Record::End)?;
    let _ = plan_copy.remove();
    Ok(())
}
