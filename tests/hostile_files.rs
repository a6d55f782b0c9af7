//! Hostile files a cloned repository can carry, each met by every command that reads it: a
//! YAML alias bomb in `compose.yaml`, a 50 MB `.dockerignore`, FIFOs named like ignore files.
//! Each command refuses in bounded time and memory with an error naming the file (exit 2),
//! and changes nothing.

mod common;

use common::repo::Repo;
use common::*;
use std::process::{Command, Output};

const COMMANDS: &[&[&str]] = &[
    &["plan"],
    &["audit"],
    &["gate"],
    &["ignore"],
    &["context"],
    &["apply", "--yes"],
];

/// Run under a 60 s timeout and an 8 GB address-space limit (thread stacks reserve 1 GiB each): a hang or an expansion fails the
/// test instead of the machine.
fn bounded(r: &Repo, args: &[&str]) -> Output {
    bounded_with(r, args, &[])
}

/// [`bounded`], with `vars` in the environment too.
fn bounded_with(r: &Repo, args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new("timeout")
        .args(["60", "prlimit", "--as=8000000000"])
        .arg(env!("CARGO_BIN_EXE_mami-clean"))
        .envs(vars.iter().copied())
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("XDG_CONFIG_HOME", r.xdg.join("config"))
        .arg("-C")
        .arg(&r.root)
        .args(args)
        .output()
        .unwrap()
}

/// Every command that reads the file (`context` reads no compose file and no `.gitignore`).
fn every_command_refuses(r: &Repo, names: &str, why: &str) {
    let before = common::snap::snap(&r.root);
    let reads = |args: &&&[&str]| args[0] != "context" || names.contains(".dockerignore");
    for args in COMMANDS.iter().filter(reads) {
        let o = bounded(r, args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        let err = stderr(&o);
        assert!(err.contains(names) && err.contains(why), "{args:?}: {err}");
    }
    assert_eq!(common::snap::snap(&r.root), before, "the tree changed");
}

fn repo() -> Repo {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
    ]);
    r.write("backups/old.txt", "old\n");
    r
}

#[test]
fn a_yaml_alias_bomb_is_refused_at_its_line() {
    let r = repo();
    let mut y = String::from(
        "x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='j' {
        y.push_str(&format!("x-{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = c;
    }
    y.push_str("services:\n  web:\n    build: .\n");
    r.write("compose.yaml", &y);
    every_command_refuses(&r, "compose.yaml:", "alias bomb");
}

#[test]
fn a_50mb_dockerignore_is_refused_naming_the_limit() {
    let r = repo();
    let line = "**/generated/cache/*.tmp\n";
    r.write(".dockerignore", &line.repeat(50 * 1024 * 1024 / line.len()));
    every_command_refuses(&r, ".dockerignore", "more than mami-clean reads");
}

#[test]
fn fifos_named_like_ignore_files_never_hang_a_command() {
    for name in [".dockerignore", ".gitignore"] {
        let r = repo();
        let p = r.path(name);
        assert!(Command::new("mkfifo").arg(&p).status().unwrap().success());
        every_command_refuses(&r, name, "not a regular file");
    }
}

/// A committed compose file whose build context is `/`, or a folder beside the repository
/// holding a key, or whose Dockerfile is `/proc/self/environ` (directly or through a committed
/// link): no command reads them (a pull request cannot make CI walk the filesystem, or print
/// what lies outside the checkout: the environment's tokens were quoted as the instruction
/// "before any FROM"). The audit says so once per build, and the gate passes.
#[test]
fn a_build_outside_the_repository_is_never_read() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
    ]);
    let beside = r.outside("beside");
    std::fs::create_dir_all(beside.join(".ssh")).unwrap();
    std::fs::write(
        beside.join(".ssh/id_rsa"),
        "-----BEGIN OPENSSH PRIVATE KEY-----\n",
    )
    .unwrap();
    std::fs::write(beside.join("Dockerfile"), "FROM scratch\nCOPY . /\n").unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", r.path("env.Dockerfile")).unwrap();
    r.write(
        "compose.yaml",
        "services:\n  all:\n    build:\n      context: /\n      dockerfile: ./Dockerfile\n  beside:\n    build: ../beside\n  env:\n    build:\n      context: .\n      dockerfile: /proc/self/environ\n  linked:\n    build:\n      context: .\n      dockerfile: env.Dockerfile\n",
    );
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "contexts"]);
    let run = |args: &[&str]| {
        let o = bounded_with(&r, args, &[("MAMI_TEST_TOKEN", "s3cr3t-t0ken")]);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        for leak in ["s3cr3t", "S3CR3T", "id_rsa"] {
            assert!(!all.contains(leak), "{args:?} printed {leak}: {all}");
        }
        (o.status.code(), stdout(&o))
    };
    let (code, out) = run(&["audit", "--format", "json"]);
    assert_eq!(code, Some(0), "{out}");
    let a: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut outside: Vec<_> = (a["findings"].as_array().unwrap().iter())
        .filter(|f| f["code"] == "context-outside")
        .map(|f| f["build"].as_str().unwrap().to_owned())
        .collect();
    outside.sort();
    let services = ["all", "beside", "env", "linked"].map(|s| format!("compose.yaml: service {s}"));
    assert_eq!(outside, services);
    for b in a["builds"].as_array().unwrap() {
        if b["name"].as_str().unwrap().starts_with("compose.yaml") {
            assert_eq!(b["files"], 0, "{b:#}");
        }
    }
    let (code, out) = run(&["gate"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("context-outside"), "{out}");
    assert_eq!(run(&["plan"]).0, Some(0));
    assert_eq!(run(&["ignore"]).0, Some(0));
}
