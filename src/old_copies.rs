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
    out.extend(less_suffix(name, SUFFIXES));
    out.extend(temp_of(name));
    out
}

/// The file a tool was writing as `name` + `.tmp` before renaming it over the file (`app.ts`
/// for `app.ts.tmp`): only a name that keeps an extension of its own without it.
fn temp_of(name: &str) -> Option<Vec<u8>> {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".tmp")?;
    stem.rfind('.').filter(|&i| i > 0 && i + 1 < stem.len())?;
    Some(name.as_bytes()[..stem.len()].to_vec())
}

/// The original `name` would be a copy of by a mark at the end of its stem (`app.py` for
/// `app_old.py`, `app copy.py`, `app - Copy.py`, `app.old.py`), not by a prefix: what a backup
/// of a missing file is asked after ([`crate::references`]).
pub fn original_by_suffix(name: &str) -> Option<Vec<u8>> {
    less_suffix(name, SUFFIXES)
}

/// `name` less the first of `suffixes` its stem ends with (`app.py` for `app_old.py`). The stem
/// ends at the last dot that does not start the name (`.env_old` is all stem), so `.old` marks
/// `app.old.py` but is the extension of `Dockerfile.old` (backup-files takes those).
fn less_suffix(name: &str, suffixes: &[&str]) -> Option<Vec<u8>> {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    };
    let stem_lower = stem.to_ascii_lowercase();
    let s = suffixes
        .iter()
        .find(|s| stem_lower.ends_with(*s) && stem.len() > s.len())?;
    Some(format!("{}{ext}", &stem[..stem.len() - s.len()]).into_bytes())
}

/// Words that mark a copy but are also words of a project's own: `db_backup.py` backs up a
/// database, `two-factor-backup.tsx` shows backup codes, `clipboard_copy.js` copies. A name
/// with one is a copy only when most of its lines are its original's. Of the `app_backup.py`
/// files 2,547 public repositories commit beside an `app.py`, many are an older app the
/// project means to bring back (survey-analysis-platform's 727 lines, while `app.py` is a
/// 33-line stand-in): those share few lines and stay.
/// A browser's or file manager's number for a second download of a name (`app (1).py`, and
/// `app(1).py` without the space) asks the same: a later download may be the newer file. The
/// spaced ones first: `app (1).py` is a copy of `app.py`, not of `app .py`.
const WORD_SUFFIXES: &[&str] = &[
    "_backup", "-backup", " backup", "_copy", "-copy", " (1)", " (2)", " (3)", " (4)", " (5)",
    " (6)", " (7)", " (8)", " (9)", "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)",
];

/// A worded copy and its original share at least this share of their lines (of both, taken
/// together). Sibling files of one kind share much: velero's generated `ark_delete_backup.md`
/// and `ark_delete.md` 0.54, formbricks' `two-factor-backup.tsx` and `two-factor.tsx` 0.51;
/// phasegrid's `automate_daily_run_backup.py` and its original 1.0.
const MIN_SHARED_LINES: f64 = 0.7;

/// A line counts when it says something: this many bytes, trimmed, with a letter or digit
/// (`}`, `</div>`, `---` are in every file of a kind).
const MIN_LINE_BYTES: usize = 8;

/// Why `name` is not a copy of a file beside it under a backup or copy word (`None`: it is):
/// its name less the word names a sibling, and the two share most of their lines
/// ([`shared_lines`]). Where the tree's contents are unknown (`rules test`), the name decides.
pub fn not_a_worded_copy(name: &[u8], facts: &dyn crate::classify::Facts) -> Option<String> {
    use crate::classify::Content;
    let original = std::str::from_utf8(name)
        .ok()
        .and_then(|n| less_suffix(n, WORD_SUFFIXES));
    let Some(original) = original.filter(|o| facts.siblings().contains(&o.as_slice())) else {
        return Some("its name less a backup or copy word names no file beside it".into());
    };
    let shown = String::from_utf8_lossy(&original);
    let (copy, orig) = match (facts.read_beside(name), facts.read_beside(&original)) {
        (Content::Unknown, _) | (_, Content::Unknown) => return None,
        (Content::Bytes(c), Content::Bytes(o)) => (c, o),
        _ => return Some(format!("it or `{shown}` cannot be read to compare")),
    };
    let share = shared_lines(&copy, &orig);
    (share < MIN_SHARED_LINES).then(|| {
        format!(
            "it shares only {:.0}% of its lines with `{shown}`: too far from it to call it a copy",
            share * 100.0
        )
    })
}

/// The lines two files share, over the lines either has (distinct lines that say something,
/// trimmed: [`MIN_LINE_BYTES`]); 0 when the copy has fewer than 3 such lines to judge by.
pub fn shared_lines(copy: &[u8], original: &[u8]) -> f64 {
    use std::collections::HashSet;
    let lines = |b: &[u8]| -> HashSet<Vec<u8>> {
        b.split(|&c| c == b'\n')
            .map(|l| l.trim_ascii().to_vec())
            .filter(|l| l.len() >= MIN_LINE_BYTES && l.iter().any(u8::is_ascii_alphanumeric))
            .collect()
    };
    let (c, o) = (lines(copy), lines(original));
    if c.len() < 3 {
        return 0.0;
    }
    let both = c.intersection(&o).count();
    both as f64 / (c.len() + o.len() - both) as f64
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
    // No name to be named like (a repository at `/`): no copy.
    let Some(parent) = facts.parent_name() else {
        return Some("the folder that holds it has no name".into());
    };
    let lower = shown.to_lowercase();
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
    let shared = crate::dir_copies::names_held(facts, others.iter().copied());
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
        // A tool's half-written file, named for the one it replaces.
        assert_eq!(of("agent-builder.ts.tmp"), ["agent-builder.ts"]);
        assert_eq!(of("Form.vue.TMP"), ["Form.vue"]);
        for n in ["session.tmp", ".tmp", "a..tmp", ".env.tmp"] {
            assert!(of(n).is_empty(), "{n}: {:?}", of(n));
        }
    }

    #[test]
    fn a_worded_copy_shares_most_lines_with_its_original() {
        let app =
            b"import os\nimport sys\n\ndef main():\n    run(sys.argv)\n    print('done')\n}\n";
        let copy = b"import os\nimport sys\n\ndef main():\n    run(sys.argv)\n    print('done')\n";
        assert_eq!(shared_lines(copy, app), 1.0);
        let backup_tool = b"import os\nimport sys\nimport shutil\n\ndef backup(db):\n    shutil.copy(db, db + '.1')\n}\n";
        assert!(shared_lines(backup_tool, app) < MIN_SHARED_LINES);
        // Braces and short lines say nothing; too little to judge is no copy.
        assert_eq!(shared_lines(b"}\n  \n</div>\n", b"}\n</div>\n"), 0.0);
        assert_eq!(
            less_suffix("app_backup.py", WORD_SUFFIXES),
            Some(b"app.py".to_vec())
        );
        assert_eq!(
            less_suffix("main - copy.js", SUFFIXES),
            Some(b"main.js".to_vec())
        );
        assert_eq!(less_suffix("_backup.py", WORD_SUFFIXES), None);
        assert_eq!(
            less_suffix("schema (2).json", WORD_SUFFIXES),
            Some(b"schema.json".to_vec())
        );
        assert_eq!(
            less_suffix("functions(1).go", WORD_SUFFIXES),
            Some(b"functions.go".to_vec())
        );
        assert_eq!(less_suffix("(1).go", WORD_SUFFIXES), None);
    }

    /// Facts of a folder `name` holding everything beside it, under a parent named `parent`.
    struct Beside(Option<&'static [u8]>);

    impl crate::classify::Facts for Beside {
        fn siblings(&self) -> Vec<&[u8]> {
            [
                &b"shop"[..],
                b"README.md",
                b"Makefile",
                b"a",
                b"b",
                b"c",
                b"d",
            ]
            .to_vec()
        }
        fn parent_name(&self) -> Option<&[u8]> {
            self.0
        }
        fn has_inside(&self, _: &str) -> bool {
            true
        }
        fn names_in_sibling(&self, _: &[u8]) -> Option<Vec<Vec<u8>>> {
            None
        }
        fn age_days(&self) -> Option<f64> {
            None
        }
        fn git_state(&self) -> crate::rules::GitGuard {
            crate::rules::GitGuard::Tracked
        }
        fn read_beside(&self, _: &[u8]) -> crate::classify::Content {
            crate::classify::Content::Unknown
        }
    }

    #[test]
    fn a_copy_of_its_folder_needs_a_folder_name_to_match() {
        assert_eq!(
            not_a_copy_of_parent(b"shop", true, &Beside(Some(b"shop"))),
            None
        );
        assert_eq!(
            not_a_copy_of_parent(b"shop-main", true, &Beside(Some(b"Shop"))),
            None
        );
        assert!(not_a_copy_of_parent(b"shop", true, &Beside(None)).is_some());
        assert!(not_a_copy_of_parent(b"shop", false, &Beside(Some(b"shop"))).is_some());
        assert!(not_a_copy_of_parent(b"shops", true, &Beside(Some(b"shop"))).is_some());
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
