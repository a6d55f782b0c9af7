//! `containerignore-unread`: a build context whose only ignore file is a `.containerignore`.
//! Podman and Buildah read it; Docker never does, so `docker build` and `docker compose build`
//! send everything it leaves out (A5hank/NicheRadar: `dockerfile: Containerfile` in its
//! compose file, a `.containerignore` excluding `.git`, `.env`, `.venv/`, `data/`, no
//! `.dockerignore`).

use super::build::View;
use super::{finding, rel_to, Finding};
use crate::docker::containerignore;

/// The finding for `v`'s build, or, where the context's missing `.dockerignore` is already
/// reported for the junk it sends, that finding told the cause (one finding per problem).
pub(super) fn unread(v: &View<'_>, out: &mut Vec<Finding>) {
    if v.ig_path.is_some() {
        return;
    }
    let Some((_, ig)) = containerignore::read(&v.b.context) else {
        return;
    };
    let shown = rel_to(v.root, &v.b.context.join(containerignore::NAME));
    let said = out.iter_mut().find(|x| {
        x.code == "missing-dockerignore" && x.build.as_deref() == Some(v.b.name.as_str())
    });
    if let Some(x) = said {
        x.message = format!(
            "{}; the `{shown}` beside it is Podman's and Buildah's ignore file, which Docker never reads",
            x.message
        );
        x.fix = format!("{}; {}", x.fix, FIX);
        return;
    }
    let (files, bytes, tops) = left_out(v, &ig);
    let sent = match files {
        0 => format!(
            "whatever its lines leave out where it exists ({}; none of it is here now)",
            lines_named(&ig)
        ),
        n => format!(
            "the {} ({}) its lines leave out: {}",
            crate::size::plural(n, "file", "files"),
            crate::size::human(bytes),
            crate::docker::names::and_list(&tops)
        ),
    };
    let mut x = finding(
        "containerignore-unread",
        shown.clone(),
        format!(
            "`{shown}` is Podman's and Buildah's ignore file, which Docker never reads: the \
             build context of {} has no .dockerignore, so Docker sends {sent}",
            v.b.name
        ),
        format!("{FIX} (or copy it: `cp {shown} {}`)", dockerignore(v)),
    );
    x.bytes = Some(bytes);
    x.build = Some(v.b.name.clone());
    out.push(x);
}

const FIX: &str = "`mami-clean ignore --write` creates the .dockerignore starting from the \
                   .containerignore's lines; Podman keeps reading its own file";

fn dockerignore(v: &View<'_>) -> String {
    rel_to(v.root, &v.b.context.join(".dockerignore"))
}

/// What the context sends that `ig` would leave out: files, bytes, and its three heaviest
/// entries at the context's top (a directory with a trailing `/`), quoted.
fn left_out(v: &View<'_>, ig: &crate::docker::DockerIgnore) -> (u64, u64, Vec<String>) {
    let (mut files, mut bytes) = (0, 0);
    let mut tops: Vec<(String, u64)> = Vec::new();
    for f in v
        .ctx
        .files
        .iter()
        .filter(|f| ig.excluded(f.path.as_bytes()))
    {
        files += 1;
        bytes += f.bytes;
        let p = String::from_utf8_lossy(f.path.as_bytes());
        let top = match p.split_once('/') {
            Some((dir, _)) => format!("`{dir}/`"),
            None => format!("`{p}`"),
        };
        match tops.iter_mut().find(|(t, _)| *t == top) {
            Some((_, b)) => *b += f.bytes,
            None => tops.push((top, f.bytes)),
        }
    }
    tops.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let more = tops.len().saturating_sub(3);
    let mut named: Vec<String> = tops.into_iter().take(3).map(|(t, _)| t).collect();
    if more > 0 {
        named.push(format!("{more} more"));
    }
    (files, bytes, named)
}

/// Its first three excluding lines, quoted, and how many more.
fn lines_named(ig: &crate::docker::DockerIgnore) -> String {
    let excluding: Vec<&str> = (ig.patterns.iter())
        .filter(|p| !p.exception)
        .map(|p| p.text.as_str())
        .collect();
    let mut named: Vec<String> = excluding.iter().take(3).map(|t| format!("`{t}`")).collect();
    if excluding.len() > 3 {
        named.push(format!("{} more", excluding.len() - 3));
    }
    crate::docker::names::and_list(&named)
}
