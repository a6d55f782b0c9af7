//! Compose as Compose reads it: each project in `testdata/compose-cases/` (real files: compose
//! files, overrides, `.env`, `extends`, profiles, nested projects) is read by Compose itself
//! (`docker-compose config`, Debian's 1.29) and by `mami-clean audit`: the same services, with
//! the same build contexts and Dockerfiles. Where Compose is not installed the test prints one
//! SKIP line (`.ci/run` installs it).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use yaml_rust2::YamlLoader;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/compose-cases");
const MAINS: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// (project directory, service, context, Dockerfile, target stage or ""), paths relative to
/// the case's root.
type Builds = BTreeSet<(String, String, String, String, String)>;

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// The directories of a case that hold a compose project.
fn projects(dir: &Path, out: &mut Vec<PathBuf>) {
    let env = std::fs::read_to_string(dir.join(".env")).unwrap_or_default();
    if MAINS.iter().any(|m| dir.join(m).is_file()) || env.contains("COMPOSE_FILE=") {
        out.push(dir.to_path_buf());
    }
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            projects(&p, out);
        }
    }
}

fn compose(root: &Path) -> Builds {
    let mut dirs = Vec::new();
    projects(root, &mut dirs);
    let mut out = Builds::new();
    for d in dirs {
        let o = Command::new("docker-compose")
            .arg("config")
            .current_dir(&d)
            .env_remove("COMPOSE_FILE")
            .env("COMPOSE_PROFILES", "debug")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}: {}", d.display(), stderr(&o));
        let doc = &YamlLoader::load_from_str(&stdout(&o)).unwrap()[0];
        for (name, svc) in doc["services"].as_hash().unwrap() {
            let b = &svc["build"];
            let Some(ctx) = b["context"].as_str() else {
                continue;
            };
            let ctx = PathBuf::from(ctx);
            let df = ctx.join(b["dockerfile"].as_str().unwrap_or("Dockerfile"));
            let df = std::path::absolute(&df).unwrap();
            out.insert((
                rel(root, &d),
                name.as_str().unwrap().to_string(),
                rel(root, &ctx),
                rel(root, &normalize(&df)),
                b["target"].as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    out
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

fn ours(root: &Path) -> Builds {
    let o = bin()
        .args(["-C"])
        .arg(root)
        .args(["audit", "--format", "json"])
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{}: {e}: {}", root.display(), stderr(&o)));
    let mut out = Builds::new();
    for b in v["builds"].as_array().unwrap() {
        let name = b["name"].as_str().unwrap();
        let Some((file, svc)) = name.split_once(": service ") else {
            continue;
        };
        let svc = svc.split(" (profile").next().unwrap();
        let dir = Path::new(file).parent().unwrap().display().to_string();
        let ctx = b["context"].as_str().unwrap();
        out.insert((
            dir,
            svc.to_string(),
            ctx.to_string(),
            b["dockerfile"].as_str().unwrap().to_string(),
            b["target"].as_str().unwrap_or_default().to_string(),
        ));
    }
    out
}

#[test]
fn every_project_reads_as_compose_reads_it() {
    if docker_compose().is_none() {
        return;
    }
    let mut cases: Vec<PathBuf> = std::fs::read_dir(CASES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for case in &cases {
        // A copy: Compose resolves paths against the real location, so one the tool sees too.
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("p");
        let ok = Command::new("cp")
            .arg("-r")
            .arg(case)
            .arg(&root)
            .status()
            .unwrap();
        assert!(ok.success());
        let root = root.canonicalize().unwrap();
        let (want, got) = (compose(&root), ours(&root));
        if want != got {
            failures.push(format!(
                "{}:\n  compose: {want:?}\n  mami-clean: {got:?}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    println!(
        "compose conformance: {} projects, {} disagree",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn compose_file_names_the_root_project_as_docker_compose_f_does() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("p");
    let case = Path::new(CASES).join("04-compose-file-in-env");
    assert!(Command::new("cp")
        .arg("-r")
        .arg(&case)
        .arg(&root)
        .status()
        .unwrap()
        .success());
    let o = bin()
        .current_dir(&root)
        .args(["audit", "--format", "json", "--compose-file", "base.yml"])
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    let names: Vec<(&str, &str)> = v["builds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["name"].as_str().unwrap().contains(": service "))
        .map(|b| {
            (
                b["name"].as_str().unwrap(),
                b["dockerfile"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(names, [("base.yml: service app", "app/Dockerfile")]);
    let o = bin()
        .current_dir(&root)
        .args(["audit", "--compose-file", "nope.yml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope.yml: cannot open"),
        "{}",
        stderr(&o)
    );
}

/// A key written twice in one mapping: Compose v2 refuses the file ("mapping key "version"
/// already defined"; binary-husky/gpt_academic's menu of six projects in one file). Its
/// services' builds are unknown; the rest are measured: a plan note and an audit warning at the
/// second key's line, in Compose's words, not a stop. An alias bomb still stops every command
/// (tests/hostile_files.rs).
#[test]
fn a_compose_file_compose_refuses_is_reported_and_the_rest_measured() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let y = "version: '3'\nservices:\n  a:\n    build: ./a\nversion: '3'\n";
    std::fs::write(root.join("docker-compose.yml"), y).unwrap();
    std::fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
    let o = bin()
        .current_dir(root)
        .args(["plan", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let note = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "compose-refused");
    let note = note.unwrap_or_else(|| panic!("{v}"));
    assert_eq!(note["path"], "docker-compose.yml");
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .starts_with("line 5: mapping key \"version\" already defined"),
        "{note}"
    );
    assert_eq!(v["contexts"][0]["name"], "Dockerfile", "{v}");
    let o = bin()
        .current_dir(root)
        .args(["audit", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(
        (&f["code"], &f["line"], &f["severity"]),
        (&"compose-refused".into(), &5.into(), &"warning".into()),
        "{v}"
    );
    let o = bin().current_dir(root).arg("gate").output().unwrap();
    assert!(
        stdout(&o).contains("warn[compose-refused] docker-compose.yml"),
        "{}",
        stdout(&o)
    );
}

/// A template directory (`{{cookiecutter.project_slug}}/`) holds Jinja that renders into a
/// project, not a project: its compose file is no YAML (`{% if … %}`), and plan, audit and gate
/// stopped at it (Buuntu/fastapi-react). Its build files are not builds, nor a vendored
/// library's, nor a test's inputs; the root's are, and those of a compose file tests run.
#[test]
fn a_template_directory_holds_no_builds() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let tpl = root.join("{{cookiecutter.project_slug}}");
    std::fs::create_dir_all(&tpl).unwrap();
    let y = "services:\n{% if cookiecutter.use_db %}\n  db:\n    build: ./db\n{% endif %}\n";
    std::fs::write(tpl.join("docker-compose.yml"), y).unwrap();
    std::fs::write(tpl.join("Dockerfile"), "FROM {{cookiecutter.base}}\n").unwrap();
    std::fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
    // Nor are a vendored library's (mailcow's `vendor/matthiasmullie/minify/` compose file).
    let lib = root.join("web/vendor/acme/minify");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(
        lib.join("docker-compose.yml"),
        "services:\n  php:\n    build: .\n",
    )
    .unwrap();
    std::fs::write(lib.join("Dockerfile"), "FROM scratch\n").unwrap();
    // Nor are a test's inputs (appwrite's `tests/resources/docker/docker-compose.yml`, which a
    // unit test parses; its Dockerfile is not there), in `testdata/` or `fixtures/` either; a
    // compose file the tests run (`tests/docker-compose.yml`) is a build.
    let res = root.join("tests/resources/docker");
    std::fs::create_dir_all(&res).unwrap();
    std::fs::write(
        res.join("docker-compose.yml"),
        "services:\n  app:\n    build: .\n",
    )
    .unwrap();
    for d in ["pkg/testdata/img", "web/fixtures/app"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
        std::fs::write(root.join(d).join("Dockerfile"), "FROM scratch\n").unwrap();
    }
    std::fs::write(
        root.join("tests/docker-compose.yml"),
        "services:\n  it:\n    build: ..\n",
    )
    .unwrap();
    // Nor what Ansible copies to a host (cwage/homelab's `ansible/files/backup/`, whose
    // Dockerfile the playbook brings from elsewhere), in a playbook's or a role's `files/` or
    // `templates/`.
    for d in ["ansible/files/backup", "deploy/roles/web/templates/app"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
        std::fs::write(
            root.join(d).join("docker-compose.yml"),
            "services:\n  job:\n    build: .\n",
        )
        .unwrap();
    }
    for cmd in ["plan", "gate"] {
        let o = bin().current_dir(root).arg(cmd).output().unwrap();
        assert!(o.status.code().unwrap() < 2, "{cmd}: {}", stderr(&o));
    }
    let o = bin()
        .current_dir(root)
        .args(["audit", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The root Dockerfile is the one that service builds: one build, named by the service.
    assert_eq!(
        build_names(&v),
        ["tests/docker-compose.yml: service it"],
        "{v}"
    );
}
