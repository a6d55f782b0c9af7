//! The index: tracked paths, sorted, with their blobs, read once (gix-index first: it does not
//! re-hash the file; libgit2 where that fails), and the prefix counts the scan asks.

use std::collections::HashSet;
use std::path::Path;

use git2::Repository;

use super::stat_match::{self, StatData};
use super::GitInfo;
use crate::error::Result;
use crate::relpath::RelPath;
use std::sync::atomic::AtomicBool;

impl GitInfo {
    pub fn is_tracked(&self, p: &RelPath) -> bool {
        self.index_of(p.as_bytes()).is_some()
    }

    /// Where the index holds `p` (the position in `tracked`, and in what runs beside it).
    pub(super) fn index_of(&self, p: &[u8]) -> Option<usize> {
        (self.tracked)
            .binary_search_by(|e| e.as_slice().cmp(p))
            .ok()
    }

    /// Index entries at or below `p`.
    pub fn tracked_under(&self, p: &RelPath) -> usize {
        count_under(&self.tracked, p.as_bytes())
    }

    /// The positions of the index entries at `p` and below it (see [`range_under`]).
    pub(super) fn tracked_range(&self, p: &RelPath) -> (Option<usize>, std::ops::Range<usize>) {
        range_under(&self.tracked, p.as_bytes())
    }

    pub fn is_gitlink(&self, p: &RelPath) -> bool {
        self.gitlinks.contains(p.as_bytes())
    }

    /// Tracked files and their bytes (as the index records them: the size at the last stat).
    pub fn tracked_size(&self) -> (u64, u64) {
        (self.tracked_files, self.tracked_bytes)
    }

    pub fn has_gitlinks(&self) -> bool {
        !self.gitlinks.is_empty()
    }

    pub fn tracked_count(&self) -> usize {
        self.tracked.len()
    }

    /// Tracked paths at or below `p`.
    pub fn tracked_paths_under<'a>(
        &'a self,
        p: &'a RelPath,
    ) -> impl Iterator<Item = &'a [u8]> + 'a {
        let start = self
            .tracked
            .partition_point(|e| e.as_slice() < p.as_bytes());
        self.tracked[start..]
            .iter()
            .take_while(move |e| e.starts_with(p.as_bytes()))
            .filter(move |e| RelPath::from_bytes(e.as_slice()).starts_with(p))
            .map(Vec::as_slice)
    }

    /// A tracked file directly in `dir` whose name starts with one of `prefixes` (`LICENSE`
    /// finds `LICENSE.md`), the first in index order.
    /// `dir` empty is the root.
    pub fn tracked_child_named(&self, dir: &RelPath, prefixes: &[&str]) -> Option<&[u8]> {
        let base = match dir.as_bytes() {
            [] => Vec::new(),
            d => [d, b"/"].concat(),
        };
        prefixes.iter().find_map(|pre| {
            let start = [base.as_slice(), pre.as_bytes()].concat();
            let from = (self.tracked).partition_point(|e| e.as_slice() < start.as_slice());
            (self.tracked[from..].iter())
                .take_while(|e| e.starts_with(&start))
                .find(|e| !e[base.len()..].contains(&b'/'))
                .map(Vec::as_slice)
        })
    }

    /// Whether a tracked path is still in the work tree: one deleted and not yet committed
    /// (`apply` without `--commit`) is settled by that commit, and no finding's business.
    pub fn in_work_tree(&self, p: &[u8]) -> bool {
        (RelPath::from_bytes(p).under(&self.workdir))
            .symlink_metadata()
            .is_ok()
    }

    /// Whether two tracked files hold the same content, as the index records them.
    pub fn same_blob(&self, a: &[u8], b: &[u8]) -> bool {
        self.index_blob(a)
            .is_some_and(|x| self.index_blob(b) == Some(x))
    }

    /// Tracked files (gitlinks left out), in index order.
    pub fn tracked_files(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.tracked
            .iter()
            .filter(|p| !self.gitlinks.contains(*p))
            .map(Vec::as_slice)
    }

    /// The tracked files whose file name passes `named` (compose files, scripts, `action.yml`),
    /// in index order: the name is tested without a path made for every tracked file.
    pub fn tracked_named<'a>(
        &'a self,
        named: impl Fn(&[u8]) -> bool + 'a,
    ) -> impl Iterator<Item = RelPath> + 'a {
        self.tracked_files()
            .filter(move |p| named(p.rsplit(|&b| b == b'/').next().unwrap_or(p)))
            .map(RelPath::from_bytes)
    }
}

/// Count of sorted `list` entries equal to `p` or below it (`p/...`).
pub(super) fn count_under(list: &[Vec<u8>], p: &[u8]) -> usize {
    let (exact, below) = range_under(list, p);
    usize::from(exact.is_some()) + below.len()
}

/// Where sorted `list` holds `p` itself, and its run of entries below it (see
/// [`crate::relpath::sorted_under`]).
pub(super) fn range_under(list: &[Vec<u8>], p: &[u8]) -> (Option<usize>, std::ops::Range<usize>) {
    crate::relpath::sorted_under(list, |e| e.as_slice(), p)
}

/// What is read of the index: entries (path, blob id), gitlinks, the count and bytes of tracked
/// files, and (gix-index only) the stat data that lets a `statx` prove a file unchanged, with
/// the folders whose cache-tree entry git left valid (the root's: the index's own tree).
pub(super) struct IndexRead {
    pub entries: Vec<(Vec<u8>, git2::Oid)>,
    pub gitlinks: HashSet<Vec<u8>>,
    pub files: u64,
    pub bytes: u64,
    pub stat: Option<StatData>,
}

/// The index through gix-index, without re-hashing the file: 100,000 entries in ~15 ms, where
/// libgit2 takes ~60 ms (it checks the trailing SHA-1 with the collision-detecting
/// implementation before parsing). `None` (libgit2 then reads it) for anything unusual: no
/// index yet, another object format, a sparse index.
pub(super) fn read_index_fast(path: &Path) -> Option<IndexRead> {
    let f = gix_index::File::at(path, gix_hash::Kind::Sha1, true, Default::default()).ok()?;
    let mut entries = Vec::with_capacity(f.entries().len());
    let mut stats = Vec::with_capacity(f.entries().len());
    let mut gitlinks = HashSet::new();
    let (mut files, mut bytes) = (0, 0);
    for e in f.entries() {
        let p: &[u8] = e.path(&f).as_ref();
        if e.mode == gix_index::entry::Mode::DIR {
            return None;
        }
        if e.mode == gix_index::entry::Mode::COMMIT {
            gitlinks.insert(p.to_vec());
        } else {
            files += 1;
            bytes += u64::from(e.stat.size);
        }
        entries.push((p.to_vec(), git2::Oid::from_bytes(e.id.as_bytes()).ok()?));
        stats.push(stat_match::entry_stat(e));
    }
    let trees = f.tree().map(stat_match::valid_trees).unwrap_or_default();
    let time = f.timestamp();
    let stat = u32::try_from(time.unix_seconds())
        .ok()
        .map(|secs| StatData {
            // Gitlinks are never reported by the status mami-clean asks (submodules excluded).
            verified: (entries.iter())
                .map(|(p, _)| AtomicBool::new(gitlinks.contains(p)))
                .collect(),
            entries: stats,
            index_time: (secs, time.nanoseconds()),
            trees,
            unstaged: Default::default(),
        });
    Some(IndexRead {
        entries,
        gitlinks,
        files,
        bytes,
        stat,
    })
}

/// The index through libgit2.
pub(super) fn read_index(repo: &Repository) -> Result<IndexRead> {
    let index = repo.index()?;
    let mut entries = Vec::with_capacity(index.len());
    let mut gitlinks = HashSet::new();
    let (mut files, mut bytes) = (0, 0);
    for e in index.iter() {
        if e.mode == 0o160000 {
            gitlinks.insert(e.path.clone());
        } else {
            files += 1;
            bytes += u64::from(e.file_size);
        }
        entries.push((e.path, e.id));
    }
    Ok(IndexRead {
        entries,
        gitlinks,
        files,
        bytes,
        stat: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::tests::git;

    /// gix-index and libgit2 read the same entries, gitlinks and sizes from index versions 2,
    /// 3 and 4, a split index, and an index in the middle of a merge conflict.
    #[test]
    fn both_index_readers_agree() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        git(root, &["init", "-q"]);
        for (i, f) in ["a.txt", "dir/b.txt", "dir/sub/c.py", "z/é.md"]
            .iter()
            .enumerate()
        {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x".repeat(i + 1)).unwrap();
        }
        git(root, &["add", "."]);
        // A gitlink (submodule entry) without a submodule checkout.
        git(
            root,
            &[
                "update-index",
                "--add",
                "--cacheinfo",
                "160000,1111111111111111111111111111111111111111,vendor/lib",
            ],
        );
        git(root, &["commit", "-qm", "one"]);
        let check = |what: &str| {
            let repo = Repository::open(root).unwrap();
            let fast = read_index_fast(&repo.path().join("index")).expect(what);
            let slow = read_index(&repo).unwrap();
            assert_eq!(fast.entries, slow.entries, "{what}: entries");
            assert_eq!(fast.gitlinks, slow.gitlinks, "{what}: gitlinks");
            assert_eq!(
                (fast.files, fast.bytes),
                (slow.files, slow.bytes),
                "{what}: sizes"
            );
            assert_eq!(fast.files, 4, "{what}");
        };
        check("v2");
        git(root, &["update-index", "--index-version", "3"]);
        check("v3");
        git(root, &["update-index", "--index-version", "4"]);
        check("v4");
        // libgit2 cannot read a split index at all; gix-index must, as git does.
        git(root, &["update-index", "--split-index"]);
        std::fs::write(root.join("a.txt"), "changed").unwrap();
        git(root, &["add", "a.txt"]);
        let repo = Repository::open(root).unwrap();
        let fast = read_index_fast(&repo.path().join("index")).expect("split index");
        let ls = std::process::Command::new("git")
            .args(["ls-files", "-z"])
            .current_dir(root)
            .output()
            .unwrap()
            .stdout;
        let want: Vec<&[u8]> = ls.split(|&b| b == 0).filter(|p| !p.is_empty()).collect();
        let got: Vec<&[u8]> = fast.entries.iter().map(|e| e.0.as_slice()).collect();
        assert_eq!(got, want, "split index");
        git(root, &["update-index", "--no-split-index"]);
        // A conflict: the same path at stages 1, 2 and 3.
        git(root, &["commit", "-qam", "two"]);
        git(root, &["checkout", "-qb", "other", "HEAD~1"]);
        std::fs::write(root.join("a.txt"), "theirs").unwrap();
        git(root, &["commit", "-qam", "three"]);
        let _ = std::process::Command::new("git")
            .args(["merge", "-q", "main"])
            .current_dir(root)
            .output();
        let repo = Repository::open(root).unwrap();
        let fast = read_index_fast(&repo.path().join("index")).expect("conflict");
        let slow = read_index(&repo).unwrap();
        assert_eq!(fast.entries, slow.entries, "conflict: entries");
        assert!(
            fast.entries.iter().filter(|e| e.0 == b"a.txt").count() >= 2,
            "the conflict is in the index"
        );
    }

    #[test]
    fn prefix_counts_respect_component_boundaries() {
        let mut l: Vec<Vec<u8>> = ["a", "a-b", "a/x", "a/y/z", "ab", "b"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        l.sort();
        assert_eq!(count_under(&l, b"a"), 3);
        assert_eq!(count_under(&l, b"a/y"), 1);
        assert_eq!(count_under(&l, b"ab"), 1);
        assert_eq!(count_under(&l, b"c"), 0);
        assert_eq!(count_under(&l, b""), 6);
    }
}
