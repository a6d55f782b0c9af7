//! A compose file in a subfolder whose build paths are written from a folder above it: moved
//! there from the root, or meant to be run with `--project-directory`. Compose reads relative
//! paths from the project directory, the compose file's own folder unless told otherwise
//! (compose-spec#540), so each such build fails with "does not exist". rag-dz's
//! `infrastructure/docker/docker-compose.yml` builds `./frontend/rag-ui`, `./apps/seo-dz-boost`
//! and four more: the root has four of them, its folder none. That is one problem, the file's,
//! said once with the fix that makes its builds work, not four "create it" errors.

use std::path::Path;

use super::{finding, Finding};
use crate::docker::compose::Build;
use crate::docker::names::and_list;
use crate::shell::path_arg;

/// A build path missing where Compose looks, found from a folder above the compose file's.
struct Found {
    /// The service's build name (`docker/compose.yml: service web`).
    build: String,
    /// The missing path, from the root (what its own finding names).
    missing: String,
    /// The path as the compose file's folder reads it (`frontend`).
    written: String,
    /// `/` for a context (a folder), empty for a Dockerfile.
    slash: &'static str,
}

/// The compose files whose missing build paths are there from a folder above theirs, each as
/// one finding; the findings of the builds it explains (same build, same missing path) are
/// taken out of `findings`. Only where no build that works where the file is would fail from
/// that folder: tcc_log's `docker/docker-compose.yml` finds `frontend/` at the root, but its
/// backend's `Dockerfile.backend` is in `docker/` only, and from the root it fails.
pub(super) fn one_per_file<'b>(
    root: &Path,
    builds: impl Iterator<Item = &'b Build> + Clone,
    findings: &mut Vec<Finding>,
) {
    // (compose file, folder the paths are found from, what is found), in build order.
    let mut files: Vec<(String, String, Vec<Found>)> = Vec::new();
    for b in builds.clone() {
        let Some((file, base, found)) = found_above(root, b) else {
            continue;
        };
        match files.iter_mut().find(|(f, a, _)| *f == file && *a == base) {
            Some((_, _, all)) => all.push(found),
            None => files.push((file, base, vec![found])),
        }
    }
    for (file, base, found) in files {
        let mut of_file = builds.clone().filter(|b| file_of(b) == Some(file.as_str()));
        if !of_file.all(|b| works_from(root, b, &file, &base)) {
            continue;
        }
        findings.retain(|f| {
            f.code != "missing-build-input"
                || !(found.iter())
                    .any(|x| f.path == x.missing && f.build.as_deref() == Some(x.build.as_str()))
        });
        findings.push(explained(root, &file, &base, &found));
    }
}

/// The compose file a build comes from, as its name says (`docker/compose.yml: service web`).
fn file_of(b: &Build) -> Option<&str> {
    b.name.split_once(": service ").map(|(f, _)| f)
}

/// Whether `b`, of the compose file `file`, builds with its paths read from `base` instead of
/// the file's folder where it builds from that folder: a build the move would break is no
/// build written for `base`.
fn works_from(root: &Path, b: &Build, file: &str, base: &str) -> bool {
    b.missing_input().is_some() || read_from(root, b, file, base).missing_input().is_none()
}

/// `b` with the paths in its compose file's folder read from `base` instead.
fn read_from(root: &Path, b: &Build, file: &str, base: &str) -> Build {
    let dir = root.join(Path::new(file).parent().unwrap_or(Path::new("")));
    let moved = |p: &Path| match p.strip_prefix(&dir) {
        Ok(rel) => root.join(base).join(rel),
        Err(_) => p.to_path_buf(),
    };
    Build {
        context: moved(&b.context),
        dockerfile: moved(&b.dockerfile),
        ..b.clone()
    }
}

/// The nearest folder above `b`'s compose file's from which `b`, failing where it is, builds
/// (context and Dockerfile there): (compose file, that folder, its missing path). None for a
/// build of no compose file, one at the root, or one no folder above builds.
fn found_above(root: &Path, b: &Build) -> Option<(String, String, Found)> {
    let (p, what) = b.missing_input()?;
    let file = file_of(b)?;
    let dir = Path::new(file)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())?;
    let written = p.strip_prefix(root.join(dir)).ok()?;
    if written.as_os_str().is_empty() {
        return None;
    }
    let base = (dir.ancestors().skip(1).map(|a| a.display().to_string()))
        .find(|a| read_from(root, b, file, a).missing_input().is_none())?;
    let found = Found {
        build: b.name.clone(),
        missing: super::rel_to(root, p),
        written: written.display().to_string(),
        slash: if what == "Dockerfile" { "" } else { "/" },
    };
    Some((file.to_string(), base, found))
}

/// The finding for the compose file `file`, whose `found` paths are in `base`.
fn explained(root: &Path, file: &str, base: &str, found: &[Found]) -> Finding {
    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
    let above = match base.is_empty() {
        true => "the repository root".to_string(),
        false => format!("`{base}/`"),
    };
    let svc = |f: &Found| {
        f.build
            .split_once(": service ")
            .map_or("", |(_, s)| s)
            .to_string()
    };
    let path = |f: &Found| format!("`{}{}`", f.written, f.slash);
    let dir = dir.display();
    let message = match found {
        [one] => format!(
            "`{file}` builds service {} from {}, which is not in its folder `{dir}/`, where Compose looks for it, but is in {above}: its paths read as written from there (was the file moved?), and the build fails",
            svc(one),
            path(one)
        ),
        many => format!(
            "`{file}` builds {} services from paths that are not in its folder `{dir}/`, where Compose looks for them, but are in {above}: {}; its paths read as written from there (was the file moved?), and those builds fail",
            many.len(),
            and_list(&many.iter().map(|f| format!("{} (service {})", path(f), svc(f))).collect::<Vec<_>>())
        ),
    };
    finding(
        "missing-build-input",
        file,
        message,
        fix(root, file, base, &found[0]),
    )
}

/// Run with the folder above as the project directory, every file of the project named (`-f`
/// takes the place of the override file Compose would read beside it), or the paths rewritten.
fn fix(root: &Path, file: &str, base: &str, first: &Found) -> String {
    let dir = root.join(Path::new(file).parent().unwrap_or(Path::new("")));
    let env = crate::docker::interpolate::Env::for_project(&dir);
    let mut files = crate::docker::project::project_files(root, &dir, &env);
    if files.is_empty() {
        files.push(root.join(file));
    }
    let dash_f: Vec<String> = (files.iter())
        .map(|f| format!("-f {}", path_arg(&super::rel_to(root, f))))
        .collect();
    let depth = |p: &str| Path::new(p).components().count();
    let up = "../".repeat(depth(file) - 1 - depth(base));
    format!(
        "run it as `docker compose {} --project-directory {} build` from the root (Compose then reads all its relative paths from there, volumes and env_file too), or write them from its folder (`{up}{}`)",
        dash_f.join(" "),
        path_arg(if base.is_empty() { "." } else { base }),
        first.written
    )
}
