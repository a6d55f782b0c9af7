//! `apply`: delete exactly the reviewed plan, lose nothing.
//!
//! Order, and why: lock (one apply per repository) → refuse an unfinished journal → pre-checks
//! (the plan still describes this tree and these rules; git clean and committed; no git
//! operation in progress) → prove `git` entries really are what git holds (else they are backed
//! up) → back up every entry nothing else can give back, fsync, read back and verify → only then
//! delete, entry by entry, each re-verified against the plan and journaled before it is touched
//! → post-checks (fewer files, smaller tree, kept data byte-identical) → optionally commit.
//! A failed pre-check or backup deletes nothing. Ctrl-C stops between entries.

pub mod backup;
pub mod delete;
pub mod journal;
mod recover;
pub mod restore;

use std::collections::BTreeMap;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fsx::{fstatx, open_dir, Meta};
use crate::git::GitInfo;
use crate::plan::{Entry, Plan, Recovery};
use crate::relpath::RelPath;
use crate::scan::{ScanOptions, ScanResult, Scanner};

pub use delete::Outcome;
pub use recover::{recover, EntryState, RecoverMode, RecoverReport};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Fail,
    Skip,
}

/// One line of the pre- or post-check table.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub status: Status,
    pub detail: String,
}

fn check(name: &str, status: Status, detail: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        status,
        detail: detail.into(),
    }
}

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
    pub target_bytes: u64,
    /// Ignore files written, relative to the root.
    pub ignore_files_written: Vec<String>,
    pub commit: Option<String>,
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

/// Test hook, compiled into debug builds only: `MAMI_CLEAN_FAILPOINT=<name>:<entry>:abort`
/// kills the process at that step (as SIGKILL would: no unwinding, no cleanup), and
/// `...:sleep-<ms>` pauses there (to deliver a Ctrl-C between entries).
#[cfg(debug_assertions)]
fn failpoint(name: &str, entry: usize) {
    let Ok(spec) = std::env::var("MAMI_CLEAN_FAILPOINT") else {
        return;
    };
    let mut parts = spec.splitn(3, ':');
    let (Some(n), Some(i), Some(action)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    if n != name || i.parse() != Ok(entry) {
        return;
    }
    match action.strip_prefix("sleep-").and_then(|ms| ms.parse().ok()) {
        Some(ms) => std::thread::sleep(std::time::Duration::from_millis(ms)),
        None if action == "abort" => std::process::abort(),
        None => {}
    }
}

#[cfg(not(debug_assertions))]
fn failpoint(_: &str, _: usize) {}

/// Where the lock and journal live: inside the git directory, or in the user's state dir.
pub fn state_dir(root: &Path, git: Option<&GitInfo>) -> Result<PathBuf> {
    if let Some(g) = git {
        return Ok(g.git_dir.join("mami-clean"));
    }
    let key = blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex();
    Ok(crate::dirs::state()?.join(&key[..16]))
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
    Scanner::new(
        root,
        &cfg.rules,
        git,
        ScanOptions {
            threads,
            ..ScanOptions::default()
        },
    )
    .run()
}

/// BLAKE3 of every regular file (and symlink target) under the kept paths.
fn hash_kept(root: &Path, kept: &[RelPath]) -> BTreeMap<RelPath, String> {
    fn walk(root: &Path, rel: &RelPath, out: &mut BTreeMap<RelPath, String>) {
        let p = rel.under(root);
        let Ok(md) = p.symlink_metadata() else { return };
        if md.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                for e in rd.flatten() {
                    walk(
                        root,
                        &rel.join(std::os::unix::ffi::OsStrExt::as_bytes(
                            e.file_name().as_os_str(),
                        )),
                        out,
                    );
                }
            }
        } else if md.file_type().is_symlink() {
            let t = std::fs::read_link(&p)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            out.insert(rel.clone(), format!("symlink:{t}"));
        } else if md.is_file() {
            let h = std::fs::File::open(&p).ok().and_then(|mut f| {
                let mut h = blake3::Hasher::new();
                std::io::copy(&mut f, &mut h)
                    .ok()
                    .map(|_| h.finalize().to_hex().to_string())
            });
            out.insert(rel.clone(), h.unwrap_or_else(|| "unreadable".into()));
        }
    }
    let mut out = BTreeMap::new();
    for k in kept {
        walk(root, k, &mut out);
    }
    out
}

/// How the tree, the rules or HEAD moved away from what `plan` was made for (empty: current).
fn staleness(
    root: &Path,
    root_meta: &Meta,
    plan: &Plan,
    cfg: &Config,
    git: Option<&GitInfo>,
) -> Vec<String> {
    let mut stale = Vec::new();
    if plan.root != root.display().to_string() {
        stale.push(format!("made for {}, not {}", plan.root, root.display()));
    } else if plan
        .root_identity
        .is_some_and(|id| id.dev != root_meta.id.dev || id.ino != root_meta.id.ino)
    {
        stale.push("the root directory was replaced since the plan".into());
    }
    if plan.rules_hash != cfg.rules.hash() {
        stale.push(
            "the rules in force changed since the plan (rule files or mami-clean.toml)".into(),
        );
    }
    let now_head = git.and_then(|g| g.head.clone());
    let plan_head = plan.git.as_ref().and_then(|g| g.head.clone());
    if plan.git.is_some() != git.is_some() {
        stale.push("the git repository appeared or vanished since the plan".into());
    } else if plan_head != now_head {
        stale.push(format!(
            "HEAD moved since the plan ({} → {})",
            plan_head
                .as_deref()
                .map_or("none", |h| &h[..h.len().min(10)]),
            now_head
                .as_deref()
                .map_or("none", |h| &h[..h.len().min(10)])
        ));
    }
    stale
}

fn prechecks(
    root: &Path,
    root_meta: &Meta,
    plan: &Plan,
    cfg: &Config,
    git: Option<&GitInfo>,
    opts: &ApplyOptions,
) -> Vec<Check> {
    let mut v = Vec::new();
    let stale = staleness(root, root_meta, plan, cfg, git);
    v.push(if stale.is_empty() {
        check(
            "plan is current",
            Status::Pass,
            "same root, rules and HEAD as when it was made",
        )
    } else {
        check(
            "plan is current",
            Status::Fail,
            format!(
                "stale plan: {}; run `mami-clean plan` again",
                stale.join("; ")
            ),
        )
    });
    match git {
        None => {
            v.push(check(
                "git work tree clean",
                Status::Skip,
                "not a git repository: every entry is backed up or regenerable",
            ));
            v.push(check(
                "everything committed",
                Status::Skip,
                "not a git repository",
            ));
        }
        Some(g) => {
            let status = g.modified_paths();
            let modified = status.as_deref().unwrap_or_default();
            v.push(if let Err(e) = &status {
                check(
                    "git work tree clean",
                    Status::Fail,
                    format!("cannot read the git status: {e}"),
                )
            } else if modified.is_empty() {
                check(
                    "git work tree clean",
                    Status::Pass,
                    "no modified or staged tracked files",
                )
            } else if opts.allow_dirty {
                check(
                    "git work tree clean",
                    Status::Pass,
                    format!(
                        "{} modified files allowed by --allow-dirty (never deleted)",
                        modified.len()
                    ),
                )
            } else {
                let some: Vec<String> = modified
                    .iter()
                    .take(5)
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect();
                check(
                    "git work tree clean",
                    Status::Fail,
                    format!(
                        "{} modified or staged: {}{} (commit or stash, or --allow-dirty)",
                        modified.len(),
                        some.join(", "),
                        if modified.len() > 5 { ", …" } else { "" }
                    ),
                )
            });
            v.push(match (&g.head, g.busy()) {
                (None, _) => check(
                    "everything committed",
                    Status::Fail,
                    "no commit yet: HEAD does not exist",
                ),
                (_, Some(busy)) => check("everything committed", Status::Fail, busy),
                (Some(h), None) => check(
                    "everything committed",
                    Status::Pass,
                    format!("HEAD {}", &h[..h.len().min(10)]),
                ),
            });
        }
    }
    v
}

/// Run apply for `plan` in the tree at `root`.
pub fn apply(
    root: &Path,
    cfg: &Config,
    git: Option<&GitInfo>,
    plan: &Plan,
    opts: &ApplyOptions,
    stop: &AtomicBool,
) -> Result<ApplyReport> {
    let state = state_dir(root, git)?;
    let _lock = journal::Lock::acquire(&state)?;
    if journal::unfinished(&state)? {
        return Err(Error::Usage(format!(
            "an earlier apply was interrupted ({}); run `mami-clean recover` first",
            journal::path(&state).display()
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
    report.prechecks = prechecks(root, &root_meta, plan, cfg, git, opts);
    let deleting: Vec<&Entry> = plan.deletions().collect();

    // Git-class entries must be proven: content equal to the blob, blob present.
    let mut needs_backup: Vec<&Entry> = Vec::new();
    let mut unproven = 0;
    for e in &deleting {
        match e.recovery {
            Recovery::Backup => needs_backup.push(e),
            Recovery::Git => {
                let rel = e.rel().unwrap_or_default();
                let proven = git.is_some_and(|g| {
                    let paths: Vec<&[u8]> = g.tracked_paths_under(&rel).collect();
                    paths.len() as u64 == e.files && paths.iter().all(|p| g.proves(p))
                });
                if !proven {
                    unproven += 1;
                    needs_backup.push(e);
                }
            }
            Recovery::Regenerable => {}
        }
    }
    if report.prechecks.iter().any(|c| c.status == Status::Fail) {
        report.refused = true;
        report.prechecks.push(check(
            "backup present",
            Status::Skip,
            "not attempted: a check above failed; nothing was deleted",
        ));
        return Ok(report);
    }
    let before_scan = scan(root, cfg, git, opts.threads)?;
    let before_kept = hash_kept(root, &before_scan.kept);

    // Backup, verified, before the first deletion.
    let mut manifest_index = None;
    if opts.no_backup {
        report.backup.unrecoverable = needs_backup.iter().map(|e| e.path.clone()).collect();
        report.prechecks.push(check(
            "backup present",
            Status::Skip,
            format!(
                "--no-backup: {} entries cannot be brought back",
                needs_backup.len()
            ),
        ));
    } else if needs_backup.is_empty() {
        report.prechecks.push(check(
            "backup present",
            Status::Pass,
            "nothing needs one: every entry is in git or regenerable",
        ));
    } else {
        let dir = match &opts.backup_dir {
            Some(d) => d.clone(),
            None => backup::default_dir()?,
        };
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        if dir.starts_with(root) {
            report.refused = true;
            report.prechecks.push(check(
                "backup present",
                Status::Fail,
                format!(
                    "backup dir {} is inside the tree; choose one outside it",
                    dir.display()
                ),
            ));
            return Ok(report);
        }
        match backup::create(&root_fd, root, &needs_backup, &dir, &plan.body_hash) {
            Ok((bdir, m)) => {
                let files = m
                    .items
                    .iter()
                    .filter(|i| i.kind != crate::scan::EntryKind::Dir)
                    .count();
                let bytes = m.items.iter().map(|i| i.size).sum();
                let extra = if unproven > 0 {
                    format!(" ({unproven} tracked entries could not be proven identical to git and were added)")
                } else {
                    String::new()
                };
                report.prechecks.push(check(
                    "backup present",
                    Status::Pass,
                    format!(
                        "{} entries, {files} files, {} in {}, verified{extra}",
                        needs_backup.len(),
                        crate::size::human(bytes),
                        bdir.display()
                    ),
                ));
                report.backup = BackupReport {
                    dir: Some(bdir),
                    id: Some(m.id.clone()),
                    entries: needs_backup.len(),
                    files,
                    bytes,
                    unrecoverable: Vec::new(),
                };
                manifest_index = Some(backup::index(&m));
            }
            Err(e) => {
                report.refused = true;
                report.prechecks.push(check(
                    "backup present",
                    Status::Fail,
                    format!("{e}; nothing was deleted"),
                ));
                return Ok(report);
            }
        }
    }

    // Delete, entry by entry, journaled; the plan copied beside the journal for `recover`.
    let plan_copy = journal::plan_copy(&state);
    crate::plan::save(plan, &plan_copy)?;
    let mut j = journal::Journal::begin(
        &state,
        journal::Record::Begin {
            plan_body_hash: plan.body_hash.clone(),
            root: plan.root.clone(),
            backup: report.backup.dir.clone(),
            plan: Some(plan_copy.clone()),
        },
    )?;
    let deleter =
        delete::Deleter::new(&root_fd, opts.progress.clone()).map_err(|e| Error::io(root, e))?;
    let backed: std::collections::HashSet<&str> =
        needs_backup.iter().map(|e| e.path.as_str()).collect();
    let empty = Default::default();
    for (i, e) in deleting.iter().enumerate() {
        if stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
        let trusted_rule = cfg.rules.by_id(&e.rule).is_some_and(|r| !r.untrusted);
        if e.untrusted || !trusted_rule {
            let reason = format!("selected by rule `{}`, which is not in force for apply (an untrusted mami-clean.toml? review it, then `mami-clean trust`)", e.rule);
            report.entries.push(EntryReport {
                path: e.path.clone(),
                rule: e.rule.clone(),
                recovery: e.recovery,
                bytes: e.bytes,
                outcome: Outcome::Skipped { reason },
            });
            continue;
        }
        j.note(&journal::Record::Intent {
            i,
            path: e.path.clone(),
        })?;
        let backed = backed
            .contains(e.path.as_str())
            .then(|| manifest_index.as_ref().unwrap_or(&empty));
        let allow = allow_for(e, backed, git);
        failpoint("apply-after-intent", i);
        let outcome = deleter.delete(e, &allow);
        failpoint("apply-after-delete", i);
        let status = match &outcome {
            Outcome::Deleted { .. } => "deleted",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Partial { .. } => "partial",
        };
        j.note(&journal::Record::Done {
            i,
            status: status.into(),
        })?;
        if matches!(outcome, Outcome::Deleted { .. }) {
            report.freed_bytes += e.bytes;
        }
        report.entries.push(EntryReport {
            path: e.path.clone(),
            rule: e.rule.clone(),
            recovery: e.recovery,
            bytes: e.bytes,
            outcome,
        });
    }
    j.write(&journal::Record::End)?;
    let _ = std::fs::remove_file(&plan_copy);

    // Post-checks: the design's "after".
    // A fresh view of git: the deletions changed the work tree it describes.
    let after_git = GitInfo::discover(root)?;
    let after = scan(root, cfg, after_git.as_ref(), opts.threads)?;
    // The work tree: `.git` (where the lock, journal and git's own writes go) left out.
    let work = |t: &crate::scan::Stats, g: &crate::scan::Stats| crate::scan::Stats {
        bytes: t.bytes.saturating_sub(g.bytes),
        disk_bytes: t.disk_bytes.saturating_sub(g.disk_bytes),
        files: t.files.saturating_sub(g.files),
        dirs: t.dirs.saturating_sub(g.dirs),
    };
    // Before = this run's own scan just ahead of the deletions, not the plan's: anything made
    // since the plan (the plan file itself, saved in the tree) is no part of the cleanup.
    let b = &work(&before_scan.tree, &before_scan.git_dir);
    let a = &work(&after.tree, &after.git_dir);
    let deleted_any = report
        .entries
        .iter()
        .any(|e| !matches!(e.outcome, Outcome::Skipped { .. }));
    // Both must drop, unless nothing was deleted at all.
    let shrank = |before: u64, after: u64| {
        if after < before || !deleted_any {
            Status::Pass
        } else {
            Status::Fail
        }
    };
    report.postchecks.push(check(
        "fewer files",
        shrank(b.files, a.files),
        format!("{} → {}", b.files, a.files),
    ));
    report.postchecks.push(check(
        "smaller tree",
        shrank(b.bytes, a.bytes),
        format!(
            "{} → {}",
            crate::size::human(b.bytes),
            crate::size::human(a.bytes)
        ),
    ));
    let after_kept = hash_kept(root, &after.kept);
    let changed: Vec<String> = before_kept
        .iter()
        .filter(|(k, v)| after_kept.get(*k) != Some(*v))
        .map(|(k, _)| k.display())
        .collect();
    report.postchecks.push(if changed.is_empty() {
        check(
            "data intact",
            Status::Pass,
            format!("{} kept files byte-identical (BLAKE3)", before_kept.len()),
        )
    } else {
        check(
            "data intact",
            Status::Fail,
            format!("changed or missing: {}", changed.join(", ")),
        )
    });
    ignore_files(root, cfg, plan, &before_scan, opts, &mut report);
    report.postchecks.push(check(
        "target",
        Status::Pass,
        format!(
            "freed {} of {} ({:.0}%)",
            crate::size::human(report.freed_bytes),
            crate::size::human(plan.target_bytes),
            crate::size::percent(report.freed_bytes, plan.target_bytes)
        ),
    ));

    if let (Some(msg), Some(g)) = (&opts.commit, git) {
        if report.partial() || report.interrupted {
            report.postchecks.push(check(
                "commit",
                Status::Skip,
                "not committed: the apply was partial or a check failed",
            ));
        } else {
            let paths: Vec<RelPath> = deleting.iter().filter_map(|e| e.rel()).collect();
            let added: Vec<RelPath> = report
                .ignore_files_written
                .iter()
                .map(|p| RelPath::from_bytes(p.as_bytes()))
                .collect();
            match g.commit_removals(&paths, &added, msg)? {
                Some(id) => {
                    report.postchecks.push(check(
                        "commit",
                        Status::Pass,
                        format!("{} {msg}", &id[..10]),
                    ));
                    report.commit = Some(id);
                }
                None => report.postchecks.push(check(
                    "commit",
                    Status::Skip,
                    "no tracked file was removed: nothing to commit",
                )),
            }
        }
    }
    Ok(report)
}

/// What may go under entry `e`: the files its backup holds (`backed`, the manifest's index),
/// else the files git holds, else anything (regenerable, or `--no-backup`: the user accepted
/// the loss of what was listed).
fn allow_for<'a>(
    e: &Entry,
    backed: Option<&'a std::collections::HashMap<Vec<u8>, (u64, i128)>>,
    git: Option<&'a GitInfo>,
) -> delete::Allow<'a> {
    match (backed, e.recovery, git) {
        (Some(index), _, _) => delete::Allow::Backed(index),
        (None, Recovery::Git, Some(g)) => delete::Allow::Tracked(g),
        _ => delete::Allow::Any,
    }
}

/// Write the ignore files (unless told not to) and report them as post-checks.
fn ignore_files(
    root: &Path,
    cfg: &Config,
    plan: &Plan,
    scan: &ScanResult,
    opts: &ApplyOptions,
    report: &mut ApplyReport,
) {
    if opts.no_ignore_files {
        report.postchecks.push(check(
            ".gitignore updated",
            Status::Skip,
            "--no-ignore-files",
        ));
        report.postchecks.push(check(
            ".dockerignore created",
            Status::Skip,
            "--no-ignore-files",
        ));
        return;
    }
    let builds = match crate::docker::discover(root) {
        Ok(b) => b,
        Err(e) => {
            report.postchecks.push(check(
                ".dockerignore created",
                Status::Fail,
                format!("cannot read the build files: {e}"),
            ));
            return;
        }
    };
    let changes = match crate::ignorefile::plan_changes(root, &cfg.rules, plan, scan, &builds) {
        Ok(c) => c,
        Err(e) => {
            report
                .postchecks
                .push(check(".gitignore updated", Status::Fail, e.to_string()));
            return;
        }
    };
    let mut docker = Vec::new();
    for ch in &changes {
        let shown = ch.shown.clone();
        let (status, detail) = if !ch.changed() {
            (Status::Pass, format!("{shown} already up to date"))
        } else {
            match crate::ignorefile::write_atomic(&ch.path, &ch.after) {
                Ok(()) => {
                    report.ignore_files_written.push(shown.clone());
                    (
                        Status::Pass,
                        format!("{shown}: {} lines added", ch.missing().len()),
                    )
                }
                Err(e) => (Status::Fail, e.to_string()),
            }
        };
        match ch.dialect {
            crate::ignorefile::Dialect::Git => {
                report
                    .postchecks
                    .push(check(".gitignore updated", status, detail))
            }
            crate::ignorefile::Dialect::Docker => docker.push((status, detail)),
        }
    }
    if docker.is_empty() {
        report.postchecks.push(check(
            ".dockerignore created",
            Status::Skip,
            "no Dockerfile or compose build in the repository",
        ));
    }
    for (status, detail) in docker {
        report
            .postchecks
            .push(check(".dockerignore created", status, detail));
    }
    for b in builds.iter().filter(|b| b.context.starts_with(root)) {
        let before = plan.contexts.iter().find(|c| c.name == b.name);
        if let Ok(now) = crate::docker::context::forecast(root, b, &[], None) {
            let was = before.map_or("?".to_string(), |c| crate::size::human(c.bytes_before));
            report.postchecks.push(check(
                "build context",
                Status::Pass,
                format!(
                    "{}: {was} → {} ({} files)",
                    b.name,
                    crate::size::human(now.bytes_before),
                    now.files_before
                ),
            ));
        }
    }
}
