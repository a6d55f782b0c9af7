//! A compose file whose build paths are written from a folder above it (see
//! [`crate::docker::moved`]): one finding for the file in place of its builds' own.

use std::path::Path;

use super::{finding, Finding};
use crate::docker::compose::Build;

/// The findings of the builds a moved compose file explains (same build, same missing path)
/// taken out of `findings`, and one for the file put in.
pub(super) fn one_per_file<'b>(
    root: &Path,
    builds: impl Iterator<Item = &'b Build> + Clone,
    findings: &mut Vec<Finding>,
) {
    for m in crate::docker::moved::moved(root, builds) {
        findings.retain(|f| {
            let build = f.build.as_deref().unwrap_or_default();
            f.code != "missing-build-input" || !m.explains(build, &root.join(&f.path))
        });
        findings.push(finding(
            "missing-build-input",
            &m.file,
            m.message(),
            m.fix(root),
        ));
    }
}
