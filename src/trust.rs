//! Trust for repository config: a `mami-clean.toml` committed by someone else may not delete or
//! run anything until the user says so. `mami-clean trust` records the file's BLAKE3 and path in
//! the user's data dir (the `direnv allow` model); a changed file is untrusted again.
//! Untrusted rules are shown by `plan`, `audit` and `gate` (marked), and ignored by `apply`;
//! untrusted `[verify]` commands are not run.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn store() -> Result<PathBuf> {
    Ok(crate::dirs::data()?.join("trusted"))
}

fn key(path: &Path, text: &str) -> String {
    format!(
        "{} {}",
        blake3::hash(text.as_bytes()).to_hex(),
        path.display()
    )
}

/// Whether this exact content of `path` was trusted.
pub fn is_trusted(path: &Path, text: &str) -> bool {
    let Ok(s) = store() else { return false };
    let want = key(path, text);
    std::fs::read_to_string(s).is_ok_and(|t| t.lines().any(|l| l == want))
}

/// Record `path` with its current content as trusted (older entries for it are dropped).
pub fn record(path: &Path, text: &str) -> Result<PathBuf> {
    let s = store()?;
    if let Some(d) = s.parent() {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    let suffix = format!(" {}", path.display());
    let mut lines: Vec<String> = std::fs::read_to_string(&s)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.ends_with(&suffix))
        .map(str::to_string)
        .collect();
    lines.push(key(path, text));
    crate::ignorefile::write_atomic(&s, &(lines.join("\n") + "\n"))?;
    Ok(s)
}

/// The user's own config, trusted: `$XDG_CONFIG_HOME/mami-clean/config.toml`.
pub fn user_config() -> Option<PathBuf> {
    let p = crate::dirs::config().ok()?.join("config.toml");
    p.symlink_metadata().is_ok().then_some(p)
}
