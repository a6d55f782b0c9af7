//! Where a backup may go: never inside the tree it backs up (the deletion would take the
//! backup with it, and the next scan would count it). Strings cannot tell: `/x/other/../repo/bk`
//! and a symlink that points into the tree both name a place inside it. So the part of the
//! path that exists is resolved by the kernel, and its directory chain is walked up through
//! `..`, comparing each directory's device and inode with the root's; the part that does not
//! exist yet (created later) may not hold `..` or `.`.

use std::os::fd::AsFd;
use std::path::{Component, Path, PathBuf};

use crate::fsx::{fstatx, open_dir, open_dir_at, Meta};

/// `dir` resolved, or why it cannot hold a backup of the tree whose root is `(dev, ino)`.
pub fn resolve(dir: &Path, root: (u64, u64)) -> Result<PathBuf, String> {
    let abs = std::path::absolute(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let comps: Vec<Component> = abs.components().collect();
    let (real, n) = (1..=comps.len())
        .rev()
        .find_map(|n| {
            let p: PathBuf = comps[..n].iter().collect();
            p.canonicalize().ok().map(|r| (r, n))
        })
        .ok_or_else(|| format!("{}: no part of it exists", abs.display()))?;
    let rest = &comps[n..];
    if rest
        .iter()
        .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
    {
        return Err(format!(
            "{}: `..` or `.` after a directory that does not exist yet; name the backup directory plainly",
            abs.display()
        ));
    }
    if !real.is_dir() {
        return Err(format!("{}: not a directory", real.display()));
    }
    if inside(&real, root).map_err(|e| format!("{}: {e}", real.display()))? {
        return Err(format!(
            "backup dir {} is inside the tree; choose one outside it",
            abs.display()
        ));
    }
    let mut out = real;
    out.extend(rest);
    Ok(out)
}

/// Whether the directory `real` is the root `(dev, ino)` or below it.
fn inside(real: &Path, root: (u64, u64)) -> std::io::Result<bool> {
    let mut fd = open_dir(real)?;
    loop {
        let m = Meta::from_statx(&fstatx(fd.as_fd())?);
        if (m.id.dev, m.id.ino) == root {
            return Ok(true);
        }
        let up = open_dir_at(fd.as_fd(), b"..")?;
        let um = Meta::from_statx(&fstatx(up.as_fd())?);
        if (um.id.dev, um.id.ino) == (m.id.dev, m.id.ino) {
            return Ok(false); // `/`: its `..` is itself
        }
        fd = up;
    }
}
