//! `.dockerignore` files no build reads: Docker reads only the one at a context's root (or
//! beside its Dockerfile, `<Dockerfile>.dockerignore`).

use std::path::{Path, PathBuf};

use super::types::finding;
use super::{rel_to, Finding};
use crate::docker::{ignore_file_for, Build, BuildFiles};
use crate::git::GitInfo;

/// A finding for each ignore file in `files` that no build reads: none of `builds`, no
/// `docker build` in the repository's scripts and docs, and no command of theirs that copies
/// or links it to where a build reads it.
pub(super) fn findings(
    root: &Path,
    git: Option<&GitInfo>,
    builds: &[Build],
    files: &BuildFiles,
    out: &mut Vec<Finding>,
) {
    let used: Vec<PathBuf> = builds
        .iter()
        .filter_map(|b| ignore_file_for(&b.context, &b.dockerfile))
        .collect();
    // Builds the repository's scripts and docs run (`docker build -f … .`), read only when
    // an ignore file is left unexplained.
    let scripted = std::cell::OnceCell::new();
    let mut unused = Vec::new();
    for f in &files.ignore_files {
        if used.contains(f) {
            continue;
        }
        let scripted = scripted.get_or_init(|| match git {
            Some(g) => crate::docker::scripted::find(root, g.tracked_files()),
            None => Vec::new(),
        });
        let plain = f.file_name().is_some_and(|n| n == ".dockerignore");
        if plain
            && (scripted.iter()).any(|s| s.dirs.iter().any(|d| Some(d.as_path()) == f.parent()))
        {
            continue;
        }
        unused.push(f.clone());
    }
    // An ignore file the project's own commands copy or link into place is read there.
    let placed = match (git, unused.is_empty()) {
        (Some(g), false) => crate::docker::placed::placed(root, g.tracked_files(), &unused),
        _ => Vec::new(),
    };
    for f in unused.iter().filter(|f| !placed.contains(f)) {
        if let Some(b) = beside_its_dockerfile(builds, f) {
            said_with_build(root, b, f, out);
            continue;
        }
        let shown = rel_to(root, f);
        // With no build here at all, the root's file serves one defined elsewhere (jellyfin's
        // images are built from another repository): only its owner can tell.
        let external = builds.is_empty() && f.parent() == Some(root);
        out.push(match external {
            false => finding("unused-ignore-file", shown.clone(), format!("`{shown}` is read by no build: Docker reads only the context root's .dockerignore or `<Dockerfile>.dockerignore`"), "move its lines to the .dockerignore of the context that needs them, and delete it"),
            true => finding("unused-ignore-file", shown.clone(), format!("`{shown}` is read by no build of this repository (it has no Dockerfile or compose build): only a build defined elsewhere (CI, another repository) that sends this directory reads it"), "delete it if no such build exists; if one does, nothing to do"),
        });
    }
}

/// The build whose Dockerfile `f` (a `.dockerignore`) sits beside, where that build sends
/// another directory and reads no ignore file: loa-constructs' `apps/api/.dockerignore`,
/// beside `apps/api/Dockerfile`, whose context is the root (`COPY apps/api ./apps/api`).
fn beside_its_dockerfile<'b>(builds: &'b [Build], f: &Path) -> Option<&'b Build> {
    let plain = f.file_name().is_some_and(|n| n == ".dockerignore");
    let dir = f.parent()?;
    builds.iter().find(|b| {
        plain
            && b.dockerfile.parent() == Some(dir)
            && b.context != dir
            && ignore_file_for(&b.context, &b.dockerfile).is_none()
    })
}

/// One finding for the `.dockerignore` `f` beside `b`'s Dockerfile that `b` does not read:
/// the context's missing one, told the cause, where junk is sent (one problem, one finding);
/// else this file's own, with the same fix.
fn said_with_build(root: &Path, b: &Build, f: &Path, out: &mut Vec<Finding>) {
    let shown = rel_to(root, f);
    let mut target = b.dockerfile.clone().into_os_string();
    target.push(".dockerignore");
    let target = rel_to(root, Path::new(&target));
    let why = format!(
        "Docker reads the .dockerignore at the context's root or `{target}`, not one beside the Dockerfile"
    );
    let fix = format!(
        "rename it to where this build reads it: `git mv {shown} {target}`; its patterns then match from the context's root (`dist` there is the root's only, `**/dist` every one)"
    );
    let missing = rel_to(root, &b.context.join(".dockerignore"));
    let merged = out
        .iter_mut()
        .find(|x| x.code == "missing-dockerignore" && x.path == missing);
    if let Some(x) = merged {
        x.message = format!(
            "{}; the `{shown}` beside its Dockerfile is not read: {why}",
            x.message
        );
        // Once renamed, `ignore --write` adds to that file.
        let adds = "adds the lines that exclude";
        let then = (x.fix.replace(super::junk_fix::CREATES_FILE, adds))
            .replace(super::junk_fix::CREATES_ONE, adds);
        x.fix = format!("{fix}; then {then}");
        return;
    }
    let context = rel_to(root, &b.context);
    let context = if context.is_empty() { "." } else { &context };
    out.push(finding(
        "unused-ignore-file",
        shown.clone(),
        format!(
            "`{shown}` sits beside the Dockerfile of {}, whose context is `{context}`: {why}, so that build reads no ignore file",
            b.name
        ),
        fix,
    ));
}
