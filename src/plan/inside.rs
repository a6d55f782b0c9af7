//! Litter inside what the guards keep. The scan selects a directory whole and does not look
//! inside it; when the plan then keeps it for review because the project uses it (CTFd's
//! backup plugin is a package named `backup`), what lies inside was never classified, and its
//! `__pycache__` went unreported. Such directories are scanned again, the normal way, and
//! the regenerable litter found inside them (bytecode, caches, OS files) joins the plan under
//! its own guards, while the directory stays for review. Nothing else inside is planned: a
//! folder the project uses holds what it uses (the dated JSON backups an app writes into the
//! `backups/` its code names are its data, whatever their names say).

use std::collections::HashSet;
use std::path::Path;

use super::Plan;
use crate::git::GitInfo;
use crate::relpath::RelPath;
use crate::rules::{Action, Rule, RuleSet};
use crate::scan::{EntryKind, Identity, ListDeps, ScanOptions, ScanResult, Scanner};

/// `plan`, made from `scan`, with the regenerable litter inside each directory a guard kept
/// added to `scan.found` and planned. `opts` are the options `scan` was made with.
pub fn look_inside(
    root: &Path,
    scan: &mut ScanResult,
    plan: Plan,
    rules: &RuleSet,
    git: Option<&GitInfo>,
    target: Option<u64>,
    opts: &ScanOptions,
) -> crate::Result<Plan> {
    let dirs: Vec<(RelPath, Identity)> = looked_into(&plan, rules).collect();
    if dirs.is_empty() {
        return Ok(plan);
    }
    // Only what is found: the first scan already sized, listed and noted these trees.
    let sub = ScanOptions {
        keep_listing: false,
        keep_dir_bytes: false,
        list_deps: ListDeps::default(),
        ..opts.clone()
    };
    let mut found = Scanner::new(root, rules, git, sub).run_within(&dirs)?;
    found.retain(|f| planned_inside(&rules.rules[f.rule]));
    if found.is_empty() {
        return Ok(plan);
    }
    // Inside a selection the first scan classified nothing: these paths are new to it.
    scan.found.extend(found);
    scan.found.sort_by(|a, b| a.path.cmp(&b.path));
    let kept: HashSet<RelPath> = dirs.into_iter().map(|(p, _)| p).collect();
    Ok(Plan::build_keeping(root, scan, rules, git, target, &kept))
}

/// Whether what `rule` selects inside a folder a guard keeps is planned: only regenerable
/// litter is.
pub fn planned_inside(rule: &Rule) -> bool {
    rule.action == Action::Delete && rule.regenerate.is_some()
}

/// Directories a delete rule selected and a guard (a reference, a GitHub Action, a service's
/// mount) turned into review, and those a review rule that asks for it (`look_inside`: a
/// committed `.next/`, whose `cache/` is no more served than an untracked one's) reports. A
/// dependency directory is a unit of its own and is not looked into: what is inside
/// `node_modules` is the packages' business.
fn looked_into<'a>(
    plan: &'a Plan,
    rules: &'a RuleSet,
) -> impl Iterator<Item = (RelPath, Identity)> + 'a {
    plan.entries
        .iter()
        .filter(|e| e.kind == EntryKind::Dir && e.action == Action::Review)
        .filter(|e| {
            (rules.by_id(&e.rule)).is_some_and(|r| looks_into(r, e.referenced_by.is_some()))
        })
        .filter_map(|e| Some((e.rel()?, e.identity)))
}

/// Whether a directory `rule` selects is looked into (plan and explain ask the same): one a
/// guard kept (`guarded`), where the rule is a delete rule whose selections are not dependency
/// directories; or one a review rule that asks for it (`look_inside`) reports. Never for a
/// rule of an untrusted config.
pub fn looks_into(rule: &Rule, guarded: bool) -> bool {
    match rule.look_inside {
        _ if rule.untrusted => false,
        true => rule.enabled,
        false => guarded && rule.action == Action::Delete && rule.regenerate.is_none(),
    }
}
