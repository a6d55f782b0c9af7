//! Lines a `.dockerignore` must not be given, whatever a rule wants: one that would exclude a
//! COPY/ADD or bind-mount source (the build would fail), one that would exclude a file the
//! user's own lines re-include by name (`!.env`: the build reads it, chatgpt-web's front end
//! does), and `.git` where a build reads git (syncthing's `go run build.go` runs `git
//! describe`; ragflow's RUN mounts `.git`).

use crate::docker::compose::Build;
use crate::docker::copy_source::{bind_sources, copy_sources, CopySource};
use crate::docker::walk::Walk;
use crate::docker::DockerIgnore;

/// Drop `.dockerignore` lines that would exclude a COPY/ADD or bind-mount source of one of
/// `builds`.
pub fn keep_copy_sources(lines: Vec<String>, builds: &[&Build]) -> (Vec<String>, Vec<String>) {
    apart(lines, &read_samples(builds).concat())
}

/// A path each COPY/ADD source of `builds` copies ([`sample_of`]), and each source a `RUN
/// --mount=type=bind` mounts; each Dockerfile read once. A mount's source excluded fails the
/// build as a COPY's does.
fn read_samples(builds: &[&Build]) -> [Vec<String>; 2] {
    let [mut copied, mut mounted] = [Vec::new(), Vec::new()];
    let sample = |s: &CopySource| s.pattern().map(|p| sample_of(&p));
    for b in builds {
        if let Some(text) = b.dockerfile_text() {
            copied.extend(copy_sources(&text).iter().filter_map(sample));
            mounted.extend(bind_sources(&text).iter().filter_map(sample));
        }
    }
    [copied, mounted]
}

/// `lines` split into those that exclude none of `sources` and those that exclude one. A
/// line is written only if it excludes no COPY source under either walk: the file then works
/// with any Docker, and the client need not be asked which it is.
fn apart(lines: Vec<String>, sources: &[String]) -> (Vec<String>, Vec<String>) {
    lines.into_iter().partition(|l| {
        ![Walk::Current, Walk::Legacy].iter().any(|&w| {
            DockerIgnore::parse_for(l, "line", w)
                .map(|ig| sources.iter().any(|s| ig.excluded(s.as_bytes())))
                .unwrap_or(true)
        })
    })
}

/// [`keep_copy_sources`] in the context at `prefix`, with why each line is not written: a
/// delete rule's refused line is written as the paths its rules selected there, those that
/// exclude no COPY source (`**/target` as `tools/target`, while `target/*.jar` is copied).
pub(super) fn keep_copy_sources_in(
    lines: Vec<String>,
    builds: &[&Build],
    narrow: Option<(
        &crate::rules::RuleSet,
        &crate::plan::Plan,
        &crate::relpath::RelPath,
    )>,
) -> (Vec<String>, Vec<String>) {
    // A line one of the walks cannot read is refused for that, not for a COPY: Docker 20.10's
    // legacy walk made a regular expression of each line, escaping only `.` and `$`, so a `(`
    // (a browser's `.env (1)`) fails the build there.
    let (lines, unreadable): (Vec<String>, Vec<String>) = lines.into_iter().partition(|l| {
        [Walk::Current, Walk::Legacy]
            .iter()
            .all(|&w| DockerIgnore::parse_for(l, "line", w).is_ok())
    });
    let mut why: Vec<String> = (unreadable.into_iter())
        .map(|l| {
            format!("{l} (Docker's legacy walk, as in 20.10, cannot read it: it fails the build)")
        })
        .collect();
    // The Dockerfiles are read once, for the lines and for the paths a refused one becomes.
    let [copied, mounted] = read_samples(builds);
    let sources = [&copied[..], &mounted[..]].concat();
    let (mut lines, refused) = apart(lines, &sources);
    for l in refused {
        let paths = narrow.and_then(|(rules, plan, prefix)| {
            super::docker_own::as_selected(&l, rules, plan, prefix)
        });
        let kept = paths.map(|p| apart(p, &sources).0).unwrap_or_default();
        let reads = match apart(vec![l.clone()], &copied).1.is_empty() {
            true => "a Dockerfile's RUN mounts what it would exclude",
            false => "a Dockerfile COPYs what it would exclude",
        };
        if kept.is_empty() {
            why.push(format!("{l} ({reads})"));
            continue;
        }
        why.push(format!(
            "{l} ({reads}; written as {} instead)",
            kept.join(", ")
        ));
        for p in kept {
            if !lines.contains(&p) {
                lines.push(p);
            }
        }
    }
    (lines, why)
}

/// A path the COPY source pattern `c` ([`CopySource::pattern`]) copies: itself where it has
/// no wildcard; `target/*.jar` (Spring Boot's canonical Dockerfile) copies `target/x.jar`, so
/// `**/target` must not be written.
///
/// [`CopySource::pattern`]: crate::docker::copy_source::CopySource::pattern
pub fn sample_of(c: &str) -> String {
    let mut out = String::with_capacity(c.len());
    let mut chars = c.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '*' | '?' => {
                if !out.ends_with('x') {
                    out.push('x');
                }
            }
            // A class stands for its first member (`[abc]` for `a`).
            '[' => {
                let class: String = chars.by_ref().take_while(|&x| x != ']').collect();
                out.push(
                    class
                        .trim_start_matches(['!', '^'])
                        .chars()
                        .next()
                        .unwrap_or('x'),
                );
            }
            ch => out.push(ch),
        }
    }
    out
}

/// Drop the `.git` line where one of `builds` reads git ([`crate::docker::git_reads`]), with
/// why, unless the block already holds it (a line there stays: the user may have put it).
pub fn keep_git_for_readers(
    lines: Vec<String>,
    builds: &[&Build],
    existing: &str,
) -> (Vec<String>, Vec<String>) {
    let read = builds.iter().find_map(|b| {
        let text = b.dockerfile_text()?;
        let r = crate::docker::git_reads::reads_git(&b.context, &text)?;
        // From the context, whose `.dockerignore` this is (`packaging/debian/Dockerfile`).
        let shown = (b.dockerfile.strip_prefix(&b.context).ok())
            .or_else(|| b.dockerfile.file_name().map(std::path::Path::new))?;
        let name = shown.to_string_lossy().into_owned();
        Some(format!("{name}:{} {}", r.line, r.why))
    });
    let in_block = super::block::parts(existing).block.contains(&".git");
    // The user's own lines exclude it already (kotaemon's `.git/`): nothing to decide here.
    let covered =
        DockerIgnore::parse(existing, ".dockerignore").is_ok_and(|ig| ig.excluded(b".git"));
    match read {
        Some(why) if !in_block && !covered => {
            let (git, kept): (Vec<String>, Vec<String>) =
                lines.into_iter().partition(|l| l == ".git");
            let dropped = git
                .into_iter()
                .map(|l| format!("{l} ({why}: the build reads git)"))
                .collect();
            (kept, dropped)
        }
        _ => (lines, Vec::new()),
    }
}

/// Drop the lines that would exclude a path an exception of the file names literally
/// (`!.env`, `!config/app.env`; not `!**/*.json`, which names no file), each dropped line with
/// why. The managed block goes last in the file, so without this a rule's `**/.env` would
/// undo the user's `!.env`.
///
/// A file that excludes only part of `.git` (internetarchive/openlibrary's `.git/objects/*`:
/// its app runs `git rev-parse HEAD`) sends the rest on purpose: the `.git` line, which every
/// other `.dockerignore` is given, is dropped there too.
pub fn keep_reincluded(lines: Vec<String>, existing: &str) -> (Vec<String>, Vec<String>) {
    let patterns = DockerIgnore::parse(existing, ".dockerignore")
        .map(|ig| ig.patterns)
        .unwrap_or_default();
    // The block's own re-includes (a committed `.env` of build settings) are not the user's.
    let ours = super::block::parts(existing).block_at;
    let named: Vec<(&str, usize)> = (patterns.iter())
        .filter(|p| p.exception && !p.text.contains(['*', '?', '[', '\\']))
        .filter(|p| !ours.contains(&p.line))
        .map(|p| (p.text.as_str(), p.line))
        .collect();
    // Texts are cleaned: `.git/` alone is `.git`, so this is a path inside it.
    let part_of_git = (patterns.iter()).find(|p| !p.exception && p.text.starts_with(".git/"));
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for l in lines {
        if let Some(p) = part_of_git.filter(|_| excludes(&l, ".git")) {
            dropped.push(format!(
                "{l} (line {} excludes only part of `.git`, `{}`: the build is meant to get the rest)",
                p.line, p.text
            ));
            continue;
        }
        let hit = named.iter().find(|(path, _)| excludes(&l, path));
        match hit {
            Some((path, line)) => dropped.push(format!(
                "{l} (line {line} re-includes `{path}`: the build is meant to get it)"
            )),
            None => kept.push(l),
        }
    }
    (kept, dropped)
}

/// Whether the line `l` excludes `path` under either walk.
fn excludes(l: &str, path: &str) -> bool {
    [Walk::Current, Walk::Legacy].iter().any(|&w| {
        DockerIgnore::parse_for(l, "line", w).is_ok_and(|ig| ig.excluded(path.as_bytes()))
    })
}
