//! `docker build` commands in the repository's own files: launchers, Makefiles, CI workflows
//! and the commands its docs give. They define builds that no compose file names and that no
//! conventional Dockerfile name reveals (SwarmUI's `launchtools/launch-standard-docker.sh`:
//! `docker build -f launchtools/StandardDockerfile.docker -t swarmui .`). Only their context
//! directories are read here, for one question: does a build read this `.dockerignore`?

use std::path::{Path, PathBuf};

/// A `docker build` command found in a file of the repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Scripted {
    /// The file, from the root, and the command's (first) line.
    pub file: String,
    pub line: usize,
    /// Where its context argument may point: from the root (docs and CI workflows run their
    /// commands there), from a Makefile's directory, from either for a script (it may `cd`
    /// first); only directories inside the root that exist.
    pub dirs: Vec<PathBuf>,
}

/// Options of `docker build` (and `buildx build`, `podman build`) that take a value as the
/// next word when not written `--opt=value`.
const VALUED: &[&str] = &[
    "-f",
    "--file",
    "-t",
    "--tag",
    "--build-arg",
    "--target",
    "--platform",
    "--network",
    "--label",
    "--secret",
    "--ssh",
    "--cache-from",
    "--cache-to",
    "--progress",
    "-o",
    "--output",
    "--iidfile",
    "--add-host",
    "--build-context",
    "--ulimit",
    "--shm-size",
    "-m",
    "--memory",
    "--cgroup-parent",
    "--cpuset-cpus",
    "--cpu-shares",
    "--isolation",
    "--metadata-file",
    "--annotation",
    "--attest",
    "--builder",
    "--allow",
    "--call",
];

/// Words that end a command on the line.
pub(super) const ENDS: &[&str] = &["|", "||", "&&", ";", "<", ">", ">>", "2>&1", ")", "`", "&"];

/// Whether a tracked file may hold commands someone runs.
pub(super) fn may_run(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = |e: &[&str]| e.iter().any(|x| name.ends_with(x));
    ext(&[".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd", ".mk", ".md"])
        || [
            "Makefile",
            "makefile",
            "GNUmakefile",
            "justfile",
            "Justfile",
            ".gitlab-ci.yml",
        ]
        .contains(&name)
        || (path.starts_with(".github/workflows/") && ext(&[".yml", ".yaml"]))
}

/// The context argument of each build command in `text`, with its line (1-based).
pub fn commands(text: &str) -> Vec<(usize, String)> {
    (logical_lines(text).into_iter())
        .filter_map(|(n, l)| Some((n, context_in(&l)?)))
        .collect()
}

/// The lines of `text` as a shell reads them, each with the number of its first line: a line
/// continued with `\` (PowerShell's backtick, cmd's `^`) is joined to the next.
pub(super) fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut joined = String::new();
    let mut first = 0;
    for (n, line) in text.lines().enumerate() {
        if joined.is_empty() {
            first = n + 1;
        }
        let body = line.trim_end();
        // A Markdown code fence is no command, nor a line continued with a backtick.
        if body.trim_start().starts_with("```") {
            continue;
        }
        match body.strip_suffix(['\\', '`', '^']) {
            Some(head) => {
                joined.push_str(head);
                joined.push(' ');
                continue;
            }
            None => joined.push_str(body),
        }
        out.push((first, std::mem::take(&mut joined)));
    }
    out
}

/// The context argument of the first build command in `line`, if it names one literally.
fn context_in(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.windows(2).position(|w| {
        matches!(w[0], "docker" | "podman" | "buildx" | "image" | "buildah")
            && matches!(w[1], "build" | "bud")
    })?;
    let mut context = None;
    let mut skip = false;
    for w in &words[at + 2..] {
        let w = w.trim_matches(|c| c == '"' || c == '\'');
        if ENDS.contains(&w) {
            break;
        }
        if std::mem::take(&mut skip) {
            continue;
        }
        if w.starts_with('-') && w != "-" {
            skip = VALUED.contains(&w);
            continue;
        }
        context = Some(w.to_string());
    }
    // A variable, stdin, or a remote context says nothing of this repository's directories.
    let c = context?;
    let literal = !c.contains(['$', '%', '{', '<']) && c != "-" && !c.contains("://");
    (literal && !c.starts_with("git@")).then_some(c)
}

/// Where the relative paths in a command of the tracked file at `path` (from `root`) start:
/// a Makefile's directory (make runs there); the root for docs and CI workflows (their
/// commands run there); either for a script (it may `cd` first).
pub(super) fn bases(root: &Path, path: &str) -> Vec<PathBuf> {
    let full = root.join(path);
    let dir = full.parent().unwrap_or(root).to_path_buf();
    let name = path.rsplit('/').next().unwrap_or(path);
    let make = [
        "Makefile",
        "makefile",
        "GNUmakefile",
        "justfile",
        "Justfile",
    ]
    .contains(&name)
        || name.ends_with(".mk");
    let from_root =
        path.ends_with(".md") || path.starts_with(".github/") || name == ".gitlab-ci.yml";
    match (make, from_root) {
        (true, _) => vec![dir],
        (_, true) => vec![root.to_path_buf()],
        _ => vec![root.to_path_buf(), dir],
    }
}

/// Every build command in the repository's tracked `files` (paths from `root`).
pub fn find<'a>(root: &Path, files: impl Iterator<Item = &'a [u8]>) -> Vec<Scripted> {
    let mut out = Vec::new();
    for f in files {
        let path = String::from_utf8_lossy(f);
        if !may_run(&path) {
            continue;
        }
        let full = root.join(path.as_ref());
        let Some(text) = crate::fsx::read_text(&full, crate::limits::MAX_BUILD_FILE_BYTES) else {
            continue;
        };
        if !text.contains(" build") && !text.contains(" bud") {
            continue;
        }
        let bases = bases(root, &path);
        for (line, c) in commands(&text) {
            let mut dirs: Vec<PathBuf> = (bases.iter())
                .map(|b| b.join(&c))
                .map(|d| super::compose::normalize(&d))
                .filter(|d| d.starts_with(root) && d.is_dir())
                .collect();
            dirs.dedup();
            out.push(Scripted {
                file: path.to_string(),
                line,
                dirs,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_argument_of_build_commands() {
        let text = "#!/bin/sh\ncd \"$(dirname \"$0\")/..\"\n\
            docker build --build-arg UID=$UID -f launchtools/Std.docker -t swarmui .\n\
            docker buildx build --platform linux/amd64 \\\n  -t x:1 \\\n  ./web && echo ok\n\
            podman build --file=Containerfile ctx | tee log\n\
            docker build -t x $DIR\n\
            docker build - < Dockerfile\n\
            docker build https://github.com/x/y.git\n\
            docker compose build api\n\
            echo docker build is slow\n\
            ```\n\
            docker build -t y fenced\n";
        let got = commands(text);
        assert_eq!(
            got,
            vec![
                (3, ".".to_string()),
                (4, "./web".to_string()),
                (7, "ctx".to_string()),
                (12, "slow".to_string()),
                (14, "fenced".to_string()),
            ]
        );
    }
}
