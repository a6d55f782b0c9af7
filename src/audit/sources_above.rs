//! Where a build's missing COPY sources all are, above its context: DevAssist-Pro-2's compose
//! file builds `./api_gateway` with a Dockerfile that copies `api_gateway/requirements.txt` and
//! `shared`, paths written from `backend/`, one folder up. The fix names that folder.

use std::path::{Path, PathBuf};

use super::rel_to;

/// The nearest folder above `context` (up to `root`) that holds every one of `sources` (paths
/// as the Dockerfile writes them; `None` for one with a wildcard or a variable, which no folder
/// is said to hold).
pub(super) fn holder_above(
    root: &Path,
    context: &Path,
    sources: &[Option<String>],
) -> Option<PathBuf> {
    let sources: Option<Vec<&String>> = sources.iter().map(Option::as_ref).collect();
    let sources = sources.filter(|s| !s.is_empty())?;
    (context.ancestors().skip(1))
        .take_while(|a| a.starts_with(root))
        .find(|a| {
            (sources.iter()).all(|s| a.join(s.trim_start_matches('/')).symlink_metadata().is_ok())
        })
        .map(Path::to_path_buf)
}

/// The fix for sources `holder` holds: build from there, with the Dockerfile named from there.
pub(super) fn fix(root: &Path, holder: &Path, dockerfile: &Path, them: &str) -> String {
    let at = match rel_to(root, holder) {
        r if r.is_empty() => ".".to_string(),
        r => r,
    };
    let df = dockerfile.strip_prefix(holder).map_or_else(
        |_| dockerfile.display().to_string(),
        |p| p.display().to_string(),
    );
    let they = if them == "it" { "it is" } else { "they are" };
    format!(
        "{they} in `{at}`, a folder above the context, as the Dockerfile writes {them}: build from there (in compose, a `context:` naming that folder with `dockerfile: {df}`; `docker build -f {} {at}`), or write the paths as the context sees {them}",
        rel_to(root, dockerfile)
    )
}
