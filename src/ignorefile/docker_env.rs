//! A committed environment file that holds no secret, only what a front-end build compiles into
//! the page (a Vite app's `.env` of `VITE_API_URL`), stays in its build context. The
//! environment rule's `**/.env` would take it out, and `npm run build` in the image would then
//! build an app calling `undefined`: no error, a broken page. Its own line after the rule's
//! (`!web/.env`) keeps it, while an untracked `.env` beside it (a developer's own, or one
//! holding keys) stays out. A file the user's own lines exclude is the user's decision.

use std::path::Path;

use crate::git::GitInfo;
use crate::relpath::{seen_from, RelPath};

/// Environment files larger than this are not settings a person committed for a build.
const MAX_SETTINGS_BYTES: u64 = 64 << 10;

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
    for p in git.tracked_files() {
        let rel = RelPath::from_bytes(p);
        let Some(Some(inside)) = seen_from(prefix, &rel) else {
            continue;
        };
        if !crate::classify::is_env_name(rel.file_name()) || !git.in_work_tree(p) {
            continue;
        }
        let inside = String::from_utf8_lossy(inside).into_owned();
        let again = format!("!{inside}");
        let excluding = lines.iter().find(|l| {
            !l.starts_with('!')
                && super::own_paths::both_walks(l)
                    .iter()
                    .any(|ig| ig.excluded(inside.as_bytes()))
        });
        let (Some(excluding), false) = (excluding, lines.contains(&again)) else {
            continue;
        };
        if users.iter().any(|ig| ig.excluded(inside.as_bytes())) {
            continue;
        }
        let body = crate::fsx::read_regular(&rel.under(root), MAX_SETTINGS_BYTES, false);
        let Some(key) = body
            .ok()
            .flatten()
            .and_then(|b| crate::audit::build_setting(&b))
        else {
            continue;
        };
        if !parts.block.contains(&again.as_str()) {
            why.push(format!(
                "{excluding} alone (the committed `{}` holds no secret, only what a front-end build compiles into the page, `{key}`: `{again}` after it keeps it in the build context)",
                rel.display()
            ));
        }
        lines.push(again);
    }
    (lines, why)
}
