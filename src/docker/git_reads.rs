//! Whether a build reads the repository's git history from its context: a `RUN` that asks git
//! (`git describe`, `git rev-parse HEAD`), a `RUN` of a script in the context that does
//! (syncthing's `go run build.go`, whose `build.go` runs `git describe`; `make`, whose
//! Makefile does), an image whose command does (miniflux's Debian builder), or a Python project
//! that takes its version from git (setuptools-scm, hatch-vcs, versioneer) installed by a
//! `RUN`. Such a build needs `.git` in its context: excluding it changes its version or fails
//! it, so the ignore writer does not add `.git` there and the audit does not ask for it.

use std::path::Path;

use super::copy_source::{bind_sources, CopySource};
use super::dockerfile::instructions;

/// git commands that read the repository (not `clone`, which fetches another).
const READS: &[&str] = &[
    "describe",
    "rev-parse",
    "log",
    "show",
    "rev-list",
    "status",
    "tag",
    "branch",
    "diff",
    "ls-files",
    "symbolic-ref",
    "name-rev",
    "submodule",
];

/// Python build backends that take the version from git.
const VCS_VERSIONS: &[&str] = &[
    "setuptools_scm",
    "setuptools-scm",
    "hatch-vcs",
    "versioneer",
    "poetry-dynamic-versioning",
    "setuptools-git-versioning",
    "dunamai",
];

/// Where a build reads git: the Dockerfile's line and what it does there (`runs `git
/// describe``, `mounts `.git` into a RUN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRead {
    pub line: usize,
    pub why: String,
}

/// How the build with Dockerfile text `dockerfile` and context `context` reads git, if it does.
pub fn reads_git(context: &Path, dockerfile: &str) -> Option<GitRead> {
    // A RUN that bind-mounts `.git` from the context reads it there whatever it copies
    // (ragflow: `RUN --mount=type=bind,source=.git,target=/ragflow/.git` then `git describe`);
    // excluded, the mount's source is not found and the build fails.
    let git = |b: &CopySource| {
        b.pattern()
            .is_some_and(|p| p == ".git" || p.starts_with(".git/"))
    };
    if let Some(b) = bind_sources(dockerfile).iter().find(|b| git(b)) {
        return Some(GitRead {
            line: b.line,
            why: format!("mounts `{}` into a RUN", b.source),
        });
    }
    let all = instructions(dockerfile);
    // `.git` reaches a RUN only after a COPY or ADD of the whole context (`COPY . .`): a
    // build that copies `pyproject.toml` alone (khoj) reads no git, whatever it runs.
    let whole = all.iter().position(|(_, name, args)| {
        let (flags, paths) = super::dockerfile::copy_args(args);
        let sources = &paths[..paths.len().saturating_sub(1)];
        matches!(name.as_str(), "COPY" | "ADD")
            && !flags.iter().any(|(k, _)| k == "from")
            && (sources.iter()).any(|s| matches!(s.trim_end_matches('/'), "." | "" | "./"))
    })?;
    // Where the context lands in the image (`ADD . /src`): a script run as `/src/build.sh`
    // is the context's `build.sh`.
    let (_, paths) = super::dockerfile::copy_args(&all[whole].2);
    let dest = paths.last().map(|d| d.trim_end_matches('/').to_string());
    // What runs after it: at build time, or as the container's command (miniflux's Debian
    // image: `CMD ["/src/packaging/debian/build.sh"]`, which runs `git describe`).
    let runs: Vec<(usize, String)> = all[whole..]
        .iter()
        .filter(|(_, name, _)| matches!(name.as_str(), "RUN" | "CMD" | "ENTRYPOINT"))
        .map(|(line, _, args)| (*line, args.clone()))
        .collect();
    for (line, args) in &runs {
        if let Some(cmd) = git_command(args) {
            return Some(GitRead {
                line: *line,
                why: format!("runs `{cmd}`"),
            });
        }
        for word in args.split_whitespace() {
            let file = word.trim_matches(['"', '\'', ';', '&', '|', '(', ')', '[', ']', ',']);
            let file = (dest.as_deref())
                .and_then(|d| file.strip_prefix(d)?.strip_prefix('/'))
                .unwrap_or(file);
            let file = file.strip_prefix("./").unwrap_or(file);
            if file.is_empty() || file.starts_with(['/', '-', '$']) || file.contains("..") {
                continue;
            }
            // `make` runs the Makefile (miniflux's `RUN make miniflux`, whose Makefile sets
            // `VERSION := $(shell git describe --tags …)`).
            let files: &[&str] = match file {
                "make" | "gmake" => &["GNUmakefile", "makefile", "Makefile"],
                f => &[f][..],
            };
            for file in files {
                let text = crate::fsx::read_text(&context.join(file), 1 << 20);
                if let Some(cmd) = text.as_deref().and_then(git_command) {
                    return Some(GitRead {
                        line: *line,
                        why: format!("runs `{file}`, which runs `{cmd}`"),
                    });
                }
            }
        }
    }
    let backend = ["pyproject.toml", "setup.cfg", "setup.py"]
        .iter()
        .filter_map(|f| crate::fsx::read_text(&context.join(f), 1 << 20))
        .find_map(|t| VCS_VERSIONS.iter().find(|v| t.contains(*v)).copied())?;
    let (line, _) = runs.iter().find(|(_, a)| installs_project(a))?;
    Some(GitRead {
        line: *line,
        why: format!("runs an install of a project whose version {backend} takes from git"),
    })
}

/// Whether the RUN arguments `args` build or install the project itself (`pip install .`,
/// `pip install -e /app`, `poetry install`, `uv sync`), not a package by name (`pip install
/// uv`, `apt install python3-pip`).
fn installs_project(args: &str) -> bool {
    let t: Vec<&str> = args.split_whitespace().collect();
    let has = |w: &str| t.contains(&w);
    // A path that names the project, not a requirements file (`-r /app/requirements.txt`).
    let project = t.iter().enumerate().any(|(i, w)| {
        let listed = i > 0 && matches!(t[i - 1], "-r" | "--requirement" | "-c" | "--constraint");
        !listed
            && !w.ends_with(".txt")
            && (*w == "." || w.starts_with("./") || w.starts_with('/') || *w == "-e")
    });
    let pip = (has("pip") || has("pip3") || t.iter().any(|w| w.ends_with("/pip")))
        && (has("install") || has("wheel"))
        && project;
    pip || has("poetry") && has("install")
        || has("uv") && has("sync")
        || has("pdm") && has("install")
        || has("-m") && has("build")
        || has("hatch") && has("build")
}

/// The first `git <read>` in `text`, as written: the word `git`, then quotes, commas or
/// spaces, then a command that reads the repository (`git describe`, `"git", "describe"`).
fn git_command(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("git").map(|i| i + from) {
        from = i + 3;
        let word_before =
            i > 0 && (b[i - 1].is_ascii_alphanumeric() || b"_-./".contains(&b[i - 1]));
        if word_before {
            continue;
        }
        let rest = &text[i + 3..];
        let gap = rest.len() - rest.trim_start_matches(['"', '\'', ',', ' ', '\t']).len();
        if gap == 0 || rest[..gap].contains(',') && !rest[..gap].contains(['"', '\'']) {
            continue;
        }
        let after = &rest[gap..];
        let cmd: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if READS.contains(&cmd.as_str()) {
            return Some(format!("git {cmd}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_commands_that_read_the_repository() {
        for t in [
            "RUN VERSION=$(git describe --tags) && make",
            "echo $(git rev-parse HEAD) > /version",
            "runError(\"git\", \"describe\", \"--always\")",
            "subprocess.check_output(['git', 'rev-parse', 'HEAD'])",
        ] {
            assert!(git_command(t).is_some(), "{t}");
        }
        for t in [
            "apt-get install -y git curl",
            "git clone https://github.com/x/y.git",
            "pip install gitpython",
            "COPY .github /x",
            "digit describe",
            "my-git log",
        ] {
            assert_eq!(git_command(t), None, "{t}");
        }
    }

    #[test]
    fn a_run_a_script_or_a_vcs_versioned_install() {
        let d = tempfile::tempdir().unwrap();
        let df = "FROM golang\nCOPY . .\nRUN go run build.go -no-upgrade build syncthing\n";
        assert_eq!(reads_git(d.path(), df), None);
        std::fs::write(
            d.path().join("build.go"),
            "func v() { runError(\"git\", \"describe\", \"--always\") }\n",
        )
        .unwrap();
        let r = reads_git(d.path(), df).unwrap();
        assert_eq!(r.line, 3);
        assert_eq!(r.why, "runs `build.go`, which runs `git describe`");
        // `make` runs the Makefile, which asks git for the version.
        let mk = "FROM golang\nADD . /src\nWORKDIR /src\nRUN make miniflux\n";
        assert_eq!(reads_git(d.path(), mk), None);
        std::fs::write(
            d.path().join("Makefile"),
            "VERSION := $(shell git describe --tags --exact-match 2>/dev/null)\n",
        )
        .unwrap();
        let r = reads_git(d.path(), mk).unwrap();
        assert_eq!(
            (r.line, r.why.as_str()),
            (4, "runs `Makefile`, which runs `git describe`")
        );
        // The container's command, by its path in the image.
        std::fs::create_dir_all(d.path().join("pkg")).unwrap();
        std::fs::write(d.path().join("pkg/build.sh"), "V=$(git describe --tags)\n").unwrap();
        let cmd = "FROM golang\nADD . /src/\nCMD [\"/src/pkg/build.sh\"]\n";
        let r = reads_git(d.path(), cmd).unwrap();
        assert_eq!(
            (r.line, r.why.as_str()),
            (3, "runs `pkg/build.sh`, which runs `git describe`")
        );
        let py = "FROM python\nCOPY . /app\nRUN pip install /app\n";
        assert_eq!(reads_git(d.path(), py), None);
        std::fs::write(
            d.path().join("pyproject.toml"),
            "[build-system]\nrequires = [\"hatchling\", \"hatch-vcs\"]\n",
        )
        .unwrap();
        assert_eq!(reads_git(d.path(), py).unwrap().line, 3);
        let by_name = "FROM python\nCOPY . /app\nRUN pip install uv\n";
        assert_eq!(reads_git(d.path(), by_name), None);
        let reqs = "FROM python\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n";
        assert_eq!(
            reads_git(d.path(), reqs),
            None,
            "a requirements file, not the project"
        );
        let no_git = "FROM python\nCOPY pyproject.toml /app/\nRUN pip install /app\n";
        assert_eq!(reads_git(d.path(), no_git), None, "no `.git` copied in");
        let before = "FROM alpine\nRUN git rev-parse HEAD > /v\nCOPY . /s\n";
        assert_eq!(reads_git(d.path(), before), None);
        let direct = "FROM alpine\nRUN apk add git\nCOPY . /s\nRUN git rev-parse HEAD > /v\n";
        assert_eq!(
            reads_git(d.path(), direct),
            Some(GitRead {
                line: 4,
                why: "runs `git rev-parse`".into()
            })
        );
        // A RUN that bind-mounts `.git` reads it with no COPY at all (ragflow); one from
        // another stage or image, or a cache mount, does not read the context's.
        let mounted = "FROM alpine\nRUN --mount=type=bind,source=.git,target=/r/.git \\\n    git describe > /v\n";
        assert_eq!(
            reads_git(d.path(), mounted),
            Some(GitRead {
                line: 2,
                why: "mounts `.git` into a RUN".into()
            })
        );
        for other in [
            "FROM alpine\nRUN --mount=type=bind,from=src,source=.git,target=/g git log\n",
            "FROM alpine\nRUN --mount=type=cache,target=/.git true\n",
            "FROM alpine\nRUN --mount=type=bind,source=.github,target=/g true\n",
            "FROM alpine\n# RUN --mount=type=bind,source=.git,target=/g true\n",
        ] {
            assert_eq!(reads_git(d.path(), other), None, "{other}");
        }
    }
}
