//! A compose file in a subfolder whose build paths are written from a folder above it: moved
//! there from the root, or meant to be run with `--project-directory`. Compose reads relative
//! paths from the project directory, the compose file's own folder unless told otherwise
//! (compose-spec#540), so each such build fails with "does not exist". rag-dz's
//! `infrastructure/docker/docker-compose.yml` builds `./frontend/rag-ui`, `./apps/seo-dz-boost`
//! and four more: the root builds three of them, its folder none. That is one problem, the
//! file's, said once (by the audit and in the plan's notes) with the fix that makes its builds
//! work, not three "create it" errors.

use std::path::{Path, PathBuf};

use super::compose::Build;
use super::names::{and_list, compose_service};
use crate::shell::path_arg;

/// A compose file whose missing build paths build from the folder `base` above it.
pub struct Moved {
    /// The compose file, from the root.
    pub file: String,
    /// The folder above it its paths build from, from the root (empty: the root).
    pub base: String,
    found: Vec<Found>,
}

/// A build missing where Compose looks, that builds from the folder above.
struct Found {
    /// The service's build name (`docker/compose.yml: service web`).
    build: String,
    /// The missing context or Dockerfile.
    missing: PathBuf,
    /// That path as the compose file's folder reads it (`frontend`).
    written: String,
    /// `/` for a context (a folder), empty for a Dockerfile.
    slash: &'static str,
}

/// The compose files among `builds` whose missing build paths build from a folder above
/// theirs. Only where no build that works where the file is would fail from that folder:
/// tcc_log's `docker/docker-compose.yml` finds `frontend/` at the root, but its backend's
/// `Dockerfile.backend` is in `docker/` only, and from the root it fails.
pub fn moved<'b>(root: &Path, builds: impl Iterator<Item = &'b Build> + Clone) -> Vec<Moved> {
    let mut files: Vec<Moved> = Vec::new();
    for b in builds.clone() {
        let Some((file, base, found)) = found_above(root, b) else {
            continue;
        };
        match files.iter_mut().find(|m| m.file == file && m.base == base) {
            Some(m) => m.found.push(found),
            None => files.push(Moved {
                file,
                base,
                found: vec![found],
            }),
        }
    }
    files.retain(|m| {
        let mut of_file = builds
            .clone()
            .filter(|b| file_of(b) == Some(m.file.as_str()));
        of_file.all(|b| {
            b.missing_input().is_some()
                || read_from(root, b, &m.file, &m.base)
                    .missing_input()
                    .is_none()
        })
    });
    files
}

impl Moved {
    /// Whether the build named `build`, missing `path`, is one this file's move explains.
    pub fn explains(&self, build: &str, path: &Path) -> bool {
        (self.found.iter()).any(|f| f.missing == path && f.build == build)
    }

    pub fn message(&self) -> String {
        let (file, dir) = (
            &self.file,
            Path::new(&self.file).parent().unwrap_or(Path::new("")),
        );
        let dir = dir.display();
        let above = match self.base.is_empty() {
            true => "the repository root".to_string(),
            false => format!("`{}/`", self.base),
        };
        let svc = |f: &Found| compose_service(&f.build).map_or("", |(_, s)| s).to_string();
        let path = |f: &Found| format!("`{}{}`", f.written, f.slash);
        match self.found.as_slice() {
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
        }
    }

    /// Run with the folder above as the project directory, every file of the project named
    /// (`-f` takes the place of the override file Compose would read beside it), or the paths
    /// rewritten from the file's folder.
    pub fn fix(&self, root: &Path) -> String {
        let dir = root.join(Path::new(&self.file).parent().unwrap_or(Path::new("")));
        let env = super::interpolate::Env::for_project(&dir);
        let mut files = super::project::project_files(root, &dir, &env);
        if files.is_empty() {
            files.push(root.join(&self.file));
        }
        let dash_f: Vec<String> = (files.iter())
            .map(|f| {
                format!(
                    "-f {}",
                    path_arg(&f.strip_prefix(root).unwrap_or(f).to_string_lossy())
                )
            })
            .collect();
        let depth = |p: &str| Path::new(p).components().count();
        let up = "../".repeat(depth(&self.file) - 1 - depth(&self.base));
        format!(
            "run it as `docker compose {} --project-directory {} build` from the root (Compose then reads all its relative paths from there, volumes and env_file too), or write them from its folder (`{up}{}`)",
            dash_f.join(" "),
            path_arg(if self.base.is_empty() { "." } else { &self.base }),
            self.found[0].written
        )
    }
}

/// The compose file a build comes from, as its name says (`docker/compose.yml: service web`).
fn file_of(b: &Build) -> Option<&str> {
    compose_service(&b.name).map(|(f, _)| f)
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
        missing: p.to_path_buf(),
        written: written.display().to_string(),
        slash: if what == "Dockerfile" { "" } else { "/" },
    };
    Some((file.to_string(), base, found))
}
