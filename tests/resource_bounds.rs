//! Hostile sizes: a 5,000-level tree (also under `prlimit --nofile=64`), a 200,000-entry
//! directory, a 10 MB config, a 100,000-line .dockerignore, a pathological glob. Each finishes or
//! refuses with a clear message: no crash, no hang, no stack overflow, no fd exhaustion.

mod common;

use common::*;
use std::process::Command;

/// A chain of `depth` directories named `d` (a path this long cannot be spelled in one string),
/// with a file at the bottom.
fn deep_tree(root: &std::path::Path, depth: usize) {
    chain(root, depth, |_| "d".into(), "leaf.txt", b"leaf");
}

#[test]
fn a_5000_level_tree_is_scanned_and_sized_like_du() {
    let d = tempfile::tempdir().unwrap();
    deep_tree(d.path(), 5000);
    let plan = plan_json(d.path(), &[]);
    assert_eq!(plan["tree"]["dirs"], 5001);
    assert_eq!(plan["tree"]["bytes"], du(d.path(), &["-sb"], &["."]));
}

#[test]
fn a_deep_tree_under_a_64_file_limit_is_reported_not_crashed() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("skipped: prlimit (util-linux) is missing");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    deep_tree(d.path(), 5000);
    let o = Command::new("prlimit")
        .arg("--nofile=64")
        .arg(env!("CARGO_BIN_EXE_mami-clean"))
        .arg("-C")
        .arg(d.path())
        .args(["plan", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let notes = plan["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0]["message"]
            .as_str()
            .unwrap()
            .contains("raise `ulimit -n`"),
        "{notes:?}"
    );
    assert!(!stderr(&o).contains("Too many open files"));
}

#[test]
fn a_200000_entry_directory() {
    let d = tempfile::tempdir().unwrap();
    let big = d.path().join("backups");
    std::fs::create_dir(&big).unwrap();
    for i in 0..200_000 {
        std::fs::File::create(big.join(format!("f{i:06}.py"))).unwrap();
    }
    let plan = plan_json(d.path(), &[]);
    assert_eq!(entry_paths(&plan, "delete"), vec!["backups/"]);
    assert_eq!(plan["entries"][0]["files"], 200_000);
}

#[test]
fn a_10mb_config_is_refused_clearly() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\nphase = 1\nreason = \"r\"\nmatch = [\"x{i}\"]\n"
        ));
        i += 1;
    }
    std::fs::write(d.path().join("mami-clean.toml"), text).unwrap();
    let o = run(d.path(), &["plan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is more than a config may hold"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_100000_line_dockerignore_and_a_pathological_glob() {
    let d = tempfile::tempdir().unwrap();
    mami::write(d.path(), "app/main.py", 10);
    std::fs::write(d.path().join("Dockerfile"), "FROM x\nCOPY app/ /app/\n").unwrap();
    let lines: String = (0..100_000).map(|i| format!("**/gen{i}/*.tmp\n")).collect();
    std::fs::write(d.path().join(".dockerignore"), lines).unwrap();
    let o = run(d.path(), &["context", "--list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).lines().any(|l| l == "app/main.py"));

    let glob = format!("{}x", "**/".repeat(2000));
    std::fs::write(
        d.path().join("mami-clean.toml"),
        format!("[[rule]]\nid = \"deep\"\nphase = 1\nreason = \"r\"\nmatch = [\"{glob}\"]\n"),
    )
    .unwrap();
    let o = run(d.path(), &["plan"]);
    assert!(
        matches!(o.status.code(), Some(0) | Some(2)),
        "{}",
        stderr(&o)
    );
    if o.status.code() == Some(2) {
        assert!(stderr(&o).contains("mami-clean.toml:5:"), "{}", stderr(&o));
    }
}
