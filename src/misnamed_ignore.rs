//! Ignore files their tool never reads because of their name. Docker reads
//! `<Dockerfile>.dockerignore` or the context's `.dockerignore` ([`crate::docker::ignore_file_for`])
//! and git reads `.gitignore`, spelt so, and nothing else: a context whose only ignore file is
//! one of [`DOCKER`] is sent whole by `docker build` and `docker compose build`, and a
//! repository whose only root ignore file is one of [`GIT`] has `git add -A` commit what it
//! lists. Committed in the stored public repositories: `.gitignore.txt` 16,240, `dockerignore`
//! 3,389, `.containerignore` 2,791, `.Dockerignore` 1,786, `.dockerignore.txt` 510,
//! `dockerignore.txt` 277, `.dockeringore` 217. The audit says so, and `ignore --write` starts
//! the new file from its lines.

use std::path::Path;

/// Why the tool does not read a file of that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `.containerignore`: Podman's and Buildah's name (compose-spec#577: Compose keeps
    /// Docker's names).
    Podman,
    /// The right name in other capitals: read only where the filesystem ignores case (macOS,
    /// Windows), not on Linux or in CI.
    Case,
    /// A name the tool never looks for: no dot, an editor's `.txt`, a typo.
    Misspelt,
}

/// Docker's, in the order they are looked for: Podman's, then other capitals, then the rest.
pub const DOCKER: &[(&str, Why)] = &[
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

/// Git's, at the root. Not a bare `gitignore`: a dotfiles repository keeps the one it links as
/// its global excludes file under that name.
pub const GIT: &[(&str, Why)] = &[
    (".Gitignore", Why::Case),
    (".GitIgnore", Why::Case),
    (".gitIgnore", Why::Case),
    (".GITIGNORE", Why::Case),
    (".gitignore.txt", Why::Misspelt),
    ("gitignore.txt", Why::Misspelt),
    (".gitingore", Why::Misspelt),
    (".git-ignore", Why::Misspelt),
];

/// One found: its name, why its tool does not read it, and its text.
pub struct Found {
    pub name: &'static str,
    pub why: Why,
    pub text: String,
}

/// The first of `list` in `dir` that is a regular file (never read through a link: its lines
/// may be copied into a file mami-clean writes), UTF-8, within the ignore-file limit. The
/// audit and both writers look for it so, by name: a dozen opens that find nothing, where a
/// pass over a context's files would be tens of thousands of comparisons.
pub fn find(dir: &Path, list: &[(&'static str, Why)]) -> Option<Found> {
    list.iter().find_map(|&(name, why)| {
        let p = dir.join(name);
        let bytes = crate::fsx::read_regular(&p, crate::limits::MAX_IGNORE_BYTES, false);
        let text = String::from_utf8(bytes.ok()??).ok()?;
        Some(Found { name, why, text })
    })
}

/// What a new ignore file starts from: `found`'s lines under a comment saying why, with
/// Windows line ends made `\n` (git would take a line's `\r` for part of its pattern), or
/// nothing (none, an empty one, or one whose managed block has no end, whose lines could not
/// be told from the block's).
pub fn seed(found: Option<Found>, tool: &str) -> String {
    let Some(f) = found.filter(|f| !f.text.trim().is_empty()) else {
        return String::new();
    };
    let text = f.text.replace("\r\n", "\n");
    if crate::ignorefile::unterminated_block(&text) {
        return String::new();
    }
    let end = if text.ends_with('\n') { "" } else { "\n" };
    format!(
        "# {tool} reads this file, not {}: its lines, copied by mami-clean\n{text}{end}",
        f.name
    )
}
