//! The gate and the audit read build files and contexts from the scan's listing instead of
//! walking again. On trees with every trap (exceptions below excluded directories, `.git` left
//! in the context, nested repositories, symlinks, hard links, a mount point, an unreadable
//! directory, contexts below the root), the listing must give exactly what the walk gives.

mod common;

use common::*;
use mami_clean::docker::{context, BuildFiles, Source};
use mami_clean::scan::{ListDeps, ScanOptions, Scanner};
use std::path::Path;

const FILES: &[&str] = &[
    "Dockerfile",
    "compose.yaml",
    "app/main.py",
    "package.json",
    "ui/package.json",
    "data/uploads/a.png",
    "data/uploads/deep/b.png",
    "app/__pycache__/main.cpython-311.pyc",
    "node_modules/react/index.js",
    "ui/Dockerfile",
    "ui/Dockerfile.dockerignore",
    "ui/node_modules/vite/index.js",
    // Beside an unlisted tree, sorting just after it: its files go between.
    "ui/node_modules.json",
    "ui/node_modules-extra/x.js",
    "ui/src/App.tsx",
    "docs/README.md",
    "docs/guide.md",
    "docs/deep/x.md",
    "backups/old/router.py",
    "vendor/lib/.git/HEAD",
    "vendor/lib/Dockerfile",
    "vendor/lib/src/x.c",
    "build/Dockerfile",
    "a/b/c/d/e/f/g/h/Dockerfile",
    "a/b/c/d/e/f/g/h/i/Dockerfile",
    "stray/.dockerignore",
    "backups/compose.yml",
    "app/__pycache__/Dockerfile.old",
    "docs/deep/svc.dockerfile",
    "vendor/lib/.git/Dockerfile",
    "worktree/.git",
    "worktree/Dockerfile",
    ".env",
];

const IGNORES: &[&str] = &[
    "",
    ".git\n",
    "docs\n!docs/README.md\n",
    "*\n!app\n!**/*.md\n",
    "**/node_modules\n**/__pycache__\n.git\nbackups/\n",
    "app\n!app/main.py\n.env\n",
];

fn compare(root: &Path, what: &str) {
    let cfg = mami_clean::config::load(Some(root), None).unwrap();
    // The Docker commands tell the scan which names are build files.
    let noted = mami_clean::docker::names::is_build_file_name;
    let opts = ScanOptions {
        skip_git_dir: true,
        keep_listing: true,
        noted,
        ..ScanOptions::default()
    };
    let scan = Scanner::new(root, &cfg.rules, None, opts).run().unwrap();
    let listing = scan.listing.as_ref().unwrap();
    let holes = mami_clean::docker::Holes::default();
    let src = Source::Scan {
        root,
        listing,
        holes: &holes,
    };
    // Dependency directories and kept ones are only sized: holes the context engine reads
    // from the disk when a context takes them in.
    for hole in [
        "node_modules",
        "ui/node_modules",
        "app/__pycache__",
        "data/uploads",
    ] {
        let h = mami_clean::relpath::RelPath::from_bytes(hole);
        assert!(listing.unlisted.contains(&h), "{what}: {hole} is a hole");
    }
    let walked = BuildFiles::find(root);
    let files = BuildFiles::from_scan(root, &scan.build_files);
    assert_eq!(files, walked, "{what}: build files the scan kept");
    // `plan`'s scan: no listing, and the root's `.git` walked.
    let opts = ScanOptions {
        noted,
        ..ScanOptions::default()
    };
    let full = Scanner::new(root, &cfg.rules, None, opts).run().unwrap();
    assert_eq!(
        BuildFiles::from_scan(root, &full.build_files),
        walked,
        "{what}: build files a plan's scan kept"
    );
    assert!(!files.dockerfiles.is_empty());
    // `plan`'s listing: the dependency trees the root's context takes in (its
    // `.dockerignore` decides) listed as they are sized, the others left holes.
    let contexts = mami_clean::docker::compose::RootContexts::read(root);
    let opts = ScanOptions {
        skip_git_dir: true,
        keep_listing: true,
        noted,
        list_deps: ListDeps(Some(std::sync::Arc::new(move |r| contexts.enter(r)))),
        ..ScanOptions::default()
    };
    let planned = Scanner::new(root, &cfg.rules, None, opts).run().unwrap();
    let modules = mami_clean::relpath::RelPath::from_bytes("node_modules");
    let entered = mami_clean::docker::compose::RootContexts::read(root).enter(&modules);
    let unlisted = &planned.listing.as_ref().unwrap().unlisted;
    assert_eq!(
        !unlisted.contains(&modules),
        entered,
        "{what}: node_modules listed"
    );
    let plan_holes = mami_clean::docker::Holes::default();
    let plan_src = Source::Scan {
        root,
        listing: planned.listing.as_ref().unwrap(),
        holes: &plan_holes,
    };
    for (dir, src) in ["", "ui", "docs", "vendor/lib"]
        .into_iter()
        .flat_map(|dir| [(dir, src), (dir, plan_src)])
    {
        let d = root.join(dir);
        let df = d.join("Dockerfile");
        let walked = context::compute(&d, &df, None, 5).unwrap();
        let listed = context::compute_in(src, &d, &df, None, 5).unwrap();
        let names = |c: &context::Context| -> Vec<(String, u64)> {
            c.files
                .iter()
                .map(|f| (f.path.display(), f.bytes))
                .collect()
        };
        assert_eq!(names(&listed), names(&walked), "{what}: context {dir:?}");
        assert_eq!(listed.total_bytes, walked.total_bytes, "{what}: {dir:?}");
        assert_eq!(listed.always_sent, walked.always_sent, "{what}: {dir:?}");
    }
}

#[test]
fn contexts_from_the_listing_equal_the_walk() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    for f in FILES {
        mami::write(root, f, 10 + f.len());
    }
    mami::git(root, &["init", "-q"]);
    std::os::unix::fs::symlink("app/main.py", root.join("link.py")).unwrap();
    std::os::unix::fs::symlink("/etc", root.join("ui/outside")).unwrap();
    std::fs::hard_link(root.join("app/main.py"), root.join("app/again.py")).unwrap();
    std::fs::hard_link(root.join("app/main.py"), root.join("docs/linked.md")).unwrap();
    // A mount point inside the tree: the scan does not cross it, Docker's walk does.
    let mnt = root.join("ui/src/mnt");
    let mounted = Mount::tmpfs(&mnt);
    if mounted.is_some() {
        std::fs::write(mnt.join("in-mount.txt"), "mounted").unwrap();
    }
    for (i, ig) in IGNORES.iter().enumerate() {
        std::fs::write(root.join(".dockerignore"), ig).unwrap();
        std::fs::write(root.join("ui/Dockerfile.dockerignore"), ig).unwrap();
        compare(root, &format!(".dockerignore #{i} {ig:?}"));
    }
}
