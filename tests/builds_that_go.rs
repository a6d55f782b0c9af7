//! A build kept in a folder the cleanup deletes (chatvote and fraud_detection_system commit
//! their old setup as `backup/docker-compose.yml` with its Dockerfiles) goes with the cleanup:
//! its context is not audited (advice to give `backup/` a .dockerignore helps nobody) and
//! `ignore --write` writes no .dockerignore into it. The folder is still reported where a live
//! build sends it.

mod common;

use common::repo::Repo;
use common::*;

fn project() -> Repo {
    Repo::new(&[
        ("app.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("backup/app.py", "print(0)\n"),
        ("backup/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "backup/docker-compose.yml",
            "services:\n  web:\n    build: .\n",
        ),
    ])
}

#[test]
fn a_build_in_a_folder_the_cleanup_deletes_is_not_audited() {
    let r = project();
    let a = r.audit();
    let going: Vec<&serde_json::Value> = a["builds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["dockerfile"] == "backup/Dockerfile")
        .collect();
    assert_eq!(going.len(), 1, "{a:#}");
    assert_eq!(going[0]["deleted_with"]["path"], "backup", "{a:#}");
    assert_eq!(going[0]["deleted_with"]["rule"], "backup-dirs", "{a:#}");
    // One finding for `backup/`: the root build sends it. None about `backup`'s own context.
    let all = a["findings"].as_array().unwrap();
    assert!(
        all.iter().all(|f| f["path"] != "backup/.dockerignore"),
        "{a:#}"
    );
    let f = findings(&a, "missing-dockerignore");
    assert_eq!(f.len(), 1, "{a:#}");
    assert_eq!(f[0]["path"], ".dockerignore", "{a:#}");
    let human = stdout(&r.run(&["audit"]));
    assert!(
        human.contains("not audited: its Dockerfile backup/Dockerfile is in backup, which the cleanup deletes (rule `backup-dirs`)"),
        "{human}"
    );

    // The gate wants no ignore file there either, and measures no context for it.
    let gate = stdout(&r.run(&["gate"]));
    assert!(!gate.contains("backup/.dockerignore"), "{gate}");
    assert!(!gate.contains("backup/docker-compose.yml"), "{gate}");

    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!r.path("backup/.dockerignore").exists(), "{}", stdout(&o));
    assert!(r.path(".dockerignore").exists(), "{}", stdout(&o));
}

/// What the project still uses stays a build like any other: a referenced `backup/` is only
/// reviewed, and its build is audited.
#[test]
fn a_build_in_a_folder_the_cleanup_only_reviews_is_audited() {
    let r = project();
    r.write(
        "Makefile",
        "old:\n\tdocker compose -f backup/docker-compose.yml up\n",
    );
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "make"]);
    let a = r.audit();
    let b = a["builds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["dockerfile"] == "backup/Dockerfile")
        .unwrap();
    assert!(b.get("deleted_with").is_none(), "{a:#}");
    assert!(b["files"].as_u64().unwrap() > 0, "{a:#}");
}
