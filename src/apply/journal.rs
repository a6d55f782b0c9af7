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

use std::fs::{File, OpenOptions};
use std::io::{BufRead, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The held lock; released when dropped (bind it to a named variable for the whole apply).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    pub fn acquire(state: &Path) -> Result<Lock> {
        std::fs::create_dir_all(state).map_err(|e| Error::io(state, e))?;
        let path = state.join("lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let who = std::fs::read_to_string(&path).unwrap_or_default();
                let who = who.trim();
                return Err(Error::Usage(format!(
                    "another mami-clean apply holds the lock {} ({}); wait for it to finish",
                    path.display(),
                    if who.is_empty() {
                        "pid unknown".into()
                    } else {
                        who.to_string()
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

pub fn path(state: &Path) -> PathBuf {
    state.join("journal.jsonl")
}

/// Where apply keeps a copy of the plan it is executing, until it ends.
pub fn plan_copy(state: &Path) -> PathBuf {
    state.join("plan-in-progress.json")
}

/// Records of the journal in `state`, a torn last line dropped.
pub fn read(state: &Path) -> Result<Vec<Record>> {
    let p = path(state);
    let f = match File::open(&p) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&p, e)),
    };
    let mut out = Vec::new();
    for line in std::io::BufReader::new(f).lines() {
        let line = line.map_err(|e| Error::io(&p, e))?;
        match serde_json::from_str(&line) {
            Ok(r) => out.push(r),
            Err(_) => break, // a torn write at a crash: everything before it stands
        }
    }
    Ok(out)
}

/// True when the last apply began and did not end.
pub fn unfinished(state: &Path) -> Result<bool> {
    let recs = read(state)?;
    Ok(matches!(recs.first(), Some(Record::Begin { .. }))
        && !matches!(recs.last(), Some(Record::End)))
}

impl Journal {
    /// Start a new journal (the previous one must have ended).
    pub fn begin(state: &Path, rec: Record) -> Result<Journal> {
        let mut j = Journal::begin_at(&path(state))?;
        j.write(&rec)?;
        Ok(j)
    }

    /// Close an interrupted journal (for `recover --undo`): its valid records, a torn last
    /// line dropped, then `end`.
    pub fn close_interrupted(state: &Path, recs: &[Record]) -> Result<()> {
        Journal::rewrite(state, recs, Record::End).map(drop)
    }

    /// Carry on an interrupted journal (for `recover --finish`): its valid records, a torn last
    /// line dropped (appending after it would hide everything written next), then `resume`.
    pub fn resume(state: &Path, recs: &[Record]) -> Result<Journal> {
        Journal::rewrite(state, recs, Record::Resume)
    }

    /// `recs` and `last`, written to a temp file and renamed over the journal.
    fn rewrite(state: &Path, recs: &[Record], last: Record) -> Result<Journal> {
        let p = path(state);
        let tmp = state.join("journal.jsonl.tmp");
        let mut j = Journal::begin_at(&tmp)?;
        for r in recs {
            j.note(r)?;
        }
        j.write(&last)?;
        std::fs::rename(&tmp, &p).map_err(|e| Error::io(&p, e))?;
        File::open(state)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(state, e))?;
        j.path = p;
        Ok(j)
    }

    fn begin_at(p: &Path) -> Result<Journal> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(p)
            .map_err(|e| Error::io(p, e))?;
        Ok(Journal {
            file,
            path: p.to_path_buf(),
        })
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
