//! Which files of a committed editor folder are one developer's own. A team shares much of
//! `.vscode` and `.idea` on purpose: GitHub's gitignore templates keep `.vscode`'s settings,
//! tasks, launch configurations, extension lists and snippets in git, and all of `.idea` but
//! the user-specific and sensitive files JetBrains names. jellyfin, mealie, eShopOnWeb and the
//! FastAPI template commit those; calling them junk was a warning on every such repository.
//! What is left is the finding: a `workspace.xml`, a `dataSources.local.xml` (passwords), an
//! `sftp.json`.

use super::{finding, Finding};
use crate::git::GitInfo;
use crate::plan::Entry;
use crate::relpath::RelPath;

/// Files of `.vscode` GitHub's VisualStudioCode.gitignore keeps in git (besides
/// `*.code-snippets`), and `mcp.json`, the workspace's MCP servers, which VS Code's docs say
/// to commit to share them with the team (koel does).
const VSCODE_SHARED: &[&[u8]] = &[
    b"settings.json",
    b"tasks.json",
    b"launch.json",
    b"extensions.json",
    b"mcp.json",
];

/// Names under `.idea` (at any depth: the template writes `.idea/**/name`) that GitHub's
/// JetBrains.gitignore leaves out of git: user-specific, sensitive or generated.
const IDEA_PERSONAL: &[&[u8]] = &[
    b"workspace.xml",
    b"tasks.xml",
    b"usage.statistics.xml",
    b"dictionaries",
    b"shelf",
    b"aws.xml",
    b"contentModel.xml",
    b"dataSources",
    b"dataSources.ids",
    b"dataSources.local.xml",
    b"sqlDataSources.xml",
    b"dynamic.xml",
    b"uiDesigner.xml",
    b"dbnavigator.xml",
    b"gradle.xml",
    b"libraries",
    b"mongoSettings.xml",
    b"replstate.xml",
    b"httpRequests",
    b"build_file_checksums.ser",
];

/// The tracked files under the committed editor folder `dir` that belong to one developer, in
/// index order: all of them for a folder that is neither `.vscode` nor `.idea` (a rule of the
/// repository's own).
pub(super) fn personal<'g>(git: &'g GitInfo, dir: &'g RelPath) -> Vec<&'g [u8]> {
    let skip = dir.as_bytes().len() + 1;
    let is_personal: fn(&[u8]) -> bool = match dir.file_name() {
        b".vscode" => |inner| {
            let shared = VSCODE_SHARED.contains(&inner)
                || inner.ends_with(b".code-snippets")
                || inner.to_ascii_lowercase().starts_with(b"readme");
            !shared
        },
        b".idea" => |inner| (inner.split(|&b| b == b'/')).any(|part| IDEA_PERSONAL.contains(&part)),
        _ => |_| true,
    };
    (git.tracked_paths_under(dir))
        .filter(|p| p.len() > skip && is_personal(&p[skip..]))
        .collect()
}

/// The `tracked-junk` finding of the committed editor folder `e`, whose files `personal`
/// (not empty) are one developer's own.
pub(super) fn junk_finding(git: &GitInfo, e: &Entry, personal: &[&[u8]]) -> Finding {
    let shown: Vec<String> = personal
        .iter()
        .map(|p| RelPath::from_bytes(*p).display())
        .collect();
    let some: Vec<String> = shown.iter().take(3).map(|p| format!("`{p}`")).collect();
    let more = match shown.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    let args: Vec<String> = (shown.iter())
        .map(|p| crate::shell::path_arg(p).into_owned())
        .collect();
    let them = if personal.len() == 1 { "it" } else { "them" };
    let (kept, lines) = match RelPath::from_bytes(e.path.as_bytes()).file_name() {
        b".vscode" => (
            "; its settings, tasks, launch configurations and extension lists are shared on purpose, as GitHub's VisualStudioCode.gitignore has it",
            format!("`{0}/*` with `!{0}/settings.json`, `!{0}/tasks.json`, `!{0}/launch.json`, `!{0}/extensions.json` below it, as that template does", e.path),
        ),
        b".idea" => (
            "; the rest of `.idea` is project settings JetBrains means to be shared",
            format!("{them} as GitHub's JetBrains.gitignore does: {}", idea_lines(e, personal)),
        ),
        _ => ("", them.to_string()),
    };
    let message = format!(
        "git tracks {} of `{}` that {} one developer's own: {}{more}{kept}",
        crate::size::plural(personal.len() as u64, "file", "files"),
        e.path,
        if personal.len() == 1 { "is" } else { "are" },
        some.join(", ")
    );
    let fix = format!("`git rm --cached {}` and ignore {lines}", args.join(" "));
    let mut x = finding("tracked-junk", e.path.clone(), message, fix);
    let size = |p: &&[u8]| {
        let on_disk = RelPath::from_bytes(*p).under(&git.workdir);
        std::fs::symlink_metadata(on_disk).map_or(0, |m| m.len())
    };
    x.bytes = Some(personal.iter().map(size).sum());
    x
}

/// The `tracked-junk` finding of Claude Code's committed `.claude/settings.local.json` `e`:
/// the permissions one developer granted it, which it git-ignores when it writes the file.
pub(super) fn local_settings_finding(git: &GitInfo, e: &Entry) -> Finding {
    let arg = crate::shell::path_arg(&e.path).into_owned();
    let ignored = (git.tracked_ignored().iter()).any(|t| t.as_slice() == e.path.as_bytes());
    let ignore = match ignored {
        true => "(`.gitignore` already ignores it)".to_string(),
        false => format!(
            "and ignore `{}`, as Claude Code does when it writes it",
            e.path
        ),
    };
    let mut x = finding(
        "tracked-junk",
        e.path.clone(),
        format!(
            "`{}` (Claude Code's settings for one developer: the permissions they granted it) is committed to git; the team's are `.claude/settings.json`",
            e.path
        ),
        format!("`git rm --cached {arg}` {ignore}"),
    );
    x.bytes = Some(e.bytes);
    x
}

/// The template's lines for the `.idea` files `personal` (`.idea/**/workspace.xml`), each once.
fn idea_lines(e: &Entry, personal: &[&[u8]]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for p in personal {
        let parts = p.split(|&b| b == b'/');
        if let Some(name) = parts.into_iter().find(|part| IDEA_PERSONAL.contains(part)) {
            let line = format!("`{}/**/{}`", e.path, String::from_utf8_lossy(name));
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    lines.join(", ")
}

/// The fix for a `.gitignore` line `d` that ignores the whole `.vscode` folder (`.vscode/`)
/// where every tracked file it ignores (`files`) is one GitHub's VisualStudioCode.gitignore
/// shares (wekan commits its `settings.json` and `launch.json` under such a line): a `!` line
/// below `.vscode/` re-includes nothing, as git never looks inside an ignored folder, but
/// below `.vscode/*` it does. `base` is the ignore file's directory.
pub(super) fn shared_fix(
    d: &crate::git::check_ignore::Decider,
    base: &str,
    files: &[&[u8]],
) -> Option<String> {
    let dir = d.pattern.trim_start_matches('/').trim_end_matches('/');
    let names: Vec<&[u8]> = (files.iter())
        .map(|f| f.strip_prefix(base.as_bytes()).unwrap_or(f))
        .map(|f| f.strip_prefix(b".vscode/"))
        .collect::<Option<_>>()?;
    let shared = |n: &&[u8]| VSCODE_SHARED.contains(n) || n.ends_with(b".code-snippets");
    if dir != ".vscode" || names.is_empty() || !names.iter().all(shared) {
        return None;
    }
    let again: Vec<String> = (names.iter())
        .map(|n| format!("`!.vscode/{}`", String::from_utf8_lossy(n)))
        .collect();
    Some(format!(
        "to share them as GitHub's VisualStudioCode.gitignore does, write `.vscode/*` on line {} and below it {} (a `!` line under `.vscode/` re-includes nothing: git never looks inside an ignored folder); else untrack them: `git rm -r --cached {}.vscode` (they stay on disk)",
        d.line,
        crate::docker::names::and_list(&again),
        base
    ))
}
