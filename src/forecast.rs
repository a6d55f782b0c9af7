//! What each Docker build context would send after a plan: bytes now, and after its deletions
//! and the ignore files the writer would leave. Above `plan` (it reads one) and `ignorefile`
//! (it asks the writer what the new `.dockerignore` would hold).

use std::path::Path;

use crate::docker::context::Forecast;
use crate::plan::{NoteEntry, Plan};
use crate::relpath::RelPath;
use crate::rules::RuleSet;
use crate::scan::ScanResult;
use crate::Result;

/// Per build context: bytes now, and after the plan's deletions and the ignore-file writer;
/// and a note for each build whose context directory or Dockerfile does not exist (its build
/// fails; a missing context is not measured, and the rest of the plan stands).
pub fn contexts(
    root: &Path,
    rules: &RuleSet,
    scan: &ScanResult,
    plan: &Plan,
) -> Result<(Vec<Forecast>, Vec<NoteEntry>)> {
    let files = crate::docker::BuildFiles::from_scan(root, &scan.build_files);
    let (builds, refused) = crate::docker::compose::discover_all(root, &files)?;
    let mut notes: Vec<NoteEntry> = refused.iter().map(|e| refused_note(root, e)).collect();
    if builds.is_empty() {
        return Ok((Vec::new(), notes));
    }
    // Only the .dockerignore files matter to the contexts: git's view is not asked.
    let changes = crate::ignorefile::plan_changes(root, rules, plan, scan, &builds, None)?;
    let deleted: Vec<RelPath> = plan.deletions().filter_map(|e| e.rel()).collect();
    let mut out: Vec<Forecast> = Vec::new();
    // Builds that share a context, a Dockerfile (and so an ignore file) and a target send and
    // copy the same bytes: one row, every build named.
    let mut seen: Vec<(&crate::docker::Build, usize)> = Vec::new();
    let holes = crate::docker::Holes::default();
    let src = match &scan.listing {
        Some(listing) => crate::docker::Source::Scan {
            root,
            listing,
            holes: &holes,
        },
        None => crate::docker::Source::Disk,
    };
    for b in builds.iter().filter(|b| b.context.starts_with(root)) {
        if let Some((p, what)) = b.missing_input() {
            let rel = p.strip_prefix(root).unwrap_or(p);
            let (path, path_hex) =
                RelPath::from_bytes(rel.as_os_str().as_encoded_bytes()).to_json_fields();
            notes.push(NoteEntry {
                message: format!("the {what} of {} does not exist: its build fails", b.name),
                path,
                path_hex,
                kind: crate::scan::NoteKind::MissingBuildInput,
            });
        }
        if !b.context.is_dir() {
            continue;
        }
        let f = crate::docker::ignore_file_for(&b.context, &b.dockerfile)
            .unwrap_or_else(|| b.context.join(".dockerignore"));
        if let Some(&(_, i)) = seen.iter().find(|(s, _)| s.image_key() == b.image_key()) {
            out[i].builds.push(b.name.clone());
            out[i].name = crate::docker::names::and_names(&out[i].builds);
            continue;
        }
        seen.push((b, out.len()));
        let after = changes
            .iter()
            .find(|c| c.path == f)
            .map(|c| c.after.as_str());
        out.push(crate::docker::context::forecast_in(
            src, root, b, &deleted, after,
        )?);
    }
    Ok((out, notes))
}

/// The note for a compose project Compose refuses (`e`, an `Error::ComposeRefused`).
fn refused_note(root: &Path, e: &crate::Error) -> NoteEntry {
    let (file, line, why) = match e {
        crate::Error::ComposeRefused { location, message } => {
            (location.file.as_str(), location.line, message.as_str())
        }
        _ => ("", 0, ""),
    };
    let rel = Path::new(file)
        .strip_prefix(root)
        .unwrap_or(Path::new(file));
    let (path, path_hex) = RelPath::from_bytes(rel.as_os_str().as_encoded_bytes()).to_json_fields();
    let at = if line > 0 {
        format!("line {line}: ")
    } else {
        String::new()
    };
    NoteEntry {
        message: format!(
            "{at}{why}: Docker Compose refuses this file, so its services' builds are not measured"
        ),
        path,
        path_hex,
        kind: crate::scan::NoteKind::ComposeRefused,
    }
}
