//! A `.dockerignore` line is as wide as its rule's pattern (`**/bin`, `**/coverage`,
//! `backups`), while the rule selected only what its guards let through. `ignore --write` must
//! not take the project's own files out of the image with it: a Rails `bin/docker-entrypoint`
//! the Dockerfile runs, beside a .NET project's `bin/` output; an app's `src/pages/coverage/`
//! beside a coverage report; a `backups/` folder compose mounts.

mod common;

use common::repo::Repo;
use common::*;

fn block(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| !l.starts_with("# >>>"))
        .collect()
}

/// `ignore --write`, which must succeed; what it said.
fn written(r: &Repo) -> String {
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// `git ARGS` in the repository.
fn git_in(r: &Repo, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .args(args)
        .current_dir(&r.root)
        .output()
        .unwrap()
}

/// The wide line is written as the paths its rule selected in the context; what the project
/// keeps is still sent, and a second run, also after `apply`, changes nothing.
#[test]
fn a_line_that_would_exclude_kept_files_is_written_as_the_selected_paths() {
    let r = Repo::new(&[
        ("bin/rails", "#!/usr/bin/env ruby\n"),
        ("bin/docker-entrypoint", "#!/bin/sh\nexec \"$@\"\n"),
        (
            "src/Api/Api.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"/>\n",
        ),
        ("src/Api/Program.cs", "var app = WebApplication.Create();\n"),
        (
            "web/package.json",
            "{\"scripts\": {\"test\": \"vitest\"}}\n",
        ),
        ("web/src/pages/coverage/Coverage.tsx", "export default 1;\n"),
        (".gitignore", "src/Api/bin/\nsrc/Api/obj/\n/web/coverage/\n"),
        (
            "Dockerfile",
            "FROM scratch\nCOPY . /app\nENTRYPOINT [\"/app/bin/docker-entrypoint\"]\n",
        ),
    ]);
    r.write("src/Api/bin/Debug/net8.0/Api.dll", &"x".repeat(50_000));
    r.write("src/Api/obj/project.assets.json", "{}\n");
    r.write("web/coverage/lcov.info", "TN:\n");

    let dry = r.run(&["ignore"]);
    let said = stdout(&dry);
    assert!(
        said.contains("not adding **/bin (it would exclude `bin/docker-entrypoint`, which git tracks and the cleanup keeps; written as src/Api/bin instead)"),
        "{said}"
    );
    assert!(
        said.contains(
            "not adding **/coverage (it would exclude `web/src/pages/coverage/Coverage.tsx`"
        ),
        "{said}"
    );
    written(&r);
    let di = r.read(".dockerignore").unwrap();
    let lines = block(&di);
    for want in ["src/Api/bin", "**/obj", "web/coverage"] {
        assert!(lines.contains(&want), "{want} missing:\n{di}");
    }
    for not in ["**/bin", "**/coverage"] {
        assert!(!lines.contains(&not), "{not} written:\n{di}");
    }
    let listed = stdout(&r.run(&["context", "--list"]));
    for sent in [
        "bin/docker-entrypoint",
        "bin/rails",
        "web/src/pages/coverage/Coverage.tsx",
    ] {
        assert!(
            listed.lines().any(|l| l.ends_with(sent)),
            "{sent} not sent:\n{listed}"
        );
    }
    assert!(!listed.contains("Api.dll"), "{listed}");
    assert_eq!(r.run(&["ignore", "--check"]).status.code(), Some(0));

    // Once `apply` has deleted the output, the narrowed lines stay and nothing widens them.
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "ignore files"]);
    let o = r.run(&["apply", "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!r.exists("src/Api/bin"));
    assert_eq!(r.run(&["ignore", "--check"]).status.code(), Some(0));
    assert_eq!(r.read(".dockerignore").unwrap(), di);
}

/// A `backups/` folder the project uses (compose mounts it) is left for review: the rule's
/// `backups` line, which excludes only it, is not written; the rule's other line is.
#[test]
fn a_line_that_would_exclude_a_path_left_for_review_is_not_written() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("backups/restore.sh", "#!/bin/sh\n"),
        (
            "docker-compose.yml",
            "services:\n  app:\n    build: .\n    volumes:\n      - ./backups:/backups\n",
        ),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    r.write("_backup_2023/main.py", "print(0)\n");
    let said = written(&r);
    assert!(
        said.contains("not adding backups (it would exclude `backups/restore.sh`"),
        "{said}"
    );
    let di = r.read(".dockerignore").unwrap();
    let lines = block(&di);
    assert!(lines.contains(&"_*backup*"), "{di}");
    assert!(!lines.contains(&"backups"), "{di}");
    let listed = stdout(&r.run(&["context", "--list"]));
    assert!(listed.contains("backups/restore.sh"), "{listed}");
}

/// The same for `.gitignore`: `bin/` would ignore the tracked `bin/rails`, so it is written as
/// the folder the cleanup deletes (`/src/Api/bin/`), which keeps the rebuilt output out of
/// `git status` and leaves the project's `bin/` as it was.
#[test]
fn a_gitignore_line_that_would_ignore_tracked_files_is_written_as_the_deleted_paths() {
    let r = Repo::new(&[
        ("bin/rails", "#!/usr/bin/env ruby\n"),
        (
            "src/Api/Api.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"/>\n",
        ),
        ("src/Api/Program.cs", "var app = WebApplication.Create();\n"),
    ]);
    r.write("src/Api/bin/Debug/net8.0/Api.dll", "x");
    let said = written(&r);
    assert!(
        said.contains("not adding bin/ (it would ignore the tracked `bin/rails`; written as /src/Api/bin/ instead)"),
        "{said}"
    );
    let gi = r.read(".gitignore").unwrap();
    let lines = block(&gi);
    assert!(lines.contains(&"/src/Api/bin/"), "{gi}");
    assert!(!lines.contains(&"bin/"), "{gi}");
    let status = stdout(&git_in(
        &r,
        &["status", "--porcelain", "--untracked-files=all"],
    ));
    assert!(!status.contains("Api.dll"), "{status}");
    let ignored = git_in(&r, &["check-ignore", "-q", "bin/rails"]);
    assert_eq!(
        ignored.status.code(),
        Some(1),
        "bin/rails is ignored:\n{gi}"
    );
    assert_eq!(r.run(&["ignore", "--check"]).status.code(), Some(0));
}

/// A `.dockerignore` line Docker 20.10 cannot read (its legacy walk made a regular expression
/// of a line, escaping only `.` and `$`: `**/.env (*` leaves a group open, and the build
/// fails) is not written, and the reason given is that one, not a COPY it would exclude.
#[test]
fn a_line_the_legacy_walk_cannot_read_is_refused_for_that() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY app.py /app/\n"),
        ("app.py", "print(1)\n"),
        (".env (1)", "DEBUG=1\n"),
    ]);
    let config = r.outside("rules.toml");
    std::fs::write(
        &config,
        "[[rule]]\nid = \"downloads\"\nphase = 6\nreason = \"a second download\"\n\
         action = \"keep\"\nmatch = [\"**/.env (*\"]\ndockerignore = [\"**/.env (*\"]\n",
    )
    .unwrap();
    let o = r.run(&["--config", config.to_str().unwrap(), "ignore"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains(
            "not adding **/.env (* (Docker's legacy walk, as in 20.10, cannot read it: it fails the build)"
        ),
        "{said}"
    );
}
