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
            "package.json",
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
    build_in(line).map(|(_, context)| context)
}

/// The Dockerfile (`-f`, `--file`, as written; `None` where not given) and the literal context
/// argument of the first build command in `line`.
fn build_in(line: &str) -> Option<(Option<String>, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.windows(2).position(|w| {
        matches!(w[0], "docker" | "podman" | "buildx" | "image" | "buildah")
            && matches!(w[1], "build" | "bud")
    })?;
    let (mut context, mut file) = (None, None);
    let mut skip: Option<&str> = None;
    for w in &words[at + 2..] {
        let w = w.trim_matches(|c| c == '"' || c == '\'');
        if ENDS.contains(&w) {
            break;
        }
        if let Some(opt) = skip.take() {
            if opt == "-f" || opt == "--file" {
                file = Some(w.to_string());
            }
            continue;
        }
        if let Some(f) = w.strip_prefix("--file=").or_else(|| w.strip_prefix("-f=")) {
            file = Some(f.to_string());
            continue;
        }
        if w.starts_with('-') && w != "-" {
            skip = VALUED.contains(&w).then_some(w);
            continue;
        }
        context = Some(w.to_string());
    }
    // A variable, stdin, or a remote context says nothing of this repository's directories.
    let c = context?;
    let literal = |s: &str| !s.contains(['$', '%', '{', '<']) && s != "-" && !s.contains("://");
    let file = file.filter(|f| literal(f));
    (literal(&c) && !c.starts_with("git@")).then_some((file, c))
}

/// Whether the project's usual build places ([`build_places`]) name the compose file `name`
/// after `-f`, `--file` or `--file=`, or set `COMPOSE_FILE` to it (quoted or not, with or
/// without `./`).
pub fn names_compose_file(root: &Path, name: &str) -> bool {
    let named = |t: &str| {
        let flags = ["-f ", "--file ", "--file=", "COMPOSE_FILE="];
        let before = ["", "./", "\"", "'", "\"./", "'./"];
        (flags.iter()).any(|f| before.iter().any(|b| t.contains(&format!("{f}{b}{name}"))))
    };
    (build_places(root, root).iter())
        .filter_map(|p| crate::fsx::read_text(&root.join(p), crate::limits::MAX_BUILD_FILE_BYTES))
        .any(|t| named(&t))
}

/// The files, from the root and in order, where a project keeps the commands it runs to build:
/// the root's Makefiles, justfiles, scripts and README, `scripts/`, CI workflows, and `extra`
/// (a Dockerfile's own folder, where a `build.sh` may sit).
fn build_places(root: &Path, extra: &Path) -> Vec<String> {
    let mut dirs = vec![
        root.to_path_buf(),
        root.join("scripts"),
        root.join(".github/workflows"),
    ];
    if !dirs.iter().any(|d| d == extra) {
        dirs.push(extra.to_path_buf());
    }
    let mut files: Vec<String> = Vec::new();
    for dir in &dirs {
        let Ok(rel) = dir.strip_prefix(root) else {
            continue;
        };
        let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
        let mut names: Vec<String> = (entries.filter(|e| e.file_type().is_ok_and(|t| t.is_file())))
            .map(|e| rel.join(e.file_name()).to_string_lossy().into_owned())
            .filter(|p| may_run(p) && (!p.ends_with(".md") || is_readme(p)))
            .collect();
        names.sort();
        files.extend(names);
    }
    files
}

/// The (Dockerfile, context) of each `docker build -f FILE CONTEXT` the project's usual build
/// places run ([`build_places`], `extra` among them), as absolute paths inside `root` that
/// exist. miniflux's Makefile: `docker build … -f packaging/docker/alpine/Dockerfile .`, whose
/// `ADD . /go/src/app` takes the root.
pub fn dockerfile_contexts(root: &Path, extra: &Path) -> Vec<(PathBuf, PathBuf)> {
    let files = build_places(root, extra);
    let mut out = Vec::new();
    for path in files {
        let Some(text) =
            crate::fsx::read_text(&root.join(&path), crate::limits::MAX_BUILD_FILE_BYTES)
        else {
            continue;
        };
        if !text.contains(" build") {
            continue;
        }
        let bases = bases(root, &path);
        for (_, line) in logical_lines(&text) {
            let Some((Some(file), context)) = build_in(&line) else {
                continue;
            };
            let inside = |p: PathBuf| {
                let p = super::compose::normalize(&p);
                p.starts_with(root).then_some(p)
            };
            // The first base where both exist (a script may `cd` first): the CLI reads `-f`
            // from where it runs, not from the context.
            let found = bases.iter().find_map(|b| {
                let ctx = inside(b.join(&context)).filter(|c| c.is_dir())?;
                let df = inside(b.join(&file)).filter(|d| d.is_file())?;
                Some((df, ctx))
            });
            out.extend(found);
        }
    }
    out
}

/// The context the Dockerfile's own comments build it from: `# docker build -f
/// src/main/docker/Dockerfile.jvm -t app .`, as every Quarkus project's generated Dockerfiles
/// say, names the folder the `-f` path is written from (the Dockerfile's path less it), and
/// the context from there. Only a context inside `root` that exists.
pub(super) fn commented_context(root: &Path, dockerfile: &Path, text: &str) -> Option<PathBuf> {
    (text.lines()).find_map(|line| {
        let comment = line.trim_start().strip_prefix('#')?;
        let (Some(file), context) = build_in(comment)? else {
            return None;
        };
        let file = Path::new(file.trim_start_matches("./"));
        if file.is_absolute() || !dockerfile.ends_with(file) {
            return None;
        }
        let mut base = dockerfile.to_path_buf();
        for _ in file.components() {
            base.pop();
        }
        let ctx = super::compose::normalize(&base.join(context));
        (ctx.starts_with(root) && ctx.is_dir()).then_some(ctx)
    })
}

/// A README at the top of its folder (`README.md`, `readme.md`).
fn is_readme(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.to_ascii_lowercase().starts_with("readme")
}

/// Where the relative paths in a command of the tracked file at `path` (from `root`) start:
/// a Makefile's or package.json's directory (make and npm's scripts run there); the root for
/// docs and CI workflows (their commands run there); either for a script (it may `cd` first).
pub fn bases(root: &Path, path: &str) -> Vec<PathBuf> {
    let full = root.join(path);
    let dir = full.parent().unwrap_or(root).to_path_buf();
    let name = path.rsplit('/').next().unwrap_or(path);
    let make = [
        "Makefile",
        "makefile",
        "GNUmakefile",
        "justfile",
        "Justfile",
        "package.json",
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
