//! Logs committed to git (`tracked-log`): a Rails app's `log/development.log`, Laravel's
//! `storage/logs/laravel.log`, a `backend/server.log` (committed in 4,324, 6,057 and 3,962
//! public repositories). An app appends to its log as it runs, so every run changes a tracked
//! file, and what it records (requests, errors, now and then a credential in a stack trace)
//! goes into every clone. The plan keeps a log on disk (the app may be writing it); git is
//! where it does not belong. One finding for all of them: one problem, one fix.
//!
//! None for a log `.gitignore` already ignores (`tracked-ignored` says so), an empty one (it
//! keeps a folder), a test's input (LogSoul's `test/testdata/*.log`), one a compose service or
//! a `docker run` mounts (awesome-compose's `logstash/nginx.log`, the sample its logstash
//! reads), or one the plan deletes (a failed install's `npm-debug.log`, a W&B run's logs).

use std::collections::HashSet;
use std::path::Path;

use super::secret_sent::fixture_dir;
use super::{finding, Finding};
use crate::git::GitInfo;
use crate::relpath::{Holder, RelPath};

/// Whether `p` is named like a log (`*.log`, as the `keep-active-logs` rule has it).
fn is_log(p: &[u8]) -> bool {
    p.len() > 4 && p[p.len() - 4..].eq_ignore_ascii_case(b".log")
}

/// The `tracked-log` finding of the repository's committed logs, if it has any. `elsewhere`
/// hold what is another problem (committed junk folders another finding reports, what the
/// plan deletes), `secrets` the committed credentials.
pub(super) fn finding_of<'g>(
    git: &'g GitInfo,
    mut elsewhere: [&mut Holder<'g>; 2],
    secrets: &[&[u8]],
) -> Option<Finding> {
    let root: &Path = &git.workdir;
    let ignored: HashSet<&[u8]> = git.tracked_ignored().iter().map(Vec::as_slice).collect();
    let mounts = crate::in_use::tracked_mounts(root, git);
    let mounted = |p: &[u8]| {
        let p = RelPath::from_bytes(p);
        mounts.0.iter().any(|m| p.starts_with(&m.source))
    };
    let mut logs: Vec<(&[u8], u64)> = Vec::new();
    // Tracked logs no finding may name: an input the project keeps on purpose.
    let mut kept: Vec<&[u8]> = Vec::new();
    // Every tracked log the finding leaves alone: its fix must not untrack them either.
    let mut others: Vec<&[u8]> = Vec::new();
    for p in git.tracked_files().filter(|p| is_log(p)) {
        let held = elsewhere.iter_mut().any(|h| h.of(p).is_some());
        if ignored.contains(p) || held || secrets.contains(&p) {
            others.push(p);
            continue;
        }
        if fixture_dir(p).is_some() || mounted(p) {
            kept.push(p);
            others.push(p);
            continue;
        }
        let meta = RelPath::from_bytes(p).under(root).symlink_metadata();
        match meta {
            Ok(m) if m.is_file() && m.len() > 0 => logs.push((p, m.len())),
            _ => others.push(p),
        }
    }
    (!logs.is_empty()).then(|| logs_finding(&logs, &kept, &others))
}

/// What `git rm --cached` is given for `logs`: each folder's logs as one pathspec
/// (`'save/logs/*.log'`, which git matches at any depth below it) where no other tracked log
/// lies below that folder, else each path. OXY.ai's 78 training logs in three folders made a
/// command of 4.5 kB. `logs` and `others` are in index order (sorted), so what lies below a
/// folder is a range found by bisection, not a scan per log.
fn pathspecs(logs: &[&[u8]], others: &[&[u8]]) -> Vec<String> {
    // A log `*.log` does not match (`APP.LOG`: pathspecs are case-sensitive) keeps its folder
    // from being one pathspec, as another tracked log there does.
    let mut blockers: Vec<&[u8]> = (logs.iter().copied())
        .filter(|l| !l.ends_with(b".log"))
        .chain(others.iter().copied())
        .collect();
    blockers.sort_unstable();
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for &log in logs {
        let spec = match folder(log, logs, &blockers) {
            Some(dir) => format!("{}/*.log", RelPath::from_bytes(dir).display()),
            None => RelPath::from_bytes(log).display(),
        };
        if seen.insert(spec.clone()) {
            out.push(spec);
        }
    }
    out
}

/// The entries of sorted `list` below the folder `dir`: a contiguous range.
fn below<'l>(list: &'l [&[u8]], dir: &[u8]) -> &'l [&'l [u8]] {
    &list[crate::relpath::sorted_under(list, |p| p, dir).1]
}

/// The highest folder above `log` holding none of `blockers`, two logs or more, and no
/// character a pathspec reads as a wildcard.
fn folder<'a>(log: &'a [u8], logs: &[&[u8]], blockers: &[&[u8]]) -> Option<&'a [u8]> {
    let cuts = log.iter().enumerate().filter(|(_, &b)| b == b'/');
    cuts.map(|(i, _)| &log[..i]).find(|dir| {
        !dir.iter().any(|b| b"*?[\\".contains(b))
            && below(blockers, dir).is_empty()
            && below(logs, dir).len() > 1
    })
}

/// The finding of `logs` (each with its bytes); `kept` are the tracked logs a `*.log` line
/// would catch too.
fn logs_finding(logs: &[(&[u8], u64)], kept: &[&[u8]], others: &[&[u8]]) -> Finding {
    let bytes: u64 = logs.iter().map(|(_, b)| b).sum();
    let shown = |p: &[u8]| format!("`{}`", RelPath::from_bytes(p).display());
    let named: Vec<String> = logs.iter().take(3).map(|(p, _)| shown(p)).collect();
    let named = match logs.len() {
        n if n > 3 => format!("{} and {} more", named.join(", "), n - 3),
        _ => crate::docker::names::and_list(&named),
    };
    let (what, it) = match logs.len() {
        1 => ("a log", "it stays"),
        _ => ("logs", "they stay"),
    };
    let paths: Vec<&[u8]> = logs.iter().map(|&(p, _)| p).collect();
    let args: Vec<String> = (pathspecs(&paths, others).iter())
        .map(|p| crate::shell::path_arg(p).into_owned())
        .collect();
    let then = match kept.first() {
        None => "then `mami-clean ignore --write`, which keeps logs out of git from there on"
            .to_string(),
        Some(k) => format!(
            "then ignore them by name or folder in .gitignore (`*.log` would also catch the tracked {}, which the project keeps)",
            shown(k)
        ),
    };
    let mut x = finding(
        "tracked-log",
        RelPath::from_bytes(logs[0].0).display(),
        format!(
            "{} ({}) {} committed to git: the app appends to {what} as it runs, so each run changes a tracked file, and what it records (requests, errors, a credential in a stack trace) goes into every clone",
            named,
            crate::size::human(bytes),
            if logs.len() == 1 { "is" } else { "are" }
        ),
        format!(
            "`git rm --cached {}` ({it} on disk), {then}",
            args.join(" ")
        ),
    );
    x.bytes = Some(bytes);
    x
}
