//! A second look inside directories the first scan selected whole. A selected directory is
//! only sized (see the module docs); when the plan's guards then keep it (the project refers
//! to it: a package named `backup`), the litter inside it (`backup/__pycache__`) was never
//! classified. This walks such a directory the normal way, as if no rule had matched it.

use super::*;

impl Scanner<'_> {
    /// Classify what lies inside each of `dirs` (paths from the root, each with the identity
    /// the first scan saw). Only the entries found inside are returned; a directory that is no
    /// longer the one scanned (replaced, moved, now a symlink or a mount) is left unopened.
    pub fn run_within(mut self, dirs: &[(RelPath, Identity)]) -> Result<Vec<Found>> {
        let (root, _) = self.open_root()?;
        let this = &self;
        let mut found = crate::limits::install_deep(self.opts.threads, "mami-scan", || {
            let mut found = Vec::new();
            for (rel, id) in dirs {
                let Some((fd, meta)) = open_below(root.as_fd(), rel) else {
                    continue;
                };
                if (meta.id.dev, meta.id.ino) != (id.dev, id.ino) || this.is_mount(&meta, None) {
                    continue;
                }
                let acc = this.walk(fd, rel, meta.mnt_id, WalkMode::Normal);
                found.extend(this.finish(acc, meta.id).found);
            }
            found
        })
        .map_err(|e| Error::Usage(format!("cannot start scan threads: {e}")))?;
        found.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(found)
    }
}

/// The directory `rel` below `root`, opened one component at a time without following a
/// symlink, with its metadata.
fn open_below(root: BorrowedFd<'_>, rel: &RelPath) -> Option<(OwnedFd, Meta)> {
    let fd = crate::fsx::open_dir_below(root, rel.as_bytes()).ok()?;
    let meta = Meta::from_statx(&fstatx(fd.as_fd()).ok()?);
    Some((fd, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found_in(root: &Path, dirs: &[(RelPath, Identity)]) -> Vec<String> {
        let rules = RuleSet::builtin().unwrap();
        let s = Scanner::new(root, &rules, None, ScanOptions::default());
        let found = s.run_within(dirs).unwrap();
        found.iter().map(|f| f.path.display()).collect()
    }

    fn identity(p: &Path) -> Identity {
        let fd = open_dir(p).unwrap();
        Meta::from_statx(&fstatx(fd.as_fd()).unwrap()).id
    }

    /// What is inside is classified; a directory replaced since the scan (another inode, or a
    /// symlink to elsewhere) is not entered.
    #[test]
    fn only_the_directory_the_scan_saw_is_entered() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("backup/__pycache__")).unwrap();
        std::fs::write(root.join("backup/__pycache__/m.pyc"), "x").unwrap();
        let rel = RelPath::from_bytes("backup");
        let seen = identity(&root.join("backup"));
        assert_eq!(
            found_in(root, &[(rel.clone(), seen)]),
            ["backup/__pycache__"]
        );

        std::fs::rename(root.join("backup"), root.join("elsewhere")).unwrap();
        std::fs::create_dir_all(root.join("backup/__pycache__")).unwrap();
        assert!(found_in(root, &[(rel.clone(), seen)]).is_empty());
        std::fs::remove_dir_all(root.join("backup")).unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("backup")).unwrap();
        assert!(found_in(root, &[(rel, seen)]).is_empty());
    }
}
