//! Handles of the directories on one path below a root, for work that visits a tree's entries
//! in order, parents before children (the backup's collector and writer, restore). At most
//! [`KEEP`] handles are open whatever the tree's depth: the open-file limit is never the
//! reason a deep or wide entry cannot be backed up or restored. An ancestor whose handle was
//! closed is reached again through `..` from the nearest descendant still open, and must be
//! the same directory (device and inode) it was; when nothing below is open it is reopened
//! from the nearest ancestor that is. Every name is opened with `O_NOFOLLOW`, one component at
//! a time, so a symlink where a directory belongs stops the walk.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use super::{fstatx, open_dir_at, Meta};

/// Handles kept open at most, besides the root's.
pub const KEEP: usize = 32;

struct Level {
    name: Vec<u8>,
    dev: u64,
    ino: u64,
    fd: Option<OwnedFd>,
}

pub struct DirChain {
    root: OwnedFd,
    levels: Vec<Level>,
    /// The path of the last directory found missing (for `open` without `create`): what lies
    /// below it is missing too, and is not looked up again until something is created.
    missing: Option<Vec<Vec<u8>>>,
}

fn moved() -> std::io::Error {
    std::io::Error::other("a directory was moved or replaced while in use")
}

impl DirChain {
    pub fn new(root: OwnedFd) -> DirChain {
        DirChain {
            root,
            levels: Vec::new(),
            missing: None,
        }
    }

    pub fn root(&self) -> BorrowedFd<'_> {
        self.root.as_fd()
    }

    /// The handle of the directory `comps` below the root (none: the root itself). A missing
    /// directory is created (mode 0777 less the umask) when `create`, else `Ok(None)`. An
    /// error names nothing; the caller knows the path.
    pub fn open(
        &mut self,
        comps: &[&[u8]],
        create: bool,
    ) -> std::io::Result<Option<BorrowedFd<'_>>> {
        if create {
            self.missing = None;
        } else if self
            .missing
            .as_ref()
            .is_some_and(|m| m.len() <= comps.len() && m.iter().zip(comps).all(|(a, b)| a == b))
        {
            return Ok(None);
        }
        let k = self
            .levels
            .iter()
            .zip(comps)
            .take_while(|(l, c)| l.name == **c)
            .count();
        if k > 0 && self.levels[k - 1].fd.is_none() {
            self.reopen(k - 1)?;
        }
        self.levels.truncate(k);
        for c in &comps[k..] {
            let at = self.last();
            let fd = match open_dir_at(at, c) {
                Ok(fd) => fd,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                    match rustix::fs::mkdirat(
                        at,
                        std::ffi::OsStr::from_bytes(c),
                        rustix::fs::Mode::from_raw_mode(0o777),
                    ) {
                        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                        Err(e) => return Err(e.into()),
                    }
                    open_dir_at(at, c)?
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let n = self.levels.len() + 1;
                    self.missing = Some(comps[..n].iter().map(|c| c.to_vec()).collect());
                    return Ok(None);
                }
                Err(e) => return Err(e),
            };
            let m = Meta::from_statx(&fstatx(fd.as_fd())?);
            self.levels.push(Level {
                name: c.to_vec(),
                dev: m.id.dev,
                ino: m.id.ino,
                fd: Some(fd),
            });
            let n = self.levels.len();
            if n > KEEP {
                self.levels[n - KEEP - 1].fd = None;
            }
        }
        Ok(Some(self.last()))
    }

    fn last(&self) -> BorrowedFd<'_> {
        self.levels
            .last()
            .and_then(|l| l.fd.as_ref())
            .map_or(self.root.as_fd(), |f| f.as_fd())
    }

    /// Give level `i` its handle again: up through `..` from the nearest open level below it,
    /// else down from the nearest open level above it (or the root).
    fn reopen(&mut self, i: usize) -> std::io::Result<()> {
        if let Some(j) = (i + 1..self.levels.len()).find(|&j| self.levels[j].fd.is_some()) {
            for l in (i..j).rev() {
                let below = self.levels[l + 1].fd.as_ref().expect("opened").as_fd();
                let fd = open_dir_at(below, b"..")?;
                self.adopt(l, fd)?;
                if let Some(far) = self.levels.get_mut(l + KEEP) {
                    far.fd = None;
                }
            }
            return Ok(());
        }
        let start = (0..i).rev().find(|&j| self.levels[j].fd.is_some());
        for l in start.map_or(0, |s| s + 1)..=i {
            let above = match l {
                0 => self.root.as_fd(),
                _ => self.levels[l - 1].fd.as_ref().expect("opened").as_fd(),
            };
            let fd = open_dir_at(above, &self.levels[l].name)?;
            self.adopt(l, fd)?;
            if l >= KEEP {
                self.levels[l - KEEP].fd = None;
            }
        }
        Ok(())
    }

    /// `fd` as level `l`'s handle, if it is the directory the level was.
    fn adopt(&mut self, l: usize, fd: OwnedFd) -> std::io::Result<()> {
        let m = Meta::from_statx(&fstatx(fd.as_fd())?);
        let lv = &mut self.levels[l];
        if (m.id.dev, m.id.ino) != (lv.dev, lv.ino) {
            return Err(moved());
        }
        lv.fd = Some(fd);
        Ok(())
    }
}
