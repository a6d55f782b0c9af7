//! What each build context would send after a plan: its files and bytes now, and after the
//! plan's deletions and the ignore file the writer would leave; and what lands in the image.

use std::path::Path;

use super::context::{image_of, Context, SentFile};
use super::ignore::DockerIgnore;
use crate::error::Result;
use crate::relpath::{seen_from, Holder, RelPath};

/// A build context's size now, and after the plan's deletions and the new ignore files.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Forecast {
    pub name: String,
    /// The context directory and the ignore file it is read with (where one would go when
    /// there is none), from the root: rows with both alike send the same bytes (two
    /// Dockerfiles or targets of one context), which the plan's total counts once.
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub ignore_file: String,
    /// Every build this row stands for (builds that send the same image share one), by name:
    /// what `apply` looks its builds up by afterwards.
    #[serde(default)]
    pub builds: Vec<String>,
    pub files_before: u64,
    pub bytes_before: u64,
    pub files_after: u64,
    pub bytes_after: u64,
    /// What the built stage's COPY/ADD layers take from the context now, and after.
    #[serde(default)]
    pub image_bytes_before: Option<u64>,
    #[serde(default)]
    pub image_bytes_after: Option<u64>,
}

/// What each build would send after deleting `deleted` (root-relative paths) and writing
/// `written` (absolute path, new text: the ignore files `apply` writes).
pub fn forecast(
    root: &Path,
    build: &super::Build,
    deleted: &[RelPath],
    written: &[(&Path, &str)],
) -> Result<Forecast> {
    let target = build.target.as_deref();
    let ctx = super::context::compute(&build.context, &build.dockerfile, target, 0)?;
    forecast_from(ctx, root, build, deleted, written)
}

/// [`forecast`] from the build's context as it is now (`ctx`, read by the caller: `plan`
/// reads it while the plan is built).
pub fn forecast_from(
    ctx: Context,
    root: &Path,
    build: &super::Build,
    deleted: &[RelPath],
    written: &[(&Path, &str)],
) -> Result<Forecast> {
    let ig_path = super::ignore_file_for(&build.context, &build.dockerfile)
        .unwrap_or_else(|| build.context.join(".dockerignore"));
    let ignore_after = written.iter().find(|(p, _)| *p == ig_path).map(|w| w.1);
    let ig = ignore_after
        .map(|t| DockerIgnore::parse(t, "new .dockerignore"))
        .transpose()?;
    let prefix = build
        .context
        .strip_prefix(root)
        .ok()
        .map(|p| RelPath::from_bytes(p.as_os_str().as_encoded_bytes()));
    // The deletions as seen from the context (none apply to a context outside the root).
    let inside: Vec<Option<&[u8]>> = match &prefix {
        Some(p) => deleted.iter().filter_map(|d| seen_from(p, d)).collect(),
        None => Vec::new(),
    };
    let mut holder = Holder::new(inside.into_iter());
    let in_context = |p: &Path| {
        (p.strip_prefix(&build.context).ok()).map(|r| r.as_os_str().as_encoded_bytes().to_vec())
    };
    // The files written in the context, as they will be: they replace what is there now.
    let new_files: Vec<SentFile> = (written.iter())
        .filter_map(|(p, text)| {
            let path = RelPath::from_bytes(in_context(p)?);
            let (kind, bytes) = (crate::scan::EntryKind::File, text.len() as u64);
            Some(SentFile { path, kind, bytes })
        })
        .collect();
    let rewritten = |sent: &[u8]| new_files.iter().any(|n| n.path.as_bytes() == sent);
    // Docker sends the Dockerfile and the ignore file even when excluded: what the context's
    // total holds of them beyond its files stays (less an ignore file rewritten, counted
    // below at its new size), and a new line cannot drop them.
    let listed: u64 = ctx.files.iter().map(|f| f.bytes).sum();
    let always: Vec<Vec<u8>> = [Some(build.dockerfile.as_path()), Some(ig_path.as_path())]
        .into_iter()
        .flatten()
        .filter_map(in_context)
        .collect();
    let old_ig = match in_context(&ig_path) {
        Some(r) if ctx.always_sent.iter().any(|a| a.as_bytes() == r) && rewritten(&r) => {
            ig_path.symlink_metadata().map_or(0, |m| m.len())
        }
        _ => 0,
    };
    let (mut files_after, mut bytes_after) = (0, ctx.total_bytes.saturating_sub(listed + old_ig));
    let mut kept = Vec::new();
    let excluded = |sent: &[u8]| ig.as_ref().is_some_and(|i| i.excluded(sent));
    for f in &ctx.files {
        let sent = f.path.as_bytes();
        let ignored = || !always.iter().any(|a| a == sent) && excluded(sent);
        if holder.of(sent).is_some() || rewritten(sent) || ignored() {
            continue;
        }
        files_after += 1;
        bytes_after += f.bytes;
        kept.push(f);
    }
    for f in &new_files {
        let sent = f.path.as_bytes();
        // `apply` writes no ignore file into a directory it deleted.
        if holder.of(sent).is_some() {
            continue;
        }
        let now = match ig.as_ref() {
            Some(i) => i.excluded(sent),
            None => ctx.ignore.excluded(sent),
        };
        if !now {
            files_after += 1;
            bytes_after += f.bytes;
            kept.push(f);
        } else if always.iter().any(|a| a == sent) {
            bytes_after += f.bytes;
        }
    }
    kept.sort_by(|a, b| a.path.cmp(&b.path));
    let from_root = |p: &Path| match p.strip_prefix(root) {
        Ok(r) if r.as_os_str().is_empty() => ".".to_string(),
        Ok(r) => r.display().to_string(),
        Err(_) => p.display().to_string(),
    };
    Ok(Forecast {
        name: build.name.clone(),
        context: from_root(&build.context),
        ignore_file: from_root(&ig_path),
        builds: vec![build.name.clone()],
        files_before: ctx.files.len() as u64,
        bytes_before: ctx.total_bytes,
        files_after,
        bytes_after,
        image_bytes_before: ctx.image_bytes,
        image_bytes_after: image_of(
            &build.context,
            &build.dockerfile,
            build.target.as_deref(),
            kept.into_iter(),
        ),
    })
}
