//! `mami-clean explain PATH`: why a path is selected, kept or left alone. Walks the path's
//! ancestors the way the scan would (an ancestor's verdict decides for everything below it),
//! then lists every rule whose globs match the path with the guards that passed or failed.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::SystemTime;

use crate::classify::{
    self, guard_failures, is_git_name, is_own_state, Content, Facts, Protection, Verdict,
};
use crate::git::GitInfo;
use crate::plan::looks_into;
use crate::relpath::RelPath;
use crate::rules::{GitGuard, RuleSet};

#[derive(Debug, serde::Serialize)]
pub struct RuleCheck {
    pub rule: String,
    pub action: crate::rules::Action,
    pub origin: String,
    /// Empty when every guard holds.
    pub failed_guards: Vec<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct Explanation {
    pub path: String,
    pub exists: bool,
    pub is_dir: bool,
    /// The outcome in one sentence.
    pub verdict: String,
    /// Rules whose globs match the path itself, in precedence order.
    pub rules: Vec<RuleCheck>,
}

struct PathFacts<'a> {
    root: &'a Path,
    rel: &'a RelPath,
    git: Option<&'a GitInfo>,
    now: SystemTime,
}

impl PathFacts<'_> {
    fn has_inside(&self, name: &str) -> bool {
        self.rel
            .join(name.as_bytes())
            .under(self.root)
            .symlink_metadata()
            .is_ok()
    }
    fn age_days(&self) -> Option<f64> {
        let m = self
            .rel
            .under(self.root)
            .symlink_metadata()
            .ok()?
            .modified()
            .ok()?;
        Some(self.now.duration_since(m).unwrap_or_default().as_secs_f64() / 86_400.0)
    }
    fn git_state(&self) -> GitGuard {
        self.git.map_or(GitGuard::None, |g| g.state(self.rel))
    }
}

/// [`PathFacts`] plus the parent's listing, which `siblings` borrows from.
struct ListedFacts<'a> {
    inner: PathFacts<'a>,
    names: Vec<Vec<u8>>,
}

impl Facts for ListedFacts<'_> {
    fn siblings(&self) -> Vec<&[u8]> {
        self.names.iter().map(Vec::as_slice).collect()
    }
    fn parent_name(&self) -> Option<&[u8]> {
        let root = self.inner.root.file_name().map(|n| n.as_bytes());
        self.inner.rel.parent_name().or(root)
    }
    fn read_beside(&self, name: &[u8]) -> Content {
        let dir = self
            .inner
            .rel
            .parent()
            .unwrap_or_default()
            .under(self.inner.root);
        match crate::fsx::read_regular(
            &dir.join(OsStr::from_bytes(name)),
            crate::limits::MAX_COMPARED_BYTES,
            false,
        ) {
            Ok(Some(b)) => Content::Bytes(b),
            _ => Content::Unreadable,
        }
    }
    fn has_inside(&self, name: &str) -> bool {
        self.inner.has_inside(name)
    }
    fn names_in_sibling(&self, name: &[u8]) -> Option<Vec<Vec<u8>>> {
        let parent = self.inner.rel.parent().unwrap_or_default();
        let dir = parent.join(name).under(self.inner.root);
        if !dir.symlink_metadata().ok()?.is_dir() {
            return None;
        }
        let rd = std::fs::read_dir(dir).ok()?;
        Some(
            rd.flatten()
                .map(|e| e.file_name().as_bytes().to_vec())
                .collect(),
        )
    }
    fn age_days(&self) -> Option<f64> {
        self.inner.age_days()
    }
    fn git_state(&self) -> GitGuard {
        self.inner.git_state()
    }
}

pub(crate) fn facts<'a>(
    root: &'a Path,
    rel: &'a RelPath,
    git: Option<&'a GitInfo>,
) -> impl Facts + 'a {
    let parent = rel.parent().unwrap_or_default().under(root);
    let names = std::fs::read_dir(parent)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().as_bytes().to_vec())
                .collect()
        })
        .unwrap_or_default();
    ListedFacts {
        inner: PathFacts {
            root,
            rel,
            git,
            now: SystemTime::now(),
        },
        names,
    }
}

/// Explain `rel` (relative to `root`).
pub fn explain(root: &Path, rules: &RuleSet, git: Option<&GitInfo>, rel: &RelPath) -> Explanation {
    let abs = rel.under(root);
    let meta = abs.symlink_metadata().ok();
    let is_dir = meta.as_ref().is_some_and(|m| m.is_dir());
    let verdict = verdict(root, rules, git, rel, is_dir);

    let f = facts(root, rel, git);
    let mut scratch = Vec::new();
    rules.matching(rel, is_dir, &mut scratch);
    // A path that does not exist could be either: ask the rules for both kinds.
    if meta.is_none() {
        let mut dirs = Vec::new();
        rules.matching(rel, true, &mut dirs);
        scratch.extend(dirs);
        scratch.sort_unstable();
        scratch.dedup();
    }
    let checks = (scratch.iter())
        .map(|&ri| {
            let r = &rules.rules[ri];
            RuleCheck {
                rule: r.id.clone(),
                action: r.action,
                origin: r.origin.to_string(),
                failed_guards: guard_failures(r, rel.file_name(), is_dir, &f),
            }
        })
        .collect();
    Explanation {
        path: rel.display(),
        exists: meta.is_some(),
        is_dir,
        verdict: verdict
            .unwrap_or_else(|| "left alone: no rule selects it or a directory above it".into()),
        rules: checks,
    }
}

/// What decides for `rel`, its ancestors first: the scan never classifies below a selected,
/// kept or protected directory (below one a guard keeps, the plan looks for regenerable
/// litter only: `inside`). `None`: nothing does.
fn verdict(
    root: &Path,
    rules: &RuleSet,
    git: Option<&GitInfo>,
    rel: &RelPath,
    is_dir: bool,
) -> Option<String> {
    let mut scratch = Vec::new();
    let mut verdict = None;
    let mut inside = false;
    let mut anc = RelPath::root();
    let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
    for (i, comp) in comps.iter().enumerate() {
        anc = anc.join(comp);
        let last = i + 1 == comps.len();
        let anc_is_dir = if last { is_dir } else { true };
        let here = if last {
            "it".to_string()
        } else {
            format!("its ancestor `{}`", anc.display())
        };
        if let Some(p) = protection(root, git, &anc, comp, anc_is_dir) {
            return Some(format!("protected: {here} is {}", p.describe()));
        }
        let f = facts(root, &anc, git);
        match classify::classify(rules, &anc, anc_is_dir, &f, &mut scratch) {
            Verdict::Keep { rule, .. } => {
                let r = &rules.rules[rule];
                return Some(format!(
                    "kept: {here} matches keep rule `{}` ({})",
                    r.id, r.reason
                ));
            }
            // Inside a folder a guard keeps, only regenerable litter is planned
            // (`plan::look_inside`); anything else stays with the folder.
            Verdict::Select { rule }
                if inside && !crate::plan::planned_inside(&rules.rules[rule]) =>
            {
                break;
            }
            Verdict::Select { rule } => {
                let (says, guarded) = selected(root, rules, git, rule, &anc, anc_is_dir, &here);
                verdict = Some(says);
                // A folder a guard keeps, or a review rule that asks for it reports, is looked
                // into: a selection below it decides instead.
                if last || inside || !anc_is_dir || !looks_into(&rules.rules[rule], guarded) {
                    break;
                }
                inside = true;
            }
            Verdict::None => {}
        }
    }
    verdict
}

/// What keeps `anc` (whose last component is `comp`) from the scan whatever the rules say:
/// a `.git`, mami-clean's own state, a nested repository.
fn protection(
    root: &Path,
    git: Option<&GitInfo>,
    anc: &RelPath,
    comp: &[u8],
    is_dir: bool,
) -> Option<Protection> {
    if is_git_name(comp) {
        return Some(Protection::GitDir);
    }
    if is_own_state(anc, comp) {
        return Some(Protection::OwnState);
    }
    let nested = || {
        anc.join(b".git").under(root).symlink_metadata().is_ok()
            || git.is_some_and(|g| g.is_gitlink(anc))
    };
    (is_dir && nested()).then_some(Protection::NestedRepo)
}

/// What `explain` says of `anc` (a directory when `is_dir`, shown as `here`), which rule
/// `rule` selects: protected where git holds changes to it, reported for review where the
/// project uses it (what `plan` asks, without a scan), else the rule's action; and whether
/// that review is a guard's.
fn selected(
    root: &Path,
    rules: &RuleSet,
    git: Option<&GitInfo>,
    rule: usize,
    anc: &RelPath,
    is_dir: bool,
    here: &str,
) -> (String, bool) {
    let r = &rules.rules[rule];
    // What a review rule selects is only reported, edited or not, as the plan does.
    let deletes = r.action == crate::rules::Action::Delete;
    if deletes && !is_dir && git.is_some_and(|g| g.is_modified(anc)) {
        let says = format!(
            "protected: {here} matches `{}` but is {}",
            r.id,
            Protection::TrackedModified.describe()
        );
        return (says, false);
    }
    let reference = r.guards.unreferenced.then(|| {
        let c = crate::references::Candidate {
            path: anc,
            is_dir,
            within: None,
        };
        // Without a scan: a file a delete rule's globs name is taken as deleted, unless that
        // rule keeps what is referred to and something refers to it.
        let deleting = |p: &RelPath, guarded: bool| {
            let mut hits = Vec::new();
            rules.matching(p, false, &mut hits);
            hits.iter().any(|&h| {
                let r = &rules.rules[h];
                r.action == crate::rules::Action::Delete && (!guarded || r.guards.unreferenced)
            })
        };
        let (deleted, guarded) = (
            |p: &RelPath| deleting(p, false),
            |p: &RelPath| deleting(p, true),
        );
        crate::references::find_one(root, git, c, &deleted, &guarded)
    });
    let edited = || crate::references::edited(git.filter(|_| r.guards.unedited)?, anc);
    let runs = || crate::gh_action::Actions::at(root, git).covering(anc);
    let in_use = || {
        crate::in_use::InUse::at(root, git, &|p| p.starts_with(anc)).covering(
            root,
            anc,
            !is_dir,
            r.in_service_data,
        )
    };
    match (reference.flatten())
        .or_else(edited)
        .or_else(runs)
        .or_else(in_use)
    {
        Some(by) => {
            let says = format!(
                "reported for review: {here} matches rule `{}` (phase {}: {}), {}",
                r.id,
                r.phase,
                r.reason,
                by.but()
            );
            (says, true)
        }
        None => {
            let act = match r.action {
                crate::rules::Action::Review => "reported for review",
                _ => "selected for deletion",
            };
            let says = format!(
                "{act}: {here} matches rule `{}` (phase {}: {})",
                r.id, r.phase, r.reason
            );
            (says, false)
        }
    }
}
