//! `apply`, `restore` and `recover` within bounded resources: a backup entry of 200,000 files
//! under a 1,024-descriptor limit, and trees deeper than any thread's stack allows recursion
//! for. Each finishes, or refuses with a clear message and changes nothing.

mod common;

use common::repo::Repo;
use common::*;
use std::process::Command;

/// Run the binary under `prlimit --nofile=N` with the repository's XDG dirs.
fn limited(r: &Repo, nofile: u32, args: &[&str]) -> std::process::Output {
    Command::new("prlimit")
        .arg(format!("--nofile={nofile}"))
        .arg(env!("CARGO_BIN_EXE_mami-clean"))
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("XDG_CONFIG_HOME", r.xdg.join("config"))
        .arg("-C")
        .arg(&r.root)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_200000_file_backup_entry_under_a_1024_descriptor_limit() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("skipped: prlimit (util-linux) is missing");
        return;
    }
    let r = Repo::new(&[("src/app.py", "x\n")]);
    let wide = r.path("backups/wide");
    std::fs::create_dir_all(&wide).unwrap();
    for i in 0..200_000 {
        std::fs::write(wide.join(format!("f{i:06}")), i.to_string()).unwrap();
    }
    let o = limited(&r, 1024, &["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("200000 files"), "{}", stdout(&o));
    assert!(!r.exists("backups"));
    let o = limited(&r, 1024, &["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    for i in [0, 99_999, 199_999] {
        assert_eq!(
            std::fs::read_to_string(wide.join(format!("f{i:06}"))).unwrap(),
            i.to_string()
        );
    }
}

/// `cmd` killed after `secs`: a walk gone quadratic fails the test instead of hanging it.
fn within(secs: u32, r: &Repo, args: &[&str]) -> std::process::Output {
    Command::new("timeout")
        .arg(secs.to_string())
        .arg(env!("CARGO_BIN_EXE_mami-clean"))
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("XDG_CONFIG_HOME", r.xdg.join("config"))
        .arg("-C")
        .arg(&r.root)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn dependency_trees_past_the_depth_cap_plan_in_linear_time_and_apply_finishes() {
    let r = Repo::new(&[("package.json", "{}\n"), ("src/app.js", "x\n")]);
    // 20,000 levels: past the 10,000-level cap. The fast sizer used to give up at the cap
    // and each level above re-walked the chain below it (10,050 levels: over 300 s).
    std::fs::create_dir(r.path("node_modules")).unwrap();
    chain(
        &r.path("node_modules"),
        20_000,
        |_| "d".into(),
        "leaf.js",
        b"x",
    );
    let o = within(120, &r, &["plan", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let deep: Vec<_> = plan["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| {
            n["message"]
                .as_str()
                .unwrap()
                .contains("deeper than 10000 levels")
        })
        .collect();
    assert_eq!(deep.len(), 1, "reported once: {deep:?}");
    let o = within(300, &r, &["apply", "--yes"]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = r.run(&["recover"]);
    assert!(
        stdout(&o).contains("no interrupted apply"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_9000_level_dependency_tree_and_backup_entry_are_deleted_and_restored() {
    let r = Repo::new(&[("package.json", "{}\n"), ("src/app.js", "x\n")]);
    // The deleter recurses once per level (on deep-stack threads); the backup's collector and
    // writer and restore keep an explicit stack and at most 32 directory handles.
    std::fs::create_dir(r.path("node_modules")).unwrap();
    std::fs::create_dir(r.path("backups")).unwrap();
    chain(
        &r.path("node_modules"),
        9_000,
        |_| "d".into(),
        "leaf.js",
        b"x",
    );
    chain(
        &r.path("backups"),
        9_000,
        |i| format!("l{}", i % 7),
        "leaf.txt",
        b"deep",
    );
    let o = within(300, &r, &["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!r.exists("node_modules") && !r.exists("backups"));
    let o = Command::new("prlimit")
        .arg("--nofile=64")
        .arg(env!("CARGO_BIN_EXE_mami-clean"))
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .arg("-C")
        .arg(&r.root)
        .args(["restore", "--latest"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // The leaf, 9,000 levels down, read through handles (the path passes PATH_MAX).
    let mut fd = rustix::fs::open(
        r.path("backups"),
        rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::RDONLY,
        rustix::fs::Mode::empty(),
    )
    .unwrap();
    for i in 0..9_000 {
        let n = format!("l{}", i % 7);
        fd = rustix::fs::openat(
            &fd,
            n.as_str(),
            rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::RDONLY,
            rustix::fs::Mode::empty(),
        )
        .unwrap();
    }
    let f = rustix::fs::openat(
        &fd,
        "leaf.txt",
        rustix::fs::OFlags::RDONLY,
        rustix::fs::Mode::empty(),
    )
    .unwrap();
    let mut buf = [0u8; 8];
    let n = rustix::io::read(&f, &mut buf).unwrap();
    assert_eq!(&buf[..n], b"deep");
}

#[test]
fn recover_finishes_a_9000_level_dependency_tree_killed_half_way() {
    let r = Repo::new(&[("package.json", "{}\n"), ("src/app.js", "x\n")]);
    std::fs::create_dir(r.path("node_modules")).unwrap();
    chain(
        &r.path("node_modules"),
        9_000,
        |_| "d".into(),
        "leaf.js",
        b"x",
    );
    r.write("node_modules/top.js", "y\n");
    let o = bin()
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("MAMI_CLEAN_FAILPOINT", "delete-after-file:1:abort")
        .arg("-C")
        .arg(&r.root)
        .args(["apply", "--yes"])
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0), "the failpoint killed it");
    assert!(r.exists("node_modules/d"), "killed half way");
    let o = within(300, &r, &["recover", "--finish"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!r.exists("node_modules"));
}
