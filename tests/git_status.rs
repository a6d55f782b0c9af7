//! The two ways of reading git's status agree: the whole work tree up front (plan, apply) and
//! per selected path (gate, audit). Every path and directory of a repository with each kind of
//! change is asked both ways.

mod common;

use common::mami::git;
use common::repo::Repo;
use mami_clean::git::{GitInfo, Status};
use mami_clean::relpath::RelPath;

/// A committed repository of `files`, each holding its own name.
fn committed(files: &[&str]) -> Repo {
    let bodies: Vec<String> = files.iter().map(|f| format!("{f}\n")).collect();
    let pairs: Vec<(&str, &str)> = (files.iter().zip(&bodies))
        .map(|(f, b)| (*f, b.as_str()))
        .collect();
    Repo::new(&pairs)
}

#[test]
fn per_path_status_agrees_with_the_whole_status() {
    let files = [
        "clean.py",
        "edited.py",
        "staged.py",
        "gone.py",
        "backups/old/a.py",
        "backups/old/b.py",
        "backups/new/c.py",
        "backups-2/d.py",
        "src/app/main.py",
        "src/app/util.py",
        "mode.sh",
        "untracked-now/a.py",
        "untracked-now/sub/b.py",
    ];
    let repo = committed(&files);
    let root = repo.root.as_path();
    std::fs::write(root.join("edited.py"), "changed\n").unwrap();
    std::fs::write(root.join("staged.py"), "staged\n").unwrap();
    git(root, &["add", "staged.py"]);
    std::fs::remove_file(root.join("gone.py")).unwrap();
    std::fs::write(root.join("backups/old/b.py"), "changed too\n").unwrap();
    std::fs::write(root.join("src/app/new.py"), "staged new\n").unwrap();
    git(root, &["add", "src/app/new.py"]);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root.join("mode.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Out of the index, still on disk and in HEAD: staged deletions under an untracked directory.
    git(root, &["rm", "-r", "-q", "--cached", "untracked-now"]);

    let full = GitInfo::discover_with(root, Status::Full).unwrap().unwrap();
    let want: Vec<&str> = vec![
        "backups/old/b.py",
        "edited.py",
        "gone.py",
        "mode.sh",
        "src/app/new.py",
        "staged.py",
        "untracked-now/a.py",
        "untracked-now/sub/b.py",
    ];
    let got: Vec<String> = full
        .modified_paths()
        .unwrap()
        .iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    assert_eq!(got, want);

    let mut asked: Vec<String> = files.iter().map(|s| s.to_string()).collect();
    asked.extend(
        [
            "backups",
            "backups/old",
            "backups/new",
            "backups-2",
            "src",
            "src/app",
            "src/app/new.py",
            "untracked-now",
            "untracked-now/sub",
            "never-tracked",
        ]
        .map(String::from),
    );
    let check = |lazy: &GitInfo, p: &str| {
        let r = RelPath::from_bytes(p.as_bytes());
        assert_eq!(
            lazy.is_modified(&r),
            full.is_modified(&r),
            "is_modified({p})"
        );
        assert_eq!(
            lazy.modified_under(&r),
            full.modified_under(&r),
            "modified_under({p})"
        );
    };
    // Each path asked first, of a repository opened for it: the status limited to that path.
    for p in &asked {
        let lazy = GitInfo::discover_with(root, Status::PerPath)
            .unwrap()
            .unwrap();
        check(&lazy, p);
        assert!(
            !lazy.whole_status_read(),
            "{p}: one question, one limited status"
        );
    }
    // The same with the index's cache tree written (`git write-tree` makes it valid), so it
    // no longer matches HEAD's tree: the staged deletions are still found.
    git(root, &["write-tree"]);
    for p in &asked {
        let lazy = GitInfo::discover_with(root, Status::PerPath)
            .unwrap()
            .unwrap();
        check(&lazy, p);
    }
    // All of them in a row, parent first and child first (the per-path cache): once the
    // limited statuses add up to a whole one, the whole status is read, and the answers stay.
    for order in [asked.clone(), asked.iter().rev().cloned().collect()] {
        let lazy = GitInfo::discover_with(root, Status::PerPath)
            .unwrap()
            .unwrap();
        for p in &order {
            check(&lazy, p);
        }
        assert!(
            lazy.whole_status_read(),
            "{} questions on {} tracked files read the whole status",
            order.len(),
            files.len()
        );
    }
    // A repository this small has its whole status read beside the rules, before any question;
    // the answers are the same.
    let pre = GitInfo::discover_with(root, Status::PerPath)
        .unwrap()
        .unwrap();
    pre.prefetch_status();
    assert!(pre.whole_status_read(), "prefetched");
    for p in &asked {
        check(&pre, p);
    }
}

#[test]
fn a_larger_repository_is_not_prefetched() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    // Past the prefetch limit (550 tracked files): its status would outlast loading the rules.
    for i in 0..600 {
        std::fs::write(root.join(format!("f{i}.txt")), "x").unwrap();
    }
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "init"]);
    std::fs::write(root.join("f7.txt"), "changed").unwrap();
    let g = GitInfo::discover_with(root, Status::PerPath)
        .unwrap()
        .unwrap();
    g.prefetch_status();
    assert!(!g.whole_status_read(), "not prefetched");
    assert!(g.is_modified(&RelPath::from_bytes(b"f7.txt")));
    assert!(!g.is_modified(&RelPath::from_bytes(b"f8.txt")));
}

/// A path `git sparse-checkout` leaves out of the work tree is unchanged to git (libgit2, which
/// has no sparse checkout, reads it as deleted): `apply` must not refuse a sparse checkout as
/// dirty. A real edit, and a staged change to a left-out path, still count.
#[test]
fn paths_a_sparse_checkout_leaves_out_are_not_changes() {
    let repo = committed(&["app/main.py", "data/big.bin", "data/more.bin", "README.md"]);
    let root = repo.root.as_path();
    git(
        root,
        &["sparse-checkout", "set", "--no-cone", "/*", "!/data/"],
    );
    assert!(!root.join("data/big.bin").exists(), "git left it out");
    let changed = |root: &std::path::Path| -> Vec<String> {
        let g = GitInfo::discover_with(root, Status::Full).unwrap().unwrap();
        (g.modified_paths().unwrap().iter())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    };
    assert!(changed(root).is_empty(), "{:?}", changed(root));
    std::fs::write(root.join("app/main.py"), "edited\n").unwrap();
    git(root, &["rm", "-q", "--cached", "--sparse", "data/more.bin"]);
    assert_eq!(changed(root), ["app/main.py", "data/more.bin"]);
}
