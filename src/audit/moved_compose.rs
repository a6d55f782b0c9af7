//! A compose file whose build paths are written from a folder above it (see
//! [`crate::docker::moved`]), or with Windows' `\` separators
//! ([`crate::docker::backslashed`]): one finding for the file in place of its builds' own.

use std::path::Path;

use super::{finding, Finding};
use crate::docker::compose::Build;

/// The findings of the builds a moved or backslashed compose file explains (same build, same
/// missing path) taken out of `findings`, and one for the file put in.
pub(super) fn one_per_file<'b>(
    root: &Path,
    builds: impl Iterator<Item = &'b Build> + Clone,
    findings: &mut Vec<Finding>,
) {
    for m in crate::docker::moved::moved(root, builds.clone()) {
        let f = finding("missing-build-input", &m.file, m.message(), m.fix(root));
        in_place_of(root, |b, p| m.explains(b, p), f, findings);
    }
    for m in crate::docker::backslashed::backslashed(root, builds) {
        let f = finding("missing-build-input", &m.file, m.message(), m.fix());
        in_place_of(root, |b, p| m.explains(b, p), f, findings);
    }
}

/// `file`'s finding in place of the missing-input findings it `explains` (by build and path).
fn in_place_of(
    root: &Path,
    explains: impl Fn(&str, &Path) -> bool,
    file: Finding,
    findings: &mut Vec<Finding>,
) {
    findings.retain(|f| {
        let build = f.build.as_deref().unwrap_or_default();
        f.code != "missing-build-input" || !explains(build, &root.join(&f.path))
    });
    findings.push(file);
}
