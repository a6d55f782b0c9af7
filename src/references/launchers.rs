//! Windows launchers kept as a set: one beside a launcher the project refers to, a numbered
//! procedure of them in one directory, every one where no Docker setup replaces them, and one
//! that runs Docker itself.
//! Each extends what [`super::find`] found.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Candidate, RefKind, Reference};
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// Whether a launcher's name starts with a step number (`1.`, `2-1.`, `03_`, `4 `).
fn numbered(name: &[u8]) -> bool {
    let digits = name.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = &name[digits..];
    let rest = match rest {
        [b'-' | b'_' | b'.', d, ..] if d.is_ascii_digit() => {
            let more = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            &rest[1 + more..]
        }
        _ => rest,
    };
    (1..=3).contains(&digits) && matches!(rest.first(), Some(b'.' | b'-' | b'_' | b' '))
}

/// Windows launchers that nothing names, three or more in one directory numbered as steps
/// (AI-Vtuber's `Scripts/1.双击我启动程序.bat`, `2-2.安装依赖.bat`, `3.conda初始化配置.bat`):
/// a procedure the project ships for its users, not one machine's leftovers.
pub(super) fn numbered_launchers(cands: &[Candidate], out: &mut HashMap<RelPath, Reference>) {
    let mut by_dir: HashMap<&[u8], Vec<&RelPath>> = HashMap::new();
    let steps = (cands.iter()).filter(|c| is_launcher(c) && !out.contains_key(c.path));
    for c in steps.filter(|c| numbered(c.path.file_name())) {
        let dir = crate::relpath::parent_of(c.path.as_bytes());
        by_dir.entry(dir).or_default().push(c.path);
    }
    for (dir, paths) in by_dir.into_iter().filter(|(_, p)| p.len() >= 3) {
        let file = match dir {
            [] => ".".to_string(),
            d => format!("{}/", RelPath::from_bytes(d).display()),
        };
        for p in paths {
            let r = Reference {
                file: file.clone(),
                line: 1,
                excerpt: String::new(),
                kind: RefKind::Steps,
            };
            out.insert(p.clone(), r);
        }
    }
}

/// Whether a candidate is a Windows launcher (`.bat`, `.cmd`, or a console-less Python
/// program, `.pyw`).
fn is_launcher(c: &Candidate) -> bool {
    let name = c.path.file_name().to_ascii_lowercase();
    let ext = |e: &[u8]| name.ends_with(e);
    !c.is_dir && (ext(b".bat") || ext(b".cmd") || ext(b".pyw"))
}

/// A Windows launcher that nothing names, beside one a document or script of the project
/// names (a counterpart for other systems is not enough), is one of the set the project
/// ships: SillyTavern's `Remote-Link.cmd` and `UpdateAndStart.bat` beside the `Start.bat` its
/// README tells Windows users to double-click. One step only: a launcher kept
/// for its sibling keeps no other.
pub(super) fn sibling_launchers(cands: &[Candidate], out: &mut HashMap<RelPath, Reference>) {
    let referred: Vec<&RelPath> = cands
        .iter()
        .filter(|c| is_launcher(c))
        .filter(|c| out.get(c.path).is_some_and(|r| r.kind == RefKind::Mention))
        .map(|c| c.path)
        .collect();
    for c in cands.iter().filter(|c| is_launcher(c)) {
        let dir = crate::relpath::parent_of(c.path.as_bytes());
        let beside = referred
            .iter()
            .filter(|p| crate::relpath::parent_of(p.as_bytes()) == dir)
            .min();
        if let (Some(b), false) = (beside, out.contains_key(c.path)) {
            let r = Reference {
                file: b.display(),
                line: 1,
                excerpt: String::new(),
                kind: RefKind::Sibling,
            };
            out.insert(c.path.clone(), r);
        }
    }
}

/// Windows launchers that nothing names, where no tracked Dockerfile, Containerfile or compose
/// file covers their folder: a launcher is junk because the Docker setup replaces it, and here
/// there is none (option-system's `快速開始.bat` menu, Deep-Live-Cam's `run-cuda.bat`): it is
/// how the project runs on Windows. A setup covers its own folder and those below it, so a
/// monorepo's root launcher is not replaced by one app's Dockerfile in a subfolder
/// (Master-Haven's `update_planet_atlas.bat` beside `haven-ops/Dockerfile`).
pub(super) fn undockered_launchers(
    g: &GitInfo,
    cands: &[Candidate],
    out: &mut HashMap<RelPath, Reference>,
) {
    let left: Vec<&Candidate> = (cands.iter())
        .filter(|c| is_launcher(c) && !out.contains_key(c.path))
        .collect();
    if left.is_empty() {
        return;
    }
    let covered: HashSet<Vec<u8>> = (g.tracked_files())
        .filter(|p| docker_setup(p))
        .flat_map(|p| covered_by(crate::relpath::parent_of(p)))
        .collect();
    for c in left {
        let mut dir = crate::relpath::parent_of(c.path.as_bytes());
        let replaced = loop {
            if covered.contains(dir) {
                break true;
            }
            if dir.is_empty() {
                break false;
            }
            dir = crate::relpath::parent_of(dir);
        };
        if replaced {
            continue;
        }
        let r = Reference {
            file: ".".to_string(),
            line: 1,
            excerpt: String::new(),
            kind: RefKind::NoDocker,
        };
        out.insert(c.path.clone(), r);
    }
}

/// The folders a Docker setup in `dir` covers: `dir`, and its parent when `dir` is a folder
/// kept for the setup (`docker/Dockerfile`, `deploy/docker-compose.yml` build the project
/// around them).
fn covered_by(dir: &[u8]) -> Vec<Vec<u8>> {
    const SETUP_DIRS: &[&[u8]] = &[
        b"docker",
        b".docker",
        b"deploy",
        b"deployment",
        b"deployments",
        b"infra",
        b"ops",
    ];
    let name = dir.rsplit(|&b| b == b'/').next().unwrap_or(dir);
    let mut out = vec![dir.to_vec()];
    if !dir.is_empty() && SETUP_DIRS.contains(&name) {
        out.push(crate::relpath::parent_of(dir).to_vec());
    }
    out
}

/// Whether a tracked path is a Docker setup: a Dockerfile, a Containerfile, a compose file
/// under any name (`docker-compose.dev.yml`).
fn docker_setup(path: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let name = String::from_utf8_lossy(name);
    let compose = (name.starts_with("docker-compose") || name.starts_with("compose."))
        && (name.ends_with(".yml") || name.ends_with(".yaml"));
    compose || name == "Containerfile" || crate::docker::names::is_dockerfile(&name)
}

/// Windows launchers that nothing names and that run a container or build an image
/// themselves (storage-backup's `startup.bat`: `docker-compose build`, then `docker run -d
/// --restart unless-stopped -p 172.17.0.1:4000:4000 …`): part of the Docker setup, holding
/// settings (ports, names, a restart policy) no compose file has. One that only passes a
/// command to Compose (`docker-compose up -d`) holds none: the compose file replaces it.
pub(super) fn docker_launchers(
    root: &Path,
    cands: &[Candidate],
    out: &mut HashMap<RelPath, Reference>,
) {
    for c in cands.iter().filter(|c| is_launcher(c)) {
        if out.contains_key(c.path) {
            continue;
        }
        let max = crate::limits::MAX_BUILD_FILE_BYTES;
        let Some(text) = crate::fsx::read_text(&c.path.under(root), max) else {
            continue;
        };
        if let Some((line, excerpt)) = runs_docker(&text) {
            let r = Reference {
                file: c.path.display(),
                line,
                excerpt,
                kind: RefKind::RunsDocker,
            };
            out.insert(c.path.clone(), r);
        }
    }
}

/// The first line (1-based, and its text) of a batch file that runs `docker run`, `docker
/// create`, `docker build` or `docker buildx` (`docker container run` too): as a command,
/// after `&&`, `|`, `(`, `call` or variables set before it, not in an `echo` or a remark.
fn runs_docker(text: &str) -> Option<(usize, String)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        let words: Vec<&str> = (lower.split(|c: char| c.is_whitespace() || "&|()".contains(c)))
            .filter(|w| !w.is_empty())
            .map(|w| w.trim_start_matches('@'))
            .collect();
        let first = words.first()?;
        if *first == "rem" || first.starts_with("::") || first.starts_with("echo") {
            return None;
        }
        let docker = |w: &&str| w.strip_suffix(".exe").unwrap_or(w) == "docker";
        let runs = (words.iter().enumerate())
            .filter(|(_, w)| docker(w))
            .any(|(j, _)| {
                let mut sub = words[j + 1..].iter().filter(|w| !w.starts_with('-'));
                let verb = match sub.next() {
                    Some(&("container" | "image")) => sub.next(),
                    v => v,
                };
                verb.is_some_and(|v| ["run", "create", "build", "buildx"].contains(v))
            });
        runs.then(|| (i + 1, t.chars().take(120).collect()))
    })
}

#[cfg(test)]
mod tests {
    use super::runs_docker;

    #[test]
    fn a_batch_file_runs_a_container_in_a_command_not_in_an_echo_or_remark() {
        let line = |t: &str| runs_docker(t).map(|(n, _)| n);
        let startup = "docker rm \"storage.backup\" -f\nCOMPOSE_DOCKER_CLI_BUILD=1 DOCKER_BUILDKIT=1 docker-compose build\ndocker run -d --restart unless-stopped -p 172.17.0.1:4000:4000 storage.backup\n";
        assert_eq!(line(startup), Some(3));
        assert_eq!(line("@echo off\ndocker build -t app .\n"), Some(2));
        assert_eq!(
            line("cd app && Docker.exe container run --rm app\n"),
            Some(1)
        );
        assert_eq!(
            line("if errorlevel 1 (docker --debug buildx build .)\n"),
            Some(1)
        );
        // Compose holds what these run; an echo or a remark runs nothing.
        assert_eq!(
            line("docker-compose up -d\ndocker compose -f a.yml up\n"),
            None
        );
        assert_eq!(
            line("echo Run: docker run app\nREM docker run x\n:: docker run\n"),
            None
        );
        assert_eq!(
            line("docker ps\ndocker info >nul\npython app.py --docker run\n"),
            None
        );
    }
}
