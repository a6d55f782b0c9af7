//! `.containerignore`: the name Podman and Buildah read first, which Docker never reads. Docker
//! reads `<Dockerfile>.dockerignore` or the context's `.dockerignore` and nothing else
//! ([`super::ignore_file_for`]), so a context whose only ignore file is a `.containerignore` is
//! sent whole by `docker build` and `docker compose build` (compose-spec#577: Compose keeps
//! Docker's names). The audit says so, and `ignore --write` starts a new `.dockerignore` from it.

use std::path::Path;

/// The name.
pub const NAME: &str = ".containerignore";

/// The text of the context `dir`'s `.containerignore`: a regular file (never read through a
/// link: its lines may be copied into a file mami-clean writes), UTF-8, within the ignore-file
/// limit. `None` for anything else: nothing Docker does depends on it.
pub fn text(dir: &Path) -> Option<String> {
    let bytes = crate::fsx::read_regular(&dir.join(NAME), crate::limits::MAX_IGNORE_BYTES, false);
    String::from_utf8(bytes.ok()??).ok()
}

/// Its patterns, read as Docker reads a `.dockerignore` (Buildah's matcher is moby's), with the
/// file's text; `None` where [`text`] has none or a line does not parse.
pub fn read(dir: &Path) -> Option<(String, super::DockerIgnore)> {
    let text = text(dir)?;
    let shown = dir.join(NAME).display().to_string();
    let ig = super::DockerIgnore::parse(&text, &shown).ok()?;
    Some((text, ig))
}
