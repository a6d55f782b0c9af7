//! The paths the reference guard asks about: each selection of a rule that carries it, and
//! for a part of a split selection, the folder the rule named.

use crate::relpath::RelPath;
use crate::rules::RuleSet;
use crate::scan::{EntryKind, Found};

/// A path a guarded rule selected: is anything referring to it?
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub path: &'a RelPath,
    pub is_dir: bool,
    /// The directory the rule selected, when `path` is one of its children: the selection
    /// split around something kept inside it (docker-stacks' `backup/.env.example`). The
    /// directory's name is what the rule matched and what the project refers to; a child's
    /// own name (`README.md`, `Dockerfile`) is everyone's.
    pub within: Option<RelPath>,
}

impl Candidate<'_> {
    /// The path the rule named: the selected directory a child was split from, or the path.
    pub(super) fn named(&self) -> (&RelPath, bool) {
        match &self.within {
            Some(d) => (d, true),
            None => (self.path, self.is_dir),
        }
    }

    /// Whether the folder the rule named is named like the one holding it (project-copies'
    /// `shop/shop/`; at the top, like the repository's own folder): its bare name is then
    /// the project's own name too (`GITHUB_REPO_NAME=shop`, package.json's `"name":
    /// "shop"`, `cd shop` after `git clone`), and only a path into it names the copy.
    pub(super) fn named_like_holder(&self, root: &std::path::Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        let (named, is_dir) = self.named();
        let root_name = root.file_name().map(|n| n.as_bytes());
        let holder = named.parent_name().or(root_name);
        is_dir && holder.is_some_and(|h| h.eq_ignore_ascii_case(named.file_name()))
    }
}

/// The candidates among a scan's selections: those of rules that carry the guard.
pub fn candidates<'a>(rules: &RuleSet, found: &'a [Found]) -> Vec<Candidate<'a>> {
    found
        .iter()
        .filter(|f| rules.rules[f.rule].guards.unreferenced)
        .map(|f| {
            let is_dir = f.kind == EntryKind::Dir;
            Candidate {
                path: &f.path,
                is_dir,
                within: selection_of(rules, f),
            }
        })
        .collect()
}

/// The folder a rule selected, where `f` is a part of it: the one the scan split (a rule
/// whose globs take the part too, project-copies' `*/*`, still selected the folder, and a part
/// of a copy of the project is not what the project's own `frontend/` mentions name), or the
/// directory above that the rule matches; `None` where `f` is the selection itself.
pub(super) fn selection_of(rules: &RuleSet, f: &Found) -> Option<RelPath> {
    let is_dir = f.kind == EntryKind::Dir;
    f.split_from.clone().or_else(|| {
        (!rules.path_matches(f.rule, &f.path, is_dir))
            .then(|| selected_above(rules, f))
            .flatten()
    })
}

/// The directory above a split selection's child that its rule matched.
fn selected_above(rules: &RuleSet, f: &Found) -> Option<RelPath> {
    let mut p = crate::relpath::parent_of(f.path.as_bytes());
    while !p.is_empty() {
        let dir = RelPath::from_bytes(p);
        if rules.path_matches(f.rule, &dir, true) {
            return Some(dir);
        }
        p = crate::relpath::parent_of(p);
    }
    None
}
