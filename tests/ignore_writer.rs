//! What `ignore --write` puts in each build context's `.dockerignore`: lines for what that
//! context holds, no file that changes nothing sent, no rewrite of a file that lacks nothing,
//! and no `.git` line where the build reads git.

mod common;

use common::repo::Repo;
use common::*;

/// A build context below the root holds no `.git`: the baseline line is not wanted there, and
/// no file is made that would change nothing (nextcloud/docker: fifteen example contexts, each
/// given a new `.dockerignore` holding only `.git`). The root's context still gets it.
#[test]
fn a_subdirectory_context_gets_no_file_that_only_says_git() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
        ("app/main.py", "print(1)\n"),
        ("examples/cron/Dockerfile", "FROM scratch\nCOPY cron.sh /\n"),
        ("examples/cron/cron.sh", "true\n"),
    ]);
    let o = r.run(&["ignore", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let state = |p: &str| {
        let f = v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p);
        f.unwrap_or_else(|| panic!("{p}: {v:#}"))["state"].clone()
    };
    assert_eq!(state("examples/cron/.dockerignore"), "not-needed", "{v:#}");
    assert_eq!(state(".dockerignore"), "would-create", "{v:#}");
    let o = r.run(&["ignore"]);
    assert!(
        stdout(&o).contains("examples/cron/.dockerignore: not needed"),
        "{}",
        stdout(&o)
    );
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!r.exists("examples/cron/.dockerignore"));
    assert!(r
        .read(".dockerignore")
        .unwrap()
        .lines()
        .any(|l| l == ".git"));
    assert_eq!(r.run(&["ignore", "--check"]).status.code(), Some(0));
}

/// A `.gitignore` that lacks nothing but a final newline is up to date: `ignore` leaves it
/// byte for byte and `ignore --check` passes (docker/getting-started's ends `app/Dockerfile`
/// with no newline: "would update" with no line to add, and a failing CI check).
#[test]
fn an_ignore_file_lacking_only_a_final_newline_is_up_to_date() {
    let r = Repo::new(&[
        (".gitignore", "node_modules\n\n\napp/Dockerfile"),
        ("app.py", "print(1)\n"),
    ]);
    let o = r.run(&["ignore", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(".gitignore: up to date"),
        "{}",
        stdout(&o)
    );
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        r.read(".gitignore").unwrap(),
        "node_modules\n\n\napp/Dockerfile"
    );
}

/// A context's `.dockerignore` gets the lines of the rules that matched something in that
/// context, not anywhere in the repository (awesome-compose: 29 new files saying `**/.env` in
/// contexts that hold none); and once written, `ignore --check` agrees with it.
#[test]
fn a_context_file_holds_lines_for_what_that_context_holds() {
    let compose = "services:\n  svc:\n    build: ./svc\n  web:\n    build: ./web\n";
    let r = Repo::new(&[
        ("compose.yaml", compose),
        ("svc/Dockerfile", "FROM scratch\nCOPY main.py /\n"),
        ("svc/main.py", "print(1)\n"),
        ("web/Dockerfile", "FROM scratch\nCOPY index.js /\n"),
        ("web/index.js", "1\n"),
    ]);
    r.write("web/.env", "API_KEY=x\n");
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("svc/.dockerignore: not needed"),
        "{}",
        stdout(&o)
    );
    assert!(!r.exists("svc/.dockerignore"));
    let web = r.read("web/.dockerignore").unwrap();
    assert!(web.lines().any(|l| l == "**/.env"), "{web}");
    let o = r.run(&["ignore", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// A build that reads git from its context (syncthing: `COPY . .`, then `go run build.go`,
/// whose `build.go` runs `git describe` for the version) is not given a `.git` line, and the
/// audit does not ask for one; the same build without the script that reads git is.
#[test]
fn a_build_that_reads_git_keeps_its_git() {
    let df = "FROM golang\nCOPY . /src\nWORKDIR /src\nRUN go run build.go\n";
    let r = Repo::new(&[
        ("Dockerfile", df),
        ("main.go", "package main\n"),
        (
            "build.go",
            "package main\nfunc v() { runError(\"git\", \"describe\", \"--always\") }\n",
        ),
    ]);
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("not adding .git (Dockerfile:4 runs `build.go`, which runs `git describe`: the build reads git)"),
        "{}",
        stdout(&o)
    );
    let written = r.read(".dockerignore").unwrap_or_default();
    assert!(!written.lines().any(|l| l == ".git"), "{written}");
    assert!(findings(&r.audit(), "git-in-context").is_empty());
    // Without the git call the history is sent for nothing: warned, and written.
    r.write("build.go", "package main\nfunc v() {}\n");
    r.git(&["commit", "-qam", "no git"]);
    assert_eq!(findings(&r.audit(), "git-in-context").len(), 1);
    r.run(&["ignore", "--write"]);
    assert!(r
        .read(".dockerignore")
        .unwrap()
        .lines()
        .any(|l| l == ".git"));
}

/// apply writes the `.gitignore` after deleting, when the directories the lines are for are
/// gone: git is asked about them as directories (`__pycache__/`), so a line the user's own
/// lines cover is still not repeated (`*.pyc` under `*.py[cod]`; it was added after apply).
#[test]
fn apply_repeats_no_line_the_users_gitignore_covers() {
    let r = Repo::new(&[
        (".gitignore", "__pycache__/\n*.py[cod]\n"),
        ("app.py", "print(1)\n"),
    ]);
    r.write("__pycache__/app.cpython-311.pyc", "x");
    r.write("pkg/__pycache__/m.cpython-311.pyc", "x");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!r.exists("__pycache__"), "{}", stdout(&o));
    let gi = r.read(".gitignore").unwrap();
    assert!(!gi.lines().any(|l| l == "*.pyc" || l == "*.pyo"), "{gi}");
    assert_eq!(r.run(&["ignore", "--check"]).status.code(), Some(0));
}

/// A committed `.env` that holds no secret, only what the front-end build compiles into the
/// page, stays in the context its Dockerfile builds in: `**/.env` alone would have `npm run
/// build` make an app calling `undefined`. One holding a key, an untracked one and one the
/// user's own line excludes stay out.
#[test]
fn a_committed_env_of_front_end_settings_stays_in_the_context_that_builds_it() {
    let r = Repo::new(&[
        (
            "Dockerfile",
            "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\n",
        ),
        ("package.json", "{\"scripts\":{\"build\":\"vite build\"}}\n"),
        ("src/main.js", "console.log(import.meta.env.VITE_API_URL)\n"),
        (".env", "VITE_API_URL=https://api.example.com\n"),
        // Another front end's, with a key in it: a secret, kept out.
        (
            "admin/.env",
            "VITE_API_URL=/api\nOPENAI_API_KEY=sk-proj-abcdef0123456789\n",
        ),
        // An empty template: nothing the build reads, nothing to keep.
        ("docs/.env", "VITE_DOCS_URL=\n"),
    ]);
    r.write("tools/.env", "VITE_TOOLS=1\n");
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("`VITE_API_URL`: `!.env` after it"),
        "{}",
        stdout(&o)
    );
    let di = r.read(".dockerignore").unwrap();
    let lines: Vec<&str> = di.lines().collect();
    let at = |l: &str| lines.iter().position(|x| *x == l);
    assert!(at("**/.env") < at("!.env") && at("!.env").is_some(), "{di}");
    for l in ["!admin/.env", "!docs/.env", "!tools/.env"] {
        assert!(at(l).is_none(), "{l}: {di}");
    }
    // Written once: the next run has nothing to add and says nothing more.
    let o = r.run(&["ignore"]);
    assert!(!stdout(&o).contains("alone"), "{}", stdout(&o));
    assert_eq!(r.run(&["ignore", "--check"]).status.code(), Some(0));
    // The user's own line is the user's decision.
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", ".env\n"),
        (".env", "VITE_API_URL=https://api.example.com\n"),
    ]);
    r.run(&["ignore", "--write"]);
    assert!(!r.read(".dockerignore").unwrap().contains("!.env"));
}
