//! The plan: what `apply` would delete, as a value. `plan --format json` prints it, `plan --out`
//! saves it, and `apply` (issue 3) reads the same document back, so the preview and the act
//! cannot drift apart.
//!
//! A plan is built from a scan with [`Plan::build`]; it holds everything `apply` needs to
//! re-verify each entry (type, dev, inode, size, mtime and ctime; for a directory its file count
//! and bytes), a header that binds it to the tree and the rules it was made from, and a hash of
//! its body so an edited plan can be told from a fresh one.

mod file;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::classify::Protection;
use crate::git::GitInfo;
use crate::relpath::RelPath;
use crate::rules::{Action, RuleSet};
use crate::scan::{EntryKind, Identity, NoteKind, ScanResult, Stats};

pub use file::{check_path, load, load_from, save};

pub const FORMAT: &str = "mami-clean-plan";
pub const FORMAT_VERSION: u32 = 1;

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
}

fn path_fields(p: &RelPath) -> (String, Option<String>) {
    p.to_json_fields()
}

impl Plan {
    /// Turn a scan into a plan. `git` is the repository the scan ran in, if any.
    pub fn build(
        root: &Path,
        scan: &ScanResult,
        rules: &RuleSet,
        git: Option<&GitInfo>,
        target: Option<u64>,
    ) -> Plan {
        // Tracked files under each entry; ignored or only untracked is asked once, for every
        // untracked entry together.
        let tracked: Vec<u64> = scan
            .found
            .iter()
            .map(|f| git.map_or(0, |g| g.tracked_under(&f.path) as u64))
            .collect();
        let ignored: HashSet<&RelPath> = match git {
            Some(g) => {
                let untracked: Vec<&RelPath> = (scan.found.iter().zip(&tracked))
                    .filter(|(_, &t)| t == 0)
                    .map(|(f, _)| &f.path)
                    .collect();
                let answers = g.ignored_among(&untracked);
                untracked
                    .into_iter()
                    .zip(answers)
                    .filter_map(|(p, ign)| ign.then_some(p))
                    .collect()
            }
            None => HashSet::new(),
        };
        // A path the project refers to is not junk, whatever its name: reported for review.
        let cands = crate::references::candidates(rules, &scan.found);
        let deleted = |p: &RelPath| scan.found.iter().any(|f| p.starts_with(&f.path));
        let refs = crate::references::find(root, git, &cands, &deleted);
        let entries: Vec<Entry> = scan
            .found
            .iter()
            .zip(tracked)
            .map(|(f, tracked)| {
                let rule = &rules.rules[f.rule];
                let referenced_by = refs.get(&f.path).cloned();
                let (path, path_hex) = path_fields(&f.path);
                let (git_state, all_tracked_clean) = match git {
                    None => (None, false),
                    Some(g) => {
                        let state = if tracked == 0 {
                            if ignored.contains(&f.path) {
                                GitState::Ignored
                            } else {
                                GitState::Untracked
                            }
                        } else if tracked >= f.stats.files {
                            GitState::Tracked
                        } else {
                            GitState::Mixed
                        };
                        let clean = f.stats.files > 0
                            && tracked == f.stats.files
                            && g.modified_under(&f.path) == 0;
                        (Some(state), clean)
                    }
                };
                // Only a built-in rule's word makes untracked files regenerable: a rule in a
                // config (even a trusted one) can misname a directory, so its selections are
                // backed up like any other.
                let recovery = if rule.regenerate.is_some() && rule.origin.builtin {
                    Recovery::Regenerable
                } else if all_tracked_clean {
                    Recovery::Git
                } else {
                    Recovery::Backup
                };
                Entry {
                    path,
                    path_hex,
                    kind: f.kind,
                    phase: rule.phase,
                    rule: rule.id.clone(),
                    action: if referenced_by.is_some() {
                        Action::Review
                    } else {
                        rule.action
                    },
                    recovery,
                    // The repository's lockfiles say the command where the rule lets them.
                    regenerate: rule
                        .rebuild
                        .and_then(|how| crate::rebuild::command(root, &f.path, how))
                        .or_else(|| rule.regenerate.clone()),
                    reason: match &referenced_by {
                        Some(r) => format!("{}; but {r} refers to it", rule.reason),
                        None => rule.reason.clone(),
                    },
                    referenced_by,
                    untrusted: rule.untrusted,
                    git: git_state,
                    bytes: f.stats.bytes,
                    disk_bytes: f.stats.disk_bytes,
                    files: f.stats.files,
                    dirs: f.stats.dirs,
                    identity: f.identity,
                }
            })
            .collect();

        let phases = rules
            .phases
            .iter()
            .map(|p| {
                let mut t = PhaseTotal {
                    phase: p.phase,
                    name: p.name.clone(),
                    title: p.title.clone(),
                    entries: 0,
                    review: 0,
                    files: 0,
                    bytes: 0,
                    disk_bytes: 0,
                    share_of_target: None,
                };
                for e in entries
                    .iter()
                    .filter(|e| e.phase == p.phase && !e.untrusted)
                {
                    if e.action == Action::Review {
                        t.review += 1;
                        continue;
                    }
                    t.entries += 1;
                    t.files += e.files;
                    t.bytes += e.bytes;
                    t.disk_bytes += e.disk_bytes;
                }
                t.share_of_target = target.map(|g| crate::size::percent(t.bytes, g));
                t
            })
            .collect::<Vec<_>>();
        let deleting = entries
            .iter()
            .filter(|e| e.action == Action::Delete && !e.untrusted);
        let total_bytes: u64 = deleting.clone().map(|e| e.bytes).sum();
        let total_disk_bytes: u64 = deleting.map(|e| e.disk_bytes).sum();

        let protected = scan
            .protected
            .iter()
            .map(|p| {
                let (path, path_hex) = path_fields(&p.path);
                ProtectedEntry {
                    path,
                    path_hex,
                    protection: p.protection,
                    keep_rule: p.keep_rule.map(|r| rules.rules[r].id.clone()),
                    matched_rule: p.shadowed.map(|r| rules.rules[r].id.clone()),
                }
            })
            .collect();
        let notes = scan
            .notes
            .iter()
            .map(|n| {
                let (path, path_hex) = path_fields(&n.path);
                NoteEntry {
                    path,
                    path_hex,
                    kind: n.kind,
                    message: n.message.clone(),
                }
            })
            .collect();
        let root_rel =
            RelPath::from_bytes(std::os::unix::ffi::OsStrExt::as_bytes(root.as_os_str()));
        let (root_s, root_hex) = path_fields(&root_rel);
        let body_hash = body_hash(&entries);
        Plan {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").into(),
            created: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            root: root_s,
            root_hex,
            root_identity: scan.root_identity,
            git: git.map(|g| GitHeader {
                head: g.head.clone(),
                tracked_files: g.tracked_count() as u64,
                modified_files: g.modified_count(),
            }),
            rules_hash: rules.hash(),
            untrusted_config: None,
            target_bytes: target,
            tree: scan.tree,
            git_dir: scan.git_dir,
            total_bytes,
            total_disk_bytes,
            after_bytes: scan.tree.bytes.saturating_sub(total_bytes),
            phases,
            entries,
            protected,
            notes,
            contexts: Vec::new(),
            body_hash,
        }
    }

    /// Entries `apply` deletes (review entries are only reported).
    pub fn deletions(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.action == Action::Delete)
    }

    pub fn reviews(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.action == Action::Review)
    }
}

/// BLAKE3 of the canonical JSON of the entries.
pub fn body_hash(entries: &[Entry]) -> String {
    let json = serde_json::to_vec(entries).unwrap_or_default();
    blake3::hash(&json).to_hex().to_string()
}
