//! Tracked files a Go program embeds: memos keeps `server/router/frontend/dist/index.html` in
//! git under its `dist/` ignore line because `frontend.go` beside the folder says
//! `//go:embed dist/*`, and a pattern matching no file does not compile. Such a file is
//! tracked on purpose, whatever ignores it.

use std::collections::HashMap;

use crate::git::GitInfo;
use crate::relpath::RelPath;

/// A Go file is read up to this size for its directives.
const MAX_GO_BYTES: u64 = 512 << 10;

/// Whether a `//go:embed` directive of a tracked Go file in a folder above `path` names the
/// folder (or file) `path` lies in, by its first component below the Go file's folder
/// (`dist/*`, `dist`, `web/index.html`). `memo` keeps each folder's directives.
pub(super) fn embedded(
    git: &GitInfo,
    path: &[u8],
    memo: &mut HashMap<Vec<u8>, Vec<String>>,
) -> bool {
    let rel = RelPath::from_bytes(path);
    (rel.ancestors().skip(1)).any(|dir| {
        let below = match crate::relpath::inside(path, dir.as_bytes()) {
            Some(b) => b,
            None if dir.is_root() => path,
            None => return false,
        };
        let first = below.split(|&b| b == b'/').next().unwrap_or(below);
        let patterns = memo
            .entry(dir.as_bytes().to_vec())
            .or_insert_with(|| directives(git, &dir));
        patterns.iter().any(|p| {
            let head = p.split('/').next().unwrap_or(p);
            // A wildcard in the first component (`*.html`) is left alone: too wide to tell.
            !head.contains(['*', '?', '[']) && head.as_bytes() == first
        })
    })
}

/// The patterns of the `//go:embed` lines of the tracked Go files directly in `dir`.
fn directives(git: &GitInfo, dir: &RelPath) -> Vec<String> {
    let mut out = Vec::new();
    for p in git.tracked_paths_under(dir) {
        let child = crate::relpath::inside(p, dir.as_bytes()).unwrap_or(p);
        if child.contains(&b'/') || !child.ends_with(b".go") {
            continue;
        }
        let file = RelPath::from_bytes(p).under(&git.workdir);
        let Ok(Some(body)) = crate::fsx::read_regular(&file, MAX_GO_BYTES, false) else {
            continue;
        };
        let text = String::from_utf8_lossy(&body);
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("//go:embed ") else {
                continue;
            };
            let words = rest.split_whitespace().map(|w| w.trim_matches(['"', '`']));
            out.extend(words.map(|w| w.trim_start_matches("all:").to_string()));
        }
    }
    out
}
