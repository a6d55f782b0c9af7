//! A saved plan is a request, not an authority: at apply time every entry is derived again
//! from the rules in force. A forged plan (hash recomputed), an untrusted config that turns
//! keep rules off, or a trusted rule that calls a directory something it is not, cannot make
//! `apply` delete what nothing can give back.

mod common;

use common::repo::Repo;
use common::*;
use mami_clean::plan::{body_hash, Entry, Plan, Recovery};

/// Rewrite the saved plan with `edit`, its body hash recomputed as a forger would.
fn forge(path: &std::path::Path, edit: impl FnOnce(&mut Vec<Entry>)) {
    let mut plan: Plan = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut plan.entries);
    plan.body_hash = body_hash(&plan.entries);
    std::fs::write(path, serde_json::to_vec_pretty(&plan).unwrap()).unwrap();
}

#[test]
fn a_forged_plan_cannot_widen_what_is_deleted() {
    let r = Repo::new(&[("src/app.py", "print(1)\n"), ("README.md", "r\n")]);
    r.write("src/untracked_work.py", "mine\n");
    r.write("backups/notes.txt", "precious\n");
    let plan = r.save_plan();
    forge(&plan, |entries| {
        let b = entries.iter_mut().find(|e| e.path == "backups").unwrap();
        b.recovery = Recovery::Regenerable;
        let mut src = b.clone();
        src.path = "src".into();
        let md = std::fs::symlink_metadata(r.path("src")).unwrap();
        use std::os::unix::fs::MetadataExt;
        src.identity.ino = md.ino();
        src.identity.dev = md.dev();
        src.identity.mtime_ns =
            i128::from(md.mtime()) * 1_000_000_000 + i128::from(md.mtime_nsec());
        src.files = 2;
        src.dirs = 1;
        entries.push(src);
        entries.sort_by(|a, b| a.path.cmp(&b.path));
    });
    let o = r.run(&["apply", "--plan", plan.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        out.contains("src: the rules in force do not select it now"),
        "{out}"
    );
    assert!(
        out.contains(
            "backups: the plan calls it regenerable, the rules in force make it backup-only"
        ),
        "{out}"
    );
    assert_eq!(r.read("src/untracked_work.py").as_deref(), Some("mine\n"));
    assert_eq!(r.read("backups/notes.txt").as_deref(), Some("precious\n"));
    assert_eq!(r.read("src/app.py").as_deref(), Some("print(1)\n"));
}

#[test]
fn an_untrusted_config_cannot_turn_keep_rules_off_for_apply() {
    let r = Repo::new(&[
        ("src/app.py", "print(1)\n"),
        (
            "mami-clean.toml",
            "disable = [\"keep-databases\", \"keep-active-logs\", \"keep-env-files\"]\n",
        ),
    ]);
    r.write("backups/secrets.db", "db\n");
    r.write("backups/server.log", "log\n");
    r.write("backups/.env", "KEY=1\n");
    r.write("backups/old.txt", "old\n");
    // plan shows the config's view, marked.
    let o = r.run(&["plan"]);
    assert!(stdout(&o).contains("not trusted"), "{}", stdout(&o));
    for how in [&["apply", "--yes"][..], &["apply", "--plan", "PLAN"][..]] {
        let plan = r.save_plan();
        let args: Vec<&str> = how
            .iter()
            .map(|a| {
                if *a == "PLAN" {
                    plan.to_str().unwrap()
                } else {
                    a
                }
            })
            .collect();
        let o = r.run(&args);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}{}",
            stdout(&o),
            stderr(&o)
        );
        for f in ["backups/secrets.db", "backups/server.log", "backups/.env"] {
            assert!(r.exists(f), "{how:?}: {f} deleted: {}", stdout(&o));
        }
        assert!(stderr(&o).contains("not trusted"), "{}", stderr(&o));
    }
    assert!(!r.exists("backups/old.txt"));
}

#[test]
fn a_trusted_rule_that_misnames_a_directory_still_backs_up_everything() {
    let r = Repo::new(&[("src/app.py", "print(1)\n")]);
    r.write(
        "mami-clean.toml",
        "[[rule]]\nid = \"my-deps\"\nphase = 2\nreason = \"vendored deps\"\nkind = \"dir\"\nmatch = [\"**/node_modules\"]\nregenerate = \"npm ci\"\n",
    );
    for f in ["a.js", "b.js", "c.js"] {
        r.write(&format!("node_modules/lib/{f}"), "precious\n");
    }
    let o = r.run(&["trust"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = r.run(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let nm = plan["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "node_modules")
        .unwrap();
    // A config's rule cannot make untracked files regenerable: only built-in rules can.
    assert_eq!(nm["recovery"], "backup", "{nm}");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!r.exists("node_modules"));
    let o = r.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    for f in ["a.js", "b.js", "c.js"] {
        assert_eq!(
            r.read(&format!("node_modules/lib/{f}")).as_deref(),
            Some("precious\n")
        );
    }
}
