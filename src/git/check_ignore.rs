//! Git's own answer to "is this path ignored?": one `git check-ignore --stdin` process, kept
//! running and asked path by path (or many at once), so the answer is git's by definition.
//!
//! libgit2's answer differs from git's in two ways that matter here: a `!pattern` line that
//! negates nothing earlier in its own file is dropped (so a nested `.gitignore`'s `!x.log`
//! does not override the root's `*.log`), and a `!` line re-includes a file below an excluded
//! directory (git: "It is not possible to re-include a file if a parent directory of that
//! file is excluded"). libgit2 answers only where the git command is missing or fails.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::relpath::RelPath;

pub struct CheckIgnore {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl CheckIgnore {
    /// Start `git check-ignore` in `workdir`; `None` when the command cannot run.
    pub fn start(workdir: &Path) -> Option<CheckIgnore> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(workdir)
            // `--no-index`: the paths asked are untracked or asked about regardless of the
            // index (git's `ls-files -ci` answers for tracked ones). `-v -n`: one answer per
            // path, naming the deciding pattern (a `!` pattern means "not ignored").
            .args([
                "--no-optional-locks",
                "check-ignore",
                "--stdin",
                "-z",
                "--no-index",
                "--verbose",
                "--non-matching",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take()?);
        Some(CheckIgnore {
            child,
            stdin,
            stdout,
        })
    }

    /// Whether each of `paths` is ignored, in order; `None` if git failed (it is then of no
    /// further use: the caller falls back). Paths are written from a second thread while the
    /// answers are read: git answers as it reads, and a full stdout pipe would otherwise stop it
    /// reading while this side still writes.
    pub fn ask(&mut self, paths: &[&RelPath]) -> Option<Vec<bool>> {
        let stdin = self.stdin.as_mut()?;
        let stdout = &mut self.stdout;
        let child = &mut self.child;
        let answers = if let [p] = paths {
            // One path fits in the pipe: no writer thread needed.
            let written =
                (stdin.write_all(&[&sent(p)[..], &[0]].concat())).and_then(|_| stdin.flush());
            written
                .ok()
                .and_then(|_| read_answer(stdout, p))
                .map(|a| vec![a])
        } else {
            std::thread::scope(|s| {
                let writer = s.spawn(move || -> std::io::Result<()> {
                    let mut w = std::io::BufWriter::new(stdin);
                    for p in paths {
                        w.write_all(&sent(p))?;
                        w.write_all(&[0])?;
                    }
                    w.flush()
                });
                let answers: Option<Vec<bool>> =
                    paths.iter().map(|p| read_answer(stdout, p)).collect();
                if answers.is_none() {
                    // Out of step: stop git, or the writer could wait forever on a full pipe.
                    let _ = child.kill();
                }
                let written = writer.join().ok().and_then(|r| r.ok());
                answers.filter(|_| written.is_some())
            })
        };
        if answers.is_none() {
            self.stdin = None; // git is gone or confused: never ask it again
        }
        answers
    }
}

/// A path as git is asked about it: a leading `:` would start pathspec magic (`:(exclude)x`
/// makes git stop), so such a name goes as `./:...`. Git echoes the path as sent.
fn sent(p: &RelPath) -> std::borrow::Cow<'_, [u8]> {
    match p.as_bytes() {
        b @ [b':', ..] => [b"./", b].concat().into(),
        b => b.into(),
    }
}

/// One verbose answer: source, line, pattern, path, each NUL-terminated. No pattern: nothing
/// matched; a `!` pattern: matched a negation, so not ignored.
fn read_answer(r: &mut impl BufRead, asked: &RelPath) -> Option<bool> {
    let mut field = || {
        let mut buf = Vec::new();
        match r.read_until(0, &mut buf) {
            Ok(_) if buf.last() == Some(&0) => {
                buf.pop();
                Some(buf)
            }
            _ => None,
        }
    };
    let (_source, _line, pattern, path) = (field()?, field()?, field()?, field()?);
    if path[..] != *sent(asked) {
        return None;
    }
    Some(!pattern.is_empty() && pattern[0] != b'!')
}

impl Drop for CheckIgnore {
    fn drop(&mut self) {
        drop(self.stdin.take()); // end of input: git exits
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_parsed_by_pattern() {
        let out = b".gitignore\x002\x00*.log\x00x.log\x00.gitignore\x003\x00!keep.log\x00keep.log\x00\x00\x00\x00a.py\x00";
        let mut r = &out[..];
        let ask = |p: &str| RelPath::from_bytes(p.as_bytes());
        assert_eq!(read_answer(&mut r, &ask("x.log")), Some(true));
        assert_eq!(read_answer(&mut r, &ask("keep.log")), Some(false));
        assert_eq!(read_answer(&mut r, &ask("a.py")), Some(false));
        assert_eq!(read_answer(&mut r, &ask("more")), None, "truncated output");
        let mut r = &b"\x00\x00\x00other\x00"[..];
        assert_eq!(read_answer(&mut r, &ask("a.py")), None, "out of step");
    }
}
