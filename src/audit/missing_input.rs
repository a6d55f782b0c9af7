//! A build that cannot start: its context or Dockerfile does not exist, outside the
//! repository (another checkout it expects beside this one), or in a submodule a clone left
//! empty.

use std::path::Path;

use super::{finding, rel_to, Finding, Severity};
use crate::docker::compose::Build;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// A build whose context or Dockerfile does not exist; true when the context is missing
/// (nothing to measure then).
pub(super) fn missing_input(
    root: &Path,
    b: &Build,
    git: Option<&GitInfo>,
    out: &mut Vec<Finding>,
) -> bool {
    let Some((p, what)) = b.missing_input() else {
        return false;
    };
    let f = match unchecked_submodule(root, p, git) {
        // Ultron's ten services in submodules a clone without `--recursive` leaves empty:
        // one finding per submodule, its fix the command that fills it.
        Some(sub) => finding(
            "missing-build-input",
            sub.clone(),
            format!(
                "the submodule `{sub}` is not checked out, and the build of {} needs it: the build fails until it is",
                b.name
            ),
            format!("`git submodule update --init {sub}`"),
        ),
        None if !p.starts_with(root) => outside(root, p, what, b),
        None => {
            let key = if what == "Dockerfile" {
                "dockerfile"
            } else {
                "context"
            };
            let written = rel_to(root, p);
            if let Some(f) = named_otherwise(root, p, b) {
                return push(f, b, out);
            }
            // AI-RAG-Chatbot-Ollama's compose file builds `./backend` from its `Backend/`.
            match crate::docker::case::case_variant(root, &written) {
                Some(on_disk) => finding(
                    "missing-build-input",
                    written.clone(),
                    format!(
                        "the {what} `{written}` of {} does not exist as written, but `{on_disk}` is there, in other capitals: {}",
                        b.name,
                        crate::docker::case::CASE_ONLY
                    ),
                    format!(
                        "point `{key}` of {} at `{on_disk}`, the name on disk, or rename it to `{written}` (`git mv {on_disk} {written}`)",
                        b.name
                    ),
                ),
                None => finding(
                    "missing-build-input",
                    written.clone(),
                    format!("the {what} `{written}` of {} does not exist: the build fails", b.name),
                    format!(
                        "create it, or point `{key}` of {} at one that exists{}",
                        b.name,
                        (p == b.context.join(crate::docker::names::DEFAULT_DOCKERFILE))
                            .then(|| in_context(&b.context))
                            .flatten()
                            .map(|d| format!(" (the context has `{d}`: `dockerfile: {d}`)"))
                            .unwrap_or_default()
                    ),
                ),
            }
        }
    };
    push(f, b, out)
}

/// The one Dockerfile in a folder of the context `ctx`, one or two levels down, for a build
/// whose Dockerfile is missing at its top: Meridinate's compose file builds `../backend` with
/// `dockerfile: Dockerfile`, and its Dockerfile is `backend/docker/Dockerfile`. None where
/// there are several to choose from, or none.
fn in_context(ctx: &Path) -> Option<String> {
    let dirs = |d: &Path| -> Vec<std::path::PathBuf> {
        let Ok(rd) = std::fs::read_dir(d) else {
            return Vec::new();
        };
        (rd.flatten())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter(|e| e.file_name() != "node_modules")
            .map(|e| e.path())
            .collect()
    };
    let first = dirs(ctx);
    let second: Vec<_> = first.iter().flat_map(|d| dirs(d)).collect();
    let found: Vec<String> = (first.iter().chain(&second))
        .map(|d| d.join(crate::docker::names::DEFAULT_DOCKERFILE))
        .filter(|f| f.symlink_metadata().is_ok_and(|m| m.is_file()))
        .filter_map(|f| Some(f.strip_prefix(ctx).ok()?.to_string_lossy().into_owned()))
        .collect();
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

fn push(mut f: Finding, b: &Build, out: &mut Vec<Finding>) -> bool {
    f.build = Some(b.name.clone());
    out.push(f);
    !b.context.is_dir()
}

/// A `Dockerfile` that is not there beside one under a name Docker never looks for: Podman's
/// `Containerfile` (Podman and Buildah build it by default; compose-spec#577: Compose has no
/// fallback planned), or the `Dockerfile.txt` a Windows editor saves (committed in 13,566
/// public repositories). BenjaminSchubert/locaccel's compose example builds its root, which
/// holds a `Containerfile`.
fn named_otherwise(root: &Path, p: &Path, b: &Build) -> Option<Finding> {
    let is_file = |q: &Path| q.symlink_metadata().is_ok_and(|m| m.is_file());
    if p.file_name()? != "Dockerfile" {
        return None;
    }
    let name = ["Containerfile", "Dockerfile.txt", "dockerfile.txt"]
        .into_iter()
        .find(|n| is_file(&p.with_file_name(n)))?;
    let (written, there) = (rel_to(root, p), rel_to(root, &p.with_file_name(name)));
    let (why, fix) = match name {
        "Containerfile" => (
            "is what Podman builds by default, not Docker",
            format!(
                "point `dockerfile` of {} at it (`dockerfile: Containerfile`; `docker build -f {there}`)",
                b.name
            ),
        ),
        _ => (
            "is the name an editor saved it under, with a `.txt`",
            format!("rename it: `git mv {there} {written}`"),
        ),
    };
    Some(finding(
        "missing-build-input",
        written.clone(),
        format!(
            "the Dockerfile `{written}` of {} does not exist: Docker and Compose look for no \
             other name, and `{there}` beside it {why}: the build fails",
            b.name
        ),
        fix,
    ))
}

/// A Dockerfile found by its name in other capitals (`DockerFile`, committed in 11,396 public
/// repositories) with no `Dockerfile` or `dockerfile` beside it, which nothing here names:
/// `docker build DIR` finds it where the filesystem ignores case (macOS, Windows) and fails on
/// Linux and in CI (tests/buildkit_reads.rs builds both ways). A warning: a build that names
/// it (`-f DockerFile`) works everywhere.
pub(super) fn case_only_dockerfile(
    root: &Path,
    b: &Build,
    builds: &[Build],
    out: &mut Vec<Finding>,
) {
    let shown = rel_to(root, &b.dockerfile);
    let (Some(name), Some(dir)) = (
        b.dockerfile.file_name().and_then(|n| n.to_str()),
        b.dockerfile.parent(),
    ) else {
        return;
    };
    // A compose build names its Dockerfile; a standalone build is named by its path.
    let standalone = b.name == shown;
    let there = |n: &str| dir.join(n).symlink_metadata().is_ok();
    if !standalone
        || !name.eq_ignore_ascii_case("Dockerfile")
        || there("Dockerfile")
        || there("dockerfile")
        || crate::docker::named_where_built(root, &b.dockerfile)
        // A compose build wanting the `Dockerfile` there says it, as that file in other capitals.
        || builds.iter().any(|o| o.dockerfile == dir.join("Dockerfile"))
    {
        return;
    }
    let dir_shown = match rel_to(root, dir) {
        d if d.is_empty() => ".".to_string(),
        d => d,
    };
    let mut f = finding(
        "missing-build-input",
        shown.clone(),
        format!(
            "`docker build {dir_shown}` finds `{shown}` only where the filesystem ignores case \
             (macOS, Windows): on Linux and in CI it looks for `Dockerfile`, then \
             `dockerfile`, and fails unless the build names this file (`-f {shown}`), which \
             nothing here does"
        ),
        format!(
            "rename it: `git mv {shown} {}`",
            rel_to(root, &dir.join("Dockerfile"))
        ),
    );
    f.severity = Severity::Warning;
    f.build = Some(b.name.clone());
    out.push(f);
}

/// A missing input outside the repository (cine-platform's `context: ../ffmpeg-cuda`): another
/// checkout the build expects beside this one. A warning, shown from the root: this tree has
/// nothing to fix, and where the checkout is made the build works.
fn outside(root: &Path, p: &Path, what: &str, b: &Build) -> Finding {
    let shown = crate::relpath::up_from(root, p);
    let mut f = finding(
        "missing-build-input",
        shown.clone(),
        format!(
            "the {what} `{shown}` of {} lies outside this repository and is not there: the build fails unless it is checked out at that place",
            b.name
        ),
        format!("check out what the build needs at `{shown}`, or build it from this repository"),
    );
    f.severity = Severity::Warning;
    f
}

/// A context or Dockerfile that is there but outside the repository (`context: ..` of a root
/// compose file, `context: /`, `dockerfile: /etc/passwd`, a committed link to either): not
/// read. The plan does not measure it either, and reading wherever a committed file points
/// would let a pull request make CI's gate walk `/`, list the runner's home, or print the
/// first line of any file the runner can read.
pub(super) fn outside_build(root: &Path, b: &Build) -> Option<Finding> {
    let (p, what) = b.outside_input()?;
    let shown = crate::relpath::up_from(root, p);
    let mut f = finding(
        "context-outside",
        shown.clone(),
        format!(
            "the {what} `{shown}` of {} lies outside this repository: it is not read, and the build is not audited",
            b.name
        ),
        format!("build from a folder of this repository, or audit the one that holds `{shown}`"),
    );
    f.severity = Severity::Warning;
    f.build = Some(b.name.clone());
    Some(f)
}

/// The submodule (a gitlink in the index) that holds `missing`, when it is not checked out.
pub fn unchecked_submodule(root: &Path, missing: &Path, git: Option<&GitInfo>) -> Option<String> {
    let git = git.filter(|g| g.has_gitlinks())?;
    let rel = missing.strip_prefix(root).ok()?;
    let sub = (rel.ancestors()).find(|a| {
        !a.as_os_str().is_empty()
            && git.is_gitlink(&RelPath::from_bytes(a.as_os_str().as_encoded_bytes()))
    })?;
    let empty = std::fs::read_dir(root.join(sub)).map_or(true, |mut d| d.next().is_none());
    empty.then(|| sub.display().to_string())
}

/// A Dockerfile Docker cannot build: no `FROM` at all (empty, comments only, `ARG`s only:
/// "file with no instructions", "contains no stages to build"), or another instruction before
/// the first `FROM` ("no build stage in current context"). total-recall's backend Dockerfile
/// is one comment line.
pub(super) fn no_stage(v: &super::build::View<'_>, out: &mut Vec<Finding>) {
    let Some(text) = v.dockerfile() else {
        return;
    };
    let first = (crate::docker::dockerfile::instructions(text).into_iter())
        .find(|(_, instr, _)| instr != "ARG");
    let empty = first.is_none();
    let (line, why) = match first {
        Some((_, instr, _)) if instr == "FROM" => return,
        Some((line, instr, _)) => (
            Some(line),
            format!("has `{instr}` (line {line}) before any `FROM`"),
        ),
        None => (None, "has no `FROM` instruction".to_string()),
    };
    let df = rel_to(v.root, &v.b.dockerfile);
    let mut f = finding(
        "missing-build-input",
        df.clone(),
        format!("the Dockerfile `{df}` of {} {why}: the build fails", v.b.name),
        "begin the build with a `FROM` line (`FROM scratch` for an empty base); only `ARG` may come before it",
    );
    // A Dockerfile built on its own is named by its path: said once. Where it has no
    // instruction at all, it may be a placeholder nothing builds (divar_crl's 0-byte
    // `fastapi_app/Dockerfile` beside the `docker/Dockerfile` its compose file builds;
    // Apollo-IO's three empty `deployment/Dockerfile.*` of its "folder structure" commit): a
    // warning, with deleting it as the other fix. One a build command names (NeuroNews' empty
    // `docker/airflow/Dockerfile`, which its Makefile builds) fails that build: an error.
    if v.b.name == df {
        f.message = format!("the Dockerfile `{df}` {why}: the build fails");
        if empty {
            f.fix = format!(
                "begin the build with a `FROM` line; or, if nothing builds it, delete it (`git rm {df}`)"
            );
            if !crate::docker::named_where_built(v.root, &v.b.dockerfile) {
                f.message = format!(
                    "the Dockerfile `{df}` {why}: a build of it fails, and no compose file or build command here builds it (a placeholder?)"
                );
                f.severity = Severity::Warning;
            }
        }
    }
    // Saved as UTF-16 (PowerShell's `echo … > Dockerfile`), its `FROM` is no instruction to
    // Docker either ("unknown instruction: ��F R O M"): the encoding is what to fix.
    if let Some(why) =
        crate::ignorefile::encoding::of_file(&v.b.dockerfile).filter(|w| w.starts_with("UTF-16"))
    {
        f.message = format!(
            "the Dockerfile `{df}` of {} is {why}: Docker finds no instruction in it \
             (`unknown instruction: ��F R O M`), and the build fails",
            v.b.name
        );
        f.fix = crate::ignorefile::encoding::fix(&df, &why);
    }
    f.line = line;
    f.build = Some(v.b.name.clone());
    out.push(f);
}
