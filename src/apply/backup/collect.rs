//! What goes into a backup: every file, directory and symlink under the entries to archive,
//! and single tracked files whose content git does not hold, recorded (kind, mode, size,
//! times, inode, ctime, symlink target) in archive order: parents before children, names
//! sorted. The walk keeps an explicit stack (no recursion per level) and reaches directories
//! through a [`DirChain`] (a bounded number of open handles): a 20,000-level or
//! 200,000-file entry is collected like any other.

use std::os::unix::ffi::OsStrExt;

use super::{hex, Item};
use crate::classify::is_git_name;
use crate::error::{Error, Result};
use crate::fsx::{list_dir, meta_at, DirChain, Meta};
use crate::plan::Entry;
use crate::relpath::RelPath;
use crate::scan::EntryKind;

pub(super) struct Collector<'c> {
    pub chain: &'c mut DirChain,
    pub items: Vec<Item>,
}

fn comps(rel: &RelPath) -> Vec<&[u8]> {
    rel.as_bytes().split(|&b| b == b'/').collect()
}

impl Collector<'_> {
    /// The entry and everything below it, if it is still what the plan recorded (an entry that
    /// vanished or changed is not deleted either, so there is nothing of it to keep).
    pub fn add_entry(&mut self, e: &Entry) -> Result<()> {
        let rel = e
            .rel()
            .ok_or_else(|| Error::Usage(format!("{}: bad path in plan", e.path)))?;
        match self.stat(&rel)? {
            Some(m) if crate::apply::delete::identity_diff(e, &m, true).is_none() => {
                self.add_tree(rel, m)
            }
            _ => Ok(()),
        }
    }

    /// One file or symlink (not a directory); nothing when it is gone.
    pub fn add_file(&mut self, rel: &RelPath) -> Result<()> {
        match self.stat(rel)? {
            Some(m) if m.kind() != EntryKind::Dir => {
                let item = self.item(rel, &m)?;
                self.items.push(item);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn stat(&mut self, rel: &RelPath) -> Result<Option<Meta>> {
        let c = comps(rel);
        let err = |e| Error::io(rel.as_path(), e);
        let Some(dir) = self.chain.open(&c[..c.len() - 1], false).map_err(err)? else {
            return Ok(None);
        };
        meta_at(dir, c[c.len() - 1]).map_err(err)
    }

    /// `rel` (whose `statx` is `m`) and, for a directory, everything below it, depth first.
    fn add_tree(&mut self, rel: RelPath, m: Meta) -> Result<()> {
        let mut stack = vec![(rel, m)];
        while let Some((rel, m)) = stack.pop() {
            let item = self.item(&rel, &m)?;
            self.items.push(item);
            if m.kind() != EntryKind::Dir {
                continue;
            }
            let err = |e| Error::io(rel.as_path(), e);
            let dir = self
                .chain
                .open(&comps(&rel), false)
                .map_err(err)?
                .ok_or_else(|| err(std::io::ErrorKind::NotFound.into()))?;
            let names = list_dir(dir).map_err(err)?;
            let mut children = Vec::with_capacity(names.len());
            for (name, _) in names {
                if is_git_name(&name) {
                    continue;
                }
                let crel = rel.join(&name);
                match meta_at(dir, &name).map_err(|e| Error::io(crel.as_path(), e))? {
                    Some(cm) => children.push((crel, cm)),
                    None => continue,
                }
            }
            // Popped in name order: parents before children, siblings sorted.
            stack.extend(children.into_iter().rev());
        }
        Ok(())
    }

    fn item(&mut self, rel: &RelPath, m: &Meta) -> Result<Item> {
        let (path, path_hex) = rel.to_json_fields();
        let target_hex = if m.kind() == EntryKind::Symlink {
            let c = comps(rel);
            let err = |e| Error::io(rel.as_path(), e);
            let dir = self
                .chain
                .open(&c[..c.len() - 1], false)
                .map_err(err)?
                .ok_or_else(|| err(std::io::ErrorKind::NotFound.into()))?;
            let t = rustix::fs::readlinkat(
                dir,
                std::ffi::OsStr::from_bytes(c[c.len() - 1]),
                Vec::new(),
            )
            .map_err(|e| err(e.into()))?;
            Some(hex(t.as_bytes()))
        } else {
            None
        };
        Ok(Item {
            path,
            path_hex,
            kind: m.kind(),
            mode: m.id.mode & 0o7777,
            mtime_ns: m.id.mtime_ns,
            size: if m.kind() == EntryKind::File {
                m.id.size
            } else {
                0
            },
            ino: m.id.ino,
            ctime_ns: m.id.ctime_ns,
            blake3: None,
            target_hex,
        })
    }
}
