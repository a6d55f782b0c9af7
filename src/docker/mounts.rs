//! The host paths compose services bind-mount: `./pgdata:/var/lib/postgresql/data`, or the long
//! form's `type: bind` with a `source`. A service reads and writes what lies there while it
//! runs (a database's files, its `postmaster.pid`, uploads, the models it loads), so the
//! cleanup must know them ([`crate::in_use`]).
//!
//! Every tracked compose file is read, the variants a project runs with `-f` too
//! (`docker-compose.prod.yml`): a path one of them mounts is one a service may be using.
//! Compose's own rule tells a bind mount from a named volume in the short form: the source is
//! a path when it starts with `.`, `/` or `~` (the home directory, never inside a checkout);
//! a relative one resolves against the compose file's directory.

use std::path::Path;

use yaml_rust2::Yaml;

use super::interpolate::{interpolate, Env};
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// One bind mount of a path inside the repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Mount {
    /// The mounted path, from the root (never the root itself: mounting the whole checkout
    /// is how a dev container runs the code, not where a service keeps its data).
    pub source: RelPath,
    /// The compose file, from the root.
    pub file: RelPath,
    /// 1-based line of the mount in that file (1 when the text could not be found again).
    pub line: usize,
    /// That line, trimmed.
    pub excerpt: String,
}

/// Whether `name` is a compose file a project may run: the default names, their overrides,
/// and variants named after them (`docker-compose.prod.yml`, `docker-compose-kafka.yml`).
pub fn is_compose_variant(name: &[u8]) -> bool {
    if !name.starts_with(b"docker-compose") && !name.starts_with(b"compose") {
        return false;
    }
    let Ok(name) = std::str::from_utf8(name) else {
        return false;
    };
    if super::names::is_compose_name(name) {
        return true;
    }
    let Some(stem) = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))
    else {
        return false;
    };
    // `docker-compose.prod.yml`, `docker-compose-kafka.yml`, `compose_dev.yaml`.
    ["docker-compose", "compose"].iter().any(|p| {
        stem.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(['.', '-', '_']))
    })
}

/// The bind mounts of every service in every tracked compose file under `root`, in index
/// order. A file that cannot be read or parsed gives none (the audit reports it).
pub fn bind_mounts(root: &Path, git: &GitInfo) -> Vec<Mount> {
    let mut out = Vec::new();
    for file in git.tracked_named(is_compose_variant) {
        let path = file.under(root);
        let Ok(text) = super::yaml_load::read(&path) else {
            continue;
        };
        let Ok(doc) = super::yaml_load::parse(&path, &text) else {
            continue;
        };
        let dir = path.parent().unwrap_or(root);
        // `${PWD}/data`: the project's directory (`Env::for_project`).
        let env = Env::for_project(dir);
        let Some(services) = doc["services"].as_hash() else {
            continue;
        };
        for svc in services.values() {
            for (raw, source) in sources(&svc["volumes"], &env) {
                let Some(source) = inside(root, dir, &source) else {
                    continue;
                };
                let (line, excerpt) = line_of(&text, &raw);
                out.push(Mount {
                    source,
                    file: file.clone(),
                    line,
                    excerpt,
                });
            }
        }
    }
    out
}

/// (the source as written, the source with variables filled in) of each bind mount in a
/// service's `volumes`.
fn sources(volumes: &Yaml, env: &Env) -> Vec<(String, String)> {
    let Some(list) = volumes.as_vec() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for v in list {
        // The short form `SRC:DST[:MODE]` (a lone `DST` is an anonymous volume), or the long
        // form's `source` where its `type` is `bind`.
        let (raw, short) = match v {
            Yaml::String(s) => (s.as_str(), true),
            Yaml::Hash(_) if v["type"].as_str() == Some("bind") => match v["source"].as_str() {
                Some(s) => (s, false),
                None => continue,
            },
            _ => continue,
        };
        let Ok(filled) = interpolate(raw, env) else {
            continue;
        };
        let (raw, source) = match short {
            true => match (raw.split(':').next(), filled.split_once(':')) {
                (Some(r), Some((src, _))) => (r, src.to_string()),
                _ => continue,
            },
            false => (raw, filled),
        };
        if source.starts_with(['.', '/']) {
            out.push((raw.to_string(), source));
        }
    }
    out
}

/// `source` (relative to the compose file's `dir`, or absolute) from the root; `None` outside
/// it or at the root itself.
fn inside(root: &Path, dir: &Path, source: &str) -> Option<RelPath> {
    let abs = super::compose::normalize(&dir.join(source));
    let rel = abs.strip_prefix(root).ok()?;
    let rel = RelPath::from_bytes(rel.as_os_str().as_encoded_bytes());
    (!rel.is_root()).then_some(rel)
}

/// The first line of `text` naming `raw` as a whole source (`./data:` or `source: ./data`,
/// not `./database`), as a reference cites it.
pub(super) fn line_of(text: &str, raw: &str) -> (usize, String) {
    let whole = |l: &str| {
        l.match_indices(raw).any(|(i, _)| {
            matches!(
                l[i + raw.len()..].chars().next(),
                None | Some(':' | '"' | '\'' | ' ' | '/' | ']' | ',')
            )
        })
    };
    text.lines()
        .enumerate()
        .find(|(_, l)| !l.trim_start().starts_with('#') && whole(l))
        .map(|(n, l)| (n + 1, l.trim().chars().take(120).collect()))
        .unwrap_or((1, String::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(yaml: &str) -> Vec<(String, String)> {
        let doc = yaml_rust2::YamlLoader::load_from_str(yaml).unwrap();
        sources(&doc[0]["volumes"], &Env::of(&[("DATA", "./store")]))
    }

    #[test]
    fn short_and_long_bind_mounts_but_not_named_or_anonymous_volumes() {
        let got = parsed(
            "volumes:\n  - ./pgdata:/var/lib/postgresql/data\n  - db_data:/data\n  - /app/node_modules\n  - ${DATA}/x:/x:ro\n  - type: bind\n    source: ../shared\n    target: /shared\n  - type: volume\n    source: cache\n    target: /cache\n  - /srv/abs:/abs\n",
        );
        let sources: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(sources, ["./pgdata", "./store/x", "../shared", "/srv/abs"]);
        // The text as written, to find the line again.
        assert_eq!(got[1].0, "${DATA}/x");
    }

    #[test]
    fn the_line_cited_names_the_source_whole() {
        let text = "services:\n  db:\n    volumes:\n      # ./data:/old\n      - ./database:/x\n      - \"./data:/var/lib/data\"\n";
        assert_eq!(
            line_of(text, "./data"),
            (6, "- \"./data:/var/lib/data\"".to_string())
        );
        assert_eq!(line_of("a: [./data/]\n", "./data").0, 1);
        assert_eq!(line_of("x\n", "./data"), (1, String::new()));
    }

    #[test]
    fn compose_variants() {
        for n in [
            "docker-compose.yml",
            "compose.override.yaml",
            "docker-compose.prod.yml",
            "docker-compose-kafka.yml",
            "compose_dev.yaml",
        ] {
            assert!(is_compose_variant(n.as_bytes()), "{n}");
        }
        for n in [
            "docker-compose.yml.bak",
            "my-compose.yml",
            "compose.json",
            "composer.yml",
        ] {
            assert!(!is_compose_variant(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn sources_resolve_inside_the_root_only() {
        let root = Path::new("/r");
        let dir = Path::new("/r/deploy");
        assert_eq!(
            inside(root, dir, "../data/pg"),
            Some(RelPath::from_bytes("data/pg"))
        );
        assert_eq!(inside(root, dir, ".."), None);
        assert_eq!(inside(root, dir, "../../etc"), None);
        assert_eq!(inside(root, dir, "/srv/x"), None);
        assert_eq!(
            inside(root, dir, "/r/deploy/x"),
            Some(RelPath::from_bytes("deploy/x"))
        );
    }
}
