//! `plan` on the Mami-shaped fixture: the exact selection the facts file asks for, the kept set,
//! sizes equal to du, recovery classes, and the JSON fields.

mod common;

use common::*;
use std::os::unix::ffi::OsStrExt;

#[test]
fn selects_exactly_the_facts_and_nothing_else() {
    let m = mami::build();
    let plan = plan_json(&m.root, &[]);
    let mut want: Vec<String> = mami::expected("delete");
    want.push(String::from_utf8_lossy(&mami::non_utf8_selected()).into_owned());
    want.sort();
    let got = entry_paths(&plan, "delete");
    let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
    let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );

    let mut review = mami::expected("review");
    review.sort();
    assert_eq!(entry_paths(&plan, "review"), review);
}

#[test]
fn keeps_live_data_code_and_the_backup_page() {
    let m = mami::build();
    let plan = plan_json(&m.root, &[]);
    let entries: Vec<String> = plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    let must_keep = [
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "CONTRIBUTING.md",
        "SECURITY.md",
        "Dockerfile",
        "pyproject.toml",
        "data/app.db",
        "data/app.db-shm",
        "data/app.db-wal",
        "data/chroma_db/chroma.sqlite3",
        "data/feature_flags.json",
        "data/images/gen_001.png",
        "data/rag_v2_fts.db",
        "data/rag_v2_telemetry.jsonl",
        "data/uploads/doc1.pdf",
        "logs/mami.log",
        "logs/deletion_audit.jsonl",
        "tests/test_chat.py",
        "tests/conftest.py",
        "tests/fixtures/check_data.py",
        "scripts/__init__.py",
        "scripts/create_placeholder_images.py",
        "scripts/generate_word_report.py",
        "scripts/groq_models.json",
        "scripts/request_context_smoke.py",
        "docs/IMAGE_PIPELINE_ANALYSIS.md",
        "docs/KNOWN_ISSUES.md",
        "docs/MEMORY_DEBUG_ANALYSIS.md",
        "docs/router_analysis.md",
        "docs/ROUTER_LAYERS_ANALYSIS.md",
        "docs/ROUTER_TOOL_COMPARISON.md",
        "ui-new/src/pages/admin/backup/BackupPage.tsx",
        ".env",
        "vendor/nested/__pycache__/lib.cpython-311.pyc",
        "linked-outside",
    ];
    for k in must_keep {
        assert!(
            m.root.join(k).symlink_metadata().is_ok(),
            "fixture lacks {k}"
        );
        let covered = entries
            .iter()
            .find(|e| k == e.as_str() || k.starts_with(&format!("{e}/")));
        assert!(
            covered.is_none(),
            "{k} is covered by plan entry {covered:?}"
        );
    }
    // The nested repository is reported, not entered.
    let notes = plan["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["path"] == "vendor/nested" && n["kind"] == "nested-repo"),
        "{notes:?}"
    );
}

#[test]
fn sizes_equal_du_for_the_tree_and_every_entry() {
    let m = mami::build();
    let plan = plan_json(&m.root, &[]);
    assert_eq!(
        plan["tree"]["bytes"],
        du(&m.root, &["-sb"], &["."]),
        "tree apparent size vs du -sb"
    );
    assert_eq!(
        plan["tree"]["disk_bytes"],
        du(&m.root, &["-sB1"], &["."]),
        "tree disk size vs du -sB1"
    );
    let entries = plan["entries"].as_array().unwrap();
    // Every entry alone (entries that share no hard link with an earlier entry).
    for e in entries
        .iter()
        .filter(|e| e["path"] != "ui-new/node_modules" && e.get("path_hex").is_none())
    {
        let p = e["path"].as_str().unwrap();
        assert_eq!(e["bytes"], du(&m.root, &["-sb"], &[p]), "{p} bytes");
        assert_eq!(
            e["disk_bytes"],
            du(&m.root, &["-sB1"], &[p]),
            "{p} disk bytes"
        );
    }
    // All delete entries together, in plan order: du counts a shared inode once, in the first.
    let paths: Vec<&str> = entries
        .iter()
        .filter(|e| e["action"] == "delete" && e.get("path_hex").is_none())
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let non_utf8: u64 = entries
        .iter()
        .filter(|e| e.get("path_hex").is_some())
        .map(|e| e["bytes"].as_u64().unwrap())
        .sum();
    let total = plan["total_bytes"].as_u64().unwrap();
    assert_eq!(
        total - non_utf8,
        du(&m.root, &["-scb"], &paths),
        "total_bytes vs du -scb"
    );
    assert_eq!(
        plan["after_bytes"].as_u64().unwrap(),
        plan["tree"]["bytes"].as_u64().unwrap() - total
    );
}

#[test]
fn recovery_classes_follow_git_and_rules() {
    let m = mami::build();
    let plan = plan_json(&m.root, &[]);
    let by_path = |p: &str| {
        plan["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == p)
            .cloned()
            .unwrap_or_else(|| panic!("no entry {p}"))
    };
    // Tracked and clean: git gives it back.
    assert_eq!(by_path("DOCKER_HAZIR.md")["recovery"], "git");
    assert_eq!(by_path("DOCKER_HAZIR.md")["git"], "tracked");
    // Ignored data: only a backup can give it back.
    assert_eq!(by_path("data/api_stats.json")["recovery"], "backup");
    assert_eq!(by_path("data/api_stats.json")["git"], "ignored");
    // A backup folder with an ignored __pycache__ inside: mixed, so backup.
    assert_eq!(by_path("backups")["recovery"], "backup");
    assert_eq!(by_path("backups")["git"], "mixed");
    // Dependency dirs: regenerable, with the command.
    let nm = by_path("ui-new/node_modules");
    assert_eq!(nm["recovery"], "regenerable");
    // ui-new has a package-lock.json: npm ci, where the lockfile is.
    assert_eq!(nm["regenerate"], "cd ui-new && npm ci");
    assert_eq!(by_path("node_modules")["rule"], "node-modules-orphan");
    assert_eq!(by_path(".venv")["rule"], "python-venv");
}

#[test]
fn json_has_the_documented_fields() {
    let m = mami::build();
    let plan = plan_json(&m.root, &[]);
    for k in [
        "format",
        "format_version",
        "tool_version",
        "created",
        "root",
        "git",
        "rules_hash",
        "target_bytes",
        "tree",
        "total_bytes",
        "total_disk_bytes",
        "after_bytes",
        "phases",
        "entries",
        "protected",
        "notes",
        "body_hash",
    ] {
        assert!(plan.get(k).is_some(), "missing {k}");
    }
    assert_eq!(plan["format"], "mami-clean-plan");
    // The 1.1 GB goal is Mami's: no target unless one is set.
    assert!(plan["target_bytes"].is_null());
    assert!(plan["phases"][0]["share_of_target"].is_null());
    let mami = plan_json(&m.root, &["--target", "1.1GB"]);
    assert_eq!(mami["target_bytes"], 1_100_000_000u64);
    assert!(mami["phases"][6]["share_of_target"].as_f64().unwrap() > 0.0);
    assert_eq!(plan["phases"].as_array().unwrap().len(), 7);
    let e = &plan["entries"][0];
    for k in [
        "path",
        "kind",
        "phase",
        "rule",
        "action",
        "recovery",
        "bytes",
        "disk_bytes",
        "files",
        "dirs",
        "identity",
    ] {
        assert!(e.get(k).is_some(), "entry lacks {k}: {e}");
    }
    for k in ["dev", "ino", "mode", "size", "mtime_ns", "ctime_ns"] {
        assert!(e["identity"].get(k).is_some(), "identity lacks {k}");
    }
    // The non-UTF-8 name: lossy `path`, exact `path_hex`.
    let bad = mami::non_utf8_selected();
    let hex: String = bad.iter().map(|b| format!("{b:02x}")).collect();
    let e = plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e.get("path_hex").is_some())
        .expect("a non-UTF-8 entry");
    assert_eq!(e["path_hex"], hex);
    assert!(e["path"].as_str().unwrap().contains('\u{fffd}'));
    assert!(m.root.join(std::ffi::OsStr::from_bytes(&bad)).exists());
    // Per-phase totals add up to the total.
    let sum: u64 = plan["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, plan["total_bytes"].as_u64().unwrap());
}

#[test]
fn output_is_deterministic() {
    let m = mami::build();
    let a = run(&m.root, &["plan"]);
    let b = run(&m.root, &["plan", "-j", "1"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(stdout(&a), stdout(&b));
    let ja = plan_json(&m.root, &["-j", "4"]);
    let jb = plan_json(&m.root, &["-j", "1"]);
    assert_eq!(ja["entries"], jb["entries"]);
    assert_eq!(ja["body_hash"], jb["body_hash"]);
}

#[test]
fn human_output_has_tables_and_the_headline() {
    let m = mami::build();
    let o = run(&m.root, &["plan"]);
    let s = stdout(&o);
    assert!(s.contains("Phase 1 · root"), "{s}");
    assert!(s.contains("Phase 7 · deps"), "{s}");
    assert!(s.contains("Review (reported, never deleted)"), "{s}");
    assert!(s.contains("Largest entries"), "{s}");
    let last = s.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("would free ")
            && !last.contains("target")
            && last.contains(" — work tree ")
            && last.contains("; build contexts "),
        "{last}"
    );
    assert!(s.contains("size    of tree"), "{s}");
    // Where the space goes: bars for phases, the largest entries and each context now → after.
    assert!(
        s.lines().any(|l| l.trim_start().starts_with("now   █")),
        "{s}"
    );
    assert!(
        s.lines().any(|l| l.trim_start().starts_with("after ")),
        "{s}"
    );
    assert!(
        s.lines().any(|l| l.contains("deps") && l.contains('█')),
        "{s}"
    );
    // With Mami's goal set, the headline and the phase table measure against it.
    let s = stdout(&run(&m.root, &["plan", "--target", "1.1GB"]));
    let last = s.trim_end().lines().last().unwrap();
    assert!(last.contains(" of the 1.10 GB target ("), "{last}");
    assert!(s.contains("size  of target"), "{s}");
    let o = run(&m.root, &["plan", "--target", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("more than 0 bytes"), "{}", stderr(&o));
}

#[test]
fn names_with_control_characters_are_shown_escaped() {
    let d = tempfile::tempdir().unwrap();
    // A backup directory whose name would end the line and colour the rest of the report.
    let name = "old\nwould free 9 TB\x1b[31m_backup";
    mami::write(d.path(), &format!("{name}/x.py"), 10);
    let o = run(d.path(), &["plan"]);
    let s = stdout(&o);
    assert!(!s.contains('\x1b'), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains(r"old\nwould free 9 TB\x1b[31m_backup/")
                && l.contains("backup-dirs")),
        "{s}"
    );
    assert_eq!(
        s.lines().filter(|l| l.starts_with("would free")).count(),
        1,
        "one headline: {s}"
    );
    // JSON keeps the name exact.
    let v = plan_json(d.path(), &[]);
    assert_eq!(v["entries"][0]["path"], name);
}
