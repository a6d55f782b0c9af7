//! Every file mami-clean writes (its config, ignore files, the gate's baseline, plan files,
//! the journal, lock and plan copy in its state directory, the trust list) is written here,
//! the same way: relative to a directory handle reached without following links, as a new
//! file under a temporary name (`O_CREAT|O_EXCL|O_NOFOLLOW`), fsynced, then renamed over its
//! place. A symlink or special file at the place is refused, never written through or over:
//! a committed `mami-clean.toml -> ../../home/.profile` or a `.git/mami-clean/journal.jsonl`
//! planted as a link in a tarball stays as it is, and nothing outside is touched.
//!
//! Where: [`Place::below`] takes a base directory the caller trusts (the repository's root as
//! git resolved it, its git directory, the user's data directory) and a relative path whose
//! every component is opened with `O_NOFOLLOW`; so a file "in the repository" cannot be
//! reached through a symlinked directory that leads out of it.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, Mode, OFlags};

use super::{fstatx, meta_at, open_dir, open_dir_at, Meta};
use crate::entry::EntryKind;
use crate::error::{Error, Result};
use crate::relpath::RelPath;

/// A file's place: its directory, open, and its name there.
pub struct Place {
    dir: OwnedFd,
    name: OsString,
    /// The path shown in messages.
    shown: PathBuf,
}

fn refuse(p: &Path, what: &str) -> Error {
    Error::Usage(format!(
        "{}: {what}; mami-clean writes only regular files, never through or over a link, and only inside the directory it was given",
        p.display()
    ))
}

impl Place {
    /// `rel` below the directory `base` (opened as named: the caller trusts it), each of
    /// `rel`'s directories opened without following links; missing ones are created when
    /// `create_dirs`.
    pub fn below(base: &Path, rel: &RelPath, create_dirs: bool) -> Result<Place> {
        let shown = rel.under(base);
        let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
        let (dirs, name) = comps.split_at(comps.len() - 1);
        if rel.is_root()
            || comps
                .iter()
                .any(|c| c.is_empty() || *c == b"." || *c == b"..")
        {
            return Err(refuse(&shown, "not a plain relative path"));
        }
        let mut dir = open_dir(base).map_err(|e| Error::io(base, e))?;
        for c in dirs {
            let next = match open_dir_at(dir.as_fd(), c) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && create_dirs => {
                    match rustix::fs::mkdirat(
                        &dir,
                        OsStr::from_bytes(c),
                        Mode::from_raw_mode(0o777),
                    ) {
                        Ok(()) | Err(rustix::io::Errno::EXIST) => open_dir_at(dir.as_fd(), c),
                        Err(e) => Err(e.into()),
                    }
                }
                r => r,
            };
            dir = next.map_err(|e| match rustix::io::Errno::from_io_error(&e) {
                Some(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => {
                    refuse(&shown, "a directory on the way is a symlink or a file")
                }
                _ => Error::io(&shown, e),
            })?;
        }
        Ok(Place {
            dir,
            name: OsStr::from_bytes(name[0]).to_os_string(),
            shown,
        })
    }

    /// `path` as named (its directory's path is the caller's or the user's word); the file
    /// itself is never a link.
    pub fn at(path: &Path, create_dirs: bool) -> Result<Place> {
        let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
        let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
            return Err(refuse(path, "not a file path"));
        };
        if create_dirs {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        Place::below(parent, &RelPath::from_bytes(name.as_bytes()), false)
    }

    /// A path the user named (`plan --out FILE`): inside the tree at `root` it is reached from
    /// the root without following links ([`Place::below`]), elsewhere (or spelled with `..`)
    /// as named ([`Place::at`]).
    pub fn named(root: &Path, path: &Path, create_dirs: bool) -> Result<Place> {
        let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
        let plain = |rel: &Path| {
            rel.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        };
        match abs.strip_prefix(root) {
            Ok(rel) if !rel.as_os_str().is_empty() && plain(rel) => Place::below(
                root,
                &RelPath::from_bytes(rel.as_os_str().as_bytes()),
                create_dirs,
            ),
            _ => Place::at(&abs, create_dirs),
        }
    }

    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// What is at the place now: nothing, or a regular file (anything else is refused).
    pub fn existing(&self) -> Result<Option<Meta>> {
        match meta_at(self.dir.as_fd(), self.name.as_bytes())
            .map_err(|e| Error::io(&self.shown, e))?
        {
            None => Ok(None),
            Some(m) if m.kind() == EntryKind::File => Ok(Some(m)),
            Some(m) if m.kind() == EntryKind::Symlink => Err(refuse(&self.shown, "a symlink")),
            Some(_) => Err(refuse(&self.shown, "not a regular file")),
        }
    }

    /// The regular file's content, `None` when nothing is there; more than `max` bytes is an
    /// error naming the file. Opened without following links and without blocking (a FIFO
    /// named like the file never hangs the reader), and checked to be a regular file by its
    /// handle.
    pub fn read(&self, max: u64) -> Result<Option<Vec<u8>>> {
        let fd = match rustix::fs::openat(
            &self.dir,
            self.name.as_os_str(),
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::NOENT) => return Ok(None),
            Err(rustix::io::Errno::LOOP) => return Err(refuse(&self.shown, "a symlink")),
            Err(e) => return Err(Error::io(&self.shown, e.into())),
        };
        let m = Meta::from_statx(&fstatx(fd.as_fd()).map_err(|e| Error::io(&self.shown, e))?);
        if m.kind() != EntryKind::File {
            return Err(refuse(&self.shown, "not a regular file"));
        }
        if m.id.size > max {
            return Err(Error::Usage(format!(
                "{}: {} bytes is more than mami-clean reads of such a file ({} bytes)",
                self.shown.display(),
                m.id.size,
                max
            )));
        }
        let mut buf = Vec::with_capacity(m.id.size as usize);
        std::fs::File::from(fd)
            .take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(&self.shown, e))?;
        if buf.len() as u64 > max {
            return Err(Error::Usage(format!(
                "{}: grew past {max} bytes while being read",
                self.shown.display()
            )));
        }
        Ok(Some(buf))
    }

    /// Replace the file with `content`, atomically: mode `mode`, else the old file's, else
    /// 0644. A symlink or special file in its place is refused.
    pub fn replace(&self, content: &[u8], mode: Option<u32>) -> Result<()> {
        let old = self.existing()?;
        let mode = mode.or(old.map(|m| m.id.mode & 0o7777)).unwrap_or(0o644);
        let (file, tmp) = self.create_temp(mode)?;
        let done = (|| -> std::io::Result<()> {
            let mut f = file;
            f.write_all(content)?;
            f.sync_all()?;
            Ok(())
        })();
        self.commit(done, &tmp)
    }

    /// A new empty file under a temporary name in the place's directory, for the caller to
    /// fill, then [`Place::commit`] renames it over the place.
    pub fn create_temp(&self, mode: u32) -> Result<(std::fs::File, OsString)> {
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut tmp = OsString::from(".");
        tmp.push(&self.name);
        tmp.push(format!(
            ".mami-tmp.{}.{}",
            std::process::id(),
            SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        // A long name plus the suffix could pass NAME_MAX: then a short one.
        if tmp.len() > 200 {
            tmp = OsString::from(format!(".mami-tmp.{}", std::process::id()));
        }
        let fd = rustix::fs::openat(
            &self.dir,
            tmp.as_os_str(),
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        )
        .map_err(|e| Error::io(&self.shown, e.into()))?;
        rustix::fs::fchmod(&fd, Mode::from_raw_mode(mode))
            .map_err(|e| Error::io(&self.shown, e.into()))?;
        Ok((std::fs::File::from(fd), tmp))
    }

    /// After the temporary file was written (`done`), rename it over the place and make the
    /// rename durable; on any error the temporary file is removed.
    pub fn commit(&self, done: std::io::Result<()>, tmp: &OsStr) -> Result<()> {
        let res = done.and_then(|()| {
            // The place may have become a link meanwhile: never renamed over.
            self.existing().map_err(std::io::Error::other)?;
            rustix::fs::renameat(&self.dir, tmp, &self.dir, self.name.as_os_str())?;
            rustix::fs::fsync(&self.dir)?;
            Ok(())
        });
        res.map_err(|e| {
            let _ = rustix::fs::unlinkat(&self.dir, tmp, AtFlags::empty());
            Error::io(&self.shown, e)
        })
    }

    /// Open the file for appending and locking, creating it (mode 0600) if missing; never a
    /// link.
    pub fn open_rw(&self) -> Result<std::fs::File> {
        self.existing()?;
        let fd = rustix::fs::openat(
            &self.dir,
            self.name.as_os_str(),
            OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        )
        .map_err(|e| Error::io(&self.shown, e.into()))?;
        Ok(std::fs::File::from(fd))
    }

    /// Remove the file if it is there (never a directory).
    pub fn remove(&self) -> Result<()> {
        match rustix::fs::unlinkat(&self.dir, self.name.as_os_str(), AtFlags::empty()) {
            Ok(()) | Err(rustix::io::Errno::NOENT) => Ok(()),
            Err(e) => Err(Error::io(&self.shown, e.into())),
        }
    }
}
