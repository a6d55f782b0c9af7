//! `rules` and `rules test`: the rules in force by phase with their origin, as text and JSON.

use std::fmt::Write;

use super::plan::action_name;
use super::*;

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
pub(super) struct RuleJson<'a> {
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
