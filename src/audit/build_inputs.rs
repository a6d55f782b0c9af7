//! What the builds copy by name: a tracked file `.gitignore` ignores that a COPY or ADD names
//! (AgentGPT's `db/Dockerfile` does `ADD setup.sql`, which its `*.sql` ignores) is an input of
//! that build, and untracking it would leave every fresh clone unable to build it. A folder a
//! COPY takes (`COPY backend/`) takes whatever is there: paper-search-engine's ignored
//! `config.py` files in it may be each machine's own settings, so they do not count.

use std::path::Path;

use super::ignored_code::re_includable;
use crate::docker::Build;
use crate::git::check_ignore::Decider;
use crate::relpath::RelPath;

/// Each build's COPY/ADD sources that name a path in the context, as root-relative paths,
/// with the line that names it.
pub(super) struct BuildInputs(Vec<(RelPath, String)>);

impl BuildInputs {
    pub(super) fn of(root: &Path, builds: &[Build]) -> BuildInputs {
        let mut out = Vec::new();
        for b in builds.iter().filter(|b| !b.dockerfile_inline) {
            let Ok(context) = b.context.strip_prefix(root) else {
                continue;
            };
            let Some(text) = b.dockerfile_text() else {
                continue;
            };
            let df = super::rel_to(root, &b.dockerfile);
            let context = RelPath::from_bytes(context.as_os_str().as_encoded_bytes());
            for c in crate::docker::built_stages::built_copy_sources(&text, b.target.as_deref()) {
                let Some(source) = c.literal() else { continue };
                let at = format!("{df}:{} (`{} {}`)", c.line, c.instruction, c.source);
                out.push((context.join(source.as_bytes()), at));
            }
        }
        BuildInputs(out)
    }

    /// The line of a build that copies the file `path` by its name.
    pub(super) fn copying(&self, path: &[u8]) -> Option<&str> {
        (self.0.iter())
            .find(|(source, _)| source.as_bytes() == path)
            .map(|(_, at)| at.as_str())
    }
}

/// The fix for line `d` where a build copies every tracked file it ignores (`shown`, each a
/// file) by name: re-include them below the line, since untracking would take them from every
/// fresh clone's build. `base` is the ignore file's directory (empty or ending in `/`).
pub(super) fn input_fix(
    d: &Decider,
    base: &str,
    shown: &[(&[u8], usize)],
    inputs: &BuildInputs,
) -> Option<String> {
    let mut by = None;
    let again = re_includable(d, base, shown, |p| {
        let at = inputs.copying(p);
        by = by.or(at);
        at.is_some()
    })?;
    let (it, they) = match shown.len() {
        1 => ("it", "it is"),
        _ => ("them", "they are"),
    };
    Some(format!(
        "re-include {it} below line {} ({again}): {} copies {it} by name, so {they} the build's input: untracked, every fresh clone would fail that build",
        d.line,
        by?
    ))
}

/// The fix for line `d` where every tracked file it ignores (`shown`, each a file) says how the
/// project is built or checked: a Dockerfile, a compose file, a CI workflow
/// (Langchain-Chatchat's `*.yaml`, written for generated settings, ignores its
/// `docker/docker-compose.yaml` and `.github/workflows/docker-build.yaml`). Untracking one
/// would be no fix; the line still leaves the next one out of `git add`.
pub(super) fn definition_fix(d: &Decider, base: &str, shown: &[(&[u8], usize)]) -> Option<String> {
    let again = re_includable(d, base, shown, is_definition)?;
    let (it, they) = match shown.len() {
        1 => ("it", "it says"),
        _ => ("them", "they say"),
    };
    Some(format!(
        "re-include {it} below line {} ({again}): {they} how the project is built or checked, which belongs in git, and the line leaves a new one out of `git add`",
        d.line
    ))
}

/// A Dockerfile, a compose file or a CI pipeline's definition, by its path.
fn is_definition(path: &[u8]) -> bool {
    let p = String::from_utf8_lossy(path);
    let name = p.rsplit('/').next().unwrap_or(&p);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    crate::docker::names::is_dockerfile(name)
        || crate::docker::names::is_compose_name(name)
        || (yaml && (p.starts_with(".github/workflows/") || p.starts_with(".gitea/workflows/")))
        || matches!(
            &*p,
            ".gitlab-ci.yml"
                | ".circleci/config.yml"
                | "azure-pipelines.yml"
                | "bitbucket-pipelines.yml"
        )
}
