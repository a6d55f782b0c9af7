//! `restore` and `trust`: the list of a repository's backups, a restore's outcome, and what
//! was trusted; for people and as JSON.

use std::fmt::Write;

use serde::Serialize;

use super::V;
use crate::apply::restore::RestoreReport;
use crate::size::human;

/// One backup of the repository, for the list.
#[derive(Debug, Serialize)]
pub struct BackupRow {
    pub id: String,
    pub created: String,
    pub items: usize,
    pub bytes: u64,
    /// Where it is.
    pub dir: String,
}

/// `restore` without an id: `dir` is where backups were looked for.
pub fn backups_human(rows: &[BackupRow], root: &str, dir: &str) -> String {
    if rows.is_empty() {
        return format!("no backups of {} in {}\n", V(root), V(dir));
    }
    let mut o = String::new();
    for b in rows {
        let items = if b.items == 1 { "item" } else { "items" };
        let _ = writeln!(
            o,
            "{}  {}  {} {items}, {}",
            V(&b.id),
            b.created,
            b.items,
            human(b.bytes)
        );
    }
    o
}

/// A restore's outcome.
#[derive(Debug, Serialize)]
pub struct Restored<'a> {
    pub id: &'a str,
    pub into: String,
    #[serde(flatten)]
    pub report: &'a RestoreReport,
}

pub fn restored_human(r: &Restored<'_>) -> String {
    if !r.report.refused.is_empty() {
        let mut o = format!("restore of {} refused, nothing written:\n", V(r.id));
        for x in &r.report.refused {
            let _ = writeln!(o, "  {}", V(x));
        }
        return o;
    }
    let mut o = format!(
        "restored {} ({} written, {} already in place) into {}\n",
        V(r.id),
        r.report.restored,
        r.report.unchanged,
        V(&r.into)
    );
    for s in &r.report.special_not_restored {
        let _ = writeln!(o, "  not restored (special file): {}", V(s));
    }
    o
}

/// What `trust` recorded.
#[derive(Debug, Serialize)]
pub struct Trusted {
    pub config: String,
    pub blake3: String,
    pub store: String,
}

pub fn trusted_human(t: &Trusted) -> String {
    format!(
        "trusted {} as it is now (BLAKE3 {}); recorded in {}\nany change to it needs `mami-clean trust` again\n",
        V(&t.config),
        &t.blake3[..16],
        V(&t.store)
    )
}
