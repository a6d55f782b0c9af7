//! On a real Engine started by the test: a Django project's git-ignored `db.sqlite3` and
//! uploaded `media/` are in the image a `COPY . .` build makes (the filesystem BuildKit
//! exports for a `FROM scratch` image), and after `ignore --write` they are not, while the
//! committed seed database stays; the image then holds exactly what `mami-clean context
//! --list` says the context sends.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::engine::Engine;
use common::repo::Repo;
use common::*;

/// Every file below `dir`, relative to it.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            match p.is_dir() {
                true => walk(root, &p, out),
                false => {
                    out.insert(p.strip_prefix(root).unwrap().display().to_string());
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// The files of the image built from `root`, exported by BuildKit.
fn image_files(e: &Engine, root: &Path, out: &Path) -> BTreeSet<String> {
    let dest = format!("type=local,dest={}", out.display());
    let o = e.docker(&["build", "-q", "--output", &dest, root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    files_under(&out.join("app"))
}

#[test]
fn local_data_is_in_the_image_until_ignore_write_keeps_it_out() {
    let Some(e) = Engine::start_or_skip("this checkout's data in an image, on an engine") else {
        return;
    };
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".gitignore", "db.sqlite3\n/media/\n"),
        ("manage.py", "print(1)\n"),
        ("data/seed.db", "SQLite format 3\0seed"),
    ]);
    r.write("db.sqlite3", "SQLite format 3\0users");
    r.write("media/uploads/avatar.png", "png");
    let t = tempfile::tempdir().unwrap();
    let before = image_files(&e, &r.root, &t.path().join("before"));
    for f in ["db.sqlite3", "media/uploads/avatar.png", "data/seed.db"] {
        assert!(before.contains(f), "{f}: {before:?}");
    }
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = image_files(&e, &r.root, &t.path().join("after"));
    assert!(!after.contains("db.sqlite3"), "{after:?}");
    assert!(!after.iter().any(|f| f.starts_with("media/")), "{after:?}");
    assert!(after.contains("data/seed.db"), "{after:?}");
    let o = r.run(&["context", ".", "--list"]);
    let listed: BTreeSet<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(listed, after);
}
