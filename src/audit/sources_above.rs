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
    // A `..` would name a place outside every context: no folder holds it.
    let inside = |s: &&String| !s.split('/').any(|part| part == "..");
    let sources = sources.filter(|s| !s.is_empty() && s.iter().all(inside))?;
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

#[cfg(test)]
mod tests {
    use super::holder_above;

    #[test]
    fn the_nearest_folder_holding_them_all_and_never_one_a_dotdot_names() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("backend/api/shared")).unwrap();
        std::fs::create_dir_all(root.join("backend/shared")).unwrap();
        std::fs::write(root.join("backend/api/req.txt"), "x").unwrap();
        let ctx = root.join("backend/api");
        let s = |v: &[&str]| v.iter().map(|x| Some(x.to_string())).collect::<Vec<_>>();
        assert_eq!(
            holder_above(root, &ctx, &s(&["api/req.txt", "shared"])),
            Some(root.join("backend"))
        );
        assert_eq!(holder_above(root, &ctx, &s(&["../backend/shared"])), None);
        assert_eq!(
            holder_above(root, &ctx, &[Some("shared".into()), None]),
            None
        );
    }
}
