//! A context read from the scan's listing instead of a walk of its own, and the directories the
//! scan did not list (dependency trees it only sized or did not size at all, `.git`) walked once
//! per process and shared: two compose services building from `.` and a third from `ui-new`
//! all read `ui-new/node_modules` from that one walk, each through its own `.dockerignore`.

use std::collections::HashMap;
use std::os::fd::AsFd;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::context::{sent, step, walk, Sent, Step};
use super::ignore::{DirHits, DockerIgnore};
use crate::error::{Error, Result};
use crate::fsx::{meta_at, open_dir, open_dir_at};
use crate::relpath::{parent_of, within, RelPath};
use crate::scan::Listing;

/// Unlisted directories walked so far, by path from the root: every file below each, with no
/// ignore file applied (each context applies its own).
#[derive(Default)]
pub struct Holes(Mutex<HashMap<RelPath, Arc<Vec<Sent>>>>);

impl Holes {
    /// The files below `hole` (root-relative), paths relative to it; walked on first use.
    fn files(
        &self,
        hole: &RelPath,
        open: impl FnOnce() -> Result<Vec<Sent>>,
    ) -> Result<Arc<Vec<Sent>>> {
        if let Some(f) = self.lock().get(hole) {
            return Ok(f.clone());
        }
        let f = Arc::new(open()?);
        self.lock().insert(hole.clone(), f.clone());
        Ok(f)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RelPath, Arc<Vec<Sent>>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Directories decided, by path.
type Memo = foldhash::HashMap<Vec<u8>, bool>;

/// Whether Docker does not enter the context directory `d` (it, or a directory above it, is
/// excluded with no exception below it).
fn is_skipped(ig: &DockerIgnore, memo: &mut Memo, d: &[u8]) -> bool {
    if d.is_empty() {
        return false;
    }
    if let Some(&v) = memo.get(d) {
        return v;
    }
    let v = is_skipped(ig, memo, parent_of(d)) || (ig.excluded(d) && ig.skips_dir(d));
    memo.insert(d.to_vec(), v);
    v
}

/// Docker's verdict on files met in directory order: a file is sent unless excluded or below
/// a directory Docker does not enter. Each directory is decided once: the open directories
/// are a stack, as the sorted listing returns to a directory after each subdirectory's files.
struct Filter<'a> {
    ig: &'a DockerIgnore,
    skipped: Memo,
    open: Vec<(Vec<u8>, bool, DirHits)>,
}

impl<'a> Filter<'a> {
    fn new(ig: &'a DockerIgnore) -> Filter<'a> {
        Filter {
            ig,
            skipped: Memo::default(),
            open: Vec::new(),
        }
    }

    /// Is the file at context-relative `rel` sent?
    fn sends(&mut self, rel: &[u8]) -> bool {
        let parent = parent_of(rel);
        while self.open.last().is_some_and(|(d, ..)| !within(parent, d)) {
            self.open.pop();
        }
        if self
            .open
            .last()
            .is_none_or(|(d, ..)| d.as_slice() != parent)
        {
            let v = is_skipped(self.ig, &mut self.skipped, parent);
            let hits = if v {
                DirHits::default()
            } else {
                self.ig.dir_hits(parent)
            };
            self.open.push((parent.to_vec(), v, hits));
        }
        let (_, skipped, hits) = self.open.last().expect("pushed above");
        !skipped && !self.ig.excluded_in(hits, rel)
    }
}

/// The files of the context `dir` (at `prefix` in a scanned tree) from the scan's listing, as
/// the context walk would find them. What the scan did not list is read from `holes` (walked
/// once, whichever context asks first), unless Docker would not enter it.
pub(super) fn from_listing(
    ig: &DockerIgnore,
    dir: &Path,
    prefix: &RelPath,
    listing: &Listing,
    holes: &Holes,
) -> Result<Vec<Sent>> {
    // Inside the context: sorted files below `prefix` are one run of the listing.
    let below = |p: &RelPath| prefix.is_root() || (p.starts_with(prefix) && p != prefix);
    let start = listing
        .files
        .partition_point(|f| &f.path <= prefix && !prefix.is_root());
    let cut = if prefix.is_root() {
        0
    } else {
        prefix.as_bytes().len() + 1
    };
    let mut filter = Filter::new(ig);
    let run = listing.files[start..].partition_point(|f| below(&f.path));
    let mut out = Vec::with_capacity(run);
    for f in &listing.files[start..start + run] {
        let rel = &f.path.as_bytes()[cut..];
        if filter.sends(rel) {
            out.push(sent(RelPath::from_bytes(rel), f.kind, f.size, f.link));
        }
    }
    for hole in listing.unlisted.iter().filter(|h| below(h)) {
        let rel = RelPath::from_bytes(&hole.as_bytes()[cut..]);
        let parent = rel.parent().unwrap_or_default();
        if is_skipped(ig, &mut filter.skipped, parent.as_bytes()) {
            continue;
        }
        // Reach the parent through handles, then treat the entry as the walk would.
        let mut fd = open_dir(dir).map_err(|e| Error::io(dir, e))?;
        if !parent.is_root() {
            for c in parent.as_bytes().split(|&b| b == b'/') {
                fd = open_dir_at(fd.as_fd(), c).map_err(|e| Error::io(parent.under(dir), e))?;
            }
        }
        let name = rel.file_name().to_vec();
        let Some(m) = meta_at(fd.as_fd(), &name).map_err(|e| Error::io(rel.under(dir), e))? else {
            continue;
        };
        match step(ig, &ig.dir_hits(parent.as_bytes()), &m, rel) {
            Step::Enter(rel) => {
                let files = holes.files(hole, || {
                    let sub =
                        open_dir_at(fd.as_fd(), &name).map_err(|e| Error::io(rel.under(dir), e))?;
                    walk(&DockerIgnore::default(), sub.as_fd(), &RelPath::root())
                })?;
                for (f, link) in files.iter() {
                    let path = rel.join(f.path.as_bytes());
                    if filter.sends(path.as_bytes()) {
                        out.push(sent(path, f.kind, f.bytes, *link));
                    }
                }
            }
            Step::Send(f) => out.push(f),
            Step::Pass => {}
        }
    }
    Ok(out)
}
