//! The COPY and ADD sources of a build checked against its context: missing from it (the build
//! fails unless a step before it makes them), excluded by its `.dockerignore`, or ignored by
//! git (a fresh clone will not have them).

use super::build::View;
use super::{finding, rel_to, Finding};
use crate::docker::copy_source::CopySource;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// The COPY/ADD sources the context does not hold at all, as one finding at the first. A
/// warning: CI often makes them in a step before the build (`dist/`, `target/app.jar`). A
/// Dockerfile no service builds has a context inferred from its sources
/// (`docker::standalone`), which the message says.
fn missing_sources(
    v: &View<'_>,
    missing: &[&CopySource],
    df: &str,
    git: Option<&GitInfo>,
) -> Option<Finding> {
    let first = missing.first()?;
    let ctx = rel_to(v.root, &v.b.context);
    let ctx = if ctx.is_empty() { ".".to_string() } else { ctx };
    // A Dockerfile at the root is built from there by every convention; below it, a guess. One
    // a compose file under another name builds (`docker-compose.pricememo.yml`, given with
    // `-f`) is not known here: the message says which compose files were read.
    let guessed = if v.b.name == df && v.b.dockerfile.parent() != Some(v.root) {
        " (no service of a compose file Compose reads by default builds this Dockerfile: its context is the nearest directory holding its sources, and none holds them all)"
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
    // A name in other capitals than on disk (`COPY Requirements.txt`): Linux builds only fail.
    let mut cased = false;
    let named: Vec<String> = by_source
        .iter()
        .map(|(s, l)| {
            let lines = match l.len() {
                1 => format!("line {}", l[0]),
                _ => format!("lines {}", l.join(", ")),
            };
            let on_disk =
                (s.literal()).and_then(|c| crate::docker::case::case_variant(&v.b.context, &c));
            cased |= on_disk.is_some();
            match on_disk {
                Some(d) => format!("{} `{}` ({lines}; `{d}` on disk)", s.instruction, s.source),
                None => format!("{} `{}` ({lines})", s.instruction, s.source),
            }
        })
        .collect();
    let (what, verb, them) = match named.len() {
        1 => (named[0].clone(), "is", "it"),
        _ => (named.join(", "), "are", "them"),
    };
    // Missing and git-ignored, all of them: output of a build run before `docker build`
    // (longhorn-engine's `COPY bin/longhorn`, which `scripts/build` compiles into its ignored
    // `/bin`): nothing to create or commit.
    let built = git.is_some_and(|g| missing.iter().all(|s| ignored_missing(v, g, s)));
    // The scripts that may make them, read once and only if asked (see `build_step`).
    let steps = git.map(super::build_step::Steps::new);
    let made = std::cell::OnceCell::new();
    let made = || {
        made.get_or_init(|| steps.as_ref().and_then(|s| s.made_by(v, missing)))
            .clone()
    };
    let step = if built {
        made().unwrap_or_default()
    } else {
        String::new()
    };
    if built && steps.as_ref().is_some_and(|s| s.build_them(v, missing)) {
        return None;
    }
    // A file made from a template beside it is often ignored too: the `cp` says more.
    let templates = from_templates(&v.b.context, &by_source);
    // All of them in a folder above: the context is set too low. A context inferred would
    // have been that folder, so this one was given (by a compose file read with `-f`).
    let holder = (!cased && !built && templates.is_none())
        .then(|| above(v, &by_source))
        .flatten();
    let guessed = if holder.is_some() { "" } else { guessed };
    // Keys and other secrets kept out of git on purpose (a backup job's `keys/backup_rsa`,
    // Compassion-ly's `.env` and `serviceAccountKey.json`): not build output.
    let names =
        || (by_source.iter()).map(|(s, _)| s.source.trim_end_matches('/').rsplit('/').next());
    let keys = built && names().all(|n| n.is_some_and(super::secret_names::is_key_name));
    let secrets = built && names().all(|n| n.is_some_and(super::secret_names::is_secret_name));
    let (message, fix) = match cased {
        false if keys => (
            format!("{what} {verb} not in the build context `{ctx}` of {}, and git ignores {them}: a key kept out of git, which a fresh clone (CI) lacks", v.b.name),
            "give a private key to the container when it runs (a bind mount, compose `secrets:`) instead of copying it into the image; make a public one before `docker build` (`ssh-keygen`) wherever the image is built, CI included".to_string(),
        ),
        false if secrets && templates.is_none() => (
            format!("{what} {verb} not in the build context `{ctx}` of {}, and git ignores {them}: {} kept out of git, which a fresh clone (CI) lacks", v.b.name, if named.len() == 1 { "a secret" } else { "secrets" }),
            format!("give {them} to the container when it runs (compose `env_file:` or `secrets:`, `docker run --env-file`, a bind mount) instead of copying {them} into the image: whoever has the image has what it copies"),
        ),
        false if built && templates.is_none() => (
            format!("{what} {verb} not in the build context `{ctx}` of {}, and git ignores {them}: build output, which a fresh clone (CI) has only where a step before `docker build` makes {them}{guessed}", v.b.name),
            format!("make {them} before `docker build` wherever the image is built, CI included{step}, or in a stage of the Dockerfile"),
        ),
        true => (
            format!("{what} {verb} not in the build context `{ctx}` of {} as written; a name shown with the one on disk differs from it in capitals only, which Windows and macOS ignore (their file systems ignore case by default) and Linux and CI do not: the build fails there", v.b.name),
            format!("write each name as it is on disk (or create or commit {them} in `{ctx}`)"),
        ),
        false => (
            format!("{what} {verb} not in the build context `{ctx}` of {}: the build fails unless a step before it makes {them}{guessed}", v.b.name),
            match templates {
                Some(cps) => format!("create {them} from the template beside {them} before the build ({cps}, then fill in the values): a file made from a template holds each machine's settings, often keys, so it is not committed"),
                None => match (&holder, made()) {
                    (Some(h), _) => super::sources_above::fix(v.root, h, &v.b.dockerfile, them),
                    // dokploy's CI makes its `.env.production` from an example elsewhere
                    // (`cp apps/dokploy/.env.production.example .env.production`).
                    (None, Some(step)) => format!("make {them} before `docker build` wherever the image is built{step}, or create or commit {them} in `{ctx}`"),
                    (None, None) => format!("create or commit {them} in `{ctx}`, or fix the path; `mami-clean context DIR -f {df}` measures another context"),
                },
            },
        ),
    };
    let mut x = finding("copy-source-missing", df.to_string(), message, fix);
    x.line = Some(first.line);
    x.build = Some(v.b.name.clone());
    Some(x)
}

/// The folder above the context that holds every missing source ([`super::sources_above`]).
fn above(v: &View<'_>, sources: &[(&CopySource, Vec<String>)]) -> Option<std::path::PathBuf> {
    let literal: Vec<Option<String>> = sources.iter().map(|(s, _)| s.literal()).collect();
    super::sources_above::holder_above(v.root, &v.b.context, &literal)
}

/// The `cp` commands that make the missing `sources` from the templates beside them in
/// `context` (devika's `sample.config.toml` for `COPY config.toml`), where each has one
/// ([`super::secret_names::made_from_template`]).
fn from_templates(
    context: &std::path::Path,
    sources: &[(&CopySource, Vec<String>)],
) -> Option<String> {
    let cps: Option<Vec<String>> = (sources.iter())
        .map(|(s, _)| {
            let src = s.literal()?;
            let (dir, name) = src.rsplit_once('/').unwrap_or(("", &src));
            let entries = std::fs::read_dir(context.join(dir)).ok()?.flatten();
            let mut found: Vec<String> = (entries.filter(|e| e.path().is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|t| super::secret_names::made_from_template(t).as_deref() == Some(name))
                .collect();
            found.sort();
            let t = found.into_iter().next()?;
            let t = if dir.is_empty() {
                t
            } else {
                format!("{dir}/{t}")
            };
            Some(format!("`cp {t} {src}`"))
        })
        .collect();
    cps.map(|c| c.join(", "))
}

/// COPY/ADD and bind-mount sources the context does not have (missing or excluded), or that
/// git ignores.
pub(super) fn checks(v: &View<'_>, git: Option<&GitInfo>, out: &mut Vec<Finding>) {
    if v.dockerfile().is_some() {
        let df = rel_to(v.root, &v.b.dockerfile);
        let mut missing = Vec::new();
        let mut ignored: Vec<(&CopySource, Option<&str>)> = Vec::new();
        for s in v.copies().iter().chain(v.binds()) {
            // Globs: the engine cannot tell what the author expected to match, only whether
            // the `.dockerignore` hides all it does match; a variable (`${NETBOX_PATH}`)
            // names a path only the build knows.
            let Some(clean) = s.literal() else {
                out.extend(wildcard_excluded(v, s, &df));
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
                    if g.tracked_under(&r) == 0 && g.is_ignored(&r) && !secret(v, &src) {
                        ignored.push((s, made_by(v, &src)));
                    }
                }
            }
        }
        out.extend(missing_sources(v, &missing, &df, git));
        gitignored(v, &ignored, &df, out);
    }
}

/// Whether the context file `src` is a secret: kept out of git as it should be, and
/// `secret-in-context` says how to give it to the build instead ("commit it" would be wrong).
fn secret(v: &View<'_>, src: &RelPath) -> bool {
    let abs = src.under(&v.b.context);
    let name = std::str::from_utf8(src.file_name()).unwrap_or_default();
    abs.is_file() && super::secrets::judge_at(name, || abs.clone()).is_some()
}

/// Whether git ignores a source the context lacks, asked as a file and as a directory (a
/// `dist/` line ignores `COPY dist` only as a directory); `false` for one outside the
/// repository or with a variable in it.
fn ignored_missing(v: &View<'_>, g: &GitInfo, s: &CopySource) -> bool {
    let Some(r) = super::build_step::from_root(v, g, s) else {
        return false;
    };
    let dir = [r.as_slice(), b"/"].concat();
    g.is_ignored(&RelPath::from_bytes(r)) || g.is_ignored(&RelPath::from_bytes(dir))
}

/// The command a rule says makes again the selection holding `src` (netbird's docs copy
/// `.next/standalone`, which `npm run build` makes on the CI runner before `docker build`).
fn made_by<'v>(v: &'v View<'_>, src: &RelPath) -> Option<&'v str> {
    // The first deletion holding it, in plan order, as `View::holder` finds it for many files.
    let (.., e) = (v.deletions.iter()).find(|(inside, ..)| {
        (inside.as_deref()).is_none_or(|d| crate::relpath::within(src.as_bytes(), d))
    })?;
    e.regenerate.as_deref().filter(|cmd| !cmd.starts_with('('))
}

/// The `copy-source-gitignored` findings of the COPY/ADD sources git ignores, each with the
/// command that makes it, if a rule knows one: the sources one command makes are one finding
/// (`.next/standalone` and `.next/static`: one `npm run build` to run first wherever the image
/// is built); anything else a fresh clone lacks unless some step makes it, one finding each.
fn gitignored(
    v: &View<'_>,
    ignored: &[(&CopySource, Option<&str>)],
    df: &str,
    out: &mut Vec<Finding>,
) {
    let mut done = vec![false; ignored.len()];
    for (i, &(s, cmd)) in ignored.iter().enumerate() {
        if done[i] {
            continue;
        }
        let (message, fix) = match cmd {
            Some(cmd) => {
                let same: Vec<String> = (ignored.iter().enumerate().skip(i))
                    .filter(|(_, (_, c))| *c == Some(cmd))
                    .map(|(j, (t, _))| {
                        done[j] = true;
                        format!("{} `{}` (line {})", t.instruction, t.source, t.line)
                    })
                    .collect();
                let (what, verb, them) = match same.len() {
                    1 => (same[0].clone(), "is", "it"),
                    _ => (crate::docker::names::and_list(&same), "are", "them"),
                };
                (
                    format!("{what} {verb} git-ignored, made by `{cmd}`: a build from a fresh clone (CI) has {them} only where that runs first"),
                    format!("run `{cmd}` before `docker build` wherever the image is built, CI included, or make {them} in a stage of the Dockerfile"),
                )
            }
            None => (
                format!("{} `{}` is git-ignored: a build from a fresh clone (CI) will not have it unless a step before the build makes it", s.instruction, s.source),
                "commit it, make it in a step before `docker build`, or generate it in the Dockerfile".to_string(),
            ),
        };
        let mut x = finding("copy-source-gitignored", df.to_string(), message, fix);
        x.line = Some(s.line);
        x.build = Some(v.b.name.clone());
        out.push(x);
    }
}

/// Files looked at on disk for a wildcard source before giving up (a `COPY **/*.py` over a
/// large tree says nothing more for looking further).
const WILDCARD_LOOK: usize = 10_000;

/// A wildcard source (`COPY target/*.jar app.jar`) that matches files in the context
/// directory, none of which the context sends: the `.dockerignore` hides them all (a user's
/// `**/target`), and the build fails with "no source files were specified".
fn wildcard_excluded(v: &View<'_>, s: &CopySource, df: &str) -> Option<Finding> {
    let pattern = s.pattern()?;
    let m = crate::docker::glob::compile(&pattern).ok()?;
    // A source that is a directory sends what is below it (`COPY web* /srv` takes `web/`).
    if v.ctx
        .files
        .iter()
        .any(|f| m.matches_or_above(f.path.as_bytes()))
    {
        return None;
    }
    // Where the pattern's literal part ends: only below that can a match be.
    let base: Vec<&str> = pattern
        .split('/')
        .take_while(|c| !c.contains(['*', '?', '[']))
        .collect();
    // Through no link: each directory on the way is checked as it is, not as it points.
    let real_dir = |rel: &str| {
        let mut p = v.b.context.clone();
        rel.split('/').filter(|c| !c.is_empty()).all(|c| {
            p.push(c);
            p.symlink_metadata().is_ok_and(|m| m.is_dir())
        })
    };
    let mut stack: Vec<String> = vec![base.join("/")];
    stack.retain(|d| real_dir(d));
    let mut seen = 0;
    let hit = 'look: loop {
        let Some(dir) = stack.pop() else { break None };
        let Ok(rd) = std::fs::read_dir(v.b.context.join(&dir)) else {
            continue;
        };
        for e in rd.flatten() {
            seen += 1;
            if seen > WILDCARD_LOOK {
                break 'look None;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            if m.matches(rel.as_bytes()) {
                break 'look Some(rel);
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) && rel != ".git" {
                stack.push(rel);
            }
        }
    }?;
    let why = (v.ctx.ignore.deciding(hit.as_bytes()))
        .map(|p| format!(" by line {} (`{}`)", p.line, p.text))
        .unwrap_or_default();
    let ig = v.ig_path.as_deref().unwrap_or("the .dockerignore");
    let mut x = finding(
        "copy-source-excluded",
        df.to_string(),
        format!("{} `{}` matches only files {ig} excludes (`{hit}`{why}): the build fails with no source files", s.instruction, s.source),
        format!("re-include them (`!{hit}`), or remove the excluding line"),
    );
    x.line = Some(s.line);
    x.build = Some(v.b.name.clone());
    Some(x)
}
