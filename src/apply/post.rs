//! Step 6 of `apply`: the design's "after": fewer files, a smaller tree, kept data
//! byte-identical, the ignore files written, each build context before and after, and the
//! freed bytes against the target.

use std::collections::BTreeMap;
use std::path::Path;

use super::checks::check;
use super::{scan, ApplyOptions, ApplyReport, Outcome, Status};
use crate::config::Config;
use crate::error::Result;
use crate::git::GitInfo;
use crate::plan::Plan;
use crate::relpath::RelPath;
use crate::scan::{ScanResult, Stats};

/// Run the post-checks after the deletions, against `before` (this run's own scan just ahead
/// of them, not the plan's: anything made since the plan, such as the plan file saved in the
/// tree, is no part of the cleanup) and the kept files' hashes taken then.
pub(super) fn postchecks(
    root: &Path,
    cfg: &Config,
    plan: &Plan,
    before: &ScanResult,
    kept_before: &BTreeMap<RelPath, String>,
    opts: &ApplyOptions,
    report: &mut ApplyReport,
) -> Result<()> {
    // A fresh view of git: the deletions changed the work tree it describes.
    let after_git = GitInfo::discover(root)?;
    let after = scan(root, cfg, after_git.as_ref(), opts.threads)?;
    // The work tree: `.git` (where the lock, journal and git's own writes go) left out.
    let work = |t: &Stats, g: &Stats| Stats {
        bytes: t.bytes.saturating_sub(g.bytes),
        disk_bytes: t.disk_bytes.saturating_sub(g.disk_bytes),
        files: t.files.saturating_sub(g.files),
        dirs: t.dirs.saturating_sub(g.dirs),
    };
    let b = &work(&before.tree, &before.git_dir);
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
        format!("{} → {} in the work tree (.git aside)", b.files, a.files),
    ));
    report.postchecks.push(check(
        "smaller tree",
        shrank(b.bytes, a.bytes),
        format!(
            "{} → {} (work tree, .git aside)",
            crate::size::human(b.bytes),
            crate::size::human(a.bytes)
        ),
    ));
    let kept_after = hash_kept(root, &after.kept);
    let changed: Vec<String> = kept_before
        .iter()
        .filter(|(k, v)| kept_after.get(*k) != Some(*v))
        .map(|(k, _)| k.display())
        .collect();
    report.postchecks.push(if changed.is_empty() {
        check(
            "data intact",
            Status::Pass,
            format!("{} kept files byte-identical (BLAKE3)", kept_before.len()),
        )
    } else {
        check(
            "data intact",
            Status::Fail,
            format!("changed or missing: {}", changed.join(", ")),
        )
    });
    ignore_files(root, cfg, plan, before, after_git.as_ref(), opts, report);
    // A target is a goal the user set (Mami's 1.1 GB); without one there is nothing to
    // compare with, and the smaller work tree is already its own row.
    if let Some(goal) = plan.target_bytes {
        report.postchecks.push(check(
            "target",
            Status::Pass,
            format!(
                "freed {} of {} ({:.0}%)",
                crate::size::human(report.freed_bytes),
                crate::size::human(goal),
                crate::size::percent(report.freed_bytes, goal)
            ),
        ));
    }
    Ok(())
}

/// BLAKE3 of every regular file (and symlink target) under the kept paths.
pub(super) fn hash_kept(root: &Path, kept: &[RelPath]) -> BTreeMap<RelPath, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut out = BTreeMap::new();
    // An explicit stack: a kept tree may be as deep as the scan goes.
    let mut stack: Vec<RelPath> = kept.to_vec();
    while let Some(rel) = stack.pop() {
        let p = rel.under(root);
        let Ok(md) = p.symlink_metadata() else {
            continue;
        };
        if md.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| {
                    rel.join(std::os::unix::ffi::OsStrExt::as_bytes(
                        e.file_name().as_os_str(),
                    ))
                }));
            }
        } else if md.file_type().is_symlink() {
            let t = std::fs::read_link(&p)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            out.insert(rel, format!("symlink:{t}"));
        } else if md.is_file() {
            let h = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(
                    (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
                )
                .open(&p)
                .ok()
                .and_then(|mut f| {
                    let mut h = blake3::Hasher::new();
                    std::io::copy(&mut f, &mut h)
                        .ok()
                        .map(|_| h.finalize().to_hex().to_string())
                });
            out.insert(rel, h.unwrap_or_else(|| "unreadable".into()));
        }
    }
    out
}

const GITIGNORE: &str = ".gitignore";
const DOCKERIGNORE: &str = ".dockerignore";

/// Write the ignore files (unless told not to, or the run was interrupted: then nothing more
/// is written) and report them as post-checks, each row saying what happened to the file.
fn ignore_files(
    root: &Path,
    cfg: &Config,
    plan: &Plan,
    scan: &ScanResult,
    git: Option<&GitInfo>,
    opts: &ApplyOptions,
    report: &mut ApplyReport,
) {
    let skip_why = if opts.no_ignore_files {
        Some("--no-ignore-files")
    } else if report.interrupted {
        Some("not written: the run was interrupted")
    } else {
        None
    };
    if let Some(why) = skip_why {
        for name in [GITIGNORE, DOCKERIGNORE] {
            report.postchecks.push(check(name, Status::Skip, why));
        }
        return;
    }
    // A compose project Compose refuses was the plan's note already: the rest are checked.
    let files = crate::docker::BuildFiles::find(root);
    let builds = match crate::docker::compose::discover_all(root, &files) {
        Ok((b, _)) => b.into_iter().filter(|b| b.readable()).collect::<Vec<_>>(),
        Err(e) => {
            let why = format!("cannot read the build files: {e}");
            report
                .postchecks
                .push(check(DOCKERIGNORE, Status::Fail, why));
            return;
        }
    };
    let changes = match crate::ignorefile::plan_changes(root, &cfg.rules, plan, scan, &builds, git)
    {
        Ok(c) => c,
        Err(e) => {
            report
                .postchecks
                .push(check(GITIGNORE, Status::Fail, e.to_string()));
            return;
        }
    };
    let mut docker = Vec::new();
    let mut grown = 0;
    for ch in &changes {
        let shown = ch.shown.clone();
        let (status, detail) = if !ch.changed() && !ch.exists {
            (Status::Pass, format!("{shown}: not needed (its context holds no `.git` and no rule's line is wanted there)"))
        } else if !ch.changed() {
            (Status::Pass, format!("{shown}: already up to date"))
        } else {
            let existed = ch.exists;
            match crate::ignorefile::write_in_tree(root, &ch.path, &ch.after) {
                Ok(()) => {
                    report.ignore_edits.push(super::runs::IgnoreEdit {
                        path: shown.clone(),
                        before: existed.then(|| ch.before.clone()),
                        after_blake3: blake3::hash(ch.after.as_bytes()).to_hex().to_string(),
                    });
                    report.ignore_files_written.push(shown.clone());
                    grown += ch.after.len().saturating_sub(ch.before.len()) as u64;
                    let verb = if ch.before.is_empty() {
                        "created"
                    } else {
                        "updated"
                    };
                    let n = crate::size::plural(ch.missing().len() as u64, "line", "lines");
                    (Status::Pass, format!("{shown}: {verb}, {n} added"))
                }
                Err(e) => (Status::Fail, e.to_string()),
            }
        };
        match ch.dialect {
            crate::ignorefile::Dialect::Git => {
                report.postchecks.push(check(GITIGNORE, status, detail))
            }
            crate::ignorefile::Dialect::Docker => docker.push((status, detail)),
        }
    }
    if docker.is_empty() {
        report.postchecks.push(check(
            DOCKERIGNORE,
            Status::Skip,
            "no Dockerfile or compose build in the repository",
        ));
    }
    if let (Some(g), false) = (git, report.ignore_files_written.is_empty()) {
        g.ignore_files_written();
    }
    for (status, detail) in docker {
        report.postchecks.push(check(DOCKERIGNORE, status, detail));
    }
    contexts(root, plan, &builds, grown, report);
    deleted_inputs(plan, report);
}

/// Each build context now against the plan's measure of it before: a cleanup makes none
/// larger but by the ignore-file lines it wrote (`grown` bytes in all), so a context that grew
/// more (something added meanwhile) fails the check.
fn contexts(
    root: &Path,
    plan: &Plan,
    builds: &[crate::docker::Build],
    grown: u64,
    report: &mut ApplyReport,
) {
    // Builds that send the same image are one row, as in the plan, found by any of its names.
    let inside = builds.iter().filter(|b| b.context.starts_with(root));
    for (b, names) in crate::docker::compose::by_image(inside) {
        let before = plan.contexts.iter().find(|c| {
            let named = |n: &String| c.name == *n || c.builds.contains(n);
            names.iter().any(named)
        });
        let Ok(now) = crate::docker::context::forecast(root, b, &[], &[]) else {
            continue;
        };
        let grew = before.is_some_and(|c| now.bytes_before > c.bytes_before + grown);
        let was = before.map_or("?".to_string(), |c| crate::size::human(c.bytes_before));
        report.postchecks.push(check(
            "build context",
            if grew { Status::Fail } else { Status::Pass },
            format!(
                "{}: {was} → {} ({}){}",
                crate::docker::names::and_names(&names),
                crate::size::human(now.bytes_before),
                crate::size::plural(now.files_before, "file", "files"),
                if grew {
                    "; it grew: something was added since the plan"
                } else {
                    ""
                }
            ),
        ));
    }
}

/// The plan's notes on a deletion a Dockerfile copies from, for the entries this run deleted:
/// `apply --yes` shows no plan, and `docker build` fails until the rebuild it names.
fn deleted_inputs(plan: &Plan, report: &mut ApplyReport) {
    let notes = (plan.notes.iter()).filter(|n| n.kind == crate::scan::NoteKind::BuildInputDeleted);
    for n in notes {
        let gone = (report.entries.iter())
            .any(|e| e.path == n.path && matches!(e.outcome, Outcome::Deleted { .. }));
        if gone {
            report.notes.push(format!("{}: {}", n.path, n.message));
        }
    }
}
