//! One build context: the files Docker would send for a context directory and a Dockerfile.
//!
//! Which ignore file applies: `<Dockerfile>.dockerignore` beside the Dockerfile, if it exists
//! (even empty), else `<context>/.dockerignore`; no other `.dockerignore` is ever read. The walk
//! follows fsutil: sorted, symlinks are entries (never followed), an excluded directory is not
//! entered unless an exception pattern names something below it, and a hard-linked inode is
//! sent once. The Dockerfile and the ignore file reach the builder even when excluded.

use std::collections::HashSet;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use super::files::{rel_in, Source};
pub use super::forecast::{forecast, forecast_from, Forecast};
use super::ignore::DockerIgnore;
use crate::error::{Error, Result};

use crate::fsx::open_dir;
use crate::relpath::RelPath;
use crate::scan::EntryKind;

/// A file the context sends. Kept as its raw path (one allocation per file: contexts hold tens
/// of thousands); the JSON form is the plan's (`path`, and `path_hex` when not UTF-8).
#[derive(Debug, Clone)]
pub struct SentFile {
    pub path: RelPath,
    pub kind: EntryKind,
    pub bytes: u64,
}

impl serde::Serialize for SentFile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (path, hex) = self.path.to_json_fields();
        let mut st = s.serialize_struct("SentFile", 3 + usize::from(hex.is_some()))?;
        st.serialize_field("path", &path)?;
        if let Some(hex) = hex {
            st.serialize_field("path_hex", &hex)?;
        }
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("bytes", &self.bytes)?;
        st.end()
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DirSize {
    pub path: String,
    pub bytes: u64,
    pub files: u64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Context {
    pub dir: PathBuf,
    pub dockerfile: PathBuf,
    /// The ignore file in force, if any.
    pub ignore_file: Option<PathBuf>,
    /// Files and symlinks sent, sorted by path as plans are (component by component: `a/b`
    /// before `a-b`).
    pub files: Vec<SentFile>,
    /// Bytes of everything sent (hard links once), the Dockerfile and ignore file included.
    pub total_bytes: u64,
    /// The directories holding the most bytes, largest first.
    pub largest_dirs: Vec<DirSize>,
    /// The Dockerfile and ignore file when the patterns exclude them: sent all the same.
    pub always_sent: Vec<String>,
    /// The ignore file as parsed (empty without one), for callers that check its patterns.
    #[serde(skip)]
    pub ignore: DockerIgnore,
    /// Which Docker's walk computed it, and why that one.
    pub walk: super::walk::Chosen,
    /// Bytes the built stage's COPY/ADD layers take from the context ([`super::image`]); `None`
    /// when the Dockerfile cannot be read.
    pub image_bytes: Option<u64>,
}

/// The ignore file Docker reads for this Dockerfile and context.
pub fn ignore_file_for(dir: &Path, dockerfile: &Path) -> Option<PathBuf> {
    let name = dockerfile.file_name()?;
    let per = dockerfile.with_file_name(format!("{}.dockerignore", name.to_string_lossy()));
    if per.symlink_metadata().is_ok() {
        return Some(per);
    }
    let root = dir.join(".dockerignore");
    root.symlink_metadata().is_ok().then_some(root)
}

/// The ignore file Docker reads for this Dockerfile and context, if any, parsed; one over `max`
/// bytes is an error.
pub fn read_ignore(
    dir: &Path,
    dockerfile: &Path,
    max: u64,
) -> Result<(Option<PathBuf>, DockerIgnore)> {
    let ignore_file = ignore_file_for(dir, dockerfile);
    let ig = match &ignore_file {
        Some(p) => {
            // Docker follows a linked `.dockerignore`; a FIFO or a huge file is an error here.
            let text = crate::fsx::read_regular(p, max, true)?
                .ok_or_else(|| Error::io(p, std::io::ErrorKind::NotFound.into()))?;
            DockerIgnore::parse(&String::from_utf8_lossy(&text), &p.display().to_string())?
        }
        None => DockerIgnore::default(),
    };
    Ok((ignore_file, ig))
}

struct Done {
    files: Vec<SentFile>,
    total: u64,
}

/// Compute the context for `dir` built with `dockerfile` (both absolute or relative to the
/// current directory); the image estimate is the stage `target`'s (default: the last).
pub fn compute(dir: &Path, dockerfile: &Path, target: Option<&str>, top: usize) -> Result<Context> {
    compute_in(Source::Disk, dir, dockerfile, target, top)
}

/// [`compute`], reading the files from `src`.
pub fn compute_in(
    src: Source<'_>,
    dir: &Path,
    dockerfile: &Path,
    target: Option<&str>,
    top: usize,
) -> Result<Context> {
    let (ignore_file, ig) = read_ignore(dir, dockerfile, crate::limits::MAX_IGNORE_BYTES)?;
    let scanned = match src {
        Source::Scan {
            root,
            listing,
            holes,
        } => rel_in(root, dir)
            // A context inside something the scan did not list is walked whole.
            .filter(|p| !listing.unlisted.iter().any(|u| p.starts_with(u)))
            .map(|p| (p, listing, holes)),
        Source::Disk => None,
    };
    let mut sent = match scanned {
        Some((prefix, listing, holes)) => {
            super::listed::from_listing(&ig, dir, &prefix, listing, holes)?
        }
        None => {
            let fd = open_dir(dir).map_err(|e| Error::io(dir, e))?;
            walk(&ig, fd.as_fd(), &RelPath::root())?
        }
    };
    // In the plan's order (component by component): a directory's files are one run (what
    // `dir_sizes` needs). The listing and a walk give it so, or runs of it.
    let order = |a: &Sent, b: &Sent| a.0.path.cmp(&b.0.path);
    if !sent.is_sorted_by(|a, b| order(a, b).is_le()) {
        // Sorted runs (the listing's, each shared walk's): a stable sort merges them.
        sent.sort_by(order);
    }
    // A hard-linked inode is sent once: the first path in order carries its bytes.
    let mut seen = HashSet::new();
    let mut total = 0;
    let files: Vec<SentFile> = sent
        .into_iter()
        .map(|(mut f, link)| {
            if link.is_some_and(|id| !seen.insert(id)) {
                f.bytes = 0;
            }
            total += f.bytes;
            f
        })
        .collect();
    let mut w = Done { files, total };
    let mut always_sent = Vec::new();
    for special in [Some(dockerfile.to_path_buf()), ignore_file.clone()]
        .into_iter()
        .flatten()
    {
        if let Ok(rel) = special.strip_prefix(dir) {
            let bytes = rel.as_os_str().as_encoded_bytes();
            if ig.excluded(bytes) {
                w.total += special.symlink_metadata().map(|m| m.len()).unwrap_or(0);
                always_sent.push(rel.display().to_string());
            }
        }
    }
    let mut largest = if top == 0 {
        Vec::new()
    } else {
        dir_sizes(&w.files)
    };
    largest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    largest.truncate(top);
    let image_bytes = image_of(dir, dockerfile, target, w.files.iter());
    Ok(Context {
        dir: dir.to_path_buf(),
        dockerfile: dockerfile.to_path_buf(),
        ignore_file,
        files: w.files,
        total_bytes: w.total,
        largest_dirs: largest,
        always_sent,
        ignore: ig,
        walk: super::walk::reported(),
        image_bytes,
    })
}

/// Bytes and files per directory of `files` (sorted by path, so each directory's files are
/// one run): a stack of the open ancestors, each closed when the run leaves it.
fn dir_sizes(files: &[SentFile]) -> Vec<DirSize> {
    let mut out = Vec::new();
    // (length of the directory's path in `cur`, bytes, files)
    let mut open: Vec<(usize, u64, u64)> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let close = |open: &mut Vec<(usize, u64, u64)>, cur: &[u8], out: &mut Vec<DirSize>| {
        let (len, bytes, files) = open.pop().expect("an open directory");
        out.push(DirSize {
            path: String::from_utf8_lossy(&cur[..len]).into_owned(),
            bytes,
            files,
        });
    };
    for f in files {
        let p = f.path.as_bytes();
        let dir = crate::relpath::parent_of(p);
        // Close what this file is not under.
        while let Some(&(len, ..)) = open.last() {
            let under = crate::relpath::within(dir, &cur[..len]);
            if under {
                break;
            }
            close(&mut open, &cur, &mut out);
        }
        // Open its directories below the deepest one still open.
        let from = open.last().map_or(0, |o| o.0 + 1);
        cur.clear();
        cur.extend_from_slice(dir);
        if dir.len() >= from {
            for (i, &c) in dir.iter().enumerate().skip(from) {
                if c == b'/' {
                    open.push((i, 0, 0));
                }
            }
            if !dir.is_empty() {
                open.push((dir.len(), 0, 0));
            }
        }
        for o in &mut open {
            o.1 += f.bytes;
            o.2 += 1;
        }
    }
    while !open.is_empty() {
        close(&mut open, &cur, &mut out);
    }
    out
}

/// What the stage `target` (default: the last) of the Dockerfile at `dockerfile` copies into
/// its image from these sent files.
pub(super) fn image_of<'a>(
    dir: &Path,
    dockerfile: &Path,
    target: Option<&str>,
    files: impl Iterator<Item = &'a SentFile> + Clone,
) -> Option<u64> {
    let text = crate::fsx::read_text(dockerfile, crate::limits::MAX_BUILD_FILE_BYTES)?;
    // Paths as text, borrowed: only a name that is not UTF-8 is copied, lossily, first.
    let text_of = |f: &'a SentFile| std::str::from_utf8(f.path.as_bytes());
    let lossy: Vec<String> = (files.clone())
        .filter(|f| text_of(f).is_err())
        .map(|f| String::from_utf8_lossy(f.path.as_bytes()).into_owned())
        .collect();
    let mut lossy = lossy.iter();
    let files: Vec<(&str, u64)> = files
        .map(|f| {
            let p = text_of(f).unwrap_or_else(|_| lossy.next().expect("counted above"));
            (p, f.bytes)
        })
        .collect();
    super::image::image_bytes(&text, target, Some(dir), &files)
}

#[path = "context_walk.rs"]
mod context_walk;
use context_walk::walk;
pub(super) use context_walk::{sent, step, walk_chunks, Sent, Step};

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
