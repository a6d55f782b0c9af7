//! A directory a rule selects whole but a guard keeps (the project uses it) is looked into:
//! the litter inside it is planned like any other, and the directory itself stays for review.
//! CTFd's backup plugin is a Python package named `backup`; its `backup/__pycache__` went
//! unreported because the scan had stopped at `backup/`.

mod common;

use common::repo::Repo;
use common::*;

/// `path`'s entry in `plan` has `action`.
#[track_caller]
fn assert_action(plan: &serde_json::Value, path: &str, action: &str) {
    let e = entry(plan, path);
    assert_eq!(e["action"], action, "{e}");
}

/// `explain PATH` says `says`.
#[track_caller]
fn explains(r: &Repo, path: &str, says: &str) {
    let why = stdout(&r.run(&["explain", path]));
    assert!(why.contains(says), "{why}");
}

fn plugin() -> Repo {
    let r = Repo::new(&[
        ("backup/__init__.py", "from flask import Blueprint\n"),
        ("backup/requirements.txt", "requests\n"),
        ("backup/templates/backup_config.html", "<form></form>\n"),
        ("backup/static/config.js", "console.log(1)\n"),
        ("README.md", "Copy `backup` into CTFd/plugins.\n"),
    ]);
    r.write("backup/__pycache__/__init__.cpython-311.pyc", "\0bytecode");
    r.write("backup/static/.DS_Store", "\0\0\0\x01Bud1");
    r
}

#[test]
fn litter_inside_a_folder_the_project_uses_is_planned() {
    let r = plugin();
    let plan = plan_json(&r.root, &[]);
    let kept = entry(&plan, "backup");
    assert_eq!(kept["action"], "review", "{kept}");
    assert_eq!(kept["referenced_by"]["file"], "README.md", "{kept}");

    let pyc = entry(&plan, "backup/__pycache__");
    assert_eq!(pyc["action"], "delete", "{pyc}");
    assert_eq!(pyc["rule"], "python-bytecode", "{pyc}");
    assert_eq!(pyc["recovery"], "regenerable", "{pyc}");
    let ds = entry(&plan, "backup/static/.DS_Store");
    assert_eq!(ds["action"], "delete", "{ds}");
    // The totals count what goes, not the folder kept for review.
    let bytes = |e: &serde_json::Value| e["bytes"].as_u64().unwrap();
    assert_eq!(plan["total_bytes"], bytes(pyc) + bytes(ds), "{plan:#}");
    assert!(bytes(kept) > bytes(pyc) + bytes(ds), "{plan:#}");
    // Entries stay in path order, the kept folder before what is inside it.
    let paths = paths_in_order(&plan);
    assert_eq!(
        paths,
        ["backup", "backup/__pycache__", "backup/static/.DS_Store"]
    );
    // `explain` says what the plan does, below the kept folder and in it.
    explains(
        &r,
        "backup/__pycache__",
        "selected for deletion: it matches rule `python-bytecode`",
    );
    explains(
        &r,
        "backup/__init__.py",
        "reported for review: its ancestor `backup`",
    );
}

#[test]
fn apply_removes_the_litter_and_keeps_the_folder() {
    let r = plugin();
    let saved = r.save_plan();
    let o = r.run(&["apply", "--plan", saved.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!r.exists("backup/__pycache__"), "{}", stdout(&o));
    assert!(!r.exists("backup/static/.DS_Store"), "{}", stdout(&o));
    for kept in [
        "backup/__init__.py",
        "backup/requirements.txt",
        "backup/templates/backup_config.html",
        "backup/static/config.js",
    ] {
        assert!(r.exists(kept), "{kept} is gone:\n{}", stdout(&o));
    }
    // A plan can only narrow what the rules select: a file of the kept folder is refused.
    let r = plugin();
    let saved = r.save_plan();
    let text = std::fs::read_to_string(&saved).unwrap();
    let forged = text.replacen(
        "\"path\": \"backup/__pycache__\"",
        "\"path\": \"backup/__init__.py\"",
        1,
    );
    assert_ne!(forged, text, "the plan file's layout changed");
    std::fs::write(&saved, forged).unwrap();
    let o = r.run(&["apply", "--plan", saved.to_str().unwrap(), "--yes"]);
    assert!(
        r.exists("backup/__init__.py"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
}

/// A folder of backups with nothing using it still goes whole: nothing inside it is planned
/// on its own.
#[test]
fn a_folder_that_goes_is_not_looked_into() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("requirements.txt", "flask\n"),
        ("backup/main.py", "print(0)\n"),
    ]);
    r.write("backup/__pycache__/main.cpython-311.pyc", "\0bytecode");
    let plan = plan_json(&r.root, &[]);
    assert_action(&plan, "backup", "delete");
    assert_eq!(entry_paths(&plan, "delete"), ["backup/"], "{plan:#}");
}

/// Inside a folder the project uses only regenerable litter is planned: the dated backups an
/// app writes into the `backups/` its code names are its data (Upmanyu201's school
/// management app: `Backup_backup_20251016_075205.json` and five more, committed), whatever
/// the backup-file rules would say of their names elsewhere.
#[test]
fn a_kept_folders_own_files_stay_whatever_their_names() {
    let r = Repo::new(&[
        ("app/settings.py", "BACKUP_DIR = BASE_DIR / \"backups\"\n"),
        ("requirements.txt", "django\n"),
        ("backups/Backup_backup_20251016_075205.json", "{}\n"),
        ("backups/tools/restore_old.py", "print('restore')\n"),
        ("backups/notes.md.bak", "old notes\n"),
    ]);
    r.write("backups/.DS_Store", "\0\0\0\x01Bud1");
    let plan = plan_json(&r.root, &[]);
    assert_action(&plan, "backups", "review");
    assert_action(&plan, "backups/.DS_Store", "delete");
    let paths = paths_in_order(&plan);
    assert_eq!(paths, ["backups", "backups/.DS_Store"], "{plan:#}");
    explains(
        &r,
        "backups/notes.md.bak",
        "reported for review: its ancestor `backups`",
    );
}

/// A kept folder's own compose file counts: what a service of that stack mounts is in use,
/// as it is where the stack sits at the top (the bytecode in the data folder the stack's
/// worker mounts stays; beside it, it goes).
#[test]
fn a_kept_stacks_mounts_are_in_use() {
    let compose =
        |svc: &str, volumes: &str| format!("services:\n  {svc}:\n    image: {svc}:1\n{volumes}");
    let backup = compose("worker", "    volumes:\n      - ./data:/data\n");
    let (web, db) = (compose("web", ""), compose("db", ""));
    let r = Repo::new(&[
        ("web/compose.yaml", &web),
        ("db/compose.yaml", &db),
        ("backup/compose.yaml", &backup),
        ("backup/check.py", "print('check')\n"),
    ]);
    r.write("backup/data/__pycache__/dump.cpython-311.pyc", "\0bytecode");
    r.write("backup/__pycache__/check.cpython-311.pyc", "\0bytecode");
    let plan = plan_json(&r.root, &[]);
    assert_action(&plan, "backup", "review");
    assert_action(&plan, "backup/__pycache__", "delete");
    let mounted = entry(&plan, "backup/data/__pycache__");
    assert_eq!(mounted["action"], "review", "{mounted}");
    assert_eq!(
        mounted["referenced_by"]["file"], "backup/compose.yaml",
        "{mounted}"
    );
    explains(
        &r,
        "backup/data/__pycache__",
        "reported for review: it matches rule",
    );
}

/// A committed `.next/` is reported (a host may serve it as committed), and what no server
/// reads inside it goes: Next.js' build cache and the trace of its last build (committed in
/// thousands of public repositories; CodeContest-IDE commits only its trace). `apply` leaves
/// the rest of the build in place.
#[test]
fn a_committed_next_build_keeps_its_output_and_loses_its_cache() {
    let r = Repo::new(&[
        ("package.json", "{\"scripts\":{\"build\":\"next build\"}}\n"),
        (
            "app/page.tsx",
            "export default function P() { return null }\n",
        ),
        (".next/BUILD_ID", "abc\n"),
        (".next/server/app/page.js", "module.exports = 1\n"),
        (".next/trace", "[{\"name\":\"build\"}]\n"),
        (".next/cache/webpack/client-production/0.pack", "PACK"),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_action(&plan, ".next", "review");
    assert_eq!(entry(&plan, ".next")["rule"], "committed-build-output");
    for p in [".next/cache", ".next/trace"] {
        assert_action(&plan, p, "delete");
        assert_eq!(entry(&plan, p)["rule"], "next-build-cache", "{p}");
    }
    assert_eq!(
        entry_paths(&plan, "delete"),
        [".next/cache/", ".next/trace"],
        "{plan:#}"
    );
    explains(
        &r,
        ".next/trace",
        "selected for deletion: it matches rule `next-build-cache`",
    );
    explains(
        &r,
        ".next/server/app/page.js",
        "reported for review: its ancestor `.next`",
    );
    let saved = r.save_plan();
    let o = r.run(&["apply", "--plan", saved.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!r.exists(".next/cache") && !r.exists(".next/trace"));
    assert!(r.exists(".next/BUILD_ID") && r.exists(".next/server/app/page.js"));
}
