//! One `statx` per entry: every command that walks the tree is held to it on a fixture, counted
//! by `fsx` itself (`-v` prints the count), so the count cannot creep back. The fixture is the
//! shape that cost most before: two compose services building the same context `.`, a third
//! building `ui`, and a `node_modules` inside both contexts whose `.dockerignore` does not
//! exclude it (a bare `node_modules` matches only at the root).

mod common;

use std::path::Path;

use common::{run, stderr};

fn stat_calls(root: &Path, args: &[&str]) -> u64 {
    verbose_count(root, args, ("filesystem: ", " stat calls"))
}

/// How many git statuses `-v` says the command read.
fn statuses(root: &Path, args: &[&str]) -> u64 {
    verbose_count(root, args, ("git: ", " statuses read"))
}

/// The number `-v` prints between `around`'s two parts for the command `args`.
fn verbose_count(root: &Path, args: &[&str], around: (&str, &str)) -> u64 {
    let mut a = vec!["-v"];
    a.extend_from_slice(args);
    let o = run(root, &a);
    let err = stderr(&o);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{args:?}: {err}");
    err.lines()
        .find_map(|l| l.strip_prefix(around.0))
        .and_then(|l| l.strip_suffix(around.1))
        .unwrap_or_else(|| panic!("no count in: {err}"))
        .parse()
        .unwrap()
}

fn write(root: &Path, rel: &str, len: usize) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, vec![b'x'; len]).unwrap();
}

fn text(root: &Path, rel: &str, content: &str) {
    write(root, rel, 0);
    std::fs::write(root.join(rel), content).unwrap();
}

fn git(root: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// A repository at `root` with everything there committed.
fn commit_all(root: &Path) {
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "init"]);
}

/// Every entry below `root` (what `find root` prints, the root included).
fn entries(root: &Path) -> u64 {
    let mut n = 1;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            n += 1;
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    n
}

#[test]
fn each_command_stats_each_entry_at_most_once() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("repo");
    for i in 0..120 {
        write(&root, &format!("app/m{}/f{i}.py", i % 6), 300 + i);
    }
    text(
        &root,
        "docker/Dockerfile",
        "FROM scratch\nCOPY app/ /app/\n",
    );
    text(&root, "ui/Dockerfile", "FROM scratch\nCOPY . /ui/\n");
    text(
        &root,
        "compose.yaml",
        "services:\n  api:\n    build: {context: ., dockerfile: docker/Dockerfile}\n  worker:\n    build: {context: ., dockerfile: docker/Dockerfile}\n  ui:\n    build: ui\n",
    );
    text(&root, ".dockerignore", "node_modules\n.git\n");
    text(&root, ".gitignore", "node_modules/\n");
    commit_all(&root);
    // Ignored, untracked, in both contexts: 1,500 files in 100 packages.
    for p in 0..100 {
        for i in 0..14 {
            write(&root, &format!("ui/node_modules/p{p}/lib/m{i}.js"), 100 + i);
        }
        write(&root, &format!("ui/node_modules/p{p}/package.json"), 50);
    }
    let all = entries(&root);
    let modules = entries(&root.join("ui/node_modules"));
    // A few stats of known files (config, ignore files, Dockerfiles, the root) are not entries
    // of their own.
    let slack = 40;
    for cmd in [&["gate"][..], &["audit"], &["context"], &["context", "ui"]] {
        let n = stat_calls(&root, cmd);
        assert!(
            n <= all + slack,
            "{cmd:?}: {n} stat calls for {all} entries"
        );
    }
    // The gate reads `ui/node_modules` once for the three builds (and never sizes it for the
    // plan it makes: no budget asks), so it costs about one stat per entry, not three.
    let gate = stat_calls(&root, &["gate"]);
    assert!(
        gate < all + slack && gate + modules > all,
        "gate: {gate} for {all}"
    );
    // `plan` sizes the dependency directory and lists it as it goes (the root's compose
    // project names both contexts before the scan): the forecast reads it from the listing.
    let plan = stat_calls(&root, &["plan"]);
    assert!(plan <= all + slack, "plan: {plan} for {all}");
    // The listing is what the forecast would have walked: the same bytes either way.
    let json = common::plan_json(&root, &[]);
    let ui = json["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"].as_str().unwrap().contains("ui"))
        .expect("the ui context");
    let o = run(&root, &["context", "ui", "--format", "json"]);
    let walked: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(ui["bytes_before"], walked["total_bytes"]);
    assert_eq!(
        ui["files_before"].as_u64(),
        walked["files"].as_array().map(|f| f.len() as u64)
    );
}

/// The gate lists, as its scan sizes them, the dependency trees a root context takes in, and
/// never walks the ones every such context excludes (the root's `node_modules` and `.venv`
/// here): what it measures is what `context` walks.
#[test]
fn the_gate_walks_only_the_trees_a_context_takes_in() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("repo");
    for i in 0..60 {
        write(&root, &format!("app/f{i}.py"), 200 + i);
    }
    text(&root, "Dockerfile", "FROM scratch\nCOPY . /app/\n");
    text(
        &root,
        "compose.yaml",
        "services:\n  api:\n    build: .\n  worker:\n    build: .\n",
    );
    text(&root, ".dockerignore", "node_modules\n.venv\n.git\n");
    text(&root, ".gitignore", "node_modules/\n.venv/\n");
    // What makes each a dependency tree (installed, so regenerable) rather than a directory.
    text(&root, "package.json", "{}\n");
    text(&root, "ui/package.json", "{}\n");
    text(&root, ".venv/pyvenv.cfg", "home = /usr/bin\n");
    commit_all(&root);
    for p in 0..40 {
        for i in 0..10 {
            write(&root, &format!("node_modules/p{p}/m{i}.js"), 100 + i);
            write(&root, &format!(".venv/lib/p{p}/m{i}.py"), 100 + i);
            // `node_modules` on the first line matches only at the context's root.
            write(&root, &format!("ui/node_modules/p{p}/m{i}.js"), 10 + i);
        }
    }
    let all = entries(&root);
    let excluded = entries(&root.join("node_modules")) + entries(&root.join(".venv"));
    let gate = stat_calls(&root, &["gate"]);
    assert!(
        gate + excluded <= all + 40,
        "gate: {gate} stat calls for {all} entries, {excluded} of them in excluded trees"
    );
    let o = run(&root, &["gate", "--format", "json"]);
    let gated: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let o = run(&root, &["context", "--format", "json"]);
    let walked: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let contexts = gated["now"]["contexts"].as_object().unwrap();
    assert_eq!(contexts.len(), 2, "{gated}");
    for bytes in contexts.values() {
        assert_eq!(*bytes, walked["total_bytes"], "{gated}");
    }
}

/// The gate asks git's status nothing about a committed backup copy (700 files) and a
/// committed `venv` when the index's stat data show every file unchanged: the scan's `statx`
/// of each file settles it, as git's own status would. One edit in the copy is still found,
/// and the copy is then said to need a backup, not git, to come back.
#[test]
fn the_gate_reads_no_status_where_stat_data_settle_it() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("repo");
    for i in 0..700 {
        write(&root, &format!("app-backup/m{}/f{i}.py", i % 20), 100 + i);
    }
    for i in 0..50 {
        write(&root, &format!("venv/lib/site-packages/p{i}.py"), 80 + i);
    }
    text(&root, "venv/pyvenv.cfg", "home = /usr/bin\n");
    text(&root, "app/main.py", "print('hi')\n");
    text(&root, "debug_login.py", "print('debug')\n");
    commit_all(&root);
    // A checkout made earlier than its index is written, as a clone's is: a file written in
    // the index's own instant is racily clean, and only the status may judge it.
    let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            if e.file_name() == ".git" {
                continue;
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let f = std::fs::File::options().write(true).open(e.path()).unwrap();
                f.set_modified(earlier).unwrap();
            }
        }
    }
    git(&root, &["update-index", "-q", "--refresh"]);
    let plan = common::plan_json(&root, &[]);
    let entry = |path: &str| {
        let entries = plan["entries"].as_array().unwrap();
        (entries.iter())
            .find(|e| e["path"] == path)
            .unwrap_or_else(|| panic!("{path} not planned: {plan}"))
            .clone()
    };
    assert_eq!(entry("app-backup")["recovery"], "git", "{plan}");
    assert_eq!(statuses(&root, &["gate"]), 0);
    // Listing the rules needs no work tree's status, however large the tree.
    assert_eq!(statuses(&root, &["rules"]), 0);

    write(&root, "app-backup/m3/f3.py", 99);
    assert!(
        statuses(&root, &["gate"]) > 0,
        "the edit goes to the status"
    );
    let o = run(&root, &["gate", "--format", "json"]);
    let gated: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The gate's fix untracks the copy around the edited file, never the file itself.
    let fix = gated["findings"][0]["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("app-backup/m3/f23.py"), "{gated}");
    assert!(!fix.contains("app-backup/m3/f3.py"), "{gated}");
    // `plan` reads the whole status: the same edit splits the selection around the file.
    let plan = common::plan_json(&root, &[]);
    let protected = plan["protected"].to_string();
    assert!(protected.contains("app-backup/m3/f3.py"), "{plan}");
    let planned = plan["entries"].as_array().unwrap();
    assert!(planned.iter().all(|e| e["path"] != "app-backup"), "{plan}");
}
