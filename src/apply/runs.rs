//! What each finished apply changed, kept in the state directory (`runs/<id>.json`) so that
//! `mami-clean undo` can put it back and `restore` finds a backup written with
//! `--backup-dir`: the backup's place, HEAD before the run and the commit it made, the entries
//! it deleted, the regenerable ones with their rebuild commands, and each ignore file's
//! content before the run's edit (with a hash of what the run wrote, so an undo never
//! overwrites a later edit).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::journal::State;
use crate::error::{Error, Result};

pub const FORMAT: &str = "mami-clean-run";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IgnoreEdit {
    /// Relative to the root.
    pub path: String,
    /// The content before the run; `None`: the run created the file.
    pub before: Option<String>,
    /// BLAKE3 of what the run wrote.
    pub after_blake3: String,
}

/// A deleted entry's path: lossy text, and the exact bytes in hex when they are not UTF-8.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deleted {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
}

impl Deleted {
    pub fn rel(&self) -> Option<crate::relpath::RelPath> {
        crate::relpath::RelPath::from_json_fields(&self.path, self.path_hex.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Regenerable {
    pub path: String,
    pub command: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRecord {
    pub format: String,
    /// The backup's id, or `run-<time>` when the run needed none.
    pub id: String,
    pub created: String,
    pub root: String,
    /// HEAD before the run: where deleted tracked files come back from.
    pub head: Option<String>,
    pub commit: Option<String>,
    pub backup: Option<PathBuf>,
    /// Entries deleted (wholly or partly), as the plan named them.
    pub deleted: Vec<Deleted>,
    pub regenerable: Vec<Regenerable>,
    pub ignore_files: Vec<IgnoreEdit>,
}

fn file_name(id: &str) -> Result<String> {
    if id.is_empty() || id.contains(['/', '\0']) || id.starts_with('.') {
        return Err(Error::Usage(format!("`{id}` is not a run id")));
    }
    Ok(format!("runs/{id}.json"))
}

/// Keep the record (mode 0600, never through a link).
pub fn save(state: &State, r: &RunRecord) -> Result<()> {
    let json = serde_json::to_vec_pretty(r).map_err(|e| Error::Usage(e.to_string()))?;
    state.file(&file_name(&r.id)?)?.replace(&json, Some(0o600))
}

/// The runs recorded for this tree, oldest first.
pub fn list(state: &State) -> Vec<RunRecord> {
    let Ok(rd) = std::fs::read_dir(state.shown("runs")) else {
        return Vec::new();
    };
    let mut v: Vec<RunRecord> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_suffix(".json")?.to_string();
            load(state, &id).ok()
        })
        .collect();
    v.sort_by(|a, b| (&a.created, &a.id).cmp(&(&b.created, &b.id)));
    v
}

pub fn load(state: &State, id: &str) -> Result<RunRecord> {
    let place = state.file(&file_name(id)?)?;
    let bytes = place.read(crate::limits::MAX_PLAN_BYTES)?.ok_or_else(|| {
        Error::Usage(format!(
            "no run `{id}` recorded in {}",
            state.shown("runs").display()
        ))
    })?;
    let r: RunRecord = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Usage(format!("{}: not a run record: {e}", place.path().display())))?;
    if r.format != FORMAT {
        return Err(Error::Usage(format!(
            "{}: not a run record",
            place.path().display()
        )));
    }
    Ok(r)
}

/// Record what this run changed, if it deleted anything; its id.
pub(super) fn record(
    state: &State,
    plan: &crate::plan::Plan,
    work: &[super::authority::Work],
    report: &super::ApplyReport,
) -> Result<Option<String>> {
    use super::Outcome;
    let touched: Vec<&super::authority::Work> = work
        .iter()
        .zip(&report.entries)
        .filter(|(_, r)| !matches!(r.outcome, Outcome::Skipped { .. }))
        .map(|(w, _)| w)
        .collect();
    if touched.is_empty() {
        return Ok(None);
    }
    let created = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let stamp: String = created
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .collect();
    let r = RunRecord {
        format: FORMAT.into(),
        id: report
            .backup
            .id
            .clone()
            .unwrap_or_else(|| format!("run-{stamp}Z")),
        created,
        root: plan.root.clone(),
        head: plan.git.as_ref().and_then(|g| g.head.clone()),
        commit: report.commit.clone(),
        backup: report.backup.dir.clone(),
        deleted: touched
            .iter()
            .map(|w| Deleted {
                path: w.entry.path.clone(),
                path_hex: w.entry.path_hex.clone(),
            })
            .collect(),
        // Only what undo cannot write back: a wholly tracked `node_modules` comes back from
        // git, and "rebuild with `npm install`" read as if it had not.
        regenerable: touched
            .iter()
            .filter(|w| w.recovery == crate::plan::Recovery::Regenerable)
            .filter(|w| w.entry.git != Some(crate::plan::GitState::Tracked))
            .map(|w| Regenerable {
                path: w.entry.path.clone(),
                command: w.entry.regenerate.clone(),
            })
            .collect(),
        ignore_files: report.ignore_edits.clone(),
    };
    save(state, &r)?;
    Ok(Some(r.id))
}
