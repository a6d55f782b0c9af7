//! Saving and loading plan files. A plan is written atomically (temp file in the same
//! directory, fsync, rename) with mode 0600, and read back with its format and body hash checked.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::{body_hash, Plan, FORMAT, FORMAT_VERSION};
use crate::error::{Error, Result};

/// Write `plan` to `path`, creating missing parent directories.
pub fn save(plan: &Plan, path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let name = path
        .file_name()
        .ok_or_else(|| Error::Usage(format!("{}: not a file path", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let json = serde_json::to_vec_pretty(plan).map_err(|e| Error::Usage(e.to_string()))?;
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&json)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(&dir)?.sync_all()
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Read a plan, checking its format, version and body hash.
pub fn load(path: &Path) -> Result<Plan> {
    let bad = |message: String| Error::Plan {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let plan: Plan =
        serde_json::from_slice(&text).map_err(|e| bad(format!("not a plan file: {e}")))?;
    if plan.format != FORMAT {
        return Err(bad(format!(
            "format is `{}`, expected `{FORMAT}`",
            plan.format
        )));
    }
    if plan.format_version != FORMAT_VERSION {
        return Err(bad(format!(
            "format version {} is not the supported {FORMAT_VERSION}",
            plan.format_version
        )));
    }
    if body_hash(&plan.entries) != plan.body_hash {
        return Err(bad(
            "entries do not match body_hash: the plan was edited or truncated".into(),
        ));
    }
    for e in &plan.entries {
        let rel = e
            .rel()
            .ok_or_else(|| bad(format!("entry `{}`: path_hex is not hex", e.path)))?;
        check_path(rel.as_bytes()).map_err(|why| bad(format!("entry `{}`: {why}", e.path)))?;
    }
    Ok(plan)
}

/// A plan path must stay under the root: relative, no empty, `.`, `..` or `.git` component.
pub fn check_path(p: &[u8]) -> std::result::Result<(), &'static str> {
    if p.is_empty() {
        return Err("empty path (the root itself)");
    }
    if p[0] == b'/' {
        return Err("absolute path");
    }
    for c in p.split(|&b| b == b'/') {
        match c {
            b"" => return Err("empty path component"),
            b"." | b".." => return Err("`.` or `..` component: outside the root"),
            c if crate::classify::is_git_name(c) => return Err("`.git` component"),
            _ => {}
        }
    }
    Ok(())
}
