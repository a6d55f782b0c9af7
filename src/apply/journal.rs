//! One apply at a time, and a record of what it did.
//!
//! The lock is an OS file lock (`flock` through `File::try_lock`) on `<state>/lock`: it dies
//! with its process, so there are no stale locks, and the file is never unlinked (unlinking a
//! held lock file lets two lockers coexist). The file holds the holder's pid for the message
//! the second run prints.
//!
//! The journal is `<state>/journal.jsonl`, append-only, one JSON record per line; `begin` and
//! `end` are fsynced, per-entry records are not (see [`Journal::note`]). A journal without an `end` record means an apply was
//! interrupted: new applies refuse until `mami-clean recover` finishes it.

use std::fs::File;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsx::Place;
use crate::relpath::RelPath;

/// The journal's size cap when read: a journal holds a few records per entry.
const MAX_JOURNAL_BYTES: u64 = 256 << 20;

/// mami-clean's state directory for one tree: `<git dir>/mami-clean`, or a directory of its
/// own under the user's state dir outside git. Every file in it is reached through
/// [`Place::below`] from the base (never through a link planted in a handed-over `.git`).
#[derive(Debug, Clone)]
pub struct State {
    base: PathBuf,
    sub: RelPath,
}

impl State {
    pub fn new(base: PathBuf, sub: &str) -> State {
        State {
            base,
            sub: RelPath::from_bytes(sub.as_bytes()),
        }
    }

    /// The state file `name`, its directory created if missing.
    pub fn file(&self, name: &str) -> Result<Place> {
        std::fs::create_dir_all(&self.base).map_err(|e| Error::io(&self.base, e))?;
        Place::below(&self.base, &self.sub.join(name.as_bytes()), true)
    }

    /// The path of state file `name`, for messages.
    pub fn shown(&self, name: &str) -> PathBuf {
        self.sub.join(name.as_bytes()).under(&self.base)
    }
}

pub const JOURNAL: &str = "journal.jsonl";
/// Where apply keeps a copy of the plan it is executing, until it ends.
pub const PLAN_COPY: &str = "plan-in-progress.json";

/// The held lock; released when dropped (bind it to a named variable for the whole apply).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    pub fn acquire(state: &State) -> Result<Lock> {
        let place = state.file("lock")?;
        let path = place.path().to_path_buf();
        let mut file = place.open_rw()?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let who = place
                    .read(4096)
                    .ok()
                    .flatten()
                    .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "another mami-clean apply holds the lock {} ({}); wait for it to finish",
                    path.display(),
                    if who.is_empty() {
                        "pid unknown".into()
                    } else {
                        who
                    }
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        file.set_len(0).map_err(|e| Error::io(&path, e))?;
        let _ = writeln!(file, "pid {}", std::process::id());
        Ok(Lock { _file: file })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "record", rename_all = "kebab-case")]
pub enum Record {
    Begin {
        plan_body_hash: String,
        root: String,
        backup: Option<PathBuf>,
        /// A copy of the plan being applied, for `recover --finish`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plan: Option<PathBuf>,
    },
    /// `recover --finish` took over the interrupted apply from here.
    Resume,
    /// About to delete entry `i` (its path, for a human reading the journal).
    Intent {
        i: usize,
        path: String,
    },
    /// Entry `i` done: `deleted`, `skipped` or `partial`.
    Done {
        i: usize,
        status: String,
    },
    End,
}

pub struct Journal {
    file: File,
    path: PathBuf,
}

/// Records of the journal in `state`, a torn last line dropped.
pub fn read(state: &State) -> Result<Vec<Record>> {
    let place = state.file(JOURNAL)?;
    let Some(bytes) = place.read(MAX_JOURNAL_BYTES)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for line in bytes.lines() {
        let line = line.map_err(|e| Error::io(place.path(), e))?;
        match serde_json::from_str(&line) {
            Ok(r) => out.push(r),
            Err(_) => break, // a torn write at a crash: everything before it stands
        }
    }
    Ok(out)
}

/// True when the last apply began and did not end.
pub fn unfinished(state: &State) -> Result<bool> {
    let recs = read(state)?;
    Ok(matches!(recs.first(), Some(Record::Begin { .. }))
        && !matches!(recs.last(), Some(Record::End)))
}

impl Journal {
    /// Start a new journal (the previous one must have ended).
    pub fn begin(state: &State, rec: Record) -> Result<Journal> {
        Journal::rewrite(state, &[], rec)
    }

    /// Close an interrupted journal (for `recover --undo`): its valid records, a torn last
    /// line dropped, then `end`.
    pub fn close_interrupted(state: &State, recs: &[Record]) -> Result<()> {
        Journal::rewrite(state, recs, Record::End).map(drop)
    }

    /// Carry on an interrupted journal (for `recover --finish`): its valid records, a torn last
    /// line dropped (appending after it would hide everything written next), then `resume`.
    pub fn resume(state: &State, recs: &[Record]) -> Result<Journal> {
        Journal::rewrite(state, recs, Record::Resume)
    }

    /// `recs` and `last`, written to a new file and renamed over the journal; the handle
    /// stays open for the records that follow.
    fn rewrite(state: &State, recs: &[Record], last: Record) -> Result<Journal> {
        let place = state.file(JOURNAL)?;
        let (file, tmp) = place.create_temp(0o600)?;
        let mut j = Journal {
            file,
            path: place.path().to_path_buf(),
        };
        let written = (|| -> Result<()> {
            for r in recs {
                j.note(r)?;
            }
            j.write(&last)
        })();
        place.commit(written.map_err(std::io::Error::other), &tmp)?;
        Ok(j)
    }

    /// Append a record and make it durable before the caller acts on it.
    pub fn write(&mut self, rec: &Record) -> Result<()> {
        self.note(rec)?;
        self.file.sync_data().map_err(|e| Error::io(&self.path, e))
    }

    /// Append a record without waiting for the disk. Per-entry records use this: what keeps
    /// data safe is that nothing is deleted before its backup is verified (or git or a
    /// regeneration command holds it), and the durable `begin` already tells a later run that
    /// an apply was interrupted. An fsync per entry cost seconds per thousand entries.
    pub fn note(&mut self, rec: &Record) -> Result<()> {
        let mut line = serde_json::to_vec(rec).map_err(|e| Error::Usage(e.to_string()))?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .map_err(|e| Error::io(&self.path, e))
    }
}
