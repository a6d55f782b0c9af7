//! Entry × rules → verdict. Pure: the facts a guard needs (names beside the entry, what is inside
//! it, its age, its git state) come through the [`Facts`] trait, so the same code classifies the
//! real tree during a scan and the virtual tree of a rule's examples in `rules test`.
//!
//! Precedence, highest first: built-in protections (not configurable) → keep rules → the first
//! delete or review rule in phase order whose guards pass → nothing.

use crate::relpath::RelPath;
use crate::rules::{Action, GitGuard, Rule, RuleSet};

/// What the classifier may ask about the entry it is judging. Each is asked only when a rule
/// that matched the path has a guard that needs it.
pub trait Facts {
    /// Names in the entry's parent directory (the entry's own name included).
    fn siblings(&self) -> Vec<&[u8]>;
    /// The name of the entry's parent directory (for an entry at the top, the repository's
    /// own directory); `None` when it has none (the file system's root).
    fn parent_name(&self) -> Option<&[u8]>;
    /// Whether `<entry>/<name>` exists (for directories).
    fn has_inside(&self, name: &str) -> bool;
    /// The names inside the directory `name` beside the entry; `None` when it is no directory.
    fn names_in_sibling(&self, name: &[u8]) -> Option<Vec<Vec<u8>>>;
    /// Days since the entry's mtime; `None` when unknown (the guard then passes).
    fn age_days(&self) -> Option<f64>;
    /// The entry's git state.
    fn git_state(&self) -> GitGuard;
    /// The content of the file `name` in the entry's directory (the entry itself included).
    fn read_beside(&self, name: &[u8]) -> Content;
}

/// A file's content as a guard sees it.
pub enum Content {
    /// The tree has no contents to read (`rules test`'s virtual tree): the guard passes.
    Unknown,
    /// Not a regular file that can be read, or over the size compared.
    Unreadable,
    Bytes(Vec<u8>),
}

/// Protections no rule or config can turn off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// `.git` in any spelling git itself treats as `.git` (case-folded, trailing dots or
    /// spaces, the 8.3 short name `git~1`).
    GitDir,
    /// A directory holding its own `.git`, or a submodule: deleting it loses its history.
    NestedRepo,
    /// A mount point inside the tree (another filesystem, or a bind mount).
    MountPoint,
    /// mami-clean's own state, config or backups.
    OwnState,
    /// A tracked file with uncommitted changes (or a directory holding one).
    TrackedModified,
    /// A keep rule matched it (or a directory below it).
    Keep,
    /// A directory that cannot be read: what is inside is unknown, so it is not selected.
    Unreadable,
}

impl Protection {
    pub fn describe(self) -> &'static str {
        match self {
            Protection::GitDir => "git's own directory",
            Protection::NestedRepo => "a nested git repository or submodule (never entered)",
            Protection::MountPoint => "a mount point (another filesystem; never crossed)",
            Protection::OwnState => "mami-clean's own state",
            Protection::TrackedModified => "a tracked file with uncommitted changes",
            Protection::Keep => "kept by a keep rule",
            Protection::Unreadable => "a directory that cannot be read (contents unknown)",
        }
    }
}

/// `.git`, `.GIT`, `.git.`, `.git  `, `git~1`: every name git refuses to check out as a
/// path component (git's `is_ntfs_dotgit`/`is_hfs_dotgit` spirit), so no spelling slips through.
pub fn is_git_name(name: &[u8]) -> bool {
    let trimmed = {
        let mut n = name;
        while let [rest @ .., b'.' | b' '] = n {
            n = rest;
        }
        n
    };
    trimmed.eq_ignore_ascii_case(b".git") || name.eq_ignore_ascii_case(b"git~1")
}

/// `.env`, `.env.local`, `.env.production`, and the copies people keep of one (`.env_backup`,
/// `.env-old`, an editor's or a file manager's `.env~`, `.env copy`, `.env (1)`: committed in
/// hundreds to thousands of public repositories, with the keys of the `.env` it copies): the
/// names keep rules are asked about even inside a selected dependency or build directory,
/// whose other files are all regenerable, and the names `audit` judges as environment files.
pub fn is_env_name(name: &[u8]) -> bool {
    let copies: [&[u8]; 4] = [b".env.", b".env_", b".env-", b".env "];
    name == b".env" || name == b".env~" || copies.iter().any(|p| name.starts_with(p))
}

/// Marker file written into every mami-clean backup directory, so a backup placed inside a tree
/// is never itself cleaned.
pub const BACKUP_MARKER: &str = ".mami-clean-backup";

/// mami-clean's own files: its config, its state directory, and backups (by their marker).
pub fn is_own_state(path: &RelPath, name: &[u8]) -> bool {
    path.as_bytes() == b"mami-clean.toml"
        || name == b".mami-clean"
        || name == BACKUP_MARKER.as_bytes()
}

/// The classifier's answer for one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No rule applies: the path is walked into (if a directory) and its children judged.
    None,
    /// A keep rule matched. `shadowed` is the delete/review rule that would otherwise have won.
    Keep {
        rule: usize,
        shadowed: Option<usize>,
    },
    /// A delete or review rule matched and its guards passed.
    Select { rule: usize },
}

/// Judge one path. `scratch` is reused between calls to avoid an allocation per path.
pub fn classify(
    rules: &RuleSet,
    path: &RelPath,
    is_dir: bool,
    facts: &dyn Facts,
    scratch: &mut Vec<usize>,
) -> Verdict {
    rules.matching(path, is_dir, scratch);
    if scratch.is_empty() {
        return Verdict::None;
    }
    let mut keep = None;
    let mut select = None;
    for &ri in scratch.iter() {
        let rule = &rules.rules[ri];
        let wanted = match rule.action {
            Action::Keep => keep.is_none(),
            Action::Delete | Action::Review => select.is_none(),
        };
        if !wanted || !guard_failures(rule, path.file_name(), is_dir, facts).is_empty() {
            continue;
        }
        // A repository's own rules select only what git cannot give back anyway: untracked or
        // ignored paths. Tracked files need a built-in rule or the user's own config.
        if rule.repo_local && rule.action != Action::Keep && facts.git_state() == GitGuard::Tracked
        {
            continue;
        }
        match rule.action {
            Action::Keep => keep = Some(ri),
            _ => select = Some(ri),
        }
    }
    match (keep, select) {
        (Some(rule), shadowed) => Verdict::Keep { rule, shadowed },
        (None, Some(rule)) => Verdict::Select { rule },
        (None, None) => Verdict::None,
    }
}

/// Why `when.starts_like` or `when.not_starts_like` fails for the entry named `name`, if one
/// does. Only a file is read, and only for a rule that has one of them; a tree with no
/// contents (`rules test`) passes both.
fn content_failure(rule: &Rule, name: &[u8], is_dir: bool, facts: &dyn Facts) -> Option<String> {
    let (like, unlike) = rule.content_guards();
    if like.is_none() && unlike.is_none() {
        return None;
    }
    // A directory has no start to read: it is judged as an unreadable file.
    let content = match is_dir {
        true => Content::Unreadable,
        false => facts.read_beside(name),
    };
    let body = match content {
        Content::Unknown => return None,
        Content::Unreadable => None,
        Content::Bytes(b) => Some(b),
    };
    let starts = |re: &regex::bytes::Regex| body.as_deref().is_some_and(|b| re.is_match(b));
    let g = &rule.guards;
    let shown = |p: &Option<String>| p.clone().unwrap_or_default();
    match (like, unlike) {
        (Some(re), _) if !starts(re) => {
            Some(format!("its start is not like `{}`", shown(&g.starts_like)))
        }
        (_, Some(re)) if starts(re) => {
            Some(format!("its start is like `{}`", shown(&g.not_starts_like)))
        }
        _ => None,
    }
}

/// Every guard of `rule` that does not hold for the entry named `name`, as a sentence (empty:
/// all pass). `explain` prints these; `classify` only needs to know whether the list is empty.
pub fn guard_failures(rule: &Rule, name: &[u8], is_dir: bool, facts: &dyn Facts) -> Vec<String> {
    let g = &rule.guards;
    let mut fails = Vec::new();
    if g.original {
        let sib = facts.siblings();
        let of = crate::old_copies::originals(name);
        if !of.iter().any(|o| sib.contains(&o.as_slice())) {
            let names: Vec<String> = of
                .iter()
                .map(|o| format!("`{}`", String::from_utf8_lossy(o)))
                .collect();
            fails.push(match names.is_empty() {
                true => "its name marks no copy of another file".to_string(),
                false => format!(
                    "{} is not beside it: a copy of nothing here",
                    names.join(" or ")
                ),
            });
        }
    }
    if g.same_as_original {
        if let Some(why) = crate::old_copies::not_a_worded_copy(name, facts) {
            fails.push(why);
        }
    }
    if g.copy_of_sibling {
        if let Some(why) = crate::dir_copies::not_a_copy_of_sibling(name, is_dir, facts) {
            fails.push(why);
        }
    }
    if g.copy_of_parent {
        if let Some(why) = crate::old_copies::not_a_copy_of_parent(name, is_dir, facts) {
            fails.push(why);
        }
    }
    if !g.beside.is_empty() || !g.not_beside.is_empty() {
        let sib = facts.siblings();
        if !g.beside.is_empty() && !sib.iter().any(|n| rule.beside_matches(n)) {
            fails.push(format!("none of [{}] is beside it", g.beside.join(", ")));
        }
        if let Some(n) = sib.iter().find(|n| rule.not_beside_matches(n)) {
            fails.push(format!("`{}` is beside it", String::from_utf8_lossy(n)));
        }
    }
    if let Some(why) = content_failure(rule, name, is_dir, facts) {
        fails.push(why);
    }
    let inside_ok = is_dir && g.inside.iter().any(|n| facts.has_inside(n));
    if !g.inside.is_empty() && !inside_ok {
        fails.push(format!("none of [{}] is inside it", g.inside.join(", ")));
    }
    if let Some(n) = (g.not_inside.iter()).find(|n| is_dir && facts.has_inside(n)) {
        fails.push(format!("`{n}` is inside it"));
    }
    if let (Some(min), Some(age)) = (g.min_age_days, facts.age_days()) {
        if age < f64::from(min) {
            fails.push(format!(
                "modified {age:.0} days ago, younger than {min} days"
            ));
        }
    }
    if !g.git.is_empty() {
        let st = facts.git_state();
        if !g.git.contains(&st) {
            fails.push(format!("git state is {st:?}, not one of {:?}", g.git).to_lowercase());
        }
    }
    fails
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_dot_git_is_protected() {
        for n in [
            ".git", ".GIT", ".Git", ".git.", ".git ", ".git. .", "git~1", "GIT~1",
        ] {
            assert!(is_git_name(n.as_bytes()), "{n:?}");
        }
        for n in [".github", ".gitignore", "git", ".gitx", "x.git"] {
            assert!(!is_git_name(n.as_bytes()), "{n:?}");
        }
    }
}
