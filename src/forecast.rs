//! What each Docker build context would send after a plan: bytes now, and after its deletions
//! and the ignore files the writer would leave. Above `plan` (it reads one) and `ignorefile`
//! (it asks the writer what the new `.dockerignore` would hold).

use std::path::Path;

use rayon::prelude::*;

use crate::docker::context::{Context, Forecast};
use crate::plan::{NoteEntry, Plan};
use crate::relpath::RelPath;
use crate::rules::RuleSet;
use crate::scan::ScanResult;
use crate::Result;

/// What the forecast reads before it needs a plan: the builds, the compose projects Compose
/// refuses, and each image's context now (a row per image whose context exists, with every
/// build that makes it). `plan` reads it on another core while the plan is built.
pub struct Read {
    builds: Vec<crate::docker::Build>,
    refused: Vec<crate::docker::compose::Refused>,
    /// The build standing for the image, every build's name, and the context it sends now.
    rows: Vec<(crate::docker::Build, Vec<String>, Context)>,
}

/// Read the builds of the scanned tree and their contexts now, from the scan's listing.
pub fn read(root: &Path, scan: &ScanResult) -> Result<Read> {
    let files = crate::docker::BuildFiles::from_scan(root, &scan.build_files);
    let (mut builds, refused) = crate::docker::compose::discover_all(root, &files)?;
    // One outside the repository is not this repository's to read (`Build::outside`).
    builds.retain(|b| b.readable());
    let holes = crate::docker::Holes::default();
    let src = match &scan.listing {
        Some(listing) => crate::docker::Source::Scan {
            root,
            listing,
            holes: &holes,
        },
        None => crate::docker::Source::Disk,
    };
    // Builds that share a context, a Dockerfile (and so an ignore file) and a target send and
    // copy the same bytes: one row, every build named.
    let measured = (builds.iter()).filter(|b| b.context.starts_with(root) && b.context.is_dir());
    let images = crate::docker::compose::by_image(measured);
    let rows = (images.into_par_iter())
        .map(|(b, names)| {
            let target = b.target.as_deref();
            let ctx =
                crate::docker::context::compute_in(src, &b.context, &b.dockerfile, target, 0)?;
            Ok((b.clone(), names, ctx))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Read {
        builds,
        refused,
        rows,
    })
}

/// Per build context: bytes now (`read`), and after the plan's deletions and the ignore-file
/// writer; and a note for each build whose context directory or Dockerfile does not exist
/// (its build fails; a missing context is not measured, and the rest of the plan stands).
pub fn contexts(
    root: &Path,
    rules: &RuleSet,
    scan: &ScanResult,
    plan: &Plan,
    git: Option<&crate::git::GitInfo>,
    read: Read,
) -> Result<(Vec<Forecast>, Vec<NoteEntry>)> {
    let Read {
        builds,
        refused,
        rows,
    } = read;
    let mut notes: Vec<NoteEntry> = refused.iter().map(|e| refused_note(root, e)).collect();
    if builds.is_empty() {
        return Ok((Vec::new(), notes));
    }
    // The ignore files as `apply` writes them (git's view decides the `.gitignore` lines):
    // each is in the contexts that hold it, at its new size.
    let changes = crate::ignorefile::plan_changes(root, rules, plan, scan, &builds, git)?;
    let written: Vec<(&Path, &str)> = (changes.iter())
        .filter(|c| c.changed())
        .map(|c| (c.path.as_path(), c.after.as_str()))
        .collect();
    let deleted: Vec<RelPath> = plan.deletions().filter_map(|e| e.rel()).collect();
    let inside: Vec<&crate::docker::Build> = builds
        .iter()
        .filter(|b| b.context.starts_with(root))
        .collect();
    // One note per missing file, naming every build that wants it (appwrite's test compose
    // file: eleven services, one Dockerfile that is not there), and one per submodule a clone
    // left empty (Ultron's services), as the audit says them.
    let mut missing: Vec<(std::path::PathBuf, Option<&str>, Vec<String>)> = Vec::new();
    // A build whose Dockerfile the cleanup deletes goes with it (as it gets no `.dockerignore`
    // of its own): the compose file in aws-archetect's dated archive folder names contexts
    // that are long gone.
    let live = (inside.iter()).filter(|b| plan.deletes_build(root, b).is_none());
    // A compose file whose paths are written from a folder above it: one note for the file.
    let moved = crate::docker::moved::moved(root, live.clone().copied());
    // And one whose paths are written with Windows' `\`.
    let backslashed = crate::docker::backslashed::backslashed(root, live.clone().copied());
    for b in live {
        if let Some((p, what)) = b.missing_input() {
            if moved.iter().any(|m| m.explains(&b.name, p))
                || backslashed.iter().any(|m| m.explains(&b.name, p))
            {
                continue;
            }
            let (p, what) = match crate::audit::unchecked_submodule(root, p, git) {
                Some(sub) => (root.join(sub), None),
                None => (p.to_path_buf(), Some(what)),
            };
            match missing.iter_mut().find(|(q, w, _)| *q == p && *w == what) {
                Some((.., names)) => names.push(b.name.clone()),
                None => missing.push((p, what, vec![b.name.clone()])),
            }
        }
    }
    for (p, what, names) in missing {
        let rel = p.strip_prefix(root).unwrap_or(&p);
        let (path, path_hex) =
            RelPath::from_bytes(rel.as_os_str().as_encoded_bytes()).to_json_fields();
        let (of, fails) = match names.len() {
            1 => (names[0].clone(), "its build fails"),
            _ => (crate::docker::names::and_names(&names), "their builds fail"),
        };
        let case = (crate::docker::case::case_variant(root, &rel.to_string_lossy()))
            .map(|d| {
                format!(" (`{d}` is there, in other capitals, which Linux and CI do not match)")
            })
            .unwrap_or_default();
        let message = match what {
            Some(what) => format!("the {what} of {of} does not exist{case}: {fails}"),
            None => format!(
                "the submodule is not checked out, and {of} need{} it: {fails} until \
                 `git submodule update --init {}`",
                if names.len() == 1 { "s" } else { "" },
                rel.display()
            ),
        };
        notes.push(NoteEntry {
            message,
            path,
            path_hex,
            kind: crate::scan::NoteKind::MissingBuildInput,
        });
    }
    let file_wide = (moved.iter().map(|m| (&m.file, m.message())))
        .chain(backslashed.iter().map(|m| (&m.file, m.message())));
    notes.extend(file_wide.map(|(file, message)| NoteEntry {
        message,
        path: file.clone(),
        path_hex: None,
        kind: crate::scan::NoteKind::MissingBuildInput,
    }));
    notes.extend(copied_deletions(root, &inside, plan));
    let mut out: Vec<Forecast> = Vec::new();
    for (b, names, ctx) in rows {
        let mut row = crate::docker::context::forecast_from(ctx, root, &b, &deleted, &written)?;
        row.name = crate::docker::names::and_names(&names);
        row.builds = names;
        out.push(row);
    }
    Ok((out, notes))
}

/// The note for a compose project Compose refuses.
fn refused_note(root: &Path, r: &crate::docker::compose::Refused) -> NoteEntry {
    let rel = r.file.strip_prefix(root).unwrap_or(&r.file);
    let (path, path_hex) = RelPath::from_bytes(rel.as_os_str().as_encoded_bytes()).to_json_fields();
    let at = match r.line {
        0 => String::new(),
        n => format!("line {n}: "),
    };
    NoteEntry {
        message: format!(
            "{at}{}: Docker Compose refuses this file, so its services' builds are not measured",
            r.message
        ),
        path,
        path_hex,
        kind: crate::scan::NoteKind::ComposeRefused,
    }
}

/// A note for each deletion a build copies from: Spring Boot's `COPY target/*.jar app.jar`
/// reads `target/`, which `maven-target` deletes. The deletion stands (`mvn package` makes it
/// again), but `docker build` fails until then, and the plan says so. One note per deleted
/// entry, naming every Dockerfile line that copies from it.
fn copied_deletions(root: &Path, builds: &[&crate::docker::Build], plan: &Plan) -> Vec<NoteEntry> {
    let deleted: Vec<(RelPath, &crate::plan::Entry)> = plan
        .deletions()
        .filter_map(|e| Some((e.rel()?, e)))
        .collect();
    let mut found: Vec<(usize, Vec<String>)> = Vec::new();
    // A build whose Dockerfile the cleanup deletes goes with what it copies (an old copy's
    // `backend_old/Dockerfile`): no build is left to fail.
    for b in builds
        .iter()
        .filter(|b| plan.deletes_build(root, b).is_none())
    {
        let Some(text) = b.dockerfile_text() else {
            continue;
        };
        let ctx = b.context.strip_prefix(root).unwrap_or(Path::new(""));
        let ctx = RelPath::from_bytes(ctx.as_os_str().as_encoded_bytes());
        let df = b.dockerfile.strip_prefix(root).unwrap_or(&b.dockerfile);
        for c in crate::docker::built_stages::built_copy_sources(&text, b.target.as_deref()) {
            let Some(p) = c.pattern() else { continue };
            let sample = ctx.join(crate::ignorefile::copy_sample(&p).as_bytes());
            let Some(i) = deleted.iter().position(|(d, _)| sample.starts_with(d)) else {
                continue;
            };
            let said = format!(
                "{} line {} (`{} {}`)",
                df.display(),
                c.line,
                c.instruction,
                c.source
            );
            match found.iter_mut().find(|(j, _)| *j == i) {
                Some((_, lines)) if !lines.contains(&said) => lines.push(said),
                Some(_) => {}
                None => found.push((i, vec![said])),
            }
        }
    }
    found.sort();
    (found.into_iter())
        .map(|(i, lines)| {
            let (rel, e) = &deleted[i];
            let until = match &e.regenerate {
                Some(cmd) => format!("until `{cmd}` makes it again"),
                None => "until it is there again".to_string(),
            };
            let (path, path_hex) = rel.to_json_fields();
            NoteEntry {
                message: format!(
                    "{} copies from it, and the plan deletes it: the build fails {until}",
                    crate::docker::names::and_list(&lines)
                ),
                path,
                path_hex,
                kind: crate::scan::NoteKind::BuildInputDeleted,
            }
        })
        .collect()
}
