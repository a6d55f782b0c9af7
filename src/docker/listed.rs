//! A context read from the scan's listing instead of a walk of its own, and the directories the
//! scan did not list (dependency trees it only sized or did not size at all, `.git`) walked once
//! per process and shared: two compose services building from `.` and a third from `ui-new`
//! all read `ui-new/node_modules` from that one walk, each through its own `.dockerignore`.

use std::collections::HashMap;
use std::os::fd::AsFd;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::context::{sent, step, walk_chunks, Sent, Step};
use super::ignore::{DirHits, DockerIgnore};
use crate::error::{Error, Result};
use crate::fsx::{meta_at, open_dir, open_dir_at, open_dir_below};
use crate::relpath::{parent_of, within, RelPath};
use crate::scan::Listing;

/// Unlisted directories walked so far, by path from the root: every file below each, in runs
/// in path order, with no ignore file applied (each context applies its own). No lock is held
/// while a tree is walked: the walk runs on the thread pool, whose threads take other
/// contexts' work while they wait, and one that waited here for a tree its own thread was
/// walking would wait for ever (`plan` hung on Flowise). Two contexts that ask for one tree at
/// once may both walk it; the gate and the audit walk theirs first ([`Holes::prefetch`]).
#[derive(Default)]
pub struct Holes(Mutex<HashMap<RelPath, Arc<Chunks>>>);

type Chunks = Vec<Vec<Sent>>;

impl Holes {
    /// The files below `hole` (root-relative), paths relative to it; walked on first use.
    fn files(&self, hole: &RelPath, open: impl FnOnce() -> Result<Chunks>) -> Result<Arc<Chunks>> {
        if let Some(f) = self.lock().get(hole) {
            return Ok(f.clone());
        }
        let f = Arc::new(open()?);
        self.lock().insert(hole.clone(), f.clone());
        Ok(f)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RelPath, Arc<Chunks>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Walk the unlisted directories of `listing` that `wanted` says a context enters, before
    /// any context asks: the gate and the audit call this beside the plan, which leaves a core
    /// idle, and read their contexts after. A tree that cannot be opened as a directory is
    /// left for the context to meet (it says why, or sends the symlink it is).
    pub fn prefetch(&self, root: &Path, listing: &Listing, wanted: impl Fn(&RelPath) -> bool) {
        for hole in listing.unlisted.iter().filter(|h| wanted(h)) {
            if self.lock().contains_key(hole) {
                continue;
            }
            let open = open_dir(root).and_then(|r| open_dir_below(r.as_fd(), hole.as_bytes()));
            let files = open.ok().and_then(|fd| {
                walk_chunks(&DockerIgnore::default(), fd.as_fd(), &RelPath::root()).ok()
            });
            if let Some(files) = files {
                self.lock().insert(hole.clone(), Arc::new(files));
            }
        }
    }
}

/// A directory of the context the filter has entered.
struct Open {
    dir: Vec<u8>,
    /// Docker does not enter it (it, or a directory above it, is excluded with no exception
    /// below it); it is then the last one open.
    skipped: bool,
    hits: DirHits,
}

/// Docker's verdict on files met in directory order: a file is sent unless excluded or below
/// a directory Docker does not enter. The open directories are a stack from the root, each
/// decided once from the one above it: the sorted listing returns to a directory after each
/// subdirectory's files.
struct Filter<'a> {
    ig: &'a DockerIgnore,
    open: Vec<Open>,
}

impl<'a> Filter<'a> {
    fn new(ig: &'a DockerIgnore) -> Filter<'a> {
        let root = Open {
            dir: Vec::new(),
            skipped: false,
            hits: ig.dir_hits(b""),
        };
        Filter {
            ig,
            open: vec![root],
        }
    }

    /// Enter the context directory `dir`, component by component from the nearest open
    /// directory above it: the directory itself, or the skipped one above it.
    fn enter(&mut self, dir: &[u8]) -> &Open {
        while self.open.len() > 1 && !within(dir, &self.top().dir) {
            self.open.pop();
        }
        while self.top().dir.len() < dir.len() && !self.top().skipped {
            let top = self.top();
            let start = if top.dir.is_empty() {
                0
            } else {
                top.dir.len() + 1
            };
            let end =
                (dir[start..].iter().position(|&b| b == b'/')).map_or(dir.len(), |i| start + i);
            let next = &dir[..end];
            let skipped = self.ig.excluded_in(&top.hits, next) && self.ig.skips_dir(next);
            let hits = match skipped {
                true => DirHits::default(),
                false => self.ig.dir_hits_below(&top.hits, next),
            };
            self.open.push(Open {
                dir: next.to_vec(),
                skipped,
                hits,
            });
        }
        self.top()
    }

    fn top(&self) -> &Open {
        self.open.last().expect("the root stays open")
    }

    /// Is the file at context-relative `rel` sent? `Err` with the directory Docker does not
    /// enter above it, so the caller may pass over everything below that.
    fn sends(&mut self, rel: &[u8]) -> std::result::Result<bool, &[u8]> {
        let ig = self.ig;
        let open = self.enter(parent_of(rel));
        match open.skipped {
            true => Err(&open.dir),
            false => Ok(!ig.excluded_in(&open.hits, rel)),
        }
    }
}

/// Whether Docker's walk of a context with these patterns enters its directory `dir`: neither
/// it nor a directory above it is excluded with no exception reaching below.
pub(super) fn enters(ig: &DockerIgnore, dir: &[u8]) -> bool {
    let mut filter = Filter::new(ig);
    let open = filter.enter(dir);
    !open.skipped
}

/// The files of the context `dir` (at `prefix` in a scanned tree) from the scan's listing, as
/// the context walk would find them, in order. What the scan did not list is read from
/// `holes` (walked once, whichever context asks first), unless Docker would not enter it; its
/// files go where they sort, so the whole needs no sort after.
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
    let files = &listing.files[start..start + run];
    let mut unlisted = Vec::new();
    for hole in listing.unlisted.iter().filter(|h| below(h)) {
        let rel = RelPath::from_bytes(&hole.as_bytes()[cut..]);
        unlisted.push((hole, read_hole(&mut filter, dir, hole, rel, holes)?));
    }
    // Room for all at once: grown as it filled, the vector was copied into fresh pages (a
    // tenth of the gate's page faults on a 29,000-file tree).
    let mut out = Vec::with_capacity(run + unlisted.iter().map(|(_, h)| h.len()).sum::<usize>());
    let mut unlisted = unlisted.into_iter().peekable();
    let mut filter = Filter::new(ig);
    let mut i = 0;
    loop {
        // The next unlisted directory, if it sorts before the next listed file.
        let file = files.get(i);
        if let Some((_, hole)) = unlisted.next_if(|(h, _)| file.is_none_or(|f| **h < f.path)) {
            hole.send(&mut filter, &mut out);
            continue;
        }
        let Some(f) = file else { break };
        let rel = &f.path.as_bytes()[cut..];
        match filter.sends(rel) {
            Ok(true) => out.push(sent(RelPath::from_bytes(rel), f.kind, f.size, f.link)),
            Ok(false) => {}
            // Past the skipped directory's run (`.venv` a context excludes: one search,
            // not a verdict per file).
            Err(skipped) => {
                let rest = &files[i..];
                i += rest.partition_point(|f| within(&f.path.as_bytes()[cut..], skipped));
                continue;
            }
        }
        i += 1;
    }
    // The merge's order is what lets the caller skip its sort: the tests hold it to it.
    debug_assert!(out.is_sorted_by(|a, b| a.0.path <= b.0.path));
    Ok(out)
}

/// What an unlisted directory holds for a context.
enum Hole {
    /// Docker does not enter it (or it is gone).
    Passed,
    /// An entry the walk sends as it is (a symlink to a directory).
    One(Sent),
    /// The files below it (at `.0` in the context), to filter.
    Files(RelPath, Arc<Chunks>),
}

impl Hole {
    fn len(&self) -> usize {
        match self {
            Hole::Passed => 0,
            Hole::One(_) => 1,
            Hole::Files(_, files) => files.iter().map(Vec::len).sum(),
        }
    }

    /// Adds what the context sends of it to `out`.
    fn send(self, filter: &mut Filter<'_>, out: &mut Vec<Sent>) {
        match self {
            Hole::Passed => {}
            Hole::One(f) => out.push(f),
            Hole::Files(rel, files) => {
                for (f, link) in files.iter().flatten() {
                    let path = rel.join(f.path.as_bytes());
                    if filter.sends(path.as_bytes()) == Ok(true) {
                        out.push(sent(path, f.kind, f.bytes, *link));
                    }
                }
            }
        }
    }
}

/// The unlisted directory `hole`, at `rel` in the context `dir`, as the context's walk would
/// treat it: passed over where Docker does not enter, else its files from `holes`.
fn read_hole(
    filter: &mut Filter<'_>,
    dir: &Path,
    hole: &RelPath,
    rel: RelPath,
    holes: &Holes,
) -> Result<Hole> {
    let parent = rel.parent().unwrap_or_default();
    if filter.enter(parent.as_bytes()).skipped {
        return Ok(Hole::Passed);
    }
    // Reach the parent through handles, then treat the entry as the walk would.
    let mut fd = open_dir(dir).map_err(|e| Error::io(dir, e))?;
    if !parent.is_root() {
        fd = open_dir_below(fd.as_fd(), parent.as_bytes())
            .map_err(|e| Error::io(parent.under(dir), e))?;
    }
    let name = rel.file_name().to_vec();
    let Some(m) = meta_at(fd.as_fd(), &name).map_err(|e| Error::io(rel.under(dir), e))? else {
        return Ok(Hole::Passed);
    };
    Ok(
        match step(filter.ig, &filter.enter(parent.as_bytes()).hits, &m, rel) {
            Step::Enter(rel) => {
                let files = holes.files(hole, || {
                    let sub =
                        open_dir_at(fd.as_fd(), &name).map_err(|e| Error::io(rel.under(dir), e))?;
                    walk_chunks(&DockerIgnore::default(), sub.as_fd(), &RelPath::root())
                })?;
                Hole::Files(rel, files)
            }
            Step::Send(f) => Hole::One(f),
            Step::Pass => Hole::Passed,
        },
    )
}
