//! The trust model: a committed mami-clean.toml may not delete anything until the user trusts
//! it, and even then never a tracked file; a changed file needs trusting again; untrusted
//! `[verify]` commands are not run.

mod common;

use common::*;
use std::path::Path;
use std::process::Output;

fn run_x(xdg: &Path, root: &Path, args: &[&str]) -> Output {
    bin()
        .env("XDG_DATA_HOME", xdg.join("data"))
        .env("XDG_STATE_HOME", xdg.join("state"))
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn repo() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("repo");
    for f in ["src/main.py", "src/util.py", "README.md"] {
        mami::write(&root, f, 100);
    }
    mami::git(&root, &["init", "-q"]);
    mami::git(&root, &["add", "-A"]);
    mami::git(&root, &["commit", "-q", "-m", "c"]);
    // Untracked files the hostile rule would also reach.
    mami::write(&root, "src/generated.py", 100);
    std::fs::write(
        root.join("mami-clean.toml"),
        "[[rule]]\nid = \"all-src\"\nphase = 1\nreason = \"r\"\nmatch = [\"src/**\"]\n",
    )
    .unwrap();
    mami::git(&root, &["add", "mami-clean.toml"]);
    mami::git(&root, &["commit", "-q", "-m", "a config from someone else"]);
    let xdg = d.path().join("xdg");
    (d, root, xdg)
}

#[test]
fn an_untrusted_config_that_selects_src_deletes_nothing() {
    let (_d, root, xdg) = repo();
    let o = run_x(&xdg, &root, &["plan"]);
    let s = stdout(&o);
    // Tracked files are never selected by a repository rule; untracked ones are shown, marked.
    assert!(!s.contains("src/main.py"), "{s}");
    assert!(
        s.contains("src/generated.py") && s.contains("UNTRUSTED rule"),
        "{s}"
    );
    assert!(
        s.contains("1 entries come from rules of an untrusted mami-clean.toml"),
        "{s}"
    );
    let o = run_x(&xdg, &root, &["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("is not trusted: apply ignores its delete and review rules"),
        "{}",
        stderr(&o)
    );
    for f in ["src/main.py", "src/util.py", "src/generated.py"] {
        assert!(root.join(f).exists(), "{f} was deleted");
    }
    // A saved plan made with the untrusted rule: apply skips its entries and says why.
    let plan = root.parent().unwrap().join("plan.json");
    run_x(&xdg, &root, &["plan", "--out", plan.to_str().unwrap()]);
    let o = run_x(&xdg, &root, &["apply", "--plan", plan.to_str().unwrap()]);
    assert!(
        stdout(&o).contains(
            "src/generated.py: selected by rule `all-src`, which is not in force for apply"
        ),
        "{}",
        stdout(&o)
    );
    assert!(root.join("src/generated.py").exists());
}

#[test]
fn trusted_rules_delete_untracked_files_only_and_a_change_revokes_trust() {
    let (_d, root, xdg) = repo();
    let o = run_x(&xdg, &root, &["trust"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("trusted "), "{}", stdout(&o));
    let o = run_x(&xdg, &root, &["plan"]);
    assert!(!stdout(&o).contains("UNTRUSTED"), "{}", stdout(&o));
    let o = run_x(&xdg, &root, &["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!root.join("src/generated.py").exists());
    assert!(
        root.join("src/main.py").exists() && root.join("src/util.py").exists(),
        "tracked files stay"
    );
    // Edit the config: untrusted again.
    std::fs::write(
        root.join("mami-clean.toml"),
        "[[rule]]\nid = \"all-src\"\nphase = 1\nreason = \"changed\"\nmatch = [\"src/**\"]\n",
    )
    .unwrap();
    mami::write(&root, "src/generated2.py", 10);
    let o = run_x(&xdg, &root, &["rules"]);
    assert!(stdout(&o).contains("UNTRUSTED"), "{}", stdout(&o));
}

#[test]
fn the_users_own_config_is_trusted_and_may_select_tracked_files() {
    let (_d, root, xdg) = repo();
    std::fs::remove_file(root.join("mami-clean.toml")).unwrap();
    mami::git(&root, &["commit", "-qam", "no repo config"]);
    std::fs::create_dir_all(xdg.join("config/mami-clean")).unwrap();
    std::fs::write(
        xdg.join("config/mami-clean/config.toml"),
        "[[rule]]\nid = \"old-util\"\nphase = 3\nreason = \"mine\"\nmatch = [\"src/util.py\"]\n",
    )
    .unwrap();
    let o = run_x(&xdg, &root, &["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        !root.join("src/util.py").exists(),
        "a user rule may select a tracked file (git gives it back)"
    );
}

#[test]
fn untrusted_verify_commands_are_not_run() {
    let (d, root, xdg) = repo();
    let marker = d.path().join("pwned");
    std::fs::write(
        root.join("mami-clean.toml"),
        format!("[verify]\ncommands = [\"touch {}\"]\n", marker.display()),
    )
    .unwrap();
    let bin_dir = d.path().join("bin");
    std::fs::create_dir(&bin_dir).unwrap();
    std::fs::write(bin_dir.join("docker"), "#!/bin/sh\nexit 0\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        bin_dir.join("docker"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mc = |cmd: &str| {
        bin()
            .env("PATH", &path)
            .env("XDG_DATA_HOME", xdg.join("data"))
            .env("XDG_STATE_HOME", xdg.join("state"))
            .arg("-C")
            .arg(&root)
            .arg(cmd)
            .output()
            .unwrap()
    };
    let o = mc("verify");
    assert!(!marker.exists(), "an untrusted command ran: {}", stdout(&o));
    assert!(
        stdout(&o).contains("docker build"),
        "the default checks ran instead: {}",
        stdout(&o)
    );
    let o = mc("trust");
    assert_eq!(o.status.code(), Some(0));
    mc("verify");
    assert!(marker.exists(), "trusted commands run");
}
