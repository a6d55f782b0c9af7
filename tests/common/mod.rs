//! Shared helpers for the integration tests: run the real binary, read du, build fixtures.
#![allow(dead_code)]

pub mod engine;
#[path = "../../testdata/mami/fixture.rs"]
pub mod mami;
pub mod repo;
pub mod snap;

use std::path::Path;
use std::process::{Command, Output};

/// A tool a test needs (`found`), or the reason there is none: a SKIP line here, a failure in
/// CI, where `.ci/run` installs it.
pub fn required(
    found: Option<std::path::PathBuf>,
    what: &str,
    install: &str,
) -> Option<std::path::PathBuf> {
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {what} (.ci/run installs it)"
        );
        eprintln!("SKIP: no {what} ({install})");
    }
    found
}

/// Debian's `docker-compose` (1.29), where installed; else `None` after a SKIP line (and a
/// failure in CI, which installs it).
pub fn docker_compose() -> Option<std::path::PathBuf> {
    let found = Command::new("docker-compose")
        .arg("version")
        .output()
        .ok()
        .map(|_| std::path::PathBuf::from("docker-compose"));
    required(found, "docker-compose", "apt-get install docker-compose")
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mami-clean"))
}

/// Run mami-clean with `-C root` and the given args.
pub fn run(root: &Path, args: &[&str]) -> Output {
    bin()
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `plan --format json` as a value; panics with stderr on failure.
pub fn plan_json(root: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["plan", "--format", "json"];
    args.extend_from_slice(extra);
    let o = run(root, &args);
    assert_eq!(o.status.code(), Some(0), "plan failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("plan prints JSON")
}

/// `du` with the given flags over the given paths (all under `cwd`); the last line's number
/// (with `-c`, the grand total).
pub fn du(cwd: &Path, flags: &[&str], paths: &[&str]) -> u64 {
    let o = Command::new("du")
        .args(flags)
        .args(paths)
        .current_dir(cwd)
        .output()
        .expect("du runs");
    assert!(
        o.status.success(),
        "du: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    let last = text.lines().last().expect("du prints");
    last.split_whitespace().next().unwrap().parse().unwrap()
}

/// The plan's entry for `path`, if it has one.
pub fn entry_at<'a>(plan: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    (plan["entries"].as_array().unwrap().iter()).find(|e| e["path"] == path)
}

/// The plan's entry for `path`; the test fails, showing the plan, where it has none.
#[track_caller]
pub fn entry<'a>(plan: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    entry_at(plan, path).unwrap_or_else(|| panic!("no entry {path}: {plan:#}"))
}

/// The plan's entries as (path, rule), sorted by path.
pub fn entry_rules(plan: &serde_json::Value) -> Vec<(&str, &str)> {
    let mut v: Vec<(&str, &str)> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| (e["path"].as_str().unwrap(), e["rule"].as_str().unwrap()))
        .collect();
    v.sort();
    v
}

/// The plan's entry paths, in the plan's order.
pub fn paths_in_order(plan: &serde_json::Value) -> Vec<&str> {
    (plan["entries"].as_array().unwrap().iter())
        .map(|e| e["path"].as_str().unwrap())
        .collect()
}

/// Entry paths of a plan with an action, dirs with a trailing `/`.
pub fn entry_paths(plan: &serde_json::Value, action: &str) -> Vec<String> {
    let mut v: Vec<String> = plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .map(|e| {
            let mut p = e["path"].as_str().unwrap().to_string();
            if e["kind"] == "dir" {
                p.push('/');
            }
            p
        })
        .collect();
    v.sort();
    v
}

pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// A temp dir holding these files (path, size), with deterministic content.
pub fn tree(files: &[(&str, usize)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (p, n) in files {
        mami::write(dir.path(), p, *n);
    }
    dir
}

/// (path, protection) of every protected entry of a plan.
pub fn protections(plan: &serde_json::Value) -> Vec<(String, String)> {
    plan["protected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["protection"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Directories `names(0)/names(1)/…` (`depth` of them) under `dir`, created through handles
/// (the whole path may be longer than PATH_MAX), with `leaf` holding `content` at the bottom.
pub fn chain(
    dir: &Path,
    depth: usize,
    names: impl Fn(usize) -> String,
    leaf: &str,
    content: &[u8],
) {
    use rustix::fs::{mkdirat, openat, Mode, OFlags};
    let mut fd = rustix::fs::open(dir, OFlags::DIRECTORY | OFlags::RDONLY, Mode::empty()).unwrap();
    for i in 0..depth {
        let n = names(i);
        mkdirat(&fd, n.as_str(), Mode::from_raw_mode(0o755)).unwrap();
        fd = openat(
            &fd,
            n.as_str(),
            OFlags::DIRECTORY | OFlags::RDONLY,
            Mode::empty(),
        )
        .unwrap();
    }
    let flags = OFlags::CREATE | OFlags::WRONLY;
    let f = openat(&fd, leaf, flags, Mode::from_raw_mode(0o644)).unwrap();
    rustix::io::write(&f, content).unwrap();
}

/// A filesystem mounted at a path for a test (root only); unmounted on drop.
pub struct Mount(std::path::PathBuf);

impl Mount {
    /// `mount ARGS AT`; `None` when not root or mounting fails.
    pub fn new(args: &[&str], at: &Path) -> Option<Mount> {
        let ok = is_root()
            && Command::new("mount")
                .args(args)
                .arg(at)
                .status()
                .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }

    /// A 1 MB tmpfs at `at` (made first), or `None` with the reason printed.
    pub fn tmpfs(at: &Path) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let m = Mount::new(&["-t", "tmpfs", "-o", "size=1m", "tmpfs"], at);
        if m.is_none() {
            eprintln!(
                "skipped the mount point at {}: mounting needs root",
                at.display()
            );
        }
        m
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// An audit's findings with the code `code`.
/// The plan's notes of `kind`, as (path, message).
pub fn notes<'a>(plan: &'a serde_json::Value, kind: &str) -> Vec<(&'a str, &'a str)> {
    (plan["notes"].as_array().unwrap().iter())
        .filter(|n| n["kind"] == kind)
        .map(|n| (n["path"].as_str().unwrap(), n["message"].as_str().unwrap()))
        .collect()
}

pub fn findings<'a>(a: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

/// Every finding of an audit as (code, path, message), in its order.
pub fn finding_rows(a: &serde_json::Value) -> Vec<(String, String, String)> {
    (a["findings"].as_array().unwrap().iter())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("code"), s("path"), s("message"))
        })
        .collect()
}

/// Each finding's code and path, sorted.
pub fn code_paths(a: &serde_json::Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = (finding_rows(a).into_iter())
        .map(|(code, path, _)| (code, path))
        .collect();
    v.sort();
    v
}

/// The names of an audit's builds, in its order.
pub fn build_names(a: &serde_json::Value) -> Vec<&str> {
    a["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect()
}
