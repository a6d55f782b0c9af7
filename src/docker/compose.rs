//! Which builds a repository has: every compose service with `build:` (string or mapping form,
//! context relative to the compose file, dockerfile relative to the context) and every
//! Dockerfile no compose file builds (its directory as context). And what each Dockerfile
//! copies: the sources of COPY and ADD (not `--from=` stages, not URLs).

use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

use super::files::BuildFiles;
pub use super::names::{is_dockerfile, COMPOSE_NAMES};
use crate::error::{Error, Location, Result};

/// One `docker build`: a context and a Dockerfile.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Build {
    /// `compose.yaml: service web`, or the Dockerfile's path.
    pub name: String,
    pub context: PathBuf,
    pub dockerfile: PathBuf,
}

impl Build {
    /// What `docker build` would not find, first missing first: the context directory, or else
    /// the Dockerfile (path and what it is). Such a build fails before it sends anything.
    pub fn missing_input(&self) -> Option<(&Path, &'static str)> {
        if !self.context.is_dir() {
            Some((&self.context, "build context"))
        } else if !self.dockerfile.is_file() {
            Some((&self.dockerfile, "Dockerfile"))
        } else {
            None
        }
    }
}

fn yaml_err(file: &Path, line: usize, message: String) -> Error {
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

/// The builds a compose file declares.
pub fn compose_builds(file: &Path, root: &Path) -> Result<Vec<Build>> {
    let text = crate::fsx::read_regular(file, crate::limits::MAX_BUILD_FILE_BYTES, true)?
        .ok_or_else(|| Error::io(file, std::io::ErrorKind::NotFound.into()))?;
    let text = String::from_utf8(text).map_err(|_| yaml_err(file, 0, "not UTF-8 text".into()))?;
    super::yaml_bound::check(&text).map_err(|(line, m)| yaml_err(file, line, m))?;
    let docs = YamlLoader::load_from_str(&text)
        .map_err(|e| yaml_err(file, e.marker().line(), e.to_string()))?;
    let dir = file.parent().unwrap_or(root);
    let shown = file
        .strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string();
    let mut out = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(out);
    };
    let Some(services) = doc["services"].as_hash() else {
        return Ok(out);
    };
    for (name, svc) in services {
        let name = name.as_str().unwrap_or("?");
        let (context, dockerfile) = match &svc["build"] {
            Yaml::String(ctx) => (ctx.clone(), None),
            Yaml::Hash(_) => (
                svc["build"]["context"].as_str().unwrap_or(".").to_string(),
                svc["build"]["dockerfile"].as_str().map(str::to_string),
            ),
            _ => continue,
        };
        if context.contains("://") || context.starts_with("git@") {
            continue; // a remote context: nothing local is sent
        }
        let ctx = normalize(&dir.join(&context));
        let df = match dockerfile {
            Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
            Some(d) => normalize(&ctx.join(d)),
            None => ctx.join("Dockerfile"),
        };
        out.push(Build {
            name: format!("{shown}: service {name}"),
            context: ctx,
            dockerfile: df,
        });
    }
    Ok(out)
}

/// `a/./b/../c` → `a/c`, without touching the filesystem.
fn normalize(p: &Path) -> PathBuf {
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

/// Every build of the repository: compose services first, then Dockerfiles no service builds.
pub fn discover(root: &Path) -> Result<Vec<Build>> {
    discover_in(root, &BuildFiles::find(root))
}

/// [`discover`] from build files already found.
pub fn discover_in(root: &Path, files: &BuildFiles) -> Result<Vec<Build>> {
    let mut builds = Vec::new();
    for c in &files.compose {
        builds.extend(compose_builds(c, root)?);
    }
    for d in files.dockerfiles.iter().cloned() {
        if !builds.iter().any(|b| b.dockerfile == d) {
            let ctx = d.parent().unwrap_or(root).to_path_buf();
            builds.push(Build {
                name: d.strip_prefix(root).unwrap_or(&d).display().to_string(),
                context: ctx,
                dockerfile: d,
            });
        }
    }
    Ok(builds)
}

/// A COPY or ADD source.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CopySource {
    pub line: usize,
    pub instruction: String,
    pub source: String,
}

/// The local sources COPY and ADD read from the build context.
pub fn copy_sources(dockerfile: &str) -> Vec<CopySource> {
    let mut out = Vec::new();
    let lines: Vec<&str> = dockerfile.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let first = lines[i].trim_start();
        i += 1;
        if first.starts_with('#') || first.is_empty() {
            continue;
        }
        // Join continuation lines (comment lines inside a continuation are dropped, as Docker does).
        let mut full = first.trim_end().to_string();
        while full.ends_with('\\') && i < lines.len() {
            full.pop();
            let next = lines[i].trim_start();
            i += 1;
            if next.starts_with('#') {
                full.push('\\');
                continue;
            }
            full.push(' ');
            full.push_str(next.trim_end());
        }
        let (instr, args) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
        let instr = instr.to_ascii_uppercase();
        // Skip a heredoc body.
        if let Some(pos) = args.find("<<") {
            let delim: String = args[pos + 2..]
                .trim_start_matches('-')
                .trim_matches(|c| c == '"' || c == '\'')
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !delim.is_empty() {
                while i < lines.len() && lines[i].trim() != delim {
                    i += 1;
                }
                i += 1;
            }
            continue;
        }
        if instr != "COPY" && instr != "ADD" {
            continue;
        }
        let args = args.trim();
        let mut tokens: Vec<String> = Vec::new();
        let mut rest = args;
        // Flags come first: --from, --chown, --chmod, --link, --parents, --exclude, --checksum.
        while let Some(r) = rest.strip_prefix("--") {
            let (flag, after) = r.split_once(char::is_whitespace).unwrap_or((r, ""));
            if flag.starts_with("from=") {
                tokens.clear();
                rest = "";
                break;
            }
            rest = after.trim_start();
        }
        if rest.is_empty() {
            continue;
        }
        if rest.starts_with('[') {
            if let Ok(v) = serde_json::from_str::<Vec<String>>(rest) {
                tokens = v;
            }
        } else {
            tokens = rest.split_whitespace().map(str::to_string).collect();
        }
        if tokens.len() < 2 {
            continue;
        }
        tokens.pop(); // the destination
        for s in tokens {
            if s.contains("://") || s.starts_with("git@") {
                continue;
            }
            out.push(CopySource {
                line: start + 1,
                instruction: instr.clone(),
                source: s,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_and_add_sources_not_stages_or_urls() {
        let df = "FROM python:3.11 AS build\n\
                  COPY requirements.txt /app/\n\
                  copy --chown=app:app src/ static/ /app/\n\
                  COPY --from=build /wheels /wheels\n\
                  ADD https://example.com/x.tar.gz /tmp/\n\
                  ADD [\"vendor dir/lib.tar\", \"/opt/\"]\n\
                  # COPY commented.txt /x\n\
                  COPY a.txt \\\n     b.txt /dst/\n\
                  RUN <<EOF\nCOPY not-an-instruction /x\nEOF\n\
                  COPY --link . /app\n";
        let got: Vec<(usize, String)> = copy_sources(df)
            .into_iter()
            .map(|c| (c.line, c.source))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "requirements.txt".into()),
                (3, "src/".into()),
                (3, "static/".into()),
                (6, "vendor dir/lib.tar".into()),
                (8, "a.txt".into()),
                (8, "b.txt".into()),
                (13, ".".into()),
            ]
        );
    }

    #[test]
    fn compose_build_forms_and_relative_paths() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("deploy")).unwrap();
        std::fs::write(
            root.join("deploy/compose.yaml"),
            "services:\n  api:\n    build: ..\n  ui:\n    build:\n      context: ../ui\n      dockerfile: docker/prod.Dockerfile\n  abs:\n    build:\n      context: .\n      dockerfile: /srv/Dockerfile\n  remote:\n    build: https://github.com/x/y.git\n  db:\n    image: postgres\n",
        )
        .unwrap();
        let b = compose_builds(&root.join("deploy/compose.yaml"), root).unwrap();
        let got: Vec<(String, PathBuf, PathBuf)> = b
            .into_iter()
            .map(|b| (b.name, b.context, b.dockerfile))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "deploy/compose.yaml: service api".into(),
                    root.to_path_buf(),
                    root.join("Dockerfile")
                ),
                (
                    "deploy/compose.yaml: service ui".into(),
                    root.join("ui"),
                    root.join("ui/docker/prod.Dockerfile")
                ),
                (
                    "deploy/compose.yaml: service abs".into(),
                    root.join("deploy"),
                    PathBuf::from("/srv/Dockerfile")
                ),
            ]
        );
        std::fs::write(root.join("compose.yml"), "services: [unclosed\n").unwrap();
        let e = compose_builds(&root.join("compose.yml"), root)
            .unwrap_err()
            .to_string();
        assert!(e.contains("compose.yml:"), "{e}");
    }

    #[test]
    fn dockerfile_names() {
        for n in [
            "Dockerfile",
            "Dockerfile.prod",
            "app.Dockerfile",
            "worker.dockerfile",
        ] {
            assert!(is_dockerfile(n), "{n}");
        }
        for n in [
            "Dockerfile.dockerignore",
            "app.Dockerfile.dockerignore",
            "dockerfile.md",
            "README",
        ] {
            assert!(!is_dockerfile(n), "{n}");
        }
    }
}
