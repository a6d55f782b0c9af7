//! This checkout's own data in a build context (`local-data-in-context`): what a `local_data`
//! keep rule matched that git does not track (Django's `db.sqlite3`, its users and sessions),
//! sent to a build whose Dockerfile copies or mounts a folder holding it. `COPY . .` puts it
//! in the image: whoever pulls the image gets this machine's data, and an image built from a
//! clone (CI) has none of it. No delete rule selects it, so the junk findings never say so.

use super::build::View;
use super::{finding, Finding, Severity};
use crate::plan::Plan;

/// One finding per build for the local data files its context sends and its build reads,
/// unless a COPY names the file itself (`COPY demo.db /app/`: shipped on purpose).
pub(super) fn local_data_sent(v: &View<'_>, plan: &Plan, out: &mut Vec<Finding>) {
    let named = |inside: &[u8]| {
        (v.copies().iter()).any(|c| c.literal().is_some_and(|l| l.as_bytes() == inside))
    };
    let sent: Vec<(&crate::relpath::RelPath, u64)> = (plan.local_data.iter())
        .filter_map(|p| {
            let inside = v.seen(p)??;
            if named(inside) {
                return None;
            }
            let i = (v.ctx.files)
                .binary_search_by(|f| f.path.as_bytes().cmp(inside))
                .ok()?;
            v.buildkit_reads(inside)
                .then_some((p, v.ctx.files[i].bytes))
        })
        .collect();
    let Some(&(first, _)) = sent.first() else {
        return;
    };
    let bytes: u64 = sent.iter().map(|(_, b)| b).sum();
    let named = match sent.len() {
        1 => format!("`{}` ({})", first.display(), crate::size::human(bytes)),
        n => format!(
            "`{}` and {} ({} in all)",
            first.display(),
            crate::size::plural(n as u64 - 1, "more file", "more files"),
            crate::size::human(bytes)
        ),
    };
    let lines: Vec<String> = (sent.iter())
        .filter_map(|(p, _)| Some(format!("`/{}`", String::from_utf8_lossy(v.seen(p)??))))
        .collect();
    let mut x = finding(
        "local-data-in-context",
        first.display(),
        format!(
            "{named}, data this checkout wrote that git does not track, is sent to the build context of {}, whose Dockerfile copies or mounts a folder holding it: the image ships this machine's data, and one built from a clone has none of it",
            v.b.name
        ),
        format!(
            "add {} to {} (`mami-clean ignore --write` does), and give the container its data when it runs (a volume)",
            lines.join(", "),
            v.ignore_file_shown()
        ),
    );
    x.severity = Severity::Warning;
    x.bytes = Some(bytes);
    x.build = Some(v.b.name.clone());
    out.push(x);
}
