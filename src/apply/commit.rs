//! Step 7 of `apply`, with `--commit`: the cleanup as one commit, only when everything went.

use super::authority::Work;
use super::checks::check;
use super::{ApplyOptions, ApplyReport, Status};
use crate::error::Result;
use crate::git::GitInfo;
use crate::relpath::RelPath;

pub(super) fn commit(
    git: Option<&GitInfo>,
    work: &[Work],
    opts: &ApplyOptions,
    report: &mut ApplyReport,
) -> Result<()> {
    let (Some(msg), Some(g)) = (&opts.commit, git) else {
        return Ok(());
    };
    if report.partial() || report.interrupted {
        report.postchecks.push(check(
            "commit",
            Status::Skip,
            "not committed: the apply was partial or a check failed",
        ));
        return Ok(());
    }
    let paths: Vec<RelPath> = work.iter().filter_map(|w| w.entry.rel()).collect();
    let added: Vec<RelPath> = report
        .ignore_files_written
        .iter()
        .map(|p| RelPath::from_bytes(p.as_bytes()))
        .collect();
    match g.commit_cleanup(&paths, &added, msg) {
        Err(e) => {
            report.commit_failed = true;
            report.postchecks.push(check(
                "commit",
                Status::Fail,
                format!("{e}; the cleanup is applied, not committed: commit it yourself"),
            ));
        }
        Ok(Some(id)) => {
            report.postchecks.push(check(
                "commit",
                Status::Pass,
                format!("{} {msg}", &id[..10]),
            ));
            report.commit = Some(id);
        }
        Ok(None) => report.postchecks.push(check(
            "commit",
            Status::Skip,
            "no tracked file was removed: nothing to commit",
        )),
    }
    Ok(())
}
