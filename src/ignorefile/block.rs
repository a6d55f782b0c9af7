//! An ignore file's text and its managed block: split a file at the block, say whether a user's
//! line already does what an entry would, and render the file with the block that is wanted.

use super::{Dialect, BEGIN, END};

/// A file's lines split at the managed block.
pub(super) struct Parts<'a> {
    /// The user's lines, outside the block, as written (a CRLF file's keep their `\r`).
    pub(super) user: Vec<&'a str>,
    /// The block's lines, markers left out, trailing whitespace trimmed.
    pub(super) block: Vec<&'a str>,
    /// The 1-based numbers of the block's lines in the file.
    pub(super) block_at: Vec<usize>,
    /// The 1-based line of a block start with no end after it: the rest of the file would be
    /// taken for the block's.
    pub(super) unterminated: Option<usize>,
}

pub(super) fn parts(text: &str) -> Parts<'_> {
    let mut p = Parts {
        user: Vec::new(),
        block: Vec::new(),
        block_at: Vec::new(),
        unterminated: None,
    };
    // Split on `\n` only, so a user's line keeps its bytes.
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    for (i, line) in lines.into_iter().enumerate() {
        let t = line.trim_end();
        if t == BEGIN {
            p.unterminated.get_or_insert(i + 1);
        } else if t == END && p.unterminated.is_some() {
            p.unterminated = None;
        } else if p.unterminated.is_some() {
            p.block.push(t);
            p.block_at.push(i + 1);
        } else {
            p.user.push(line);
        }
    }
    p
}

/// Does the user's `line` already do what `entry` would (the same, or broader)?
pub(super) fn covers(line: &str, entry: &str, dialect: Dialect) -> bool {
    let l = line.trim();
    if l.is_empty() || l.starts_with('#') || l.starts_with('!') {
        return false;
    }
    match dialect {
        Dialect::Git => {
            // `**/x` is `x`; `x` (files and dirs) covers `x/` (dirs only).
            let norm = |s: &str| s.trim_start_matches("**/").to_string();
            let (l, e) = (norm(l), norm(entry));
            l == e || (e.ends_with('/') && l == e.trim_end_matches('/'))
        }
        Dialect::Docker => {
            let c = |s: &str| {
                let c = crate::docker::ignore::clean(s);
                c.strip_prefix('/').map(str::to_string).unwrap_or(c)
            };
            c(l) == c(entry)
        }
    }
}

/// `existing` with the managed block holding what is wanted and not already covered by a user
/// line (the block is dropped when nothing is left for it).
pub fn render(existing: &str, wanted: &[String], dialect: Dialect) -> String {
    let had_block = existing.lines().any(|l| l.trim_end() == BEGIN);
    let mut user = parts(existing).user;
    while user.last().is_some_and(|l| l.trim().is_empty()) {
        user.pop();
    }
    let excluded = excluded_by_user(&user, dialect);
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|w| !user.iter().any(|u| covers(u, w, dialect)) && !excluded(w))
        .collect();
    // Nothing to add and no block to take out: the file stays as it is, byte for byte (a
    // `.gitignore` without a final newline is no reason to rewrite it, nor to fail
    // `ignore --check`: docker/getting-started's).
    if missing.is_empty() && !had_block {
        return existing.to_string();
    }
    let mut out = String::new();
    for u in &user {
        out.push_str(u);
        out.push('\n');
    }
    if !missing.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(BEGIN);
        out.push('\n');
        for m in missing {
            out.push_str(m);
            out.push('\n');
        }
        out.push_str(END);
        out.push('\n');
    }
    out
}

/// Whether the user's `.dockerignore` lines, taken together, already exclude what a literal
/// entry names, with either Docker's walk: chatgpt-web's `.*` excludes `.git`, `.vscode` and
/// `.idea`, so the block need not repeat them. An entry with a wildcard is left to [`covers`]:
/// what it would match cannot be listed. Never for `.gitignore` (git's view comes from git).
fn excluded_by_user(user: &[&str], dialect: Dialect) -> impl Fn(&str) -> bool {
    use crate::docker::walk::Walk;
    let parsed: Vec<crate::docker::DockerIgnore> = match dialect {
        Dialect::Docker => [Walk::Current, Walk::Legacy]
            .into_iter()
            .filter_map(|w| {
                crate::docker::DockerIgnore::parse_for(&user.join("\n"), "user lines", w).ok()
            })
            .collect(),
        Dialect::Git => Vec::new(),
    };
    move |entry: &str| {
        let e = crate::docker::ignore::clean(entry.trim_start_matches('/'));
        parsed.len() == 2
            && !e.contains(['*', '?', '[', '\\'])
            && parsed.iter().all(|ig| ig.excluded(e.as_bytes()))
    }
}

/// `lines` without blank lines and the block's markers.
pub(super) fn content(lines: Vec<&str>) -> Vec<&str> {
    lines
        .into_iter()
        .filter(|l| !l.trim().is_empty() && *l != BEGIN && *l != END)
        .collect()
}
