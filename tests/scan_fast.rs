//! Dependency directories and size-only subtrees (`.git`, nested repositories) are sized by a
//! fast walk that gives up, and leaves the directory to the full walk, at anything the scan
//! would have to report. Whichever walk sized what, the scan must come out the same: checked
//! here on the Mami fixture and on a tree of the fast walk's traps.

mod common;

use common::*;
use mami_clean::git::GitInfo;
use mami_clean::scan::{ScanOptions, ScanResult, Scanner};
use std::path::Path;

fn scan(root: &Path, fast_sizing: bool) -> ScanResult {
    let cfg = mami_clean::config::load(Some(root), None).unwrap();
    let git = GitInfo::discover(root).unwrap();
    let opts = ScanOptions {
        fast_sizing,
        noted: mami_clean::docker::names::is_build_file_name,
        ..ScanOptions::default()
    };
    Scanner::new(root, &cfg.rules, git.as_ref(), opts)
        .run()
        .unwrap()
}

fn same_either_way(root: &Path) -> String {
    let mut fast = scan(root, true);
    let full = scan(root, false);
    assert!(fast.sized_fast > 0, "the fast walk sized nothing");
    assert_eq!(full.sized_fast, 0);
    fast.sized_fast = 0;
    let (fast, full) = (format!("{fast:#?}"), format!("{full:#?}"));
    assert_eq!(fast, full);
    full
}

/// The audit (and so the gate) of a scan that kept a listing: with fast sizing the listing has
/// holes where dependency directories were only sized, read from the disk where a build
/// context takes them in.
fn audit(root: &Path, fast_sizing: bool) -> String {
    use mami_clean::docker::{discover_in, BuildFiles, Source};
    let cfg = mami_clean::config::load(Some(root), None).unwrap();
    let git = GitInfo::discover(root).unwrap();
    let opts = ScanOptions {
        fast_sizing,
        keep_listing: true,
        skip_git_dir: true,
        noted: mami_clean::docker::names::is_build_file_name,
        ..ScanOptions::default()
    };
    let scan = Scanner::new(root, &cfg.rules, git.as_ref(), opts)
        .run()
        .unwrap();
    assert_eq!(scan.sized_fast > 0, fast_sizing);
    let plan = mami_clean::plan::Plan::build(root, &scan, &cfg.rules, git.as_ref(), cfg.target);
    let listing = scan.listing.as_ref().unwrap();
    let files = BuildFiles::from_scan(root, &scan.build_files);
    let builds = discover_in(root, &files).unwrap();
    assert!(!builds.is_empty());
    let holes = mami_clean::docker::Holes::default();
    let src = Source::Scan {
        root,
        listing,
        holes: &holes,
    };
    let scope = mami_clean::audit::Scope::Full;
    let report = mami_clean::audit::audit(
        root,
        &plan,
        &cfg.rules,
        git.as_ref(),
        &builds,
        &files,
        src,
        scope,
    );
    serde_json::to_string_pretty(&report.unwrap()).unwrap()
}

#[test]
fn the_mami_fixture_scans_and_audits_the_same_either_way() {
    let m = mami::build();
    same_either_way(&m.root);
    assert_eq!(audit(&m.root, true), audit(&m.root, false));
    // With the dependency directories in the build context: read from the disk.
    std::fs::remove_file(m.root.join(".dockerignore")).ok();
    let report = audit(&m.root, true);
    assert_eq!(report, audit(&m.root, false));
    assert!(report.contains("node_modules"), "{report}");
}

#[test]
fn every_trap_of_the_fast_walk_scans_the_same_either_way() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    for (f, n) in [
        ("package.json", 20),
        ("src/app.py", 300),
        ("src/big.bin", 5000),
        ("app/__pycache__/m.cpython-311.pyc", 400),
        ("node_modules/a/index.js", 100),
        ("node_modules/a/node_modules/b/x.js", 100),
        // A nested repository inside a selection: the selection splits around it.
        ("node_modules/c/.git/HEAD", 30),
        ("node_modules/c/lib.js", 100),
        // A build file inside a dependency directory.
        ("node_modules/d/Dockerfile", 50),
        ("node_modules/e/one.bin", 700),
        // mami-clean's own state inside a selection.
        (".venv/pyvenv.cfg", 60),
        (".venv/lib/site.py", 900),
        (".venv/old/.mami-clean-backup/x", 10),
        // A nested repository a keep rule matches: sized whole, and its `.git` still marks it
        // (build files inside are not the outer repository's).
        ("data/uploads/.git/HEAD", 30),
        ("data/uploads/Dockerfile", 30),
        // One with a `.git` file (a submodule's or worktree's), inside a kept directory.
        ("data/images/mod/.git", 25),
        ("data/images/mod/compose.yaml", 30),
        (".gitignore", 0),
    ] {
        mami::write(root, f, n);
    }
    std::fs::write(root.join(".gitignore"), "node_modules/\n.venv/\n").unwrap();
    // Hard links: one inside a dependency directory, one across it and the sources.
    std::fs::hard_link(
        root.join("node_modules/e/one.bin"),
        root.join("node_modules/e/two.bin"),
    )
    .unwrap();
    std::fs::hard_link(
        root.join("src/big.bin"),
        root.join("node_modules/e/big.bin"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../a", root.join("node_modules/e/link")).unwrap();
    mami::git(root, &["init", "-q"]);
    mami::git(root, &["add", "-A"]);
    mami::git(root, &["commit", "-q", "-m", "x"]);
    // A tracked file modified inside a selected `__pycache__`.
    mami::write(root, "app/__pycache__/m.cpython-311.pyc", 444);
    let full = same_either_way(root);
    for split in [
        "node_modules/c",
        "app/__pycache__/m.cpython-311.pyc",
        ".venv/old",
    ] {
        assert!(full.contains(split), "{split} is reported");
    }

    // A mount point inside a dependency directory (root only).
    let mnt = root.join(".venv/lib/mnt");
    if let Some(_mounted) = Mount::tmpfs(&mnt) {
        std::fs::write(mnt.join("inside.txt"), "mounted").unwrap();
        assert!(same_either_way(root).contains("MountPoint"));
    }
}

mod random_trees {
    use super::*;
    use proptest::prelude::*;

    /// Names that steer the walk: dependency directories and their markers, `.git`, build
    /// files, mami-clean's backup marker, kept data.
    const NAMES: &[&str] = &[
        "node_modules",
        "package.json",
        ".venv",
        "pyvenv.cfg",
        "__pycache__",
        ".git",
        "Dockerfile",
        "compose.yaml",
        ".mami-clean-backup",
        "data",
        "uploads",
        "backups",
        "a",
        "b.js",
    ];

    #[derive(Debug, Clone)]
    enum Make {
        File(Vec<usize>, usize),
        /// A hard link to the n-th file made before it (if any).
        Link(Vec<usize>, usize),
        Symlink(Vec<usize>),
    }

    fn path() -> impl Strategy<Value = Vec<usize>> {
        prop::collection::vec(0..NAMES.len(), 1..5)
    }

    fn make() -> impl Strategy<Value = Make> {
        prop_oneof![
            6 => (path(), 0..3000usize).prop_map(|(p, n)| Make::File(p, n)),
            1 => (path(), 0..8usize).prop_map(|(p, i)| Make::Link(p, i)),
            1 => path().prop_map(Make::Symlink),
        ]
    }

    fn build(root: &Path, plan: &[Make]) {
        let mut files = Vec::new();
        for m in plan {
            let (p, rel) = match m {
                Make::File(p, _) | Make::Link(p, _) | Make::Symlink(p) => {
                    let rel: Vec<&str> = p.iter().map(|&i| NAMES[i]).collect();
                    (root.join(rel.join("/")), rel.join("/"))
                }
            };
            // Clashes (a file where a directory is wanted, or the reverse) are skipped.
            if p.parent()
                .is_some_and(|d| std::fs::create_dir_all(d).is_err())
                || p.exists()
            {
                continue;
            }
            let made = match m {
                Make::File(_, n) => std::fs::write(&p, mami::content(&rel, *n)).is_ok(),
                Make::Link(_, i) => files
                    .get(*i)
                    .is_some_and(|f: &std::path::PathBuf| std::fs::hard_link(f, &p).is_ok()),
                Make::Symlink(_) => std::os::unix::fs::symlink("a", &p).is_ok(),
            };
            if made && !matches!(m, Make::Symlink(_)) {
                files.push(p);
            }
        }
    }

    /// Outside git: a random `.git` at the root is no repository to open.
    fn scan_without_git(root: &Path, fast_sizing: bool) -> ScanResult {
        let cfg = mami_clean::config::load(Some(root), None).unwrap();
        let opts = ScanOptions {
            fast_sizing,
            ..ScanOptions::default()
        };
        Scanner::new(root, &cfg.rules, None, opts).run().unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn a_random_tree_scans_the_same_either_way(plan in prop::collection::vec(make(), 1..40)) {
            let d = tempfile::tempdir().unwrap();
            build(d.path(), &plan);
            let mut fast = scan_without_git(d.path(), true);
            let full = scan_without_git(d.path(), false);
            prop_assert_eq!(full.sized_fast, 0);
            fast.sized_fast = 0;
            prop_assert_eq!(format!("{fast:#?}"), format!("{full:#?}"));
        }
    }
}
