//! A path a build names that is on disk in other capitals only (`context: ./backend` beside a
//! `Backend/` folder, `COPY Requirements.txt` beside `requirements.txt`): Docker Desktop on
//! Windows and macOS finds it, since their file systems ignore case; Docker on Linux, and so
//! CI, does not, and the build fails there. Said where the build's input is missing, with the
//! name as it is on disk.

use std::path::Path;

/// `rel` (a `/`-separated path below `base`) as it is spelt on disk, when it does not exist as
/// written but does in other capitals: each component that is not there matched, ignoring
/// case, by exactly one entry of its folder. `None` when it exists as written, when nothing or
/// more than one entry matches, or for a path that climbs out (`..`).
pub fn case_variant(base: &Path, rel: &str) -> Option<String> {
    let mut dir = base.to_path_buf();
    let mut spelt: Vec<String> = Vec::new();
    let mut changed = false;
    for part in rel.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." {
            return None;
        }
        let name = if dir.join(part).symlink_metadata().is_ok() {
            part.to_string()
        } else {
            let lower = part.to_lowercase();
            let mut found = std::fs::read_dir(&dir)
                .ok()?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.to_lowercase() == lower);
            let one = found.next()?;
            if found.next().is_some() {
                return None;
            }
            changed = true;
            one
        };
        dir.push(&name);
        spelt.push(name);
    }
    changed.then(|| spelt.join("/"))
}

/// Why a name in other capitals than on disk breaks a build on Linux only.
pub const CASE_ONLY: &str = "Windows and macOS find it (their file systems ignore case by default), Linux and CI do not, and the build fails there";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_spelling_on_disk_only_where_case_alone_differs() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join("Backend/App")).unwrap();
        std::fs::write(t.path().join("Backend/App/requirements.txt"), "").unwrap();
        std::fs::create_dir_all(t.path().join("web")).unwrap();
        let v = |p: &str| case_variant(t.path(), p);
        assert_eq!(v("backend").as_deref(), Some("Backend"));
        assert_eq!(
            v("./backend/app/Requirements.txt").as_deref(),
            Some("Backend/App/requirements.txt")
        );
        assert_eq!(v("Backend/App"), None, "exists as written");
        assert_eq!(v("frontend"), None, "nothing of that name");
        assert_eq!(v("../backend"), None);
        // Two spellings on disk (possible on Linux): no guess.
        std::fs::create_dir_all(t.path().join("WEB")).unwrap();
        assert_eq!(v("Web"), None);
    }
}
