//! Snapshots of a tree (to prove what an operation changed and what it left alone) and runs
//! of the binary with the user's data and state directories inside the test's temp dir.

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Output;

use super::bin;

/// Run with XDG dirs inside the test's temp dir, so nothing lands in the real home.
pub fn run_in(xdg: &Path, root: &Path, args: &[&str]) -> Output {
    bin()
        .env("XDG_DATA_HOME", xdg.join("data"))
        .env("XDG_STATE_HOME", xdg.join("state"))
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// path → (kind, mode, size, mtime, content hash or link target), for files and symlinks.
pub type Snap = BTreeMap<Vec<u8>, (char, u32, u64, i64, String)>;

/// Walked through directory handles, so paths longer than PATH_MAX are snapshotted too.
pub fn snap(root: &Path) -> Snap {
    use rustix::fs::{openat, statx, AtFlags, Dir, FileType, Mode, OFlags, StatxFlags};
    fn walk(fd: std::os::fd::OwnedFd, rel: Vec<u8>, out: &mut Snap) {
        let mut names = Vec::new();
        let mut d = Dir::read_from(&fd).unwrap();
        while let Some(e) = d.read() {
            let n = e.unwrap().file_name().to_bytes().to_vec();
            if n != b"." && n != b".." {
                names.push(n);
            }
        }
        for n in names {
            let name = std::ffi::OsStr::from_bytes(&n);
            let st = statx(
                &fd,
                name,
                AtFlags::SYMLINK_NOFOLLOW,
                StatxFlags::BASIC_STATS,
            )
            .unwrap();
            let path = if rel.is_empty() {
                n.clone()
            } else {
                [&rel[..], b"/", &n[..]].concat()
            };
            let mode = u32::from(st.stx_mode);
            let meta = (mode, st.stx_size, st.stx_mtime.tv_sec);
            match FileType::from_raw_mode(mode) {
                FileType::Directory if n != b".git" => {
                    let sub = openat(
                        &fd,
                        name,
                        OFlags::DIRECTORY | OFlags::NOFOLLOW,
                        Mode::empty(),
                    );
                    walk(sub.unwrap(), path, out);
                }
                FileType::Directory => {}
                FileType::Symlink => {
                    let t = rustix::fs::readlinkat(&fd, name, Vec::new()).unwrap();
                    let t = String::from_utf8_lossy(t.as_bytes()).into_owned();
                    out.insert(path, ('l', meta.0, meta.1, meta.2, t));
                }
                FileType::Fifo
                | FileType::Socket
                | FileType::CharacterDevice
                | FileType::BlockDevice => {
                    out.insert(path, ('s', meta.0, meta.1, meta.2, String::new()));
                }
                _ => {
                    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK;
                    let f = openat(&fd, name, flags, Mode::empty());
                    let mut h = blake3::Hasher::new();
                    std::io::copy(&mut std::fs::File::from(f.unwrap()), &mut h).unwrap();
                    let h = h.finalize().to_hex().to_string();
                    out.insert(path, ('f', meta.0, meta.1, meta.2, h));
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    let fd = rustix::fs::open(root, OFlags::DIRECTORY | OFlags::RDONLY, Mode::empty()).unwrap();
    walk(fd, Vec::new(), &mut out);
    out
}
