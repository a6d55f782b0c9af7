//! The plan's values: each entry and how it comes back, protections, notes, phase totals, the
//! header that binds a plan to its tree and rules. `Plan::build` (in `mod.rs`) makes them.

use serde::{Deserialize, Serialize};

use crate::classify::Protection;
use crate::relpath::RelPath;
use crate::rules::Action;
use crate::scan::{EntryKind, Identity, NoteKind, Stats};

/// How a deleted entry can be brought back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Recovery {
    /// Every file under it is tracked and unchanged: `git checkout` restores it.
    Git,
    /// A built-in rule declares it regenerable and says how (`npm ci`); its untracked files
    /// are rebuilt, its tracked ones still come from git or the backup.
    Regenerable,
    /// Nothing else can give it back: `apply` must archive it first.
    Backup,
}

/// Git's view of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GitState {
    Tracked,
    Untracked,
    Ignored,
    /// A directory holding both tracked and untracked files.
    Mixed,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Relative to the root, `/`-separated; lossy when the name is not UTF-8.
    pub path: String,
    /// The exact bytes of the path in hex, present only when `path` is not valid UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    pub kind: EntryKind,
    pub phase: u8,
    pub rule: String,
    pub action: Action,
    pub recovery: Recovery,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regenerate: Option<String>,
    pub reason: String,
    /// What in the project refers to it (a rule with the reference guard then only reports
    /// it for review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_by: Option<crate::references::Reference>,
    /// Selected by a rule of an untrusted repository config: shown, never applied.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub untrusted: bool,
    /// The directory the rule selected, for a part of it: the selection split around what it
    /// keeps (listed under `protected`). For display; lossy when not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitState>,
    /// Apparent bytes (`du -sb`).
    pub bytes: u64,
    /// Allocated bytes (`du -sB1`).
    pub disk_bytes: u64,
    /// Non-directory entries at or below the path.
    pub files: u64,
    /// Directories at or below the path (the path itself included).
    pub dirs: u64,
    pub identity: Identity,
}

impl Entry {
    pub fn rel(&self) -> Option<RelPath> {
        RelPath::from_json_fields(&self.path, self.path_hex.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProtectedEntry {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    pub protection: Protection,
    /// The keep rule, for `keep` protections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_rule: Option<String>,
    /// The delete or review rule that matched it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_rule: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NoteEntry {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    pub kind: NoteKind,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PhaseTotal {
    pub phase: u8,
    pub name: String,
    pub title: String,
    /// Entries to delete.
    pub entries: u64,
    /// Entries reported for review (not deleted, not in the sizes).
    pub review: u64,
    pub files: u64,
    pub bytes: u64,
    pub disk_bytes: u64,
    /// `bytes` as a percentage of the target; `null` when no target is set.
    pub share_of_target: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GitHeader {
    /// HEAD's commit id; `null` on an unborn branch.
    pub head: Option<String>,
    pub tracked_files: u64,
    /// Tracked files with staged or unstaged changes when the plan was made (left out where
    /// the whole status was not read: the gate and the audit ask per selected path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_files: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub format: String,
    pub format_version: u32,
    pub tool_version: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// The absolute root the plan was made for.
    pub root: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_hex: Option<String>,
    pub root_identity: Option<Identity>,
    /// `null` outside a git repository.
    pub git: Option<GitHeader>,
    /// BLAKE3 of the rule and config files in force.
    pub rules_hash: String,
    /// The repository config, when the user has not trusted it: the plan shows its view, and
    /// `apply` ignores whatever in it would widen what is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untrusted_config: Option<String>,
    /// The bytes the cleanup aims to free (`target` in the config, `--target`); `null` when
    /// none is set: then the plan measures against the work tree and the build contexts only.
    pub target_bytes: Option<u64>,
    /// The whole tree, as `du` counts it.
    pub tree: Stats,
    /// The root's `.git`, part of `tree` (the work tree is `tree` minus this).
    #[serde(default)]
    pub git_dir: Stats,
    /// Apparent bytes the delete entries free.
    pub total_bytes: u64,
    pub total_disk_bytes: u64,
    /// `tree.bytes - total_bytes`.
    pub after_bytes: u64,
    pub phases: Vec<PhaseTotal>,
    /// Sorted by path.
    pub entries: Vec<Entry>,
    pub protected: Vec<ProtectedEntry>,
    pub notes: Vec<NoteEntry>,
    /// Each Docker build context: bytes sent now, and after this plan and the ignore files.
    #[serde(default)]
    pub contexts: Vec<crate::docker::context::Forecast>,
    /// BLAKE3 of the JSON of `entries`, for tamper and staleness checks.
    pub body_hash: String,
    /// What a `local_data` keep rule matched that git does not track, sorted: this checkout's
    /// own data (a SQLite database the app wrote), which no image should hold. Not in the
    /// plan's file: a plan read back has none.
    #[serde(skip)]
    pub local_data: Vec<RelPath>,
}
