//! Compose projects as Compose reads them: in a directory, the first of `compose.yaml`,
//! `compose.yml`, `docker-compose.yml`, `docker-compose.yaml`, merged with the first override
//! file (`compose.override.yml` …), or the files `COMPOSE_FILE` or `--compose-file` name;
//! `${VAR:-default}` from `.env` and the environment; `extends:` (same file or another),
//! `include:`, and profiles. Only what a build needs is kept: each service's context,
//! Dockerfile (or `dockerfile_inline`) and `additional_contexts`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use yaml_rust2::Yaml;

use super::compose::{names_missing, normalize, refused, Build};
use super::interpolate::{interpolate, Env};
use super::names::{COMPOSE_NAMES, OVERRIDE_NAMES};
use super::yaml_load::load;
use crate::error::Result;

/// `extends` chains deeper than this are an error (Compose refuses cycles).
const MAX_EXTENDS: usize = 16;

static ROOT_FILES: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// `--compose-file`: the files of the root's project, instead of discovery and `COMPOSE_FILE`.
pub fn set_root_files(files: Vec<PathBuf>) {
    let _ = ROOT_FILES.set(files);
}

/// Whether `--compose-file` named the root's project files.
pub fn has_root_files() -> bool {
    ROOT_FILES.get().is_some_and(|f| !f.is_empty())
}

/// A service's build as the files say it, paths still relative to `base`.
#[derive(Debug, Clone, Default)]
struct BuildDef {
    base: PathBuf,
    context: Option<String>,
    dockerfile: Option<String>,
    inline: bool,
    additional: Vec<String>,
    target: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Service {
    build: Option<BuildDef>,
    profiles: Vec<String>,
}

/// The files of the project in `dir`, in merge order; empty when `dir` has no compose file.
pub fn project_files(root: &Path, dir: &Path, env: &Env) -> Vec<PathBuf> {
    let named = |list: &str| -> Vec<PathBuf> {
        let sep = env.get("COMPOSE_PATH_SEPARATOR").unwrap_or(":");
        list.split(sep)
            .filter(|f| !f.is_empty())
            .map(|f| normalize(&dir.join(f)))
            .collect()
    };
    if dir == root {
        if let Some(f) = ROOT_FILES.get().filter(|f| !f.is_empty()) {
            return f.clone();
        }
        if let Some(list) = env.get("COMPOSE_FILE") {
            return named(list);
        }
    } else if let Some(list) = env.file("COMPOSE_FILE") {
        return named(list);
    }
    let first = |names: &[&str]| names.iter().map(|n| dir.join(n)).find(|p| p.is_file());
    match first(COMPOSE_NAMES) {
        Some(main) => std::iter::once(main).chain(first(OVERRIDE_NAMES)).collect(),
        None => Vec::new(),
    }
}

/// The builds of the project made of `files` (the first one's directory is the project's).
pub fn project_builds(root: &Path, files: &[PathBuf], env: &Env) -> Result<Vec<Build>> {
    let Some(main) = files.first() else {
        return Ok(Vec::new());
    };
    let dir = main.parent().unwrap_or(root).to_path_buf();
    let mut services: BTreeMap<String, Service> = BTreeMap::new();
    let mut out = Vec::new();
    for f in files {
        let doc = load(f)?;
        for inc in includes(&doc, f, env)? {
            let inc_dir = inc.first().and_then(|p| p.parent()).unwrap_or(&dir);
            let inc_env = Env::for_project(inc_dir);
            out.extend(project_builds(root, &inc, &inc_env)?);
        }
        let Some(svcs) = doc["services"].as_hash() else {
            continue;
        };
        for (name, svc) in svcs {
            let name = name.as_str().unwrap_or("?").to_string();
            let own = service(svc, f, &dir, env, 0)?;
            let merged = match services.remove(&name) {
                Some(base) => merge(base, own),
                None => own,
            };
            services.insert(name, merged);
        }
    }
    let shown = main
        .strip_prefix(root)
        .unwrap_or(main)
        .display()
        .to_string();
    for (name, s) in services {
        let Some(b) = s.build else { continue };
        let profiles = if s.profiles.is_empty() {
            String::new()
        } else {
            format!(" (profile {})", s.profiles.join(", "))
        };
        if let Some(build) = to_build(b, format!("{shown}: service {name}{profiles}")) {
            out.push(build);
        }
    }
    Ok(out)
}

/// The files each `include:` entry names (a path, a list, or `path:` in a mapping), relative
/// to the including file.
fn includes(doc: &Yaml, file: &Path, env: &Env) -> Result<Vec<Vec<PathBuf>>> {
    let Some(list) = doc["include"].as_vec() else {
        return Ok(Vec::new());
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for item in list {
        let paths: Vec<&Yaml> = match item {
            Yaml::String(_) => vec![item],
            Yaml::Hash(_) => match &item["path"] {
                Yaml::Array(a) => a.iter().collect(),
                p => vec![p],
            },
            _ => continue,
        };
        let mut files = Vec::new();
        for p in paths.into_iter().filter_map(Yaml::as_str) {
            let p = interpolate(p, env).map_err(|m| refused(file, 0, m))?;
            let abs = normalize(&dir.join(&p));
            if matches!(abs.try_exists(), Ok(false)) {
                return Err(names_missing(file, "include", &p, &abs));
            }
            files.push(abs);
        }
        out.push(files);
    }
    Ok(out)
}

/// One service of `file`, with what it `extends` folded in; relative paths resolve against
/// `base` (the project directory, or the extended file's directory).
fn service(svc: &Yaml, file: &Path, base: &Path, env: &Env, depth: usize) -> Result<Service> {
    let svc = &*super::yaml_merge::merged(svc);
    let str_of = |y: &Yaml| -> Result<Option<String>> {
        y.as_str()
            .map(|s| interpolate(s, env).map_err(|m| refused(file, 0, m)))
            .transpose()
    };
    let mut own = Service {
        profiles: svc["profiles"]
            .as_vec()
            .map(|v| {
                v.iter()
                    .filter_map(|p| p.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        build: None,
    };
    let b = &*super::yaml_merge::merged(&svc["build"]);
    if !b.is_badvalue() && !b.is_null() {
        let mut d = BuildDef {
            base: base.to_path_buf(),
            ..BuildDef::default()
        };
        match b {
            Yaml::String(_) => d.context = str_of(b)?,
            Yaml::Hash(h) => {
                d.context = str_of(&b["context"])?;
                d.dockerfile = str_of(&b["dockerfile"])?;
                d.inline = !b["dockerfile_inline"].is_badvalue();
                d.target = str_of(&b["target"])?;
                d.additional = match h.get(&Yaml::String("additional_contexts".into())) {
                    Some(Yaml::Hash(a)) => a
                        .keys()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect(),
                    Some(Yaml::Array(a)) => a
                        .iter()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect(),
                    _ => Vec::new(),
                };
            }
            _ => {}
        }
        own.build = Some(d);
    }
    let ext = &svc["extends"];
    if ext.is_badvalue() {
        return Ok(own);
    }
    if depth >= MAX_EXTENDS {
        return Err(refused(
            file,
            0,
            "`extends` goes deeper than 16 services (a cycle?)".into(),
        ));
    }
    let (name, other) = match ext {
        Yaml::String(s) => (s.clone(), None),
        _ => (
            ext["service"].as_str().unwrap_or_default().to_string(),
            str_of(&ext["file"])?,
        ),
    };
    let (from_file, from_base) = match other {
        Some(f) => {
            let p = normalize(&file.parent().unwrap_or(base).join(&f));
            if matches!(p.try_exists(), Ok(false)) {
                return Err(names_missing(file, "extends", &f, &p));
            }
            let b = p.parent().unwrap_or(base).to_path_buf();
            (p, b)
        }
        None => (file.to_path_buf(), base.to_path_buf()),
    };
    let doc = load(&from_file)?;
    let parent = &doc["services"][name.as_str()];
    if parent.is_badvalue() {
        return Err(refused(
            file,
            0,
            format!("`extends`: no service `{name}` in {}", from_file.display()),
        ));
    }
    let inherited = service(parent, &from_file, &from_base, env, depth + 1)?;
    Ok(merge(inherited, own))
}

/// `over` on top of `base`, as Compose merges a service: each build key replaces its own.
fn merge(base: Service, over: Service) -> Service {
    let build = match (base.build, over.build) {
        (Some(b), Some(o)) => Some(BuildDef {
            context: o.context.clone().or(b.context.clone()),
            // A context from `over` resolves against over's base, an inherited one against base's.
            base: if o.context.is_some() {
                o.base.clone()
            } else {
                b.base.clone()
            },
            dockerfile: o.dockerfile.or(b.dockerfile),
            inline: o.inline || b.inline,
            target: o.target.or(b.target),
            additional: if o.additional.is_empty() {
                b.additional
            } else {
                o.additional
            },
        }),
        (b, o) => o.or(b),
    };
    Service {
        build,
        profiles: if over.profiles.is_empty() {
            base.profiles
        } else {
            over.profiles
        },
    }
}

fn to_build(b: BuildDef, name: String) -> Option<Build> {
    let context = b.context.unwrap_or_else(|| ".".into());
    if context.contains("://") || context.starts_with("git@") {
        return None; // a remote context: nothing local is sent
    }
    let ctx = normalize(&b.base.join(&context));
    let dockerfile = match b.dockerfile {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => normalize(&ctx.join(d)),
        None => super::names::default_dockerfile(&ctx),
    };
    Some(Build {
        name,
        context: ctx,
        dockerfile,
        dockerfile_inline: b.inline,
        additional_contexts: b.additional,
        target: b.target,
        outside: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (p, t) in files {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        }
    }

    /// `include:` (Compose 2.20; Debian's 1.29 cannot check it), inline Dockerfiles,
    /// additional contexts, and an `extends` cycle.
    #[test]
    fn include_inline_additional_contexts_and_cycles() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(
            root,
            &[
                ("compose.yaml", "include:\n  - infra/compose.yaml\n  - path: [tools/a.yml, tools/b.yml]\nservices:\n  web:\n    build:\n      context: web\n      dockerfile_inline: |\n        FROM scratch\n      additional_contexts:\n        shared: ../shared\n"),
                ("infra/compose.yaml", "services:\n  proxy:\n    build: .\n"),
                ("tools/a.yml", "services:\n  t:\n    build: ./t\n"),
                ("tools/b.yml", "services:\n  t:\n    build:\n      dockerfile: b.Dockerfile\n"),
            ],
        );
        let env = Env::default();
        let files = project_files(root, root, &env);
        let got: Vec<(String, PathBuf, PathBuf, bool, Vec<String>)> =
            project_builds(root, &files, &env)
                .unwrap()
                .into_iter()
                .map(|b| {
                    (
                        b.name,
                        b.context,
                        b.dockerfile,
                        b.dockerfile_inline,
                        b.additional_contexts,
                    )
                })
                .collect();
        assert_eq!(
            got,
            vec![
                (
                    "infra/compose.yaml: service proxy".into(),
                    root.join("infra"),
                    root.join("infra/Dockerfile"),
                    false,
                    vec![]
                ),
                (
                    "tools/a.yml: service t".into(),
                    root.join("tools/t"),
                    root.join("tools/t/b.Dockerfile"),
                    false,
                    vec![]
                ),
                (
                    "compose.yaml: service web".into(),
                    root.join("web"),
                    root.join("web/Dockerfile"),
                    true,
                    vec!["shared".into()]
                ),
            ]
        );
        write(
            root,
            &[(
                "compose.yaml",
                "services:\n  a:\n    extends: b\n  b:\n    extends: a\n",
            )],
        );
        let e = project_builds(root, &files, &env).unwrap_err().to_string();
        assert!(e.contains("deeper than 16"), "{e}");
    }
}
