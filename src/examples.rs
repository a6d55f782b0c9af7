//! `mami-clean rules test`: every rule carries paths it must match and paths it must not; this
//! checks them against a virtual tree built from the examples themselves, so a rule's guards
//! (a `package.json` beside `node_modules`, a `pyvenv.cfg` inside a venv) are exercised too.
//!
//! In the virtual tree, git state is "untracked" except under the paths `examples.tracked`
//! names, and age is unknown (age guards pass): examples test the path, marker and git-state
//! logic, the integration tests test git itself and time.

use std::collections::BTreeSet;

use crate::classify::{guard_failures, Content, Facts};
use crate::relpath::RelPath;
use crate::rules::{Action, GitGuard, RuleSet};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Failure {
    pub rule: String,
    pub origin: String,
    pub path: String,
    /// True when the example says the rule must match.
    pub expected_match: bool,
    pub why: String,
}

#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub rules: usize,
    pub checked: usize,
    pub failures: Vec<Failure>,
    /// Enabled selecting rules that have no `match` example.
    pub untested: Vec<String>,
}

struct VirtualTree {
    /// (path, is_dir)
    entries: BTreeSet<(Vec<u8>, bool)>,
    /// What git tracks: these paths and everything under them.
    tracked: Vec<RelPath>,
}

impl VirtualTree {
    fn new<'a>(paths: impl Iterator<Item = &'a String>) -> Self {
        let mut entries = BTreeSet::new();
        for p in paths {
            let is_dir = p.ends_with('/');
            let p = p.trim_end_matches('/');
            let mut acc = String::new();
            let parts: Vec<&str> = p.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                if !acc.is_empty() {
                    acc.push('/');
                }
                acc.push_str(part);
                let last = i + 1 == parts.len();
                entries.insert((acc.clone().into_bytes(), !last || is_dir));
            }
        }
        VirtualTree {
            entries,
            tracked: Vec::new(),
        }
    }

    fn exists(&self, p: &[u8]) -> bool {
        self.entries.contains(&(p.to_vec(), true)) || self.entries.contains(&(p.to_vec(), false))
    }
}

struct VirtualFacts<'a> {
    tree: &'a VirtualTree,
    path: RelPath,
    siblings: Vec<Vec<u8>>,
}

impl<'a> VirtualFacts<'a> {
    fn new(tree: &'a VirtualTree, path: RelPath) -> Self {
        let parent = path.parent().unwrap_or_default();
        let siblings = tree
            .entries
            .iter()
            .map(|(p, _)| RelPath::from_bytes(p.as_slice()))
            .filter(|p| p.parent().as_ref() == Some(&parent))
            .map(|p| p.file_name().to_vec())
            .collect();
        VirtualFacts {
            tree,
            path,
            siblings,
        }
    }
}

impl Facts for VirtualFacts<'_> {
    fn siblings(&self) -> Vec<&[u8]> {
        self.siblings.iter().map(Vec::as_slice).collect()
    }
    fn read_beside(&self, _: &[u8]) -> Content {
        Content::Unknown
    }
    /// An example tree's top is a folder named `repo`.
    fn parent_name(&self) -> Option<&[u8]> {
        self.path.parent_name().or(Some(b"repo"))
    }
    fn has_inside(&self, name: &str) -> bool {
        self.tree.exists(self.path.join(name.as_bytes()).as_bytes())
    }
    fn names_in_sibling(&self, name: &[u8]) -> Option<Vec<Vec<u8>>> {
        let dir = self.path.parent().unwrap_or_default().join(name);
        if !self.tree.entries.contains(&(dir.as_bytes().to_vec(), true)) {
            return None;
        }
        let names = (self.tree.entries.iter())
            .map(|(p, _)| RelPath::from_bytes(p.as_slice()))
            .filter(|p| p.parent().as_ref() == Some(&dir))
            .map(|p| p.file_name().to_vec())
            .collect();
        Some(names)
    }
    fn age_days(&self) -> Option<f64> {
        None
    }
    fn git_state(&self) -> GitGuard {
        // A directory is tracked when a file below it is, as in a repository.
        if self.tree.tracked.iter().any(|t| t.starts_with(&self.path)) {
            GitGuard::Tracked
        } else {
            GitGuard::Untracked
        }
    }
}

fn judge(rules: &RuleSet, i: usize, tree: &VirtualTree, raw: &str) -> (bool, String) {
    let rule = &rules.rules[i];
    let is_dir = raw.ends_with('/');
    let path = RelPath::from_bytes(raw.trim_end_matches('/'));
    if !rules.path_matches(i, &path, is_dir) {
        return (
            false,
            "no glob matches (or an exclude does, or the kind differs)".into(),
        );
    }
    let name = path.file_name().to_vec();
    let facts = VirtualFacts::new(tree, path);
    let fails = guard_failures(rule, &name, is_dir, &facts);
    if fails.is_empty() {
        (true, "matched".into())
    } else {
        (false, format!("a guard fails: {}", fails.join("; ")))
    }
}

/// Check every rule's examples.
pub fn check(rules: &RuleSet) -> Report {
    let mut report = Report::default();
    for (i, rule) in rules.rules.iter().enumerate() {
        report.rules += 1;
        let ex = &rule.examples;
        if rule.enabled
            && rule.action != Action::Keep
            && ex.matches.is_empty()
            && rule.id != "config-keep"
        {
            report.untested.push(rule.id.clone());
        }
        let all = ex.matches.iter().chain(&ex.no_match).chain(&ex.tree);
        let mut tree = VirtualTree::new(all.chain(&ex.tracked));
        tree.tracked = (ex.tracked.iter())
            .map(|t| RelPath::from_bytes(t.trim_end_matches('/')))
            .collect();
        for (list, want) in [(&ex.matches, true), (&ex.no_match, false)] {
            for raw in list {
                report.checked += 1;
                let (got, why) = judge(rules, i, &tree, raw);
                if got != want {
                    report.failures.push(Failure {
                        rule: rule.id.clone(),
                        origin: rule.origin.to_string(),
                        path: raw.clone(),
                        expected_match: want,
                        why,
                    });
                }
            }
        }
    }
    report
}
