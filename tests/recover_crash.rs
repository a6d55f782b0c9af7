//! A second crash, during `recover --undo` itself: whatever moment it strikes, every tracked
//! file comes back whole on the next `--undo` (never a truncated file in its place), and the
//! journal closes only once every file written reads back as its blob.

mod common;

use common::repo::Repo;
use common::*;
use std::process::Output;

fn with_failpoint(r: &Repo, fp: &str, args: &[&str]) -> Output {
    bin()
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("XDG_CONFIG_HOME", r.xdg.join("config"))
        .env("MAMI_CLEAN_FAILPOINT", fp)
        .arg("-C")
        .arg(&r.root)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn killed_during_the_undo_checkout_the_next_undo_restores_every_file_whole() {
    let reports: Vec<(String, String)> = (0..6)
        .map(|i| {
            (
                format!("docs/FAZ{i}_COMPLETION_REPORT.md"),
                format!("report {i}\n").repeat(50),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = reports
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    files.push(("src/app.py", "print(1)\n"));
    files.push(("run.sh", "#!/bin/sh\necho hi\n"));
    let r = Repo::new(&files);
    // Killed after the fifth entry: four report files gone, the journal open.
    let o = with_failpoint(&r, "apply-after-intent:4:abort", &["apply", "--yes"]);
    assert_ne!(o.status.code(), Some(0));
    let gone = reports.iter().filter(|(p, _)| !r.exists(p)).count();
    assert_eq!(gone, 4, "{}", stdout(&o));
    // The undo is killed too, between writing a file and renaming it into place.
    for n in [0, 2] {
        let o = with_failpoint(
            &r,
            &format!("undo-before-rename:{n}:abort"),
            &["recover", "--undo"],
        );
        assert_ne!(o.status.code(), Some(0), "{}", stdout(&o));
        for (p, c) in &reports {
            // Absent, or whole: never a partial file.
            assert!(
                r.read(p).is_none_or(|got| &got == c),
                "{p} after a crash at file {n}"
            );
        }
    }
    let o = r.run(&["recover", "--undo"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("journal closed"), "{}", stdout(&o));
    for (p, c) in &reports {
        assert_eq!(r.read(p).as_deref(), Some(c.as_str()), "{p}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(r.path("docs"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".mami-undo."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A third --undo has nothing left to do.
    let o = r.run(&["recover", "--undo"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("no interrupted apply"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn undo_calls_a_half_deleted_venv_partly_deleted_and_says_how_to_rebuild_it() {
    let r = Repo::new(&[("app.py", "print(1)\n"), ("requirements.txt", "flask\n")]);
    r.write(".venv/pyvenv.cfg", "home = /usr/bin\n");
    for i in 0..60 {
        r.write(
            &format!(".venv/lib/site-packages/pkg{}/mod{i}.py", i % 6),
            "x = 1\n",
        );
    }
    let o = with_failpoint(&r, "delete-after-file:20:abort", &["apply", "--yes"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(r.exists(".venv"), "killed half way");
    let o = r.run(&["recover", "--undo"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains(".venv: being deleted when it stopped (may be partly gone) → partly deleted: regenerable"), "{out}");
    assert!(
        out.contains(".venv: partly deleted; rebuild it with `"),
        "{out}"
    );
}

/// A dependency directory git tracks in part (a vendored patch committed inside it) comes back
/// from the index only in that part: `--undo` says so and how to rebuild the rest, not "in
/// place".
#[test]
fn undo_says_a_partly_tracked_dependency_dir_is_back_only_in_part() {
    let r = Repo::new(&[
        ("package.json", "{}\n"),
        ("a/package.json", "{}\n"),
        ("a/node_modules/patched/index.js", "module.exports = 1;\n"),
    ]);
    for i in 0..4 {
        r.write(&format!("a/node_modules/dep{i}/index.js"), "x\n");
    }
    for i in 0..60 {
        r.write(&format!("node_modules/pkg{}/f{i}.js", i % 6), "x\n");
    }
    let plan = stdout(&r.run(&["plan"]));
    assert!(plan.contains("a/node_modules"), "{plan}");
    let o = with_failpoint(&r, "delete-after-file:20:abort", &["apply", "--yes"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(!r.exists("a/node_modules"), "deleted whole before the kill");
    assert!(r.exists("node_modules"), "killed half way");
    let o = r.run(&["recover", "--undo"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(r.exists("a/node_modules/patched/index.js"), "{out}");
    assert!(!r.exists("a/node_modules/dep0"), "{out}");
    assert!(
        out.contains("a/node_modules: deleted before the interruption → only its tracked files are back: regenerable"),
        "{out}"
    );
    assert!(
        out.contains("a/node_modules: only its tracked files came back; rebuild the rest with `"),
        "{out}"
    );
}
