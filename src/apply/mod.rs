//! `apply`: delete exactly the reviewed plan, lose nothing.
//!
//! Order, and why, one file per step:
//! 1. lock (one apply per repository) and refuse an unfinished journal ([`journal`]);
//! 2. pre-checks: the plan still describes this tree and these rules, git is clean and
//!    committed, no git operation in progress ([`checks`]);
//! 3. every entry derived again from the rules in force: a plan file only narrows what they
//!    select ([`authority`]);
//! 4. backup of everything nothing else can give back (entries of class `backup`, `git`
//!    entries git cannot prove, tracked files with edits under regenerable ones), fsynced, read
//!    back and verified ([`safekeep`], [`backup`]);
//! 5. deletion, entry by entry, each re-verified against the plan and journaled before it is
//!    touched, each file vouched for at the moment it goes ([`run`], [`delete`], [`vouch`]);
//! 6. post-checks and the ignore files ([`post`]); 7. optionally the commit ([`commit`]).
//!
//! A failed pre-check or backup deletes nothing. Ctrl-C stops between entries.

pub mod authority;
pub mod backup;
mod checks;
mod commit;
pub mod delete;
pub mod journal;
mod post;
mod recover;
pub mod restore;
mod run;
pub mod runs;
mod safekeep;
pub mod undo;
mod unlink;
pub mod vouch;

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fsx::{fstatx, open_dir, Meta};
use crate::git::GitInfo;
use crate::plan::{Plan, Recovery};
use crate::scan::{ScanOptions, ScanResult, Scanner};

use checks::check;
pub use checks::{Check, Status};
pub use delete::Outcome;
pub use recover::{recover, EntryState, RecoverMode, RecoverReport};

#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    pub allow_dirty: bool,
    pub no_backup: bool,
    /// Where backups go (default: [`backup::default_dir`]).
    pub backup_dir: Option<PathBuf>,
    /// Commit the result with this message.
    pub commit: Option<String>,
    pub threads: usize,
    /// Leave .gitignore and .dockerignore alone.
    pub no_ignore_files: bool,
    /// Counts files deleted, for a progress display outside the library.
    pub progress: crate::scan::Progress,
}

#[derive(Debug, Serialize)]
pub struct EntryReport {
    pub path: String,
    pub rule: String,
    pub recovery: Recovery,
    pub bytes: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Serialize, Default)]
pub struct BackupReport {
    pub dir: Option<PathBuf>,
    pub id: Option<String>,
    /// The command that puts it back, as it can be pasted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_command: Option<String>,
    pub entries: usize,
    pub files: usize,
    pub bytes: u64,
    /// With `--no-backup`: what could not be brought back.
    pub unrecoverable: Vec<String>,
}

#[derive(Debug, Serialize, Default)]
pub struct ApplyReport {
    pub prechecks: Vec<Check>,
    /// True when a pre-check failed or the backup could not be made: nothing was deleted.
    pub refused: bool,
    pub backup: BackupReport,
    pub entries: Vec<EntryReport>,
    pub interrupted: bool,
    pub postchecks: Vec<Check>,
    pub freed_bytes: u64,
    pub target_bytes: Option<u64>,
    /// Ignore files written, relative to the root.
    pub ignore_files_written: Vec<String>,
    pub commit: Option<String>,
    /// `--commit` was asked, everything went, and the commit failed: applied, not committed.
    pub commit_failed: bool,
    /// The plan selects nothing to delete: nothing was done.
    pub nothing_to_do: bool,
    /// `apply --verify`: the Docker checks run after it (filled in by the caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<crate::verify::VerifyReport>,
    /// The ignore files as they were before this run wrote them, for `undo`.
    #[serde(skip)]
    pub ignore_edits: Vec<runs::IgnoreEdit>,
    /// The id `mami-clean undo` knows this run by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// What the person who ran it must do next: the plan's notes on deleted directories a
    /// Dockerfile copies from (`target/` of Spring Boot's `COPY target/*.jar`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ApplyReport {
    /// Some entry was skipped or only partly deleted, or a post-check failed.
    pub fn partial(&self) -> bool {
        self.entries
            .iter()
            .any(|e| !matches!(e.outcome, Outcome::Deleted { .. }))
            || self.postchecks.iter().any(|c| c.status == Status::Fail)
    }
}

pub(crate) use crate::failpoint::failpoint;

/// Where the lock and journal live: inside the git directory, or in the user's state dir.
pub fn state_dir(root: &Path, git: Option<&GitInfo>) -> Result<journal::State> {
    if let Some(g) = git {
        return Ok(journal::State::new(g.git_dir.clone(), "mami-clean"));
    }
    let key = blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex();
    Ok(journal::State::new(crate::dirs::state()?, &key[..16]))
}

/// A flag set by SIGINT/SIGTERM, checked between entries.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(sig, flag.clone());
    }
    flag
}

fn scan(root: &Path, cfg: &Config, git: Option<&GitInfo>, threads: usize) -> Result<ScanResult> {
    Scanner::new(root, &cfg.rules, git, scan_options(threads)).run()
}

fn scan_options(threads: usize) -> ScanOptions {
    ScanOptions {
        threads,
        ..ScanOptions::default()
    }
}

/// What `apply` has to say while it runs, for a caller that shows it as it happens (a person
/// watching, a log that must hold what was done if the run is killed).
pub enum Event<'a> {
    /// The pre-checks and the backup are done (the report holds them, and whether it refused).
    Prechecked(&'a ApplyReport),
    /// One entry is done.
    Entry(&'a EntryReport),
}

/// Run apply for `plan` in the tree at `root`: the steps the module docs list, in order.
/// `on` hears each step as it ends.
pub fn apply(
    root: &Path,
    cfg: &Config,
    git: Option<&GitInfo>,
    plan: &Plan,
    opts: &ApplyOptions,
    stop: &AtomicBool,
    on: &mut dyn FnMut(Event),
) -> Result<ApplyReport> {
    let state = state_dir(root, git)?;
    let _lock = journal::Lock::acquire(&state)?;
    if journal::unfinished(&state)? {
        return Err(Error::Usage(format!(
            "an earlier apply was interrupted ({}); run `mami-clean recover` first",
            state.shown(journal::JOURNAL).display()
        )));
    }
    let root_fd: OwnedFd = open_dir(root).map_err(|e| Error::io(root, e))?;
    let root_meta = Meta::from_statx(
        &fstatx(std::os::fd::AsFd::as_fd(&root_fd)).map_err(|e| Error::io(root, e))?,
    );
    let mut report = ApplyReport {
        target_bytes: plan.target_bytes,
        ..ApplyReport::default()
    };
    report.prechecks = checks::prechecks(root, &root_meta, plan, cfg, git, opts);
    if report.prechecks.iter().any(|c| c.status == Status::Fail) {
        report.refused = true;
        report.prechecks.push(check(
            "backup present",
            Status::Skip,
            "not attempted: a check above failed; nothing was deleted",
        ));
        on(Event::Prechecked(&report));
        return Ok(report);
    }
    if plan.deletions().next().is_none() {
        report.nothing_to_do = true;
        on(Event::Prechecked(&report));
        return Ok(report);
    }
    let (before, work) = rederive(root, cfg, git, plan, opts.threads)?;
    let kept_before = post::hash_kept(root, &before.kept);
    let kept = safekeep::back_up(
        root,
        &root_fd,
        &root_meta,
        plan,
        &work,
        git,
        opts,
        &mut report,
    );
    on(Event::Prechecked(&report));
    let Some(kept) = kept else {
        return Ok(report);
    };
    let ctx = run::Run {
        root,
        root_fd: &root_fd,
        state: &state,
        git,
        opts,
        stop,
    };
    run::delete_all(&ctx, plan, &work, &kept, &mut report, on)?;
    post::postchecks(root, cfg, plan, &before, &kept_before, opts, &mut report)?;
    commit::commit(git, &work, opts, &mut report)?;
    report.run_id = runs::record(&state, plan, &work, &report)?;
    Ok(report)
}

/// Scan the tree now and judge every delete entry of `plan` against the rules in force
/// ([`authority`]): what apply may do comes from this, never from the plan file alone.
fn rederive<'p>(
    root: &Path,
    cfg: &Config,
    git: Option<&GitInfo>,
    plan: &'p Plan,
    threads: usize,
) -> Result<(ScanResult, Vec<authority::Work<'p>>)> {
    let mut scan = scan(root, cfg, git, threads)?;
    let (rules, target) = (&cfg.rules, plan.target_bytes);
    let now = Plan::build(root, &scan, rules, git, target);
    let now = crate::plan::look_inside(
        root,
        &mut scan,
        now,
        rules,
        git,
        target,
        &scan_options(threads),
    )?;
    let work = authority::authorize(plan, &now, &cfg.rules);
    Ok((scan, work))
}
