//! The pre-checks `apply` prints before it touches anything (Terraform's stale-plan refusal,
//! git clean and committed, no git operation in progress), and the PASS/FAIL/SKIP row type the
//! post-checks share.

use std::path::Path;

use serde::Serialize;

use super::ApplyOptions;
use crate::config::Config;
use crate::fsx::Meta;
use crate::git::GitInfo;
use crate::plan::Plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Fail,
    Skip,
}

/// One line of the pre- or post-check table.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub status: Status,
    pub detail: String,
}

pub(super) fn check(name: &str, status: Status, detail: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        status,
        detail: detail.into(),
    }
}

/// How the tree, the rules or HEAD moved away from what `plan` was made for (empty: current).
pub(super) fn staleness(
    root: &Path,
    root_meta: &Meta,
    plan: &Plan,
    cfg: &Config,
    git: Option<&GitInfo>,
) -> Vec<String> {
    let mut stale = Vec::new();
    if plan.root != root.display().to_string() {
        stale.push(format!("made for {}, not {}", plan.root, root.display()));
    } else if plan
        .root_identity
        .is_some_and(|id| id.dev != root_meta.id.dev || id.ino != root_meta.id.ino)
    {
        stale.push("the root directory was replaced since the plan".into());
    }
    if plan.rules_hash != cfg.rules.hash() {
        stale.push(
            "the rules in force changed since the plan (rule files or mami-clean.toml)".into(),
        );
    }
    let now_head = git.and_then(|g| g.head.clone());
    let plan_head = plan.git.as_ref().and_then(|g| g.head.clone());
    if plan.git.is_some() != git.is_some() {
        stale.push("the git repository appeared or vanished since the plan".into());
    } else if plan_head != now_head {
        stale.push(format!(
            "HEAD moved since the plan ({} → {})",
            plan_head
                .as_deref()
                .map_or("none", |h| &h[..h.len().min(10)]),
            now_head
                .as_deref()
                .map_or("none", |h| &h[..h.len().min(10)])
        ));
    }
    stale
}

pub(super) fn prechecks(
    root: &Path,
    root_meta: &Meta,
    plan: &Plan,
    cfg: &Config,
    git: Option<&GitInfo>,
    opts: &ApplyOptions,
) -> Vec<Check> {
    let mut v = Vec::new();
    let stale = staleness(root, root_meta, plan, cfg, git);
    v.push(if stale.is_empty() {
        check(
            "plan is current",
            Status::Pass,
            "same root, rules and HEAD as when it was made",
        )
    } else {
        check(
            "plan is current",
            Status::Fail,
            format!(
                "stale plan: {}; run `mami-clean plan` again",
                stale.join("; ")
            ),
        )
    });
    match git {
        None => {
            v.push(check(
                "git work tree clean",
                Status::Skip,
                "not a git repository: every entry is backed up or regenerable",
            ));
            v.push(check(
                "everything committed",
                Status::Skip,
                "not a git repository",
            ));
        }
        Some(g) => {
            let status = g.modified_paths();
            let modified = status.as_deref().unwrap_or_default();
            v.push(if let Err(e) = &status {
                check(
                    "git work tree clean",
                    Status::Fail,
                    format!("cannot read the git status: {e}"),
                )
            } else if modified.is_empty() {
                check(
                    "git work tree clean",
                    Status::Pass,
                    "no modified or staged tracked files",
                )
            } else if opts.allow_dirty {
                check(
                    "git work tree clean",
                    Status::Pass,
                    format!(
                        "{} modified files allowed by --allow-dirty (never deleted)",
                        modified.len()
                    ),
                )
            } else {
                let some: Vec<String> = modified
                    .iter()
                    .take(5)
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect();
                check(
                    "git work tree clean",
                    Status::Fail,
                    format!(
                        "{} modified or staged: {}{} (commit or stash, or --allow-dirty)",
                        modified.len(),
                        some.join(", "),
                        if modified.len() > 5 { ", …" } else { "" }
                    ),
                )
            });
            if opts.commit.is_some() {
                v.push(match g.identity() {
                    Ok((author, _)) => check(
                        "commit identity",
                        Status::Pass,
                        format!(
                            "{} <{}>",
                            author.name().unwrap_or("?"),
                            author.email().unwrap_or("?")
                        ),
                    ),
                    Err(why) => check("commit identity", Status::Fail, why),
                });
            }
            v.push(match (&g.head, g.busy()) {
                (None, _) => check(
                    "everything committed",
                    Status::Fail,
                    "no commit yet: HEAD does not exist",
                ),
                (_, Some(busy)) => check("everything committed", Status::Fail, busy),
                (Some(h), None) => check(
                    "everything committed",
                    Status::Pass,
                    format!("HEAD {}", &h[..h.len().min(10)]),
                ),
            });
        }
    }
    if !opts.no_ignore_files {
        v.extend(unwritable_ignore_file(root));
    }
    v
}

/// A failed check where an ignore file the run rewrites after its deletions cannot be read as
/// UTF-8 (a UTF-16 `.gitignore` that PowerShell's `>` wrote): the run stopped at its
/// post-check with everything deleted. The root's `.gitignore` and each build's ignore file.
fn unwritable_ignore_file(root: &Path) -> Option<Check> {
    let builds = crate::docker::compose::discover(root).unwrap_or_default();
    let mut files = std::iter::once(root.join(".gitignore")).chain(builds.iter().filter_map(|b| {
        crate::docker::context::ignore_file_for(&b.context, &b.dockerfile)
            .filter(|p| p.starts_with(root))
    }));
    files.find_map(|f| {
        let why = crate::ignorefile::encoding::of_file(&f)?;
        let shown = f.strip_prefix(root).unwrap_or(&f).display().to_string();
        let fix = crate::ignorefile::encoding::fix(&shown, &why);
        Some(check(
            "ignore files",
            Status::Fail,
            format!(
                "{shown} is {why}, and the run rewrites it: {fix}; or apply with --no-ignore-files"
            ),
        ))
    })
}
