//! A secret in a build context is an error where the build sends it, and a warning where no
//! COPY, ADD or bind mount names it: BuildKit transfers only what they name. Checked on a real
//! Engine started by the test: the bytes BuildKit reports transferring for a context holding a
//! 3 MB `.env`, with a Dockerfile that copies `app` only and one that copies everything.

mod common;

use common::engine::Engine;
use common::repo::Repo;
use common::*;

/// Bytes of every "transferring context: N" line of a `--progress=plain` build.
fn transferred(progress: &str) -> u64 {
    let mut total = 0.0;
    for line in progress.lines() {
        let Some(rest) = line.split("transferring context: ").nth(1) else {
            continue;
        };
        let size = rest.split_whitespace().next().unwrap_or_default();
        let split = size
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(size.len());
        let (n, unit) = size.split_at(split);
        let scale = match unit {
            "B" => 1.0,
            "kB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            _ => continue,
        };
        // Progress lines repeat the running count; the last one per step is the total.
        total = f64::max(total, n.parse::<f64>().unwrap_or(0.0) * scale);
    }
    total as u64
}

fn secret_severity(r: &Repo) -> String {
    let o = r.run(&["audit", "--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "secret-in-context" && f["path"] == ".env")
        .unwrap_or_else(|| panic!("no secret-in-context for .env: {v}"));
    f["severity"].as_str().unwrap().to_string()
}

#[test]
fn a_secret_no_copy_names_is_not_sent_by_buildkit_and_only_warned_about() {
    let Some(e) = Engine::start_or_skip("BuildKit transfers on an engine") else {
        return;
    };
    let r = Repo::new(&[("app/main.py", "print(1)\n")]);
    r.write(".env", &format!("TOKEN={}\n", "x".repeat(3_000_000)));
    // A platform variable in a name (syncthing's `COPY stcrashreceiver-linux-${TARGETARCH}`)
    // names one file: BuildKit sends that, not the `.env`.
    let arch = if cfg!(target_arch = "aarch64") {
        "arm64"
    } else {
        "amd64"
    };
    r.write(&format!("app-linux-{arch}"), "binary\n");
    let by_platform = "FROM scratch\nARG TARGETARCH\nCOPY app-linux-${TARGETARCH} /app\n";
    for (dockerfile, sent, severity) in [
        ("FROM scratch\nCOPY app /app\n", false, "warning"),
        ("FROM scratch\nCOPY . /app\n", true, "error"),
        (by_platform, false, "warning"),
        // A stage the build does not run transfers nothing, its `COPY .` included.
        (
            "FROM scratch AS dev\nCOPY . /all\nFROM scratch\nCOPY app /app\n",
            false,
            "warning",
        ),
    ] {
        r.write("Dockerfile", dockerfile);
        let tag = "mce-reads";
        let ctx = r.root.to_str().unwrap();
        let o = e.docker(&["build", "--progress=plain", "--no-cache", "-t", tag, ctx]);
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = transferred(&stderr(&o));
        // The README's figure: `cargo test --test buildkit_reads -- --nocapture`.
        println!("{dockerfile:?}: {bytes} B transferred");
        assert!(bytes > 0, "no transfer line: {}", stderr(&o));
        assert_eq!(
            bytes > 3_000_000,
            sent,
            "{dockerfile}: {bytes} B transferred"
        );
        assert_eq!(secret_severity(&r), severity, "{dockerfile}");
    }
}

/// The audit's claim for a wildcard COPY source whose every match the `.dockerignore` hides
/// (`copy-source-excluded`: "the build fails"), checked on the Engine: it fails, and builds
/// once the line is gone.
#[test]
fn a_wildcard_source_the_dockerignore_hides_fails_the_build() {
    let Some(e) = Engine::start_or_skip("wildcard COPY on an engine") else {
        return;
    };
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY target/*.jar /app.jar\n"),
        (".dockerignore", "**/target\n"),
    ]);
    r.write("target/app.jar", "jar\n");
    let ctx = r.root.to_str().unwrap();
    let build = || {
        e.docker(&[
            "build",
            "--progress=plain",
            "--no-cache",
            "-t",
            "mce-wild",
            ctx,
        ])
    };
    let o = build();
    assert!(!o.status.success(), "built: {}", stderr(&o));
    let v = r.audit();
    assert_eq!(findings(&v, "copy-source-excluded").len(), 1, "{v}");
    r.write(".dockerignore", "*.log\n");
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(findings(&r.audit(), "copy-source-excluded").is_empty());
}

/// A context with a lowercase `dockerfile` and no `Dockerfile` builds with it (the CLI, the
/// legacy builder and BuildKit all fall back to it: moby/moby#10858), so it is a build of the
/// repository, measured as one. agentic_trading_bot ships only a `dockerfile`.
#[test]
fn a_lowercase_dockerfile_is_the_build_docker_runs() {
    let Some(e) = Engine::start_or_skip("lowercase dockerfile on an engine") else {
        return;
    };
    let r = Repo::new(&[
        ("dockerfile", "FROM scratch\nCOPY . /ctx/\n"),
        ("app.py", "print(1)\n"),
        ("pkg/__pycache__/m.cpython-311.pyc", "pyc"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let dest = format!("type=local,dest={}", out.path().display());
    let ctx = r.root.to_str().unwrap();
    let o = e.docker(&["build", "--output", &dest, ctx]);
    assert!(o.status.success(), "BuildKit: {}", stderr(&o));
    let o = e.docker_legacy(&["build", "-q", "-t", "mce-lower", ctx]);
    assert!(o.status.success(), "legacy builder: {}", stderr(&o));
    assert!(out
        .path()
        .join("ctx/pkg/__pycache__/m.cpython-311.pyc")
        .is_file());
    let v = r.audit();
    assert_eq!(build_names(&v), ["dockerfile"], "{v}");
    let junk = findings(&v, "missing-dockerignore");
    assert_eq!(junk.len(), 1, "{v}");
    assert!(
        junk[0]["message"]
            .as_str()
            .unwrap()
            .contains("`python-bytecode`"),
        "{v}"
    );
    let o = r.run(&["context", "--list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("pkg/__pycache__/m.cpython-311.pyc"),
        "{}",
        stdout(&o)
    );
}

/// A `DockerFile` (other capitals; committed in 11,396 public repositories) and no
/// `Dockerfile`: on Linux neither builder finds it unless named (`-f`), where macOS and Windows
/// would. It is a build of the repository, measured, with a warning whose fix is the rename.
#[test]
fn a_dockerfile_in_other_capitals_is_measured_and_said_to_fail_on_linux_unless_named() {
    let Some(e) = Engine::start_or_skip("DockerFile on an engine") else {
        return;
    };
    let r = Repo::new(&[
        ("DockerFile", "FROM scratch\nCOPY . /ctx/\n"),
        ("app.py", "print(1)\n"),
    ]);
    let ctx = r.root.to_str().unwrap();
    let o = e.docker(&["build", "-q", ctx]);
    assert!(!o.status.success(), "BuildKit found it: {}", stdout(&o));
    let o = e.docker_legacy(&["build", "-q", ctx]);
    assert!(
        !o.status.success(),
        "the legacy builder found it: {}",
        stdout(&o)
    );
    let named = r.path("DockerFile");
    let o = e.docker(&["build", "-q", "-f", named.to_str().unwrap(), ctx]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = r.audit();
    assert_eq!(build_names(&v), ["DockerFile"], "{v}");
    let f = findings(&v, "missing-build-input");
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(f[0]["severity"], "warning", "{v}");
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("`docker build .` finds `DockerFile` only where the filesystem ignores case"),
        "{v}"
    );
    assert_eq!(
        f[0]["fix"], "rename it: `git mv DockerFile Dockerfile`",
        "{v}"
    );
    r.git(&["mv", "DockerFile", "Dockerfile"]);
    assert!(findings(&r.audit(), "missing-build-input").is_empty());
}
