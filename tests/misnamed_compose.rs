//! A root compose file under a name `docker compose` does not look for, and none under one it
//! does: `Docker-compose.yml` (found only where the filesystem ignores case) or
//! `docker_compose.yml` (never, unless named with `-f`). Compose itself is asked where it is
//! installed (Debian's docker-compose 1.29 in CI): it finds neither.

mod common;

use std::process::Command;

use common::repo::Repo;
use common::*;

const COMPOSE: &str = "services:\n  web:\n    build: .\n";
const DOCKERFILE: &str = "FROM scratch\nCOPY app.py /\n";

fn misnamed(r: &Repo) -> Vec<(String, String, String)> {
    (findings(&r.audit(), "misnamed-compose-file").iter())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("path"), s("message"), s("fix"))
        })
        .collect()
}

fn app(name: &str) -> Repo {
    Repo::new(&[
        (name, COMPOSE),
        ("Dockerfile", DOCKERFILE),
        ("app.py", "x\n"),
    ])
}

#[test]
fn a_compose_file_in_other_capitals_or_misspelt_is_said_with_the_rename() {
    let r = app("Docker-compose.yml");
    let f = misnamed(&r);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "Docker-compose.yml");
    assert!(
        f[0].1
            .contains("only where the filesystem ignores case (macOS, Windows)"),
        "{}",
        f[0].1
    );
    assert_eq!(
        f[0].2,
        "rename it: `git mv Docker-compose.yml docker-compose.yml`"
    );
    let f = misnamed(&app("Compose.yaml"));
    assert_eq!(f[0].2, "rename it: `git mv Compose.yaml compose.yaml`");
    let r = app("docker_compose.yaml");
    let f = misnamed(&r);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].1.contains("is not a name `docker compose` looks for"),
        "{}",
        f[0].1
    );
    assert_eq!(
        f[0].2,
        "rename it: `git mv docker_compose.yaml docker-compose.yaml`"
    );
    // Renamed, it is the project's compose file, read and audited.
    r.git(&["mv", "docker_compose.yaml", "docker-compose.yaml"]);
    assert!(misnamed(&r).is_empty());
    assert_eq!(
        build_names(&r.audit()),
        ["docker-compose.yaml: service web"]
    );
}

#[test]
fn a_compose_file_the_project_names_or_one_beside_the_right_name_is_nothing_to_say() {
    let r = app("Docker-compose.yml");
    r.write(
        ".github/workflows/ci.yml",
        "jobs:\n  up:\n    steps:\n      - run: docker compose -f Docker-compose.yml up -d\n",
    );
    assert!(misnamed(&r).is_empty());
    let r = app("docker_compose.yml");
    r.write(
        "Makefile",
        "up:\n\tCOMPOSE_FILE=\"docker_compose.yml\" docker compose up\n",
    );
    assert!(misnamed(&r).is_empty());
    let r = app("docker_compose.yml");
    r.write("docker-compose.yml", COMPOSE);
    assert!(misnamed(&r).is_empty());
}

#[test]
fn compose_finds_neither_name() {
    if docker_compose().is_none() {
        return;
    }
    for name in ["Docker-compose.yml", "docker_compose.yml"] {
        let r = app(name);
        let o = Command::new("docker-compose")
            .arg("config")
            .current_dir(&r.root)
            .env_remove("COMPOSE_FILE")
            .output()
            .unwrap();
        assert!(!o.status.success(), "{name}: {}", stdout(&o));
        let o = Command::new("docker-compose")
            .args(["-f", name, "config"])
            .current_dir(&r.root)
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", stderr(&o));
    }
}
