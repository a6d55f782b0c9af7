//! Which Docker walk a context is computed with. The files of a build context are chosen on
//! the client's side (the `docker` CLI or buildx walks the directory with tonistiigi/fsutil and
//! matches with moby/patternmatcher), and both changed between Docker 20.10 and 23.0:
//!
//! - moby commit b625d94 (2021-10-22, "escape additional regex meta characters"): before it,
//!   `+ ( ) | { }` in a pattern were regular-expression syntax (`file(1).txt` matched
//!   `file1.txt`); after it they are literal.
//! - moby commit 2d3e837 (2021-12-20, "Avoid compiling a regexp for simple patterns"): a
//!   pattern starting with `**` followed by literal text became a suffix test, so `**foo`
//!   excludes `xfoo` and `a/xfoo` (before: only `foo` and `a/foo`).
//! - fsutil commit d7eeb96 (2021-12-20, "Avoid traversal of directories whose children are
//!   impossible to match"): an exception with a wildcard (`!**/package.json`) makes the walk
//!   enter every excluded directory and re-test each path; before, an excluded directory was
//!   entered only for an exception whose text starts with its path.
//! - patternmatcher's `MatchesOrParentMatches` replaced the old `Matches`, which checked only
//!   the parent directory with as many components as the pattern.
//!
//! Docker 23.0 (February 2023) was the first release with all of them: `Current` models it
//! and everything since; `Legacy` models Docker 20.10 and before, as checked against Debian's
//! Engine 20.10.24 by `tests/docker_conformance.rs`.

use std::sync::OnceLock;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Walk {
    /// Docker 23.0 and later (BuildKit with fsutil and patternmatcher since December 2021).
    #[default]
    Current,
    /// Docker 20.10 and before.
    Legacy,
}

impl Walk {
    pub fn name(self) -> &'static str {
        match self {
            Walk::Current => "current",
            Walk::Legacy => "legacy",
        }
    }
}

/// The walk in force and why, for reports: `current (default: no docker client found)`.
#[derive(Debug, Clone, Serialize)]
pub struct Chosen {
    pub walk: Walk,
    pub why: String,
}

/// How the walk is chosen: by the user, or from the `docker` client on PATH.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    Auto,
    Fixed(Walk),
}

static MODE: OnceLock<Mode> = OnceLock::new();
static CHOSEN: OnceLock<Chosen> = OnceLock::new();

/// Set once, by the binary, before any `.dockerignore` is read. Without it (the library's
/// own callers, its tests) the walk is `Current`.
pub fn set_mode(m: Mode) {
    let _ = MODE.set(m);
}

/// The walk every `.dockerignore` is read with. `Auto` asks the client on first use only, so
/// commands that read no `.dockerignore` never run `docker`.
pub fn chosen() -> Chosen {
    CHOSEN
        .get_or_init(|| match MODE.get() {
            Some(Mode::Auto) => detect(),
            Some(&Mode::Fixed(walk)) => Chosen {
                walk,
                why: "--docker-walk".into(),
            },
            None => Chosen {
                walk: Walk::Current,
                why: "default".into(),
            },
        })
        .clone()
}

/// The walk a `.dockerignore` with this text is read with. Text that means the same to both
/// walks (see [`neutral`]) needs no answer from the client: `docker --version` starts a Go
/// program of 40 MB, most of what the gate cost on a small repository.
pub fn for_text(text: &str) -> Walk {
    match MODE.get() {
        Some(Mode::Auto) if CHOSEN.get().is_none() && neutral(text) => Walk::Current,
        _ => chosen().walk,
    }
}

/// Whether every line means the same to both walks: none of `+ ( ) | { } ^ $ \`
/// (regular-expression syntax before 2021), no exception with a wildcard (the current walk
/// enters every excluded directory for it), and a `**` only for whole directories (`**/x`,
/// `x/**`, `a/**/b`: `**foo` became a suffix test) in a text with no exception at all. The
/// old matcher checked one parent of a path where the new checks all, but a walk meets a
/// path below an excluded directory only when an exception takes it there; the property
/// test below holds both walks to the same context. This keeps `plan` from starting `docker
/// --version` for the `**/node_modules` lines of a block it forecasts (8% of its CPU).
pub fn neutral(text: &str) -> bool {
    let exceptions = text.lines().any(|l| l.trim().starts_with('!'));
    text.lines().all(|l| {
        let l = l.trim();
        if l.starts_with('#') {
            return true;
        }
        let wild = |c: char| matches!(c, '*' | '?' | '[' | ']');
        let stars = l.contains("**") && (exceptions || !whole_directories(l));
        let differs = stars
            || l.contains(['+', '(', ')', '|', '{', '}'])
            || (l.starts_with('!') && l.contains(wild));
        !differs
    })
}

/// Whether each `**` in `line` is a whole path component.
fn whole_directories(line: &str) -> bool {
    line.split('/')
        .all(|component| !component.contains("**") || component == "**")
}

/// The walk for reports: the one chosen if it was, else the one every ignore file read so far
/// was read with (they meant the same to both, so the client was not asked).
pub fn reported() -> Chosen {
    if let Some(c) = CHOSEN.get() {
        return c.clone();
    }
    match MODE.get() {
        Some(Mode::Auto) => Chosen {
            walk: Walk::Current,
            why: "not asked: the ignore files read mean the same to Docker 20.10 and 23+".into(),
        },
        _ => chosen(),
    }
}

/// The walk of the `docker` client on PATH: `docker --version` (it needs no daemon) says
/// which; no client, or a version it does not say, means `Current`.
pub fn detect() -> Chosen {
    let out = std::process::Command::new("docker")
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    let text = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            return Chosen {
                walk: Walk::Current,
                why: "default: no docker client found".into(),
            }
        }
    };
    match client_major(&text) {
        Some((major, version)) => Chosen {
            walk: if major < 23 {
                Walk::Legacy
            } else {
                Walk::Current
            },
            why: format!("docker client {version}"),
        },
        None => Chosen {
            walk: Walk::Current,
            why: format!("default: cannot read `{}`", text.trim()),
        },
    }
}

/// `Docker version 20.10.24+dfsg1, build 297e128` → (20, "20.10.24+dfsg1").
fn client_major(text: &str) -> Option<(u32, String)> {
    let v = text.trim().strip_prefix("Docker version ")?;
    let v = v.split(',').next()?.trim();
    let major = v.split('.').next()?.parse().ok()?;
    Some((major, v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutral_text_needs_no_client() {
        assert!(neutral(
            "# c\nnode_modules\n*.pyc\n*$py.class\ndocs/*.md\n!docs/README.md\n"
        ));
        // The block `ignore` writes: whole-directory `**` and no exception.
        assert!(neutral(
            ".git\n**/node_modules\n**/__pycache__\n**/*.pyc\nlogs/**\na/**/b\n"
        ));
        for t in [
            "**/node_modules\n!keep/node_modules",
            "**foo",
            "a/**.pyc",
            "***/x",
            "file(1).txt",
            "!*.md",
            "a+b",
            "!docs/[ab].md",
        ] {
            assert!(!neutral(t), "{t}");
        }
    }

    const LINES: &[&str] = &[
        "**/node_modules",
        "**/__pycache__",
        "**/*.pyc",
        "node_modules",
        "*.pyc",
        "a/**",
        "a/**/b",
        "**/a/b",
        "b/*",
        "a",
        "**",
        "docs/",
        "/x.pyc",
    ];
    const NAMES: &[&str] = &["a", "b", "node_modules", "__pycache__", "x.pyc", "docs"];

    /// Sent as a walk decides it: no directory above it is skipped, and it is not excluded.
    fn sent(ig: &crate::docker::DockerIgnore, path: &str) -> bool {
        let mut dir = String::new();
        for c in path.split('/').collect::<Vec<_>>().split_last().unwrap().1 {
            dir = if dir.is_empty() {
                c.to_string()
            } else {
                format!("{dir}/{c}")
            };
            if ig.excluded(dir.as_bytes()) && ig.skips_dir(dir.as_bytes()) {
                return false;
            }
        }
        !ig.excluded(path.as_bytes())
    }

    proptest::proptest! {
        /// Text [`neutral`] calls neutral sends the same files with either walk.
        #[test]
        fn neutral_text_sends_the_same_with_either_walk(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 1..5),
            paths in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(NAMES), 1..5), 1..12),
        ) {
            use crate::docker::DockerIgnore;
            let text = lines.join("\n");
            proptest::prop_assume!(neutral(&text));
            let c = DockerIgnore::parse_for(&text, "f", Walk::Current).unwrap();
            let l = DockerIgnore::parse_for(&text, "f", Walk::Legacy).unwrap();
            for p in paths {
                let p = p.join("/");
                proptest::prop_assert_eq!(sent(&c, &p), sent(&l, &p), "{} in {:?}", p, text);
            }
        }
    }

    #[test]
    fn client_versions() {
        assert_eq!(
            client_major("Docker version 20.10.24+dfsg1, build 297e128\n"),
            Some((20, "20.10.24+dfsg1".into()))
        );
        assert_eq!(
            client_major("Docker version 28.2.2, build e6534b4"),
            Some((28, "28.2.2".into()))
        );
        assert_eq!(client_major("podman version 4.3.1"), None);
    }
}
