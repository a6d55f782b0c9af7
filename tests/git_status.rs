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

/// A committed repository of 600 files `f0.txt` … `f599.txt`: past the prefetch limit (550
/// tracked files), where a whole status would outlast loading the rules.
fn six_hundred_files() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for i in 0..600 {
        std::fs::write(d.path().join(format!("f{i}.txt")), "x").unwrap();
    }
    git(d.path(), &["init", "-q"]);
    git(d.path(), &["add", "."]);
    git(d.path(), &["commit", "-qm", "init"]);
    d
}

#[test]
fn a_larger_repository_is_not_prefetched() {
    let d = six_hundred_files();
    let root = d.path();
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

/// Whether the scan would find `rel` modified: its folder asked of the index once, then the
/// file, as `scan` asks.
fn modified_at(g: &GitInfo, rel: &RelPath, meta: Option<&mami_clean::fsx::Meta>) -> bool {
    g.is_modified_in(&g.folder_stat(&rel.parent().unwrap_or_default()), rel, meta)
}

/// The `statx` of a work-tree file, as the scan takes it.
fn meta(root: &std::path::Path, rel: &str) -> mami_clean::fsx::Meta {
    let p = root.join(rel);
    let dir = mami_clean::fsx::open_dir(p.parent().unwrap()).unwrap();
    let name = p.file_name().unwrap().as_encoded_bytes();
    mami_clean::fsx::meta_at(std::os::fd::AsFd::as_fd(&dir), name)
        .unwrap()
        .unwrap()
}

/// Put back a file's modification time (seconds and nanoseconds) as it was before an edit.
fn set_mtime(path: &std::path::Path, to: std::time::SystemTime) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(to).unwrap();
}

/// What the scan's own `statx` settles (the index's stat data matches, the file is older than
/// the index, nothing is staged in its folder) agrees with git's status for every kind of
/// change, those stat data alone could not see included: an edit of the same size with its
/// modification time put back, a staged edit whose work tree matches the index, a racily
/// clean file. Where stat data settle a whole folder, no status is read for it.
#[test]
fn stat_answers_agree_with_the_status() {
    let files = [
        "clean.py",
        "quiet/same-size.py",
        "edited.py",
        "staged.py",
        "mode.sh",
        "quiet/racy.py",
        "kept/a.py",
        "kept/sub/b.py",
        "backups/old/a.py",
        "backups/old/b.py",
        "backups/c.py",
        "gone/x.py",
        "gone/y.py",
    ];
    let repo = committed(&files);
    let root = repo.root.as_path();
    // Files an hour older than the index: git writes files it finds racily clean (written in
    // the index's own second) with an emptied size, which no `statx` matches; these are not.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in &files {
        set_mtime(&root.join(f), hour_ago);
    }
    git(root, &["update-index", "-q", "--refresh"]);
    let all_clean = GitInfo::discover_with(root, Status::PerPath)
        .unwrap()
        .unwrap();
    for f in &files {
        let r = RelPath::from_bytes(f.as_bytes());
        assert!(!modified_at(&all_clean, &r, Some(&meta(root, f))), "{f}");
    }
    for dir in ["backups", "backups/old", "kept", "gone", "clean.py"] {
        let r = RelPath::from_bytes(dir.as_bytes());
        assert_eq!(all_clean.modified_under(&r), 0, "{dir}");
    }
    assert_eq!(
        all_clean.statuses_read(),
        0,
        "stat data answered everything"
    );

    let before = std::fs::metadata(root.join("quiet/same-size.py")).unwrap();
    std::fs::write(root.join("quiet/same-size.py"), "quiet/same-size.pX\n").unwrap();
    set_mtime(&root.join("quiet/same-size.py"), before.modified().unwrap());
    std::fs::write(root.join("edited.py"), "edited, longer\n").unwrap();
    std::fs::write(root.join("staged.py"), "staged\n").unwrap();
    git(root, &["add", "staged.py"]);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root.join("mode.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(root.join("backups/old/b.py"), "changed too\n").unwrap();
    std::fs::remove_file(root.join("gone/y.py")).unwrap();

    let full = GitInfo::discover_with(root, Status::Full).unwrap().unwrap();
    let lazy = GitInfo::discover_with(root, Status::PerPath)
        .unwrap()
        .unwrap();
    for f in files.iter().filter(|f| root.join(f).exists()) {
        let r = RelPath::from_bytes(f.as_bytes());
        assert_eq!(
            modified_at(&lazy, &r, Some(&meta(root, f))),
            full.is_modified(&r),
            "{f}"
        );
    }
    let modified: Vec<&str> = (files.iter().copied())
        .filter(|f| full.is_modified(&RelPath::from_bytes(f.as_bytes())))
        .collect();
    assert_eq!(
        modified,
        [
            "quiet/same-size.py",
            "edited.py",
            "staged.py",
            "mode.sh",
            "backups/old/b.py",
            "gone/y.py"
        ]
    );
    let read = lazy.statuses_read();
    for dir in ["kept", "kept/sub"] {
        assert_eq!(lazy.modified_under(&RelPath::from_bytes(dir.as_bytes())), 0);
    }
    assert_eq!(lazy.statuses_read(), read, "stat data settled kept/");
    for dir in ["backups", "backups/old", "gone"] {
        let r = RelPath::from_bytes(dir.as_bytes());
        assert_eq!(lazy.modified_under(&r), full.modified_under(&r), "{dir}");
    }
    // An index no newer than a file it records (here: its time put back; git would have
    // emptied the entry's size if it wrote it so): the file is racily clean, unchanged, and
    // only the status may say so.
    let racy_time = std::fs::metadata(root.join("quiet/racy.py"))
        .unwrap()
        .modified();
    set_mtime(&root.join(".git/index"), racy_time.unwrap());
    let fresh = GitInfo::discover_with(root, Status::PerPath)
        .unwrap()
        .unwrap();
    let racy = RelPath::from_bytes(b"quiet/racy.py");
    assert!(!modified_at(
        &fresh,
        &racy,
        Some(&meta(root, "quiet/racy.py"))
    ));
    assert_eq!(fresh.statuses_read(), 1, "quiet/racy.py went to the status");
}

/// The scan's threads ask at once: once the questions add up to a whole status, it is read
/// once, not once more by each thread that waited for the first to finish.
#[test]
fn threads_asking_at_once_read_the_whole_status_once() {
    let d = six_hundred_files();
    let root = d.path();
    let ask = |g: &GitInfo, files: std::ops::Range<usize>| {
        for i in files {
            g.is_modified(&RelPath::from_bytes(format!("f{i}.txt").as_bytes()));
        }
    };
    let one = GitInfo::discover_with(root, Status::PerPath)
        .unwrap()
        .unwrap();
    ask(&one, 0..400);
    assert!(one.whole_status_read());
    let many = GitInfo::discover_with(root, Status::PerPath)
        .unwrap()
        .unwrap();
    std::thread::scope(|s| {
        for t in 0..8 {
            let many = &many;
            s.spawn(move || ask(many, t * 50..t * 50 + 50));
        }
    });
    assert_eq!(many.statuses_read(), one.statuses_read());
}

/// `plan` reads the whole status on one thread while its scan may ask for it on another: it is
/// read once, and both get it.
#[test]
fn the_whole_status_asked_twice_at_once_is_read_once() {
    let d = six_hundred_files();
    std::fs::write(d.path().join("f3.txt"), "changed").unwrap();
    let g = GitInfo::discover_with(d.path(), Status::PerPath)
        .unwrap()
        .unwrap();
    let lens: Vec<usize> = std::thread::scope(|s| {
        let askers: Vec<_> = (0..4)
            .map(|_| s.spawn(|| g.modified_paths().unwrap().len()))
            .collect();
        askers.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(lens, [1, 1, 1, 1]);
    assert_eq!(g.statuses_read(), 1);
}
