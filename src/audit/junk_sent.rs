//! The junk a build context sends, as findings: one per rule where a `.dockerignore` lacks
//! its line, one for the context where there is no `.dockerignore`, each as severe as the
//! junk is heavy. Secrets are found in the same pass over the sent files.

use std::collections::BTreeMap;

use super::build::View;
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

/// Junk (sent files under a delete entry, by rule) and secrets sent: secrets become findings,
/// the junk is returned for [`junk_findings`].
pub(super) fn junk_and_secrets<'a>(v: &'a View<'_>, out: &mut Vec<Finding>) -> Junk<'a> {
    let mut junk: Junk<'a> = BTreeMap::new();
    let mut holder = v.holder();
    let mut secrets_found = Vec::new();
    for f in &v.ctx.files {
        let sent = f.path.as_bytes();
        if let Some(i) = holder.of(sent) {
            let slot = junk.entry(v.deletions[i].2.rule.as_str()).or_default();
            slot.0 += f.bytes;
            if !slot.1.contains(&i) {
                slot.1.push(i);
            }
        }
        let name = f.path.file_name();
        let secret = secrets::judge_at(&String::from_utf8_lossy(name), || {
            f.path.under(&v.b.context)
        });
        if let Some(s) = secret {
            secrets_found.push((&f.path, s));
        }
    }
    super::secret_sent::findings_for(v, secrets_found, out);
    junk
}

/// Up to three of a rule's paths, then how many more (`run.bat, runtest.bat`).
fn some_paths(v: &View<'_>, hits: &[usize]) -> (String, String) {
    let paths: Vec<String> = hits.iter().map(|&i| v.deletions[i].1.display()).collect();
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
pub(super) fn junk_findings(v: &View<'_>, junk: &Junk<'_>, out: &mut Vec<Finding>) {
    if junk.is_empty() {
        return;
    }
    if v.ctx.ignore_file.is_none() {
        return missing_dockerignore(v, junk, out);
    }
    for (rule, (bytes, hits)) in junk {
        let (first, some) = some_paths(v, hits);
        let mut x = finding(
            "junk-in-context",
            first,
            format!("{} selected by rule `{rule}` ({some}) is sent to the build context of {}", crate::size::human(*bytes), v.b.name),
            "exclude it in .dockerignore (`mami-clean ignore --write`) or delete it (`mami-clean apply`)",
        );
        x.severity = junk_severity(*bytes);
        x.bytes = Some(*bytes);
        x.build = Some(v.b.name.clone());
        out.push(x);
    }
}

/// A context with junk and no `.dockerignore`: the rules by weight, the two heaviest named
/// with their paths.
fn missing_dockerignore(v: &View<'_>, junk: &Junk<'_>, out: &mut Vec<Finding>) {
    let total: u64 = junk.values().map(|(b, _)| b).sum();
    let mut rules: Vec<(&&str, &(u64, Vec<usize>))> = junk.iter().collect();
    rules.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let mut named: Vec<String> = (rules.iter().take(2))
        .map(|(rule, (bytes, hits))| {
            format!(
                "`{rule}` {} ({})",
                crate::size::human(*bytes),
                some_paths(v, hits).1
            )
        })
        .collect();
    if rules.len() > 2 {
        let rest: u64 = rules[2..].iter().map(|(_, (b, _))| b).sum();
        let n = rules.len() - 2;
        let s = if n == 1 { "" } else { "s" };
        named.push(format!("{n} more rule{s} ({})", crate::size::human(rest)));
    }
    let mut x = finding(
        "missing-dockerignore",
        rel_to(v.root, &v.b.context.join(".dockerignore")),
        format!(
            "the context of {} has no .dockerignore and sends {} of junk: {}",
            v.b.name,
            crate::size::human(total),
            crate::docker::names::and_list(&named)
        ),
        "`mami-clean ignore --write` creates one that excludes it (or delete it: `mami-clean apply`)",
    );
    x.severity = junk_severity(total);
    x.bytes = Some(total);
    x.build = Some(v.b.name.clone());
    out.push(x);
}
