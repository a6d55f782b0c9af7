//! Whether tracked files an ignore line ignores are kept in git on purpose. A file the line
//! ignores that a later commit added took `git add -f`: the project tracks what the line
//! ignores knowingly (text-generation-webui ignores `/css`, `/extensions` and `/user_data`, so
//! that what users add there stays out of `git status`, and force-adds its own files there:
//! 4, 6 and 11 of them since the lines were written). So is a directory's one file that the
//! commit writing the line added with it: a placeholder the directory needs in git
//! (remark42's `/backend/app/cmd/web/` and its `index.html`, without which `go:embed web`
//! does not compile; SillyTavern's `/default/scaffold` and its README).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};

use rayon::prelude::*;

use super::GitInfo;

/// What history says of one ignore line's tracked files ([`GitInfo::added_since_lines`]).
#[derive(Debug, Default, Clone)]
pub struct Kept {
    /// Files a commit after the one that wrote the line added (with `git add -f`).
    pub since: Vec<Vec<u8>>,
    /// Files the commit that wrote the line added with it.
    pub with_line: Vec<Vec<u8>>,
}

/// One ignore line and the tracked entries it ignores, as [`GitInfo::added_since_lines`] asks.
pub struct IgnoringLine<'a> {
    /// The ignore file, from the root.
    pub source: &'a str,
    pub line: usize,
    /// Files or directories, from the root.
    pub paths: Vec<&'a [u8]>,
}

impl GitInfo {
    /// For each of `lines`, the files under its paths that a commit after the one that gave
    /// the line its text added (and so took `git add -f`), on the path from that commit to
    /// HEAD (`--ancestry-path`: a branch that began before the line and merged after it added
    /// its files unignored). Empty where git cannot say: a file outside history
    /// (`.git/info/exclude`), a line not committed yet, a shallow clone that ends where the
    /// line was written. One `git blame` per ignore file; the `git log`s run side by side.
    pub fn added_since_lines(&self, lines: &[IgnoringLine<'_>]) -> Vec<Kept> {
        let mut since: Vec<Option<String>> = vec![None; lines.len()];
        let mut sources: Vec<&str> = lines.iter().map(|l| l.source).collect();
        sources.sort_unstable();
        sources.dedup();
        for source in sources {
            let at: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].source == source)
                .collect();
            let wanted: Vec<usize> = at.iter().map(|&i| lines[i].line).collect();
            let commits = self.line_commits(source, &wanted);
            for &i in &at {
                since[i] = commits.get(&lines[i].line).cloned();
            }
        }
        // On the pool: a repository with a hundred such lines waits on a few `git`s at a time.
        (lines.par_iter().zip(&since))
            .map(|(l, c)| match c {
                Some(c) if !l.paths.is_empty() => {
                    Kept {
                        since: self.added_since(c, &l.paths),
                        // Only a path with one tracked file can be a lone placeholder.
                        with_line: if l.paths.iter().any(|p| {
                            self.tracked_under(&crate::relpath::RelPath::from_bytes(*p)) == 1
                        }) {
                            self.added_in(c, &l.paths)
                        } else {
                            Vec::new()
                        },
                    }
                }
                _ => Kept::default(),
            })
            .collect()
    }

    /// The files under `paths` that the commit `c` itself added.
    fn added_in(&self, c: &str, paths: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut tree = self.git();
        tree.args([
            "--literal-pathspecs",
            "diff-tree",
            "-r",
            "--root",
            "--no-commit-id",
        ])
        .args([
            "--no-renames",
            "--diff-filter=A",
            "--name-only",
            "-z",
            c,
            "--",
        ])
        .args(paths.iter().map(|p| OsStr::from_bytes(p)));
        names(tree)
    }

    /// The files under `paths` that commits in `since..HEAD`, descendants of `since`, added.
    fn added_since(&self, since: &str, paths: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut log = self.git();
        log.args([
            "--literal-pathspecs",
            "log",
            "--ancestry-path",
            "--no-renames",
        ])
        .args(["--diff-filter=A", "--format=", "--name-only", "-z"])
        .arg(format!("{since}..HEAD"))
        .arg("--")
        .args(paths.iter().map(|p| OsStr::from_bytes(p)));
        names(log)
    }

    /// The commit that gave each of `lines` of the committed file `source` its text, as `git
    /// blame --porcelain` says, by line; a line not committed yet is left out, and so is every
    /// line of a file git cannot blame.
    fn line_commits(&self, source: &str, lines: &[usize]) -> HashMap<usize, String> {
        let mut blame = self.git();
        blame.args(["blame", "--porcelain"]);
        blame.args(lines.iter().map(|l| format!("-L{l},{l}")));
        blame.args(["--", source]);
        let Some(out) = blame.output().ok().filter(|o| o.status.success()) else {
            return HashMap::new();
        };
        // Each group starts `<sha> <line in the original> <line now>[ <lines in group>]`.
        let text = String::from_utf8_lossy(&out.stdout);
        let mut found = HashMap::new();
        for head in text.lines().filter(|l| !l.starts_with('\t')) {
            let mut words = head.split(' ');
            let (Some(sha), Some(_), Some(now)) = (words.next(), words.next(), words.next()) else {
                continue;
            };
            let committed = sha.len() >= 40
                && sha.bytes().all(|b| b.is_ascii_hexdigit())
                && sha.bytes().any(|b| b != b'0');
            if let (true, Ok(now)) = (committed, now.parse::<usize>()) {
                found.insert(now, sha.to_string());
            }
        }
        found
    }

    /// `git -C <work tree>`, reading nothing from stdin, its errors not shown.
    fn git(&self) -> Command {
        let mut c = Command::new("git");
        c.arg("-C")
            .arg(&self.workdir)
            .arg("--no-optional-locks")
            .stdin(Stdio::null())
            .stderr(Stdio::null());
        c
    }
}

/// The NUL-separated paths `cmd` prints; none where it fails.
fn names(mut cmd: Command) -> Vec<Vec<u8>> {
    match cmd.output() {
        Ok(o) if o.status.success() => (o.stdout.split(|&b| b == 0))
            .map(<[u8]>::trim_ascii)
            .filter(|p| !p.is_empty())
            .map(<[u8]>::to_vec)
            .collect(),
        _ => Vec::new(),
    }
}
