//! `mami-clean context`: the exact files Docker would send, on real temp trees.

mod common;

use common::*;
use std::path::Path;

fn tree(files: &[&str]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in files {
        mami::write(d.path(), f, 10);
    }
    d
}

fn list(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["context"];
    args.extend_from_slice(extra);
    args.push("--list");
    let o = run(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).lines().map(String::from).collect()
}

const FILES: &[&str] = &[
    "Dockerfile",
    "app/main.py",
    "app/__pycache__/main.cpython-311.pyc",
    "node_modules/react/index.js",
    "ui/node_modules/vite/index.js",
    "ui/src/App.tsx",
    "docs/README.md",
    "docs/guide.md",
    "a.pyc",
    "app/b.pyc",
    ".env",
    ".env.example",
];

#[test]
fn bare_patterns_match_only_at_the_root() {
    let d = tree(FILES);
    std::fs::write(
        d.path().join(".dockerignore"),
        "node_modules\n*.pyc\n__pycache__\n",
    )
    .unwrap();
    let got = list(d.path(), &[]);
    // Nested copies ship: the trap mami-clean's audit warns about.
    assert!(
        got.contains(&"ui/node_modules/vite/index.js".to_string()),
        "{got:?}"
    );
    assert!(got.contains(&"app/b.pyc".to_string()));
    assert!(got.contains(&"app/__pycache__/main.cpython-311.pyc".to_string()));
    assert!(!got.contains(&"node_modules/react/index.js".to_string()));
    assert!(!got.contains(&"a.pyc".to_string()));
    // With **/ they go at every depth.
    std::fs::write(
        d.path().join(".dockerignore"),
        "**/node_modules\n**/*.pyc\n**/__pycache__\n",
    )
    .unwrap();
    let got = list(d.path(), &[]);
    assert_eq!(
        got,
        vec![
            ".dockerignore",
            ".env",
            ".env.example",
            "Dockerfile",
            "app/main.py",
            "docs/README.md",
            "docs/guide.md",
            "ui/src/App.tsx"
        ]
    );
}

#[test]
fn exceptions_re_include_below_an_excluded_dir_and_wildcards_as_each_docker_does() {
    let d = tree(FILES);
    std::fs::write(d.path().join(".dockerignore"), "docs\n!docs/README.md\n").unwrap();
    for walk in ["current", "legacy"] {
        let got = list(d.path(), &["--docker-walk", walk]);
        assert!(
            got.contains(&"docs/README.md".to_string())
                && !got.contains(&"docs/guide.md".to_string()),
            "{walk}: {got:?}"
        );
    }
    // `*` then `!**/*.py`: Docker 20.10 does not walk into excluded dirs for a wildcard
    // exception, so only top-level .py files come back (docker/cli#2919; here none exist);
    // Docker 23+ (fsutil d7eeb96) walks into every one and finds them at any depth.
    std::fs::write(d.path().join(".dockerignore"), "*\n!**/*.py\n").unwrap();
    let got = list(d.path(), &["--docker-walk", "legacy"]);
    assert!(got.is_empty(), "{got:?}");
    let got = list(d.path(), &["--docker-walk", "current"]);
    assert_eq!(got, ["app/main.py"], "{got:?}");
    // The JSON says which walk, and why.
    let o = run(
        d.path(),
        &["context", "--docker-walk", "legacy", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["walk"]["walk"], "legacy");
    assert_eq!(v["walk"]["why"], "--docker-walk");
}

#[test]
fn a_dockerfile_specific_ignore_file_wins_even_when_empty() {
    let d = tree(FILES);
    std::fs::write(d.path().join(".dockerignore"), "**\n").unwrap();
    mami::write(d.path(), "docker/app.Dockerfile", 20);
    std::fs::write(d.path().join("docker/app.Dockerfile.dockerignore"), "").unwrap();
    // A .dockerignore anywhere but the context root is never read.
    std::fs::write(d.path().join("ui/.dockerignore"), "**\n").unwrap();
    let got = list(d.path(), &["--file", "docker/app.Dockerfile"]);
    assert!(
        got.contains(&"ui/src/App.tsx".to_string())
            && got.contains(&"node_modules/react/index.js".to_string()),
        "{got:?}"
    );
    let o = run(
        d.path(),
        &[
            "context",
            "--file",
            "docker/app.Dockerfile",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["ignore_file"]
        .as_str()
        .unwrap()
        .ends_with("docker/app.Dockerfile.dockerignore"));
    // Without it, the root .dockerignore excludes everything, yet the Dockerfile and the
    // ignore file are still sent.
    let o = run(d.path(), &["context", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 0);
    let always: Vec<&str> = v["always_sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(always, vec!["Dockerfile", ".dockerignore"]);
    assert!(v["total_bytes"].as_u64().unwrap() >= 13);
}

#[test]
fn symlinks_are_sent_as_links_and_sizes_add_up() {
    let d = tree(FILES);
    let outside = tempfile::tempdir().unwrap();
    mami::write(outside.path(), "big.bin", 100_000);
    std::os::unix::fs::symlink(outside.path(), d.path().join("linked")).unwrap();
    let o = run(d.path(), &["context", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let link = files
        .iter()
        .find(|f| f["path"] == "linked")
        .expect("the symlink is sent");
    assert_eq!(link["kind"], "symlink");
    assert!(!files
        .iter()
        .any(|f| f["path"].as_str().unwrap().starts_with("linked/")));
    let sum: u64 = files.iter().map(|f| f["bytes"].as_u64().unwrap()).sum();
    assert_eq!(v["total_bytes"].as_u64().unwrap(), sum);
    assert!(sum < 100_000);
    let o = run(d.path(), &["context"]);
    assert!(stdout(&o).contains("Largest directories"), "{}", stdout(&o));
}

#[test]
fn a_bad_dockerignore_names_its_line() {
    let d = tree(FILES);
    std::fs::write(d.path().join(".dockerignore"), "ok\n\nsrc/[abc\n").unwrap();
    let o = run(d.path(), &["context"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(".dockerignore:3:") && stderr(&o).contains("unclosed"),
        "{}",
        stderr(&o)
    );
}

/// `context DIR` and `-f` relative to where the user stands (or to `-C`'s DIR, as git has
/// it): the global `-C/--dir` once took the positional's value (`docker/docker: cannot open`).
#[test]
fn relative_context_dir_and_dockerfile_are_the_users() {
    let d = tempfile::tempdir().unwrap();
    mami::write(d.path(), "docker/Dockerfile", 20);
    mami::write(d.path(), "docker/app.py", 5);
    mami::write(d.path(), "other/prod.Dockerfile", 20);
    let here = |cwd: &Path, args: &[&str]| {
        let o = bin().current_dir(cwd).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    assert_eq!(
        here(d.path(), &["context", "docker", "--list"]),
        "Dockerfile\napp.py\n"
    );
    let other = d.path().join("other");
    let out = here(
        &other,
        &[
            "context",
            "../docker",
            "-f",
            "prod.Dockerfile",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["dockerfile"]
            .as_str()
            .unwrap()
            .ends_with("other/prod.Dockerfile"),
        "{v}"
    );
    let root = d.path().to_str().unwrap();
    assert_eq!(
        here(Path::new("/"), &["-C", root, "context", "docker", "--list"]),
        "Dockerfile\napp.py\n"
    );
}
