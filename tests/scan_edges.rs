//! The scan's promises on hostile or unusual trees: symlinks never followed, protections that
//! split a selection, modified tracked files, mount points, unreadable directories, guards on
//! age and git state, no git at all, and a plan that writes nothing.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn symlinks_are_entries_never_followed() {
    let outside = tree(&[("big/file.bin", 50_000), ("package.json", 10)]);
    let d = tree(&[("package.json", 10)]);
    // Names rules would select if they were directories: as symlinks they are not dirs.
    std::os::unix::fs::symlink(outside.path().join("big"), d.path().join("node_modules")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("big"), d.path().join("backups")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("big/file.bin"),
        d.path().join("app.py.bak"),
    )
    .unwrap();
    let plan = plan_json(d.path(), &[]);
    // A symlink matching a file rule is selected as a symlink, sized as its own length.
    assert_eq!(entry_paths(&plan, "delete"), vec!["app.py.bak"]);
    let e = &plan["entries"][0];
    assert_eq!(e["kind"], "symlink");
    let target_len = outside.path().join("big/file.bin").as_os_str().len() as u64;
    assert_eq!(e["bytes"], target_len);
    assert_eq!(plan["tree"]["bytes"], du(d.path(), &["-sb"], &["."]));
    assert!(
        plan["tree"]["bytes"].as_u64().unwrap() < 50_000,
        "the target's content was counted"
    );
}

#[test]
fn a_nested_repo_or_keep_match_inside_a_selected_dir_splits_it() {
    let d = tree(&[
        ("backups/old/a.py", 100),
        ("backups/old/b.py", 200),
        ("backups/repo/x.py", 300),
        ("backups/data/app.db", 400),
        ("backups/data/notes.txt", 50),
        ("backups/top.txt", 10),
    ]);
    mami::git(&d.path().join("backups/repo"), &["init", "-q"]);
    let plan = plan_json(d.path(), &[]);
    // backups/ as a whole cannot go; everything beside the blockers does.
    assert_eq!(
        entry_paths(&plan, "delete"),
        vec!["backups/data/notes.txt", "backups/old/", "backups/top.txt"]
    );
    let prot = protections(&plan);
    assert!(
        prot.contains(&("backups/repo".into(), "nested-repo".into())),
        "{prot:?}"
    );
    assert!(
        prot.contains(&("backups/data/app.db".into(), "keep".into())),
        "{prot:?}"
    );
    for e in plan["entries"].as_array().unwrap() {
        assert_eq!(e["rule"], "backup-dirs");
    }
    let sum: u64 = plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(
        sum,
        du(
            d.path(),
            &["-scb"],
            &["backups/data/notes.txt", "backups/old", "backups/top.txt"]
        )
    ); // Each part says which selection it belongs to, and people read the selection as one row
       // (a nested copy of a project kept its `.env` files: 196 rows, one per file beside them).
    for e in plan["entries"].as_array().unwrap() {
        assert_eq!(e["part_of"], "backups", "{e}");
    }
    let human = stdout(&run(d.path(), &["plan"]));
    assert!(
        human.contains("backups/ (3 of its paths: data/notes.txt, old/, top.txt)  backup-dirs"),
        "{human}"
    );
    // Nor is a part a row of its own among the largest entries.
    assert!(!human.contains("backups/top.txt"), "{human}");
    assert!(
        (human.lines()).any(|l| l.contains("backups/ (3 of its paths") && l.contains("phase 2")),
        "{human}"
    );
}

/// Many entries of one rule in one directory are one row for people (a Laravel app's
/// compiled views: 56 rows before), while the JSON plan keeps each; five or fewer, and any
/// at the root, stay rows of their own.
#[test]
fn many_entries_of_a_rule_in_one_directory_are_one_row() {
    let mut files: Vec<(String, usize)> = (0..7)
        .map(|i| (format!("storage/framework/views/v{i}.php"), 100))
        .collect();
    files.extend((0..5).map(|i| (format!("logs/app.log.{i}"), 10)));
    files.push(("logs/app.log".into(), 10));
    files.push(("composer.json".into(), 10));
    files.push(("artisan".into(), 10));
    let refs: Vec<(&str, usize)> = files.iter().map(|(p, n)| (p.as_str(), *n)).collect();
    let d = tree(&refs);
    let plan = plan_json(d.path(), &[]);
    let views = entry_paths(&plan, "delete")
        .into_iter()
        .filter(|p| p.starts_with("storage/framework/views/"))
        .count();
    assert_eq!(views, 7, "{plan:#}");
    let human = stdout(&run(d.path(), &["plan"]));
    assert!(
        human.contains(
            "700 B  storage/framework/views/ (7 of its paths: v0.php, v1.php, v2.php, …)"
        ),
        "{human}"
    );
    assert!(!human.contains("views/v3.php"), "{human}");
    // Five rotated logs: each its own row.
    assert!(human.contains("logs/app.log.4"), "{human}");
}

#[test]
fn tracked_files_with_uncommitted_changes_are_protected() {
    let d = tree(&[
        ("DOCKER_READY.md", 100),
        ("FINAL_VERIFICATION.md", 100),
        ("backups/a.py", 10),
        ("backups/b.py", 10),
    ]);
    mami::git(d.path(), &["init", "-q"]);
    mami::git(d.path(), &["add", "-A"]);
    mami::git(d.path(), &["commit", "-q", "-m", "c"]);
    std::fs::write(d.path().join("DOCKER_READY.md"), "edited").unwrap();
    std::fs::write(d.path().join("backups/a.py"), "edited").unwrap();
    let plan = plan_json(d.path(), &[]);
    assert_eq!(
        entry_paths(&plan, "delete"),
        vec!["FINAL_VERIFICATION.md", "backups/b.py"]
    );
    let prot = protections(&plan);
    assert!(
        prot.contains(&("DOCKER_READY.md".into(), "tracked-modified".into())),
        "{prot:?}"
    );
    assert!(
        prot.contains(&("backups/a.py".into(), "tracked-modified".into())),
        "{prot:?}"
    );
    assert_eq!(plan["git"]["modified_files"], 2);
    // Staged but uncommitted is not recoverable from HEAD either.
    mami::write(d.path(), "NEW_STATUS.md", 5);
    mami::git(d.path(), &["add", "NEW_STATUS.md"]);
    let plan = plan_json(d.path(), &[]);
    assert!(protections(&plan).contains(&("NEW_STATUS.md".into(), "tracked-modified".into())));
    // A review rule's selection is reported, edited or not, by plan and explain alike.
    mami::write(d.path(), ".cursorrules", 20);
    mami::git(d.path(), &["add", ".cursorrules"]);
    mami::git(d.path(), &["commit", "-q", "-m", "rules"]);
    std::fs::write(d.path().join(".cursorrules"), "edited").unwrap();
    let plan = plan_json(d.path(), &[]);
    assert_eq!(entry(&plan, ".cursorrules")["action"], "review", "{plan}");
    let o = run(d.path(), &["explain", ".cursorrules"]);
    assert!(stdout(&o).contains("reported for review"), "{}", stdout(&o));
}

#[test]
fn outside_git_nothing_is_git_recoverable() {
    let d = tree(&[("DOCKER_READY.md", 100), ("backups/a.py", 10)]);
    let plan = plan_json(d.path(), &[]);
    assert!(plan["git"].is_null());
    for e in plan["entries"].as_array().unwrap() {
        assert_eq!(e["recovery"], "backup", "{e}");
        assert!(e.get("git").is_none());
    }
    let o = run(d.path(), &["plan"]);
    assert!(stdout(&o).contains("not a git repository"));
}

/// A phase-6 rule selecting `glob` only where git ignores it.
fn ignored_tmp_rule(glob: &str) -> String {
    format!("[[rule]]\nid = \"ignored-tmp\"\nphase = 6\nreason = \"r\"\nmatch = [\"{glob}\"]\nwhen.git = [\"ignored\"]\n")
}

#[test]
fn age_and_git_guards() {
    let d = tree(&[
        ("exports/old.csv", 10),
        ("exports/new.csv", 10),
        ("tmp/ignored.tmp", 5),
        ("tmp/untracked.tmp", 5),
    ]);
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(90 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(d.path().join("exports/old.csv"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::fs::write(d.path().join(".gitignore"), "ignored.tmp\n").unwrap();
    mami::git(d.path(), &["init", "-q"]);
    let old_csv = "[[rule]]\nid = \"old-csv\"\nphase = 6\nreason = \"r\"\nmatch = [\"exports/*.csv\"]\nwhen.min_age_days = 30\n";
    std::fs::write(
        d.path().join("mami-clean.toml"),
        format!("{old_csv}\n{}", ignored_tmp_rule("tmp/*.tmp")),
    )
    .unwrap();
    let plan = plan_json(d.path(), &[]);
    assert_eq!(
        entry_paths(&plan, "delete"),
        vec!["exports/old.csv", "tmp/ignored.tmp"]
    );
    let o = run(
        d.path(),
        &["explain", "exports/new.csv", "tmp/untracked.tmp"],
    );
    let s = stdout(&o);
    assert!(s.contains("younger than 30 days"), "{s}");
    assert!(s.contains("git state is untracked"), "{s}");
}

/// `when.git = ["ignored"]` and the plan's `git` field follow git's ignore rules where
/// libgit2's differ: a nested `.gitignore`'s `!x.tmp` re-includes what the root's `*.tmp`
/// ignores, and nothing re-includes a file below an excluded directory.
#[test]
fn git_guards_follow_gits_ignore_rules() {
    let d = tree(&[
        ("tmp/a.tmp", 5),
        ("tmp/keep/x.tmp", 5),
        ("cache/old/y.tmp", 5),
    ]);
    std::fs::write(
        d.path().join(".gitignore"),
        "*.tmp\ncache/old/\n!cache/old/y.tmp\n",
    )
    .unwrap();
    std::fs::write(d.path().join("tmp/keep/.gitignore"), "!x.tmp\n").unwrap();
    mami::git(d.path(), &["init", "-q"]);
    std::fs::write(
        d.path().join("mami-clean.toml"),
        ignored_tmp_rule("**/*.tmp"),
    )
    .unwrap();
    let plan = plan_json(d.path(), &[]);
    assert_eq!(
        entry_paths(&plan, "delete"),
        vec!["cache/old/y.tmp", "tmp/a.tmp"]
    );
    for e in plan["entries"].as_array().unwrap() {
        assert_eq!(e["git"], "ignored", "{e}");
    }
}

#[test]
fn plan_writes_nothing_and_out_saves_a_loadable_plan() {
    let m = mami::build();
    let before = snapshot(&m.root);
    let o = run(&m.root, &["plan"]);
    assert_eq!(o.status.code(), Some(0));
    let o = run(&m.root, &["plan", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(before, snapshot(&m.root), "plan changed the tree");

    // On a read-only bind mount of the tree (root only): plan still works.
    if is_root() {
        let ro = m.dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        let ok = Command::new("mount")
            .arg("--bind")
            .arg(&m.root)
            .arg(&ro)
            .status()
            .is_ok_and(|s| s.success())
            && Command::new("mount")
                .args(["-o", "remount,ro,bind"])
                .arg(&ro)
                .status()
                .is_ok_and(|s| s.success());
        if ok {
            let o = run(&ro, &["plan", "--format", "json"]);
            let _ = Command::new("umount").arg(&ro).status();
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        } else {
            let _ = Command::new("umount").arg(&ro).status();
            eprintln!("skipped the read-only mount part: mount not permitted here");
        }
    }

    let out = m.dir.path().join("plans/plan.json");
    let o = run(&m.root, &["plan", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let printed = plan_json(&m.root, &[]);
    assert_eq!(saved["entries"], printed["entries"]);
    assert_eq!(saved["body_hash"], printed["body_hash"]);
    assert_eq!(before, snapshot(&m.root), "plan --out wrote into the tree");
}

/// Every path under `root` with its type, size, mtime and content hash.
fn snapshot(root: &Path) -> Vec<(Vec<u8>, u32, u64, i64, i64, String)> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let mut v = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let m = std::fs::symlink_metadata(&p).unwrap();
        let hash = if m.is_file() {
            blake3::hash(&std::fs::read(&p).unwrap())
                .to_hex()
                .to_string()
        } else {
            String::new()
        };
        v.push((
            p.as_os_str().as_bytes().to_vec(),
            m.mode(),
            m.size(),
            m.mtime(),
            m.mtime_nsec(),
            hash,
        ));
        if m.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        }
    }
    v.sort();
    v
}

#[test]
fn mount_points_are_skipped_and_split_a_selection() {
    if !is_root() {
        eprintln!("skipped: mounting needs root");
        return;
    }
    let elsewhere = tree(&[("p/secret.txt", 1000)]);
    let d = tree(&[
        ("backups/a.py", 10),
        ("backups/mnt/.keep", 0),
        ("backups/bind/.keep", 0),
        ("src/tmp/.keep", 0),
        ("src/__pycache__/.keep", 0),
    ]);
    let Some(_tmpfs) = Mount::new(
        &["-t", "tmpfs", "-o", "size=1m", "tmpfs"],
        &d.path().join("backups/mnt"),
    ) else {
        eprintln!("skipped: mount not permitted here");
        return;
    };
    std::fs::write(d.path().join("backups/mnt/inside.txt"), "tmpfs").unwrap();
    // Outside any selection: a directory no rule matches (found by the walk's `fstat` of the
    // opened handle) and one a rule matches (stat'ed by name before it is selected).
    let tmpfs = ["-t", "tmpfs", "-o", "size=1m", "tmpfs"];
    let _src_tmp = Mount::new(&tmpfs, &d.path().join("src/tmp")).expect("tmpfs");
    let _pycache = Mount::new(&tmpfs, &d.path().join("src/__pycache__")).expect("tmpfs");
    std::fs::write(d.path().join("src/tmp/big.bin"), vec![0u8; 100_000]).unwrap();
    std::fs::write(d.path().join("src/__pycache__/m.pyc"), vec![0u8; 100_000]).unwrap();
    // A bind mount from the same filesystem: device numbers alone would miss it.
    let _bind = Mount::new(
        &["--bind", elsewhere.path().to_str().unwrap()],
        &d.path().join("backups/bind"),
    )
    .expect("bind mount");
    let plan = plan_json(d.path(), &[]);
    assert_eq!(entry_paths(&plan, "delete"), vec!["backups/a.py"]);
    let prot = protections(&plan);
    assert!(
        prot.contains(&("backups/mnt".into(), "mount-point".into())),
        "{prot:?}"
    );
    assert!(
        prot.contains(&("backups/bind".into(), "mount-point".into())),
        "{prot:?}"
    );
    let notes: Vec<String> = plan["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{} {}", n["kind"], n["path"]))
        .collect();
    for p in ["backups/bind", "src/tmp", "src/__pycache__"] {
        assert!(
            notes.contains(&format!("\"mount-point\" \"{p}\"")),
            "{p}: {notes:?}"
        );
    }
    // The mounted contents are not counted: the tree equals du -x minus the bind mount.
    assert!(plan["tree"]["bytes"].as_u64().unwrap() < 1000 + 4096 * 8);
    assert!(elsewhere.path().join("p/secret.txt").exists());
}

#[test]
fn unreadable_directories_are_reported_and_do_not_abort() {
    let d = tree(&[
        ("backups/locked/a.py", 10),
        ("backups/open.py", 10),
        ("src/locked/x.py", 10),
        ("DOCKER_READY.md", 5),
    ]);
    use std::os::unix::fs::PermissionsExt;
    for p in ["backups/locked", "src/locked"] {
        std::fs::set_permissions(d.path().join(p), std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let mut cmd = if is_root() {
        // Root reads everything: run as nobody for a real EACCES (the tree must be reachable).
        if Command::new("setpriv").arg("--version").output().is_err() {
            eprintln!("skipped: setpriv is missing");
            return;
        }
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_mami-clean"));
        c
    } else {
        bin()
    };
    let o = cmd
        .arg("-C")
        .arg(d.path())
        .args(["plan", "--format", "json"])
        .output()
        .unwrap();
    for p in ["backups/locked", "src/locked"] {
        std::fs::set_permissions(d.path().join(p), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        entry_paths(&plan, "delete"),
        vec!["DOCKER_READY.md", "backups/open.py"]
    );
    let notes: Vec<String> = plan["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n["kind"].as_str().unwrap(),
                n["path"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        notes.contains(&"unreadable backups/locked".to_string()),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"unreadable src/locked".to_string()),
        "{notes:?}"
    );
    assert!(protections(&plan).contains(&("backups/locked".into(), "unreadable".into())));
}

#[test]
fn explain_names_the_rule_and_the_protection() {
    let m = mami::build();
    let o = run(
        &m.root,
        &[
            "explain",
            "ui-new/node_modules/react/LICENSE",
            "data/app.db",
            "vendor/nested/__pycache__",
            "src/nothing-here",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(
        s.contains(
            "selected for deletion: its ancestor `ui-new/node_modules` matches rule `node-modules`"
        ),
        "{s}"
    );
    assert!(
        s.contains("kept: it matches keep rule `keep-databases`"),
        "{s}"
    );
    assert!(
        s.contains("protected: its ancestor `vendor/nested` is a nested git repository"),
        "{s}"
    );
    assert!(s.contains("src/nothing-here (does not exist)"), "{s}");
    let o = run(&m.root, &["explain", "../outside"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("outside the repository"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn hard_links_count_once_in_the_first_entry_holding_them() {
    let d = tree(&[("c/f.bin", 5000), ("c-x/g.bin", 300), ("z/other.bin", 10)]);
    std::fs::hard_link(d.path().join("c/f.bin"), d.path().join("z/f-link.bin")).unwrap();
    std::fs::hard_link(d.path().join("c/f.bin"), d.path().join("c-x/f-link.bin")).unwrap();
    // The user's own config (--config), trusted: its rules count in the totals.
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = cfg_dir.path().join("mami-clean-user.toml");
    std::fs::write(
        &cfg,
        "[[rule]]\nid = \"caches\"\nphase = 7\nreason = \"r\"\nkind = \"dir\"\nmatch = [\"c\", \"c-x\"]\n",
    )
    .unwrap();
    let o = bin()
        .arg("-C")
        .arg(d.path())
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "plan",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let e = plan["entries"].as_array().unwrap();
    assert_eq!(e[0]["path"], "c");
    assert_eq!(e[0]["bytes"], du(d.path(), &["-sb"], &["c"]));
    // c-x holds a second link to c/f.bin: du over both counts it once, in c.
    assert_eq!(plan["total_bytes"], du(d.path(), &["-scb"], &["c", "c-x"]));
    assert_eq!(plan["tree"]["bytes"], du(d.path(), &["-sb"], &["."]));
}

/// `explain` on a path that does not exist asks the rules for it as a file and as a
/// directory, and says which guard fails; it said "no rule's globs match" for `node_modules`.
#[test]
fn explain_a_path_that_does_not_exist() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("README.md"), "x").unwrap();
    let o = run(d.path(), &["explain", "node_modules"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.contains("node_modules (does not exist)"), "{out}");
    assert!(
        out.contains("it does not exist: its guards are checked"),
        "{out}"
    );
    assert!(!out.contains("no rule's globs match"), "{out}");
    assert!(
        out.contains("rule `node-modules` (delete, built-in"),
        "{out}"
    );
    assert!(out.contains("none of [package.json] is beside it"), "{out}");
}
