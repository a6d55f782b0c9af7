//! A folder kept beside the one it is a copy of, under a backup or copy name: `app_backup/`
//! beside `app/` (`backend/app_backup/main.py` is committed in 8 public repositories,
//! `frontend/src_backup/App.jsx` in 30), rag-dz's `services/api/app_legacy_backup/` beside
//! `app/`. The words are a project's own too (a `db_backup/` beside `db/` may be the service
//! that backs the database up), so the name is not enough: the copy must hold most of what
//! the folder beside it holds.

/// Marks after a folder's name that make it a copy of another, the longest first (`src - Copy`
/// is a copy of `src`, not of `src -`).
const SUFFIXES: &[&str] = &[
    "_legacy_backup",
    "-legacy-backup",
    " - copy",
    "_backup",
    "-backup",
    " backup",
    "_copy",
    "-copy",
    " copy",
    "_bak",
    "_legacy",
    "-legacy",
];

/// A copy holds at least this many of its original's names, and at least half of them.
const MIN_SHARED: usize = 2;

/// Names that say nothing of a folder's content: caches and installs any copy of it may lack.
fn counted(name: &[u8]) -> bool {
    !matches!(
        name,
        b"node_modules" | b"__pycache__" | b".DS_Store" | b".git" | b".venv" | b"venv"
    )
}

/// Why the directory `name` is not a copy of a folder beside it (`None`: it is). A copy is
/// named like a sibling directory plus one of [`SUFFIXES`] (in any capitals) and holds at least
/// half of that sibling's names ([`MIN_SHARED`] at least): `app_backup/` holding `main.py`,
/// `routes/`, `models.py` as `app/` does.
pub fn not_a_copy_of_sibling(
    name: &[u8],
    is_dir: bool,
    facts: &dyn crate::classify::Facts,
) -> Option<String> {
    let shown = String::from_utf8_lossy(name).into_owned();
    if !is_dir {
        return Some(format!("`{shown}` is not a folder"));
    }
    let lower = shown.to_lowercase();
    let siblings = facts.siblings();
    let original = SUFFIXES.iter().find_map(|s| {
        let stem = lower.strip_suffix(s).filter(|st| !st.is_empty())?;
        siblings
            .iter()
            .find(|n| *n != &name && String::from_utf8_lossy(n).to_lowercase() == stem)
            .copied()
    });
    let Some(original) = original else {
        return Some(format!(
            "`{shown}` is not named like a folder beside it plus a backup or copy word"
        ));
    };
    let orig = String::from_utf8_lossy(original).into_owned();
    let Some(names) = facts.names_in_sibling(original) else {
        return Some(format!("`{orig}` beside it is not a folder"));
    };
    let names: Vec<&Vec<u8>> = names.iter().filter(|n| counted(n)).collect();
    let shared = names_held(facts, names.iter().map(|n| n.as_slice()));
    if shared < MIN_SHARED || shared * 2 < names.len() {
        return Some(format!(
            "it holds {shared} of the {} names in `{orig}` beside it: not a copy of it",
            names.len()
        ));
    }
    None
}

/// How many of `names` the entry (a directory) holds too.
pub(crate) fn names_held<'a>(
    facts: &dyn crate::classify::Facts,
    names: impl Iterator<Item = &'a [u8]>,
) -> usize {
    names
        .filter(|n| std::str::from_utf8(n).is_ok_and(|n| facts.has_inside(n)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Content, Facts};
    use crate::rules::GitGuard;

    /// `app/` holding `main.py`, `models.py`, `routes/`; the entry holds `inside`.
    struct Tree {
        inside: &'static [&'static str],
    }

    impl Facts for Tree {
        fn siblings(&self) -> Vec<&[u8]> {
            vec![
                b"app",
                b"app_backup",
                b"App Copy",
                b"db_backup",
                b"README.md",
            ]
        }
        fn parent_name(&self) -> Option<&[u8]> {
            Some(b"backend")
        }
        fn has_inside(&self, name: &str) -> bool {
            self.inside.contains(&name)
        }
        fn names_in_sibling(&self, name: &[u8]) -> Option<Vec<Vec<u8>>> {
            (name == b"app").then(|| {
                let names: [&[u8]; 4] = [b"main.py", b"models.py", b"routes", b"__pycache__"];
                names.iter().map(|n| n.to_vec()).collect()
            })
        }
        fn age_days(&self) -> Option<f64> {
            None
        }
        fn git_state(&self) -> GitGuard {
            GitGuard::Tracked
        }
        fn read_beside(&self, _: &[u8]) -> Content {
            Content::Unknown
        }
    }

    #[test]
    fn a_copy_holds_most_of_the_folder_it_is_named_after() {
        let full = Tree {
            inside: &["main.py", "models.py", "routes"],
        };
        assert_eq!(not_a_copy_of_sibling(b"app_backup", true, &full), None);
        assert_eq!(not_a_copy_of_sibling(b"App Copy", true, &full), None);
        assert!(not_a_copy_of_sibling(b"app_backup", false, &full).is_some());
        // Named after no folder beside it, or holding little of it.
        let why = not_a_copy_of_sibling(b"db_backup", true, &full).unwrap();
        assert!(why.contains("not named like a folder beside it"), "{why}");
        let tool = Tree {
            inside: &["backup.sh"],
        };
        let why = not_a_copy_of_sibling(b"app_backup", true, &tool).unwrap();
        assert_eq!(
            why,
            "it holds 0 of the 3 names in `app` beside it: not a copy of it"
        );
    }
}
