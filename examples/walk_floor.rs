//! The floor under `plan`'s walk on this machine: list every directory with `getdents64` from
//! the handle that opened it and `statx` every entry by name, on the same thread pool size,
//! and do nothing else (no names kept, no classification, no git). `bench/run.sh` times it next
//! to diskus and `plan`: what `plan` can gain on diskus is at most what this floor gains.
//!
//!     cargo run --release --example walk_floor -- DIR

use std::ffi::CString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rayon::prelude::*;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, RawDir, StatxFlags};

#[derive(Default, Clone, Copy)]
struct Sum {
    bytes: u64,
    entries: u64,
}

fn open_dir(parent: BorrowedFd<'_>, name: &CString) -> Option<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::openat(parent, name.as_c_str(), flags, Mode::empty()).ok()
}

fn walk(fd: OwnedFd) -> Sum {
    let mut sum = Sum::default();
    let mut subdirs = Vec::new();
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut dir = RawDir::new(fd.as_fd(), buf.spare_capacity_mut());
    while let Some(Ok(e)) = dir.next() {
        let name = e.file_name();
        if name.to_bytes() == b"." || name.to_bytes() == b".." {
            continue;
        }
        let flags = AtFlags::SYMLINK_NOFOLLOW;
        let Ok(st) = rustix::fs::statx(fd.as_fd(), name, flags, StatxFlags::BASIC_STATS) else {
            continue;
        };
        sum.bytes += st.stx_size;
        sum.entries += 1;
        if FileType::from_raw_mode(st.stx_mode.into()) == FileType::Directory {
            subdirs.push(name.to_owned());
        }
    }
    let below = subdirs
        .par_iter()
        .filter_map(|n| open_dir(fd.as_fd(), n))
        .map(walk)
        .reduce(Sum::default, |a, b| Sum {
            bytes: a.bytes + b.bytes,
            entries: a.entries + b.entries,
        });
    Sum {
        bytes: sum.bytes + below.bytes,
        entries: sum.entries + below.entries,
    }
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let fd = rustix::fs::open(dir.as_str(), flags, Mode::empty()).expect("open the directory");
    let s = walk(fd);
    println!("{} entries, {} bytes (apparent)", s.entries, s.bytes);
}
