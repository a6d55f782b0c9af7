//! The junk a build context sends, as findings: one per rule where a `.dockerignore` lacks
//! its line, one for the context where there is no `.dockerignore`, each as severe as the
//! junk is heavy. Secrets are found in the same pass over the sent files.

use std::collections::BTreeMap;

use super::build::View;
use super::junk_fix::{self, Copied};
use super::{finding, rel_to, secrets, Finding, Severity};

/// The junk a context sends, by rule: its bytes and the delete entries that hold it.
pub(super) type Junk<'a> = BTreeMap<&'a str, (u64, Vec<usize>)>;

/// Junk of this size or more in one finding is an error; less is a warning. The harm of junk
/// in a context is its weight (the Mami image: 1.1 GB of 1.55 GB), and two `.bat` files of
/// 142 B (ChatTTS-ui) are litter to tidy, not a broken build.
pub(super) const JUNK_ERROR_BYTES: u64 = 1_000_000;

pub(super) fn junk_severity(bytes: u64) -> Severity {
    if bytes >= JUNK_ERROR_BYTES {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// Log files a context sends outside any delete entry, with their bytes (paths from the root).
/// The rules keep a log on disk (the app may be writing it), but it is written where the app
/// runs, not shipped in its image: `backend/server.log` is committed in 3,962 public
/// repositories, and a `COPY . .` puts it in the image.
#[derive(Default, Clone)]
pub(super) struct Logs {
    pub bytes: u64,
    pub paths: Vec<String>,
}

/// What a context sends that the findings weigh: junk by rule, logs, what the build copies.
#[derive(Clone)]
pub(super) struct Sent<'a> {
    pub junk: Junk<'a>,
    logs: Logs,
    copied: Copied,
    /// Junk bytes per delete entry of the view.
    entry_bytes: Vec<u64>,
}

impl Sent<'_> {
    /// All the junk sent.
    pub(super) fn total(&self) -> u64 {
        self.junk.values().map(|(b, _)| b).sum()
    }

    /// Leave out the delete entries another finding reports (`covered`): a `.dockerignore`'s
    /// root-only `venv` that lets `frontend/venv` through is one problem, its line, not also
    /// a `junk-in-context` for `python-venv` with another fix.
    pub(super) fn without(&mut self, covered: &[usize]) {
        for (bytes, hits) in self.junk.values_mut() {
            hits.retain(|i| {
                let keep = !covered.contains(i);
                if !keep {
                    *bytes -= self.entry_bytes[*i];
                }
                keep
            });
        }
        self.junk.retain(|_, (_, hits)| !hits.is_empty());
    }
}

/// One pass over what a context sends: junk (sent files under a delete entry, by rule), logs,
/// and the files judged secrets. The same for every build of one image key (an API and its
/// worker from one Dockerfile): it is made once and each build's findings are made from it.
pub(super) struct Pass<'a> {
    pub sent: Sent<'a>,
    pub secrets: Vec<(&'a crate::relpath::RelPath, secrets::Secret)>,
}

pub(super) fn pass<'a>(v: &View<'a>) -> Pass<'a> {
    let mut entry_bytes = vec![0; v.deletions.len()];
    let mut junk: Junk<'a> = BTreeMap::new();
    let mut logs = Logs::default();
    let mut holder = v.holder();
    let copied = Copied::of(v);
    let mut secrets_found = Vec::new();
    let files: &'a [crate::docker::context::SentFile] = &v.ctx.files;
    for f in files {
        let sent = f.path.as_bytes();
        if let Some(i) = holder.of(sent) {
            if copied.copies(i, sent) {
                // What the build copies is its input, not junk it sweeps in.
            } else {
                let slot = junk.entry(v.deletions[i].2.rule.as_str()).or_default();
                slot.0 += f.bytes;
                entry_bytes[i] += f.bytes;
                if !slot.1.contains(&i) {
                    slot.1.push(i);
                }
            }
        } else if f.bytes > 0
            && f.path.file_name().ends_with(b".log")
            // A log in a test's fixtures is its input (LogSoul parses `test/testdata/*.log`),
            // and a build that runs the tests reads it.
            && super::secret_sent::fixture_dir(sent).is_none()
        {
            logs.bytes += f.bytes;
            logs.paths.push(v.full(sent).display());
        }
        let name = f.path.file_name();
        let secret = secrets::judge_at(&String::from_utf8_lossy(name), || {
            f.path.under(&v.b.context)
        });
        if let Some(s) = secret {
            secrets_found.push((&f.path, s));
        }
    }
    let sent = Sent {
        junk,
        logs,
        copied,
        entry_bytes,
    };
    Pass {
        sent,
        secrets: secrets_found,
    }
}

/// The secrets of `pass` as this build's findings; its junk and logs, for [`junk_findings`].
pub(super) fn junk_and_secrets<'a>(
    v: &View<'a>,
    pass: &Pass<'a>,
    git: Option<&crate::git::GitInfo>,
    out: &mut Vec<Finding>,
) -> Sent<'a> {
    super::secret_sent::findings_for(v, git, &pass.secrets, out);
    pass.sent.clone()
}

/// Each rule's delete entries, for the fixes.
fn by_rule<'a>(junk: &'a Junk<'_>) -> Vec<(&'a str, &'a [usize])> {
    (junk.iter())
        .map(|(r, (_, hits))| (*r, hits.as_slice()))
        .collect()
}

/// Up to three of a rule's paths, then how many more (`run.bat, runtest.bat`).
fn some_paths(v: &View<'_>, hits: &[usize]) -> (String, String) {
    let paths: Vec<String> = hits.iter().map(|&i| v.deletions[i].1.display()).collect();
    first_and_some(&paths)
}

/// The first of `paths`, and up to three of them, then how many more.
fn first_and_some(paths: &[String]) -> (String, String) {
    let more = match paths.len() {
        0..=3 => String::new(),
        n => format!(" and {} more", n - 3),
    };
    (
        paths[0].clone(),
        format!("{}{more}", paths[..paths.len().min(3)].join(", ")),
    )
}

/// The junk a context sends as findings, one per problem. With a `.dockerignore`, one
/// `junk-in-context` per rule, since each rule is a line the file lacks. Without one, the
/// missing file is the one problem and `ignore --write` its one fix: a single
/// `missing-dockerignore` naming the rules, not a finding per rule that repeats it (ChatTTS-ui
/// had two errors for one `run.bat`).
/// Logs sent are one more problem of the same kind, and where there is no `.dockerignore`,
/// part of that one.
pub(super) fn junk_findings(v: &View<'_>, sent: &Sent<'_>, out: &mut Vec<Finding>) {
    let (junk, logs, copied) = (&sent.junk, &sent.logs, &sent.copied);
    if junk.is_empty() && logs.paths.is_empty() {
        return;
    }
    if v.ctx.ignore_file.is_none() {
        return missing_dockerignore(v, junk, logs, copied, out);
    }
    if !logs.paths.is_empty() {
        out.push(logs_sent(v, logs));
    }
    for (rule, (bytes, hits)) in junk {
        let (first, some) = some_paths(v, hits);
        let fix = junk_fix::rule_fix(v, copied, rule, hits);
        let x = finding(
            "junk-in-context",
            first,
            format!(
                "{} selected by rule `{rule}` ({some}) is sent to the build context of {}",
                crate::size::human(*bytes),
                v.b.name
            ),
            fix,
        );
        out.push(weighed(x, v, *bytes));
    }
}

/// A context with junk and no `.dockerignore`: the rules by weight, the two heaviest named
/// with their paths.
fn missing_dockerignore(
    v: &View<'_>,
    junk: &Junk<'_>,
    logs: &Logs,
    copied: &Copied,
    out: &mut Vec<Finding>,
) {
    if junk.is_empty() {
        return out.push(only_logs(v, logs));
    }
    // (what, bytes, some of its paths), the logs as one more kind.
    let mut rules: Vec<(String, u64, String)> = (junk.iter())
        .map(|(rule, (bytes, hits))| (format!("`{rule}`"), *bytes, some_paths(v, hits).1))
        .collect();
    if !logs.paths.is_empty() {
        rules.push((
            "log files".into(),
            logs.bytes,
            first_and_some(&logs.paths).1,
        ));
    }
    let total: u64 = rules.iter().map(|r| r.1).sum();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut named: Vec<String> = (rules.iter().take(2))
        .map(|(what, bytes, some)| format!("{what} {} ({some})", crate::size::human(*bytes)))
        .collect();
    if rules.len() > 2 {
        let rest: u64 = rules[2..].iter().map(|r| r.1).sum();
        let n = rules.len() - 2;
        let s = if n == 1 { "" } else { "s" };
        named.push(format!("{n} more rule{s} ({})", crate::size::human(rest)));
    }
    let x = finding(
        "missing-dockerignore",
        rel_to(v.root, &v.b.context.join(".dockerignore")),
        format!(
            "the context of {} has no .dockerignore and sends {} of junk: {}",
            v.b.name,
            crate::size::human(total),
            crate::docker::names::and_list(&named)
        ),
        junk_fix::missing_fix(v, copied, &by_rule(junk)),
    );
    out.push(weighed(x, v, total));
}

/// The log files sent, as a phrase and its verb: "the log file `a.log` (420 kB) is", "3 log
/// files (1.2 MB: `a.log`, `b.log`, `c.log`) are".
fn logs_phrase(logs: &Logs) -> (String, &'static str) {
    let size = crate::size::human(logs.bytes);
    match logs.paths.as_slice() {
        [one] => (format!("the log file `{one}` ({size})"), "is"),
        all => {
            let quoted: Vec<String> = all.iter().map(|p| format!("`{p}`")).collect();
            let list = first_and_some(&quoted).1;
            (format!("{} log files ({size}: {list})", all.len()), "are")
        }
    }
}

/// A context with no `.dockerignore` whose only unwanted files are logs: `apply` keeps them
/// on disk, so the ignore file is the whole fix.
fn only_logs(v: &View<'_>, logs: &Logs) -> Finding {
    let (what, _) = logs_phrase(logs);
    let x = finding(
        "missing-dockerignore",
        rel_to(v.root, &v.b.context.join(".dockerignore")),
        format!(
            "the context of {} has no .dockerignore and sends {what}: a log is written where \
             the app runs, not shipped in its image",
            v.b.name
        ),
        format!(
            "`mami-clean ignore --write` {} it (the files stay on disk)",
            junk_fix::CREATES_ONE
        ),
    );
    weighed(x, v, logs.bytes)
}

/// The `log-in-context` finding: the log files a context with a `.dockerignore` still sends.
fn logs_sent(v: &View<'_>, logs: &Logs) -> Finding {
    let (what, verb) = logs_phrase(logs);
    let x = finding(
        "log-in-context",
        logs.paths[0].clone(),
        format!(
            "{what} {verb} sent to the build context of {}: a log is written where the app \
             runs, not shipped in its image",
            v.b.name
        ),
        format!(
            "add `**/*.log` to {} (`mami-clean ignore --write` does); the files stay on disk",
            v.ignore_file_shown()
        ),
    );
    weighed(x, v, logs.bytes)
}

/// `x`, about `bytes` that `v`'s build sends: as severe as that much junk.
fn weighed(mut x: Finding, v: &View<'_>, bytes: u64) -> Finding {
    x.severity = junk_severity(bytes);
    x.bytes = Some(bytes);
    x.build = Some(v.b.name.clone());
    x
}
