//! The archive: written (tar + zstd, every file read through a handle that must still be the
//! inode the collector recorded), fsynced, renamed into place, then read back and checked
//! member by member against the manifest. Reading and writing hold one file open at a time.

use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::{hex, io_err, load_manifest, Item, Manifest, RootId, ARCHIVE, FORMAT, MANIFEST};
use crate::classify::BACKUP_MARKER;
use crate::error::{Error, Result};
use crate::fsx::{fstatx, DirChain, Meta};
use crate::relpath::RelPath;
use crate::scan::EntryKind;

/// Reader that hashes what passes through and counts it.
pub(in crate::apply) struct Hashing<R> {
    pub(in crate::apply) inner: R,
    pub(in crate::apply) hasher: blake3::Hasher,
    pub(in crate::apply) n: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.hasher.update(&buf[..k]);
        self.n += k as u64;
        Ok(k)
    }
}

fn fsync_dir(p: &Path) -> std::io::Result<()> {
    std::fs::File::open(p)?.sync_all()
}

/// What the manifest says besides its items.
pub(super) struct Header<'a> {
    pub id: &'a str,
    pub created: &'a str,
    pub root_path: &'a Path,
    pub root_id: RootId,
    pub plan_body_hash: &'a str,
}

pub(super) fn write_and_verify(
    dir: &Path,
    head: &Header,
    chain: &mut DirChain,
    items: Vec<Item>,
) -> Result<Manifest> {
    std::fs::write(dir.join(BACKUP_MARKER), b"mami-clean backup\n").map_err(io_err(dir))?;
    let tmp = dir.join(format!("{ARCHIVE}.tmp"));
    let file = std::fs::File::create(&tmp).map_err(io_err(&tmp))?;
    let mut enc = zstd::Encoder::new(file, 3).map_err(io_err(&tmp))?;
    enc.include_checksum(true).map_err(io_err(&tmp))?;
    let mut tar = tar::Builder::new(enc);
    tar.follow_symlinks(false);
    let mut out = Vec::with_capacity(items.len());
    for mut item in items {
        let rel = item.rel().expect("collector made it");
        let mut h = tar::Header::new_gnu();
        h.set_mode(item.mode);
        h.set_mtime(u64::try_from(item.mtime_ns.div_euclid(1_000_000_000)).unwrap_or(0));
        match item.kind {
            EntryKind::File => {
                let fd = open_same(chain, &rel, &item)?;
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(item.size);
                let mut r = Hashing {
                    inner: fd.take(item.size),
                    hasher: blake3::Hasher::new(),
                    n: 0,
                };
                tar.append_data(&mut h, rel.as_path(), &mut r)
                    .map_err(io_err(&tmp))?;
                if r.n != item.size {
                    return Err(Error::Usage(format!(
                        "{}: changed size while being backed up; nothing was deleted",
                        rel.display()
                    )));
                }
                item.blake3 = Some(r.hasher.finalize().to_hex().to_string());
            }
            EntryKind::Symlink => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                let target =
                    RelPath::from_hex(item.target_hex.as_deref().unwrap_or("")).unwrap_or_default();
                tar.append_link(&mut h, rel.as_path(), target.as_path())
                    .map_err(io_err(&tmp))?;
            }
            EntryKind::Dir => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_size(0);
                tar.append_data(&mut h, rel.as_path(), std::io::empty())
                    .map_err(io_err(&tmp))?;
            }
            // FIFOs, sockets, devices: recorded in the manifest only.
            EntryKind::Other => {}
        }
        out.push(item);
        crate::apply::failpoint("backup-after-item", out.len());
    }
    let enc = tar.into_inner().map_err(io_err(&tmp))?;
    let file = enc.finish().map_err(io_err(&tmp))?;
    file.sync_all().map_err(io_err(&tmp))?;
    drop(file);
    let archive = dir.join(ARCHIVE);
    std::fs::rename(&tmp, &archive).map_err(io_err(&archive))?;
    let archive_blake3 = hash_file(&archive)?;
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: 1,
        id: head.id.into(),
        created: head.created.into(),
        root: head.root_path.display().to_string(),
        root_id: Some(head.root_id),
        plan_body_hash: head.plan_body_hash.into(),
        archive_blake3,
        items: out,
    };
    let mpath = dir.join(MANIFEST);
    let mtmp = dir.join(format!("{MANIFEST}.tmp"));
    {
        let mut f = std::fs::File::create(&mtmp).map_err(io_err(&mtmp))?;
        f.write_all(
            &serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Usage(e.to_string()))?,
        )
        .map_err(io_err(&mtmp))?;
        f.sync_all().map_err(io_err(&mtmp))?;
    }
    std::fs::rename(&mtmp, &mpath).map_err(io_err(&mpath))?;
    fsync_dir(dir).map_err(io_err(dir))?;
    verify(dir)?;
    Ok(manifest)
}

pub(super) fn hash_file(p: &Path) -> Result<String> {
    let mut h = blake3::Hasher::new();
    let mut f = std::fs::File::open(p).map_err(io_err(p))?;
    std::io::copy(&mut f, &mut h).map_err(io_err(p))?;
    Ok(h.finalize().to_hex().to_string())
}

/// Read the archive back and check every member against the manifest.
pub fn verify(dir: &Path) -> Result<Manifest> {
    let m = load_manifest(dir)?;
    let archive = dir.join(ARCHIVE);
    let bad = |msg: String| {
        Error::Usage(format!(
            "backup {} failed verification: {msg}",
            dir.display()
        ))
    };
    if hash_file(&archive)? != m.archive_blake3 {
        return Err(bad("the archive's hash differs from the manifest's".into()));
    }
    let f = std::fs::File::open(&archive).map_err(io_err(&archive))?;
    let dec = zstd::Decoder::new(f).map_err(io_err(&archive))?;
    let mut ar = tar::Archive::new(dec);
    let mut want = m.items.iter().filter(|i| i.kind != EntryKind::Other);
    for entry in ar.entries().map_err(io_err(&archive))? {
        let mut entry = entry.map_err(|e| bad(e.to_string()))?;
        let item = want
            .next()
            .ok_or_else(|| bad("more members than the manifest lists".into()))?;
        let path = entry.path_bytes().into_owned();
        let member = RelPath::from_bytes(path.strip_suffix(b"/").unwrap_or(&path).to_vec());
        if Some(member.clone()) != item.rel() {
            return Err(bad(format!(
                "member `{}` where the manifest has `{}`",
                member.display(),
                item.path
            )));
        }
        match item.kind {
            EntryKind::File => {
                let mut h = blake3::Hasher::new();
                let n = std::io::copy(&mut entry, &mut h).map_err(|e| bad(e.to_string()))?;
                if n != item.size || Some(h.finalize().to_hex().to_string()) != item.blake3 {
                    return Err(bad(format!("`{}`: content differs", item.path)));
                }
            }
            EntryKind::Symlink => {
                let t = entry.link_name_bytes().map(|t| hex(&t)).unwrap_or_default();
                if Some(t) != item.target_hex {
                    return Err(bad(format!("`{}`: symlink target differs", item.path)));
                }
            }
            _ => {}
        }
    }
    if want.next().is_some() {
        return Err(bad(
            "the archive ends before the manifest does (truncated?)".into(),
        ));
    }
    Ok(m)
}

/// The file `item` records, opened through the chain without following links: it must still
/// be the same inode, unchanged (ctime, size) since it was recorded.
fn open_same(chain: &mut DirChain, rel: &RelPath, item: &Item) -> Result<std::fs::File> {
    let comps: Vec<&[u8]> = rel.as_bytes().split(|&b| b == b'/').collect();
    let err = |e| Error::io(rel.as_path(), e);
    let dir = chain
        .open(&comps[..comps.len() - 1], false)
        .map_err(err)?
        .ok_or_else(|| err(std::io::ErrorKind::NotFound.into()))?;
    let fd = rustix::fs::openat(
        dir,
        std::ffi::OsStr::from_bytes(comps[comps.len() - 1]),
        rustix::fs::OFlags::RDONLY
            | rustix::fs::OFlags::NOFOLLOW
            | rustix::fs::OFlags::CLOEXEC
            | rustix::fs::OFlags::NONBLOCK,
        rustix::fs::Mode::empty(),
    )
    .map_err(|e| err(e.into()))?;
    let now = Meta::from_statx(&fstatx(fd.as_fd()).map_err(err)?);
    if now.id.ino != item.ino || now.id.ctime_ns != item.ctime_ns || now.id.size != item.size {
        return Err(Error::Usage(format!(
            "{}: changed while being backed up; nothing was deleted",
            rel.display()
        )));
    }
    Ok(std::fs::File::from(fd))
}
