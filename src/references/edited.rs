//! The snapshot guard (`when.unedited` in a rule): a backup is left as it was made, so a
//! selection whose files git shows edited after it got its name is in use
//! ([`GitInfo::edits_since_named`]), and reported for review with the commit.

use std::collections::HashMap;

use super::{RefKind, Reference};
use crate::git::{Edit, GitInfo};
use crate::relpath::RelPath;
use crate::rules::RuleSet;
use crate::scan::Found;

/// Add to `out` the selections of rules with the guard that were edited since they got their
/// names, where nothing else refers to them already. A split selection's parts are asked as
/// the folder the rule matched, once.
pub fn add_edits(
    git: Option<&GitInfo>,
    rules: &RuleSet,
    found: &[Found],
    out: &mut HashMap<RelPath, Reference>,
) {
    let Some(g) = git else { return };
    let asked: Vec<(&RelPath, RelPath)> = found
        .iter()
        .filter(|f| rules.rules[f.rule].guards.unedited && !out.contains_key(&f.path))
        .map(|f| (&f.path, named(rules, f)))
        .filter(|(_, n)| g.tracked_under(n) > 0)
        .collect();
    if asked.is_empty() {
        return;
    }
    let mut names: Vec<&RelPath> = asked.iter().map(|(_, n)| n).collect();
    names.sort_unstable();
    names.dedup();
    let edits = g.edits_since_named(&names);
    for (path, n) in &asked {
        let edit = names.binary_search(&n).ok().and_then(|i| edits[i].as_ref());
        if let Some(e) = edit {
            out.insert((*path).clone(), reference(e));
        }
    }
}

/// `path`'s edit since it got its name, as a reference (for `explain`).
pub fn edited(g: &GitInfo, path: &RelPath) -> Option<Reference> {
    if g.tracked_under(path) == 0 {
        return None;
    }
    g.edits_since_named(&[path])
        .pop()
        .flatten()
        .map(|e| reference(&e))
}

/// The path the rule selected: the folder a part of it belongs to, or the path itself.
fn named(rules: &RuleSet, f: &Found) -> RelPath {
    super::candidate::selection_of(rules, f).unwrap_or_else(|| f.path.clone())
}

fn reference(e: &Edit) -> Reference {
    Reference {
        file: String::from_utf8_lossy(&e.file).into_owned(),
        line: 0,
        excerpt: format!("{} \"{}\"", e.commit, e.summary),
        kind: RefKind::Edited,
    }
}
