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
        let root = open_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let st = fstatx(root.as_fd()).map_err(|e| Error::io(&self.root, e))?;
        self.root_dev = Meta::from_statx(&st).id.dev;
        self.fd_budget = crate::limits::fd_budget();
        let mut found = Vec::new();
        for (rel, id) in dirs {
            let Some((fd, meta)) = open_below(root.as_fd(), rel) else {
                continue;
            };
            if (meta.id.dev, meta.id.ino) != (id.dev, id.ino) || self.is_mount(&meta, None) {
                continue;
            }
            let this = &self;
            let acc = crate::limits::install_deep(self.opts.threads, "mami-scan", || {
                this.walk(fd, rel, meta.mnt_id, WalkMode::Normal)
            })
            .map_err(|e| Error::Usage(format!("cannot start scan threads: {e}")))?;
            found.extend(self.finish(acc, meta.id).found);
        }
        found.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(found)
    }
}

/// The directory `rel` below `root`, opened one component at a time without following a
/// symlink, with its metadata.
fn open_below(root: BorrowedFd<'_>, rel: &RelPath) -> Option<(OwnedFd, Meta)> {
    let mut comps = rel.as_bytes().split(|&b| b == b'/');
    let mut fd = open_dir_at(root, comps.next()?).ok()?;
    for c in comps {
        fd = open_dir_at(fd.as_fd(), c).ok()?;
    }
    let meta = Meta::from_statx(&fstatx(fd.as_fd()).ok()?);
    Some((fd, meta))
}
