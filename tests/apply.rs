//! `apply`, `restore` and `recover` on real temp trees: the happy path round trip, refusals,
//! entries that changed between plan and apply, and the faults that must lose nothing. Every
//! test hashes a canary outside the tree and every file outside the plan, before and after.

mod common;

use common::snap::{run_in, snap, Snap};
use common::*;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::process::{Command, Output};

fn under_any(p: &[u8], entries: &[String]) -> bool {
    entries.iter().any(|e| {
        p == e.as_bytes() || (p.starts_with(e.as_bytes()) && p.get(e.len()) == Some(&b'/'))
    })
}

fn delete_paths(plan: &serde_json::Value) -> Vec<String> {
    plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "delete")
        .map(|e| match e.get("path_hex") {
            Some(h) => {
                let h = h.as_str().unwrap();
                let b: Vec<u8> = (0..h.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                    .collect();
                unsafe { String::from_utf8_unchecked(b) }
            }
            None => e["path"].as_str().unwrap().to_string(),
        })
        .collect()
}

fn regenerable_paths(plan: &serde_json::Value) -> Vec<String> {
    plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["recovery"] == "regenerable")
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect()
}

struct World {
    m: mami::Mami,
    xdg: PathBuf,
    plan_file: PathBuf,
}

fn world() -> World {
    let m = mami::build();
    let xdg = m.dir.path().join("xdg");
    let plan_file = m.dir.path().join("plan.json");
    World { m, xdg, plan_file }
}

impl World {
    fn run(&self, args: &[&str]) -> Output {
        run_in(&self.xdg, &self.m.root, args)
    }
    fn plan(&self) -> serde_json::Value {
        let o = self.run(&[
            "plan",
            "--out",
            self.plan_file.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }
    fn apply(&self) -> Output {
        self.run(&["apply", "--plan", self.plan_file.to_str().unwrap()])
    }
    fn canary(&self) -> String {
        std::fs::read_to_string(self.m.outside.join("canary.txt")).unwrap()
    }
}

#[test]
fn plan_apply_restore_round_trip_is_bit_exact() {
    let w = world();
    let canary = w.canary();
    let before = snap(&w.m.root);
    let plan = w.plan();
    let gone = delete_paths(&plan);
    let o = w.apply();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    for line in [
        "PASS  plan is current",
        "PASS  git work tree clean",
        "PASS  everything committed",
        "PASS  backup present",
        "PASS  fewer files",
        "PASS  smaller tree",
        "PASS  data intact",
        "PASS  .gitignore ",
        "PASS  .dockerignore ",
        "PASS  build context",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    // Exactly the plan went; everything else is byte-identical but the ignore files, which
    // gained a managed block after the user's lines.
    let after = snap(&w.m.root);
    let gi = std::fs::read_to_string(w.m.root.join(".gitignore")).unwrap();
    assert!(
        gi.contains("mami-clean managed block") && gi.starts_with("node_modules/\n"),
        "{gi}"
    );
    assert!(
        w.m.root.join(".dockerignore").exists() && w.m.root.join("ui-new/.dockerignore").exists()
    );
    for (p, v) in &before {
        if p == b".gitignore" {
            continue;
        }
        if under_any(p, &gone) {
            assert!(
                !after.contains_key(p),
                "{} should be gone",
                String::from_utf8_lossy(p)
            );
        } else {
            assert_eq!(
                after.get(p),
                Some(v),
                "{} changed",
                String::from_utf8_lossy(p)
            );
        }
    }
    assert_eq!(w.canary(), canary);
    assert!(w
        .m
        .root
        .join("ui-new/src/pages/admin/backup/BackupPage.tsx")
        .exists());

    // The backup is listed, and restores every backed-up entry; git restores the rest.
    let o = w.run(&["restore"]);
    assert!(stdout(&o).contains("mami-"), "{}", stdout(&o));
    let o = w.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    mami::git(&w.m.root, &["checkout", "--", "."]);
    let restored = snap(&w.m.root);
    let regenerable = regenerable_paths(&plan);
    for (p, v) in &before {
        if under_any(p, &regenerable) || p == b".gitignore" {
            continue;
        }
        let got = restored.get(p);
        // git checkout writes fresh mtimes; content, mode and kind must match exactly.
        let tracked = Command::new("git")
            .args(["ls-files", "--error-unmatch"])
            .arg(std::ffi::OsStr::from_bytes(p))
            .current_dir(&w.m.root)
            .output()
            .unwrap()
            .status
            .success();
        match got {
            Some(g) if tracked => assert_eq!(
                (g.0, g.1, g.2, &g.4),
                (v.0, v.1, v.2, &v.4),
                "{}",
                String::from_utf8_lossy(p)
            ),
            Some(g) => assert_eq!(
                g,
                v,
                "{} not restored bit-exact",
                String::from_utf8_lossy(p)
            ),
            None => panic!("{} not restored", String::from_utf8_lossy(p)),
        }
    }
    // A second restore finds everything in place.
    let o = w.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains(" 0 written") || stdout(&o).contains("already in place"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn without_a_terminal_apply_needs_yes_or_a_plan() {
    let w = world();
    let before = snap(&w.m.root);
    let o = w.run(&["apply"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert_eq!(snap(&w.m.root), before);
    let o = w.run(&["apply", "--no-backup"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(snap(&w.m.root), before);
}

#[test]
fn a_stale_plan_is_refused_and_says_what_changed() {
    let w = world();
    w.plan();
    std::fs::write(w.m.root.join("NEW.txt"), "x").unwrap();
    mami::git(&w.m.root, &["add", "NEW.txt"]);
    mami::git(&w.m.root, &["commit", "-q", "-m", "moved on"]);
    let before = snap(&w.m.root);
    let o = w.apply();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("FAIL  plan is current") && stdout(&o).contains("HEAD moved"),
        "{}",
        stdout(&o)
    );
    assert_eq!(snap(&w.m.root), before);

    // Rules changed: a config appeared.
    let w = world();
    w.plan();
    std::fs::write(w.m.root.join("mami-clean.toml"), "target = \"2GB\"\n").unwrap();
    let o = w.apply();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("rules in force changed"),
        "{}",
        stdout(&o)
    );

    // A dirty tree.
    let w = world();
    w.plan();
    std::fs::write(w.m.root.join("README.md"), "edited").unwrap();
    let o = w.apply();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("FAIL  git work tree clean"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_tampered_plan_is_refused() {
    let w = world();
    w.plan();
    let text = std::fs::read_to_string(&w.plan_file).unwrap();
    std::fs::write(
        &w.plan_file,
        text.replacen("\"DOCKER_READY.md\"", "\"README.md\"", 1),
    )
    .unwrap();
    let before = snap(&w.m.root);
    let o = w.apply();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("body_hash"), "{}", stderr(&o));
    assert_eq!(snap(&w.m.root), before);
    std::fs::write(&w.plan_file, &text[..text.len() / 2]).unwrap();
    let o = w.apply();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a plan file"), "{}", stderr(&o));
}

#[test]
fn entries_changed_after_the_plan_are_skipped_and_the_rest_goes() {
    let w = world();
    let canary = w.canary();
    w.plan();
    let root = &w.m.root;
    // deleted; content changed (same size); replaced by a symlink to the canary; a new file
    // inside a planned directory; a new untracked file in a git-class directory.
    std::fs::remove_file(root.join("data/eval_results.json")).unwrap();
    std::fs::write(root.join("data/api_stats.json"), "x".repeat(90000)).unwrap();
    std::fs::remove_file(root.join("logs/mami.log.3")).unwrap();
    std::os::unix::fs::symlink(w.m.outside.join("canary.txt"), root.join("logs/mami.log.3"))
        .unwrap();
    // Deeper than the entry itself, so its own mtime does not change: the counts catch it.
    std::fs::write(root.join("backups/graveyard/new-after-plan.txt"), "mine").unwrap();
    let o = w.apply();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        out.contains("SKIPPED") && out.contains("data/eval_results.json: vanished since the plan"),
        "{out}"
    );
    assert!(
        out.contains("data/api_stats.json: changed since the plan"),
        "{out}"
    );
    assert!(
        out.contains("logs/mami.log.3: changed since the plan: was a file, now a symlink"),
        "{out}"
    );
    assert!(
        out.contains("backups: contents changed since the plan"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("data/api_stats.json")).unwrap(),
        "x".repeat(90000)
    );
    assert!(root
        .join("logs/mami.log.3")
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(root.join("backups/graveyard/new-after-plan.txt")).unwrap(),
        "mine"
    );
    assert_eq!(w.canary(), canary);
    // The rest went.
    assert!(!root.join("FINAL_VERIFICATION.md").exists());
    assert!(!root.join("node_modules").exists());
}

#[test]
fn a_full_backup_disk_deletes_nothing() {
    if !is_root() {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let w = world();
    w.plan();
    let small = w.m.dir.path().join("small");
    std::fs::create_dir(&small).unwrap();
    if !Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mount not permitted here");
        return;
    }
    let before = snap(&w.m.root);
    let o = w.run(&[
        "apply",
        "--plan",
        w.plan_file.to_str().unwrap(),
        "--backup-dir",
        small.to_str().unwrap(),
    ]);
    let _ = Command::new("umount").arg(&small).status();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("FAIL  backup present"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("nothing was deleted"));
    assert_eq!(snap(&w.m.root), before);
}

#[test]
fn immutable_files_are_reported_and_the_rest_continues() {
    let w = world();
    w.plan();
    let f = w.m.root.join("node_modules/react/lib/file3.js");
    if !Command::new("chattr")
        .arg("+i")
        .arg(&f)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: chattr +i not permitted here");
        return;
    }
    let o = w.apply();
    let _ = Command::new("chattr").arg("-i").arg(&f).status();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("PARTIAL")
            && out.contains("node_modules/react/lib/file3.js: operation not permitted"),
        "{out}"
    );
    assert!(f.exists());
    assert!(!w.m.root.join("ui-new/node_modules").exists());
}

#[test]
fn a_bind_mount_inside_a_planned_dir_is_never_crossed() {
    if !is_root() {
        eprintln!("skipped: bind mounts need root");
        return;
    }
    let w = world();
    w.plan();
    let inner = w.m.root.join("node_modules/vite/lib/mnt");
    std::fs::create_dir(&inner).unwrap();
    // The plan was made before the mount dir existed: apply must see the change and skip.
    if !Command::new("mount")
        .arg("--bind")
        .arg(&w.m.outside)
        .arg(&inner)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mount not permitted here");
        return;
    }
    let o = w.apply();
    let _ = Command::new("umount").arg(&inner).status();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("node_modules: contents changed since the plan")
            || stdout(&o).contains("mount"),
        "{}",
        stdout(&o)
    );
    assert!(w.m.outside.join("canary.txt").exists());
}

#[test]
fn two_applies_at_once_the_second_is_refused() {
    let w = world();
    w.plan();
    // Hold the lock the way a running apply does.
    let state = w.m.root.join(".git/mami-clean");
    std::fs::create_dir_all(&state).unwrap();
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(state.join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let before = snap(&w.m.root);
    let o = w.apply();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("another mami-clean apply holds the lock"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snap(&w.m.root), before);
    drop(lock);
    let o = w.apply();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn an_unfinished_journal_blocks_apply_until_recover() {
    let w = world();
    w.plan();
    let state = w.m.root.join(".git/mami-clean");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(
        state.join("journal.jsonl"),
        "{\"record\":\"begin\",\"plan_body_hash\":\"x\",\"root\":\"r\",\"backup\":null}\n{\"record\":\"intent\",\"i\":0,\"path\":\"DOCKER_READY.md\"}\n{\"rec",
    )
    .unwrap();
    let o = w.apply();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("mami-clean recover"), "{}", stderr(&o));
    let o = w.run(&["recover"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("DOCKER_READY.md: being deleted when it stopped"),
        "{}",
        stdout(&o)
    );
    // Without the plan copy (a journal from before it existed) there is nothing to finish.
    let o = w.run(&["recover", "--finish"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stdout(&o).contains("recover --undo"), "{}", stdout(&o));
    assert_eq!(w.apply().status.code(), Some(2));
    let o = w.run(&["recover", "--undo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(
            "DOCKER_READY.md: being deleted when it stopped (may be partly gone) → in place"
        ),
        "{}",
        stdout(&o)
    );
    let o = w.apply();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn commit_records_the_cleanup() {
    let w = world();
    w.plan();
    let o = w.run(&["apply", "--plan", w.plan_file.to_str().unwrap(), "--commit"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("PASS  commit"), "{}", stdout(&o));
    let log = Command::new("git")
        .args(["log", "-1", "--format=%s"])
        .current_dir(&w.m.root)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.stdout).trim(),
        "chore: cleanup project for Docker production readiness"
    );
    let st = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&w.m.root)
        .output()
        .unwrap();
    let st = String::from_utf8_lossy(&st.stdout);
    assert!(
        !st.lines()
            .any(|l| l.starts_with(" D") || l.starts_with("D ")),
        "deletions left unstaged: {st}"
    );
    // The cleaned, committed repository is what CI gates from now on: it passes with nothing to
    // say. The ignore lines written for the junk are still wanted although the junk is gone.
    let o = w.run(&["ignore", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = w.run(&["gate"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("gate passed: 0 denied, 0 warnings"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn restore_refuses_to_overwrite_different_content() {
    let w = world();
    w.plan();
    assert_eq!(w.apply().status.code(), Some(0));
    std::fs::create_dir_all(w.m.root.join("data")).unwrap();
    std::fs::write(w.m.root.join("data/api_stats.json"), "new data").unwrap();
    let o = w.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("data/api_stats.json: exists with different content"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(w.m.root.join("data/api_stats.json")).unwrap(),
        "new data"
    );
    let o = w.run(&["restore", "--latest", "--force"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read(w.m.root.join("data/api_stats.json")).unwrap(),
        mami::content("data/api_stats.json", 90000)
    );
    // --to puts a copy elsewhere.
    let to = w.m.dir.path().join("copy");
    let o = w.run(&["restore", "--latest", "--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(to.join("backups/graveyard/old_router.py").exists());
}

#[test]
fn a_plan_from_another_clone_is_refused() {
    let a = world();
    a.plan();
    let b = world();
    let before = snap(&b.m.root);
    let o = b.run(&["apply", "--plan", a.plan_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("stale plan: made for"),
        "{}",
        stdout(&o)
    );
    assert_eq!(snap(&b.m.root), before);
}

#[test]
fn a_directory_replaced_by_a_symlink_is_skipped_and_its_target_untouched() {
    let w = world();
    w.plan();
    let nm = w.m.root.join("ui-new/node_modules");
    std::fs::rename(&nm, w.m.dir.path().join("moved-away")).unwrap();
    std::os::unix::fs::symlink(&w.m.outside, &nm).unwrap();
    let o = w.apply();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o)
            .contains("ui-new/node_modules: changed since the plan: was a dir, now a symlink"),
        "{}",
        stdout(&o)
    );
    assert!(w.m.outside.join("canary.txt").exists());
    assert!(nm.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn a_directory_swapped_for_a_symlink_while_apply_runs_never_leads_outside() {
    // The CVE-2022-21658 shape: a thread keeps swapping a directory inside a planned entry for
    // a symlink to an outside directory while apply deletes. Handles and O_NOFOLLOW mean the
    // outside canary survives whatever the timing.
    let w = world();
    let bait = w.m.outside.join("bait");
    for i in 0..50 {
        mami::write(&bait, &format!("f{i}.txt"), 100);
    }
    for i in 0..400 {
        mami::write(&w.m.root, &format!("node_modules/swap/d{i}/x.js"), 10);
    }
    w.plan();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let racer = {
        let stop = stop.clone();
        let swap = w.m.root.join("node_modules/swap");
        let bait = bait.clone();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 20_000 {
                let d = swap.join(format!("d{}", n % 400));
                let _ = std::fs::remove_dir_all(&d);
                let _ = std::os::unix::fs::symlink(&bait, &d);
                let _ = std::fs::remove_file(&d);
                let _ = std::fs::create_dir_all(&d);
                n += 1;
            }
        })
    };
    let o = w.apply();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    racer.join().unwrap();
    assert!(
        matches!(o.status.code(), Some(0) | Some(1)),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    for i in 0..50 {
        assert!(
            bait.join(format!("f{i}.txt")).exists(),
            "outside file f{i} was deleted"
        );
    }
    assert!(w.m.outside.join("canary.txt").exists());
}

#[test]
fn on_a_terminal_apply_shows_the_plan_and_asks() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is missing, no pseudo-terminal to test with");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("t");
    mami::write(&root, "DOCKER_READY.md", 10);
    let bin = env!("CARGO_BIN_EXE_mami-clean");
    let run = |answer: &str| {
        let cmd = format!("{bin} -C {} apply; echo EXIT=$?", root.display());
        let mut child = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("XDG_DATA_HOME", d.path().join("xdg"))
            .env("XDG_STATE_HOME", d.path().join("state"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).into_owned()
    };
    let out = run("n\n");
    assert!(
        out.contains("Delete these entries? [y/N]")
            && out.contains("nothing deleted")
            && out.contains("EXIT=2"),
        "{out}"
    );
    assert!(root.join("DOCKER_READY.md").exists());
    let out = run("y\n");
    assert!(out.contains("EXIT=0"), "{out}");
    assert!(!root.join("DOCKER_READY.md").exists());
}

#[test]
fn a_plan_whose_paths_leave_the_root_is_refused() {
    let w = world();
    w.plan();
    let text = std::fs::read(&w.plan_file).unwrap();
    for bad in [
        "../outside",
        "/etc/passwd",
        "a//b",
        ".git/config",
        "x/./y",
        "",
    ] {
        let mut p: mami_clean::plan::Plan = serde_json::from_slice(&text).unwrap();
        p.entries[0].path = bad.into();
        // Re-seal the body so only the path check can refuse it.
        p.body_hash = mami_clean::plan::body_hash(&p.entries);
        std::fs::write(&w.plan_file, serde_json::to_vec_pretty(&p).unwrap()).unwrap();
        let before = snap(&w.m.root);
        let o = w.apply();
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stdout(&o));
        assert!(stderr(&o).contains("entry `"), "{bad:?}: {}", stderr(&o));
        assert_eq!(snap(&w.m.root), before);
    }
}

#[test]
fn a_permission_error_as_an_unprivileged_user_is_reported_and_the_rest_continues() {
    use std::os::unix::fs::PermissionsExt;
    if !is_root() || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv to run as nobody");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("t");
    for f in ["backups/ro/a.py", "backups/rw/b.py", "DOCKER_READY.md"] {
        mami::write(&root, f, 10);
    }
    let xdg = d.path().join("xdg");
    std::fs::create_dir_all(&xdg).unwrap();
    let chown = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&root)
        .arg(&xdg)
        .status()
        .unwrap();
    assert!(chown.success());
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Not writable: its entries cannot be unlinked (EACCES), and mami-clean never chmods.
    std::fs::set_permissions(
        root.join("backups/ro"),
        std::fs::Permissions::from_mode(0o555),
    )
    .unwrap();
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_mami-clean"))
        .env("XDG_DATA_HOME", xdg.join("data"))
        .env("XDG_STATE_HOME", xdg.join("state"))
        .env("HOME", &xdg)
        .arg("-C")
        .arg(&root)
        .args(["apply", "--yes"])
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        out.contains("PARTIAL") && out.contains("backups/ro/a.py: permission denied (EACCES)"),
        "{out}"
    );
    assert!(root.join("backups/ro/a.py").exists());
    assert_eq!(
        std::fs::metadata(root.join("backups/ro"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o555,
        "never chmod"
    );
    assert!(!root.join("backups/rw").exists() && !root.join("DOCKER_READY.md").exists());
}

fn apply_with_failpoint(w: &World, fp: &str) -> std::process::Child {
    bin()
        .env("XDG_DATA_HOME", w.xdg.join("data"))
        .env("XDG_STATE_HOME", w.xdg.join("state"))
        .env("MAMI_CLEAN_FAILPOINT", fp)
        .arg("-C")
        .arg(&w.m.root)
        .args(["apply", "--plan", w.plan_file.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every file of `before` is as it was, or gone under one of `gone`.
fn only_these_went(before: &Snap, now: &Snap, gone: &[String], what: &str) {
    compare(before, now, gone, what, true)
}

/// After `recover --undo`: every file is back (git keeps no mtimes, so a file it checks out
/// again is the same file, made now) but regenerable directories.
fn put_back(before: &Snap, now: &Snap, plan: &serde_json::Value, what: &str) {
    compare(before, now, &regenerable_paths(plan), what, false)
}

fn compare(before: &Snap, now: &Snap, gone: &[String], what: &str, mtimes: bool) {
    for (p, v) in before {
        match now.get(p) {
            Some(n) if !mtimes => assert_eq!(
                (n.0, n.1, n.2, &n.4),
                (v.0, v.1, v.2, &v.4),
                "{what}: {} changed",
                String::from_utf8_lossy(p)
            ),
            Some(n) => assert_eq!(n, v, "{what}: {} changed", String::from_utf8_lossy(p)),
            None => assert!(
                under_any(p, gone),
                "{what}: {} vanished outside the plan",
                String::from_utf8_lossy(p)
            ),
        }
    }
}

#[test]
fn killed_at_any_journal_step_recover_finishes_or_undoes() {
    for (fp, how) in [
        ("apply-after-intent:0:abort", "--finish"),
        ("apply-after-intent:0:abort", "--undo"),
        ("apply-after-delete:0:abort", "--undo"),
        ("apply-after-intent:40:abort", "--finish"),
        ("apply-after-delete:60:abort", "--undo"),
        // Mid-directory: some of an entry's files are gone, the rest still there.
        ("delete-after-file:30:abort", "--finish"),
        ("delete-after-file:30:abort", "--undo"),
    ] {
        let what = format!("{fp} then {how}");
        let w = world();
        let canary = w.canary();
        let before = snap(&w.m.root);
        let plan = w.plan();
        let gone = delete_paths(&plan);
        let o = apply_with_failpoint(&w, fp).wait_with_output().unwrap();
        assert_ne!(
            o.status.code(),
            Some(0),
            "{what}: the failpoint should have killed it"
        );
        // The invariant holds at the kill: only planned entries went, all of them recoverable.
        only_these_went(&before, &snap(&w.m.root), &gone, &what);
        assert_eq!(w.canary(), canary);
        // A new apply refuses; plain `recover` reports and changes nothing.
        let o = w.apply();
        assert_eq!(o.status.code(), Some(2), "{what}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("mami-clean recover"),
            "{what}: {}",
            stderr(&o)
        );
        let at_kill = snap(&w.m.root);
        let o = w.run(&["recover"]);
        assert_eq!(o.status.code(), Some(0), "{what}: {}", stdout(&o));
        assert!(
            stdout(&o).contains("recover --finish"),
            "{what}: {}",
            stdout(&o)
        );
        if fp.starts_with("delete-after-file") {
            assert!(
                stdout(&o).contains("being deleted when it stopped"),
                "{what}: killed inside an entry: {}",
                stdout(&o)
            );
        }
        assert_eq!(
            snap(&w.m.root),
            at_kill,
            "{what}: report-only recover changed the tree"
        );

        let o = w.run(&["recover", how]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{what}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            stdout(&o).contains("journal closed"),
            "{what}: {}",
            stdout(&o)
        );
        let now = snap(&w.m.root);
        if how == "--finish" {
            // Exactly the plan went, as an uninterrupted apply would have left it.
            only_these_went(&before, &now, &gone, &what);
            for g in &gone {
                assert!(
                    !now.keys().any(|p| under_any(p, std::slice::from_ref(g))),
                    "{what}: {g} should be gone"
                );
            }
        } else {
            // Everything is back but regenerable directories.
            put_back(&before, &now, &plan, &what);
        }
        assert_eq!(w.canary(), canary);
        // And apply runs again (after --finish, tracked deletions are not committed yet).
        w.plan();
        let o = w.run(&[
            "apply",
            "--plan",
            w.plan_file.to_str().unwrap(),
            "--allow-dirty",
        ]);
        assert!(
            matches!(o.status.code(), Some(0) | Some(1)),
            "{what}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn killed_while_writing_the_backup_nothing_is_deleted_and_apply_runs_again() {
    let w = world();
    let canary = w.canary();
    let before = snap(&w.m.root);
    w.plan();
    let o = apply_with_failpoint(&w, "backup-after-item:5:abort")
        .wait_with_output()
        .unwrap();
    assert_ne!(
        o.status.code(),
        Some(0),
        "the failpoint should have killed it"
    );
    assert_eq!(
        snap(&w.m.root),
        before,
        "nothing may go before the backup is verified"
    );
    assert_eq!(w.canary(), canary);
    // No journal was begun and the half-written backup is not offered for restore.
    let o = w.run(&["recover"]);
    assert!(stdout(&o).contains("nothing to recover"), "{}", stdout(&o));
    let o = w.run(&["restore"]);
    assert!(stdout(&o).contains("no backups"), "{}", stdout(&o));
    assert_eq!(w.apply().status.code(), Some(0));
}

#[test]
fn ctrl_c_stops_between_entries_with_exit_130() {
    let w = world();
    w.plan();
    let child = apply_with_failpoint(&w, "apply-after-delete:2:sleep-3000");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("interrupted: stopped between entries"),
        "{}",
        stdout(&o)
    );
    // Entries after the interruption are untouched; the journal ended cleanly.
    assert!(w.m.root.join("node_modules").exists());
    let o = w.apply();
    assert!(!stderr(&o).contains("recover"), "{}", stderr(&o));
}

/// 40 directories of 200-byte names: paths of about 8,000 bytes, twice PATH_MAX.
fn long_name(i: usize) -> String {
    format!("{i:02}{}", "x".repeat(198))
}

#[test]
fn paths_longer_than_path_max_are_backed_up_deleted_and_restored_bit_exact() {
    let w = world();
    // Junk nothing else can give back (untracked, under backups/), and live data to keep.
    chain(
        &w.m.root.join("backups"),
        40,
        long_name,
        "deep.txt",
        b"deep junk\n",
    );
    std::fs::create_dir(w.m.root.join("keep")).unwrap();
    chain(&w.m.root.join("keep"), 40, long_name, "deep.py", b"kept\n");
    let canary = w.canary();
    let before = snap(&w.m.root);
    let long: Vec<&Vec<u8>> = before.keys().filter(|k| k.len() > 4096).collect();
    assert_eq!(long.len(), 2, "the fixture has two paths past PATH_MAX");
    let plan = w.plan();
    let gone = delete_paths(&plan);
    assert!(gone.contains(&"backups".to_string()), "{gone:?}");
    let o = w.apply();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let after = snap(&w.m.root);
    for (p, v) in before.iter().filter(|(p, _)| p.as_slice() != b".gitignore") {
        let want = (!under_any(p, &gone)).then_some(v);
        assert_eq!(
            after.get(p),
            want,
            "{}",
            String::from_utf8_lossy(&p[..60.min(p.len())])
        );
    }
    assert_eq!(w.canary(), canary);

    let o = w.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let restored = snap(&w.m.root);
    for p in before.keys().filter(|p| p.starts_with(b"backups/")) {
        assert_eq!(
            restored.get(p),
            before.get(p),
            "{}",
            String::from_utf8_lossy(&p[..60])
        );
    }
    assert_eq!(w.canary(), canary);
}

#[test]
fn restore_never_writes_through_a_symlink_planted_in_the_tree() {
    let w = world();
    w.plan();
    assert_eq!(w.apply().status.code(), Some(0));
    // `backups/` is gone; a symlink to a directory outside takes its place.
    let trap = w.m.dir.path().join("trap");
    std::fs::create_dir(&trap).unwrap();
    std::os::unix::fs::symlink(&trap, w.m.root.join("backups")).unwrap();
    std::fs::remove_dir_all(w.m.root.join("data")).ok();
    for args in [
        &["restore", "--latest"][..],
        &["restore", "--latest", "--force"],
    ] {
        let o = w.run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        assert!(
            stdout(&o).contains("is not a directory (a symlink or a file)"),
            "{args:?}: {}",
            stdout(&o)
        );
        assert_eq!(std::fs::read_dir(&trap).unwrap().count(), 0, "{args:?}");
        assert!(
            !w.m.root.join("data").exists(),
            "{args:?}: a refusal writes nothing"
        );
    }
    // Moved out of the way, the restore goes through.
    std::fs::remove_file(w.m.root.join("backups")).unwrap();
    let o = w.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(w.m.root.join("backups/graveyard/old_router.py").is_file());
}

#[test]
fn recover_finish_refuses_when_head_moved_and_undo_still_works() {
    let w = world();
    let canary = w.canary();
    let before = snap(&w.m.root);
    let plan = w.plan();
    let o = apply_with_failpoint(&w, "apply-after-delete:3:abort")
        .wait_with_output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    mami::git(
        &w.m.root,
        &["commit", "-q", "--allow-empty", "-m", "moved on"],
    );
    let at_kill = snap(&w.m.root);
    let o = w.run(&["recover", "--finish"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stdout(&o).contains("HEAD moved"), "{}", stdout(&o));
    assert!(stdout(&o).contains("journal stays open"), "{}", stdout(&o));
    assert_eq!(snap(&w.m.root), at_kill, "a refused finish deletes nothing");
    assert_eq!(
        w.apply().status.code(),
        Some(2),
        "the journal is still open"
    );
    let o = w.run(&["recover", "--undo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    put_back(&before, &snap(&w.m.root), &plan, "--undo");
    assert_eq!(w.canary(), canary);
}

#[test]
fn recover_finish_refuses_a_backup_that_no_longer_verifies() {
    let w = world();
    w.plan();
    let o = apply_with_failpoint(&w, "apply-after-delete:3:abort")
        .wait_with_output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    let backups = w.xdg.join("data/mami-clean/backups");
    let dir = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let archive = dir.join("backup.tar.zst");
    let mut bytes = std::fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&archive, bytes).unwrap();
    let at_kill = snap(&w.m.root);
    let o = w.run(&["recover", "--finish"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stdout(&o).contains("does not verify"), "{}", stdout(&o));
    assert_eq!(snap(&w.m.root), at_kill, "nothing more is deleted");
}

#[test]
fn a_plan_file_saved_in_the_tree_does_not_fail_the_post_checks() {
    // The plan is written after its own scan; the post-checks compare apply's own before and
    // after, so the file it added is no part of the cleanup.
    let d = tree(&[("README.md", 3), ("__pycache__/a.pyc", 1)]);
    let home = tempfile::tempdir().unwrap();
    let xdg = home.path();
    let plan = d.path().join("plan.json");
    let o = run_in(xdg, d.path(), &["plan", "--out", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_in(xdg, d.path(), &["apply", "--plan", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("PASS  fewer files"), "{}", stdout(&o));
    assert!(stdout(&o).contains("PASS  smaller tree"), "{}", stdout(&o));
    assert!(!d.path().join("__pycache__").exists());
}
