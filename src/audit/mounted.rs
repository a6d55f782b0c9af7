//! A folder a compose service bind-mounts as its own data, sent to a build context whose
//! Dockerfile reads it: a database's files (`./pgdata`, `./redis-data`, `./es-data`) go to the
//! builder on every build and into the image with a `COPY . .`. No rule selects them, so the
//! junk findings never say so; a data folder can be gigabytes and hold what the service
//! stores.

use super::build::View;
use super::{finding, Finding, Severity};
use crate::in_use::InUse;

/// One finding per mounted data folder the context sends (files in it not excluded).
pub(super) fn mounted_data_sent(v: &View<'_>, in_use: &InUse, out: &mut Vec<Finding>) {
    for m in in_use.untracked_data() {
        // Inside the context; a mount holding the whole context is the code, never data.
        let Some(Some(inside)) = v.seen(&m.source) else {
            continue;
        };
        let sent = v.sent_at(inside);
        // A build that copies from the folder by name (`COPY pgdata/init.sql`) reads it on
        // purpose, and the writer leaves it sent.
        let named = (v.copies().iter())
            .filter_map(|c| c.pattern())
            .any(|p| crate::relpath::within(crate::ignorefile::copy_sample(&p).as_bytes(), inside));
        // BuildKit transfers only what a COPY, ADD or bind mount names (git-in-context's
        // rule): a folder none of them reaches stays on the client.
        if named
            || !sent
                .first()
                .is_some_and(|f| v.buildkit_reads(f.path.as_bytes()))
        {
            continue;
        }
        let (files, bytes) = (sent.len(), sent.iter().map(|f| f.bytes).sum::<u64>());
        let shown = String::from_utf8_lossy(inside);
        let ig = v.ignore_file_shown();
        let mut x = finding(
            "mounted-data-in-context",
            m.source.display(),
            format!(
                "`{}` ({}, {}), which {}:{} mounts into a service's container (`{}`), is sent to the build context of {}, whose Dockerfile copies or mounts a folder holding it: a running service's data, read on every build",
                m.source.display(),
                crate::size::plural(files as u64, "file", "files"),
                crate::size::human(bytes),
                m.file.display(),
                m.line,
                m.excerpt.trim_start_matches("- ").trim_matches(['"', '\'']),
                v.b.name
            ),
            format!("add `/{shown}` to {ig} (`mami-clean ignore --write` does): the service mounts it at run time"),
        );
        x.severity = Severity::Warning;
        x.bytes = Some(bytes);
        x.build = Some(v.b.name.clone());
        out.push(x);
    }
}
