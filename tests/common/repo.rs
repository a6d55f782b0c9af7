//! A small git repository in a temp dir, built from (path, content) pairs and committed, with
//! the user's XDG directories beside it: the starting point of the attack and fault tests.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::mami;
use super::snap::run_in;

pub struct Repo {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
    pub xdg: PathBuf,
}

impl Repo {
    /// `files` written under `<tmp>/repo` and committed (the repository is left uncommitted
    /// when `files` is empty).
    pub fn new(files: &[(&str, &str)]) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        let xdg = dir.path().join("xdg");
        let r = Repo { dir, root, xdg };
        for (p, c) in files {
            r.write(p, c);
        }
        r.git(&["init", "-q"]);
        if !files.is_empty() {
            r.git(&["add", "-A"]);
            r.git(&["commit", "-q", "-m", "init"]);
        }
        r
    }

    pub fn write(&self, rel: &str, content: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join(rel)).ok()
    }

    pub fn git(&self, args: &[&str]) {
        mami::git(&self.root, args);
    }

    pub fn run(&self, args: &[&str]) -> Output {
        run_in(&self.xdg, &self.root, args)
    }

    /// [`Repo::run`], which must exit 0 (its stderr shown if not).
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(0), "{}", super::stderr(&o));
        o
    }

    /// Whether git ignores `path` by the ignore files as they are on disk (`git check-ignore
    /// --no-index`: tracked or not).
    pub fn git_ignores(&self, path: &str) -> bool {
        std::process::Command::new("git")
            .args(["check-ignore", "-q", "--no-index", path])
            .current_dir(&self.root)
            .status()
            .unwrap()
            .success()
    }

    /// `audit --format json` of the repository.
    pub fn audit(&self) -> serde_json::Value {
        let o = self.run(&["audit", "--format", "json"]);
        serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)))
    }

    /// A path beside the repository, outside it.
    pub fn outside(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// `plan --out <tmp>/plan.json`; the plan file's path.
    pub fn save_plan(&self) -> PathBuf {
        let f = self.outside("plan.json");
        let o = self.run(&["plan", "--out", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", super::stderr(&o));
        f
    }

    pub fn exists(&self, rel: &str) -> bool {
        Path::new(&self.root.join(rel)).symlink_metadata().is_ok()
    }
}

impl Drop for Repo {
    /// `rm -rf` first: the temp dir's own cleanup recurses once per level and overflows its
    /// stack on the 20,000-level trees some tests build.
    fn drop(&mut self) {
        let _ = std::process::Command::new("rm")
            .arg("-rf")
            .arg(self.dir.path())
            .status();
    }
}
