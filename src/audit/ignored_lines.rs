//! The `tracked-ignored` finding of one ignore line (or a block of them) and the files it
//! ignores, with a fix that works both ways: untrack them, or re-include what belongs in git.
//! Re-including a file inside a folder the line ignores takes three lines, since git never
//! looks inside an ignored folder: `!/models/` and `/models/*` before `!/models/notes.txt`.
//! A bare `!/models` would re-include all of it, and what the line was written to keep out
//! (Deep-Live-Cam's model weights) with it.

use super::{finding, Finding};
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// Tracked files (`items`: a path and 0, or a directory and its file count) that one ignore
/// line ignores: which to keep in git is the user's call, so the fix gives both ways.
/// `subject` says which line or lines ignore them ("`.*` ignores"); `line` is the last of them,
/// below which a `!` line re-includes.
pub(super) fn line_finding(
    git: &GitInfo,
    source: &str,
    line: usize,
    subject: &str,
    items: &[(&[u8], usize)],
) -> Finding {
    let files: usize = items.iter().map(|&(_, n)| n.max(1)).sum();
    let shown = |&(p, n): &(&[u8], usize)| match n {
        0 => format!("`{}`", RelPath::from_bytes(p).display()),
        1 => format!("`{}/` (1 file)", RelPath::from_bytes(p).display()),
        n => format!("`{}/` ({n} files)", RelPath::from_bytes(p).display()),
    };
    let some: Vec<String> = items.iter().take(3).map(shown).collect();
    let more = match items.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    let what = match files {
        1 => "1 tracked file, which git keeps tracking all the same".to_string(),
        n => format!("{n} tracked files, which git keeps tracking all the same"),
    };
    let args: Vec<String> = items
        .iter()
        .map(|&(p, _)| crate::shell::path_arg(&RelPath::from_bytes(p).display()).into_owned())
        .collect();
    let mut x = finding(
        "tracked-ignored",
        source,
        format!("{subject} {what}: {}{more}", some.join(", ")),
        format!(
            "untrack what does not belong in git: `git rm -r --cached {}` (the files stay on disk); re-include what does below line {line} ({})",
            args.join(" "),
            reinclude(git, source, items[0]),
        ),
    );
    x.line = Some(line);
    x
}

/// The `!` lines that re-include `item` (a path and 0, or a directory and its file count),
/// as the ignore file `source` reads them: relative to its folder.
fn reinclude(git: &GitInfo, source: &str, (path, n): (&[u8], usize)) -> String {
    let base = source.strip_suffix(".gitignore").unwrap_or("");
    let rel = |p: &[u8]| {
        let shown = RelPath::from_bytes(p).display();
        shown.strip_prefix(base).unwrap_or(&shown).to_string()
    };
    let again = rel(path);
    if n == 0 {
        return format!("`!/{again}`");
    }
    let dir = RelPath::from_bytes(path);
    let first = git.tracked_paths_under(&dir).find(|f| f.len() > path.len());
    let file = first.map_or_else(|| format!("{again}/…"), rel);
    format!("`!/{again}/`, `/{again}/*`, then `!/{file}` for each file to keep: git never looks inside an ignored folder")
}
