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
