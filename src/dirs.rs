//! The user's directories, XDG style: `$XDG_DATA_HOME` (backups, trust), `$XDG_STATE_HOME`
//! (lock and journal outside git), `$XDG_CONFIG_HOME` (the user's config), each falling back
//! to its usual place under `$HOME`. mami-clean's own subdirectory is appended.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// `$<var>/mami-clean`, or `$HOME/<fallback>/mami-clean`.
fn base(var: &str, fallback: &str) -> Result<PathBuf> {
    let from_env = |v: &str| {
        std::env::var_os(v)
            .filter(|x| !x.is_empty())
            .map(PathBuf::from)
    };
    let dir = match from_env(var) {
        Some(d) => d,
        None => from_env("HOME")
            .ok_or_else(|| Error::Usage(format!("neither {var} nor HOME is set")))?
            .join(fallback),
    };
    Ok(dir.join("mami-clean"))
}

/// `$XDG_DATA_HOME/mami-clean` (`~/.local/share/mami-clean`).
pub fn data() -> Result<PathBuf> {
    base("XDG_DATA_HOME", ".local/share")
}

/// `$XDG_STATE_HOME/mami-clean` (`~/.local/state/mami-clean`).
pub fn state() -> Result<PathBuf> {
    base("XDG_STATE_HOME", ".local/state")
}

/// `$XDG_CONFIG_HOME/mami-clean` (`~/.config/mami-clean`).
pub fn config() -> Result<PathBuf> {
    base("XDG_CONFIG_HOME", ".config")
}
