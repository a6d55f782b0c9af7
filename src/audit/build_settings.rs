//! A committed environment file of front-end build settings kept out of the build that reads
//! it (`build-settings-excluded`). A Vite app's `frontend/.env` of `VITE_API_URL` holds no
//! secret: the build compiles it into the page. A `.dockerignore` that says `.env` (the line
//! every template has) keeps it out of the context, and `RUN npm run build` in the image then
//! makes an app calling `undefined`: the build passes, the page is broken. chatgpt-web's
//! `.dockerignore` re-includes its `!.env` for that reason.

use regex::Regex;
use std::sync::LazyLock;

use super::build::View;
use super::{finding, rel_to, Finding, Severity};
use crate::git::GitInfo;

/// A command that builds a front end.
static BUILDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?:npm|pnpm|bun)\s+run\s+build|(?:yarn|pnpm)\s+(?:run\s+)?build|(?:vite|next|nuxt|astro|ng|react-scripts|vue-cli-service)\s+build)\b",
    )
    .expect("a valid pattern")
});

/// One finding per committed build-settings file the context's ignore file keeps out of a
/// build whose Dockerfile builds a front end and would copy it in.
pub(super) fn excluded(v: &View<'_>, git: Option<&GitInfo>, out: &mut Vec<Finding>) {
    let (Some(git), Some(ig)) = (git, v.ig_path.as_deref()) else {
        return;
    };
    let Some((run_line, run)) = v.dockerfile().and_then(|t| front_end_build(v, t)) else {
        return;
    };
    let Some(prefix) = v.prefix() else {
        return;
    };
    for c in crate::front_end_env::committed_in(git, v.root, prefix) {
        let inside = c.inside.as_bytes();
        let Some(line) = v.ctx.ignore.deciding(inside).filter(|d| !d.exception) else {
            continue;
        };
        if !v.buildkit_reads(inside) {
            continue;
        }
        let (rel, key) = (&c.path, &c.key);
        let shown = rel.display();
        let again = format!("!{}", c.inside);
        let fix = match ours(v, line.line) {
            true => "`mami-clean ignore --write` writes it".to_string(),
            false => format!("write `{again}` below line {} of {ig}", line.line),
        };
        let df = rel_to(v.root, &v.b.dockerfile);
        let mut x = finding(
            "build-settings-excluded",
            ig.to_string(),
            format!(
                "line {} (`{}`) keeps the committed `{shown}` out of the build context of {}, while the build compiles what it sets (`{key}`) into the page (`{run}`, {df}:{run_line}): the image is built without it",
                line.line, line.text, v.b.name
            ),
            format!("it holds no secret: {fix}, and the build gets it again"),
        );
        x.severity = Severity::Warning;
        x.line = Some(line.line);
        x.build = Some(v.b.name.clone());
        out.push(x);
    }
}

/// The first line of the stages this build runs that builds a front end, as (line, command).
fn front_end_build(v: &View<'_>, text: &str) -> Option<(usize, String)> {
    let built = crate::docker::built_stages::built_text(text, v.b.target.as_deref());
    let hit = (built.lines())
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|l| BUILDS.find(l).map(|m| (l, m.as_str().to_string())))?;
    let line = text.lines().position(|l| l == hit.0)? + 1;
    Some((line, hit.1))
}

/// Whether line `n` of the context's ignore file is in mami-clean's managed block.
fn ours(v: &View<'_>, n: usize) -> bool {
    (v.ctx.ignore_file.as_ref())
        .and_then(|p| crate::fsx::read_text(p, crate::limits::MAX_IGNORE_BYTES))
        .is_some_and(|text| crate::ignorefile::managed_block_lines(&text).contains(&n))
}

#[cfg(test)]
mod tests {
    #[test]
    fn front_end_builds_are_told_from_other_commands() {
        for l in [
            "RUN npm run build",
            "RUN npm ci && npm run build:prod",
            "RUN yarn build",
            "RUN pnpm run build",
            "RUN npx vite build --mode production",
            "RUN npx next build",
        ] {
            assert!(super::BUILDS.is_match(l), "{l}");
        }
        for l in [
            "RUN npm ci",
            "RUN go build ./...",
            "RUN cargo build",
            "RUN npm run rebuild",
        ] {
            assert!(!super::BUILDS.is_match(l), "{l}");
        }
    }
}
