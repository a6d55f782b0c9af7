//! Writing `.gitignore` and `.dockerignore`, each in its own dialect, as a managed block.
//!
//! The lines come from the rules in force (each rule carries its `gitignore` and `dockerignore`
//! lines), for the rules that matched something in this tree, added to what the block already
//! holds (it only grows: see [`wanted`]). The block sits between marker
//! lines; every user line outside it is kept, in order; an entry the user already has, or an
//! equivalent one, is not repeated; a second run changes nothing. Files are replaced
//! atomically (temp file, fsync, rename, keeping the mode), and a symlinked or special file is
//! refused. A `.dockerignore` line that would exclude something a Dockerfile COPYs is dropped.

mod block;
mod context_file;
mod docker_env;
mod docker_keep;
mod docker_own;
pub mod encoding;
mod git_effect;
mod own_paths;

pub use block::render;
use block::{content, parts};
pub use docker_keep::{
    keep_copy_sources, keep_git_for_readers, keep_reincluded, sample_of as copy_sample,
};
pub use git_effect::lines_ignoring;

use std::path::{Path, PathBuf};

use crate::docker::compose::Build;
use crate::error::{Error, Result};
use crate::fsx::Place;
use crate::plan::Plan;
use crate::relpath::RelPath;
use crate::rules::RuleSet;
use crate::scan::ScanResult;

pub const BEGIN: &str =
    "# >>> mami-clean managed block: `mami-clean ignore --write` rewrites it; edit outside it";
pub const END: &str = "# <<< mami-clean managed block";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Git,
    Docker,
}

/// Lines always wanted in a `.dockerignore`: the repository's own history is never needed in an
/// image (BuildKit drops it only for git-URL contexts, not local directories).
const DOCKER_BASELINE: &[&str] = &[".git"];

/// What the rules say about one dialect's lines.
struct Wants {
    /// The lines of the rules in force, in rule order, each once, with whether a rule asking
    /// for it matched something in this tree.
    lines: Vec<(String, bool)>,
    /// The lines of disabled rules (that no rule in force asks for too).
    disabled: std::collections::HashSet<String>,
}

/// The wanted lines, a rule's counting as matched when it matched something `within` that
/// directory (the whole tree: `None`).
fn candidates(
    rules: &RuleSet,
    plan: &Plan,
    scan: &ScanResult,
    dialect: Dialect,
    within: Option<&RelPath>,
) -> Wants {
    let inside = |p: &RelPath| within.is_none_or(|w| p.starts_with(w));
    let mut out: Vec<(String, bool)> = Vec::new();
    if dialect == Dialect::Docker {
        out.extend(DOCKER_BASELINE.iter().map(|s| (s.to_string(), true)));
    }
    // The rules matching some kept path (as a file or a directory), asked once per path.
    let mut keeping = std::collections::HashSet::new();
    let mut hits = Vec::new();
    for k in scan.kept.iter().filter(|k| inside(k)) {
        for is_dir in [false, true] {
            rules.matching(k, is_dir, &mut hits);
            keeping.extend(hits.iter().copied());
        }
    }
    let lines_of = |r: &crate::rules::Rule| match dialect {
        Dialect::Git => r.gitignore.clone(),
        Dialect::Docker => r.dockerignore.clone(),
    };
    for (i, r) in rules.rules.iter().enumerate().filter(|(_, r)| r.enabled) {
        // A selection the project uses (an action's committed `dist/`) wants no line: the
        // rule is wrong about it, not the ignore file.
        let matched = plan.entries.iter().any(|e| {
            e.rule == r.id && e.referenced_by.is_none() && e.rel().is_some_and(|p| inside(&p))
        }) || plan.protected.iter().any(|p| {
            // A keep rule's, or a selection kept only as an uncommitted change: still the
            // rule's, and wants its line (a `__pycache__` just taken out of the index with
            // `git rm --cached`).
            let modified = p.protection == crate::classify::Protection::TrackedModified;
            let rules = (p.keep_rule.as_deref()).or(p.matched_rule.as_deref().filter(|_| modified));
            rules == Some(&r.id)
                && RelPath::from_json_fields(&p.path, p.path_hex.as_deref())
                    .is_some_and(|p| inside(&p))
        }) || (r.action == crate::rules::Action::Keep && keeping.contains(&i));
        for l in lines_of(r) {
            match out.iter_mut().find(|(x, _)| *x == l) {
                Some((_, m)) => *m |= matched,
                None => out.push((l, matched)),
            }
        }
    }
    let disabled = rules
        .rules
        .iter()
        .filter(|r| !r.enabled)
        .flat_map(lines_of)
        .filter(|l| !out.iter().any(|(x, _)| x == l))
        .collect();
    Wants {
        lines: out,
        disabled,
    }
}

/// The lines the managed block of a file holding `existing` should hold: the block's lines as
/// they stand, in their order, then the lines of rules that matched something in this tree
/// that it lacks, in rule order. Once `apply` has removed what a rule matched, the rule matches
/// nothing, and that is when its line matters: it keeps the junk from coming back. So the
/// block only grows, except that a disabled rule's lines leave it (and [`keep_copy_sources`]
/// and [`render`] drop what would exclude a COPY source or what the user's own lines already
/// cover). A line no rule knows, written by another version's rules or typed into the block,
/// stays: it cannot be told from one that guards something. Lines already there keep their
/// place, so a write changes only what it must.
fn wanted(w: &Wants, existing: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in parts(existing).block {
        if !l.trim().is_empty() && !w.disabled.contains(l) && !out.iter().any(|x| x == l) {
            out.push(l.to_string());
        }
    }
    for (l, matched) in &w.lines {
        if *matched && !out.contains(l) {
            out.push(l.clone());
        }
    }
    out
}

/// One ignore file to bring up to date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    pub path: PathBuf,
    /// `path` relative to the repository root, for messages.
    pub shown: String,
    pub dialect: Dialect,
    pub before: String,
    pub after: String,
    /// Lines not written, each with why: a Dockerfile COPYs what it would exclude, the lines
    /// already there cover it, or it would ignore a tracked file.
    pub dropped: Vec<String>,
    /// The file is on disk (one that is not, and need not be made, is "not needed").
    pub exists: bool,
}

impl Change {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }

    /// Wanted lines the file lacks (the block's content, not its markers).
    pub fn missing(&self) -> Vec<&str> {
        content(self.diff().0)
    }

    /// Lines the write removes from the block: no rule in force asks for them any more.
    pub fn extra(&self) -> Vec<&str> {
        content(self.diff().1)
    }

    /// The lines added and removed, for a preview.
    pub fn diff(&self) -> (Vec<&str>, Vec<&str>) {
        // Sets, not `Vec::contains`: a 100,000-line file made this 10^10 comparisons (29 s).
        let b: std::collections::HashSet<&str> = self.before.lines().collect();
        let a: std::collections::HashSet<&str> = self.after.lines().collect();
        let added = self.after.lines().filter(|l| !b.contains(l)).collect();
        let removed = self.before.lines().filter(|l| !a.contains(l)).collect();
        (added, removed)
    }
}

fn read_existing(p: &Path) -> Result<String> {
    let bytes = crate::fsx::read_regular(p, crate::limits::MAX_IGNORE_BYTES, false)?;
    let bytes = bytes.unwrap_or_default();
    if let Some(why) = encoding::problem(&bytes) {
        return Err(Error::Usage(format!(
            "{}: {why}; refusing to rewrite it ({})",
            p.display(),
            encoding::fix(&p.display().to_string(), &why)
        )));
    }
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// [`read_existing`], refusing a file whose managed block has no end: the block runs to its end
/// marker, so without one every user line after the start would be taken for the block's and
/// dropped on the next write.
fn read_ignore_file(p: &Path) -> Result<String> {
    let text = read_existing(p)?;
    match parts(&text).unterminated {
        Some(line) => Err(Error::Config {
            location: crate::error::Location {
                file: p.display().to_string(),
                line,
                column: 1,
            },
            rule: None,
            message: format!(
                "the mami-clean managed block starts here and never ends: add the line `{END}` \
                 after its last line, or delete this one"
            ),
        }),
        None => Ok(text),
    }
}

/// The changes `ignore --write` would make: the root `.gitignore`, and the ignore file in force
/// (or the one to create) for every build context inside the root.
pub fn plan_changes(
    root: &Path,
    rules: &RuleSet,
    plan: &Plan,
    scan: &ScanResult,
    builds: &[Build],
    git: Option<&crate::git::GitInfo>,
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    let gi = root.join(".gitignore");
    let before = read_ignore_file(&gi)?;
    let exists = gi.symlink_metadata().is_ok();
    // A new `.gitignore` where the root's only one has a name git never reads (a
    // `.gitignore.txt`) starts from its lines: the project meant them.
    let base = match exists {
        true => before.clone(),
        false => crate::misnamed_ignore::seed(
            crate::misnamed_ignore::find(root, crate::misnamed_ignore::GIT),
            "git",
        ),
    };
    let mut git_wants = candidates(rules, plan, scan, Dialect::Git, None);
    for l in own_paths::uncovered(root, rules, plan) {
        if !git_wants.lines.iter().any(|(x, _)| *x == l) {
            git_wants.lines.push((l, true));
        }
    }
    let (lines, dropped) = git_lines(root, rules, plan, git, &base, wanted(&git_wants, &base));
    let after = render(&base, &lines, Dialect::Git);
    out.push(Change {
        exists,
        path: gi,
        shown: ".gitignore".into(),
        dialect: Dialect::Git,
        before,
        after,
        dropped,
    });

    // A build kept in a folder the cleanup deletes gets no .dockerignore of its own.
    let live: Vec<Build> = (builds.iter())
        .filter(|b| plan.deletes_build(root, b).is_none())
        .cloned()
        .collect();
    out.extend(context_file::changes(root, rules, plan, scan, &live, git)?);
    Ok(out)
}

/// The `.gitignore` block's lines, less the new ones git's semantics say not to add
/// ([`git_effect::Existing::refuse`]), and those, each with why. One that would ignore a
/// tracked file is written as the deleted paths it matches that come back (regenerable ones),
/// anchored, where those lines pass on their own. Lines already in the block stay.
fn git_lines(
    root: &Path,
    rules: &RuleSet,
    plan: &Plan,
    git: Option<&crate::git::GitInfo>,
    before: &str,
    wanted: Vec<String>,
) -> (Vec<String>, Vec<String>) {
    let p = parts(before);
    let mut existing: Vec<&str> = p.user.iter().map(|l| l.trim_end_matches('\r')).collect();
    existing.extend(p.block.iter().copied());
    // Tracked files the cleanup deletes are leaving git: the line that keeps them out is the point.
    let leaving = Leaving::of(plan);
    let stays = |t: &[u8]| leaving.stays(t);
    // Read once, and only if a new line is to be judged (most runs want none).
    let tracked = std::cell::OnceCell::new();
    let tracked = || -> &Vec<&[u8]> {
        tracked.get_or_init(|| {
            git.map(|g| g.tracked_files().filter(|t| stays(t)).collect())
                .unwrap_or_default()
        })
    };
    let (mut keep, mut dropped) = (Vec::new(), Vec::new());
    let judge = git_effect::Existing::new(root, &existing);
    for line in wanted {
        if p.block.contains(&line.as_str()) {
            keep.push(line);
            continue;
        }
        // The entries the line is for: its rules' selections, or the one it names (own_paths).
        let matched: Vec<(RelPath, bool)> = plan
            .entries
            .iter()
            .filter_map(|e| Some((e, e.rel()?, e.kind == crate::scan::EntryKind::Dir)))
            .filter(|(e, rel, dir)| {
                rules
                    .by_id(&e.rule)
                    .is_some_and(|r| r.gitignore.contains(&line))
                    || (*dir && own_paths::line_for(rel).as_ref() == Some(&line))
            })
            .map(|(_, rel, dir)| (rel, dir))
            .collect();
        match judge.refuse(&line, &matched, tracked(), git) {
            Some(git_effect::Refusal::Tracked(why)) => {
                let narrow = own_paths::instead_of(&judge, plan, &line, &matched, tracked(), git);
                if narrow.is_empty() || narrow.len() > docker_own::MAX_NARROWED {
                    dropped.push(format!("{line} ({why})"));
                    continue;
                }
                let shown = narrow.join(", ");
                dropped.push(format!("{line} ({why}; written as {shown} instead)"));
                keep.extend(
                    narrow
                        .into_iter()
                        .filter(|l| !p.block.contains(&l.as_str())),
                );
            }
            Some(git_effect::Refusal::Covered) => {}
            None => keep.push(line),
        }
    }
    let mut seen = std::collections::HashSet::new();
    keep.retain(|l| seen.insert(l.clone()));
    (keep, dropped)
}

/// The paths the plan deletes: what is at or below one of them is leaving the tree.
struct Leaving(foldhash::HashSet<Vec<u8>>);

impl Leaving {
    fn of(plan: &Plan) -> Leaving {
        Leaving(
            (plan.deletions())
                .filter_map(|e| Some(e.rel()?.as_bytes().to_vec()))
                .collect(),
        )
    }

    /// Whether the root-relative path `t` stays: no deletion holds it.
    fn stays(&self, t: &[u8]) -> bool {
        let mut p = t;
        while !p.is_empty() {
            if self.0.contains(p) {
                return false;
            }
            p = crate::relpath::parent_of(p);
        }
        true
    }
}

/// Whether `text` opens a managed block it never closes.
pub fn unterminated_block(text: &str) -> bool {
    parts(text).unterminated.is_some()
}

/// The 1-based numbers of the lines of the managed block in an ignore file holding `text`.
pub fn managed_block_lines(text: &str) -> Vec<usize> {
    parts(text).block_at
}

/// Write an ignore file of the tree at `root` (`path` is `root` joined with its place), atomically and
/// never through a link ([`Place`]): a `.dockerignore` in a build context that is a symlink
/// out of the repository is refused, not written.
pub fn write_in_tree(root: &Path, path: &Path, content: &str) -> Result<()> {
    let rel = path.strip_prefix(root).map_err(|_| {
        Error::Usage(format!(
            "{}: outside the repository {}; not written",
            path.display(),
            root.display()
        ))
    })?;
    let rel = RelPath::from_bytes(std::os::unix::ffi::OsStrExt::as_bytes(rel.as_os_str()));
    Place::below(root, &rel, true)?.replace(content.as_bytes(), None)
}

#[cfg(test)]
mod tests;
