//! A Dockerfile no compose file builds gets the context the project's own build command gives
//! it: miniflux's Makefile runs `docker build -f packaging/docker/alpine/Dockerfile .`, whose
//! `ADD . /go/src/app` takes the whole repository, not the Dockerfile's folder (which the
//! audit called a 1-file context that copies nothing). And `make`, whose Makefile asks git
//! for the version, reads `.git`: no finding asks to exclude it.

mod common;

use common::repo::Repo;
use common::*;

/// Each build's Dockerfile and context, from the root (`""` is the root), sorted.
fn contexts(a: &serde_json::Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = (a["builds"].as_array().unwrap().iter())
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap().to_string();
            (s("dockerfile"), s("context"))
        })
        .collect();
    found.sort();
    found
}

/// `pairs` as [`contexts`] gives them.
fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(d, c)| (d.to_string(), c.to_string()))
        .collect()
}

#[test]
fn a_build_command_in_a_makefile_or_readme_gives_the_context() {
    let r = Repo::new(&[
        ("main.go", "package main\n"),
        (
            "Makefile",
            "VERSION := $(shell git describe --tags 2>/dev/null)\n\nimage:\n\tdocker build --pull \\\n\t\t-t app:$(VERSION) \\\n\t\t-f packaging/alpine/Dockerfile .\n",
        ),
        (
            "packaging/alpine/Dockerfile",
            "FROM golang AS build\nADD . /src\nWORKDIR /src\nRUN make app\nFROM alpine\nCOPY --from=build /src/app /app\n",
        ),
        // Documented in the README, from the root.
        (
            "README.md",
            "# App\n\n```sh\ndocker build -f tools/Dockerfile.lint .\n```\n",
        ),
        ("tools/Dockerfile.lint", "FROM golang\nCOPY . /src\nRUN go vet ./...\n"),
        // Named by nothing: its own folder, as before.
        ("tools/other/Dockerfile", "FROM golang\nCOPY . /src\n"),
    ]);
    let a = r.audit();
    assert_eq!(
        contexts(&a),
        owned(&[
            ("packaging/alpine/Dockerfile", ""),
            ("tools/Dockerfile.lint", ""),
            ("tools/other/Dockerfile", "tools/other"),
        ])
    );
    // `.git` goes to the lint build, which reads no git; the Makefile's build reads it.
    let git = findings(&a, "git-in-context");
    assert_eq!(git.len(), 1, "{git:?}");
    let message = git[0]["message"].as_str().unwrap();
    assert!(message.contains("tools/Dockerfile.lint"), "{message}");
    assert!(!message.contains("packaging/alpine"), "{message}");
}

/// On a real engine: the CLI reads `-f` from where the command runs, not from the context
/// (a `-f Dockerfile.x ctx` whose file lies only in `ctx` fails), and the build the Makefile
/// runs, `-f packaging/alpine/Dockerfile .`, sends the root: what the audit now measures.
#[test]
fn the_engine_reads_dash_f_from_where_the_command_runs() {
    let Some(engine) = common::engine::Engine::start_or_skip("the -f path on an engine") else {
        return;
    };
    let r = Repo::new(&[
        ("main.go", "package main\n"),
        (
            "Makefile",
            "image:\n\tdocker build -t app -f packaging/alpine/Dockerfile .\n",
        ),
        ("packaging/alpine/Dockerfile", "FROM scratch\nCOPY . /src\n"),
        ("ctx/Dockerfile.x", "FROM scratch\nCOPY . /x\n"),
    ]);
    let build = |args: &[&str]| engine.docker_in(Some(&r.root), args);
    let o = build(&[
        "build",
        "-q",
        "-t",
        "app",
        "-f",
        "packaging/alpine/Dockerfile",
        ".",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = build(&["build", "-q", "-f", "Dockerfile.x", "ctx"]);
    assert!(!o.status.success(), "-f is not read from the context");
    // The image holds the root's files: the context was the root, as the audit says.
    let o = build(&["create", "--name", "mce-scripted", "app", "/x"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tar = r.outside("image.tar");
    let o = build(&["export", "-o", tar.to_str().unwrap(), "mce-scripted"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = std::process::Command::new("tar")
        .arg("-tf")
        .arg(&tar)
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.lines().any(|l| l == "src/main.go"), "{list}");
    let a = r.audit();
    let ctx = contexts(&a);
    assert!(
        ctx.contains(&("packaging/alpine/Dockerfile".into(), "".into())),
        "{ctx:?}"
    );
}

/// A Dockerfile's own comment saying how to build it gives the context too: every Quarkus
/// project's `src/main/docker/Dockerfile.jvm` begins `docker build -f
/// src/main/docker/Dockerfile.jvm -t app .`, from the project's folder (publicitaki's
/// `pub-products/`, whose `.dockerignore` sits there), not from `src/main/docker/`. A comment
/// whose `-f` path is not this Dockerfile's says nothing of it.
#[test]
fn a_build_command_in_the_dockerfiles_own_comment_gives_the_context() {
    let r = Repo::new(&[
        ("svc/pom.xml", "<project/>\n"),
        ("svc/.dockerignore", "*\n!target/*-runner\n!target/quarkus-app\n"),
        (
            "svc/src/main/docker/Dockerfile.jvm",
            "####\n# Then, build the image with:\n#\n# docker build -f src/main/docker/Dockerfile.jvm -t quarkus/app-jvm .\n#\n###\nFROM registry.access.redhat.com/ubi8/openjdk-17:1.18\nCOPY target/quarkus-app/lib/ /deployments/lib/\n",
        ),
        (
            "tools/Dockerfile",
            "# docker build -f other/Dockerfile .\nFROM scratch\nCOPY run.sh /\n",
        ),
        ("tools/run.sh", "echo\n"),
    ]);
    let a = r.audit();
    assert_eq!(
        contexts(&a),
        owned(&[
            ("svc/src/main/docker/Dockerfile.jvm", "svc"),
            ("tools/Dockerfile", "tools")
        ])
    );
    let b = (a["builds"].as_array().unwrap().iter())
        .find(|b| b["dockerfile"] == "svc/src/main/docker/Dockerfile.jvm")
        .unwrap();
    assert_eq!(b["ignore_file"], "svc/.dockerignore", "{b:#}");
}
