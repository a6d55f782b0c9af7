//! The sizes `plan` puts in its headline match what `du` says of the same directories: the
//! work tree with `.git` aside, and each build context now and after the cleanup. Both were
//! found wrong on real repositories (zylon-ai/private-gpt): a local clone's hard-linked packs
//! counted as work tree, and a `.dockerignore` that excludes the Dockerfile made the context
//! look smaller after a cleanup that deletes nothing in it.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_local_clones_hard_linked_git_objects_stay_out_of_the_work_tree() {
    let src = Repo::new(&[("README.md", "hello\n"), ("app/main.py", "print(1)\n")]);
    // 300 kB of incompressible history, so the clone's hard links are worth counting.
    let noise: String = (0..40_000u32)
        .map(|i| format!("{:x}", i.wrapping_mul(2_654_435_761)))
        .collect();
    src.write("data.txt", &noise);
    src.git(&["add", "-A"]);
    src.git(&["commit", "-q", "-m", "data"]);
    let clone = src.outside("clone");
    let o = std::process::Command::new("git")
        .args(["clone", "-q"])
        .arg(&src.root)
        .arg(&clone)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let linked = std::process::Command::new("find")
        .arg(clone.join(".git/objects"))
        .args(["-type", "f", "-links", "+1"])
        .output()
        .unwrap();
    assert!(
        !stdout(&linked).is_empty(),
        "git clone of a path hard-links its objects"
    );

    let plan = plan_json(&clone, &[]);
    let tree = plan["tree"]["bytes"].as_u64().unwrap();
    let git = plan["git_dir"]["bytes"].as_u64().unwrap();
    assert_eq!(git, du(&clone, &["-sb"], &[".git"]));
    assert_eq!(tree - git, du(&clone, &["-sb", "--exclude=.git"], &["."]));
}

#[test]
fn an_excluded_dockerfile_is_still_sent_after_the_cleanup() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
        (".dockerignore", "Dockerfile\n.git\n"),
        ("app/main.py", "print('hello')\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let c = &plan["contexts"][0];
    // Nothing in the context is deleted: the same files and bytes after as now, and the bytes
    // are the sent files' and the Dockerfile's (Docker sends it although excluded).
    assert_eq!(c["files_after"], c["files_before"]);
    assert_eq!(c["bytes_after"], c["bytes_before"]);
    let sent = du(
        &r.root,
        &["-cb"],
        &["Dockerfile", ".dockerignore", "app/main.py"],
    );
    assert_eq!(c["bytes_before"].as_u64().unwrap(), sent);
}

/// Services that build the same context are one row in the plan and one post-check after
/// `apply`, found by any of their names: the check compared nothing ("? → 1.02 MB") for a
/// merged row, so a context that grew during the apply would have passed.
#[test]
fn apply_checks_a_context_shared_by_services_against_the_plan() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build: .\n  worker:\n    build: .\n",
        ),
    ]);
    r.write("app/__pycache__/main.cpython-312.pyc", "x");
    let plan = plan_json(&r.root, &[]);
    let ctx = &plan["contexts"][0];
    assert_eq!(
        ctx["name"], "compose.yaml: services api and worker",
        "{ctx}"
    );
    assert_eq!(
        ctx["builds"],
        serde_json::json!(["compose.yaml: service api", "compose.yaml: service worker"])
    );
    let o = r.run(&["apply", "--yes"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    let line = out
        .lines()
        .find(|l| l.contains("build context"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("PASS  build context  compose.yaml: services api and worker: "),
        "{line}"
    );
    assert!(!line.contains("? →"), "{line}");
    assert_eq!(out.matches("build context  ").count(), 1, "{out}");
}

/// What the plan forecasts a context to send after the cleanup is what it sends once `apply`
/// has run: the `.dockerignore` the cleanup writes is itself in the context (Docker sends
/// it, and `COPY . /app` copies it), so the forecast counts it at its new size. It was one
/// file short on every repository that had no `.dockerignore` (HivisionIDPhotos: 87
/// forecast, 88 sent).
#[test]
fn the_forecast_after_is_what_the_context_sends_after_apply() {
    for existing in [None, Some("*.log\n"), Some(".dockerignore\n")] {
        let r = Repo::new(&[
            ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
            ("app/main.py", "print('hello')\n"),
            ("run.bat", "@echo off\npython app\\main.py\n"),
        ]);
        if let Some(text) = existing {
            r.write(".dockerignore", text);
            r.git(&["add", "-A"]);
            r.git(&["commit", "-q", "-m", "ignore"]);
        }
        r.write("app/__pycache__/main.cpython-312.pyc", "compiled");
        let plan = plan_json(&r.root, &[]);
        let c = &plan["contexts"][0];
        let o = r.run(&["apply", "--yes"]);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        assert!(!r.exists("run.bat"), "{}", stdout(&o));
        let now: serde_json::Value =
            serde_json::from_str(&stdout(&r.run(&["context", "--format", "json"]))).unwrap();
        let files = now["files"].as_array().unwrap().len() as u64;
        let what = format!(
            "{existing:?}: plan {c}, now {} bytes, {files} files",
            now["total_bytes"]
        );
        assert_eq!(c["files_after"].as_u64(), Some(files), "{what}");
        assert_eq!(c["bytes_after"], now["total_bytes"], "{what}");
        assert_eq!(c["image_bytes_after"], now["image_bytes"], "{what}");
    }
}

/// A build whose whole context the cleanup deletes (a Dockerfile inside `backup/`) sends
/// nothing after it: `apply` writes no `.dockerignore` into a directory it deleted, so the
/// forecast counts none there either.
#[test]
fn a_context_the_cleanup_deletes_gets_no_ignore_file_in_the_forecast() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
        ("app/main.py", "print(2)\n"),
        ("backup/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("backup/main.py", "print(1)\n"),
    ]);
    r.write("backup/__pycache__/main.cpython-312.pyc", "compiled");
    let plan = plan_json(&r.root, &[]);
    let c = (plan["contexts"].as_array().unwrap().iter())
        .find(|c| c["name"] == "backup/Dockerfile")
        .unwrap_or_else(|| panic!("{plan}"));
    assert!(
        plan["entries"].to_string().contains("\"backup\""),
        "{}",
        plan["entries"]
    );
    assert_eq!(c["files_after"], 0, "{c}");
    assert_eq!(c["bytes_after"], 0, "{c}");
}

/// Builds that read one context with one ignore file send the same bytes, whatever their
/// Dockerfiles: two rows in the table, counted once in the headline (interview-gpt's three
/// builds of `.` made it read 1.66 GB for a 554 MB context).
#[test]
fn a_context_two_dockerfiles_read_counts_once_in_the_headline() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
        ("Dockerfile.worker", "FROM scratch\nCOPY app /worker\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build: .\n  worker:\n    build:\n      context: .\n      \
             dockerfile: Dockerfile.worker\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let rows = plan["contexts"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{plan:#}");
    assert_eq!(rows[0]["context"], ".");
    assert_eq!(rows[1]["ignore_file"], ".dockerignore");
    let one = rows[0]["bytes_before"].as_u64().unwrap();
    assert_eq!(one, rows[1]["bytes_before"].as_u64().unwrap());
    let out = stdout(&r.run(&["plan"]));
    let last = out.lines().last().unwrap();
    assert!(last.contains("; build context "), "{last}");
    assert!(
        last.contains(&format!("build context {} →", mami_clean::size::human(one))),
        "{last}"
    );
}
