//! Which builds a repository has: every compose service with `build:` (string or mapping form,
//! context relative to the compose file, dockerfile relative to the context) and every
//! Dockerfile no compose file builds (its context inferred, [`super::standalone`]). What each
//! Dockerfile copies is [`super::copy_source`]'s.

use std::path::{Path, PathBuf};

use super::interpolate::Env;

use super::files::BuildFiles;
pub use super::names::{is_dockerfile, COMPOSE_NAMES};
use crate::error::{Error, Location, Result};

/// What [`Build::missing_input`] and [`Build::outside`] call the two inputs of a build.
const CONTEXT: &str = "build context";
const DOCKERFILE: &str = "Dockerfile";

/// One `docker build`: a context and a Dockerfile.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Build {
    /// `compose.yaml: service web`, or the Dockerfile's path.
    pub name: String,
    pub context: PathBuf,
    pub dockerfile: PathBuf,
    /// The Dockerfile is written in the compose file (`dockerfile_inline`): no file to read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dockerfile_inline: bool,
    /// Named `additional_contexts`: noted, not measured.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_contexts: Vec<String>,
    /// The stage built (`build.target`, `docker build --target`); without it, the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What of it lies outside the repository, links followed: `build context` or
    /// `Dockerfile` ([`discover_all`] sets it). Such a build is never read: a committed
    /// compose file must not make the tool print the machine's files (`dockerfile:
    /// /proc/self/environ` put the environment, tokens and all, in the audit's output).
    #[serde(skip)]
    pub outside: Option<&'static str>,
}

impl Build {
    /// What decides what a build sends and copies: its context, Dockerfile (and so ignore
    /// file) and target. Builds with the same key are measured once.
    pub fn image_key(&self) -> (&Path, &Path, Option<&str>) {
        (&self.context, &self.dockerfile, self.target.as_deref())
    }

    /// A build from a Dockerfile on disk.
    pub fn new(name: String, context: PathBuf, dockerfile: PathBuf) -> Build {
        Build {
            name,
            context,
            dockerfile,
            dockerfile_inline: false,
            additional_contexts: Vec::new(),
            target: None,
            outside: None,
        }
    }

    /// What of this build is there but outside `real_root` (the root's real path; see
    /// [`Build::outside`]); one that is not there is a missing input, with nothing to read.
    fn outside_of(&self, real_root: &Path) -> Option<&'static str> {
        // Through any link: a committed `Dockerfile` linking to `/proc/self/environ` is outside.
        let out = |p: &Path| std::fs::canonicalize(p).is_ok_and(|r| !r.starts_with(real_root));
        if out(&self.context) {
            Some(CONTEXT)
        } else if !self.dockerfile_inline && out(&self.dockerfile) {
            Some(DOCKERFILE)
        } else {
            None
        }
    }

    /// Whether its context and Dockerfile may be read: neither lies outside the repository.
    pub fn readable(&self) -> bool {
        self.outside.is_none()
    }

    /// What lies outside the repository and its path, as [`Build::missing_input`] says what
    /// is missing.
    pub fn outside_input(&self) -> Option<(&Path, &'static str)> {
        let what = self.outside?;
        let path = if what == CONTEXT {
            &self.context
        } else {
            &self.dockerfile
        };
        Some((path, what))
    }

    /// The Dockerfile's text, read with the bound every build file has; `None` where it lies
    /// outside the repository ([`Build::outside`]: never read) or cannot be read.
    pub fn dockerfile_text(&self) -> Option<String> {
        self.readable()
            .then(|| crate::fsx::read_text(&self.dockerfile, crate::limits::MAX_BUILD_FILE_BYTES))
            .flatten()
    }

    /// What `docker build` would not find, first missing first: the context directory, or else
    /// the Dockerfile (path and what it is). Such a build fails before it sends anything.
    pub fn missing_input(&self) -> Option<(&Path, &'static str)> {
        if !self.context.is_dir() {
            Some((&self.context, CONTEXT))
        } else if !self.dockerfile_inline && !self.dockerfile.is_file() {
            Some((&self.dockerfile, DOCKERFILE))
        } else {
            None
        }
    }
}

pub(super) fn yaml_err(file: &Path, line: usize, message: String) -> Error {
    Error::Config {
        location: Location {
            file: file.display().to_string(),
            line,
            column: 1,
        },
        rule: None,
        message,
    }
}

/// A compose file Compose itself would refuse, at `line` (0: the file as a whole).
pub(super) fn refused(file: &Path, line: usize, message: String) -> Error {
    Error::ComposeRefused {
        location: Location {
            file: file.display().to_string(),
            line,
            column: 1,
        },
        message,
        missing: None,
    }
}

/// `file` names `raw` (its `key`: `include`, `extends`), and nothing is at `abs`: Compose
/// refuses the project (`open …: no such file or directory`) until something makes it, as the
/// setup script of local-ai-packaged and its forks clones `supabase/` before `docker compose`.
pub(super) fn names_missing(file: &Path, key: &'static str, raw: &str, abs: &Path) -> Error {
    let line = match super::yaml_load::read(file).map(|t| super::mounts::line_of(&t, raw)) {
        Ok((n, excerpt)) if !excerpt.is_empty() => n,
        _ => 0,
    };
    Error::ComposeRefused {
        location: Location {
            file: file.display().to_string(),
            line,
            column: 1,
        },
        message: format!("`{key}` names `{raw}`, which is not there"),
        missing: Some((key, abs.to_path_buf())),
    }
}

/// A compose project Compose refuses, as [`discover_all`] hands it back: the file, the line
/// (0: the file as a whole) and why, in Compose's words where they differ from the loader's;
/// and the key and the file it names that is not there, where that is why.
#[derive(Debug, Clone)]
pub struct Refused {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
    pub missing: Option<(&'static str, PathBuf)>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:1: {}",
            self.file.display(),
            self.line,
            self.message
        )
    }
}

/// `a/./b/../c` → `a/c`, without touching the filesystem.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// `builds` that send and copy the same thing (one context, Dockerfile and target) as one
/// row: the first of them and the names of all, in order (two compose services building `.`).
pub fn by_image<'a>(builds: impl Iterator<Item = &'a Build>) -> Vec<(&'a Build, Vec<String>)> {
    let mut rows: Vec<(&Build, Vec<String>)> = Vec::new();
    for b in builds {
        match rows
            .iter_mut()
            .find(|(r, _)| r.image_key() == b.image_key())
        {
            Some((_, names)) => names.push(b.name.clone()),
            None => rows.push((b, vec![b.name.clone()])),
        }
    }
    rows
}

/// Every build of the repository: compose services first, then Dockerfiles no service builds.
pub fn discover(root: &Path) -> Result<Vec<Build>> {
    discover_in(root, &BuildFiles::find(root))
}

/// [`discover`] from build files already found: one compose project per directory holding a
/// compose file (see [`super::project`]), then each Dockerfile no service builds, with the
/// context [`super::standalone`] infers.
pub fn discover_in(root: &Path, files: &BuildFiles) -> Result<Vec<Build>> {
    let (builds, unread) = discover_all(root, files)?;
    match unread.into_iter().next() {
        None => Ok(builds),
        Some(r) => Err(refused(&r.file, r.line, r.message)),
    }
}

/// [`discover_in`], going on past a compose project Compose would refuse: its error comes
/// back beside the builds of the others (binary-husky/gpt_academic's compose file is six
/// alternative projects, `version:` written six times: Compose v2 refuses it, its Dockerfile
/// builds all the same). Limits (an alias bomb, a file too large) still stop it.
pub fn discover_all(root: &Path, files: &BuildFiles) -> Result<(Vec<Build>, Vec<Refused>)> {
    let mut builds = Vec::new();
    let mut unread = Vec::new();
    let mut dirs: Vec<&Path> = files.compose.iter().filter_map(|c| c.parent()).collect();
    if super::project::has_root_files() {
        dirs.push(root);
    }
    dirs.sort();
    dirs.dedup();
    let mut projects = Vec::new();
    for dir in dirs {
        let env = Env::for_project(dir);
        let project = super::project::project_files(root, dir, &env);
        match super::project::project_builds(root, &project, &env) {
            Ok(b) => projects.push((project, b)),
            Err(Error::ComposeRefused {
                location,
                message,
                missing,
            }) => unread.push(Refused {
                file: PathBuf::from(location.file),
                line: location.line,
                message,
                missing,
            }),
            Err(e) => return Err(e),
        }
    }
    let copies = super::copies::copied_projects(&projects);
    // A file one project `include`s is a project of its own too (local-ai-packaged's
    // `supabase/docker/`, which its script also runs alone): its services once, not twice.
    for (i, (_, b)) in projects.into_iter().enumerate() {
        if !copies.contains(&i) {
            for b in b {
                if !builds.contains(&b) {
                    builds.push(b);
                }
            }
        }
    }
    let taken: Vec<PathBuf> = builds.iter().map(|b| b.context.clone()).collect();
    let taken: Vec<&Path> = taken.iter().map(PathBuf::as_path).collect();
    let known = super::standalone::Known::new(&taken);
    for d in files.dockerfiles.iter().cloned() {
        if !builds.iter().any(|b| b.dockerfile == d) {
            let ctx = super::standalone::context_of(root, &d, &known);
            let name = d.strip_prefix(root).unwrap_or(&d).display().to_string();
            builds.push(Build::new(name, ctx, d));
        }
    }
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for b in &mut builds {
        b.outside = b.outside_of(&real_root);
    }
    Ok((builds, unread))
}

/// The build contexts of the root's compose project and of the Dockerfiles at the root, read
/// before any walk (a few small files), each with the ignore file its build reads: where
/// `plan` lists the dependency trees it meets as it sizes them, so each context's forecast
/// reads them from the listing instead of walking them again. A tree every build of its
/// context excludes is not listed: Docker never enters it. A compose file that does not load
/// gives none here; the plan reports it.
pub struct RootContexts(Vec<(crate::relpath::RelPath, Option<super::DockerIgnore>)>);

/// Ignore files larger than this are not read for [`RootContexts`] (real ones are a few
/// hundred bytes; the hostile-input tests' is 2 MB).
const MAX_READ_TWICE: u64 = 64 * 1024;

impl RootContexts {
    pub fn read(root: &Path) -> RootContexts {
        let env = Env::for_project(root);
        let files = super::project::project_files(root, root, &env);
        let mut builds: Vec<(PathBuf, PathBuf)> =
            super::project::project_builds(root, &files, &env)
                .map(|b| b.into_iter().map(|b| (b.context, b.dockerfile)).collect())
                .unwrap_or_default();
        let at_root = std::fs::read_dir(root).into_iter().flatten().flatten();
        for e in at_root {
            if super::names::is_dockerfile(&e.file_name().to_string_lossy()) {
                builds.push((root.to_path_buf(), e.path()));
            }
        }
        // Services built alike (an API and its worker from one image) read one ignore file.
        builds.sort();
        builds.dedup();
        let contexts = (builds.iter())
            .filter_map(|(dir, dockerfile)| {
                let rel = super::files::rel_in(root, dir)?;
                // An ignore file that does not parse is the audit's to report: meanwhile every
                // tree in the context is listed, as without one. So is one too large to be
                // worth reading twice (the forecast reads it again): a 100,000-line file took
                // plan from 1.8 to 2.2 s.
                let read = super::context::read_ignore(dir, dockerfile, MAX_READ_TWICE);
                Some((rel, read.ok().map(|(_, ig)| ig)))
            })
            .collect();
        RootContexts(contexts)
    }

    /// Whether some build's walk of these contexts enters the directory `rel` (from the root).
    pub fn enter(&self, rel: &crate::relpath::RelPath) -> bool {
        self.0.iter().any(|(ctx, ig)| {
            let Some(inner) = crate::relpath::inside(rel.as_bytes(), ctx.as_bytes()) else {
                return false;
            };
            ig.as_ref()
                .is_none_or(|ig| super::listed::enters(ig, inner))
        })
    }
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
