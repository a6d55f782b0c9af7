//! One build context: the files Docker would send for a context directory and a Dockerfile.
//!
//! Which ignore file applies: `<Dockerfile>.dockerignore` beside the Dockerfile, if it exists
//! (even empty), else `<context>/.dockerignore`; no other `.dockerignore` is ever read. The walk
//! follows fsutil: sorted, symlinks are entries (never followed), an excluded directory is not
//! entered unless an exception pattern names something below it, and a hard-linked inode is
//! sent once. The Dockerfile and the ignore file reach the builder even when excluded.

use std::collections::{HashMap, HashSet};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use super::ignore::DockerIgnore;
use crate::error::{Error, Result};
use rayon::prelude::*;

use crate::fsx::{list_dir, meta_at, open_dir, open_dir_at};
use crate::relpath::RelPath;
use crate::scan::EntryKind;

#[derive(Debug, Clone, serde::Serialize)]
pub struct SentFile {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    pub kind: EntryKind,
    pub bytes: u64,
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
    /// Files and symlinks sent, sorted by path.
    pub files: Vec<SentFile>,
    /// Bytes of everything sent (hard links once), the Dockerfile and ignore file included.
    pub total_bytes: u64,
    /// The directories holding the most bytes, largest first.
    pub largest_dirs: Vec<DirSize>,
    /// The Dockerfile and ignore file when the patterns exclude them: sent all the same.
    pub always_sent: Vec<String>,
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

/// One sent file, with its inode when it has other links (counted once, after the walk).
type Sent = (SentFile, Option<(u64, u64)>);

/// Walk `fd` (the directory `rel` of the context): files in order, subdirectories in parallel.
fn walk(ig: &DockerIgnore, fd: std::os::fd::BorrowedFd<'_>, rel: &RelPath) -> Result<Vec<Sent>> {
    let names = list_dir(fd).map_err(|e| Error::io(rel.as_path(), e))?;
    let mut out = Vec::new();
    let mut dirs = Vec::new();
    for (name, _) in names {
        let crel = rel.join(&name);
        let Some(m) = meta_at(fd, &name).map_err(|e| Error::io(crel.as_path(), e))? else {
            continue;
        };
        let excluded = ig.excluded(crel.as_bytes());
        match m.kind() {
            EntryKind::Dir if !(excluded && ig.skips_dir(crel.as_bytes())) => {
                dirs.push((name, crel))
            }
            EntryKind::Dir => {}
            kind if !excluded => {
                let (path, path_hex) = crel.to_json_fields();
                let link = (m.id.nlink > 1).then_some((m.id.dev, m.id.ino));
                out.push((
                    SentFile {
                        path,
                        path_hex,
                        kind,
                        bytes: m.id.size,
                    },
                    link,
                ));
            }
            _ => {}
        }
    }
    let subs: Vec<Result<Vec<Sent>>> = dirs
        .into_par_iter()
        .map(|(name, crel)| {
            let sub = open_dir_at(fd, &name).map_err(|e| Error::io(crel.as_path(), e))?;
            walk(ig, sub.as_fd(), &crel)
        })
        .collect();
    for s in subs {
        out.extend(s?);
    }
    Ok(out)
}

struct Done {
    files: Vec<SentFile>,
    total: u64,
}

/// Compute the context for `dir` built with `dockerfile` (both absolute or relative to the
/// current directory).
pub fn compute(dir: &Path, dockerfile: &Path, top: usize) -> Result<Context> {
    let ignore_file = ignore_file_for(dir, dockerfile);
    let ig = match &ignore_file {
        Some(p) => {
            let text = std::fs::read(p).map_err(|e| Error::io(p, e))?;
            DockerIgnore::parse(&String::from_utf8_lossy(&text), &p.display().to_string())?
        }
        None => DockerIgnore::default(),
    };
    let fd = open_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut sent = walk(&ig, fd.as_fd(), &RelPath::root())?;
    sent.sort_by(|a, b| {
        a.0.path
            .cmp(&b.0.path)
            .then_with(|| a.0.path_hex.cmp(&b.0.path_hex))
    });
    // A hard-linked inode is sent once: the first path in order carries its bytes.
    let mut seen = HashSet::new();
    let mut total = 0;
    let mut files = Vec::with_capacity(sent.len());
    for (mut f, link) in sent {
        if let Some(id) = link {
            if !seen.insert(id) {
                f.bytes = 0;
            }
        }
        total += f.bytes;
        files.push(f);
    }
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
    let mut by_dir: HashMap<Vec<u8>, (u64, u64)> = HashMap::new();
    for f in &w.files {
        let p = RelPath::from_json_fields(&f.path, f.path_hex.as_deref()).unwrap_or_default();
        let mut cur = p.parent();
        while let Some(d) = cur.filter(|d| !d.is_root()) {
            let e = by_dir.entry(d.as_bytes().to_vec()).or_default();
            e.0 += f.bytes;
            e.1 += 1;
            cur = d.parent();
        }
    }
    let mut largest: Vec<DirSize> = by_dir
        .into_iter()
        .map(|(p, (bytes, files))| DirSize {
            path: String::from_utf8_lossy(&p).into_owned(),
            bytes,
            files,
        })
        .collect();
    largest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    largest.truncate(top);
    Ok(Context {
        dir: dir.to_path_buf(),
        dockerfile: dockerfile.to_path_buf(),
        ignore_file,
        files: w.files,
        total_bytes: w.total,
        largest_dirs: largest,
        always_sent,
    })
}

/// A build context's size now, and after the plan's deletions and the new ignore files.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Forecast {
    pub name: String,
    pub files_before: u64,
    pub bytes_before: u64,
    pub files_after: u64,
    pub bytes_after: u64,
}

/// What each build would send after deleting `deleted` (root-relative paths) and with
/// `ignore_after` (the rendered ignore file for that build, if it changes).
pub fn forecast(
    root: &Path,
    build: &super::Build,
    deleted: &[RelPath],
    ignore_after: Option<&str>,
) -> Result<Forecast> {
    let ctx = compute(&build.context, &build.dockerfile, 0)?;
    let prefix = build
        .context
        .strip_prefix(root)
        .ok()
        .map(|p| RelPath::from_bytes(p.as_os_str().as_encoded_bytes()));
    let ig = match ignore_after {
        Some(t) => Some(DockerIgnore::parse(t, "new .dockerignore")?),
        None => None,
    };
    let (mut files_after, mut bytes_after) = (0, 0);
    for f in &ctx.files {
        let sent = RelPath::from_json_fields(&f.path, f.path_hex.as_deref()).unwrap_or_default();
        let full = match &prefix {
            Some(p) if !p.is_root() => p.join(sent.as_bytes()),
            _ => sent.clone(),
        };
        if deleted.iter().any(|d| full.starts_with(d))
            || ig.as_ref().is_some_and(|ig| ig.excluded(sent.as_bytes()))
        {
            continue;
        }
        files_after += 1;
        bytes_after += f.bytes;
    }
    Ok(Forecast {
        name: build.name.clone(),
        files_before: ctx.files.len() as u64,
        bytes_before: ctx.total_bytes,
        files_after,
        bytes_after,
    })
}
