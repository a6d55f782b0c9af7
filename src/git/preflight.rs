//! Files git reads as it works out the status, checked first: a FIFO (or socket, or device)
//! named `.gitignore` blocks libgit2's `open` forever, and every command with it. Git cannot
//! track such a file, but a working copy can hold one where a tracked `.gitignore` was, or at
//! the root. Checked without opening anything: a `statx` each.

use std::path::Path;

use crate::error::{Error, Result};
use crate::relpath::RelPath;

/// Refuse, naming the file, when an ignore or attributes file git would read is not a regular
/// file (or a link, which git reads through).
pub fn check(workdir: &Path, git_dir: &Path, tracked: &[Vec<u8>]) -> Result<()> {
    let named = |p: &[u8]| {
        let name = RelPath::from_bytes(p);
        matches!(name.file_name(), b".gitignore" | b".gitattributes")
    };
    let mut paths: Vec<std::path::PathBuf> = vec![
        workdir.join(".gitignore"),
        workdir.join(".gitattributes"),
        git_dir.join("info/exclude"),
        git_dir.join("info/attributes"),
    ];
    paths.extend(
        tracked
            .iter()
            .filter(|p| named(p))
            .map(|p| RelPath::from_bytes(p.as_slice()).under(workdir)),
    );
    for p in paths {
        if let Ok(m) = std::fs::metadata(&p) {
            if !m.is_file() && !m.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: not a regular file (a FIFO, socket or device?): git would block reading it; remove it or make it a file",
                    p.display()
                )));
            }
        }
    }
    Ok(())
}
