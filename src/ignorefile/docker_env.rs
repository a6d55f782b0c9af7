//! A committed environment file that holds no secret, only what a front-end build compiles into
//! the page (a Vite app's `.env` of `VITE_API_URL`), stays in its build context. The
//! environment rule's `**/.env` would take it out, and `npm run build` in the image would then
//! build an app calling `undefined`: no error, a broken page. Its own line after the rule's
//! (`!web/.env`) keeps it, while an untracked `.env` beside it (a developer's own, or one
//! holding keys) stays out. A file the user's own lines exclude is the user's decision.

use std::path::Path;

use crate::git::GitInfo;
use crate::relpath::RelPath;

/// `lines` (the block's, in order) with a re-include after them for each tracked
/// environment file in the context at `prefix` that holds only front-end build settings and
/// that one of them would exclude; and, for each re-include not already in `existing`'s
/// block, why.
pub(super) fn keep_build_settings(
    mut lines: Vec<String>,
    existing: &str,
    git: Option<&GitInfo>,
    root: &Path,
    prefix: &RelPath,
) -> (Vec<String>, Vec<String>) {
    let Some(git) = git else {
        return (lines, Vec::new());
    };
    let parts = super::block::parts(existing);
    let users = super::own_paths::both_walks(&parts.user.join("\n"));
    let mut why = Vec::new();
    // Each excluding line read once, under both walks, for every file asked about.
    let read: Vec<(String, Vec<crate::docker::DockerIgnore>)> = (lines.iter())
        .filter(|l| !l.starts_with('!'))
        .map(|l| (l.clone(), super::own_paths::both_walks(l)))
        .collect();
    for c in crate::front_end_env::committed_in(git, root, prefix) {
        let again = format!("!{}", c.inside);
        let excluding = (read.iter())
            .find(|(_, igs)| igs.iter().any(|ig| ig.excluded(c.inside.as_bytes())))
            .map(|(l, _)| l);
        let (Some(excluding), false) = (excluding, lines.contains(&again)) else {
            continue;
        };
        if users.iter().any(|ig| ig.excluded(c.inside.as_bytes())) {
            continue;
        }
        let key = &c.key;
        if !parts.block.contains(&again.as_str()) {
            why.push(format!(
                "{excluding} alone (the committed `{}` holds no secret, only what a front-end build compiles into the page, `{key}`: `{again}` after it keeps it in the build context)",
                c.path.display()
            ));
        }
        lines.push(again);
    }
    (lines, why)
}
