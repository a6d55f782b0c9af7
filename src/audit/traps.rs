//! `.gitignore` lines that do not do what they say: a `!` line reaching into a directory an
//! earlier line excludes (git never looks inside it), and `name/` where `name` is a file.

use std::path::Path;

use super::{finding, Finding};

/// A `.gitignore` line: its number and its text.
type Line = (usize, String);

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The root `.gitignore`'s traps, each with the line of the excluded parent its `!` lines try
/// to reach into (`None` for the other kind), in line order. All the `!` lines under one
/// excluded directory are one finding: one problem, one fix.
pub(super) fn gitignore_traps(root: &Path) -> Vec<(Finding, Option<usize>)> {
    let mut out = Vec::new();
    let path = root.join(".gitignore");
    let Some(text) = crate::fsx::read_text(&path, crate::limits::MAX_IGNORE_BYTES) else {
        return out;
    };
    // Directories a plain line excludes, with that line.
    let mut dirs: Vec<(usize, String)> = Vec::new();
    // Directories whose every entry a `dir/*` line excludes, with that line: a folder in them
    // is excluded itself (gpt-engineer's `projects/*` before `!projects/example/prompt`).
    let mut starred: Vec<(usize, String)> = Vec::new();
    // What `!` lines re-included so far.
    let mut back: Vec<String> = Vec::new();
    // An excluded directory's line and name, and the `!` lines that reach into it.
    let mut reached: Vec<(usize, String, Vec<Line>)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(neg) = l.strip_prefix('!') {
            let neg = neg.trim_start_matches('/');
            // `!docs/` after `docs/` names the directory itself: git looks inside it again
            // (its_multi_agent's `.gitignore`), and the `!` lines below it work.
            dirs.retain(|(_, d)| d != neg.trim_end_matches('/'));
            let in_starred = starred_child(root, &starred, &back, neg);
            back.push(neg.trim_end_matches('/').to_string());
            let excluded = dirs.iter().find(|(_, d)| neg.starts_with(&format!("{d}/")));
            if let Some((dn, d)) = excluded.cloned().or(in_starred) {
                match reached.iter_mut().find(|(pn, pd, _)| *pn == dn && *pd == d) {
                    Some((.., lines)) => lines.push((n + 1, l.to_string())),
                    None => reached.push((dn, d, vec![(n + 1, l.to_string())])),
                }
            }
            continue;
        }
        let bare = l.trim_start_matches('/');
        if let Some(d) = bare.strip_suffix("/*").filter(|d| !has_glob(d)) {
            starred.push((n + 1, d.to_string()));
        }
        if let Some(d) = bare.strip_suffix('/') {
            if !has_glob(d) && root.join(d).is_file() {
                let mut x = finding(
                    "gitignore-trap",
                    ".gitignore",
                    format!(
                        "`{l}` matches directories only, and `{d}` is a file: it is not ignored"
                    ),
                    format!("write `{d}` without the trailing slash"),
                );
                x.line = Some(n + 1);
                out.push((x, None));
            }
            if !has_glob(d) {
                dirs.push((n + 1, d.to_string()));
            }
        } else if !has_glob(bare) && root.join(bare).is_dir() {
            dirs.push((n + 1, bare.to_string()));
        }
    }
    for (dn, d, lines) in reached {
        let by_star = starred
            .iter()
            .any(|(sn, s)| *sn == dn && d.starts_with(&format!("{s}/")));
        // The lines above are read in order; git decides a folder by the last line that
        // matches it, so a later `!data/` takes it back and there is no trap.
        if deciding_line(root, &text, &d, None).is_none() {
            continue;
        }
        let again = deciding_line(root, &text, &d, Some(dn));
        let mut f = reach_finding(dn, &d, &lines, by_star);
        if let Some((an, al)) = again {
            // `/data` on line 8 and `/data*` on line 10: mending line 8 alone leaves the
            // folder excluded (uptime-kuma's `.gitignore`).
            f.message = f.message.replacen(
                &format!("on line {dn}"),
                &format!("on line {dn} (and again on line {an}, `{al}`)"),
                1,
            );
            f.fix = format!(
                "{}; and keep line {an} (`{al}`) from matching `{d}` itself, or it stays excluded",
                f.fix
            );
        }
        out.push((f, Some(dn)));
    }
    out.sort_by_key(|(f, _)| f.line);
    out
}

/// The folder a `!` line (`neg`, without its `!`) reaches inside of, when a `dir/*` line
/// excluded that folder with every other entry of `dir` and no `!` line since (`back`)
/// re-included it: its `dir/*` line and the folder.
fn starred_child(
    root: &Path,
    starred: &[(usize, String)],
    back: &[String],
    neg: &str,
) -> Option<(usize, String)> {
    starred.iter().rev().find_map(|(sn, s)| {
        let rest = neg.strip_prefix(&format!("{s}/"))?;
        let (child, _) = rest
            .split_once('/')
            .filter(|(_, below)| !below.is_empty())?;
        let folder = format!("{s}/{child}");
        let again = back.contains(&folder);
        (!has_glob(child) && root.join(&folder).is_dir() && !again).then_some((*sn, folder))
    })
}

/// The line that, as git reads the file, excludes directory `d` (the last line matching it,
/// line `skip` aside: what would still exclude it were that line mended), or `None` where
/// no line does or the last one re-includes it.
fn deciding_line(root: &Path, text: &str, d: &str, skip: Option<usize>) -> Option<Line> {
    let dir = root.join(d);
    let mut last = None;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if Some(i + 1) == skip || l.is_empty() || l.starts_with('#') {
            continue;
        }
        let mut one = ignore::gitignore::GitignoreBuilder::new(root);
        if one.add_line(None, line).is_err() {
            continue;
        }
        let Ok(one) = one.build() else { continue };
        match one.matched(&dir, true) {
            ignore::Match::Ignore(_) => last = Some((i + 1, l.to_string())),
            ignore::Match::Whitelist(_) => last = None,
            ignore::Match::None => {}
        }
    }
    last
}

/// The finding for the `!` lines `lines` (line, text) that reach into `d`, excluded on `dn`
/// (`by_star`: as an entry of the folder a `dir/*` line empties).
fn reach_finding(dn: usize, d: &str, lines: &[Line], by_star: bool) -> Finding {
    let (first, l) = &lines[0];
    let (message, fix) = match lines {
        [_] if by_star => (
            format!("`{l}` cannot re-include anything: its parent `{d}` is excluded on line {dn} with everything beside it, and git never looks inside an excluded directory"),
            format!("re-include the folder first: `!{d}/`, then `{d}/*` if only some of it belongs in git, then `{l}`"),
        ),
        [_] => (
            format!("`{l}` cannot re-include anything: its parent `{d}` is excluded on line {dn}, and git never looks inside an excluded directory"),
            format!("exclude the contents instead: `{d}/*` then `{l}`"),
        ),
        _ => {
            let last = lines[lines.len() - 1].0;
            let at = match last - first + 1 == lines.len() {
                true => format!("lines {first}-{last}"),
                false => {
                    let ns: Vec<String> = lines.iter().map(|(n, _)| n.to_string()).collect();
                    format!("lines {}", ns.join(", "))
                }
            };
            let named: Vec<String> = lines.iter().take(3).map(|(_, t)| format!("`{t}`")).collect();
            let more = match lines.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            let fix = match by_star {
                true => format!("re-include the folder first: `!{d}/` before line {first}, then `{d}/*` if only some of it belongs in git"),
                false => format!("exclude the contents instead: `{d}/*` on line {dn}, and the `!` lines work"),
            };
            (
                format!("{} lines ({}{more}, {at}) cannot re-include anything: their parent `{d}` is excluded on line {dn}, and git never looks inside an excluded directory", lines.len(), named.join(", ")),
                fix,
            )
        }
    };
    let mut x = finding("gitignore-trap", ".gitignore", message, fix);
    x.line = Some(*first);
    x
}
