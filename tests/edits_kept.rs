//! No edit is ever lost: a tracked file is unlinked only when its content, read at that
//! moment, is what git holds, or when the verified backup holds it; whatever the entry's class
//! (a committed `node_modules` is regenerable, but a local patch in it is not).

mod common;

use common::repo::Repo;
use common::*;

const PATCHED: &str = "module.exports = 1; // local patch\n";

fn committed_node_modules() -> Repo {
    Repo::new(&[
        ("package.json", "{}\n"),
        ("node_modules/dep/index.js", "module.exports = 1;\n"),
        ("node_modules/dep/patched.js", "module.exports = 1;\n"),
        ("node_modules/dep/hidden.js", "module.exports = 2;\n"),
        ("src/app.js", "require('dep');\n"),
    ])
}

/// The file is in place with `want`, or the latest backup restores it with `want`.
fn kept_or_backed_up(r: &Repo, rel: &str, want: &str) {
    if r.read(rel).as_deref() == Some(want) {
        return;
    }
    assert!(!r.exists(rel), "{rel} holds something else");
    let o = r.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        r.read(rel).as_deref(),
        Some(want),
        "{rel}: the edit is lost"
    );
}

#[test]
fn a_local_patch_in_a_committed_node_modules_is_never_deleted() {
    let r = committed_node_modules();
    let plan = r.save_plan();
    r.write("node_modules/dep/patched.js", PATCHED);
    let o = r.run(&["apply", "--plan", plan.to_str().unwrap(), "--allow-dirty"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    // Modified tracked files are protected: the rules now select only the rest of the
    // directory, so the saved plan's whole `node_modules` is not theirs to delete.
    assert!(
        stdout(&o).contains(
            "`node_modules/dep/patched.js` inside: a tracked file with uncommitted changes"
        ),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        r.read("node_modules/dep/patched.js").as_deref(),
        Some(PATCHED)
    );
    // A fresh apply deletes the rest and keeps the patch in place.
    let o = r.run(&["apply", "--yes", "--allow-dirty"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!r.exists("node_modules/dep/index.js"));
    assert_eq!(
        r.read("node_modules/dep/patched.js").as_deref(),
        Some(PATCHED)
    );
}

#[test]
fn edits_hidden_from_git_status_are_backed_up() {
    for flag in ["--assume-unchanged", "--skip-worktree"] {
        let r = committed_node_modules();
        r.git(&["update-index", flag, "node_modules/dep/hidden.js"]);
        r.write("node_modules/dep/hidden.js", PATCHED);
        // git status is clean: no --allow-dirty needed, and the plan cannot see the edit.
        let o = r.run(&["apply", "--yes"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{flag}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            stdout(&o).contains("1 tracked files with edits git does not hold"),
            "{flag}: {}",
            stdout(&o)
        );
        assert!(!r.exists("node_modules/dep/index.js"));
        kept_or_backed_up(&r, "node_modules/dep/hidden.js", PATCHED);
    }
}

#[test]
fn a_tracked_file_in_a_backup_dir_edited_after_the_plan_is_not_lost() {
    let r = Repo::new(&[
        ("src/app.py", "print(1)\n"),
        ("backups/tracked.txt", "old\n"),
    ]);
    r.write("backups/untracked.txt", "notes\n");
    let plan = r.save_plan();
    r.write("backups/tracked.txt", "edited after the plan\n");
    let o = r.run(&["apply", "--plan", plan.to_str().unwrap(), "--allow-dirty"]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    kept_or_backed_up(&r, "backups/tracked.txt", "edited after the plan\n");
    kept_or_backed_up(&r, "backups/untracked.txt", "notes\n");
}

/// Start `apply --yes` paused after the backup, before entry `entry` is deleted; `edit`
/// runs in the pause; then the apply finishes.
fn edit_during_apply(r: &Repo, entry: usize, edit: impl FnOnce()) -> std::process::Output {
    let journal = r.path(".git/mami-clean/journal.jsonl");
    let child = bin()
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("XDG_CONFIG_HOME", r.xdg.join("config"))
        .env(
            "MAMI_CLEAN_FAILPOINT",
            format!("apply-after-intent:{entry}:sleep-3000"),
        )
        .arg("-C")
        .arg(&r.root)
        .args(["apply", "--yes", "--allow-dirty"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let want = format!("\"i\":{entry},");
    let t0 = std::time::Instant::now();
    while !std::fs::read_to_string(&journal).is_ok_and(|j| j.contains(&want)) {
        assert!(
            t0.elapsed().as_secs() < 60,
            "apply never reached entry {entry}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    edit();
    child.wait_with_output().unwrap()
}

#[test]
fn an_in_place_edit_while_apply_runs_is_never_lost() {
    // The run pauses before its first entry, after the backup; the edits land in a git-class
    // directory (same inode, same directory mtime and file counts: only the content moves) and
    // in a backed-up one (tracked and untracked files).
    let r = Repo::new(&[
        ("_archive/tracked.txt", "t\n"),
        ("old_backup/a.txt", "a\n"),
        ("old_backup/b.txt", "b\n"),
        ("src/app.py", "print(1)\n"),
    ]);
    r.write("_archive/untracked.txt", "u\n");
    let o = r.run(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let class = |p: &str| {
        plan["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == p)
            .map(|e| e["recovery"].as_str().unwrap().to_string())
    };
    assert_eq!(class("old_backup").as_deref(), Some("git"), "{plan}");
    assert_eq!(class("_archive").as_deref(), Some("backup"), "{plan}");
    let edited = [
        "old_backup/a.txt",
        "_archive/untracked.txt",
        "_archive/tracked.txt",
    ];
    let o = edit_during_apply(&r, 0, || {
        use std::io::Write;
        for f in edited {
            let mut h = std::fs::OpenOptions::new()
                .append(true)
                .open(r.path(f))
                .unwrap();
            h.write_all(b"edit during apply\n").unwrap();
        }
    });
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    for (f, was) in edited.into_iter().zip(["a\n", "u\n", "t\n"]) {
        let want = format!("{was}edit during apply\n");
        assert_eq!(
            r.read(f).as_deref(),
            Some(want.as_str()),
            "{f}: {}",
            stdout(&o)
        );
    }
    assert!(stdout(&o).contains("PARTIAL"), "{}", stdout(&o));
    assert!(!r.exists("old_backup/b.txt"), "the untouched file goes");
}

#[test]
fn recover_without_an_open_journal_points_at_the_last_backup() {
    let r = Repo::new(&[("src/app.py", "x\n")]);
    r.write("backups/old.txt", "old\n");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = r.run(&["recover", "--undo"]);
    let out = stdout(&o);
    let cmd = out
        .split('`')
        .find(|c| c.starts_with("mami-clean restore"))
        .unwrap_or_else(|| panic!("no restore command in {out}"));
    // The command works as printed.
    let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
    let o = r.run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{cmd}: {}{}",
        stdout(&o),
        stderr(&o)
    );
    assert_eq!(r.read("backups/old.txt").as_deref(), Some("old\n"));
}
