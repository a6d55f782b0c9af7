//! `ignore`: each ignore file's state and the lines that change, then (after `--write`) what
//! each build context still sends. Built as a value by the binary, rendered here.

use std::fmt::Write;

use serde::Serialize;

use super::V;
use crate::ignorefile::Change;
use crate::size::human;

/// One ignore file.
#[derive(Debug, Serialize)]
pub struct IgnoreFile {
    /// Relative to the repository root.
    pub path: String,
    /// `up-to-date`, `not-needed` (no such file, and nothing to write in one), `would-create`,
    /// `would-update` or `written`.
    pub state: &'static str,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Lines not written, each with why.
    pub not_added: Vec<String>,
}

impl IgnoreFile {
    pub fn from_change(ch: &Change, written: bool) -> IgnoreFile {
        let (added, removed) = if ch.changed() {
            let (a, r) = ch.diff();
            (
                a.into_iter().map(str::to_string).collect(),
                r.into_iter().map(str::to_string).collect(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let state = match (ch.changed(), written, ch.before.is_empty()) {
            (false, ..) if !ch.exists => "not-needed",
            (false, ..) => "up-to-date",
            (true, true, _) => "written",
            (true, false, true) => "would-create",
            (true, false, false) => "would-update",
        };
        IgnoreFile {
            path: ch.shown.clone(),
            state,
            added,
            removed,
            not_added: ch.dropped.clone(),
        }
    }
}

/// What a build context sends after `--write`.
#[derive(Debug, Serialize)]
pub struct Verified {
    pub build: String,
    pub bytes: u64,
    /// Of `bytes`, what the plan selects for deletion.
    pub junk_bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct IgnoreRun {
    pub files: Vec<IgnoreFile>,
    /// No Dockerfile or compose build: no `.dockerignore` to write.
    pub no_builds: bool,
    pub verified: Vec<Verified>,
    /// After `--write`: COPY sources the new files exclude (`path:line: message`).
    pub errors: Vec<String>,
}

impl IgnoreRun {
    /// Some file is not up to date.
    pub fn stale(&self) -> bool {
        self.files
            .iter()
            .any(|f| !matches!(f.state, "up-to-date" | "not-needed"))
    }
}

pub fn ignore_human(r: &IgnoreRun) -> String {
    let mut o = String::new();
    for f in &r.files {
        let shown = V(&f.path);
        for d in &f.not_added {
            let _ = writeln!(o, "{shown}: not adding {}", V(d));
        }
        let _ = writeln!(o, "{shown}: {}", f.state.replace('-', " "));
        for l in &f.removed {
            let _ = writeln!(o, "  - {}", V(l));
        }
        for l in &f.added {
            let _ = writeln!(o, "  + {}", V(l));
        }
    }
    if r.no_builds {
        o.push_str("no Dockerfile or compose build found: no .dockerignore to write\n");
    }
    for v in &r.verified {
        let _ = writeln!(
            o,
            "verified {}: sends {} ({} of it selected for deletion: `mami-clean apply` removes it)",
            V(&v.build),
            human(v.bytes),
            human(v.junk_bytes)
        );
    }
    for e in &r.errors {
        let _ = writeln!(o, "error: {}", V(e));
    }
    o
}
