//! The fast sizer: dependency directories and size-only subtrees (`.git`, nested repositories)
//! hold most of a large tree's files and need only their sizes, so they are walked as barely as
//! `bench/`'s floor, handing a directory back to the full walk at the first thing to report.

use super::acc::*;
use super::*;
use crate::relpath::{Part, Runs};

impl Scanner<'_> {
    /// Whether the subtree at `rel`, walked in `mode`, is only sized: nothing in it is
    /// classified or kept, so [`Self::size_fast`] may walk it (and a listing leaves it out, as
    /// [`Listing::unlisted`]). Inside a selection that holds only regenerable files (dependency
    /// directories: keep rules do not look inside), and in size-only subtrees (`.git`, nested
    /// repositories, kept directories).
    pub(super) fn sizing_only(&self, mode: WalkMode, rel: &RelPath) -> bool {
        if !self.opts.fast_sizing || self.holds_too_deep(rel) {
            return false;
        }
        match mode {
            WalkMode::SizeOnly => true,
            WalkMode::Matched {
                regenerable: true, ..
            } => self
                .git
                .is_none_or(|g| !g.has_gitlinks() && !g.may_have_modified(rel)),
            _ => false,
        }
    }

    /// Whether the dependency directory at `rel`, sized fast, is also listed: a build context
    /// the caller reads from the listing takes it in ([`ScanOptions::list_deps`]).
    pub(super) fn lists(&self, mode: WalkMode, rel: &RelPath) -> bool {
        self.opts.keep_listing
            && matches!(mode, WalkMode::Matched { .. })
            && self.opts.list_deps.lists(rel)
    }

    /// Whether the selected dependency directory at `rel` is left unsized
    /// ([`ScanOptions::dep_sizes`]): regenerable, with nothing tracked or modified below it,
    /// of a phase the caller did not ask for.
    pub(super) fn unmeasured(&self, mode: WalkMode, rel: &RelPath) -> bool {
        let (DepSizes::Phases(phases), WalkMode::Matched { rule, .. }) =
            (&self.opts.dep_sizes, mode)
        else {
            return false;
        };
        !phases.contains(&self.rules.rules[rule].phase)
            && self.sizing_only(mode, rel)
            && self.git.is_none_or(|g| g.tracked_under(rel) == 0)
    }

    /// Fast sizing reached [`MAX_DEPTH`] at `deepest`: the full walk takes over there and
    /// reports it, and no directory above it is fast-sized again (each level would walk the
    /// whole chain below it once more: quadratic in the depth).
    pub(super) fn too_deep_for_fast(&self, deepest: RelPath) {
        self.deep
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(deepest);
        self.any_deep.store(true, Ordering::Relaxed);
    }

    /// Whether `rel` holds a directory fast sizing found too deep.
    pub(super) fn holds_too_deep(&self, rel: &RelPath) -> bool {
        self.any_deep.load(Ordering::Relaxed)
            && self
                .deep
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .any(|d| d.starts_with(rel))
    }

    /// Size the directory open as `fd` the way the bare walk does (`bench/`'s floor): no names
    /// kept or sorted, no path made per file, no classification. It gives up (`None`) at the
    /// first thing the full walk would have to say or decide: a `.git` or mami-clean's own
    /// state inside a selection, a mount point, an entry that cannot be read or changed under
    /// it, the open-file budget. The caller then walks the directory the full way, so what
    /// is reported never depends on which path sized it. Most of a large tree sits in such
    /// subtrees (`node_modules`, `.venv`, `.git`).
    pub(super) fn size_fast(
        &self,
        fd: BorrowedFd<'_>,
        rel: &RelPath,
        depth: usize,
        mnt: Option<u64>,
        mode: WalkMode,
        list: bool,
    ) -> Option<Acc> {
        let selected = matches!(mode, WalkMode::Matched { .. });
        let mut acc = Acc::default();
        let mut subdirs: Vec<(std::ffi::CString, Option<Meta>)> = Vec::new();
        // With `list`: this directory's files, for a build context's forecast (see
        // `ScanOptions::list_deps`).
        let mut listed: Vec<Seen> = Vec::new();
        let mut buf = Vec::with_capacity(16 * 1024);
        let mut dir = rustix::fs::RawDir::new(fd, buf.spare_capacity_mut());
        let mut entries = 0;
        while let Some(e) = dir.next() {
            let e = e.ok()?;
            let name = e.file_name();
            let bytes = name.to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            entries += 1;
            if selected && (is_git_name(bytes) || is_own_state(&RelPath::root(), bytes)) {
                return None;
            }
            // A `.git` is kept as the full walk keeps it (see `descend`): it marks a repository
            // of its own for the build files found beside it.
            let git_dir = |acc: &mut Acc| {
                acc.build_files.push(Seen {
                    path: rel.join(bytes),
                    kind: EntryKind::Dir,
                    size: 0,
                    link: None,
                })
            };
            if e.file_type() == rustix::fs::FileType::Directory {
                if bytes == b".git" {
                    git_dir(&mut acc);
                }
                subdirs.push((name.to_owned(), None));
                continue;
            }
            // An environment file is kept even inside a selection (see `decide`): the full walk
            // says so.
            if selected && is_env_name(bytes) {
                return None;
            }
            let m = Meta::from_statx(&statx_name(fd, name).ok()?);
            if m.kind() == EntryKind::Dir {
                // The listing did not say (d_type unknown): checked again once opened.
                if bytes == b".git" {
                    git_dir(&mut acc);
                }
                subdirs.push((name.to_owned(), Some(m)));
                continue;
            }
            let lazy = std::cell::OnceCell::new();
            let path = || lazy.get_or_init(|| rel.join(bytes)).clone();
            let s = if m.id.nlink > 1 {
                Self::leaf_stats(&mut acc, &path(), &m)
            } else {
                m.stats()
            };
            acc.stats.add(&s);
            if list {
                listed.push(Seen {
                    path: path(),
                    kind: m.kind(),
                    size: m.id.size,
                    link: (m.id.nlink > 1).then_some((m.id.dev, m.id.ino)),
                });
            }
            if bytes == b".git" || (m.kind() == EntryKind::File && (self.opts.noted)(bytes)) {
                acc.build_files.push(Seen {
                    path: path(),
                    kind: m.kind(),
                    size: m.id.size,
                    link: (m.id.nlink > 1).then_some((m.id.dev, m.id.ino)),
                });
            }
        }
        self.progress.tick(entries);
        let runs = if list {
            listed_runs(listed, &mut subdirs)
        } else {
            Runs::default()
        };
        let below: Vec<Acc> = subdirs
            .into_par_iter()
            .map(|(name, seen)| {
                if depth >= MAX_DEPTH {
                    self.too_deep_for_fast(rel.join(name.to_bytes()));
                    return None;
                }
                let _slot = self.fd_slot()?;
                let sub = rustix::fs::openat(fd, name.as_c_str(), DIR_FLAGS, Mode::empty()).ok()?;
                let m = Meta::from_statx(&fstatx(sub.as_fd()).ok()?);
                let replaced = seen.is_some_and(|s| (s.id.dev, s.id.ino) != (m.id.dev, m.id.ino));
                if replaced || self.is_mount(&m, mnt) {
                    return None;
                }
                let crel = rel.join(name.to_bytes());
                let mut a = self.size_fast(sub.as_fd(), &crel, depth + 1, m.mnt_id, mode, list)?;
                a.stats.add(&m.stats());
                Some(a)
            })
            .collect::<Option<_>>()?;
        for part in runs.between(below) {
            match part {
                Part::Run(r) => acc.seen.push(r),
                Part::Sub(a) => acc.merge(a),
            }
        }
        acc.sized_fast += 1;
        Some(acc)
    }
}

/// A directory's listed files cut into runs at its subdirectories, both sorted here (the
/// raw listing is in no order), so the scan's listing comes out sorted.
fn listed_runs(
    mut files: Vec<Seen>,
    subdirs: &mut [(std::ffi::CString, Option<Meta>)],
) -> Runs<Seen> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    subdirs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut runs = Runs::default();
    let mut rest = files.into_iter().peekable();
    for (name, _) in subdirs.iter() {
        while let Some(f) = rest.next_if(|f| f.path.file_name() < name.to_bytes()) {
            runs.push(f);
        }
        runs.cut();
    }
    rest.for_each(|f| runs.push(f));
    runs
}

/// Does directory `name` (under the open `parent`) hold a `.git` (a directory, or the file a
/// submodule or worktree has)?
pub(super) fn has_dot_git(parent: BorrowedFd<'_>, name: &[u8]) -> bool {
    let mut p = name.to_vec();
    p.extend_from_slice(b"/.git");
    statx_at(parent, &p).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directorys_files_are_cut_at_its_subdirectories_in_the_listings_order() {
        let seen = |p: &str| Seen {
            path: RelPath::from_bytes(format!("d/{p}")),
            kind: EntryKind::File,
            size: 0,
            link: None,
        };
        let files = ["z.txt", "a.txt", "m.txt", "a-b"].map(seen).to_vec();
        let mut subdirs: Vec<(std::ffi::CString, Option<Meta>)> = ["n", "a"]
            .iter()
            .map(|n| (std::ffi::CString::new(*n).unwrap(), None))
            .collect();
        let runs = listed_runs(files, &mut subdirs);
        // Each subdirectory stands for its contents between the runs.
        let subs = subdirs
            .iter()
            .map(|(n, _)| format!("d/{}/x", n.to_str().unwrap()));
        let mut cuts = Vec::new();
        let mut all: Vec<RelPath> = Vec::new();
        for part in runs.between(subs) {
            match part {
                Part::Run(r) => {
                    cuts.push(r.iter().map(|s| s.path.display()).collect::<Vec<_>>());
                    all.extend(r.into_iter().map(|s| s.path));
                }
                Part::Sub(p) => all.push(RelPath::from_bytes(p)),
            }
        }
        // The first run is empty (nothing sorts before `a/`) and left out.
        assert_eq!(cuts, [vec!["d/a-b", "d/a.txt", "d/m.txt"], vec!["d/z.txt"]]);
        let shown: Vec<String> = all.iter().map(RelPath::display).collect();
        assert_eq!(
            shown,
            ["d/a/x", "d/a-b", "d/a.txt", "d/m.txt", "d/n/x", "d/z.txt"]
        );
        // With each subdirectory's contents between the runs, the whole is in path order.
        assert!(all.is_sorted(), "{all:?}");
    }
}
