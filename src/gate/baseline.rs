//! What the gate measures, and the baselines it compares with: a committed JSON file
//! (`--update-baseline` writes it), or a git ref read through git2 with no checkout (the sum of
//! blob sizes, and each build context as Docker would send the committed files).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::docker::compose::Build;
use crate::docker::DockerIgnore;
use crate::error::{Error, Result};
use crate::git::GitInfo;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Measurement {
    pub tracked_files: u64,
    pub tracked_bytes: u64,
    /// Bytes per build context, by build name.
    pub contexts: BTreeMap<String, u64>,
    pub context_total: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BaselineFile {
    format: String,
    format_version: u32,
    created: String,
    head: Option<String>,
    #[serde(flatten)]
    m: Measurement,
}

const FORMAT: &str = "mami-clean-baseline";

pub fn read(path: &Path) -> Result<Option<Measurement>> {
    let Some(text) = crate::fsx::read_regular(path, crate::limits::MAX_BASELINE_BYTES, false)?
    else {
        return Ok(None);
    };
    let b: BaselineFile = serde_json::from_slice(&text)
        .map_err(|e| Error::Usage(format!("{}: not a baseline file: {e}", path.display())))?;
    if b.format != FORMAT || b.format_version != 1 {
        return Err(Error::Usage(format!(
            "{}: not a version-1 {FORMAT} file",
            path.display()
        )));
    }
    Ok(Some(b.m))
}

/// Write the baseline at `path`, which lies in the tree at `root` (never through a link).
pub fn write(root: &Path, path: &Path, m: &Measurement, head: Option<String>) -> Result<()> {
    let b = BaselineFile {
        format: FORMAT.into(),
        format_version: 1,
        created: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        head,
        m: m.clone(),
    };
    let mut text = serde_json::to_string_pretty(&b).map_err(|e| Error::Usage(e.to_string()))?;
    text.push('\n');
    crate::ignorefile::write_in_tree(root, path, &text)
}

/// Measure the tree at `rev` from git objects alone.
pub fn from_ref(git: &GitInfo, rev: &str, root: &Path, builds: &[Build]) -> Result<Measurement> {
    git.with_repo(|repo| {
        let obj = repo
            .revparse_single(rev)
            .map_err(|e| Error::Usage(format!("--base {rev}: {}", e.message())))?;
        let tree = obj
            .peel_to_tree()
            .map_err(|e| Error::Usage(format!("--base {rev}: {}", e.message())))?;
        let odb = repo.odb()?;
        let mut files: Vec<(String, u64)> = Vec::new();
        let mut err = None;
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                match odb.read_header(entry.id()) {
                    Ok((size, _)) => {
                        files.push((format!("{dir}{}", entry.name().unwrap_or("")), size as u64))
                    }
                    Err(e) => {
                        err = Some(e);
                        return git2::TreeWalkResult::Abort;
                    }
                }
            }
            git2::TreeWalkResult::Ok
        })?;
        if let Some(e) = err {
            return Err(e.into());
        }
        let read_blob = |path: &str| -> Option<String> {
            let e = tree.get_path(Path::new(path)).ok()?;
            let b = repo.find_blob(e.id()).ok()?;
            Some(String::from_utf8_lossy(b.content()).into_owned())
        };
        let mut m = Measurement {
            tracked_files: files.len() as u64,
            tracked_bytes: files.iter().map(|f| f.1).sum(),
            ..Default::default()
        };
        for b in builds {
            let Ok(ctx) = b.context.strip_prefix(root) else {
                continue;
            };
            let prefix = ctx.to_string_lossy().into_owned();
            let df = b
                .dockerfile
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let join = |a: &str, b: &str| {
                if a.is_empty() {
                    b.to_string()
                } else {
                    format!("{a}/{b}")
                }
            };
            let ig_text = read_blob(&format!("{df}.dockerignore"))
                .or_else(|| read_blob(&join(&prefix, ".dockerignore")))
                .unwrap_or_default();
            let ig = DockerIgnore::parse(&ig_text, &format!("{rev}:.dockerignore"))?;
            let mut bytes = 0;
            for (p, size) in &files {
                let rel = if prefix.is_empty() {
                    Some(p.as_str())
                } else {
                    p.strip_prefix(&format!("{prefix}/"))
                };
                if let Some(rel) = rel {
                    if !ig.excluded(rel.as_bytes()) {
                        bytes += size;
                    }
                }
            }
            m.context_total += bytes;
            m.contexts.insert(b.name.clone(), bytes);
        }
        Ok(m)
    })
}
