//! The COPY and ADD sources of a build checked against its context: missing from it (the build
//! fails unless a step before it makes them), excluded by its `.dockerignore`, or ignored by
//! git (a fresh clone will not have them).

use super::build::View;
use super::{finding, rel_to, Finding};
use crate::docker::compose::CopySource;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// The COPY/ADD sources the context does not hold at all, as one finding at the first. A
/// warning: CI often makes them in a step before the build (`dist/`, `target/app.jar`). A
/// Dockerfile no service builds has a context inferred from its sources
/// (`docker::standalone`), which the message says.
fn missing_sources(v: &View<'_>, missing: &[&CopySource], df: &str) -> Option<Finding> {
    let first = missing.first()?;
    let ctx = rel_to(v.root, &v.b.context);
    let ctx = if ctx.is_empty() { ".".to_string() } else { ctx };
    // A Dockerfile at the root is built from there by every convention; below it, a guess.
    let guessed = if v.b.name == df && v.b.dockerfile.parent() != Some(v.root) {
        " (no compose service builds this Dockerfile: its context is the nearest directory holding its sources, and none holds them all)"
    } else {
        ""
    };
    // Each source once, with every line that names it (`COPY bun.lockb` in four stages).
    let mut by_source: Vec<(&CopySource, Vec<String>)> = Vec::new();
    for &s in missing {
        match by_source.iter_mut().find(|(f, _)| f.source == s.source) {
            Some((_, lines)) => lines.push(s.line.to_string()),
            None => by_source.push((s, vec![s.line.to_string()])),
        }
    }
    let named: Vec<String> = by_source
        .iter()
        .map(|(s, l)| match l.len() {
            1 => format!("{} `{}` (line {})", s.instruction, s.source, l[0]),
            _ => format!("{} `{}` (lines {})", s.instruction, s.source, l.join(", ")),
        })
        .collect();
    let (what, verb, them) = match named.len() {
        1 => (named[0].clone(), "is", "it"),
        _ => (named.join(", "), "are", "them"),
    };
    let mut x = finding(
        "copy-source-missing",
        df.to_string(),
        format!("{what} {verb} not in the build context `{ctx}` of {}: the build fails unless a step before it makes {them}{guessed}", v.b.name),
        format!("create or commit {them} in `{ctx}`, or fix the path; `mami-clean context DIR -f {df}` measures another context"),
    );
    x.line = Some(first.line);
    x.build = Some(v.b.name.clone());
    Some(x)
}

/// COPY/ADD sources the context does not have (missing or excluded), or that git ignores.
pub(super) fn checks(v: &View<'_>, git: Option<&GitInfo>, out: &mut Vec<Finding>) {
    if v.dockerfile().is_some() {
        let df = rel_to(v.root, &v.b.dockerfile);
        let mut missing = Vec::new();
        for s in v.copies() {
            // Globs: the engine cannot tell what the author expected to match; a variable
            // (`${NETBOX_PATH}`) names a path only the build knows.
            let Some(clean) = s.literal() else {
                continue;
            };
            let src = RelPath::from_bytes(clean.as_bytes());
            if src.under(&v.b.context).symlink_metadata().is_err() {
                missing.push(s);
                continue;
            }
            // The files are in path order: what lies under `src` starts at the first not before it.
            let first = v.ctx.files.partition_point(|f| f.path < src);
            let shipped = v
                .ctx
                .files
                .get(first)
                .is_some_and(|f| f.path.starts_with(&src));
            if !shipped {
                let why = v
                    .ctx
                    .ignore
                    .deciding(src.as_bytes())
                    .map(|p| format!(" by line {} (`{}`)", p.line, p.text))
                    .unwrap_or_default();
                let mut x = finding(
                    "copy-source-excluded",
                    df.clone(),
                    format!(
                        "{} `{}` is excluded{why} of {}",
                        s.instruction,
                        s.source,
                        v.ig_path.as_deref().unwrap_or("the .dockerignore")
                    ),
                    format!("re-include it: `!{clean}`, or remove the excluding line"),
                );
                x.line = Some(s.line);
                x.build = Some(v.b.name.clone());
                out.push(x);
            }
            if let Some(g) = git {
                if let Ok(abs) = src.under(&v.b.context).strip_prefix(&g.workdir) {
                    let r = RelPath::from_bytes(abs.as_os_str().as_encoded_bytes());
                    if g.tracked_under(&r) == 0 && g.is_ignored(&r) {
                        let mut x = finding("copy-source-gitignored", df.clone(), format!("{} `{}` is git-ignored: a build from a fresh clone (CI) will not have it", s.instruction, s.source), "commit it, or generate it in the Dockerfile");
                        x.line = Some(s.line);
                        x.build = Some(v.b.name.clone());
                        out.push(x);
                    }
                }
            }
        }
        out.extend(missing_sources(v, &missing, &df));
    }
}
