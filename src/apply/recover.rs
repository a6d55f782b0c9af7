//! `recover`: after an apply was killed, say where it stopped, then finish or undo it.
//!
//! Nothing is lost at any point of an apply: whatever goes is in the verified backup, in git, or
//! regenerable, and the journal says which entry was in flight. So recovery has two honest
//! choices. `--finish` carries on the same plan (apply keeps a copy beside the journal): entries
//! already done stay done, the one in flight is finished with every file left still checked
//! against the backup or git, and the rest go as apply would have deleted them. `--undo` puts
//! back what went: the run's backup restored (never over a different file), tracked files
//! checked out from the index, regenerable directories listed with the command that rebuilds
//! them. Without either, `recover` only reports, and the journal stays open.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::authority::regenerable_in_flight;
use super::checks::staleness;
use super::run::{grant, status_word};
use super::vouch::{Grant, Vouch};
use super::{backup, delete, journal, rederive, state_dir, Outcome};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::fsx::{fstatx, open_dir, Meta};
use crate::git::GitInfo;
use crate::plan::{Plan, Recovery};
use crate::relpath::RelPath;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecoverMode {
    Report,
    Finish,
    Undo,
}

/// Where an entry stood when the apply was interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryState {
    /// The interrupted run deleted it.
    Done,
    /// It was being deleted (a directory may be partly gone).
    Interrupted,
    /// The run skipped it, or left some of it.
    Skipped,
    Partial,
    /// Not reached.
    Pending,
}

/// Where an entry of the interrupted apply stood, and what recovery did with it.
#[derive(Debug, Serialize)]
pub struct RecoverEntry {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    /// The exact bytes, for what `path` (lossy UTF-8) cannot name.
    #[serde(skip)]
    pub rel: RelPath,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Recovery>,
    pub state: EntryState,
    /// What `--finish` or `--undo` did with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// `--finish` could not delete it, or all of it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub left: bool,
}

#[derive(Debug, Serialize)]
pub struct RecoverReport {
    pub mode: RecoverMode,
    /// False when no apply was interrupted: nothing to do.
    pub interrupted: bool,
    pub backup: Option<PathBuf>,
    pub entries: Vec<RecoverEntry>,
    /// Why finishing or undoing did not go ahead (the journal stays open).
    pub refused: Vec<String>,
    /// What else the user must know or do (regenerate commands, unrecoverable entries).
    pub notes: Vec<String>,
    /// The journal was closed: a new apply may run.
    pub closed: bool,
}

impl RecoverReport {
    /// `--finish` left something undone: an entry skipped or partly deleted.
    pub fn partial(&self) -> bool {
        self.entries.iter().any(|e| e.left)
    }
}

/// The interrupted run as the journal tells it: per entry index, its last record.
struct Run {
    backup: Option<PathBuf>,
    plan: Option<PathBuf>,
    /// Entry index → path and `intent` / `deleted` / `skipped` / `partial`.
    steps: BTreeMap<usize, (String, String)>,
}

impl Run {
    fn read(recs: &[journal::Record]) -> Run {
        let mut run = Run {
            backup: None,
            plan: None,
            steps: BTreeMap::new(),
        };
        for r in recs {
            match r {
                journal::Record::Begin { backup, plan, .. } => {
                    run.backup = backup.clone();
                    run.plan = plan.clone();
                }
                journal::Record::Intent { i, path } => {
                    run.steps.insert(*i, (path.clone(), "intent".into()));
                }
                journal::Record::Done { i, status } => {
                    if let Some(s) = run.steps.get_mut(i) {
                        s.1 = status.clone();
                    }
                }
                journal::Record::Resume | journal::Record::End => {}
            }
        }
        run
    }

    fn state(&self, i: usize) -> EntryState {
        match self.steps.get(&i).map(|s| s.1.as_str()) {
            None => EntryState::Pending,
            Some("deleted") => EntryState::Done,
            Some("skipped") => EntryState::Skipped,
            Some("partial") => EntryState::Partial,
            Some(_) => EntryState::Interrupted,
        }
    }
}

/// Report, finish or undo the interrupted apply of the tree at `root`.
pub fn recover(
    root: &Path,
    cfg: &Config,
    git: Option<&GitInfo>,
    mode: RecoverMode,
    progress: crate::scan::Progress,
) -> Result<RecoverReport> {
    let state = state_dir(root, git)?;
    let _lock = journal::Lock::acquire(&state)?;
    let recs = journal::read(&state)?;
    let mut report = RecoverReport {
        mode,
        interrupted: journal::unfinished(&state)?,
        backup: None,
        entries: Vec::new(),
        refused: Vec::new(),
        notes: Vec::new(),
        closed: false,
    };
    if !report.interrupted {
        last_run(&recs, &mut report);
        return Ok(report);
    }
    let run = Run::read(&recs);
    report.backup = run.backup.clone();
    // The plan copy lists every entry; a journal without one (or with it lost) still names the
    // entries it reached. It is read from the state directory, whatever path the journal
    // names.
    let plan = run
        .plan
        .as_ref()
        .and_then(|_| state.file(journal::PLAN_COPY).ok())
        .and_then(|p| crate::plan::load_from(&p).ok());
    match &plan {
        Some(p) => {
            for (i, e) in p.deletions().enumerate() {
                report.entries.push(RecoverEntry {
                    path: e.path.clone(),
                    path_hex: e.path_hex.clone(),
                    rel: e.rel().unwrap_or_default(),
                    recovery: Some(e.recovery),
                    state: run.state(i),
                    result: None,
                    left: false,
                });
            }
        }
        None => {
            for (i, (path, _)) in &run.steps {
                report.entries.push(RecoverEntry {
                    path: path.clone(),
                    path_hex: None,
                    rel: RelPath::from_bytes(path.as_bytes()),
                    recovery: None,
                    state: run.state(*i),
                    result: None,
                    left: false,
                });
            }
        }
    }
    match mode {
        RecoverMode::Report => {}
        RecoverMode::Finish => match &plan {
            Some(plan) => finish(root, cfg, git, &state, &recs, &run, plan, progress, &mut report)?,
            None => report.refused.push(format!(
                "the interrupted apply's plan copy ({}) is missing or unreadable: undo with `mami-clean recover --undo`, then plan again",
                state.shown(journal::PLAN_COPY).display()
            )),
        },
        RecoverMode::Undo => undo(root, &state, &recs, &run, plan.as_ref(), &mut report)?,
    }
    Ok(report)
}

/// With no interrupted apply, the user may still be reaching for an undo: say what the last
/// finished run left to undo it with.
fn last_run(recs: &[journal::Record], report: &mut RecoverReport) {
    let Some(journal::Record::Begin { backup, .. }) = recs.first() else {
        return;
    };
    report.notes.push(match backup {
        Some(b) => format!(
            "the last apply finished; what it archived comes back with `{}`, and the tracked files it deleted with `git checkout HEAD -- PATH` (or `git revert` if it committed)",
            backup::restore_command(b)
        ),
        None => "the last apply finished and needed no backup: the tracked files it deleted come back with `git checkout HEAD -- PATH` (or `git revert` if it committed), regenerable directories with their install commands".into(),
    });
}

/// Carry on the interrupted plan where it stopped.
#[allow(clippy::too_many_arguments)]
fn finish(
    root: &Path,
    cfg: &Config,
    git: Option<&GitInfo>,
    state: &journal::State,
    recs: &[journal::Record],
    run: &Run,
    plan: &Plan,
    progress: crate::scan::Progress,
    report: &mut RecoverReport,
) -> Result<()> {
    let root_fd = open_dir(root).map_err(|e| Error::io(root, e))?;
    let root_meta = Meta::from_statx(
        &fstatx(std::os::fd::AsFd::as_fd(&root_fd)).map_err(|e| Error::io(root, e))?,
    );
    let stale = staleness(root, &root_meta, plan, cfg, git);
    if !stale.is_empty() {
        report.refused.push(format!(
            "the interrupted plan no longer fits: {}; undo with `mami-clean recover --undo`",
            stale.join("; ")
        ));
        return Ok(());
    }
    // The run's backup must still verify: the files it holds are what may go.
    let index = match &run.backup {
        Some(b) => match backup::verify(b) {
            Ok(m) => Some(backup::index(&m)),
            Err(e) => {
                report.refused.push(format!(
                    "the interrupted run's backup {} does not verify ({e}); nothing more is deleted",
                    b.display()
                ));
                return Ok(());
            }
        },
        None => None,
    };
    // The plan copy is a request like any plan file: judged against the rules in force.
    let (_, work) = rederive(root, cfg, git, plan, 0)?;
    let deleter = delete::Deleter::new(&root_fd, progress).map_err(|e| Error::io(root, e))?;
    let mut j = journal::Journal::resume(state, recs)?;
    for ((i, w), out) in work.iter().enumerate().zip(report.entries.iter_mut()) {
        let st = run.state(i);
        if st == EntryState::Done {
            out.result = Some("deleted by the interrupted run".into());
            continue;
        }
        let e = w.entry;
        // The entry in flight may be half gone, so the rules may no longer see it (a `.venv`
        // whose `pyvenv.cfg` went first): it is finished, but only what the backup or git
        // holds goes, and untracked files only if its rule still names it regenerable.
        if let Some(why) = w.refused.as_ref().filter(|_| st != EntryState::Interrupted) {
            out.result = Some(format!("skipped: {why}"));
            out.left = true;
            continue;
        }
        j.note(&journal::Record::Intent {
            i,
            path: e.path.clone(),
        })?;
        let vouch = Vouch {
            backup: index.as_ref(),
            git,
            grant: match w.refused {
                Some(_) if regenerable_in_flight(e, &cfg.rules) => Grant::Untracked,
                Some(_) => Grant::Nothing,
                None => grant(w, false),
            },
        };
        let outcome = if st == EntryState::Interrupted {
            deleter.delete_rest(e, &vouch)
        } else {
            deleter.delete(e, &vouch)
        };
        let text = match &outcome {
            Outcome::Deleted { files, .. } => format!("deleted ({files} files)"),
            Outcome::Skipped { reason } => format!("skipped: {reason}"),
            Outcome::Partial { left, .. } => format!("partial: {} paths left", left.len()),
        };
        let status = status_word(&outcome);
        j.note(&journal::Record::Done {
            i,
            status: status.into(),
        })?;
        out.left = status != "deleted";
        out.result = Some(text);
    }
    j.write(&journal::Record::End)?;
    let _ = state.file(journal::PLAN_COPY).and_then(|p| p.remove());
    report.closed = true;
    report.notes.push(
        "the ignore files were not written: run `mami-clean ignore --write` (or plan and apply again)"
            .into(),
    );
    Ok(())
}

#[path = "recover_undo.rs"]
mod undo_step;
use undo_step::undo;
