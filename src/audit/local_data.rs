//! This checkout's own data in a build context (`local-data-in-context`): what a `local_data`
//! keep rule matched that git does not track (Django's `db.sqlite3`, its users and sessions),
//! sent to a build whose Dockerfile copies or mounts a folder holding it. `COPY . .` puts it
//! in the image: whoever pulls the image gets this machine's data, and an image built from a
//! clone (CI) has none of it. No delete rule selects it, so the junk findings never say so.

use super::build::View;
use super::{finding, Finding, Severity};
use crate::plan::Plan;
use crate::relpath::RelPath;

/// One finding per build for the local data its context sends and its build reads (a file,
/// or the files of a folder), unless a COPY names it (`COPY demo.db /app/`, `COPY *.db`:
/// shipped on purpose).
pub(super) fn local_data_sent(v: &View<'_>, plan: &Plan, out: &mut Vec<Finding>) {
    // (path from the root, path in the context, a folder's, files sent, bytes sent)
    let sent: Vec<(&RelPath, &[u8], bool, usize, u64)> = (plan.local_data.iter())
        .filter_map(|p| {
            let inside = v.seen(p)??;
            let files = v.sent_at(inside);
            let first = files.first()?;
            (v.copied_by_name(inside).is_none() && v.buildkit_reads(first.path.as_bytes())).then(
                || {
                    let bytes = files.iter().map(|f| f.bytes).sum();
                    let folder = first.path.as_bytes() != inside;
                    (p, inside, folder, files.len(), bytes)
                },
            )
        })
        .collect();
    let Some(&(first, _, folder, n, _)) = sent.first() else {
        return;
    };
    let bytes: u64 = sent.iter().map(|s| s.4).sum();
    let shown = |p: &RelPath, folder: bool| match folder {
        true => format!("`{}/`", p.display()),
        false => format!("`{}`", p.display()),
    };
    // Each named, up to three (a database and its journals), then how many more.
    let some: Vec<String> = sent.iter().take(3).map(|s| shown(s.0, s.2)).collect();
    let named = match (sent.len(), folder) {
        (1, true) => format!(
            "{} ({}, {})",
            some[0],
            crate::size::plural(n as u64, "file", "files"),
            crate::size::human(bytes)
        ),
        (1, false) => format!("{} ({})", some[0], crate::size::human(bytes)),
        (2..=3, _) => format!("{} ({} in all)", some.join(", "), crate::size::human(bytes)),
        (k, _) => format!(
            "{} and {} more ({} in all)",
            some.join(", "),
            k - 3,
            crate::size::human(bytes)
        ),
    };
    let lines: Vec<String> = (sent.iter())
        .map(|s| format!("`/{}`", String::from_utf8_lossy(s.1)))
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
