//! A folder a compose service bind-mounts as its own data, sent to a build context: a
//! database's files (`./pgdata`, `./redis-data`, `./es-data`) go to the builder on every build
//! and into the image with a `COPY . .`. No rule selects them, so the junk findings never say
//! so; a data folder can be gigabytes and hold what the service stores.

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
        let under = |p: &[u8]| {
            p.strip_prefix(inside)
                .is_some_and(|r| r.first() == Some(&b'/'))
        };
        let (files, bytes) = (v.ctx.files.iter())
            .filter(|f| f.path.as_bytes() == inside || under(f.path.as_bytes()))
            .fold((0usize, 0u64), |(n, b), f| (n + 1, b + f.bytes));
        if files == 0 {
            continue;
        }
        let shown = String::from_utf8_lossy(inside);
        let ig = v.ignore_file_shown();
        let mut x = finding(
            "mounted-data-in-context",
            m.source.display(),
            format!(
                "`{}` ({}, {}), which {}:{} mounts into a compose service (`{}`), is sent to the build context of {}: the service's own data, in every build and in the image of a `COPY . .`",
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
