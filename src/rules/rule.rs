//! One compiled rule: what it matches, its guards, and where it was written.

use globset::Candidate;

use super::compile::Origin;
use super::lazy_set::{LazySet, NameSet};
use super::schema::{Action, Examples, Guards, Kind};

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub phase: u8,
    pub origin: Origin,
    pub reason: String,
    pub kind: Kind,
    pub action: Action,
    pub regenerate: Option<String>,
    pub rebuild: Option<crate::rebuild::Rebuild>,
    pub guards: Guards,
    pub patterns: Vec<String>,
    pub excludes: Vec<String>,
    pub ignore_case: bool,
    /// Selects inside a service's mounted data folder too (see [`crate::in_use`]).
    pub in_service_data: bool,
    /// What a review of this rule keeps is looked into (see [`crate::plan::look_inside`]).
    pub look_inside: bool,
    /// A match git does not track is this checkout's data, kept out of images by its path
    /// (see [`crate::ignorefile`] and the audit's `local-data-in-context`).
    pub local_data: bool,
    pub gitignore: Vec<String>,
    pub dockerignore: Vec<String>,
    pub examples: Examples,
    pub enabled: bool,
    /// From the repository's own config: may select only untracked or ignored paths.
    pub repo_local: bool,
    /// From a repository config the user has not trusted: `apply` ignores it.
    pub untrusted: bool,
    pub(super) exclude: LazySet,
    pub(super) beside: NameSet,
    pub(super) not_beside: NameSet,
    /// `when.starts_like` and `when.not_starts_like`, compiled (anchored at the start).
    pub(super) starts_like: Option<regex::bytes::Regex>,
    pub(super) not_starts_like: Option<regex::bytes::Regex>,
}

impl Rule {
    pub(super) fn excluded(&self, c: &Candidate) -> bool {
        !self.exclude.is_empty() && self.exclude.get().is_match_candidate(c)
    }

    pub(super) fn kind_fits(&self, is_dir: bool) -> bool {
        match self.kind {
            Kind::Any => true,
            Kind::Dir => is_dir,
            Kind::File => !is_dir,
        }
    }

    pub fn beside_matches(&self, name: &[u8]) -> bool {
        self.beside.is_match(name)
    }

    pub fn not_beside_matches(&self, name: &[u8]) -> bool {
        self.not_beside.is_match(name)
    }

    /// The compiled `when.starts_like` and `when.not_starts_like`.
    pub fn content_guards(&self) -> (Option<&regex::bytes::Regex>, Option<&regex::bytes::Regex>) {
        (self.starts_like.as_ref(), self.not_starts_like.as_ref())
    }
}
