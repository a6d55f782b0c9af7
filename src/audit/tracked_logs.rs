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
    for p in git.tracked_files().filter(|p| is_log(p)) {
        let held = elsewhere.iter_mut().any(|h| h.of(p).is_some());
        if ignored.contains(p) || held || secrets.contains(&p) {
            continue;
        }
        if fixture_dir(p).is_some() || mounted(p) {
            kept.push(p);
            continue;
        }
        let meta = RelPath::from_bytes(p).under(root).symlink_metadata();
        match meta {
            Ok(m) if m.is_file() && m.len() > 0 => logs.push((p, m.len())),
            _ => {}
        }
    }
    (!logs.is_empty()).then(|| logs_finding(&logs, &kept))
}

/// The finding of `logs` (each with its bytes); `kept` are the tracked logs a `*.log` line
/// would catch too.
fn logs_finding(logs: &[(&[u8], u64)], kept: &[&[u8]]) -> Finding {
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
    let args: Vec<String> = logs
        .iter()
        .map(|&(p, _)| crate::shell::path_arg(&RelPath::from_bytes(p).display()).into_owned())
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
