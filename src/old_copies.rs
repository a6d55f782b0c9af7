//! The names a file would be an old copy of. People keep the version they are about to change
//! beside it under a marked name: `old_app.py`, `app_old.py`, `app.old.py`, `app_bak.py`,
//! `app copy.py` (Finder), `app - Copy.py` (Explorer). Such a name is a copy only while its
//! original is there too (`when.original`): `old_client_spec.lua` with no `client_spec.lua`
//! beside it is a test of an old client, not a copy.

/// Prefixes that mark an old copy (matched without regard to case).
const PREFIXES: &[&str] = &["old_", "old-"];

/// Suffixes of the stem (the name before its last extension) that mark one. Not `_backup` or
/// `_copy`: those are words of the project's own (velero's `ark_backup.md` documents the `ark
/// backup` command; formbricks' `two-factor-backup.tsx` shows backup codes).
/// The longest first: `app - Copy.py` is a copy of `app.py`, not of `app -.py`.
const SUFFIXES: &[&str] = &[" - copy", "_old", "-old", ".old", "_bak", "-bak", " copy"];

/// The originals `name` would be a copy of, each a name in the same directory: `app.py` for
/// `old_app.py`, `app_old.py`, `app.old.py`; `requirements.txt` for `old_requirements.txt`;
/// `Makefile` for `Makefile_old`. Empty when the name carries no marker, or nothing is left
/// without it.
pub fn originals(name: &[u8]) -> Vec<Vec<u8>> {
    let Ok(name) = std::str::from_utf8(name) else {
        return Vec::new();
    };
    let lower = name.to_ascii_lowercase();
    let mut out = Vec::new();
    for p in PREFIXES {
        if lower.starts_with(p) && name.len() > p.len() {
            out.push(name.as_bytes()[p.len()..].to_vec());
        }
    }
    // The stem ends at the last dot that does not start the name (`.env_old` is all stem), so
    // `.old` marks `app.old.py` but is the extension of `Dockerfile.old` (backup-files takes
    // those).
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    };
    let stem_lower = stem.to_ascii_lowercase();
    if let Some(s) = SUFFIXES
        .iter()
        .find(|s| stem_lower.ends_with(*s) && stem.len() > s.len())
    {
        out.push(format!("{}{ext}", &stem[..stem.len() - s.len()]).into_bytes());
    }
    out
}

/// Download and copy marks a copy of a whole folder carries after the folder's name: GitHub's
/// archive (`shop-main`, `shop-master`), a browser's second download (`shop (1)`), a file
/// manager's copy (`shop copy`, `shop - Copy`).
const FOLDER_SUFFIXES: &[&str] = &[
    "", "-main", "-master", " (1)", " (2)", " copy", " - copy", "_copy", "-copy", "_old", "-old",
    "_backup", "-backup",
];

/// Names beside a directory that must be inside it too for it to be a copy of its parent: at
/// least this many, and at least half of them.
const MIN_SHARED: usize = 5;

/// Why the directory `name` is not a copy of the folder holding it (`None`: it is). A copy is
/// named like that folder, less a mark of [`FOLDER_SUFFIXES`], and holds at least half of the
/// names beside it (and [`MIN_SHARED`]): `shop/shop/` holding `README.md`, `docker-compose.yml`,
/// `backend`… again. A Python package named like its project (`shop/shop/__init__.py`) holds
/// none of its project's names.
pub fn not_a_copy_of_parent(
    name: &[u8],
    is_dir: bool,
    facts: &dyn crate::classify::Facts,
) -> Option<String> {
    let shown = String::from_utf8_lossy(name);
    let parent = facts.parent_name()?;
    let lower = String::from_utf8_lossy(name).to_lowercase();
    let parent_lower = String::from_utf8_lossy(parent).to_lowercase();
    let named = FOLDER_SUFFIXES
        .iter()
        .any(|s| lower.strip_suffix(s) == Some(parent_lower.as_str()));
    if !is_dir || !named {
        return Some(format!(
            "`{shown}` is not named like the folder that holds it (`{}`)",
            String::from_utf8_lossy(parent)
        ));
    }
    // The repository's `.git` is no name of the project's: a download holds none.
    let others: Vec<&[u8]> = facts
        .siblings()
        .into_iter()
        .filter(|n| *n != name && !crate::classify::is_git_name(n))
        .collect();
    let shared = others
        .iter()
        .filter(|n| std::str::from_utf8(n).is_ok_and(|n| facts.has_inside(n)))
        .count();
    if shared < MIN_SHARED || shared * 2 < others.len() {
        return Some(format!(
            "it holds {shared} of the {} names beside it: not a copy of its folder",
            others.len()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(name: &str) -> Vec<String> {
        originals(name.as_bytes())
            .into_iter()
            .map(|n| String::from_utf8(n).unwrap())
            .collect()
    }

    #[test]
    fn marked_names_and_their_originals() {
        for n in [
            "old_app.py",
            "Old-app.py",
            "app_old.py",
            "app-OLD.py",
            "app.old.py",
            "app_bak.py",
            "app copy.py",
            "app - Copy.py",
        ] {
            assert_eq!(of(n), ["app.py"], "{n}");
        }
        assert_eq!(of("old_requirements.txt"), ["requirements.txt"]);
        assert_eq!(of("Makefile_old"), ["Makefile"]);
        assert_eq!(of(".env_old"), [".env"]);
        assert_eq!(of("é_old.py"), ["é.py"]);
    }

    #[test]
    fn names_without_a_marker_or_an_original() {
        for n in [
            "app.py",
            "old.py",
            "_old.py",
            "old_",
            "bold_app.py",
            "02-old_client_spec.lua",
            "Dockerfile.old",
            "golden.txt",
            "threshold.py",
            "ark_backup.md",
            "two-factor-backup.tsx",
            "clipboard_copy.js",
            "é.py",
        ] {
            assert!(of(n).is_empty(), "{n}: {:?}", of(n));
        }
    }
}
