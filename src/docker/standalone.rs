//! The build context of a Dockerfile no compose service builds. Nothing names it, so it is
//! inferred from the Dockerfile itself: the nearest directory, from the Dockerfile's own up to
//! the repository root, that holds every file its COPY and ADD instructions name. A Dockerfile
//! kept in a subdirectory and built from the root (mindsdb's `docker/mindsdb.Dockerfile`,
//! `COPY setup.py README.md ./` and `COPY docker/mindsdb_config.release.json …`, built with
//! `docker build -f docker/mindsdb.Dockerfile .`) gets the root; one whose sources sit beside
//! it (`nginx/Dockerfile`, `COPY nginx.conf …`) keeps its directory. Where no directory holds
//! them all, the one holding the most is taken (documenso's `apps/remix/Dockerfile.bun` names
//! a `bun.lockb` the repository lacks beside root files), its own where none holds any; the
//! audit then names what is missing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::copy_source::copy_sources;

/// Whether the project names `dockerfile` where it builds it: in a dev container's JSON, or in
/// a build command it runs (`docker build -f FILE`, [`super::scripted::dockerfile_contexts`]).
pub fn named_where_built(root: &Path, dockerfile: &Path) -> bool {
    super::devcontainer::context_of(root, dockerfile).is_some()
        || dockerfile.parent().is_some_and(|d| {
            (super::scripted::dockerfile_contexts(root, d).iter()).any(|(f, _)| f == dockerfile)
        })
}

/// The inferred context of `dockerfile`, a file inside `root`.
pub fn context_of(root: &Path, dockerfile: &Path, known: &Known) -> PathBuf {
    // A dev container's JSON says where it is built from (mealie's `"context": ".."`).
    if let Some(c) = super::devcontainer::context_of(root, dockerfile) {
        return c;
    }
    // A compose file under another name (`docker-compose.build.yaml`, used with `-f`) that
    // builds it says where from (unstract's `context: ..`).
    if let Some(c) = named_by_other_compose(root, dockerfile, known) {
        return c;
    }
    // So does the project's own `docker build -f it CONTEXT` (miniflux's Makefile).
    if let Some(c) = known.scripted(root, dockerfile) {
        return c;
    }
    let own = dockerfile.parent().unwrap_or(root).to_path_buf();
    let Some(text) = crate::fsx::read_text(dockerfile, crate::limits::MAX_BUILD_FILE_BYTES) else {
        return own;
    };
    // So does a build command in its own comments (Quarkus' `src/main/docker/Dockerfile.jvm`).
    if let Some(c) = super::scripted::commented_context(root, dockerfile, &text) {
        return c;
    }
    // Sources that say where they are: no variable, no wildcard, not the context itself.
    let sources = copy_sources(&text);
    // A source with a variable says where as far as it is written out (LocalAI's
    // `COPY backend/go/${BACKEND}/`, built from the root by its Makefile).
    let named: Vec<String> = (sources.iter())
        .filter_map(|s| s.literal().or_else(|| s.fixed_dir()))
        .collect();
    if named.is_empty() {
        // `COPY . /app` says nothing of where: a `.dockerignore` above that no other build
        // reads (no Dockerfile beside it, no compose build from there) is there for a build
        // from elsewhere (SD.Next's `configs/Dockerfile.cuda` and the root's `.dockerignore`
        // of `/outputs/*`, `/extensions/*`).
        // One that copies nothing says nothing either way (frappe_docker's bake file builds
        // `images/bench` from its own directory): its own.
        return match sources.is_empty() {
            true => own,
            false => ignored_from_above(root, &own)
                .filter(|d| !known.taken.contains(&d.as_path()))
                .unwrap_or(own),
        };
    }
    let held = |d: &Path| {
        let n = named
            .iter()
            .filter(|s| d.join(s).symlink_metadata().is_ok());
        n.count()
    };
    // The nearest that holds them all; else the one holding the most (the nearest of equals).
    let mut best = (0, own.clone());
    let mut d = own.as_path();
    loop {
        let n = held(d);
        if n == named.len() {
            return d.to_path_buf();
        }
        if n > best.0 {
            best = (n, d.to_path_buf());
        }
        match d.parent() {
            Some(p) if d != root && p.starts_with(root) => d = p,
            _ => return best.1,
        }
    }
}

/// Whether `name` is a compose file Compose reads only when named with `-f`
/// (`docker-compose.build.yaml`, `compose-dev.yml`).
fn other_compose_name(name: &str) -> bool {
    let rest = (name.strip_prefix("docker-compose")).or_else(|| name.strip_prefix("compose"));
    rest.is_some_and(|r| r.starts_with(['.', '-', '_']))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
        && !super::names::is_compose_name(name)
}

/// What the builds found so far tell the inference, and what it reads once for all the
/// Dockerfiles it is asked about.
#[derive(Default)]
pub struct Known<'a> {
    /// The contexts of the builds compose files name.
    pub taken: &'a [&'a Path],
    /// Per directory: (Dockerfile, context) of each build in its compose files under other
    /// names, in file-name order.
    others: RefCell<HashMap<PathBuf, Vec<(PathBuf, PathBuf)>>>,
    /// Per Dockerfile folder: (Dockerfile, context) of the build commands the project runs
    /// ([`super::scripted::dockerfile_contexts`]).
    commands: RefCell<HashMap<PathBuf, Vec<(PathBuf, PathBuf)>>>,
}

impl<'a> Known<'a> {
    pub fn new(taken: &'a [&'a Path]) -> Known<'a> {
        Known {
            taken,
            others: RefCell::default(),
            commands: RefCell::default(),
        }
    }

    /// The context the first build command the project runs for `dockerfile` gives it.
    fn scripted(&self, root: &Path, dockerfile: &Path) -> Option<PathBuf> {
        let dir = dockerfile.parent()?;
        let mut cache = self.commands.borrow_mut();
        let found = (cache.entry(dir.to_path_buf()))
            .or_insert_with(|| super::scripted::dockerfile_contexts(root, dir));
        (found.iter())
            .find(|(d, _)| d == dockerfile)
            .map(|(_, c)| c.clone())
    }

    /// The builds of `dir`'s compose files under other names, read on first use.
    fn others_in(&self, root: &Path, dir: &Path) -> Vec<(PathBuf, PathBuf)> {
        let mut cache = self.others.borrow_mut();
        let found = cache.entry(dir.to_path_buf()).or_insert_with(|| {
            let mut files: Vec<PathBuf> = (std::fs::read_dir(dir).into_iter().flatten().flatten())
                .filter(|e| other_compose_name(&e.file_name().to_string_lossy()))
                .map(|e| e.path())
                .collect();
            files.sort();
            let env = super::interpolate::Env::for_project(dir);
            (files.into_iter())
                .filter_map(|f| super::project::project_builds(root, &[f], &env).ok())
                .flatten()
                .filter(|b| !b.dockerfile_inline)
                .map(|b| (b.dockerfile, b.context))
                .collect()
        });
        found.clone()
    }
}

/// The context of the first service, in a compose file under another name in the
/// Dockerfile's directory or one above it (nearest first, names sorted), that builds
/// `dockerfile`.
fn named_by_other_compose(root: &Path, dockerfile: &Path, known: &Known) -> Option<PathBuf> {
    let start = dockerfile.parent()?;
    start
        .ancestors()
        .take_while(|d| d.starts_with(root))
        .find_map(|dir| {
            (known.others_in(root, dir).into_iter())
                .find(|(d, c)| d == dockerfile && c.starts_with(root) && c.is_dir())
                .map(|(_, c)| c)
        })
}

/// The nearest directory above `own` (up to `root`) that holds a `.dockerignore` and no
/// Dockerfile, unless `own` holds a `.dockerignore` itself or is a dev container's folder.
fn ignored_from_above(root: &Path, own: &Path) -> Option<PathBuf> {
    // The dev container tools build from its own folder unless its JSON says otherwise.
    if own.file_name().is_some_and(|n| n == ".devcontainer") {
        return None;
    }
    let has_ignore = |d: &Path| d.join(".dockerignore").symlink_metadata().is_ok();
    let has_dockerfile = |d: &Path| {
        std::fs::read_dir(d).is_ok_and(|mut r| {
            r.any(|e| {
                e.is_ok_and(|e| super::names::is_dockerfile(&e.file_name().to_string_lossy()))
            })
        })
    };
    if has_ignore(own) {
        return None;
    }
    let above = own.ancestors().skip(1).take_while(|d| d.starts_with(root));
    let d = above.into_iter().find(|d| has_ignore(d))?;
    (!has_dockerfile(d)).then(|| d.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_directory_holding_every_source() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        let w = |p: &str, s: &str| crate::test_files::write(root, p, s);
        w("setup.py", "");
        w("docker/config.json", "");
        w(
            "docker/app.Dockerfile",
            "FROM python\nCOPY setup.py ./\nCOPY --from=x /uv /uv\nCOPY docker/config.json /c\n",
        );
        w("nginx/nginx.conf", "");
        w(
            "nginx/Dockerfile",
            "FROM nginx\nCOPY nginx.conf /etc/nginx/\n",
        );
        w("web/Dockerfile", "FROM node\nCOPY . .\n");
        w("lost/Dockerfile", "FROM x\nCOPY nowhere.txt /\n");
        w("apps/web/Dockerfile", "FROM x\nCOPY setup.py bun.lockb /\n");
        let ctx = |d: &str| context_of(root, &root.join(d), &Known::default());
        assert_eq!(ctx("docker/app.Dockerfile"), root);
        assert_eq!(ctx("nginx/Dockerfile"), root.join("nginx"));
        assert_eq!(ctx("web/Dockerfile"), root.join("web"));
        assert_eq!(ctx("lost/Dockerfile"), root.join("lost"));
        assert_eq!(
            ctx("apps/web/Dockerfile"),
            root,
            "most sources, none holds all"
        );
        // A source with a variable names the directory it is in (LocalAI's
        // `backend/Dockerfile.golang`: `COPY backend/go/${BACKEND}/`, built from the root).
        w("backend/go/opus/main.go", "");
        w(
            "backend/Dockerfile.golang",
            "FROM x\nARG BACKEND\nCOPY backend/go/${BACKEND}/ /b/\nCOPY . /src\n",
        );
        w("backend/Dockerfile.cpp", "FROM x\nCOPY cpp/${B}.cc /b/\n");
        w("backend/cpp/a.cc", "");
        assert_eq!(ctx("backend/Dockerfile.golang"), root);
        assert_eq!(ctx("backend/Dockerfile.cpp"), root.join("backend"));
        // Only `COPY .`: a `.dockerignore` above with no Dockerfile beside it says where
        // (SD.Next's `configs/Dockerfile.cuda`); one beside a Dockerfile is that one's.
        w("configs/Dockerfile.cuda", "FROM x\nCOPY . /app\n");
        w("configs/Dockerfile.rocm", "FROM x\nRUN make\n");
        assert_eq!(ctx("configs/Dockerfile.cuda"), root.join("configs"));
        w(".dockerignore", "/outputs/*\n");
        assert_eq!(ctx("configs/Dockerfile.cuda"), root);
        assert_eq!(
            ctx("configs/Dockerfile.rocm"),
            root.join("configs"),
            "copies nothing"
        );
        assert_eq!(ctx("web/Dockerfile"), root);
        w("web/.dockerignore", "dist\n");
        assert_eq!(ctx("web/Dockerfile"), root.join("web"), "its own says so");
        w("tools/Dockerfile", "FROM x\nCOPY . /src\n");
        w("Dockerfile", "FROM x\nCOPY setup.py /\n");
        assert_eq!(
            ctx("tools/Dockerfile"),
            root.join("tools"),
            "the root's is the root build's"
        );
        std::fs::remove_file(root.join("Dockerfile")).unwrap();
        let taken = [root];
        let by_compose = context_of(
            root,
            &root.join("configs/Dockerfile.cuda"),
            &Known::new(&taken),
        );
        assert_eq!(by_compose, root.join("configs"), "a compose build's");
        // A compose file Compose reads only with `-f` names it (unstract's
        // `docker/docker-compose.build.yaml`: `context: ..`).
        w(
            "docker/dockerfiles/backend.Dockerfile",
            "FROM x\nCOPY ${P}/ ./\n",
        );
        w("docker/dockerfiles/.dockerignore", "*.md\n");
        assert_eq!(
            ctx("docker/dockerfiles/backend.Dockerfile"),
            root.join("docker/dockerfiles")
        );
        w(
            "docker/docker-compose.build.yaml",
            "services:\n  backend:\n    build:\n      dockerfile: docker/dockerfiles/backend.Dockerfile\n      context: ..\n",
        );
        assert_eq!(ctx("docker/dockerfiles/backend.Dockerfile"), root);
        // A dev container's JSON names its context (mealie: `..`, whatever the COPYs say).
        w(".devcontainer/Dockerfile", "FROM x\n");
        assert_eq!(ctx(".devcontainer/Dockerfile"), root.join(".devcontainer"));
        w(
            ".devcontainer/devcontainer.json",
            "{ // dev\n \"build\": { \"dockerfile\": \"Dockerfile\", \"context\": \"..\" } }",
        );
        assert_eq!(ctx(".devcontainer/Dockerfile"), root);
    }
}
