//! Ignore files saved in an encoding git and Docker do not read (`ignore-file-encoding`): a
//! `.gitignore` or `.dockerignore` written by Windows PowerShell's `>` is UTF-16
//! ([`crate::ignorefile::encoding`]): git ignores nothing it names, and a Docker build fails or
//! sends it all. `ignore --write` refuses to rewrite one, and says why.

use std::path::{Path, PathBuf};

use super::{finding, Finding};
use crate::docker::Build;
use crate::git::GitInfo;
use crate::ignorefile::encoding;

/// One finding per ignore file saved as UTF-16: the root's `.gitignore`, every tracked
/// `.gitignore` and `.dockerignore`, and the one each build reads.
pub(super) fn findings(
    root: &Path,
    git: Option<&GitInfo>,
    builds: &[Build],
    out: &mut Vec<Finding>,
) {
    let mut files: Vec<PathBuf> = vec![root.join(".gitignore")];
    if let Some(g) = git {
        let named = |n: &[u8]| n == b".gitignore" || n.ends_with(b".dockerignore");
        files.extend(g.tracked_named(named).map(|p| p.under(root)));
    }
    files.extend((builds.iter()).filter_map(|b| {
        crate::docker::context::ignore_file_for(&b.context, &b.dockerfile)
            .filter(|p| p.starts_with(root))
    }));
    files.sort();
    files.dedup();
    for path in files {
        // Only UTF-16: another encoding's ASCII lines still match (a Latin-1 `é` in one line
        // spoils that line alone), which `ignore --write` refuses to rewrite all the same.
        let Some(why) = encoding::of_file(&path).filter(|w| w.starts_with("UTF-16")) else {
            continue;
        };
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        // Checked with Engine 20.10 and git 2.47 on a UTF-16 file of `node_modules`.
        let what = match shown.ends_with(".gitignore") {
            true => "git matches none of its lines, so `git add` takes in what it names",
            false => {
                "BuildKit on Engine 20.10 fails the build on its NULs (`stream terminated by \
                      RST_STREAM`), and the legacy builder sends all it names"
            }
        };
        out.push(finding(
            "ignore-file-encoding",
            shown.clone(),
            format!("`{shown}` is {why}: {what}"),
            encoding::fix(&shown, &why),
        ));
    }
}
