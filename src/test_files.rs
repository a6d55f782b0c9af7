//! Unit tests' fixtures: files written under a temporary root, their directories made first.

use std::path::Path;

/// Write `text` to `rel` under `root`, making the directories above it.
pub(crate) fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("a file below the root")).unwrap();
    std::fs::write(p, text).unwrap();
}
