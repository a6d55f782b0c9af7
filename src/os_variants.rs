//! A Windows script with a counterpart for the other systems is one of a maintained set, not a
//! launcher for one machine: Cinnamon/kotaemon ships `scripts/update_windows.bat` beside
//! `update_linux.sh` and `update_macos.sh`, TransformerOptimus/SuperAGI `run.bat` beside
//! `run.sh`. Deleting the `.bat` while its siblings stay leaves Windows users without the step
//! everyone else has. The Mami tree's `start.bat` and `mobile_test.bat` have no such sibling.

use crate::git::GitInfo;
use crate::references::{RefKind, Reference};
use crate::relpath::{parent_of, RelPath};

/// Words in a script's name that say which system it is for.
const SYSTEMS: &[&str] = &[
    "windows", "win", "win32", "win64", "linux", "macos", "mac", "osx", "darwin", "unix",
];

/// Extensions of scripts for the systems other than Windows.
const OTHERS: &[&str] = &["sh", "bash", "zsh", "command"];

/// The tracked counterpart of the Windows script `path` (`.bat`, `.cmd`): a shell script in
/// the same directory whose name, without its system words, is the same (`update_linux.sh`
/// for `update_windows.bat`, `run.sh` for `run.bat`).
pub fn counterpart(git: &GitInfo, path: &RelPath) -> Option<Reference> {
    let name = String::from_utf8_lossy(path.file_name()).to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.')?;
    if !matches!(ext, "bat" | "cmd") {
        return None;
    }
    let want = role(stem);
    let dir = parent_of(path.as_bytes());
    let dir_rel = RelPath::from_bytes(dir);
    let found = git.tracked_paths_under(&dir_rel).find(|p| {
        if parent_of(p) != dir {
            return false;
        }
        let other =
            String::from_utf8_lossy(RelPath::from_bytes(*p).file_name()).to_ascii_lowercase();
        other
            .rsplit_once('.')
            .is_some_and(|(s, e)| OTHERS.contains(&e) && role(s) == want)
    })?;
    Some(Reference {
        file: RelPath::from_bytes(found).display(),
        line: 1,
        excerpt: String::new(),
        kind: RefKind::Counterpart,
    })
}

/// A script's name less the words that name a system: `update_windows` and `update-linux`
/// are both `update`.
fn role(stem: &str) -> Vec<&str> {
    stem.split(['_', '-', '.', ' '])
        .filter(|w| !w.is_empty() && !SYSTEMS.contains(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_less_their_system_words() {
        assert_eq!(role("update_windows"), role("update_linux"));
        assert_eq!(
            role("server_llamacpp_windows"),
            role("server-llamacpp-macos")
        );
        assert_eq!(role("run"), role("run"));
        assert_ne!(role("start_backend_only"), role("start"));
        assert_ne!(role("run_gui"), role("run"));
    }
}
