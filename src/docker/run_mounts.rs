//! The host paths a `docker run` in the project's scripts and docs bind-mounts:
//! `docker run -v $(pwd)/redis-data:/data redis --appendonly yes` in a README, or a
//! `start-db.sh` with `-v $(pwd)/pgdata:/var/lib/postgresql/data`. A service started that way
//! keeps its files there as one compose starts does ([`super::mounts`]), so the cleanup must
//! know them too ([`crate::in_use`]).
//!
//! Read in tracked shell scripts, Makefiles, PowerShell and batch files and Markdown docs: each
//! `docker run` (`docker container run`, `docker create`, `podman run`) with its lines joined
//! where they end in `\`, and each `-v`/`--volume SRC:DST` and `--mount type=bind,source=SRC`
//! whose source is the current directory's (`$(pwd)/pgdata`, `${PWD}/x`, `$PWD/x`, a
//! Makefile's `$(PWD)/x`, `./x`, `%cd%\x`), resolved against the root, where a project's docs
//! run their commands. A named volume (`pgdata:/var/lib/...`), an absolute path and the whole
//! checkout (`$(pwd):/app`, a dev container's code) are not a service's folder here.

use std::path::Path;

use super::mounts::Mount;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// Scripts and docs larger than this are not read for mounts (no hand-written one is).
const MAX_SCRIPT_BYTES: u64 = 1 << 20;

/// What the current directory is written as, before a mounted path in it.
const CWD_PREFIXES: &[&str] = &[
    "$(pwd)/", "${PWD}/", "$PWD/", "$(PWD)/", "${pwd}/", "`pwd`/", "%cd%\\", "%CD%\\", "%cd%/",
    "%CD%/", "./",
];

/// The commands that start a container with the mounts they are given.
const RUNS: &[&[&str]] = &[
    &["docker", "run"],
    &["docker", "container", "run"],
    &["docker", "create"],
    &["podman", "run"],
];

/// Whether the tracked file `name` is one whose commands a developer runs.
fn is_script(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(&lower[..], b"makefile" | b"gnumakefile")
        || [".sh", ".bash", ".mk", ".md", ".ps1", ".bat", ".cmd"]
            .iter()
            .any(|e| lower.ends_with(e.as_bytes()))
}

/// The bind mounts of the `docker run` commands in every tracked script and doc under `root`.
pub fn run_mounts(root: &Path, git: &GitInfo) -> Vec<Mount> {
    let mut out = Vec::new();
    for file in git.tracked_named(is_script) {
        // An installed package's docs (`node_modules/@mui/x-data-grid/CHANGELOG.md`, 400 kB
        // that mentions docker) show commands run from that package's own checkout.
        if in_installed_package(file.as_bytes()) {
            continue;
        }
        let Some(text) = crate::fsx::read_text(&file.under(root), MAX_SCRIPT_BYTES) else {
            continue;
        };
        // Most docs start no container: one search of the whole text says so.
        if !RUNS.iter().any(|r| text.contains(r[0])) {
            continue;
        }
        for (source, line) in mounts_in(&text) {
            out.push(Mount {
                source,
                file: file.clone(),
                line: line + 1,
                excerpt: excerpt(&text, line),
            });
        }
    }
    out
}

/// Whether `path` lies in a folder a package manager installs into.
fn in_installed_package(path: &[u8]) -> bool {
    path.split(|&b| b == b'/')
        .rev()
        .skip(1)
        .any(|c| c == b"node_modules" || c == b"site-packages")
}

/// Line `n` (0-based) of `text` as a reference cites it: trimmed, without the backslash
/// that continues it.
fn excerpt(text: &str, n: usize) -> String {
    let l = text.lines().nth(n).unwrap_or("").trim();
    let l = l.strip_suffix('\\').unwrap_or(l).trim_end();
    l.chars().take(120).collect()
}

/// Each mounted source in `text` with the 0-based line its spec is on.
fn mounts_in(text: &str) -> Vec<(RelPath, usize)> {
    let mut out = Vec::new();
    // The lines of the command being read (joined where they end in `\`), each with its
    // number, and whether one names a container engine: only then are its words split out (a
    // 400 kB changelog that mentions docker once is not split word by word).
    let mut group: Vec<(&str, usize)> = Vec::new();
    let mut engine = false;
    for (n, line) in text.lines().enumerate() {
        let (body, continued) = match line.trim_end().strip_suffix('\\') {
            Some(b) => (b, true),
            None => (line, false),
        };
        engine |= RUNS.iter().any(|r| body.contains(r[0]));
        group.push((body, n));
        if !continued {
            if engine {
                out.extend(command_mounts(&words_of(&group)));
            }
            group.clear();
            engine = false;
        }
    }
    if engine {
        out.extend(command_mounts(&words_of(&group)));
    }
    out
}

/// The words of a command's lines, quotes taken out, each with its line.
fn words_of(lines: &[(&str, usize)]) -> Vec<(String, usize)> {
    (lines.iter())
        .flat_map(|&(body, n)| {
            body.split_whitespace()
                .map(move |w| (w.replace(['"', '\''], ""), n))
        })
        .collect()
}

/// The mounts of the container-starting commands among `words`.
fn command_mounts(words: &[(String, usize)]) -> Vec<(RelPath, usize)> {
    let Some(start) = (0..words.len()).find(|&i| {
        RUNS.iter().any(|r| {
            // Inline code in a doc: "run `docker run -v …`".
            words.len() >= i + r.len()
                && (r.iter().zip(&words[i..])).all(|(a, (b, _))| *a == b.trim_matches('`'))
        })
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut it = words[start..].iter();
    while let Some((w, n)) = it.next() {
        let (spec, line, mount) = match w.as_str() {
            "-v" | "--volume" | "--mount" => match it.next() {
                Some((s, l)) => (s.as_str(), *l, w == "--mount"),
                None => break,
            },
            _ => match (w.strip_prefix("--volume="), w.strip_prefix("--mount=")) {
                (Some(s), _) => (s, *n, false),
                (_, Some(s)) => (s, *n, true),
                _ => continue,
            },
        };
        let source = match mount {
            true => bind_source(spec),
            false => spec.split_once(':').map(|(s, _)| s),
        };
        if let Some(rel) = source.and_then(in_cwd) {
            out.push((rel, line));
        }
    }
    out
}

/// The source of a `--mount` spec of type bind (`type=bind,source=./data,target=/data`).
fn bind_source(spec: &str) -> Option<&str> {
    let kv = |k: &str| {
        spec.split(',')
            .find_map(|f| f.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
    };
    (kv("type") == Some("bind"))
        .then(|| kv("source").or_else(|| kv("src")))
        .flatten()
}

/// A source written in the current directory, as a path from it: `$(pwd)/pgdata` → `pgdata`.
fn in_cwd(source: &str) -> Option<RelPath> {
    let rest = CWD_PREFIXES
        .iter()
        .find_map(|p| source.strip_prefix(p))?
        .replace('\\', "/");
    let rest = rest.trim_end_matches('/');
    let plain = !rest.is_empty()
        && !rest.starts_with('/')
        && !rest.contains('$')
        && rest
            .split('/')
            .all(|c| !c.is_empty() && c != ".." && c != ".");
    plain.then(|| RelPath::from_bytes(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(text: &str) -> Vec<(String, usize)> {
        mounts_in(text)
            .into_iter()
            .map(|(p, n)| (p.display(), n + 1))
            .collect()
    }

    #[test]
    fn bind_mounts_of_the_current_directory_in_run_commands() {
        let text = "# Postgres\ndocker run -d --name pg \\\n  -e POSTGRES_PASSWORD=x \\\n  -v $(pwd)/pgdata:/var/lib/postgresql/data \\\n  postgres:16\n\
                    docker run --rm -v \"$(pwd)\"/redis-data:/data redis\n\
                    podman run --mount type=bind,source=./uploads,target=/up app\n\
                    docker container run --volume=${PWD}/models/:/models app\n\
                    \tdocker run -v $(PWD)/es-data:/usr/share/elasticsearch/data es\n\
                    Run `docker run -v `pwd`/cache:/c x` once.\n";
        assert_eq!(
            sources(text),
            [
                ("pgdata".to_string(), 4),
                ("redis-data".to_string(), 6),
                ("uploads".to_string(), 7),
                ("models".to_string(), 8),
                ("es-data".to_string(), 9),
                ("cache".to_string(), 10),
            ]
        );
    }

    #[test]
    fn named_volumes_absolute_paths_the_checkout_and_other_commands_are_not() {
        let text = "docker run -v pgdata:/var/lib/postgresql/data pg\n\
                    docker run -v /srv/data:/data x\n\
                    docker run -v $(pwd):/app -v .:/src x\n\
                    docker run -v $(pwd)/../shared:/s -v $HOME/x:/x x\n\
                    docker run --mount type=volume,source=./v,target=/v x\n\
                    echo -v ./logs:/logs\n\
                    docker build -v ./cache:/c .\n";
        assert!(sources(text).is_empty(), "{:?}", sources(text));
    }

    #[test]
    fn which_files_are_read() {
        for n in ["start-db.sh", "Makefile", "README.md", "run.ps1", "up.bat"] {
            assert!(is_script(n.as_bytes()), "{n}");
        }
        for n in ["app.py", "docker-compose.yml", "notes.txt"] {
            assert!(!is_script(n.as_bytes()), "{n}");
        }
        for p in [
            "node_modules/x/README.md",
            "a/node_modules/@s/p/CHANGELOG.md",
            ".venv/lib/python3.12/site-packages/x/README.md",
        ] {
            assert!(in_installed_package(p.as_bytes()), "{p}");
        }
        for p in [
            "docs/node_modules.md",
            "node_modules.md",
            "README.md",
            "my-site-packages/x.md",
        ] {
            assert!(!in_installed_package(p.as_bytes()), "{p}");
        }
    }

    /// A command's lines are joined before its words are read, wherever the engine's name
    /// stands in them; lines of other commands between two runs do not join them.
    #[test]
    fn only_commands_naming_an_engine_are_read() {
        let text = "sudo \\\n  docker run -v ./a:/a x\necho -v ./b:/b \\\n  docker\n\
                    cp x y\n-v ./c:/c\npodman \\\n run \\\n --volume ./d:/d x\n";
        assert_eq!(sources(text), [("a".to_string(), 2), ("d".to_string(), 9)]);
    }
}
