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
