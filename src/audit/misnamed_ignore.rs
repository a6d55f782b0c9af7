//! `misnamed-ignore-file`: an ignore file its tool never reads by its name
//! ([`crate::misnamed_ignore`]). A build context whose only one is a `.containerignore`, a
//! `.Dockerignore` or a `.dockerignore.txt` is sent whole by `docker build` and `docker compose
//! build` (A5hank/NicheRadar: `dockerfile: Containerfile` in its compose file and a
//! `.containerignore` excluding `.git`, `.env`, `.venv/`, `data/`; Egor-rtv/lab1-fastapi: a
//! `.dockerignore.txt` saying `.git`, which the build sent all the same); a repository whose
//! only root one is a `.gitignore.txt` has `git add -A` commit what it lists.

use super::build::View;
use super::{finding, rel_to, Finding};
use crate::misnamed_ignore::{self as m, Found, Why};

/// The finding for `v`'s build, or, where the context's missing `.dockerignore` is already
/// reported for the junk it sends, that finding told the cause (one finding per problem).
pub(super) fn unread(v: &View<'_>, out: &mut Vec<Finding>) {
    if v.ig_path.is_some() {
        return;
    }
    let Some(found) = m::find(&v.b.context, m::DOCKER) else {
        return;
    };
    let shown_path = v.b.context.join(found.name).display().to_string();
    let Ok(ignore) = crate::docker::DockerIgnore::parse(&found.text, &shown_path) else {
        return;
    };
    let shown = rel_to(v.root, &v.b.context.join(found.name));
    let target = rel_to(v.root, &v.b.context.join(".dockerignore"));
    let (what, fix) = said(&found, &shown, &target);
    let this = |x: &Finding, code: &str| x.code == code && x.build.as_ref() == Some(&v.b.name);
    // The `.git` it excludes is sent for want of its name, not of a line: said here, once.
    if ignore.excluded(b".git") {
        out.retain(|x| !this(x, "git-in-context"));
    }
    if let Some(x) = out.iter_mut().find(|x| this(x, "missing-dockerignore")) {
        x.message = format!("{}; the `{shown}` beside it {what}", x.message);
        x.fix = match found.why {
            Why::Podman => format!(
                "{}; the new .dockerignore starts from the lines of `{shown}`",
                x.fix
            ),
            _ => format!("rename it first: `git mv {shown} {target}`; then {}", x.fix),
        };
        return;
    }
    let (files, bytes, tops) = left_out(v, &ignore);
    let sent = match files {
        0 => format!(
            "whatever its lines leave out where it exists ({}; none of it is here now)",
            lines_named(&ignore)
        ),
        n => format!(
            "the {} ({}) its lines leave out: {}",
            crate::size::plural(n, "file", "files"),
            crate::size::human(bytes),
            crate::docker::names::and_list(&tops)
        ),
    };
    let mut x = finding(
        "misnamed-ignore-file",
        shown.clone(),
        format!(
            "`{shown}` {what}: the build context of {} has no .dockerignore, so Docker sends {sent}",
            v.b.name
        ),
        fix,
    );
    x.bytes = Some(bytes);
    x.build = Some(v.b.name.clone());
    out.push(x);
}

/// Why Docker does not read it, as a predicate, and the fix.
fn said(found: &Found, shown: &str, target: &str) -> (&'static str, String) {
    let write = "`mami-clean ignore --write` creates the .dockerignore starting from its lines";
    match found.why {
        Why::Podman => (
            "is Podman's and Buildah's ignore file, which Docker never reads",
            format!(
                "{write}; Podman keeps reading its own file (or copy it: `cp {shown} {target}`)"
            ),
        ),
        Why::Case => (
            "is read as `.dockerignore` only where the filesystem ignores case (macOS, \
             Windows): on Linux and in CI Docker never reads it",
            format!("rename it: `git mv {shown} {target}` (or {write})"),
        ),
        Why::Misspelt => (
            "is not a name Docker reads (only `.dockerignore`, spelt so)",
            format!("rename it: `git mv {shown} {target}` (or {write})"),
        ),
    }
}

/// What the context sends that `ig` would leave out: files, bytes, and its three heaviest
/// entries at the context's top (a directory with a trailing `/`), quoted.
fn left_out(v: &View<'_>, ig: &crate::docker::DockerIgnore) -> (u64, u64, Vec<String>) {
    let (mut files, mut bytes) = (0, 0);
    let mut tops: Vec<(String, u64)> = Vec::new();
    for f in v
        .ctx
        .files
        .iter()
        .filter(|f| ig.excluded(f.path.as_bytes()))
    {
        files += 1;
        bytes += f.bytes;
        let p = String::from_utf8_lossy(f.path.as_bytes());
        let top = match p.split_once('/') {
            Some((dir, _)) => format!("`{dir}/`"),
            None => format!("`{p}`"),
        };
        match tops.iter_mut().find(|(t, _)| *t == top) {
            Some((_, b)) => *b += f.bytes,
            None => tops.push((top, f.bytes)),
        }
    }
    tops.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let more = tops.len().saturating_sub(3);
    let mut named: Vec<String> = tops.into_iter().take(3).map(|(t, _)| t).collect();
    if more > 0 {
        named.push(format!("{more} more"));
    }
    (files, bytes, named)
}

/// Its first three excluding lines, quoted, and how many more.
fn lines_named(ig: &crate::docker::DockerIgnore) -> String {
    let excluding: Vec<&str> = (ig.patterns.iter())
        .filter(|p| !p.exception)
        .map(|p| p.text.as_str())
        .collect();
    let mut named: Vec<String> = excluding.iter().take(3).map(|t| format!("`{t}`")).collect();
    if excluding.len() > 3 {
        named.push(format!("{} more", excluding.len() - 3));
    }
    crate::docker::names::and_list(&named)
}

/// The repository's only root ignore file has a name git never reads (`.gitignore.txt`, as
/// Windows editors save it: committed in 16,240 public repositories; 1021114Carlos/finance_app's
/// lists `venv/` and `.vscode/`): `git add -A` commits what it lists.
pub(super) fn gitignore(root: &std::path::Path, out: &mut Vec<Finding>) {
    if root.join(".gitignore").symlink_metadata().is_ok() {
        return;
    }
    let Some(found) = m::find(root, m::GIT) else {
        return;
    };
    let lines: Vec<&str> = (found.text.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .collect();
    if lines.is_empty() {
        return;
    }
    let name = found.name;
    let mut named: Vec<String> = lines.iter().take(3).map(|l| format!("`{l}`")).collect();
    if lines.len() > 3 {
        named.push(format!("{} more", lines.len() - 3));
    }
    let what = match found.why {
        Why::Case => {
            "is read as `.gitignore` only where the filesystem ignores case (macOS, Windows): on \
             Linux and in CI git never reads it"
        }
        _ => "is not a name git reads (only `.gitignore`, spelt so)",
    };
    out.push(finding(
        "misnamed-ignore-file",
        name,
        format!(
            "`{name}` {what}: the repository has no .gitignore, so git ignores none of what it \
             lists ({}), and `git add -A` commits it",
            crate::docker::names::and_list(&named)
        ),
        format!(
            "rename it: `git mv {name} .gitignore` (or `mami-clean ignore --write` creates the \
             .gitignore starting from its lines)"
        ),
    ));
}
