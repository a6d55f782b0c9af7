//! A backup is a snapshot: a backup-named folder whose files a commit changed after it got its
//! name is what the project runs (CellGuard-AI renamed `backend/` to `backend_backup/`, then
//! fixed its `app.py` twice; its host deploys it). It is reported for review, naming the
//! commit, and never deleted; a folder that only gained new snapshots still goes.

mod common;

use common::repo::Repo;
use common::*;

fn action_of(plan: &serde_json::Value, path: &str) -> Option<String> {
    entry_at(plan, path).map(|e| e["action"].as_str().unwrap().to_string())
}

#[test]
fn a_backup_folder_edited_since_it_got_its_name_is_in_use() {
    let r = Repo::new(&[
        ("backend/app.py", "print('v1')\n"),
        ("backups/2024-05-01/app.py", "print('old')\n"),
        ("src/main.js", "console.log(1)\n"),
    ]);
    r.git(&["mv", "backend", "backend_backup"]);
    r.git(&[
        "commit",
        "-q",
        "-m",
        "Prepare frontend for Vercel deployment",
    ]);
    r.write("backups/2024-06-01/app.py", "print('newer')\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "another snapshot"]);
    let plan = plan_json(&r.root, &[]);
    // Renamed, not edited yet: a backup like any other.
    assert_eq!(
        action_of(&plan, "backend_backup").as_deref(),
        Some("delete"),
        "{plan:#}"
    );
    assert_eq!(action_of(&plan, "backups").as_deref(), Some("delete"));

    r.write("backend_backup/app.py", "print('fixed')\n");
    r.git(&["commit", "-q", "-am", "Fixed AI Backend"]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backend_backup");
    assert_eq!(e["action"], "review", "{plan:#}");
    assert_eq!(e["referenced_by"]["kind"], "edited");
    assert_eq!(e["referenced_by"]["file"], "backend_backup/app.py");
    let reason = e["reason"].as_str().unwrap();
    assert!(
        reason.contains(
            "\"Fixed AI Backend\" changed `backend_backup/app.py` after it got this name"
        ),
        "{reason}"
    );
    // New snapshots in a folder of backups are no edit of one.
    assert_eq!(action_of(&plan, "backups").as_deref(), Some("delete"));

    let why = stdout(&r.run(&["explain", "backend_backup"]));
    assert!(why.contains("reported for review"), "{why}");
    assert!(why.contains("\"Fixed AI Backend\""), "{why}");

    // apply leaves it where it is.
    let out = r.run(&["apply", "--yes"]);
    assert!(r.exists("backend_backup/app.py"), "{}", stdout(&out));
    assert!(!r.exists("backups"), "{}", stdout(&out));
}

/// A backup sits beside the project it copies. A `backup/` holding the only project the
/// repository tracks (Admincssindiaonline/backup: a Laravel app and one file beside it) is
/// that project: review, citing its manifest. With a project beside it, it goes.
#[test]
fn a_backup_folder_holding_the_only_project_is_the_project() {
    let files = [
        ("backup/composer.json", "{\"name\": \"laravel/laravel\"}\n"),
        ("backup/artisan", "<?php\n"),
        ("backup/app/Http/Kernel.php", "<?php\nclass Kernel {}\n"),
        ("test", "x\n"),
    ];
    let r = Repo::new(&files);
    let plan = plan_json(&r.root, &[]);
    let e = entry_at(&plan, "backup").unwrap_or_else(|| panic!("{plan:#}"));
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "only-project", "{e}");
    assert_eq!(e["referenced_by"]["file"], "backup/composer.json", "{e}");

    // A project beside it (a manifest outside the folder): the folder is a backup of it.
    let mut beside = files.to_vec();
    beside.push(("composer.json", "{\"name\": \"laravel/laravel\"}\n"));
    let r = Repo::new(&beside);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        action_of(&plan, "backup").as_deref(),
        Some("delete"),
        "{plan:#}"
    );
}

/// A debug or manual script in `tests/` is written once to look at one problem; one that a
/// later commit changed with the code it drives is maintained (BAC0's
/// `tests/manual_test_create_device.py`, 12 commits over four years): review, naming the
/// commit. One left as it was written still goes.
#[test]
fn a_manual_test_script_changed_after_it_was_written_is_maintained() {
    let r = Repo::new(&[
        ("tests/test_api.py", "def test_api():\n    assert True\n"),
        (
            "tests/manual_test_device.py",
            "import lib\nlib.start(port=47808)\n",
        ),
        ("tests/debug_search.py", "print('why is search empty')\n"),
        ("lib.py", "def start(port): pass\n"),
    ]);
    r.write(
        "tests/manual_test_device.py",
        "import lib\nlib.start(port=47809, device_id=1)\n",
    );
    r.write("lib.py", "def start(port, device_id): pass\n");
    r.git(&["commit", "-q", "-am", "start() takes a device id"]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        action_of(&plan, "tests/debug_search.py").as_deref(),
        Some("delete")
    );
    let e = entry(&plan, "tests/manual_test_device.py");
    assert_eq!(e["action"], "review", "{e:#}");
    let reason = e["reason"].as_str().unwrap();
    assert!(
        reason.contains("\"start() takes a device id\" changed `tests/manual_test_device.py`"),
        "{reason}"
    );
}
