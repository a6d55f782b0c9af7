//! `mami-clean audit`: what is wrong with the repository's Docker builds and ignore files, as
//! findings (data with a stable code, a severity, a path, bytes and the fix). The reporter
//! renders them; the exit code is 1 when any finding is an error.

mod build;
mod build_inputs;
mod build_settings;
mod build_step;
mod committed;
mod cookies;
mod copy_sources;
mod editor_files;
mod excluded_once;
mod fix_merge;
mod go_embed;
mod ignore_encoding;
mod ignored_code;
mod ignored_lines;
mod junk_fix;
mod junk_sent;
mod local_cert;
mod local_data;
mod misnamed_compose;
mod misnamed_ignore;
mod missing_input;
mod mounted;
mod moved_compose;
mod oauth_tokens;
mod one_per_problem;
mod placeholders;
mod root_only;
mod secret_names;
mod secret_sent;
mod secret_values;
mod secrets;
mod sources_above;
mod tracked;
mod tracked_data;
mod tracked_logs;
mod traps;
mod types;
mod unused_ignore;

pub use missing_input::unchecked_submodule;
pub(crate) use tracked::untrack_fix;
use types::finding;
pub use types::{severity_of, AuditReport, BuildSummary, DeletedWith, Finding, Severity, CODES};

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::docker::compose::Build;
use crate::docker::context::{compute_in, Context};
use crate::docker::{BuildFiles, Source};
use crate::error::Result;
use crate::git::GitInfo;
use crate::plan::Plan;

fn rel_to(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}

/// Contexts computed so far, by (context, Dockerfile, target): compose services that build
/// the same thing (an API and its worker from one image) are read once.
type Contexts<'b> = HashMap<ImageKey<'b>, Context>;

/// What decides what a build sends and copies ([`Build::image_key`]).
type ImageKey<'b> = (&'b Path, &'b Path, Option<&'b str>);

/// Read `b`'s context into `contexts` unless an earlier build read it; `false` (with the
/// finding saying why) when there is no context to read.
fn measure<'b>(
    root: &Path,
    b: &'b Build,
    src: Source<'_>,
    git: Option<&GitInfo>,
    contexts: &mut Contexts<'b>,
    out: &mut Vec<Finding>,
) -> Result<bool> {
    if missing_input::missing_input(root, b, git, out) {
        return Ok(false);
    }
    if let Some(f) = missing_input::outside_build(root, b) {
        out.push(f);
        return Ok(false);
    }
    if let std::collections::hash_map::Entry::Vacant(e) = contexts.entry(b.image_key()) {
        // No largest directories: the audit does not show them.
        e.insert(compute_in(
            src,
            &b.context,
            &b.dockerfile,
            b.target.as_deref(),
            0,
        )?);
    }
    Ok(true)
}

/// Per image key read, one pass over what its context sends and the tally of its root-only
/// lines, side by side: the builds that share a key (compose services from one Dockerfile)
/// made both each, one of them waiting on the other's tally.
fn passes<'a>(
    root: &'a Path,
    read: impl Iterator<Item = &'a Build>,
    contexts: &'a Contexts<'a>,
    plan: &'a Plan,
    rules: &'a crate::rules::RuleSet,
    git: Option<&GitInfo>,
    root_only: &HashMap<ImageKey<'a>, root_only::Shared>,
) -> HashMap<ImageKey<'a>, junk_sent::Pass<'a>> {
    let mut keys: Vec<&Build> = read.collect();
    keys.sort_by_key(|b| b.image_key());
    keys.dedup_by_key(|b| b.image_key());
    (keys.par_iter())
        .map(|b| {
            // A view each: a view caches what it parses of the Dockerfile for one thread.
            let view = || build::View::new(root, b, &contexts[&b.image_key()], plan, rules);
            let (pass, ()) = rayon::join(
                || junk_sent::pass(&view()),
                || root_only::prepare(&view(), git, &root_only[&b.image_key()]),
            );
            (b.image_key(), pass)
        })
        .collect()
}

/// Audit one build against the plan's selections: each check in [`build`] over its context,
/// or, with none (`ctx` is `None`), a summary of 0 files, the finding having said why (never
/// a silent 0 B).
#[allow(clippy::too_many_arguments)]
fn check<'a>(
    root: &'a Path,
    b: &'a Build,
    ctx: Option<(&'a Context, &junk_sent::Pass<'a>)>,
    plan: &'a Plan,
    rules: &'a crate::rules::RuleSet,
    git: Option<&GitInfo>,
    in_use: &crate::in_use::InUse,
    root_only: &root_only::Shared,
    out: &mut Vec<Finding>,
) -> BuildSummary {
    let mut summary = summary_of(root, b);
    let Some((ctx, pass)) = ctx else {
        return summary;
    };
    let v = build::View::new(root, b, ctx, plan, rules);
    missing_input::no_stage(&v, out);
    let mut sent = junk_sent::junk_and_secrets(&v, pass, git, out);
    let junk_total = sent.total();
    let covered = root_only::patterns(&v, git, root_only, out);
    sent.without(&covered);
    junk_sent::junk_findings(&v, &sent, out);
    build::git_in_context(&v, out);
    misnamed_ignore::unread(&v, out);
    mounted::mounted_data_sent(&v, in_use, out);
    local_data::local_data_sent(&v, plan, out);
    copy_sources::checks(&v, git, out);
    build_settings::excluded(&v, git, out);
    summary.ignore_file = v.ig_path.clone();
    summary.files = ctx.files.len();
    summary.bytes = ctx.total_bytes;
    summary.junk_bytes = junk_total;
    summary.image_bytes = ctx.image_bytes;
    summary
}

/// `b`'s summary before its context is read: its name, context, Dockerfile and target.
fn summary_of(root: &Path, b: &Build) -> BuildSummary {
    BuildSummary {
        name: b.name.clone(),
        context: rel_to(root, &b.context),
        dockerfile: rel_to(root, &b.dockerfile),
        target: b.target.clone(),
        ..BuildSummary::default()
    }
}

/// The checks beyond build contexts: stray ignore files, tracked-but-ignored and tracked junk
/// or data, `.gitignore` traps.
fn repo_checks(
    root: &Path,
    plan: &Plan,
    rules: &crate::rules::RuleSet,
    git: Option<&GitInfo>,
    builds: &[Build],
    files: &BuildFiles,
    out: &mut Vec<Finding>,
) {
    unused_ignore::findings(root, git, builds, files, out);
    ignore_encoding::findings(root, git, builds, out);
    if git.is_some() {
        misnamed_ignore::gitignore(root, out);
    }
    misnamed_compose::findings(root, out);
    let mut traps = traps::gitignore_traps(root);
    if let Some(g) = git {
        let mut tracked = Vec::new();
        let inputs = build_inputs::BuildInputs::of(root, builds);
        tracked::checks(plan, g, &inputs, &mut tracked);
        tracked_data::findings(root, rules, g, &inputs, out);
        // Tracked files a trapped directory's line ignores are that trap's problem (saleor:
        // `.claude` on line 12, `!.claude/skills/` on 13): one finding, the trap's, which says it.
        for f in tracked {
            let trap = traps.iter_mut().find(|(_, parent)| {
                f.code == "tracked-ignored" && f.path == ".gitignore" && f.line == *parent
            });
            match trap {
                Some((t, parent)) => {
                    t.message = format!("{}; meanwhile {}", t.message, f.message);
                    *parent = None; // said once
                }
                None => out.push(f),
            }
        }
    }
    out.extend(traps.into_iter().map(|(t, _)| t));
}

/// How much to audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything: build contexts, ignore files, git.
    Full,
    /// Build contexts only (what the gate reads): no `git ls-files`, no ignore-file checks.
    Contexts,
}

/// Audit the repository at `root`: every build's context (read from `src`), its ignore files
/// (`files`, where `builds` came from too), and git.
#[allow(clippy::too_many_arguments)]
pub fn audit(
    root: &Path,
    plan: &Plan,
    rules: &crate::rules::RuleSet,
    git: Option<&GitInfo>,
    builds: &[Build],
    files: &BuildFiles,
    src: Source<'_>,
    scope: Scope,
) -> Result<AuditReport> {
    // Contexts in build order (their walks share the dependency trees they hold), then the
    // checks, which only read them: builds in parallel, findings in build order.
    let mut contexts = Contexts::new();
    let mut first = Vec::with_capacity(builds.len());
    for b in builds {
        // A build kept in a folder the cleanup deletes goes with it: its context is not audited
        // (advice to give `backup/` a .dockerignore helps nobody); the folder itself is reported
        // where a live build sends it.
        let gone = plan.deletes_build(root, b).map(|e| DeletedWith {
            path: e.path.clone(),
            rule: e.rule.clone(),
        });
        let mut out = Vec::new();
        let read = gone.is_none() && measure(root, b, src, git, &mut contexts, &mut out)?;
        if read {
            missing_input::case_only_dockerfile(root, b, builds, &mut out);
        }
        first.push((b, read, out, gone));
    }
    // The folders services mount as their data, for every context that may send one.
    let in_use = crate::in_use::InUse::at(root, git, &|p| plan.selecting(p));
    let root_only: HashMap<_, root_only::Shared> = (first.iter())
        .map(|(b, ..)| (b.image_key(), root_only::Shared::new()))
        .collect();
    let read = (first.iter()).filter(|f| f.1).map(|f| f.0);
    let passes = passes(root, read, &contexts, plan, rules, git, &root_only);
    let checked: Vec<(BuildSummary, Vec<Finding>)> = first
        .into_par_iter()
        .map(|(b, read, mut out, gone)| {
            if gone.is_some() {
                let s = summary_of(root, b);
                return (
                    BuildSummary {
                        deleted_with: gone,
                        ..s
                    },
                    out,
                );
            }
            let ctx = read.then(|| (&contexts[&b.image_key()], &passes[&b.image_key()]));
            (
                check(
                    root,
                    b,
                    ctx,
                    plan,
                    rules,
                    git,
                    &in_use,
                    &root_only[&b.image_key()],
                    &mut out,
                ),
                out,
            )
        })
        .collect();
    let (summaries, findings): (Vec<_>, Vec<_>) = checked.into_iter().unzip();
    let mut findings: Vec<Finding> = findings.into_iter().flatten().collect();
    let live = (builds.iter().zip(&summaries)).filter(|(_, s)| s.deleted_with.is_none());
    moved_compose::one_per_file(root, live.map(|(b, _)| b), &mut findings);
    let mut findings = one_per_problem::one_per_problem(findings);
    secret_sent::one_per_secret(&mut findings);
    excluded_once::one_per_excluding_line(&mut findings);
    if scope == Scope::Full {
        repo_checks(root, plan, rules, git, builds, files, &mut findings);
    }
    types::sort(&mut findings);
    Ok(AuditReport {
        docker_walk: (!summaries.is_empty()).then(crate::docker::walk::reported),
        builds: summaries,
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for (c, _, d) in CODES {
            assert!(seen.insert(c), "duplicate code {c}");
            assert!(c.chars().all(|x| x.is_ascii_lowercase() || x == '-'), "{c}");
            assert!(!d.is_empty());
        }
    }
}
