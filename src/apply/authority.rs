//! A saved plan is a request, not an authority. Anyone who can write the plan file can
//! recompute its body hash, so at apply time every entry is derived again from the rules in
//! force (for `apply`: the built-in rules, the user's own config, and a repository config only
//! once trusted): the same rule must select the same path (or a directory above it), with its
//! guards holding now. The plan may only narrow what the rules select: an entry they do not
//! select is refused, and the recovery class is the one the rules give now (never weaker than
//! the plan's).

use std::collections::HashMap;

use crate::plan::{Entry, Plan, Recovery};
use crate::relpath::RelPath;
use crate::rules::{Action, RuleSet};

/// One delete entry of the plan as `apply` treats it.
#[derive(Debug)]
pub struct Work<'p> {
    pub entry: &'p Entry,
    /// The class the rules in force give it (the stronger of that and the plan's).
    pub recovery: Recovery,
    /// Why it is not deleted, if it is not.
    pub refused: Option<String>,
}

/// Check every delete entry of `plan` against `now`, a plan made from a scan just taken with
/// `rules` (the rules in force for apply).
pub fn authorize<'p>(plan: &'p Plan, now: &Plan, rules: &RuleSet) -> Vec<Work<'p>> {
    let by_path: HashMap<Vec<u8>, &Entry> = now
        .entries
        .iter()
        .filter_map(|e| Some((e.rel()?.as_bytes().to_vec(), e)))
        .collect();
    plan.deletions()
        .map(|e| match judge(e, &by_path, now, rules) {
            Ok(recovery) => Work {
                entry: e,
                recovery,
                refused: None,
            },
            Err(why) => Work {
                entry: e,
                recovery: e.recovery,
                refused: Some(why),
            },
        })
        .collect()
}

fn judge(
    e: &Entry,
    by_path: &HashMap<Vec<u8>, &Entry>,
    now: &Plan,
    rules: &RuleSet,
) -> Result<Recovery, String> {
    let rel = e.rel().ok_or("the plan's path is not valid")?;
    let in_force = rules
        .by_id(&e.rule)
        .is_some_and(|r| !r.untrusted && r.enabled);
    if e.untrusted || !in_force {
        return Err(format!(
            "selected by rule `{}`, which is not in force for apply (an untrusted mami-clean.toml? review it, then `mami-clean trust`)",
            e.rule
        ));
    }
    let Some(cover) = covering(&rel, by_path) else {
        let below = |p: &str, hex: Option<&str>| {
            RelPath::from_json_fields(p, hex).is_some_and(|p| p.starts_with(&rel))
        };
        let narrower = now
            .entries
            .iter()
            .any(|n| below(&n.path, n.path_hex.as_deref()));
        let blocker = now
            .protected
            .iter()
            .find(|p| below(&p.path, p.path_hex.as_deref()))
            .map(|p| format!(" (`{}` inside: {})", p.path, p.protection.describe()))
            .or_else(|| {
                now.notes
                    .iter()
                    .find(|n| below(&n.path, n.path_hex.as_deref()))
                    .map(|n| format!(" (`{}` inside: {})", n.path, n.message))
            })
            .unwrap_or_default();
        return Err(if narrower || !blocker.is_empty() {
            format!("the rules in force now select only parts of it{blocker}; run `mami-clean plan` again")
        } else {
            "the rules in force do not select it now; run `mami-clean plan` again".into()
        });
    };
    if cover.rule != e.rule {
        return Err(format!(
            "the rules in force select it by `{}`, not `{}`; run `mami-clean plan` again",
            cover.rule, e.rule
        ));
    }
    if cover.action != Action::Delete || cover.untrusted {
        return Err("the rules in force only report it for review".into());
    }
    let regen = |r: Recovery| r == Recovery::Regenerable;
    if regen(e.recovery) != regen(cover.recovery) {
        return Err(format!(
            "the plan calls it {}, the rules in force make it {}; run `mami-clean plan` again",
            class(e.recovery),
            class(cover.recovery)
        ));
    }
    Ok(if e.recovery == Recovery::Backup {
        Recovery::Backup
    } else {
        cover.recovery
    })
}

/// For the entry an interrupted apply was deleting (so possibly half gone, its guards no longer
/// holding: a `.venv` whose `pyvenv.cfg` went first): whether its rule, in force, still matches
/// its path and makes it regenerable. Nothing else lets untracked files go without the backup.
pub fn regenerable_in_flight(e: &Entry, rules: &RuleSet) -> bool {
    let (Some(rel), Some(i)) = (e.rel(), rules.rules.iter().position(|r| r.id == e.rule)) else {
        return false;
    };
    let r = &rules.rules[i];
    r.enabled
        && !r.untrusted
        && r.origin.builtin
        && r.regenerate.is_some()
        && r.action == Action::Delete
        && rules.path_matches(i, &rel, e.kind == crate::scan::EntryKind::Dir)
}

/// The entry of `now` at `rel` or at the nearest directory above it.
fn covering<'a>(rel: &RelPath, by_path: &HashMap<Vec<u8>, &'a Entry>) -> Option<&'a Entry> {
    let mut p = Some(rel.clone());
    while let Some(q) = p.filter(|q| !q.is_root()) {
        if let Some(e) = by_path.get(q.as_bytes()) {
            return Some(e);
        }
        p = q.parent();
    }
    None
}

fn class(r: Recovery) -> &'static str {
    match r {
        Recovery::Git => "git-recoverable",
        Recovery::Regenerable => "regenerable",
        Recovery::Backup => "backup-only",
    }
}
