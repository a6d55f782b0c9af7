//! Saving and loading plan files. A plan is written atomically (temp file in the same
//! directory, fsync, rename, never through a link: [`Place`]) with mode 0600, and read back
//! (bounded, never from a FIFO) with its format and body hash checked.

use std::path::Path;

use super::{body_hash, Plan, FORMAT, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::fsx::Place;

/// Write `plan` at `place` (mode 0600, atomically: see [`Place`]).
pub fn save(plan: &Plan, place: &Place) -> Result<()> {
    let mut json = serde_json::to_vec_pretty(plan).map_err(|e| Error::Usage(e.to_string()))?;
    json.push(b'\n');
    place.replace(&json, Some(0o600))
}

/// Read the plan file at `path` (see [`load_from`]).
pub fn load(path: &Path) -> Result<Plan> {
    load_from(&Place::at(path, false)?)
}

/// Read a plan, checking its format, version and body hash.
pub fn load_from(place: &Place) -> Result<Plan> {
    let path = place.path();
    let bad = |message: String| Error::Plan {
        path: path.to_path_buf(),
        message,
    };
    let text = place
        .read(crate::limits::MAX_PLAN_BYTES)?
        .ok_or_else(|| Error::io(path, std::io::ErrorKind::NotFound.into()))?;
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
