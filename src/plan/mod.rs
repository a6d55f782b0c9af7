//! The plan: what `apply` would delete, as a value. `plan --format json` prints it, `plan --out`
//! saves it, and `apply` (issue 3) reads the same document back, so the preview and the act
//! cannot drift apart.
//!
//! A plan is built from a scan with [`Plan::build`]; it holds everything `apply` needs to
//! re-verify each entry (type, dev, inode, size, mtime and ctime; for a directory its file count
//! and bytes), a header that binds it to the tree and the rules it was made from, and a hash of
//! its body so an edited plan can be told from a fresh one.

mod file;
mod inside;
mod types;

use std::collections::HashSet;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::git::GitInfo;
use crate::relpath::RelPath;
use crate::rules::{Action, RuleSet};
use crate::scan::{EntryKind, ScanResult};

pub use file::{check_path, load, load_from, save};
pub use inside::{look_inside, looks_into, planned_inside};
pub use types::*;

pub const FORMAT: &str = "mami-clean-plan";
pub const FORMAT_VERSION: u32 = 1;

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
        Self::build_keeping(root, scan, rules, git, target, &HashSet::new())
    }

    /// [`Plan::build`], where the selected directories in `kept` are known to stay (a guard
    /// kept them, see [`look_inside`]): what they hold is not taken as deleted.
    fn build_keeping(
        root: &Path,
        scan: &ScanResult,
        rules: &RuleSet,
        git: Option<&GitInfo>,
        target: Option<u64>,
        kept: &HashSet<RelPath>,
    ) -> Plan {
        // Tracked files under each entry; ignored or only untracked is asked once, for every
        // untracked entry together.
        let tracked: Vec<u64> = scan
            .found
            .iter()
            .map(|f| git.map_or(0, |g| g.tracked_under(&f.path) as u64))
            .collect();
        // Git's answer on the untracked entries (a `git check-ignore` to start and ask) comes
        // while the references are searched.
        let untracked: Vec<&RelPath> = (scan.found.iter().zip(&tracked))
            .filter(|(_, &t)| t == 0)
            .map(|(f, _)| &f.path)
            .collect();
        // What a review rule reports stays (`.vscode/`, a tool's config), and so refers. Asked
        // of every tracked file: a lookup of it and each folder above it, not a pass over
        // the selections (74,779 files on fire-ems-tools).
        let gone: foldhash::HashSet<&[u8]> = (scan.found.iter())
            .filter(|f| rules.rules[f.rule].action != Action::Review && !kept.contains(&f.path))
            .map(|f| f.path.as_bytes())
            .collect();
        let deleted = |p: &RelPath| crate::relpath::within_any(p.as_bytes(), &gone);
        let (answers, refs, actions, in_use) = std::thread::scope(|s| {
            let answers = git.map(|g| s.spawn(|| g.ignored_among(&untracked)));
            // A path the project refers to is not junk, whatever its name: reported for
            // review.
            let cands = crate::references::candidates(rules, &scan.found);
            // Nor is what a running service uses (its mounted data, a live pid file): read on
            // another core while the references are searched.
            let in_use = s.spawn(|| crate::in_use::InUse::at(root, git, &deleted));
            let mut refs = crate::references::find(root, git, &cands, &deleted);
            crate::references::add_edits(git, rules, &scan.found, &mut refs);
            // Whatever rule selected it: a path a GitHub Action runs is the action's code.
            let actions = crate::gh_action::Actions::at(root, git);
            let in_use = in_use
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            let answers =
                answers.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            (answers, refs, actions, in_use)
        });
        let ignored: HashSet<&RelPath> = match answers {
            Some(answers) => (untracked.iter().zip(answers))
                .filter_map(|(p, ign)| ign.then_some(*p))
                .collect(),
            None => HashSet::new(),
        };
        let entries: Vec<Entry> = scan
            .found
            .iter()
            .zip(tracked)
            .map(|(f, tracked)| {
                let rule = &rules.rules[f.rule];
                let referenced_by = refs
                    .get(&f.path)
                    .cloned()
                    .or_else(|| actions.covering(&f.path))
                    .or_else(|| {
                        let file = f.kind == EntryKind::File;
                        in_use.covering(root, &f.path, file, rule.in_service_data)
                    });
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
                        Some(r) => format!("{}; {}", rule.reason, r.but()),
                        None => rule.reason.clone(),
                    },
                    referenced_by,
                    untrusted: rule.untrusted,
                    part_of: f.split_from.as_ref().map(|p| p.display()),
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
            local_data: local_data(scan, rules, git),
        }
    }

    /// Entries `apply` deletes (review entries are only reported).
    pub fn deletions(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.action == Action::Delete)
    }

    /// The deletion that removes `rel` (the entry itself or a directory above it), if any.
    pub fn deletion_holding(&self, rel: &RelPath) -> Option<&Entry> {
        self.deletions()
            .find(|e| e.rel().is_some_and(|p| rel.starts_with(&p)))
    }

    /// Whether an entry, deleted or for review, is `rel` or a directory above it.
    pub fn selecting(&self, rel: &RelPath) -> bool {
        (self.entries.iter()).any(|e| e.rel().is_some_and(|p| rel.starts_with(&p)))
    }

    /// The deletion that takes `b`'s Dockerfile with it: a build kept in a backup folder
    /// (chatvote's `backup/docker-compose.yml`) goes with the cleanup, and nothing is audited or
    /// written for it.
    pub fn deletes_build(&self, root: &Path, b: &crate::docker::Build) -> Option<&Entry> {
        if b.dockerfile_inline {
            return None;
        }
        let rel = b.dockerfile.strip_prefix(root).ok()?;
        self.deletion_holding(&RelPath::from_bytes(rel.as_os_str().as_bytes()))
    }

    pub fn reviews(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.action == Action::Review)
    }
}

/// `entries` grouped by rule, groups in the order their rules first appear: what the audit
/// and the gate report as one finding each (37 committed `__pycache__` are one problem).
pub fn by_rule<'a>(entries: impl Iterator<Item = &'a Entry>) -> Vec<Vec<&'a Entry>> {
    let mut groups: Vec<Vec<&Entry>> = Vec::new();
    for e in entries {
        match groups.iter_mut().find(|g| g[0].rule == e.rule) {
            Some(g) => g.push(e),
            None => groups.push(vec![e]),
        }
    }
    groups
}

/// BLAKE3 of the canonical JSON of the entries.
pub fn body_hash(entries: &[Entry]) -> String {
    let json = serde_json::to_vec(entries).unwrap_or_default();
    blake3::hash(&json).to_hex().to_string()
}

/// The kept paths a `local_data` rule matched that git tracks nothing of: without git, none
/// (what a project ships cannot be told from what it wrote). [`Plan::local_data`], and what
/// the ignore-file writer reads from its scan (a reviewed plan read back has none). A path
/// another keep rule kept counts only where the local rule's `beside` guard holds too (a
/// `media/` beside `manage.py`).
pub fn local_data(scan: &ScanResult, rules: &RuleSet, git: Option<&GitInfo>) -> Vec<RelPath> {
    let Some(g) = git else {
        return Vec::new();
    };
    let beside = |r: &crate::rules::Rule, k: &RelPath| {
        let dir = k.parent().unwrap_or_default().under(&g.workdir);
        r.guards.beside.is_empty()
            || std::fs::read_dir(dir).is_ok_and(|mut d| {
                d.any(|e| e.is_ok_and(|e| r.beside_matches(e.file_name().as_encoded_bytes())))
            })
    };
    let mut hits = Vec::new();
    let mut local = |k: &RelPath| {
        [false, true].into_iter().any(|is_dir| {
            rules.matching(k, is_dir, &mut hits);
            (hits.iter()).any(|&i| rules.rules[i].local_data && beside(&rules.rules[i], k))
        })
    };
    (scan.kept.iter())
        .filter(|k| local(k) && g.tracked_under(k) == 0)
        .cloned()
        .collect()
}
