//! Rendering: every value the core produces, as text for people or JSON for machines. Returns
//! strings; the binary decides where they go. Output is deterministic: the plan is already
//! sorted, and nothing here depends on time, threads or hash order.

use std::fmt::Write;

use crate::explain::Explanation;
use crate::plan::{Entry, Plan, Recovery};
use crate::rules::examples::Report as ExampleReport;
use crate::rules::{phase_name, Action, RuleSet};
use crate::scan::EntryKind;
use crate::size::{human, percent};

fn shown_path(e: &Entry) -> String {
    let mut p = e.path.clone();
    if e.kind == EntryKind::Dir {
        p.push('/');
    }
    p
}

fn recovery_text(e: &Entry) -> String {
    if e.untrusted {
        return "UNTRUSTED rule: not applied until `mami-clean trust`".into();
    }
    match e.recovery {
        Recovery::Git => "git".into(),
        Recovery::Backup => "backup".into(),
        Recovery::Regenerable => format!("regenerable: {}", e.regenerate.as_deref().unwrap_or("?")),
    }
}

/// The headline, e.g. `would free 1.07 GB of the 1.10 GB target (97%) — tree 1.55 GB → 480.00 MB (−69%)`.
pub fn headline(plan: &Plan) -> String {
    let freed = plan.total_bytes;
    let tree = plan.tree.bytes;
    format!(
        "would free {} of the {} target ({:.0}%) — tree {} → {} (−{:.0}%)",
        human(freed),
        human(plan.target_bytes),
        percent(freed, plan.target_bytes),
        human(tree),
        human(plan.after_bytes),
        percent(freed, tree),
    )
}

/// The plan for people: entries by phase, review items, protections, notes, the phase table,
/// the largest entries, and the headline last (where the eye lands).
pub fn plan_human(plan: &Plan, top: usize) -> String {
    let mut o = String::new();
    let git = match &plan.git {
        Some(g) => format!(
            "git {}, {} tracked files",
            g.head
                .as_deref()
                .map_or("(no commits)", |h| &h[..h.len().min(10)]),
            g.tracked_files
        ),
        None => "not a git repository: nothing is git-recoverable".into(),
    };
    let _ = writeln!(o, "mami-clean plan for {}", plan.root);
    let _ = writeln!(o, "  {git}; rules {}", &plan.rules_hash[..12]);

    let width = plan
        .entries
        .iter()
        .map(|e| shown_path(e).chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    let rw = plan.entries.iter().map(|e| e.rule.len()).max().unwrap_or(0);
    for ph in &plan.phases {
        let items: Vec<&Entry> = plan.deletions().filter(|e| e.phase == ph.phase).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\nPhase {} · {}: {}", ph.phase, ph.name, ph.title);
        for e in items {
            let _ = writeln!(
                o,
                "  {:>11}  {:<width$}  {:<rw$}  {}",
                human(e.bytes),
                shown_path(e),
                e.rule,
                recovery_text(e)
            );
        }
    }

    let reviews: Vec<&Entry> = plan.reviews().collect();
    if !reviews.is_empty() {
        let _ = writeln!(o, "\nReview (reported, never deleted)");
        for e in reviews {
            let _ = writeln!(
                o,
                "  {:>11}  {:<width$}  {:<rw$}  {}",
                human(e.bytes),
                shown_path(e),
                e.rule,
                e.reason
            );
        }
    }

    let shadowed: Vec<_> = plan
        .protected
        .iter()
        .filter(|p| p.matched_rule.is_some())
        .collect();
    if !shadowed.is_empty() {
        let _ = writeln!(o, "\nProtected (a rule matched; kept)");
        for p in shadowed {
            let by = match &p.keep_rule {
                Some(k) => format!("keep rule `{k}`"),
                None => p.protection.describe().to_string(),
            };
            let _ = writeln!(
                o,
                "  {:<width$}  matched `{}`, kept: {by}",
                p.path,
                p.matched_rule.as_deref().unwrap_or("")
            );
        }
    }

    if !plan.notes.is_empty() {
        let _ = writeln!(o, "\nNotes");
        for n in &plan.notes {
            let kind = serde_json::to_value(n.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(o, "  {kind:<12}  {}  {}", n.path, n.message);
        }
    }

    let _ = writeln!(
        o,
        "\n  phase         entries     files         size  of target"
    );
    for ph in &plan.phases {
        let _ = writeln!(
            o,
            "  {} {:<10} {:>7} {:>9} {:>12} {:>9.1}%",
            ph.phase,
            ph.name,
            ph.entries,
            ph.files,
            human(ph.bytes),
            ph.share_of_target
        );
    }
    let n: u64 = plan.phases.iter().map(|p| p.entries).sum();
    let f: u64 = plan.phases.iter().map(|p| p.files).sum();
    let _ = writeln!(
        o,
        "  {:<12} {:>7} {:>9} {:>12} {:>9.1}%",
        "total",
        n,
        f,
        human(plan.total_bytes),
        percent(plan.total_bytes, plan.target_bytes)
    );

    if !plan.contexts.is_empty() {
        let _ = writeln!(
            o,
            "\nDocker build contexts (now → after cleanup and ignore files)"
        );
        for c in &plan.contexts {
            let _ = writeln!(
                o,
                "  {:<40} {:>11} → {:>11}  ({} → {} files)",
                c.name,
                human(c.bytes_before),
                human(c.bytes_after),
                c.files_before,
                c.files_after
            );
        }
    }

    let mut largest: Vec<&Entry> = plan.deletions().collect();
    largest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    if top > 0 && !largest.is_empty() {
        let _ = writeln!(o, "\nLargest entries");
        for e in largest.into_iter().take(top) {
            let _ = writeln!(
                o,
                "  {:>11}  {:<width$}  phase {} {}",
                human(e.bytes),
                shown_path(e),
                e.phase,
                phase_name(e.phase)
            );
        }
    }
    let untrusted = plan.entries.iter().filter(|e| e.untrusted).count();
    if untrusted > 0 {
        let _ = writeln!(o, "\n{untrusted} entries come from rules of an untrusted mami-clean.toml: shown, not counted, not applied (review it, then `mami-clean trust`)");
    }
    let _ = writeln!(o, "\n{}", headline(plan));
    o
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::Delete => "delete",
        Action::Review => "review",
        Action::Keep => "keep",
    }
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// `mami-clean rules`: the rules in force by phase, with where each came from.
pub fn rules_human(rules: &RuleSet) -> String {
    let mut o = String::new();
    let mut last = None;
    for r in &rules.rules {
        if last != Some(r.phase) {
            let title = rules
                .phases
                .iter()
                .find(|p| p.phase == r.phase)
                .map_or("config keep paths", |p| p.title.as_str());
            let _ = writeln!(o, "\nPhase {} · {}", r.phase, title);
            last = Some(r.phase);
        }
        let action = action_name(r.action);
        let off = match (r.enabled, r.untrusted) {
            (false, _) => " (disabled)",
            (true, true) => " (UNTRUSTED: shown, not applied; `mami-clean trust`)",
            _ => "",
        };
        let _ = writeln!(o, "  {:<26} {:<7} {}{off}", r.id, action, r.reason);
        let _ = writeln!(o, "  {:<26} {:<7} match: {}", "", "", r.patterns.join(" "));
        if let Some(regen) = &r.regenerate {
            let _ = writeln!(o, "  {:<26} {:<7} regenerate: {regen}", "", "");
        }
        let _ = writeln!(o, "  {:<26} {:<7} from {}", "", "", r.origin);
    }
    o.trim_start().to_string()
}

#[derive(serde::Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    phase: u8,
    action: Action,
    enabled: bool,
    reason: &'a str,
    kind: crate::rules::Kind,
    r#match: &'a [String],
    exclude: &'a [String],
    regenerate: Option<&'a str>,
    gitignore: &'a [String],
    dockerignore: &'a [String],
    origin: &'a crate::rules::Origin,
}

pub fn rules_json(rules: &RuleSet) -> String {
    let list: Vec<RuleJson> = rules
        .rules
        .iter()
        .map(|r| RuleJson {
            id: &r.id,
            phase: r.phase,
            action: r.action,
            enabled: r.enabled,
            reason: &r.reason,
            kind: r.kind,
            r#match: &r.patterns,
            exclude: &r.excludes,
            regenerate: r.regenerate.as_deref(),
            gitignore: &r.gitignore,
            dockerignore: &r.dockerignore,
            origin: &r.origin,
        })
        .collect();
    to_json(&list)
}

pub fn rules_test_human(r: &ExampleReport) -> String {
    let mut o = String::new();
    for f in &r.failures {
        let want = if f.expected_match {
            "should match"
        } else {
            "should not match"
        };
        let _ = writeln!(
            o,
            "FAIL {} ({}): `{}` {want}: {}",
            f.rule, f.origin, f.path, f.why
        );
    }
    for id in &r.untested {
        let _ = writeln!(o, "warning: rule `{id}` has no `examples.match`");
    }
    let _ = writeln!(
        o,
        "{} passed, {} failed ({} rules, {} examples)",
        r.checked - r.failures.len(),
        r.failures.len(),
        r.rules,
        r.checked
    );
    o
}

pub fn explain_human(e: &Explanation) -> String {
    let mut o = String::new();
    let kind = if !e.exists {
        " (does not exist)"
    } else if e.is_dir {
        "/"
    } else {
        ""
    };
    let _ = writeln!(o, "{}{kind}", e.path);
    let _ = writeln!(o, "  {}", e.verdict);
    if e.rules.is_empty() {
        let _ = writeln!(o, "  no rule's globs match this path itself");
    }
    for c in &e.rules {
        let status = if c.failed_guards.is_empty() {
            "applies".to_string()
        } else {
            format!("guard fails: {}", c.failed_guards.join("; "))
        };
        let _ = writeln!(
            o,
            "  rule `{}` ({:?}, {}): {status}",
            c.rule, c.action, c.origin
        );
    }
    o
}

fn status_word(s: crate::apply::Status) -> &'static str {
    match s {
        crate::apply::Status::Pass => "PASS",
        crate::apply::Status::Fail => "FAIL",
        crate::apply::Status::Skip => "SKIP",
    }
}

pub fn recover_human(r: &crate::apply::RecoverReport) -> String {
    use crate::apply::RecoverMode;
    let mut o = String::new();
    if !r.interrupted {
        return "no interrupted apply: nothing to recover\n".into();
    }
    let _ = writeln!(o, "An apply was interrupted. Its entries:");
    for e in &r.entries {
        use crate::apply::EntryState;
        let state = match e.state {
            EntryState::Done => "deleted before the interruption",
            EntryState::Interrupted => "being deleted when it stopped (may be partly gone)",
            EntryState::Skipped => "skipped by the run",
            EntryState::Partial => "partly deleted by the run",
            EntryState::Pending => "not reached; still in place",
        };
        match &e.result {
            Some(res) => {
                let _ = writeln!(o, "  {}: {state} → {res}", e.path);
            }
            None => {
                let _ = writeln!(o, "  {}: {state}", e.path);
            }
        }
    }
    if let Some(b) = &r.backup {
        let _ = writeln!(o, "backup of this run: {}", b.display());
    }
    for n in &r.notes {
        let _ = writeln!(o, "note: {n}");
    }
    if !r.refused.is_empty() {
        let _ = writeln!(o, "\nrefused, the journal stays open:");
        for x in &r.refused {
            let _ = writeln!(o, "  {x}");
        }
    }
    if r.closed {
        let _ = writeln!(o, "\njournal closed: apply can run again");
    } else if r.mode == RecoverMode::Report {
        let _ = writeln!(
            o,
            "\nnothing is lost: finish the plan with `mami-clean recover --finish`, or put back what went with `mami-clean recover --undo`"
        );
    }
    o
}

fn checks(o: &mut String, title: &str, list: &[crate::apply::Check]) {
    let _ = writeln!(o, "{title}");
    let w = list.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in list {
        let _ = writeln!(
            o,
            "  {}  {:<w$}  {}",
            status_word(c.status),
            c.name,
            c.detail
        );
    }
}

/// `apply` for people: the pre-check list, each entry's outcome, the post-check table.
pub fn apply_human(r: &crate::apply::ApplyReport) -> String {
    use crate::apply::Outcome;
    let mut o = String::new();
    checks(&mut o, "Pre-checks", &r.prechecks);
    if r.refused {
        let _ = writeln!(o, "\nrefused: nothing was deleted");
        return o;
    }
    if !r.backup.unrecoverable.is_empty() {
        let _ = writeln!(
            o,
            "\nDeleted without a backup (--no-backup), not recoverable:"
        );
        for p in &r.backup.unrecoverable {
            let _ = writeln!(o, "  {p}");
        }
    }
    let _ = writeln!(o, "\nEntries");
    for e in &r.entries {
        let line = match &e.outcome {
            Outcome::Deleted { files, .. } => format!(
                "deleted  {:>11}  {}  ({files} files)",
                human(e.bytes),
                e.path
            ),
            Outcome::Skipped { reason } => {
                format!("SKIPPED  {:>11}  {}: {reason}", human(e.bytes), e.path)
            }
            Outcome::Partial { left, .. } => {
                let mut s = format!(
                    "PARTIAL  {:>11}  {}: {} paths left",
                    human(e.bytes),
                    e.path,
                    left.len()
                );
                for f in left.iter().take(10) {
                    let _ = write!(s, "\n           {}: {}", f.path, f.reason);
                }
                s
            }
        };
        let _ = writeln!(o, "  {line}");
    }
    if r.interrupted {
        let _ = writeln!(
            o,
            "\ninterrupted: stopped between entries; the rest is untouched"
        );
    }
    let _ = writeln!(o);
    checks(&mut o, "Post-checks", &r.postchecks);
    if let Some(dir) = &r.backup.dir {
        let _ = writeln!(
            o,
            "\nbackup: {} (undo with `mami-clean restore {}`)",
            dir.display(),
            r.backup.id.as_deref().unwrap_or("")
        );
    }
    o
}

/// `context` for people.
pub fn context_human(c: &crate::docker::Context) -> String {
    let mut o = String::new();
    let ig = c
        .ignore_file
        .as_ref()
        .map_or("none".to_string(), |p| p.display().to_string());
    let _ = writeln!(o, "build context {}", c.dir.display());
    let _ = writeln!(
        o,
        "  Dockerfile {}; ignore file {ig}",
        c.dockerfile.display()
    );
    let _ = writeln!(o, "  {} files, {}", c.files.len(), human(c.total_bytes));
    for s in &c.always_sent {
        let _ = writeln!(
            o,
            "  {s} is excluded by the patterns but sent anyway (the builder needs it)"
        );
    }
    if !c.largest_dirs.is_empty() {
        let _ = writeln!(o, "\nLargest directories");
        for d in &c.largest_dirs {
            let _ = writeln!(
                o,
                "  {:>11}  {:>7} files  {}/",
                human(d.bytes),
                d.files,
                d.path
            );
        }
    }
    o
}

/// `audit` for people: each build's context, then the findings, errors first.
pub fn audit_human(r: &crate::audit::AuditReport) -> String {
    let mut o = String::new();
    if r.builds.is_empty() {
        let _ = writeln!(o, "no Dockerfile or compose build found");
    }
    for b in &r.builds {
        let ig = b.ignore_file.as_deref().unwrap_or("none");
        let _ = writeln!(
            o,
            "{}: context {} ({} files, {}; junk {}), Dockerfile {}, ignore file {ig}",
            b.name,
            if b.context.is_empty() {
                "."
            } else {
                &b.context
            },
            b.files,
            human(b.bytes),
            human(b.junk_bytes),
            b.dockerfile
        );
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o);
    }
    for f in &r.findings {
        let sev = match f.severity {
            crate::audit::Severity::Error => "error",
            crate::audit::Severity::Warning => "warning",
        };
        let at = match f.line {
            Some(l) => format!("{}:{l}", f.path),
            None => f.path.clone(),
        };
        let _ = writeln!(o, "{sev}[{}] {at}: {}", f.code, f.message);
        let _ = writeln!(o, "  fix: {}", f.fix);
    }
    let errors = r.errors();
    let _ = writeln!(
        o,
        "\n{} findings: {errors} errors, {} warnings",
        r.findings.len(),
        r.findings.len() - errors
    );
    o
}

/// `verify` for people: one PASS/FAIL line per step, and the verdict.
pub fn verify_human(v: &crate::verify::VerifyReport) -> String {
    let mut o = String::from("Verify\n");
    let w = v.steps.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for s in &v.steps {
        let st = if s.pass {
            "PASS"
        } else if v.outcome == crate::verify::Outcome::Skipped {
            "SKIP"
        } else {
            "FAIL"
        };
        let _ = writeln!(o, "  {st}  {:<w$}  {}", s.name, s.detail);
    }
    let verdict = match v.outcome {
        crate::verify::Outcome::Pass => "verified",
        crate::verify::Outcome::Fail => "verification FAILED",
        crate::verify::Outcome::Skipped => {
            "skipped: no Docker engine answers, so nothing was verified"
        }
    };
    let _ = writeln!(o, "{verdict}");
    o
}

fn level_word(l: crate::rules::schema::Level) -> &'static str {
    match l {
        crate::rules::schema::Level::Deny => "deny",
        crate::rules::schema::Level::Warn => "warn",
        crate::rules::schema::Level::Allow => "allow",
    }
}

/// The sizes line: tracked and context bytes, against budget and baseline.
fn gate_sizes(r: &crate::gate::GateReport) -> String {
    let mut s = format!(
        "tracked {} in {} files",
        human(r.now.tracked_bytes),
        r.now.tracked_files
    );
    if let Some(b) = &r.baseline {
        let _ = write!(s, " (baseline {})", human(b.tracked_bytes));
    }
    for (name, bytes) in &r.now.contexts {
        let _ = write!(s, "; {name}: {}", human(*bytes));
        if let Some(b) = r.baseline.as_ref().and_then(|b| b.contexts.get(name)) {
            let _ = write!(s, " (baseline {})", human(*b));
        }
        if let Some(m) = r.max_context {
            let _ = write!(s, " of {} budget", human(m));
        }
    }
    s
}

/// `gate` for people: a line per finding with its fix, then the sizes and the verdict.
pub fn gate_human(r: &crate::gate::GateReport) -> String {
    let mut o = String::new();
    for f in &r.findings {
        let size = f
            .bytes
            .map(|b| format!(" ({})", human(b)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "{}[{}] {}{size}: {}",
            level_word(f.level),
            f.code,
            f.path,
            f.message
        );
        let _ = writeln!(o, "  fix: {}", f.fix);
    }
    if let Some(src) = &r.baseline_source {
        let _ = writeln!(o, "baseline: {src}");
    }
    let _ = writeln!(o, "{}", gate_sizes(r));
    let denies = r
        .findings
        .iter()
        .filter(|f| f.level == crate::rules::schema::Level::Deny)
        .count();
    let _ = writeln!(
        o,
        "gate {}: {denies} denied, {} warnings",
        if r.passed { "passed" } else { "FAILED" },
        r.findings.len() - denies
    );
    o
}

/// Escape a GitHub workflow-command value (and, with `prop`, a property).
fn gh_escape(s: &str, prop: bool) -> String {
    let mut e = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if prop {
        e = e.replace(':', "%3A").replace(',', "%2C");
    }
    e
}

/// `gate --format github`: one annotation per finding.
pub fn gate_github(r: &crate::gate::GateReport) -> String {
    let mut o = String::new();
    for f in &r.findings {
        let cmd = if f.level == crate::rules::schema::Level::Deny {
            "error"
        } else {
            "warning"
        };
        let line = f.line.map(|l| format!(",line={l}")).unwrap_or_default();
        let _ = writeln!(
            o,
            "::{cmd} file={}{line},title={}::{}",
            gh_escape(&f.path, true),
            gh_escape(f.code, true),
            gh_escape(&format!("{} (fix: {})", f.message, f.fix), false)
        );
    }
    let _ = writeln!(o, "{}", gate_sizes(r));
    let _ = writeln!(o, "gate {}", if r.passed { "passed" } else { "FAILED" });
    o
}

/// The job summary: a markdown table of sizes and one of findings.
pub fn gate_summary(r: &crate::gate::GateReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "## mami-clean gate: {}\n",
        if r.passed { "passed ✅" } else { "failed ❌" }
    );
    let _ = writeln!(
        o,
        "| measure | now | baseline | delta |\n|---|---:|---:|---:|"
    );
    let row = |o: &mut String, name: &str, now: u64, base: Option<u64>| {
        let (b, d) = match base {
            Some(b) => (
                human(b),
                format!(
                    "{}{}",
                    if now >= b { "+" } else { "−" },
                    human(now.abs_diff(b))
                ),
            ),
            None => ("—".into(), "—".into()),
        };
        let _ = writeln!(o, "| {name} | {} | {b} | {d} |", human(now));
    };
    row(
        &mut o,
        "tracked files",
        r.now.tracked_bytes,
        r.baseline.as_ref().map(|b| b.tracked_bytes),
    );
    for (name, bytes) in &r.now.contexts {
        row(
            &mut o,
            &format!("context: {name}"),
            *bytes,
            r.baseline
                .as_ref()
                .and_then(|b| b.contexts.get(name).copied()),
        );
    }
    if !r.findings.is_empty() {
        let _ = writeln!(
            o,
            "\n| level | check | path | size | message |\n|---|---|---|---:|---|"
        );
        for f in &r.findings {
            let size = f.bytes.map(human).unwrap_or_default();
            let _ = writeln!(
                o,
                "| {} | `{}` | `{}` | {size} | {} |",
                level_word(f.level),
                f.code,
                f.path,
                f.message.replace('|', "\\|")
            );
        }
    }
    o.push('\n');
    o
}
