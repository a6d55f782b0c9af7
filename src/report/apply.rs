//! `apply` and `recover` for people: the pre-check table, each entry as it is done, the
//! post-checks; where an interrupted apply stopped. `apply` prints in three parts (head,
//! entries, tail) so a run shows each step as it happens.

use std::fmt::Write;

use super::*;

pub(super) fn status_word(s: crate::apply::Status) -> &'static str {
    match s {
        crate::apply::Status::Pass => "PASS",
        crate::apply::Status::Fail => "FAIL",
        crate::apply::Status::Skip => "SKIP",
    }
}

pub fn recover_human(r: &crate::apply::RecoverReport) -> String {
    use crate::apply::RecoverMode;
    let mut o = String::new();
    if !r.interrupted {
        let _ = writeln!(o, "no interrupted apply: nothing to recover");
        for n in &r.notes {
            let _ = writeln!(o, "note: {}", V(n));
        }
        return o;
    }
    let _ = writeln!(o, "An apply was interrupted. Its entries:");
    for e in &r.entries {
        use crate::apply::EntryState;
        let state = match e.state {
            EntryState::Done => "deleted before the interruption",
            EntryState::Interrupted => "being deleted when it stopped (may be partly gone)",
            EntryState::Skipped => "skipped by the run",
            EntryState::Partial => "partly deleted by the run",
            EntryState::Pending => "not reached; still in place",
        };
        match &e.result {
            Some(res) => {
                let _ = writeln!(o, "  {}: {state} → {}", V(&e.path), V(res));
            }
            None => {
                let _ = writeln!(o, "  {}: {state}", V(&e.path));
            }
        }
    }
    if let Some(b) = &r.backup {
        let _ = writeln!(o, "backup of this run: {}", V(b.display()));
    }
    for n in &r.notes {
        let _ = writeln!(o, "note: {}", V(n));
    }
    if !r.refused.is_empty() {
        let _ = writeln!(o, "\nrefused, the journal stays open:");
        for x in &r.refused {
            let _ = writeln!(o, "  {}", V(x));
        }
    }
    if r.closed {
        let _ = writeln!(o, "\njournal closed: apply can run again");
    } else if r.mode == RecoverMode::Report {
        let _ = writeln!(
            o,
            "\nnothing is lost: finish the plan with `mami-clean recover --finish`, or put back what went with `mami-clean recover --undo`"
        );
    }
    o
}

pub(super) fn checks(o: &mut String, title: &str, list: &[crate::apply::Check]) {
    let _ = writeln!(o, "{title}");
    let w = list.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in list {
        let _ = writeln!(
            o,
            "  {}  {:<w$}  {}",
            status_word(c.status),
            c.name,
            V(&c.detail)
        );
    }
}

/// `apply` for people, whole: [`apply_head`], every [`apply_entry`], [`apply_tail`].
pub fn apply_human(r: &crate::apply::ApplyReport) -> String {
    let mut o = apply_head(r);
    if r.refused || r.nothing_to_do {
        return o;
    }
    for e in &r.entries {
        o.push_str(&apply_entry(e));
    }
    o.push_str(&apply_tail(r));
    o
}

/// The pre-check table (the backup's row last), and what follows from it: a refusal,
/// nothing to clean, or the heading of the entries.
pub fn apply_head(r: &crate::apply::ApplyReport) -> String {
    let mut o = String::new();
    if r.nothing_to_do {
        let _ = writeln!(o, "nothing to clean: the plan selects nothing to delete");
        return o;
    }
    checks(&mut o, "Pre-checks", &r.prechecks);
    if r.refused {
        let _ = writeln!(o, "\nrefused: nothing was deleted");
        return o;
    }
    if !r.backup.unrecoverable.is_empty() {
        let _ = writeln!(
            o,
            "\nDeleted without a backup (--no-backup), not recoverable:"
        );
        for p in &r.backup.unrecoverable {
            let _ = writeln!(o, "  {}", V(p));
        }
    }
    let _ = writeln!(o, "\nEntries");
    o
}

/// One entry's line, as soon as it is done.
pub fn apply_entry(e: &crate::apply::EntryReport) -> String {
    use crate::apply::Outcome;
    let line = match &e.outcome {
        Outcome::Deleted { files, .. } => format!(
            "deleted  {:>11}  {}  ({})",
            human(e.bytes),
            V(&e.path),
            plural(*files, "file", "files")
        ),
        Outcome::Skipped { reason } => {
            format!(
                "SKIPPED  {:>11}  {}: {}",
                human(e.bytes),
                V(&e.path),
                V(reason)
            )
        }
        Outcome::Partial { left, .. } => {
            let mut s = format!(
                "PARTIAL  {:>11}  {}: {} left",
                human(e.bytes),
                V(&e.path),
                plural(left.len() as u64, "path", "paths")
            );
            for f in left.iter().take(10) {
                let _ = write!(s, "\n           {}: {}", V(&f.path), V(&f.reason));
            }
            s
        }
    };
    format!("  {line}\n")
}

/// After the entries: an interruption, the post-checks, and where the backup is.
pub fn apply_tail(r: &crate::apply::ApplyReport) -> String {
    let mut o = String::new();
    if r.interrupted {
        let _ = writeln!(
            o,
            "\ninterrupted: stopped between entries; the rest is untouched and the ignore files were not written. Finish with `mami-clean plan` and `mami-clean apply`{}",
            r.backup
                .restore_command
                .as_ref()
                .map(|c| format!(", or put the backup back with `{}`", V(c)))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(o);
    checks(&mut o, "Post-checks", &r.postchecks);
    for n in &r.notes {
        let _ = writeln!(o, "note: {}", V(n));
    }
    if let (Some(dir), Some(cmd)) = (&r.backup.dir, &r.backup.restore_command) {
        let _ = writeln!(
            o,
            "\nbackup: {} (put it back with `{}`)",
            V(dir.display()),
            V(cmd)
        );
    }
    if let Some(id) = &r.run_id {
        let _ = writeln!(
            o,
            "undo all of it (backup, tracked files, ignore files) with `mami-clean undo {}`",
            V(crate::shell::word(id))
        );
    }
    o
}

/// `undo` for people: what came back, what did not and why, what is left to do.
pub fn undo_human(r: &crate::apply::undo::UndoReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "undo of {}", V(&r.id));
    let _ = writeln!(
        o,
        "  backup: {} put back, {} already in place",
        r.restored, r.unchanged
    );
    let _ = writeln!(o, "  tracked files: {} written back from git", r.tracked);
    for f in &r.ignore_files {
        let _ = writeln!(o, "  {}: as it was before the run", V(f));
    }
    for x in &r.refused {
        let _ = writeln!(o, "  not put back: {}", V(x));
    }
    for n in &r.notes {
        let _ = writeln!(o, "note: {}", V(n));
    }
    o
}
