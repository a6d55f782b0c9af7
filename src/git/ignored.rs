//! Whether paths are git-ignored, as git says it: one `git check-ignore` process kept for the
//! run (batches of many paths to processes of their own), libgit2 where git cannot answer.

use super::check_ignore::{CheckIgnore, Decider};
use super::GitInfo;
use crate::relpath::RelPath;
use crate::rules::GitGuard;

impl GitInfo {
    /// Tracked files that the ignore rules ignore (`git ls-files -ci --exclude-standard`). Git's
    /// own answer when the git command is there (one call instead of one per file, and git's
    /// semantics by definition); libgit2 per file otherwise.
    /// Asked once; the gate starts it on a thread of its own while it scans.
    pub fn tracked_ignored(&self) -> &[Vec<u8>] {
        self.tracked_ignored
            .get_or_init(|| self.read_tracked_ignored())
    }

    fn read_tracked_ignored(&self) -> Vec<Vec<u8>> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&self.workdir)
            .args([
                "--no-optional-locks",
                "ls-files",
                "-z",
                "--cached",
                "--ignored",
                "--exclude-standard",
            ])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output();
        match out {
            // A submodule is tracked by design; a line over its path (kohya_ss' `sd-scripts`)
            // changes nothing git does with it: it is no tracked file git ignores.
            Ok(o) if o.status.success() => o
                .stdout
                .split(|&b| b == 0)
                .filter(|p| !p.is_empty() && !self.gitlinks.contains(*p))
                .map(<[u8]>::to_vec)
                .collect(),
            _ => self
                .tracked_files()
                .filter(|p| self.is_ignored(&RelPath::from_bytes(*p)))
                .map(<[u8]>::to_vec)
                .collect(),
        }
    }

    /// The ignore line that decides each of `paths` (`None` where none does), as git names it
    /// (`git check-ignore -v --no-index`: a file inside an ignored directory is decided by the
    /// directory's line); `None` where the git command cannot answer.
    pub fn deciding_lines(&self, paths: &[&[u8]]) -> Option<Vec<Option<Decider>>> {
        let rels: Vec<RelPath> = paths.iter().map(|&p| RelPath::from_bytes(p)).collect();
        let refs: Vec<&RelPath> = rels.iter().collect();
        CheckIgnore::deciders(&self.workdir, &refs)
    }

    /// Whether the repository's ignore rules (all .gitignore files, info/exclude,
    /// core.excludesFile) ignore `p`, as git says.
    pub fn is_ignored(&self, p: &RelPath) -> bool {
        self.ignored_among(&[p])[0]
    }

    /// libgit2's answer, where git's is not to be had. It still drops a `!` line that negates
    /// nothing earlier in its own file (see [`check_ignore`]).
    fn libgit2_ignored(&self, p: &RelPath) -> bool {
        let repo = self.repo.lock().unwrap_or_else(|e| e.into_inner());
        // Git cannot re-include a file whose directory is excluded (`logs/` then
        // `!logs/a.log` leaves a.log ignored); libgit2 takes the `!` line's word for it. So
        // the directories above are asked first, each with a trailing `/`.
        let b = p.as_bytes();
        let dirs = b.iter().enumerate().filter(|&(_, &c)| c == b'/');
        for (i, _) in dirs {
            let dir = RelPath::from_bytes(&b[..=i]);
            if repo.is_path_ignored(dir.as_path()).unwrap_or(false) {
                return true;
            }
        }
        repo.is_path_ignored(p.as_path()).unwrap_or(false)
    }

    /// Which of `paths` the ignore rules ignore, in order: git's answer for all of them in
    /// one exchange with its `check-ignore` process ([`check_ignore`]), libgit2's per path
    /// where git cannot answer.
    ///
    /// A path asked before is answered from memory: the plan, then each line the ignore-file
    /// check judges, ask about the same selections (on a `.venv` of 192 `__pycache__` folders,
    /// four times). Who writes an ignore file says so ([`GitInfo::ignore_files_written`]).
    pub fn ignored_among(&self, paths: &[&RelPath]) -> Vec<bool> {
        let memo = || self.ignored_memo.lock().unwrap_or_else(|e| e.into_inner());
        let mut answers: Vec<Option<bool>> = {
            let m = memo();
            paths.iter().map(|p| m.get(p.as_bytes()).copied()).collect()
        };
        let unknown: Vec<&RelPath> = (paths.iter().zip(&answers))
            .filter(|(_, a)| a.is_none())
            .map(|(p, _)| *p)
            .collect();
        if !unknown.is_empty() {
            let asked = self
                .ask_git(&unknown)
                .unwrap_or_else(|| unknown.iter().map(|p| self.libgit2_ignored(p)).collect());
            let mut m = memo();
            let slots = answers.iter_mut().filter(|a| a.is_none());
            for ((slot, p), ignored) in slots.zip(&unknown).zip(asked) {
                *slot = Some(ignored);
                m.insert(p.as_bytes().to_vec(), ignored);
            }
        }
        answers.into_iter().map(|a| a == Some(true)).collect()
    }

    /// The ignore files have changed: answers given so far are forgotten, and the running
    /// `check-ignore` (which read them as they were) is stopped; the next question starts one.
    pub fn ignore_files_written(&self) {
        self.ignored_memo
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        *self.check_ignore.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn ask_git(&self, paths: &[&RelPath]) -> Option<Vec<bool>> {
        if paths.len() >= BATCH_PATHS {
            return CheckIgnore::batch(&self.workdir, paths, BATCH_PATHS);
        }
        self.oracle().as_mut()?.as_mut()?.ask(paths)
    }

    /// Start the `git check-ignore` that questions go to, so that git has started by the time
    /// the first one comes (it takes a few milliseconds, which the scan then waited for).
    pub fn start_check_ignore(&self) {
        drop(self.oracle());
    }

    /// The running `git check-ignore`, started on first use (`Some(None)`: git cannot run).
    fn oracle(&self) -> std::sync::MutexGuard<'_, Option<Option<CheckIgnore>>> {
        let mut oracle = self.check_ignore.lock().unwrap_or_else(|e| e.into_inner());
        if oracle.is_none() {
            *oracle = Some(CheckIgnore::start(&self.workdir));
        }
        oracle
    }

    /// The state a `when.git` guard compares against.
    pub fn state(&self, p: &RelPath) -> GitGuard {
        if self.tracked_under(p) > 0 {
            GitGuard::Tracked
        } else if self.is_ignored(p) {
            GitGuard::Ignored
        } else {
            GitGuard::Untracked
        }
    }
}

/// From this many paths on, one question goes to a `git check-ignore` of its own that buffers
/// its answers ([`CheckIgnore::batch`]), and to one more per this many paths, up to one per
/// core: starting git costs ~1.4 ms, answering path by path ~3 µs more per path than
/// buffered.
const BATCH_PATHS: usize = 512;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::tests::git;

    /// Git's answers on every ignore trap, asked in a batch and one by one: a path inside an
    /// ignored directory, a re-include after an exclude (in the same file, and under an
    /// excluded directory, where git does not re-include), a directory-only pattern, a nested
    /// .gitignore's `!` overriding the root's pattern, info/exclude, a non-UTF-8 name, a name
    /// that looks like pathspec magic, and paths nothing ignores.
    #[test]
    fn batch_and_per_path_ignore_answers_agree() {
        use std::os::unix::ffi::OsStrExt;
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        git(root, &["init", "-q", "."]);
        std::fs::write(
            root.join(".gitignore"),
            "build/\n*.log\n!keep.log\n__pycache__/\nlogs/\n!logs/a.log\nc/*\n!c/keep\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("sub/deep")).unwrap();
        std::fs::write(root.join("sub/.gitignore"), "!x.log\n*.tmp\n!local.tmp\n").unwrap();
        std::fs::write(root.join(".git/info/exclude"), "secret*\n").unwrap();
        let mut paths: Vec<String> = vec![
            "build/x/__pycache__".into(),
            "build/x".into(),
            "a/__pycache__".into(),
            "x.log".into(),
            "keep.log".into(),
            "logs/a.log".into(),
            "logs".into(),
            "sub/x.log".into(),
            "sub/local.tmp".into(),
            "sub/deep/z.tmp".into(),
            "secret1".into(),
            "c/keep".into(),
            "c/other".into(),
            "a".into(),
            ":(top)x.log".into(),
            ":(exclude)y.log".into(),
            "*.py".into(),
        ];
        paths.extend((0..150).map(|i| format!("src/m{i}/__pycache__")));
        paths.extend((0..50).map(|i| format!("src/m{i}/plain.py")));
        for p in &paths {
            let abs = root.join(p);
            if p.contains("__pycache__") || ["build/x", "logs", "a"].contains(&p.as_str()) {
                std::fs::create_dir_all(&abs).unwrap();
            } else {
                std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
                std::fs::write(&abs, "x").unwrap();
            }
        }
        let odd = std::ffi::OsStr::from_bytes(b"odd-\xff.log");
        std::fs::write(root.join(odd), "x").unwrap();
        let mut rels: Vec<RelPath> = paths
            .iter()
            .map(|p| RelPath::from_bytes(p.as_bytes()))
            .collect();
        rels.push(RelPath::from_bytes(odd.as_bytes()));

        // Each way of asking on a GitInfo of its own: answers are remembered.
        let fresh = || GitInfo::discover(root).unwrap().unwrap();
        let g = fresh();
        let asked: Vec<&RelPath> = rels.iter().collect();
        assert!(asked.len() < BATCH_PATHS);
        let batch = g.ignored_among(&asked);
        let single = fresh();
        let one_by_one: Vec<bool> = asked.iter().map(|p| single.is_ignored(p)).collect();
        assert_eq!(
            batch, one_by_one,
            "a batch and single questions get the same answers"
        );
        // Past BATCH_PATHS the question goes to a buffering git of its own; the running one
        // still answers after it.
        let many: Vec<&RelPath> = asked
            .iter()
            .cycle()
            .take(3 * BATCH_PATHS)
            .copied()
            .collect();
        let buffered = fresh();
        assert!(buffered.is_ignored(asked[0]) == batch[0]);
        let expected: Vec<bool> = batch.iter().cycle().take(many.len()).copied().collect();
        assert_eq!(
            buffered.ignored_among(&many),
            expected,
            "a buffered batch gets the same answers"
        );
        assert_eq!(buffered.ignored_among(&asked), batch);
        // libgit2 agrees except where it is known to differ from git (see check_ignore).
        for (p, b) in asked.iter().zip(&batch) {
            let known_difference = p.as_bytes() == b"sub/x.log";
            assert_eq!(g.libgit2_ignored(p) != *b, known_difference, "{p:?}");
        }
        let expect_ignored = [
            "build/x/__pycache__",
            "a/__pycache__",
            "x.log",
            "logs/a.log",
            "sub/deep/z.tmp",
            "secret1",
            "c/other",
            ":(top)x.log",
            ":(exclude)y.log",
        ];
        for p in expect_ignored {
            let i = paths.iter().position(|q| q == p).unwrap();
            assert!(batch[i], "{p} is ignored");
        }
        for p in [
            "keep.log",
            "sub/x.log",
            "sub/local.tmp",
            "c/keep",
            "a",
            "src/m0/plain.py",
        ] {
            let i = paths.iter().position(|q| q == p).unwrap();
            assert!(!batch[i], "{p} is not ignored");
        }
        assert!(batch[rels.len() - 1], "non-UTF-8 name ignored by *.log");
    }

    /// Paths asked before are answered from memory, in the order asked, among paths asked for
    /// the first time: the answers are those a GitInfo that never asked gets.
    #[test]
    fn remembered_and_new_answers_keep_their_order() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        git(root, &["init", "-q", "."]);
        std::fs::write(root.join(".gitignore"), "*.log\nbuild/\n").unwrap();
        std::fs::create_dir(root.join("build")).unwrap();
        let rel = |p: &str| RelPath::from_bytes(p.as_bytes());
        let names = [
            "a.log", "b.py", "build", "c.log", "d.txt", "a.log", "e/f.log",
        ];
        let all: Vec<RelPath> = names.iter().map(|p| rel(p)).collect();
        let refs: Vec<&RelPath> = all.iter().collect();
        let expected = GitInfo::discover(root)
            .unwrap()
            .unwrap()
            .ignored_among(&refs);
        assert_eq!(expected, [true, false, true, true, false, true, true]);
        let g = GitInfo::discover(root).unwrap().unwrap();
        let first = [rel("b.py"), rel("c.log")];
        assert_eq!(
            g.ignored_among(&first.iter().collect::<Vec<_>>()),
            [false, true]
        );
        assert_eq!(g.ignored_among(&refs), expected);
        assert_eq!(g.ignored_among(&[]), Vec::<bool>::new());
        // Remembered until whoever writes an ignore file says so; then git reads it again.
        std::fs::write(root.join(".gitignore"), "").unwrap();
        assert_eq!(g.ignored_among(&refs), expected);
        g.ignore_files_written();
        assert_eq!(g.ignored_among(&refs), [false; 7]);
    }
}
