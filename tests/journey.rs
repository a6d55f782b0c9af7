//! Between the commands: what a person meets around `apply`: a commit that holds only the
//! cleanup, a missing git identity found before anything is deleted, a commit that fails
//! after the deletions (exit 4, the report still printed), and an undo command that works
//! as printed.

mod common;

use common::repo::Repo;
use common::*;
use std::process::{Command, Output};

/// Run with no global or system git config (an empty HOME: libgit2 reads `~/.gitconfig`),
/// and `env` set.
fn run_env(r: &Repo, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = bin();
    c.env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("XDG_CONFIG_HOME", r.xdg.join("config"))
        .env("HOME", r.outside("home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("EMAIL");
    for (k, v) in env {
        c.env(k, v);
    }
    c.arg("-C").arg(&r.root).args(args).output().unwrap()
}

fn git_out(r: &Repo, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(&r.root)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const CI: &[(&str, &str)] = &[
    ("GIT_AUTHOR_NAME", "CI"),
    ("GIT_AUTHOR_EMAIL", "ci@example.com"),
    ("GIT_COMMITTER_NAME", "CI"),
    ("GIT_COMMITTER_EMAIL", "ci@example.com"),
];

fn repo() -> Repo {
    Repo::new(&[
        ("src/main.py", "print(1)\n"),
        ("docs/FAZ1_COMPLETION_REPORT.md", "done\n"),
    ])
}

#[test]
fn the_cleanup_commit_holds_only_the_cleanup() {
    let r = repo();
    r.write("src/__pycache__/main.cpython-311.pyc", "x");
    r.write("src/main.py", "print(2)\n");
    r.git(&["add", "src/main.py"]);
    let o = run_env(&r, CI, &["apply", "--yes", "--allow-dirty", "--commit"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let changed = git_out(&r, &["show", "--name-status", "--format=", "HEAD"]);
    let mut lines: Vec<&str> = changed.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        ["A\t.gitignore", "D\tdocs/FAZ1_COMPLETION_REPORT.md"],
        "{changed}"
    );
    // The user's staged work is still staged, and nothing else is.
    assert_eq!(
        git_out(&r, &["diff", "--cached", "--name-only"]),
        "src/main.py\n"
    );
    assert_eq!(
        git_out(&r, &["log", "-1", "--format=%an <%ae>"]),
        "CI <ci@example.com>\n"
    );
}

#[test]
fn no_git_identity_is_found_before_anything_is_deleted() {
    let r = repo();
    let before = common::snap::snap(&r.root);
    let o = run_env(&r, &[], &["apply", "--yes", "--commit"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("FAIL  commit identity"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("GIT_AUTHOR_NAME"), "{}", stdout(&o));
    assert_eq!(common::snap::snap(&r.root), before);
    // The environment a CI runner sets is enough.
    let o = run_env(&r, CI, &["apply", "--yes", "--commit"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let line = stdout(&o)
        .lines()
        .find(|l| l.contains("commit identity"))
        .map(str::to_string);
    assert!(
        line.is_some_and(|l| l.contains("PASS") && l.ends_with("CI <ci@example.com>")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_commit_that_fails_after_the_deletions_exits_4_with_the_report() {
    let r = repo();
    r.write("backups/old.txt", "old\n");
    // Another git process holds the branch: the commit cannot move it.
    let branch = git_out(&r, &["symbolic-ref", "--short", "HEAD"]);
    std::fs::write(
        r.path(&format!(".git/refs/heads/{}.lock", branch.trim())),
        "",
    )
    .unwrap();
    let o = run_env(&r, CI, &["apply", "--yes", "--commit"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(4), "{out}{}", stderr(&o));
    assert!(
        out.contains("FAIL  commit") && out.contains("applied, not committed"),
        "{out}"
    );
    assert!(
        out.contains("mami-clean restore"),
        "the backup is still named: {out}"
    );
    assert!(!r.exists("docs/FAZ1_COMPLETION_REPORT.md"));
}

fn spawn_apply(r: &Repo, failpoint: &str, out: &std::path::Path) -> std::process::Child {
    bin()
        .env("XDG_DATA_HOME", r.xdg.join("data"))
        .env("XDG_STATE_HOME", r.xdg.join("state"))
        .env("XDG_CONFIG_HOME", r.xdg.join("config"))
        .env("MAMI_CLEAN_FAILPOINT", failpoint)
        .arg("-C")
        .arg(&r.root)
        .args(["apply", "--yes"])
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Six report files at the root: six entries, in name order.
fn six_entries() -> Repo {
    let files: Vec<(String, String)> = (0..6)
        .map(|i| (format!("FAZ{i}_COMPLETION_REPORT.md"), format!("r{i}\n")))
        .collect();
    let mut v: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    v.push(("src/main.py", "print(1)\n"));
    Repo::new(&v)
}

#[test]
fn each_step_is_printed_as_it_ends() {
    let r = six_entries();
    let out = r.outside("out.txt");
    // Killed (as SIGKILL would) before the fifth entry: what was done is already in the log.
    let o = spawn_apply(&r, "apply-after-intent:4:abort", &out)
        .wait()
        .unwrap();
    assert_ne!(o.code(), Some(0));
    let log = std::fs::read_to_string(&out).unwrap();
    assert!(
        log.contains("PASS  plan is current") && log.contains("backup present"),
        "{log}"
    );
    for i in 0..4 {
        let name = format!("FAZ{i}_COMPLETION_REPORT.md  (1 file)");
        assert!(
            log.lines()
                .any(|l| l.contains("deleted  ") && l.contains(&name)),
            "{log}"
        );
    }
    assert!(!log.contains("FAZ4_"), "{log}");
}

#[test]
fn after_ctrl_c_nothing_more_is_written() {
    let r = six_entries();
    let out = r.outside("out.txt");
    let mut child = spawn_apply(&r, "apply-after-intent:2:sleep-3000", &out);
    let journal = r.path(".git/mami-clean/journal.jsonl");
    let t0 = std::time::Instant::now();
    while !std::fs::read_to_string(&journal).is_ok_and(|j| j.contains("\"i\":2,")) {
        assert!(t0.elapsed().as_secs() < 60);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    let log = std::fs::read_to_string(&out).unwrap();
    assert!(
        log.contains("interrupted") && log.contains("mami-clean apply"),
        "{log}"
    );
    assert!(
        log.contains("SKIP  .gitignore") && log.contains("interrupted"),
        "{log}"
    );
    assert!(!r.exists(".gitignore"), "written after the interruption");
    assert!(r.exists("FAZ5_COMPLETION_REPORT.md"));
}

#[test]
fn nothing_to_clean_says_so_and_exits_0() {
    let r = Repo::new(&[("src/main.py", "print(1)\n"), ("README.md", "r\n")]);
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stdout(&o),
        "nothing to clean: the plan selects nothing to delete\n"
    );
}

#[test]
fn post_check_rows_say_what_happened_to_each_file() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
        (".dockerignore", ".git\n"),
    ]);
    r.write("app/__pycache__/main.cpython-311.pyc", "x");
    let o = r.run(&["apply", "--yes"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("PASS  .dockerignore") && out.contains(".dockerignore: updated, "),
        "{out}"
    );
    assert!(out.contains(".gitignore: created, "), "{out}");
}

#[test]
fn undo_puts_back_everything_a_run_changed() {
    let r = Repo::new(&[
        ("src/main.py", "print(1)\n"),
        ("docs/FAZ1_COMPLETION_REPORT.md", "done\n"),
        (".gitignore", "*.log\n"),
        ("package.json", "{}\n"),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
        // Committed whole (greyhound-racing-collector's tools/mcp/.../node_modules): undo
        // writes it back from git, so no rebuild is asked for.
        ("web/package.json", "{}\n"),
        ("web/node_modules/dep/index.js", "y\n"),
    ]);
    r.write("backups/notes.txt", "precious\n");
    r.write("node_modules/dep/index.js", "x\n");
    let before = common::snap::snap(&r.root);
    let elsewhere = r.outside("my-backups");
    let o = run_env(
        &r,
        CI,
        &[
            "apply",
            "--yes",
            "--commit",
            "--backup-dir",
            elsewhere.to_str().unwrap(),
        ],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("mami-clean undo "), "{out}");
    // The backup is found without --backup-dir: the run recorded where it went.
    let o = r.run(&["restore"]);
    assert!(stdout(&o).contains(" items, "), "{}", stdout(&o));
    let o = run_env(&r, CI, &["undo"]);
    let said = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{said}{}", stderr(&o));
    assert!(
        said.contains("node_modules: rebuild with `pnpm install --frozen-lockfile`"),
        "{said}"
    );
    assert!(said.contains("git revert"), "{said}");
    assert!(!said.contains("web/node_modules"), "{said}");
    let now = common::snap::snap(&r.root);
    for (p, v) in &before {
        if p.starts_with(b"node_modules") {
            continue;
        }
        let got = now
            .get(p)
            .unwrap_or_else(|| panic!("{} not back: {said}", String::from_utf8_lossy(p)));
        // git writes fresh mtimes; content, mode and kind must match.
        assert_eq!(
            (got.0, got.1, got.2, &got.4),
            (v.0, v.1, v.2, &v.4),
            "{}",
            String::from_utf8_lossy(p)
        );
    }
}

#[test]
fn undo_leaves_an_ignore_file_edited_after_the_run() {
    let r = Repo::new(&[("src/main.py", "print(1)\n"), (".gitignore", "*.log\n")]);
    r.write("src/__pycache__/main.cpython-311.pyc", "x");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let edited = format!("{}mine\n", r.read(".gitignore").unwrap());
    r.write(".gitignore", &edited);
    let o = r.run(&["undo"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(".gitignore: changed since the run"),
        "{}",
        stdout(&o)
    );
    assert_eq!(r.read(".gitignore").as_deref(), Some(edited.as_str()));
}

#[test]
fn a_backup_dir_spelled_into_the_tree_is_refused_by_identity() {
    let r = Repo::new(&[("src/main.py", "print(1)\n")]);
    r.write("backups/old.txt", "old\n");
    r.write("keep/.placeholder", "");
    std::fs::create_dir_all(r.outside("other")).unwrap();
    std::os::unix::fs::symlink(r.path("keep"), r.outside("link-in")).unwrap();
    let dotdot = format!("{}/../repo/keep/bk", r.outside("other").display());
    let link = format!("{}/bk", r.outside("link-in").display());
    let before = common::snap::snap(&r.root);
    for dir in [dotdot.as_str(), link.as_str()] {
        let o = r.run(&["apply", "--yes", "--backup-dir", dir]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{dir}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            stdout(&o).contains("is inside the tree"),
            "{dir}: {}",
            stdout(&o)
        );
        assert_eq!(
            common::snap::snap(&r.root),
            before,
            "{dir}: the tree changed"
        );
    }
}

#[test]
fn a_build_context_that_grew_since_the_plan_fails_its_row() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
    ]);
    r.write("app/__pycache__/main.cpython-311.pyc", "x");
    let plan = r.save_plan();
    r.write("app/data.bin", &"x".repeat(100_000));
    let o = r.run(&["apply", "--plan", plan.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let row = out
        .lines()
        .find(|l| l.contains("build context"))
        .unwrap_or("");
    assert!(row.contains("FAIL") && row.contains("it grew"), "{out}");
}
