//! A compose file whose build paths are written with Windows' `\` separators. Visual Studio's
//! scaffolding wrote `dockerfile: Project\Dockerfile` for years (microsoft/DockerTools#129,
//! vscode-docker#1711): Compose on Windows reads it, but on Linux and macOS a `\` is part of
//! the name, no such file exists, and the build fails ("Cannot locate Dockerfile") on every CI
//! runner and server. dotNET-Microservices' `src/docker-compose.yml` writes seven services'
//! Dockerfiles so; each is there under `/`. One problem, the file's, said once with the paths
//! to write, not seven "does not exist, create it" errors.

use std::path::{Path, PathBuf};

use super::compose::Build;
use super::names::{and_list, compose_service};

/// A compose file whose missing build paths exist once their `\` are read as `/`.
pub struct Backslashed {
    /// The compose file, from the root.
    pub file: String,
    found: Vec<Found>,
}

/// A build path written with `\` that exists with `/`.
struct Found {
    /// The service's build name (`src/docker-compose.yml: service web`).
    build: String,
    /// The missing context or Dockerfile.
    missing: PathBuf,
    /// `dockerfile` or `context`.
    key: &'static str,
    /// As written in the compose file, from the folder it is read from.
    written: String,
}

/// The compose files among `builds` with build paths that are missing as written and there
/// with `/` in place of each `\`.
pub fn backslashed<'b>(root: &Path, builds: impl Iterator<Item = &'b Build>) -> Vec<Backslashed> {
    let mut files: Vec<Backslashed> = Vec::new();
    for b in builds {
        let Some((file, found)) = found(root, b) else {
            continue;
        };
        match files.iter_mut().find(|f| f.file == file) {
            Some(f) => f.found.push(found),
            None => files.push(Backslashed {
                file,
                found: vec![found],
            }),
        }
    }
    files
}

impl Backslashed {
    /// Whether the build named `build`, missing `path`, is one of this file's.
    pub fn explains(&self, build: &str, path: &Path) -> bool {
        (self.found.iter()).any(|f| f.missing == path && f.build == build)
    }

    pub fn message(&self) -> String {
        fn svc(f: &Found) -> &str {
            compose_service(&f.build).map_or("", |(_, s)| s)
        }
        let how = "Compose on Windows reads them, but on Linux and macOS (CI runners, servers) a `\\` is part of the name";
        match self.found.as_slice() {
            [one] => format!(
                "`{}` writes the {} of service {} as `{}`, with Windows' `\\` separators: {how}, no such path exists, and the build fails",
                self.file,
                one.key,
                svc(one),
                one.written
            ),
            many => format!(
                "`{}` writes the build paths of {} services with Windows' `\\` separators ({}): {how}, no such paths exist, and those builds fail",
                self.file,
                many.len(),
                shown(many.iter().map(|f| format!("`{}` (service {})", f.written, svc(f))))
            ),
        }
    }

    pub fn fix(&self) -> String {
        let lines: Vec<String> = (self.found.iter())
            .map(|f| format!("`{}: {}`", f.key, f.written.replace('\\', "/")))
            .collect();
        format!(
            "write them with `/`, which Compose reads on every system: {}",
            and_list(&lines)
        )
    }
}

/// The first three of `items` and how many more: the fix lists them all.
fn shown(items: impl ExactSizeIterator<Item = String>) -> String {
    let n = items.len();
    let mut first: Vec<String> = items.take(3).collect();
    if n > 3 {
        first.push(format!("{} more", n - 3));
    }
    and_list(&first)
}

/// `b`'s missing path, where it has a `\` and is there with `/`: (compose file, what was found).
fn found(root: &Path, b: &Build) -> Option<(String, Found)> {
    let (p, what) = b.missing_input()?;
    let file = compose_service(&b.name)?.0;
    let (key, from) = match what {
        "Dockerfile" => ("dockerfile", b.context.clone()),
        _ => (
            "context",
            root.join(Path::new(file).parent().unwrap_or(Path::new(""))),
        ),
    };
    let written = p.strip_prefix(&from).ok()?.to_str()?;
    if !written.contains('\\') {
        return None;
    }
    let fixed = from.join(written.replace('\\', "/"));
    let there = match key {
        "dockerfile" => fixed.is_file(),
        _ => fixed.is_dir(),
    };
    there.then(|| {
        let found = Found {
            build: b.name.clone(),
            missing: p.to_path_buf(),
            key,
            written: written.to_string(),
        };
        (file.to_string(), found)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_there_with_slashes_are_found() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("src/Api")).unwrap();
        std::fs::write(root.join("src/Api/Dockerfile"), "FROM scratch\n").unwrap();
        let build = |svc: &str, df: &str| {
            Build::new(
                format!("src/docker-compose.yml: service {svc}"),
                root.join("src"),
                root.join("src").join(df),
            )
        };
        let builds = [
            build("api", "Api\\Dockerfile"),
            build("gone", "Gone\\Dockerfile"),
            build("fine", "Api/Dockerfile"),
        ];
        let found = backslashed(root, builds.iter());
        assert_eq!(found.len(), 1);
        assert!(found[0].explains(&builds[0].name, &root.join("src/Api\\Dockerfile")));
        assert!(!found[0].explains(&builds[1].name, &root.join("src/Gone\\Dockerfile")));
        assert_eq!(found[0].fix(), "write them with `/`, which Compose reads on every system: `dockerfile: Api/Dockerfile`");
        assert!(
            found[0].message().contains("as `Api\\Dockerfile`"),
            "{}",
            found[0].message()
        );
    }
}
