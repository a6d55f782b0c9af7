//! The built-in rules: they compile, every selecting rule carries examples, every example holds,
//! and `rules test` (the real binary) agrees.

mod common;

use mami_clean::examples;
use mami_clean::rules::{Action, RuleSet};

#[test]
fn builtin_rules_compile_and_their_examples_hold() {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    assert_eq!(
        rules.phases.iter().map(|p| p.phase).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6, 7]
    );
    let report = examples::check(&rules);
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(
        report.untested.is_empty(),
        "rules without examples: {:?}",
        report.untested
    );
    assert!(report.checked > 150, "only {} examples", report.checked);
    for r in &rules.rules {
        assert!(!r.reason.is_empty(), "{} has no reason", r.id);
        if r.action == Action::Delete && r.phase == 7 {
            assert!(
                r.regenerate.is_some(),
                "phase-7 rule {} must say how to regenerate",
                r.id
            );
        }
    }
}

#[test]
fn every_rule_lands_in_a_phase_and_has_a_stable_origin() {
    let o = common::bin()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for r in list.as_array().unwrap() {
        let file = r["origin"]["file"].as_str().unwrap();
        let phase = r["phase"].as_u64().unwrap();
        assert!(file.starts_with(&format!("rules/0{phase}-")), "{r}");
        assert_eq!(r["origin"]["builtin"], true);
    }
}

#[test]
fn rules_test_command_passes_on_the_builtins() {
    let d = tempfile::tempdir().unwrap();
    let o = common::run(d.path(), &["rules", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stdout(&o));
    assert!(common::stdout(&o).contains(" passed, 0 failed"));
}
