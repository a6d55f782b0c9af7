//! A backup whose original is gone, where the project still names the original: neurolake's
//! `Dockerfile.dashboard` copies `advanced_databricks_dashboard.py`, which a commit deleted,
//! leaving only `advanced_databricks_dashboard.py.backup`. That copy is the only one the tree
//! holds of a file the project uses: kept for review, citing the line that names the original.

use std::collections::HashMap;

use super::{Candidate, RefKind, Reference};
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// The name of the file `name` is a copy of, by the marks editors, people and file managers
/// add: an extension (`x.py.bak`, `x.py.backup_2`, `x.py.old`, `x.py.orig`, `x.py.save`,
/// `x.py~`), the numbered or bracketed copies the backup rules know (`x - Copy (2).py`,
/// `x (copy).py`), or a mark at the end of the stem as the old-copies rule reads it
/// ([`crate::old_copies::original_by_suffix`]: `x - Copy.py`, `x copy.py`, `x_old.py`).
/// `None` for any other.
pub(super) fn original_of(name: &str) -> Option<String> {
    if let Some(o) = name.strip_suffix('~') {
        return (!o.is_empty()).then(|| o.to_string());
    }
    let (stem, ext) = name.rsplit_once('.')?;
    let lower = ext.to_ascii_lowercase();
    let marked = |w: &str| {
        lower.strip_prefix(w).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with(['_', '-'])
                || rest.bytes().all(|b| b.is_ascii_digit())
        })
    };
    if !stem.is_empty()
        && ["bak", "backup", "old", "orig", "save"]
            .iter()
            .any(|w| marked(w))
    {
        return Some(stem.to_string());
    }
    let numbered = || {
        let (base, n) = stem.strip_suffix(')')?.rsplit_once(" - Copy (")?;
        n.bytes().all(|b| b.is_ascii_digit()).then_some(base)
    };
    match stem.strip_suffix(" (copy)").or_else(numbered) {
        Some(base) => (!base.is_empty()).then(|| format!("{base}.{ext}")),
        None => String::from_utf8(crate::old_copies::original_by_suffix(name)?).ok(),
    }
}

/// For each candidate file nothing refers to whose original is missing from `root`: a
/// reference to that original, recorded as the candidate's ([`RefKind::Original`]).
pub(super) fn add(
    root: &std::path::Path,
    git: Option<&GitInfo>,
    cands: &[Candidate],
    deleted: &dyn Fn(&RelPath) -> bool,
    out: &mut HashMap<RelPath, Reference>,
) {
    let asked: Vec<(&RelPath, RelPath)> = (cands.iter())
        .filter(|c| !c.is_dir && c.within.is_none() && !out.contains_key(c.path))
        .filter_map(|c| {
            let name = std::str::from_utf8(c.path.file_name()).ok()?;
            let dir = c.path.parent().unwrap_or_else(RelPath::root);
            let original = dir.join(original_of(name)?.as_bytes());
            let gone = original.under(root).symlink_metadata().is_err();
            gone.then_some((c.path, original))
        })
        .collect();
    if asked.is_empty() {
        return;
    }
    let originals: Vec<Candidate> = (asked.iter())
        .map(|(_, o)| Candidate {
            path: o,
            is_dir: false,
            within: None,
        })
        .collect();
    let found = super::find_direct(root, git, &originals, deleted);
    for (copy, original) in &asked {
        if let Some(r) = found.get(original).filter(|r| names_here(r, original)) {
            let r = Reference {
                kind: RefKind::Original,
                ..r.clone()
            };
            out.insert((*copy).clone(), r);
        }
    }
}

/// Whether `r` names `original` itself: from a file in the same folder (a Dockerfile beside
/// it copying it by name), or with its folder (`open("config/settings.yaml")`). A bare common
/// name elsewhere is another file's: fire-ems-tools' `e2e/Dockerfile` copies its own
/// `package.json`, not the one the root's `package.json.backup` was made from.
fn names_here(r: &Reference, original: &RelPath) -> bool {
    let referrer = RelPath::from_bytes(r.file.as_bytes());
    referrer.parent() == original.parent()
        || !original.parent().is_none_or(|p| p.is_root()) && r.excerpt.contains(&original.display())
}

#[cfg(test)]
mod tests {
    use super::original_of;

    #[test]
    fn the_original_a_copy_is_named_after() {
        for (copy, original) in [
            ("advanced_dashboard.py.backup", "advanced_dashboard.py"),
            ("config.yaml.bak", "config.yaml"),
            ("app.py.bak2", "app.py"),
            ("app.py.backup_20250101", "app.py"),
            ("nginx.conf.old", "nginx.conf"),
            ("a.ts.orig", "a.ts"),
            ("main.go.save", "main.go"),
            ("notes.md~", "notes.md"),
            ("Dockerfile.old", "Dockerfile"),
            ("logo - Copy.jpg", "logo.jpg"),
            ("app - Copy (2).py", "app.py"),
            ("main copy.py", "main.py"),
            ("notes (copy).txt", "notes.txt"),
            ("utils_old.py", "utils.py"),
            ("index-old.html", "index.html"),
        ] {
            assert_eq!(original_of(copy).as_deref(), Some(original), "{copy}");
        }
        for name in [
            "app.py",
            "backup.sh",
            "old.py",
            "x.bakery",
            ".bak",
            "copy.py",
            "~",
        ] {
            assert_eq!(original_of(name), None, "{name}");
        }
    }
}
