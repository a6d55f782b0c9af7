//! What a `RUN --mount=type=bind` reads from the context stays in it: ragflow's Dockerfile
//! bind-mounts `.git` to run `git describe`, and `ignore --write` gave its `.dockerignore` a
//! `.git` line, which fails that build; the audit asked for the line too. A bind mount's source
//! is now kept as a COPY source is, and a mount of `.git` is a build that reads git. Checked on
//! an Engine started by the test: the build with the written file passes, and with a line the
//! writer refused it fails, as the audit's `copy-source-excluded` says.

mod common;

use common::engine::Engine;
use common::repo::Repo;
use common::*;

const BUSYBOX: &str = "/bin/busybox";

/// `.git` and `.env` mounted by two RUNs of a `FROM scratch` build (busybox copied in to run).
const DOCKERFILE: &str = "FROM scratch\nCOPY busybox /bin/busybox\n\
    RUN --mount=type=bind,source=.git,target=/g [\"/bin/busybox\", \"test\", \"-f\", \"/g/HEAD\"]\n\
    RUN --mount=type=bind,src=.env,target=/e [\"/bin/busybox\", \"test\", \"-f\", \"/e\"]\n";

fn repo() -> Repo {
    let r = Repo::new(&[("Dockerfile", DOCKERFILE), ("app.py", "print(1)\n")]);
    r.write(".env", "MODE=dev\n");
    r
}

#[test]
fn ignore_write_keeps_what_a_run_mounts_and_the_audit_asks_for_no_git_line() {
    let r = repo();
    let o = r.run_ok(&["ignore", "--write"]);
    let said = stdout(&o);
    assert!(
        said.contains(
            "not adding .git (Dockerfile:3 mounts `.git` into a RUN: the build reads git)"
        ),
        "{said}"
    );
    assert!(
        said.contains("not adding **/.env (a Dockerfile's RUN mounts what it would exclude)"),
        "{said}"
    );
    let written = r.read(".dockerignore").unwrap_or_default();
    let lines: Vec<&str> = written.lines().collect();
    assert!(
        !lines.contains(&".git") && !lines.contains(&"**/.env"),
        "{written}"
    );
    assert!(findings(&r.audit(), "git-in-context").is_empty());
    // A build that mounts neither gets both lines.
    r.write("Dockerfile", "FROM scratch\nCOPY app.py /app/\n");
    r.run_ok(&["ignore", "--write"]);
    let written = r.read(".dockerignore").unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert!(
        lines.contains(&".git") && lines.contains(&"**/.env"),
        "{written}"
    );
}

#[test]
fn the_build_passes_with_the_written_file_and_fails_with_a_refused_line() {
    let busybox = std::path::Path::new(BUSYBOX)
        .exists()
        .then(|| BUSYBOX.into());
    if required(busybox, BUSYBOX, "apt-get install busybox-static").is_none() {
        return;
    }
    let Some(e) = Engine::start_or_skip("RUN bind mounts of the context on an engine") else {
        return;
    };
    let r = repo();
    std::fs::copy(BUSYBOX, r.path("busybox")).unwrap();
    r.run_ok(&["ignore", "--write"]);
    let ctx = r.root.to_str().unwrap();
    // RUN needs a network, and the test's daemon has no bridge: the host's.
    let build = || e.docker(&["build", "-q", "--no-cache", "--network", "host", ctx]);
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    let written = r.read(".dockerignore").unwrap();
    assert!(findings(&r.audit(), "copy-source-excluded").is_empty());
    // Either line fails the build, and the audit says so at the mount's line.
    for (refused, line, source) in [(".git", 3, ".git"), ("**/.env", 4, ".env")] {
        r.write(".dockerignore", &format!("{written}{refused}\n"));
        let o = build();
        assert!(!o.status.success(), "built with `{refused}`");
        let a = r.audit();
        let f = findings(&a, "copy-source-excluded");
        assert_eq!(f.len(), 1, "{a:#}");
        assert_eq!(
            (&f[0]["path"], &f[0]["line"]),
            (&"Dockerfile".into(), &line.into())
        );
        let said = f[0]["message"].as_str().unwrap();
        assert!(
            said.starts_with(&format!("RUN --mount `{source}` is excluded by line")),
            "{said}"
        );
    }
}
