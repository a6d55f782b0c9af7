//! A build context whose only ignore file has a name Docker never reads (Podman's
//! `.containerignore`, `.Dockerignore`, `dockerignore`, `.dockerignore.txt`): Docker reads
//! `<Dockerfile>.dockerignore` or `.dockerignore`, so `docker compose build` sends what it
//! leaves out. The audit says so once, and `ignore --write` starts the new `.dockerignore` from
//! its lines; a missing `Dockerfile` beside a `Containerfile` is said as the name Docker does
//! not look for.

mod common;

use common::repo::Repo;

const COMPOSE: &str =
    "services:\n  app:\n    build:\n      context: .\n      dockerfile: Containerfile\n";
const CONTAINERFILE: &str = "FROM scratch\nCOPY app.py /app/\n";

/// The findings with `code`, as (path, message, fix).
fn found(r: &Repo, code: &str) -> Vec<(String, String, String)> {
    let a = r.audit();
    (a["findings"].as_array().unwrap().iter())
        .filter(|f| f["code"] == code)
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("path"), s("message"), s("fix"))
        })
        .collect()
}

fn podman_app(extra: &[(&str, &str)]) -> Repo {
    let mut files = vec![
        ("compose.yaml", COMPOSE),
        ("Containerfile", CONTAINERFILE),
        ("app.py", "print('hi')\n"),
        (".containerignore", "tests/\n*.db\n"),
        ("tests/test_app.py", "def test_app():\n    assert True\n"),
        ("tests/fixtures/big.json", "{}"),
    ];
    files.extend_from_slice(extra);
    Repo::new(&files)
}

#[test]
fn a_context_read_through_a_containerignore_is_said_to_send_what_it_leaves_out() {
    let r = podman_app(&[]);
    let f = found(&r, "misnamed-ignore-file");
    assert_eq!(f.len(), 1, "{f:?}");
    let (path, message, fix) = &f[0];
    assert_eq!(path, ".containerignore");
    for says in [
        "Docker never reads",
        "has no .dockerignore",
        "the 2 files",
        "`tests/`",
    ] {
        assert!(message.contains(says), "{says}: {message}");
    }
    assert!(fix.contains("`mami-clean ignore --write`"), "{fix}");
    assert!(fix.contains("`cp .containerignore .dockerignore`"), "{fix}");
}

#[test]
fn a_containerignore_beside_a_dockerignore_is_nothing_to_say() {
    let r = podman_app(&[(".dockerignore", "tests/\n")]);
    assert!(found(&r, "misnamed-ignore-file").is_empty());
    // Nor where the Dockerfile has its own ignore file, which Docker reads first.
    let r = podman_app(&[("Containerfile.dockerignore", "tests/\n")]);
    assert!(found(&r, "misnamed-ignore-file").is_empty());
}

#[test]
fn with_nothing_it_names_present_the_finding_names_its_lines() {
    let r = podman_app(&[(".containerignore", ".venv/\n.env\n*.db\n!keep.db\nbuild/\n")]);
    let f = found(&r, "misnamed-ignore-file");
    assert_eq!(f.len(), 1, "{f:?}");
    let m = &f[0].1;
    assert!(m.contains("none of it is here now"), "{m}");
    assert!(m.contains("(`.venv`, `.env`, `*.db` and 1 more;"), "{m}");
}

#[test]
fn junk_sent_without_a_dockerignore_is_one_finding_that_names_the_containerignore() {
    let r = podman_app(&[
        ("package.json", "{\"dependencies\":{\"left-pad\":\"1\"}}\n"),
        ("node_modules/left-pad/index.js", "module.exports = 1;\n"),
    ]);
    assert!(found(&r, "misnamed-ignore-file").is_empty());
    let f = found(&r, "missing-dockerignore");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].1.contains("`.containerignore`"), "{}", f[0].1);
    let fix = &f[0].2;
    assert!(
        fix.contains("; the new .dockerignore starts from the lines of `.containerignore`"),
        "{fix}"
    );
}

#[test]
fn ignore_write_starts_the_new_dockerignore_from_the_containerignore() {
    let r = podman_app(&[]);
    let out = r.run(&["ignore", "--write"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = r.read(".dockerignore").expect("a .dockerignore");
    let lines: Vec<&str> = written.lines().collect();
    assert!(
        lines[0].starts_with("# Docker reads this file, not .containerignore"),
        "{written}"
    );
    assert_eq!(lines[1..3], ["tests/", "*.db"], "{written}");
    assert!(
        written.contains("# >>> mami-clean managed block"),
        "{written}"
    );
    // Podman's own file is left as it was.
    assert_eq!(
        r.read(".containerignore").as_deref(),
        Some("tests/\n*.db\n")
    );
    // Docker now leaves out what the project meant to, and the audit has nothing to say.
    assert!(found(&r, "misnamed-ignore-file").is_empty());
    let sent = r.run(&["context", "--format", "json"]);
    let sent = String::from_utf8_lossy(&sent.stdout);
    assert!(!sent.contains("tests/test_app.py"), "{sent}");
    assert!(sent.contains("app.py"), "{sent}");
    // A second write changes nothing.
    let again = r.run(&["ignore", "--write"]);
    assert!(again.status.success());
    assert_eq!(r.read(".dockerignore").as_deref(), Some(written.as_str()));
}

#[test]
fn a_linked_containerignore_is_not_copied() {
    let r = podman_app(&[("elsewhere.txt", "secret-name\n")]);
    std::fs::remove_file(r.path(".containerignore")).unwrap();
    std::os::unix::fs::symlink("elsewhere.txt", r.path(".containerignore")).unwrap();
    let out = r.run(&["ignore", "--write"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = r.read(".dockerignore").unwrap_or_default();
    assert!(!written.contains("secret-name"), "{written}");
    assert!(found(&r, "misnamed-ignore-file").is_empty());
}

#[test]
fn a_missing_dockerfile_beside_a_containerfile_is_said_as_the_name_docker_does_not_look_for() {
    let compose = "services:\n  app:\n    build: .\n";
    let r = podman_app(&[("compose.yaml", compose)]);
    let f = found(&r, "missing-build-input");
    assert_eq!(f.len(), 1, "{f:?}");
    let (path, message, fix) = &f[0];
    assert_eq!(path, "Dockerfile");
    assert!(
        message.contains("`Containerfile` beside it is what Podman builds"),
        "{message}"
    );
    assert!(fix.contains("`dockerfile: Containerfile`"), "{fix}");
}

/// A Docker app whose ignore file has another name, with `.git` and `notes/` in it.
fn misnamed(name: &str) -> Repo {
    Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app/\n"),
        ("app.py", "print('hi')\n"),
        (name, ".git\nnotes/\n"),
        ("notes/todo.md", "- ship it\n"),
    ])
}

#[test]
fn an_ignore_file_named_as_an_editor_saved_it_is_said_with_the_rename() {
    for name in [".dockerignore.txt", "dockerignore", ".dockeringore"] {
        let r = misnamed(name);
        let f = found(&r, "misnamed-ignore-file");
        assert_eq!(f.len(), 1, "{name}: {f:?}");
        let (path, message, fix) = &f[0];
        assert_eq!(path, name);
        assert!(message.contains("is not a name Docker reads"), "{message}");
        assert!(
            message.contains("`.git/`") && message.contains("`notes/`"),
            "{message}"
        );
        assert!(
            fix.starts_with(&format!("rename it: `git mv {name} .dockerignore`")),
            "{fix}"
        );
        // Its `.git` line is there: the `.git` sent is this problem, said once.
        assert!(found(&r, "git-in-context").is_empty(), "{name}");
        // Renamed as the fix says, the audit has nothing more to say of it.
        r.git(&["mv", name, ".dockerignore"]);
        assert!(found(&r, "misnamed-ignore-file").is_empty(), "{name}");
    }
}

#[test]
fn a_dockerignore_in_other_capitals_is_said_to_work_only_where_case_is_ignored() {
    let r = misnamed(".Dockerignore");
    let f = found(&r, "misnamed-ignore-file");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].1
            .contains("only where the filesystem ignores case (macOS, Windows)"),
        "{}",
        f[0].1
    );
    assert!(
        f[0].2.contains("`git mv .Dockerignore .dockerignore`"),
        "{}",
        f[0].2
    );
}

#[test]
fn git_in_context_stays_where_the_misnamed_file_does_not_exclude_git() {
    let r = misnamed("dockerignore");
    r.write("dockerignore", "notes/\n");
    assert_eq!(found(&r, "misnamed-ignore-file").len(), 1);
    assert_eq!(found(&r, "git-in-context").len(), 1);
}

#[test]
fn ignore_write_starts_from_a_misspelt_ignore_file_too() {
    let r = misnamed(".dockerignore.txt");
    assert!(r.run(&["ignore", "--write"]).status.success());
    let written = r.read(".dockerignore").expect("a .dockerignore");
    assert!(
        written.starts_with("# Docker reads this file, not .dockerignore.txt"),
        "{written}"
    );
    assert!(written.contains("\n.git\nnotes/\n"), "{written}");
    assert!(found(&r, "misnamed-ignore-file").is_empty());
}

#[test]
fn a_gitignore_saved_as_txt_is_said_and_ignore_write_starts_from_it() {
    let r = Repo::new(&[
        ("app.py", "print('hi')\n"),
        (".gitignore.txt", "# local\nvenv/\n.env\n"),
    ]);
    let f = found(&r, "misnamed-ignore-file");
    assert_eq!(f.len(), 1, "{f:?}");
    let (path, message, fix) = &f[0];
    assert_eq!(path, ".gitignore.txt");
    assert!(message.contains("is not a name git reads"), "{message}");
    assert!(message.contains("(`venv/` and `.env`)"), "{message}");
    assert!(
        fix.starts_with("rename it: `git mv .gitignore.txt .gitignore`"),
        "{fix}"
    );
    assert!(!r.git_ignores("venv/lib/x.py"));
    assert!(r.run(&["ignore", "--write"]).status.success());
    let written = r.read(".gitignore").expect("a .gitignore");
    assert!(
        written.starts_with("# git reads this file, not .gitignore.txt"),
        "{written}"
    );
    assert!(written.contains("\n# local\nvenv/\n.env\n"), "{written}");
    assert!(r.git_ignores("venv/lib/x.py"));
    assert!(found(&r, "misnamed-ignore-file").is_empty());
}

#[test]
fn a_gitignore_beside_a_misnamed_one_is_nothing_to_say() {
    let r = Repo::new(&[
        ("app.py", "print('hi')\n"),
        (".gitignore", "venv/\n"),
        (".gitignore.txt", "venv/\n"),
        (".Gitignore", "venv/\n"),
    ]);
    assert!(found(&r, "misnamed-ignore-file").is_empty());
    // Nor is a bare `gitignore`: a dotfiles repository links it as its global excludes file.
    let r = Repo::new(&[("bashrc", "alias g=git\n"), ("gitignore", ".DS_Store\n")]);
    assert!(found(&r, "misnamed-ignore-file").is_empty());
}

#[test]
fn a_missing_dockerfile_beside_a_dockerfile_txt_is_said_with_the_rename() {
    let r = Repo::new(&[
        ("compose.yaml", "services:\n  app:\n    build: .\n"),
        ("Dockerfile.txt", CONTAINERFILE),
        ("app.py", "print('hi')\n"),
    ]);
    let f = found(&r, "missing-build-input");
    assert_eq!(f.len(), 1, "{f:?}");
    let (path, message, fix) = &f[0];
    assert_eq!(path, "Dockerfile");
    assert!(
        message.contains("`Dockerfile.txt` beside it is the name an editor saved it under"),
        "{message}"
    );
    assert_eq!(fix, "rename it: `git mv Dockerfile.txt Dockerfile`");
}

#[test]
fn a_misnamed_file_docker_would_refuse_is_not_copied_and_windows_line_ends_are_made_plain() {
    // A lone `!` is a line Docker refuses: copied, it would fail every build.
    let r = podman_app(&[(".containerignore", "tests/\n!\n")]);
    assert!(r.run(&["ignore", "--write"]).status.success());
    let written = r.read(".dockerignore").unwrap_or_default();
    assert!(!written.contains("tests/"), "{written}");
    let ctx = r.run(&["context"]);
    assert!(
        ctx.status.success(),
        "{}",
        String::from_utf8_lossy(&ctx.stderr)
    );
    // A `.gitignore.txt` saved with `\r\n`: git would read `venv/\r` as the pattern.
    let r = Repo::new(&[("app.py", "x\n"), (".gitignore.txt", "venv/\r\n.env\r\n")]);
    assert!(r.run(&["ignore", "--write"]).status.success());
    let written = r.read(".gitignore").expect("a .gitignore");
    assert!(!written.contains('\r'), "{written:?}");
    assert!(r.git_ignores("venv/lib/x.py") && r.git_ignores(".env"));
}
