//! Ignore files Docker never reads because of their name. Docker reads `<Dockerfile>.dockerignore`
//! or the context's `.dockerignore`, spelled so ([`super::ignore_file_for`]), and nothing else,
//! so a context whose only ignore file is one of these is sent whole by `docker build` and
//! `docker compose build`: Podman's `.containerignore` (compose-spec#577: Compose keeps Docker's
//! names), `.Dockerignore` (read on macOS and Windows, whose filesystems ignore case, not on
//! Linux or in CI), and names an editor or a typo made (`dockerignore`, `.dockerignore.txt`).
//! Committed in the stored public repositories: `dockerignore` 3,389, `.containerignore` 2,791,
//! `.Dockerignore` 1,786, `.dockerignore.txt` 510, `dockerignore.txt` 277, `.dockeringore` 217.
//! The audit says so, and `ignore --write` starts a new `.dockerignore` from its lines.

use std::path::Path;

/// Why Docker does not read a file of that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `.containerignore`: Podman's and Buildah's name.
    Podman,
    /// `.dockerignore` in other capitals: read where the filesystem ignores case.
    Case,
    /// A name Docker never looks for: no dot, an editor's `.txt`, a typo.
    Misspelt,
}

/// The names, in the order they are looked for: Podman's, then other capitals, then the rest.
pub const NAMES: &[(&str, Why)] = &[
    (".containerignore", Why::Podman),
    (".Dockerignore", Why::Case),
    (".DockerIgnore", Why::Case),
    (".dockerIgnore", Why::Case),
    (".DOCKERIGNORE", Why::Case),
    ("dockerignore", Why::Misspelt),
    ("Dockerignore", Why::Misspelt),
    (".dockerignore.txt", Why::Misspelt),
    ("dockerignore.txt", Why::Misspelt),
    (".docker-ignore", Why::Misspelt),
    (".dockeringore", Why::Misspelt),
    (".dockerginore", Why::Misspelt),
];

/// Why Docker does not read a file named `name` at a context's top, if it is one of [`NAMES`].
pub fn why(name: &[u8]) -> Option<Why> {
    NAMES
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map(|(_, w)| *w)
}

/// One found in a context: its name, why Docker does not read it, its text and its patterns
/// (read as Docker reads a `.dockerignore`: Buildah's matcher is moby's).
pub struct Found {
    pub name: &'static str,
    pub why: Why,
    pub text: String,
    pub ignore: super::DockerIgnore,
}

/// The first of [`NAMES`] in the context `dir` that is a regular file (never read through a
/// link: its lines may be copied into a file mami-clean writes), UTF-8, within the ignore-file
/// limit, whose lines parse. `names` narrows the search to those the caller saw there.
pub fn find(dir: &Path, names: impl Fn(&str) -> bool) -> Option<Found> {
    NAMES
        .iter()
        .filter(|(n, _)| names(n))
        .find_map(|&(name, why)| {
            let p = dir.join(name);
            let bytes = crate::fsx::read_regular(&p, crate::limits::MAX_IGNORE_BYTES, false);
            let text = String::from_utf8(bytes.ok()??).ok()?;
            let ignore = super::DockerIgnore::parse(&text, &p.display().to_string()).ok()?;
            Some(Found {
                name,
                why,
                text,
                ignore,
            })
        })
}
