//! What a `.gitignore` line would do, by git's own semantics (the `ignore` crate's gitignore
//! matcher: BurntSushi's, as ripgrep uses), before `ignore --write` adds it:
//! - a line whose paths the user's lines already ignore is not repeated (`backups/` under an
//!   existing `*backup*`, `*.pyc` under `*.py[cod]`);
//! - a line that would ignore a tracked file is not written (`.vscode/` after `.vscode/*` and
//!   `!.vscode/extensions.json` would ignore the tracked `extensions.json`): a cleanup never
//!   changes what the project deliberately keeps in git.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::relpath::RelPath;

/// What git is asked about for `matched`: a file as it is; a directory's files (up to 64 of
/// them, depth first): a directory whose every file is ignored (`__pycache__` under `*.py[cod]`)
/// is as good as ignored, though git does not call the directory itself ignored.
fn files_of(root: &Path, matched: &[(RelPath, bool)]) -> Vec<RelPath> {
    let mut out = Vec::new();
    for (p, is_dir) in matched {
        if !is_dir {
            out.push(p.clone());
            continue;
        }
        let mut stack = vec![p.clone()];
        let mut n = 0;
        while let Some(d) = stack.pop().filter(|_| n < 64) {
            let Ok(rd) = std::fs::read_dir(d.under(root)) else {
                continue;
            };
            for e in rd.flatten() {
                let c = d.join(std::os::unix::ffi::OsStrExt::as_bytes(
                    e.file_name().as_os_str(),
                ));
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(c);
                } else {
                    out.push(c);
                    n += 1;
                }
            }
        }
        if n == 0 {
            out.push(match p.under(root).symlink_metadata().is_ok() {
                true => p.clone(),
                false => as_dir(p),
            });
        }
    }
    out
}

/// A directory that is gone as git is asked about it: with a trailing `/`, which says it is
/// one though there is nothing to look at (apply's post-check runs after it was deleted, and
/// `__pycache__/` no longer matched a `__pycache__` git could not see: `*.pyc` was added under
/// an existing `*.py[cod]`). One that is there is asked about as it is: git looks, and
/// `.vscode/` would match `.vscode/*` as if it were a file inside.
fn as_dir(p: &RelPath) -> RelPath {
    RelPath::from_bytes([p.as_bytes(), b"/"].concat())
}

/// Why a line is not added.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// What it would ignore is ignored already.
    Covered,
    /// It would change what the project keeps in git.
    Tracked(String),
}

pub(super) fn matcher(root: &Path, lines: &[&str]) -> Gitignore {
    let mut b = GitignoreBuilder::new(root);
    for l in lines {
        // A line the matcher rejects is one git ignores too.
        let _ = b.add_line(None, l);
    }
    b.build().unwrap_or_else(|_| Gitignore::empty())
}

/// The lines (1-based) of an ignore file's `text` that each, alone, ignore one of `paths`
/// (files, relative to `dir`, the file's directory) or a directory above it: what must go for
/// git to stop ignoring them, where `git check-ignore` names only the last such line.
pub fn lines_ignoring(dir: &Path, text: &str, paths: &[&[u8]]) -> Vec<usize> {
    let lines = text.lines().enumerate();
    let real = lines.filter(|(_, l)| !l.trim().is_empty() && !l.starts_with(['#', '!']));
    real.filter(|(_, l)| {
        let m = matcher(dir, &[l]);
        (paths.iter()).any(|p| {
            let p = RelPath::from_bytes(*p);
            (m.matched_path_or_any_parents(p.as_path(), false)).is_ignore()
        })
    })
    .map(|(i, _)| i + 1)
    .collect()
}

/// Git's answer: a path below an ignored directory is ignored whatever a `!` line says (git
/// never enters the directory to re-include it); else its own last matching line decides.
fn ignored(m: &Gitignore, p: &RelPath, is_dir: bool) -> bool {
    let mut up = Vec::new();
    let mut q = p.parent();
    while let Some(d) = q.filter(|d| !d.is_root()) {
        q = d.parent();
        up.push(d);
    }
    up.iter()
        .rev()
        .any(|d| m.matched(d.as_path(), true).is_ignore())
        || m.matched(p.as_path(), is_dir).is_ignore()
}

/// The lines a `.gitignore` at `root` holds already, and their matcher (built once for all the
/// lines [`Existing::refuse`] is asked about).
pub struct Existing<'a> {
    root: &'a Path,
    lines: &'a [&'a str],
    now: Gitignore,
}

impl<'a> Existing<'a> {
    pub fn new(root: &'a Path, lines: &'a [&'a str]) -> Existing<'a> {
        let now = matcher(root, lines);
        Existing { root, lines, now }
    }

    pub fn root(&self) -> &Path {
        self.root
    }

    fn exists(&self, p: &RelPath) -> bool {
        p.under(self.root).symlink_metadata().is_ok()
    }

    /// Why `line` should not be added, if it should not (`Refusal::Covered`, said nowhere:
    /// nothing is lost; `Refusal::Tracked`, said): `matched` are the paths its rules selected
    /// (with whether each is a directory), `tracked` the tracked files. Whether the matched
    /// paths are ignored already is git's own answer where there is a repository (every
    /// `.gitignore` counts, nested ones too).
    pub fn refuse(
        &self,
        line: &str,
        matched: &[(RelPath, bool)],
        tracked: &[&[u8]],
        git: Option<&crate::git::GitInfo>,
    ) -> Option<Refusal> {
        let covered = !matched.is_empty()
            && match git {
                Some(g) => {
                    // The paths themselves first: an ignored directory's files are ignored,
                    // and sampling them reads whole directories (a `node_modules` of 1,000).
                    let asked: Vec<RelPath> = (matched.iter())
                        .map(|(p, d)| match *d && !self.exists(p) {
                            true => as_dir(p),
                            false => p.clone(),
                        })
                        .collect();
                    let refs: Vec<&RelPath> = asked.iter().collect();
                    let rest: Vec<(RelPath, bool)> = matched
                        .iter()
                        .zip(g.ignored_among(&refs))
                        .filter(|(_, ignored)| !ignored)
                        .map(|(m, _)| m.clone())
                        .collect();
                    rest.iter().all(|(_, is_dir)| *is_dir) && {
                        let paths = files_of(self.root, &rest);
                        let refs: Vec<&RelPath> = paths.iter().collect();
                        refs.is_empty() || g.ignored_among(&refs).iter().all(|&i| i)
                    }
                }
                None => matched.iter().all(|(p, d)| ignored(&self.now, p, *d)),
            };
        if covered {
            return Some(Refusal::Covered);
        }
        // The line goes last, so it changes the verdict only on a path it matches itself (or
        // through a directory above): only those tracked files are asked of the whole file.
        let alone = matcher(self.root, &[line]);
        let mut then = None;
        tracked.iter().find_map(|t| {
            let p = RelPath::from_bytes(*t);
            // One line of ignores and no `!`: the first match walking up is the verdict.
            let touched = alone
                .matched_path_or_any_parents(p.as_path(), false)
                .is_ignore();
            if !touched || ignored(&self.now, &p, false) {
                return None;
            }
            let then = then.get_or_insert_with(|| {
                let mut with: Vec<&str> = self.lines.to_vec();
                with.push(line);
                matcher(self.root, &with)
            });
            ignored(then, &p, false)
                .then(|| Refusal::Tracked(format!("it would ignore the tracked `{}`", p.display())))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refuse(
        root: &Path,
        existing: &[&str],
        line: &str,
        matched: &[(RelPath, bool)],
        tracked: &[&[u8]],
        git: Option<&crate::git::GitInfo>,
    ) -> Option<Refusal> {
        Existing::new(root, existing).refuse(line, matched, tracked, git)
    }

    #[test]
    fn a_line_is_judged_only_on_the_tracked_files_it_changes() {
        let root = Path::new("/r");
        let logs = [(RelPath::from_bytes(&b"logs"[..]), true)];
        // Ignored already by the user's `*.log`: the new line changes nothing for it.
        assert_eq!(
            refuse(root, &["*.log"], "logs/", &logs, &[b"logs/a.log"], None),
            None
        );
        // Not ignored now, ignored through its directory then.
        assert_eq!(
            refuse(
                root,
                &["*.log"],
                "logs/",
                &logs,
                &[b"logs/a.log", b"logs/README"],
                None
            ),
            Some(Refusal::Tracked(
                "it would ignore the tracked `logs/README`".into()
            ))
        );
        // A negation only ever un-ignores.
        assert_eq!(
            refuse(
                root,
                &["logs/*"],
                "!logs/keep",
                &logs,
                &[b"logs/keep"],
                None
            ),
            None
        );
    }

    #[test]
    fn covered_lines_and_tracked_files_are_left_alone() {
        let root = Path::new("/r");
        let backups = [(RelPath::from_bytes(&b"backups"[..]), true)];
        assert!(
            refuse(root, &["*backup*"], "backups/", &backups, &[], None) == Some(Refusal::Covered)
        );
        let pyc = [(RelPath::from_bytes(&b"app/__pycache__/x.pyc"[..]), false)];
        assert!(refuse(root, &["*.py[cod]"], "*.pyc", &pyc, &[], None) == Some(Refusal::Covered));
        let vscode = [(RelPath::from_bytes(&b".vscode"[..]), true)];
        let existing = [".vscode/*", "!.vscode/extensions.json"];
        let why = refuse(
            root,
            &existing,
            ".vscode/",
            &vscode,
            &[b".vscode/extensions.json"],
            None,
        );
        assert_eq!(
            why,
            Some(Refusal::Tracked(
                "it would ignore the tracked `.vscode/extensions.json`".into()
            ))
        );
        assert_eq!(
            refuse(
                root,
                &["*.log"],
                "node_modules/",
                &[(RelPath::from_bytes(&b"node_modules"[..]), true)],
                &[b"src/a.js"],
                None
            ),
            None
        );
    }
}
