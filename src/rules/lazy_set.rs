//! A rule's exclude globs or marker names, compiled into a `GlobSet` the first time a path asks.
//! Every command loads the rules, most rules match nothing in a given tree, and building every
//! rule's sets at load was ~6 ms of each start (`examples/rules_load_probe.rs`). Sets written in
//! a repository's or a user's config are built at load all the same, so one that cannot be
//! built is an error naming its file and line; the built-in ones are built by a test.

use std::sync::OnceLock;

use globset::{Glob, GlobSet, GlobSetBuilder};

#[derive(Debug, Clone)]
pub(super) struct LazySet {
    globs: Vec<Glob>,
    set: OnceLock<GlobSet>,
}

impl LazySet {
    /// No globs: matches nothing, and is never built.
    pub(super) fn empty() -> LazySet {
        LazySet {
            globs: Vec::new(),
            set: OnceLock::new(),
        }
    }

    /// `eager`: build now (a config's globs), else on first use (the built-in ones).
    pub(super) fn new(globs: Vec<Glob>, eager: bool) -> Result<LazySet, globset::Error> {
        let s = LazySet {
            globs,
            set: OnceLock::new(),
        };
        if eager && !s.globs.is_empty() {
            let built = s.build()?;
            let _ = s.set.set(built);
        }
        Ok(s)
    }

    pub(super) fn build(&self) -> Result<GlobSet, globset::Error> {
        let mut b = GlobSetBuilder::new();
        for g in &self.globs {
            b.add(g.clone());
        }
        b.build()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.globs.is_empty()
    }

    /// Whether a glob matches `path` (an empty set matches nothing, and is never built).
    pub(super) fn is_match(&self, path: impl AsRef<std::path::Path>) -> bool {
        !self.is_empty() && self.get().is_match(path)
    }

    pub(super) fn get(&self) -> &GlobSet {
        self.set.get_or_init(|| {
            self.build()
                .expect("config sets are built at load, built-in ones by a test")
        })
    }
}

/// The names of a `beside` or `not_beside` guard: globs of names, less the names a `!` entry
/// matches (`"docker-compose*.y*ml", "!*.example.*"`: an example compose file builds nothing).
#[derive(Debug, Clone)]
pub(super) struct NameSet {
    pub(super) yes: LazySet,
    pub(super) no: LazySet,
}

impl NameSet {
    pub(super) fn empty() -> NameSet {
        NameSet {
            yes: LazySet::empty(),
            no: LazySet::empty(),
        }
    }

    pub(super) fn is_match(&self, name: &[u8]) -> bool {
        let p = crate::relpath::RelPath::from_bytes(name);
        self.yes.is_match(p.as_path()) && !self.no.is_match(p.as_path())
    }
}
