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

/// `s` as a terminal may show it: control characters (a newline, ESC starting a colour or
/// title sequence, a carriage return that rewrites the line) and the bidirectional overrides
/// that reorder text are written as escapes. File names, compose service names and messages
/// holding them go through this in every human report, so a name in a pull request cannot
/// forge a line such as `gate passed` or hide text (git quotes such names for the same reason).
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let odd =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(odd) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if odd(c) && (c as u32) < 0x80 => {
                let _ = write!(o, "\\x{:02x}", c as u32);
            }
            c if odd(c) => {
                let _ = write!(o, "\\u{{{:x}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    std::borrow::Cow::Owned(o)
}

/// [`visible`] for a format argument of any displayable kind (keeps width and alignment).
struct V<T>(T);

impl<T: std::fmt::Display> std::fmt::Display for V<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&visible(&self.0.to_string()))
    }
}

fn shown_path(e: &Entry) -> String {
    let mut p = visible(&e.path).into_owned();
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
    let _ = writeln!(o, "mami-clean plan for {}", V(&plan.root));
    let _ = writeln!(o, "  {git}; rules {}", &plan.rules_hash[..12]);
    if let Some(u) = &plan.untrusted_config {
        let _ = writeln!(
            o,
            "  {} is not trusted: shown as written, but `apply` ignores its rules and its `disable` of keep rules (review it, then `mami-clean trust`)",
            V(u)
        );
    }

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
                V(&e.reason)
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
                V(&p.path),
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
            let _ = writeln!(o, "  {kind:<12}  {}  {}", V(&n.path), V(&n.message));
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
                V(&c.name),
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
        let _ = writeln!(o, "  {:<26} {:<7} {}{off}", r.id, action, V(&r.reason));
        let _ = writeln!(
            o,
            "  {:<26} {:<7} match: {}",
            "",
            "",
            V(&r.patterns.join(" "))
        );
        if let Some(regen) = &r.regenerate {
            let _ = writeln!(o, "  {:<26} {:<7} regenerate: {}", "", "", V(regen));
        }
        let _ = writeln!(o, "  {:<26} {:<7} from {}", "", "", V(&r.origin));
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
            f.rule,
            V(&f.origin),
            V(&f.path),
            V(&f.why)
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
    let _ = writeln!(o, "{}{kind}", V(&e.path));
    let _ = writeln!(o, "  {}", V(&e.verdict));
    if e.rules.is_empty() {
        let _ = writeln!(o, "  no rule's globs match this path itself");
    }
    for c in &e.rules {
        let status = if c.failed_guards.is_empty() {
            "applies".to_string()
        } else {
            format!("guard fails: {}", visible(&c.failed_guards.join("; ")))
        };
        let _ = writeln!(
            o,
            "  rule `{}` ({:?}, {}): {status}",
            c.rule,
            c.action,
            V(&c.origin)
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
        let _ = writeln!(o, "no interrupted apply: nothing to recover");
        for n in &r.notes {
            let _ = writeln!(o, "note: {}", V(n));
        }
        return o;
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
                let _ = writeln!(o, "  {}: {state} → {}", V(&e.path), V(res));
            }
            None => {
                let _ = writeln!(o, "  {}: {state}", V(&e.path));
            }
        }
    }
    if let Some(b) = &r.backup {
        let _ = writeln!(o, "backup of this run: {}", V(b.display()));
    }
    for n in &r.notes {
        let _ = writeln!(o, "note: {}", V(n));
    }
    if !r.refused.is_empty() {
        let _ = writeln!(o, "\nrefused, the journal stays open:");
        for x in &r.refused {
            let _ = writeln!(o, "  {}", V(x));
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
            V(&c.detail)
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
            let _ = writeln!(o, "  {}", V(p));
        }
    }
    let _ = writeln!(o, "\nEntries");
    for e in &r.entries {
        let line = match &e.outcome {
            Outcome::Deleted { files, .. } => format!(
                "deleted  {:>11}  {}  ({files} files)",
                human(e.bytes),
                V(&e.path)
            ),
            Outcome::Skipped { reason } => {
                format!(
                    "SKIPPED  {:>11}  {}: {}",
                    human(e.bytes),
                    V(&e.path),
                    V(reason)
                )
            }
            Outcome::Partial { left, .. } => {
                let mut s = format!(
                    "PARTIAL  {:>11}  {}: {} paths left",
                    human(e.bytes),
                    V(&e.path),
                    left.len()
                );
                for f in left.iter().take(10) {
                    let _ = write!(s, "\n           {}: {}", V(&f.path), V(&f.reason));
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
    if let (Some(dir), Some(cmd)) = (&r.backup.dir, &r.backup.restore_command) {
        let _ = writeln!(
            o,
            "\nbackup: {} (put it back with `{}`)",
            V(dir.display()),
            V(cmd)
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
    let _ = writeln!(o, "build context {}", V(c.dir.display()));
    let _ = writeln!(
        o,
        "  Dockerfile {}; ignore file {}",
        V(c.dockerfile.display()),
        V(&ig)
    );
    let _ = writeln!(o, "  {} files, {}", c.files.len(), human(c.total_bytes));
    for s in &c.always_sent {
        let _ = writeln!(
            o,
            "  {} is excluded by the patterns but sent anyway (the builder needs it)",
            V(s)
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
                V(&d.path)
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
            "{}: context {} ({} files, {}; junk {}), Dockerfile {}, ignore file {}",
            V(&b.name),
            V(if b.context.is_empty() {
                "."
            } else {
                &b.context
            }),
            b.files,
            human(b.bytes),
            human(b.junk_bytes),
            V(&b.dockerfile),
            V(ig)
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
        let _ = writeln!(o, "{sev}[{}] {}: {}", f.code, V(&at), V(&f.message));
        let _ = writeln!(o, "  fix: {}", V(&f.fix));
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
        let _ = writeln!(o, "  {st}  {:<w$}  {}", s.name, V(&s.detail));
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
        let _ = write!(s, "; {}: {}", V(name), human(*bytes));
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
            V(&f.path),
            V(&f.message)
        );
        let _ = writeln!(o, "  fix: {}", V(&f.fix));
    }
    if let Some(src) = &r.baseline_source {
        let _ = writeln!(o, "baseline: {}", V(src));
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
    // CR and LF have the workflow command's own escapes; other control characters as `visible`.
    let mut shown = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\r' | '\n' => shown.push(c),
            c => shown.push_str(&visible(c.encode_utf8(&mut [0; 4]))),
        }
    }
    let s = &shown;
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

/// Text for a markdown table cell: [`visible`] (no line breaks), then every character markdown
/// or HTML could act on escaped, so a file name cannot end the row, add rows or format anything
/// (the summary shows what a pull request's paths spell, as text).
fn md_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&' => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
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
        let _ = writeln!(o, "| {} | {} | {b} | {d} |", md_text(name), human(now));
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
                "| {} | {} | {} | {size} | {} |",
                level_word(f.level),
                md_text(f.code),
                md_text(&f.path),
                md_text(&f.message)
            );
        }
    }
    o.push('\n');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_escapes_what_a_terminal_would_act_on() {
        assert!(matches!(
            visible("plain/päth ü.md"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(visible("a\nb\rc\td"), r"a\nb\rc\td");
        assert_eq!(visible("x\x1b[31my\x7f"), r"x\x1b[31my\x7f");
        assert_eq!(visible("\u{9b}31m"), r"\u{9b}31m");
        assert_eq!(visible("abc\u{202e}txt.exe"), r"abc\u{202e}txt.exe");
        assert_eq!(format!("[{:<6}]", V("a\nb")), r"[a\nb  ]");
    }

    #[test]
    fn github_values_keep_their_own_line_escapes() {
        assert_eq!(gh_escape("a\r\nb\x1b%", false), r"a%0D%0Ab\x1b%25");
        assert_eq!(gh_escape("p:a,b", true), "p%3Aa%2Cb");
    }
}
