//! `mami-clean gate`: keep a clean repository clean in CI. Measures tracked bytes and each
//! Docker build context, compares them with a baseline (a committed file, or a git ref read
//! with git2, no checkout), and turns what it finds into findings with a level from config:
//! `deny` fails the gate (exit 1), `warn` reports, `allow` hides.

pub mod baseline;
/// `[gate]` is read with the rest of the config; its types live there.
pub use crate::config::gate as config;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::audit::AuditReport;
use crate::ignorefile::Change;
use crate::plan::{GitState, Plan};
use crate::rules::schema::Level;
use crate::size::human;
use config::GateConfig;

pub use baseline::Measurement;

#[derive(Debug, Clone, Serialize)]
pub struct GateFinding {
    pub code: &'static str,
    pub level: Level,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GateReport {
    pub now: Measurement,
    /// What growth was measured against, if anything.
    pub baseline: Option<Measurement>,
    pub baseline_source: Option<String>,
    pub max_context: Option<u64>,
    pub max_context_total: Option<u64>,
    pub findings: Vec<GateFinding>,
    pub passed: bool,
}

fn exceeded(old: u64, new: u64, g: &config::Growth) -> Option<String> {
    if new <= old {
        return None;
    }
    let delta = new - old;
    let pct = if old == 0 {
        f64::INFINITY
    } else {
        delta as f64 * 100.0 / old as f64
    };
    let over_pct = g.percent.map(|p| pct > p);
    let over_bytes = g.bytes.map(|b| delta > b);
    let fail = match (over_pct, over_bytes) {
        (Some(a), Some(b)) => a && b,
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => false,
    };
    fail.then(|| {
        let pct = if pct.is_finite() {
            format!("{pct:.1}%")
        } else {
            "new".into()
        };
        format!("{} → {} (+{}, {pct})", human(old), human(new), human(delta))
    })
}

/// The fix for committed junk of `rule` (`args`, its paths as shell words): what a build or a
/// tool makes again (a rule with `.gitignore` lines: `__pycache__`, `.DS_Store`) is ignored,
/// then untracked; what was left behind once (a status report, a `.bak` copy) is deleted: git's
/// history keeps it, and untracked it would sit there for the next `git add -A`.
fn junk_fix(rules: &crate::rules::RuleSet, rule: &str, args: &[String]) -> String {
    let ignored = rules.by_id(rule).is_some_and(|r| !r.gitignore.is_empty());
    match ignored {
        true => crate::audit::untrack_fix(args),
        false => format!(
            "git rm -r {} (git's history keeps {}; `mami-clean apply` deletes the whole plan)",
            args.join(" "),
            if args.len() == 1 { "it" } else { "them" }
        ),
    }
}

fn limit_text(g: &config::Growth) -> String {
    match (g.percent, g.bytes) {
        (Some(p), Some(b)) => format!("{p}% and {}", human(b)),
        (Some(p), None) => format!("{p}%"),
        (None, Some(b)) => human(b),
        (None, None) => "none".into(),
    }
}

/// Evaluate every check. `stale` are the ignore-file changes `ignore --write` would make.
pub fn evaluate(
    cfg: &GateConfig,
    rules: &crate::rules::RuleSet,
    plan: &Plan,
    audit: &AuditReport,
    stale: &[Change],
    now: Measurement,
    base: Option<(Measurement, String)>,
) -> GateReport {
    let mut f: Vec<GateFinding> = Vec::new();
    let mut push =
        |code: &'static str, path: String, bytes: Option<u64>, message: String, fix: String| {
            let level = cfg.level(code);
            if level != Level::Allow {
                f.push(GateFinding {
                    code,
                    level,
                    path,
                    line: None,
                    bytes,
                    message,
                    fix,
                });
            }
        };
    // One finding per rule, as the audit has it: 37 committed `__pycache__` directories are
    // one problem with one fix (and one annotation, not 37).
    let committed = plan
        .deletions()
        .filter(|e| matches!(e.git, Some(GitState::Tracked | GitState::Mixed)));
    let by_rule = crate::plan::by_rule(committed);
    for g in by_rule {
        let (e, n) = (g[0], g.len());
        let named = match n {
            1 => format!("`{}` is", e.path),
            2 => format!("`{}` and `{}` are", e.path, g[1].path),
            _ => format!("`{}`, `{}` and {} more are", e.path, g[1].path, n - 2),
        };
        let args: Vec<String> = g
            .iter()
            .map(|e| crate::shell::path_arg(&e.path).into_owned())
            .collect();
        push(
            "tracked-junk",
            e.path.clone(),
            Some(g.iter().map(|e| e.bytes).sum()),
            format!("{named} committed: {} (rule `{}`)", e.reason, e.rule),
            junk_fix(rules, &e.rule, &args),
        );
    }
    // Audit findings the gate passes on, under its own codes. Junk a context sends is one
    // code however the audit says it: by rule, as the missing `.dockerignore`, as logs, or as
    // the root-only line that lets it through.
    const FROM_AUDIT: &[(&str, &str)] = &[
        ("missing-build-input", "build-input-missing"),
        ("compose-refused", "compose-refused"),
        ("context-outside", "context-outside"),
    ];
    for a in &audit.findings {
        // A missing input outside the repository (a sibling checkout the build expects) is
        // the machine's, not this tree's: the audit says it as a warning and the gate passes.
        let elsewhere =
            a.code == "missing-build-input" && a.severity == crate::audit::Severity::Warning;
        let code = match a.junk_sent {
            true => Some("context-junk"),
            false => (FROM_AUDIT.iter().find(|(c, _)| *c == a.code && !elsewhere)).map(|(_, g)| *g),
        };
        if let Some(code) = code {
            push(
                code,
                a.path.clone(),
                a.bytes,
                a.message.clone(),
                a.fix.clone(),
            );
        }
    }
    for b in &audit.builds {
        if let Some(max) = cfg.max_context.filter(|m| b.bytes > *m) {
            push(
                "context-budget",
                b.dockerfile.clone(),
                Some(b.bytes),
                format!(
                    "the build context of {} is {}, over the {} budget",
                    b.name,
                    human(b.bytes),
                    human(max)
                ),
                "exclude what the image does not need in .dockerignore".into(),
            );
        }
    }
    let total: u64 = audit.builds.iter().map(|b| b.bytes).sum();
    if let Some(max) = cfg.max_context_total.filter(|m| total > *m) {
        push(
            "context-budget",
            ".".into(),
            Some(total),
            format!(
                "all build contexts total {}, over the {} budget",
                human(total),
                human(max)
            ),
            "exclude what the images do not need in .dockerignore".into(),
        );
    }
    for (phase, budget) in &cfg.phase_budget {
        if let Some(p) = plan
            .phases
            .iter()
            .find(|p| p.phase == *phase && p.bytes > *budget)
        {
            push(
                "phase-budget",
                ".".into(),
                Some(p.bytes),
                format!(
                    "phase {} ({}) holds {} of junk, over its {} budget",
                    p.phase,
                    p.name,
                    human(p.bytes),
                    human(*budget)
                ),
                "`mami-clean plan` lists it; `mami-clean apply` removes it".into(),
            );
        }
    }
    for ch in stale.iter().filter(|c| c.changed()) {
        let (missing, extra) = (ch.missing().len(), ch.extra().len());
        // Extra lines: their rule is off, or a Dockerfile now COPYs what they exclude.
        let lines = |n: usize| crate::size::plural(n as u64, "line", "lines");
        let what = match (missing, extra) {
            // A context with no ignore file of its own yet (plane's `apps/live`).
            (n, _) if !ch.exists => format!("does not exist; the rules want it with {}", lines(n)),
            (0, 0) => "has its managed block out of place (`ignore --write` moves it)".into(),
            (0, m) => format!("has {} `ignore --write` would take out", lines(m)),
            (n, 0) => format!("lacks {} the rules want", lines(n)),
            (n, m) => format!(
                "lacks {} the rules want and has {} `ignore --write` would take out",
                lines(n),
                lines(m)
            ),
        };
        push(
            "ignore-stale",
            ch.shown.clone(),
            None,
            format!("{} {what}", ch.shown),
            "mami-clean ignore --write".into(),
        );
    }
    let (baseline, source) = match base {
        Some((m, s)) => (Some(m), Some(s)),
        None => (None, None),
    };
    match (&baseline, &cfg.growth) {
        (Some(b), Some(g)) => {
            if let Some(why) = exceeded(b.tracked_bytes, now.tracked_bytes, g) {
                push(
                    "growth",
                    ".".into(),
                    Some(now.tracked_bytes),
                    format!("tracked bytes grew past the {} limit: {why}", limit_text(g)),
                    "find what was added: `git diff --stat` against the baseline".into(),
                );
            }
            for (name, bytes) in &now.contexts {
                let old = b.contexts.get(name).copied().unwrap_or(0);
                if let Some(why) = exceeded(old, *bytes, g) {
                    push(
                        "growth",
                        name.clone(),
                        Some(*bytes),
                        format!(
                            "the build context of {name} grew past the {} limit: {why}",
                            limit_text(g)
                        ),
                        "`mami-clean context` shows its largest directories".into(),
                    );
                }
            }
        }
        (None, Some(_)) => push(
            "no-baseline",
            cfg.baseline.display().to_string(),
            None,
            "gate.max_growth is set but there is no baseline to compare with".into(),
            "commit one: `mami-clean gate --update-baseline`, or pass --base REF".into(),
        ),
        _ => {}
    }
    f.sort_by(|a, b| (b.level, a.code, &a.path).cmp(&(a.level, b.code, &b.path)));
    let passed = !f.iter().any(|x| x.level == Level::Deny);
    GateReport {
        now,
        baseline,
        baseline_source: source,
        max_context: cfg.max_context,
        max_context_total: cfg.max_context_total,
        findings: f,
        passed,
    }
}

/// The per-context sizes of a measurement, as a map for comparisons.
pub fn contexts_of(audit: &AuditReport) -> BTreeMap<String, u64> {
    audit
        .builds
        .iter()
        .filter(|b| b.deleted_with.is_none())
        .map(|b| (b.name.clone(), b.bytes))
        .collect()
}
