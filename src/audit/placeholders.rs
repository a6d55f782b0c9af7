//! Files that keep a directory `.gitignore` ignores in git, on purpose: tracked and ignored is
//! their point, not a `tracked-ignored` finding.

use crate::git::GitInfo;
use crate::relpath::RelPath;

/// A file that exists to keep an ignored directory in git (`user_data/*` ignored,
/// `user_data/logs/.gitkeep` added with `-f`: freqtrade, koel, Laravel's `storage/`; a
/// `.gitignore` does the same, firefly-iii's `public/v2/i18n/.gitignore`): that it is tracked
/// and ignored is the point, not a finding.
pub(super) fn is_placeholder(path: &[u8]) -> bool {
    let name = RelPath::from_bytes(path).file_name().to_ascii_lowercase();
    matches!(
        name.as_slice(),
        b".gitkeep" | b".keep" | b".placeholder" | b".gitignore"
    )
}

/// Words in the name of a note that says what to put in its folder: Deep-Live-Cam's
/// `models/instructions.txt` (the download links of the models `/models` keeps out of git),
/// ComfyUI's and its plugins' `put_models_here.txt`, a `DOWNLOAD_WEIGHTS.md`.
const NOTE_WORDS: &[&[u8]] = &[b"instruction", b"here", b"download"];

/// Whether `name` (lowercase) is such a note: a text document (no extension, `.txt`, `.md`,
/// `.rst`) whose name holds one of [`NOTE_WORDS`]; not `download_models.py`, which is code.
fn is_note(name: &[u8]) -> bool {
    let bare = name.strip_prefix(b".").unwrap_or(name);
    let (stem, ext) = match bare.iter().rposition(|&b| b == b'.') {
        Some(i) => (&bare[..i], &bare[i + 1..]),
        None => (bare, &b""[..]),
    };
    matches!(ext, b"" | b"txt" | b"md" | b"rst")
        && NOTE_WORDS
            .iter()
            .any(|w| stem.windows(w.len()).any(|s| s == *w))
}

/// A README or an empty file that is the only tracked file of its directory: the README tells
/// users what to put in a directory git ignores for them (SillyTavern's
/// `default/scaffold/README.md`; anything-llm's `storage/documents/DOCUMENTS.md`, named after
/// its folder; a note named for what it asks, see [`is_note`]), the empty file only keeps it
/// (gpt4free's `models/.local-model-here`), as a `.gitkeep` does; not an empty `__init__.py`,
/// which makes a package. Beside other tracked files it is one of them.
pub(super) fn is_lone_marker(git: &GitInfo, path: &[u8]) -> bool {
    let rel = RelPath::from_bytes(path);
    let name = rel.file_name().to_ascii_lowercase();
    let folder = rel.parent_name().map(<[u8]>::to_ascii_lowercase);
    let named_for_folder = || {
        name.strip_suffix(b".md")
            .is_some_and(|s| Some(s) == folder.as_deref())
    };
    let readme =
        name == b"readme" || name.starts_with(b"readme.") || named_for_folder() || is_note(&name);
    let empty = || {
        !super::ignored_code::is_source(&name)
            && std::fs::symlink_metadata(rel.under(&git.workdir)).is_ok_and(|m| m.len() == 0)
    };
    (readme || empty()) && rel.parent().is_some_and(|d| git.tracked_under(&d) == 1)
}
