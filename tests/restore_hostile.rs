//! A backup is untrusted input: anyone can hand one over, with an archive and a manifest that
//! agree (hashes recomputed). Restore must keep every write inside the destination: no `..`,
//! no absolute path, no write through a symlink the archive made, no mode change above the
//! destination, and no restore into another tree than the one the backup came from.

mod common;

use common::repo::Repo;
use common::*;
use mami_clean::apply::backup::{Item, Manifest};
use mami_clean::scan::EntryKind;
use std::path::{Path, PathBuf};

/// What a member of a forged archive is.
enum M<'a> {
    File(&'a [u8]),
    Dir(u32),
    Link(&'a str),
}

/// A backup directory holding `members` (raw paths, written into the tar headers as bytes),
/// with a manifest that agrees with them, made for the tree at `root`.
fn forge(at: &Path, root: &Path, members: &[(&str, M)]) -> PathBuf {
    let dir = at.join(format!(
        "{}-20260101T000000Z",
        root.file_name().unwrap().to_string_lossy()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let archive = dir.join("backup.tar.zst");
    let f = std::fs::File::create(&archive).unwrap();
    let enc = zstd::Encoder::new(f, 3).unwrap().auto_finish();
    let mut tar = tar::Builder::new(enc);
    let mut items = Vec::new();
    for (path, m) in members {
        let mut h = tar::Header::new_gnu();
        let name = &mut h.as_gnu_mut().unwrap().name;
        name[..path.len()].copy_from_slice(path.as_bytes());
        h.set_mtime(1_700_000_000);
        let (kind, mode, size, blake, target) = match m {
            M::File(c) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(c.len() as u64);
                let b = blake3::hash(c).to_hex().to_string();
                (EntryKind::File, 0o644, c.len() as u64, Some(b), None)
            }
            M::Dir(mode) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_size(0);
                (EntryKind::Dir, *mode, 0, None, None)
            }
            M::Link(t) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                h.set_link_name(t).unwrap();
                let hex: String = t.bytes().map(|b| format!("{b:02x}")).collect();
                (EntryKind::Symlink, 0o777, 0, None, Some(hex))
            }
        };
        h.set_mode(mode);
        h.set_cksum();
        let data: &[u8] = match m {
            M::File(c) => c,
            _ => &[],
        };
        tar.append(&h, data).unwrap();
        items.push(Item {
            path: path.to_string(),
            path_hex: None,
            kind,
            mode,
            mtime_ns: 1_700_000_000_000_000_000,
            size,
            ino: 1,
            ctime_ns: 0,
            blake3: blake,
            target_hex: target,
        });
    }
    tar.into_inner().unwrap();
    let m = Manifest {
        format: "mami-clean-backup".into(),
        format_version: 1,
        id: dir.file_name().unwrap().to_string_lossy().into_owned(),
        created: "2026-01-01T00:00:00Z".into(),
        root: root.display().to_string(),
        root_id: None,
        plan_body_hash: "x".into(),
        archive_blake3: blake3::hash(&std::fs::read(&archive).unwrap())
            .to_hex()
            .to_string(),
        items,
    };
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    dir
}

fn attempt(r: &Repo, members: &[(&str, M)], to: Option<&Path>) -> std::process::Output {
    let backups = r.outside("backups");
    let dir = forge(&backups, &r.root, members);
    let id = dir.file_name().unwrap().to_str().unwrap().to_string();
    let mut args = vec!["restore", &id, "--backup-dir", backups.to_str().unwrap()];
    if let Some(t) = to {
        args.extend(["--to", t.to_str().unwrap()]);
    }
    let o = r.run(&args);
    std::fs::remove_dir_all(&dir).unwrap();
    o
}

#[test]
fn a_crafted_backup_never_writes_outside_the_destination() {
    let r = Repo::new(&[("src/app.py", "x\n")]);
    let victim = r.outside("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("passwd"), "root:x:0:0\n").unwrap();
    let abs = r.outside("abs.txt");
    let abs_s = abs.to_str().unwrap().to_string();
    let victim_s = victim.to_str().unwrap().to_string();
    let cases: Vec<(&str, Vec<(&str, M)>)> = vec![
        ("dot-dot", vec![("../escaped.txt", M::File(b"pwned\n"))]),
        (
            "deep dot-dot",
            vec![("a/../../escaped.txt", M::File(b"pwned\n"))],
        ),
        ("absolute", vec![(abs_s.as_str(), M::File(b"pwned\n"))]),
        (
            "write through its own symlink",
            vec![
                ("link", M::Link(victim_s.as_str())),
                ("link/passwd", M::File(b"pwned\n")),
            ],
        ),
        ("mode on the parent", vec![("..", M::Dir(0o700))]),
        ("the root itself", vec![(".", M::Dir(0o700))]),
        (
            "into .git",
            vec![(".git/hooks/pre-commit", M::File(b"#!/bin/sh\n"))],
        ),
    ];
    let parent_mode = std::fs::metadata(r.dir.path()).unwrap().permissions();
    for to in [None, Some(r.outside("elsewhere"))] {
        for (what, members) in &cases {
            let before = common::snap::snap(&r.root);
            let o = attempt(&r, members, to.as_deref());
            assert_eq!(
                o.status.code(),
                Some(2),
                "{what} ({to:?}): {}{}",
                stdout(&o),
                stderr(&o)
            );
            assert!(
                stderr(&o).contains("cannot be restored, nothing was written"),
                "{what}: {}",
                stderr(&o)
            );
            assert_eq!(
                common::snap::snap(&r.root),
                before,
                "{what}: the tree changed"
            );
            assert!(!r.outside("escaped.txt").exists(), "{what}");
            assert!(!abs.exists(), "{what}");
            assert_eq!(
                std::fs::read_to_string(victim.join("passwd")).unwrap(),
                "root:x:0:0\n"
            );
            assert_eq!(
                std::fs::metadata(r.dir.path()).unwrap().permissions(),
                parent_mode
            );
            assert!(!r.exists(".git/hooks/pre-commit"));
        }
    }
}

#[test]
fn a_backup_of_another_tree_is_restored_only_with_to() {
    let r = Repo::new(&[("src/app.py", "x\n")]);
    r.write("backups/old.txt", "old\n");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // The same path, another directory: a re-clone.
    let moved = r.outside("moved");
    std::fs::rename(&r.root, &moved).unwrap();
    std::fs::create_dir(&r.root).unwrap();
    let o = r.run(&["restore", "--latest"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("taken from another directory"),
        "{}",
        stderr(&o)
    );
    assert!(!r.exists("backups/old.txt"));
    let to = r.outside("restored");
    let o = r.run(&["restore", "--latest", "--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        std::fs::read_to_string(to.join("backups/old.txt")).unwrap(),
        "old\n"
    );
}

#[test]
fn restore_sets_modes_only_on_what_it_created_and_counts_honestly() {
    let r = Repo::new(&[("src/app.py", "x\n")]);
    r.write("backups/a/old.txt", "old\n");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = r.run(&["restore", "--latest"]);
    assert!(stdout(&o).contains("3 written"), "{}", stdout(&o));
    // Again: everything is in place; directories are not "written" again.
    let o = r.run(&["restore", "--latest"]);
    assert!(
        stdout(&o).contains("0 written, 1 already in place"),
        "{}",
        stdout(&o)
    );
}
