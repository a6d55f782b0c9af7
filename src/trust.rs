//! Trust for repository config: a `mami-clean.toml` committed by someone else may not delete or
//! run anything until the user says so. `mami-clean trust` records the file's BLAKE3 and path in
//! the user's data dir (the `direnv allow` model); a changed file is untrusted again.
//! Untrusted rules are shown by `plan`, `audit` and `gate` (marked), and ignored by `apply`;
//! untrusted `[verify]` commands are not run.

use std::path::{Path, PathBuf};

use crate::error::Result;

/// The trust list holds a line per trusted file; past this it is not read.
const MAX_STORE_BYTES: u64 = 16 << 20;

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
    let text = crate::fsx::Place::at(&s, false).and_then(|p| p.read(MAX_STORE_BYTES));
    matches!(text, Ok(Some(t)) if String::from_utf8_lossy(&t).lines().any(|l| l == want))
}

/// Record `path` with its current content as trusted (older entries for it are dropped).
pub fn record(path: &Path, text: &str) -> Result<PathBuf> {
    let s = store()?;
    let place = crate::fsx::Place::at(&s, true)?;
    let suffix = format!(" {}", path.display());
    let old = place.read(MAX_STORE_BYTES)?.unwrap_or_default();
    let mut lines: Vec<String> = String::from_utf8_lossy(&old)
        .lines()
        .filter(|l| !l.ends_with(&suffix))
        .map(str::to_string)
        .collect();
    lines.push(key(path, text));
    place.replace((lines.join("\n") + "\n").as_bytes(), Some(0o600))?;
    Ok(s)
}

/// The user's own config, trusted: `$XDG_CONFIG_HOME/mami-clean/config.toml`.
pub fn user_config() -> Option<PathBuf> {
    let p = crate::dirs::config().ok()?.join("config.toml");
    p.symlink_metadata().is_ok().then_some(p)
}
