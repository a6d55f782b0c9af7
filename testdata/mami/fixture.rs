//! Builds the Mami-shaped fixture: `tree.txt` beside this file, plus what a text list cannot
//! say: a git repository with its history, real-looking node_modules (nested node_modules, a
//! `.bin` symlink), a venv with `pyvenv.cfg` and a symlink out to the system Python, hard links
//! inside and across entries, a nested git repository, a symlink to a directory outside the
//! tree, and non-UTF-8 names. Used by the integration tests; never by `cargo build`.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const TREE: &str = include_str!("tree.txt");

/// Deterministic content of `len` bytes, different per path, so hashes mean something.
pub fn content(path: &str, len: usize) -> Vec<u8> {
    let seed = path
        .bytes()
        .fold(7u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(b)));
    (0..len)
        .map(|i| b"abcdefghijklmnopqrstuvwxyz \n"[(seed as usize + i * 7) % 28])
        .collect()
}

pub fn write(root: &Path, rel: &str, len: usize) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, content(rel, len)).unwrap();
}

pub fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Fixture",
            "-c",
            "user.email=fixture@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn npm_package(root: &Path, base: &str, name: &str, files: usize) {
    for i in 0..files {
        write(root, &format!("{base}/{name}/lib/file{i}.js"), 300 + i * 13);
    }
    write(root, &format!("{base}/{name}/package.json"), 400);
    write(root, &format!("{base}/{name}/LICENSE"), 1070);
}

fn node_modules(root: &Path, base: &str) {
    npm_package(root, base, "react", 20);
    npm_package(root, base, "vite", 30);
    npm_package(
        root,
        &format!("{base}/react/node_modules"),
        "loose-envify",
        5,
    );
    npm_package(root, &format!("{base}/vite/node_modules"), "esbuild", 8);
    write(root, &format!("{base}/.package-lock.json"), 2000);
    std::fs::create_dir_all(root.join(format!("{base}/.bin"))).unwrap();
    std::os::unix::fs::symlink(
        "../vite/lib/file0.js",
        root.join(format!("{base}/.bin/vite")),
    )
    .unwrap();
}

/// The fixture's paths, with a temp dir outside the tree that a symlink points at.
pub struct Mami {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
    pub outside: PathBuf,
}

/// Build the whole fixture and commit what a real repository would have committed.
pub fn build() -> Mami {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mami");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&root).unwrap();
    write(&outside, "canary.txt", 1234);
    for line in TREE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if let Some(d) = line.strip_suffix('/') {
            std::fs::create_dir_all(root.join(d)).unwrap();
            continue;
        }
        let (path, size) = line.rsplit_once(' ').expect("`path size`");
        write(&root, path, size.parse().expect("size"));
    }
    node_modules(&root, "node_modules");
    node_modules(&root, "ui-new/node_modules");
    write(&root, ".venv/pyvenv.cfg", 120);
    for m in ["requests", "urllib3", "fastapi"] {
        for i in 0..10 {
            write(
                &root,
                &format!(".venv/lib/python3.11/site-packages/{m}/mod{i}.py"),
                800 + i * 31,
            );
            write(
                &root,
                &format!(
                    ".venv/lib/python3.11/site-packages/{m}/__pycache__/mod{i}.cpython-311.pyc"
                ),
                600,
            );
        }
    }
    std::fs::create_dir_all(root.join(".venv/bin")).unwrap();
    std::os::unix::fs::symlink("/usr/bin/python3", root.join(".venv/bin/python")).unwrap();
    // Hard links: within one entry, and across two entries.
    std::fs::hard_link(
        root.join(".venv/lib/python3.11/site-packages/requests/mod0.py"),
        root.join(".venv/lib/python3.11/site-packages/requests/mod0_link.py"),
    )
    .unwrap();
    std::fs::hard_link(
        root.join("node_modules/react/LICENSE"),
        root.join("ui-new/node_modules/react/LICENSE2"),
    )
    .unwrap();
    // A symlink at the root to a directory outside the tree; and one inside a backup folder.
    std::os::unix::fs::symlink(&outside, root.join("linked-outside")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("backups/link-out")).unwrap();
    // Non-UTF-8 names: one selected (a debug script), one kept (application data).
    let mut bad = b"tests/debug_caf".to_vec();
    bad.extend_from_slice(b"\xe9.py");
    std::fs::write(root.join(OsStr::from_bytes(&bad)), b"print('debug')\n").unwrap();
    let mut kept = b"app/r".to_vec();
    kept.extend_from_slice(b"\xe9sum\xe9.txt");
    std::fs::write(root.join(OsStr::from_bytes(&kept)), b"kept\n").unwrap();

    // Real build files, as the design has them (tree.txt only reserves their names).
    std::fs::write(root.join("Dockerfile"), DOCKERFILE).unwrap();
    std::fs::write(root.join("docker-compose.yml"), COMPOSE).unwrap();
    std::fs::write(root.join("ui-new/Dockerfile"), UI_DOCKERFILE).unwrap();

    std::fs::write(
        root.join(".gitignore"),
        "node_modules/\n.venv/\n__pycache__/\n*.pyc\ndata/\nlogs/\n.env\nvendor/nested/\nui-new/dist/\nlinked-outside\n",
    )
    .unwrap();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "mami as it was"]);

    // A nested repository (its own history), with junk inside that must never be selected.
    let nested = root.join("vendor/nested");
    std::fs::create_dir_all(&nested).unwrap();
    write(&nested, "lib.py", 3000);
    write(&nested, "__pycache__/lib.cpython-311.pyc", 2000);
    git(&nested, &["init", "-q"]);
    git(&nested, &["add", "-A"]);
    git(&nested, &["commit", "-q", "-m", "nested"]);
    Mami { dir, root, outside }
}

pub const DOCKERFILE: &str = "FROM python:3.11-slim AS builder\nCOPY requirements.txt .\nRUN pip wheel -r requirements.txt -w /wheels\n\nFROM python:3.11-slim\nCOPY --from=builder /wheels /wheels\nCOPY app/ /app/app/\nCOPY alembic/ /app/alembic/\nCOPY data/feature_flags.json /app/data/\nHEALTHCHECK CMD curl -f http://localhost:8000/health\n";

pub const UI_DOCKERFILE: &str = "FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY src/ src/\nCOPY index.html .\n";

pub const COMPOSE: &str = "services:\n  mami-ai:\n    build: .\n    ports: [\"8000:8000\"]\n  mami-ui:\n    build:\n      context: ./ui-new\n      dockerfile: Dockerfile\n  redis:\n    image: redis:7-alpine\n";

/// Non-UTF-8 debug script the plan must select (its path bytes).
pub fn non_utf8_selected() -> Vec<u8> {
    let mut bad = b"tests/debug_caf".to_vec();
    bad.extend_from_slice(b"\xe9.py");
    bad
}

/// Expected lists, without comments.
pub fn expected(name: &str) -> Vec<String> {
    let text = match name {
        "delete" => include_str!("expected-delete.txt"),
        "review" => include_str!("expected-review.txt"),
        _ => panic!("no list {name}"),
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}
