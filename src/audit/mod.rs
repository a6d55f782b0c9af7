//! `mami-clean audit`: what is wrong with the repository's Docker builds and ignore files, as
//! findings (data with a stable code, a severity, a path, bytes and the fix). The reporter
//! renders them; the exit code is 1 when any finding is an error.

mod secrets;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::docker::compose::{copy_sources, Build};
use crate::docker::context::compute_in;
use crate::docker::{ignore_file_for, BuildFiles, Source};
use crate::error::Result;
use crate::git::GitInfo;
use crate::plan::{GitState, Plan};
use crate::relpath::RelPath;
use crate::rules::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Every finding code, its severity and what it means. Codes are stable: CI configs and
/// suppressions refer to them.
pub const CODES: &[(&str, Severity, &str)] = &[
    ("missing-build-input", Severity::Error, "a build's context directory or Dockerfile does not exist: the build fails"),
    ("junk-in-context", Severity::Error, "paths a cleanup rule selects are sent to a Docker build context"),
    ("root-only-pattern", Severity::Error, "a bare .dockerignore pattern matches only at the context root while nested copies are sent"),
    ("missing-dockerignore", Severity::Error, "a build context with junk in it has no .dockerignore"),
    ("secret-in-context", Severity::Error, "a secret file (.env, key, credentials) is sent to a build context"),
    ("copy-source-excluded", Severity::Error, "a COPY/ADD source is excluded by the .dockerignore: the build fails or misses files"),
    ("copy-source-gitignored", Severity::Warning, "a COPY/ADD source is git-ignored: a build from a fresh clone will not have it"),
    ("unused-ignore-file", Severity::Warning, "a .dockerignore that no build reads"),
    ("tracked-ignored", Severity::Warning, "a tracked file that .gitignore ignores"),
    ("tracked-junk", Severity::Warning, "dependency, cache or editor files committed to git"),
    ("gitignore-trap", Severity::Warning, "a .gitignore line that does not do what it seems to"),
];

pub fn severity_of(code: &str) -> Severity {
    CODES
        .iter()
        .find(|c| c.0 == code)
        .map_or(Severity::Warning, |c| c.1)
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// The file (and line) the finding is about, relative to the root.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The build it concerns, for context findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    pub message: String,
    pub fix: String,
}

fn finding(
    code: &'static str,
    path: impl Into<String>,
    message: impl Into<String>,
    fix: impl Into<String>,
) -> Finding {
    Finding {
        code,
        severity: severity_of(code),
        path: path.into(),
        line: None,
        bytes: None,
        build: None,
        message: message.into(),
        fix: fix.into(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildSummary {
    pub name: String,
    pub context: String,
    pub dockerfile: String,
    pub ignore_file: Option<String>,
    pub files: usize,
    pub bytes: u64,
    /// Bytes of what cleanup rules select, among what is sent.
    pub junk_bytes: u64,
    /// Bytes the final stage's COPY/ADD take from the context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_bytes: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub builds: Vec<BuildSummary>,
    pub findings: Vec<Finding>,
    /// Which Docker's walk the contexts were computed with (none without a build).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_walk: Option<crate::docker::walk::Chosen>,
}

impl AuditReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
}

fn rel_to(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Audit one build context against the plan's selections.
fn audit_build(
    root: &Path,
    b: &Build,
    src: Source<'_>,
    plan: &Plan,
    git: Option<&GitInfo>,
    out: &mut Vec<Finding>,
) -> Result<BuildSummary> {
    // Without a context there is nothing to measure: the summary says 0 files, and the finding
    // says why (never a silent 0 B).
    if let Some((p, what)) = b.missing_input() {
        let key = if what == "Dockerfile" {
            "dockerfile"
        } else {
            "context"
        };
        let mut f = finding(
            "missing-build-input",
            rel_to(root, p),
            format!(
                "the {what} `{}` of {} does not exist: the build fails",
                rel_to(root, p),
                b.name
            ),
            format!(
                "create it, or point `{key}` of {} at one that exists",
                b.name
            ),
        );
        f.build = Some(b.name.clone());
        out.push(f);
        if !b.context.is_dir() {
            return Ok(BuildSummary {
                name: b.name.clone(),
                context: rel_to(root, &b.context),
                dockerfile: rel_to(root, &b.dockerfile),
                ignore_file: None,
                files: 0,
                bytes: 0,
                junk_bytes: 0,
                image_bytes: None,
            });
        }
    }
    // No largest directories: the audit does not show them.
    let ctx = compute_in(src, &b.context, &b.dockerfile, 0)?;
    let prefix = b
        .context
        .strip_prefix(root)
        .ok()
        .map(|p| RelPath::from_bytes(p.as_os_str().as_encoded_bytes()));
    let ig_path = ctx.ignore_file.as_ref().map(|p| rel_to(root, p));
    let ig = &ctx.ignore;
    // Each sent path's bytes, decoded once (borrowed unless the name is not UTF-8).
    let sent: Vec<std::borrow::Cow<[u8]>> = ctx
        .files
        .iter()
        .map(|f| match &f.path_hex {
            None => std::borrow::Cow::Borrowed(f.path.as_bytes()),
            Some(h) => std::borrow::Cow::Owned(
                RelPath::from_hex(h).unwrap_or_default().as_bytes().to_vec(),
            ),
        })
        .collect();
    let full = |sent: &[u8]| match &prefix {
        Some(p) if !p.is_root() => p.join(sent),
        _ => RelPath::from_bytes(sent),
    };
    // Delete entries as seen from the context: a path inside it, or `None` for one holding the
    // whole context.
    let deletions: Vec<(Option<Vec<u8>>, RelPath, &crate::plan::Entry)> = plan
        .deletions()
        .filter_map(|e| {
            let ep = e.rel()?;
            let inside = match &prefix {
                None => return None,
                Some(p) if p.is_root() => Some(ep.as_bytes().to_vec()),
                Some(p) if ep.starts_with(p) && ep != *p => {
                    Some(ep.as_bytes()[p.as_bytes().len() + 1..].to_vec())
                }
                Some(p) if p.starts_with(&ep) => None,
                Some(_) => return None,
            };
            Some((inside, ep, e))
        })
        .collect();
    let under = |path: &[u8], d: &[u8]| {
        path.starts_with(d) && (path.len() == d.len() || path[d.len()] == b'/')
    };

    // Junk: sent files under a delete entry, grouped by rule.
    let mut junk: BTreeMap<&str, (u64, Vec<usize>)> = BTreeMap::new();
    let mut junk_total = 0;
    for (f, sent) in ctx.files.iter().zip(&sent) {
        let hit = deletions
            .iter()
            .position(|(d, ..)| d.as_deref().is_none_or(|d| under(sent, d)));
        if let Some(i) = hit {
            let slot = junk.entry(deletions[i].2.rule.as_str()).or_default();
            slot.0 += f.bytes;
            if !slot.1.contains(&i) {
                slot.1.push(i);
            }
            junk_total += f.bytes;
        }
        let name = sent.rsplit(|&c| c == b'/').next().unwrap_or_default();
        let sent_rel = RelPath::from_bytes(sent.as_ref());
        let secret = secrets::judge(&String::from_utf8_lossy(name), &sent_rel.under(&b.context));
        if let Some(what) = secret {
            let sent = sent_rel;
            let full = full(sent.as_bytes());
            let mut x = finding(
                "secret-in-context",
                full.display(),
                format!(
                    "`{}` ({what}) is sent to the build context of {}",
                    full.display(),
                    b.name
                ),
                format!(
                    "add `{}` to {}",
                    sent.display(),
                    ig_path.as_deref().unwrap_or(".dockerignore")
                ),
            );
            x.build = Some(b.name.clone());
            out.push(x);
        }
    }
    for (rule, (bytes, hits)) in &junk {
        let paths: Vec<String> = hits.iter().map(|&i| deletions[i].1.display()).collect();
        let some: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
        let more = if paths.len() > 3 {
            format!(" and {} more", paths.len() - 3)
        } else {
            String::new()
        };
        let mut x = finding(
            "junk-in-context",
            paths[0].clone(),
            format!("{} selected by rule `{rule}` ({}{more}) is sent to the build context of {}", crate::size::human(*bytes), some.join(", "), b.name),
            "exclude it in .dockerignore (`mami-clean ignore --write`) or delete it (`mami-clean apply`)",
        );
        x.bytes = Some(*bytes);
        x.build = Some(b.name.clone());
        out.push(x);
    }
    if ctx.ignore_file.is_none() && junk_total > 0 {
        let mut x = finding(
            "missing-dockerignore",
            rel_to(root, &b.context.join(".dockerignore")),
            format!(
                "the context of {} has no .dockerignore and sends {} of junk",
                b.name,
                crate::size::human(junk_total)
            ),
            "`mami-clean ignore --write` creates one",
        );
        x.bytes = Some(junk_total);
        x.build = Some(b.name.clone());
        out.push(x);
    }

    // Bare patterns that only match at the root while nested copies ship. An error where the
    // nested copies are junk a rule selects (the copy is itself a delete entry: `app/__pycache__`
    // for `__pycache__`); a warning where they are the project's own (`app/plugins/x/tests`
    // for `tests`, which the app may import); nothing where they sit inside other junk that
    // `junk-in-context` already reports (a `tests` inside `node_modules`).
    for p in ig
        .patterns
        .iter()
        .filter(|p| !p.exception && !p.text.contains('/') && !p.text.starts_with("**"))
    {
        // (bytes, first example) of the junk copies, and of the project's own.
        let mut junk_copies: (u64, Option<String>) = (0, None);
        let mut own_copies: (u64, Option<String>) = (0, None);
        for (f, sent) in ctx.files.iter().zip(&sent) {
            if !sent
                .split(|&c| c == b'/')
                .skip(1)
                .any(|c| p.matches_exact(c))
            {
                continue;
            }
            let entry = deletions
                .iter()
                .find(|(d, ..)| d.as_deref().is_none_or(|d| under(sent, d)));
            let slot = match entry {
                Some((_, ep, _)) if p.matches_exact(ep.file_name()) => &mut junk_copies,
                Some(_) => continue,
                None => &mut own_copies,
            };
            slot.0 += f.bytes;
            slot.1
                .get_or_insert_with(|| String::from_utf8_lossy(sent).into_owned());
        }
        let (code_sev, (bytes, example)) = match (&junk_copies.1, &own_copies.1) {
            (Some(_), _) => (Severity::Error, junk_copies),
            (None, Some(_)) => (Severity::Warning, own_copies),
            (None, None) => continue,
        };
        let ex = example.unwrap_or_default();
        let what = if code_sev == Severity::Error {
            "nested copies ship, and they are junk"
        } else {
            "nested copies of the project's own ship (check they belong in the image)"
        };
        let mut x = finding(
            "root-only-pattern",
            ig_path.clone().unwrap_or_default(),
            format!("`{}` matches only at the context root in a .dockerignore, so {what} (e.g. {ex}, {} in all)", p.text, crate::size::human(bytes)),
            format!("write `**/{}`", p.text),
        );
        x.severity = code_sev;
        x.line = Some(p.line);
        x.bytes = Some(bytes);
        x.build = Some(b.name.clone());
        out.push(x);
    }

    // COPY/ADD sources the context does not have.
    if let Some(text) = crate::fsx::read_text(&b.dockerfile, crate::limits::MAX_BUILD_FILE_BYTES) {
        for s in copy_sources(&text) {
            let clean = crate::docker::ignore::clean(s.source.trim_start_matches('/'));
            if clean == "." || clean.starts_with("..") {
                continue;
            }
            let df = rel_to(root, &b.dockerfile);
            if has_glob(&clean) {
                continue; // globs: the engine cannot tell what the author expected to match
            }
            let src = RelPath::from_bytes(clean.as_bytes());
            let on_disk = src.under(&b.context).symlink_metadata().is_ok();
            let shipped = sent.iter().any(|p| under(p, src.as_bytes()));
            if on_disk && !shipped {
                let why = ig
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
                        ig_path.as_deref().unwrap_or("the .dockerignore")
                    ),
                    format!("re-include it: `!{clean}`, or remove the excluding line"),
                );
                x.line = Some(s.line);
                x.build = Some(b.name.clone());
                out.push(x);
            }
            if let (Some(g), true) = (git, on_disk) {
                if let Ok(abs) = src.under(&b.context).strip_prefix(&g.workdir) {
                    let r = RelPath::from_bytes(abs.as_os_str().as_encoded_bytes());
                    if g.tracked_under(&r) == 0 && g.is_ignored(&r) {
                        let mut x = finding("copy-source-gitignored", df.clone(), format!("{} `{}` is git-ignored: a build from a fresh clone (CI) will not have it", s.instruction, s.source), "commit it, or generate it in the Dockerfile");
                        x.line = Some(s.line);
                        x.build = Some(b.name.clone());
                        out.push(x);
                    }
                }
            }
        }
    }
    Ok(BuildSummary {
        name: b.name.clone(),
        context: rel_to(root, &b.context),
        dockerfile: rel_to(root, &b.dockerfile),
        ignore_file: ig_path,
        files: ctx.files.len(),
        bytes: ctx.total_bytes,
        junk_bytes: junk_total,
        image_bytes: ctx.image_bytes,
    })
}

fn gitignore_traps(root: &Path, out: &mut Vec<Finding>) {
    let path = root.join(".gitignore");
    let Some(text) = crate::fsx::read_text(&path, crate::limits::MAX_IGNORE_BYTES) else {
        return;
    };
    let mut dirs: Vec<(usize, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(neg) = l.strip_prefix('!') {
            let neg = neg.trim_start_matches('/');
            if let Some((dn, d)) = dirs.iter().find(|(_, d)| neg.starts_with(&format!("{d}/"))) {
                let mut x = finding("gitignore-trap", ".gitignore", format!("`{l}` cannot re-include anything: its parent `{d}` is excluded on line {dn}, and git never looks inside an excluded directory"), format!("exclude the contents instead: `{d}/*` then `{l}`"));
                x.line = Some(n + 1);
                out.push(x);
            }
            continue;
        }
        let bare = l.trim_start_matches('/');
        if let Some(d) = bare.strip_suffix('/') {
            if !has_glob(d) && root.join(d).is_file() {
                let mut x = finding(
                    "gitignore-trap",
                    ".gitignore",
                    format!(
                        "`{l}` matches directories only, and `{d}` is a file: it is not ignored"
                    ),
                    format!("write `{d}` without the trailing slash"),
                );
                x.line = Some(n + 1);
                out.push(x);
            }
            if !has_glob(d) {
                dirs.push((n + 1, d.to_string()));
            }
        } else if !has_glob(bare) && root.join(bare).is_dir() {
            dirs.push((n + 1, bare.to_string()));
        }
    }
}

/// The checks beyond build contexts: stray ignore files, tracked-but-ignored and tracked junk,
/// `.gitignore` traps.
fn repo_checks(
    root: &Path,
    plan: &Plan,
    git: Option<&GitInfo>,
    builds: &[Build],
    files: &BuildFiles,
    out: &mut Vec<Finding>,
) {
    let used: Vec<PathBuf> = builds
        .iter()
        .filter_map(|b| ignore_file_for(&b.context, &b.dockerfile))
        .collect();
    for f in &files.ignore_files {
        if !used.contains(f) {
            let shown = rel_to(root, f);
            out.push(finding("unused-ignore-file", shown.clone(), format!("`{shown}` is read by no build: Docker reads only the context root's .dockerignore or `<Dockerfile>.dockerignore`"), "move its lines to the .dockerignore of the context that needs them, and delete it"));
        }
    }
    if let Some(g) = git {
        for p in g.tracked_ignored() {
            let r = RelPath::from_bytes(p.as_slice());
            {
                out.push(finding(
                    "tracked-ignored",
                    r.display(),
                    format!(
                        "`{}` is tracked although .gitignore ignores it",
                        r.display()
                    ),
                    format!(
                        "`git rm --cached {}` (the file stays on disk)",
                        crate::shell::path_arg(&r.display().to_string())
                    ),
                ));
            }
        }
        for e in plan
            .entries
            .iter()
            .filter(|e| matches!(e.git, Some(GitState::Tracked | GitState::Mixed)))
        {
            if e.phase == 7 || (e.action == Action::Review && e.rule == "editor-settings") {
                let mut x = finding(
                    "tracked-junk",
                    e.path.clone(),
                    format!("`{}` ({}) is committed to git", e.path, e.reason),
                    format!(
                        "`git rm -r --cached {}` and ignore it",
                        crate::shell::path_arg(&e.path)
                    ),
                );
                x.bytes = Some(e.bytes);
                out.push(x);
            }
        }
    }
    gitignore_traps(root, out);
}

/// How much to audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything: build contexts, ignore files, git.
    Full,
    /// Build contexts only (what the gate reads): no `git ls-files`, no ignore-file checks.
    Contexts,
}

/// One finding per problem: builds that share a context and ignore file (two compose services
/// with `build: .`) find the same things, said once with every build named.
fn one_per_problem(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    // (code, path, line, bytes, message with the build's name taken out) → its place in `out`.
    type Key = (&'static str, String, Option<usize>, Option<u64>, String);
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for f in findings {
        let Some(build) = f.build.clone() else {
            out.push(f);
            continue;
        };
        let key = (
            f.code,
            f.path.clone(),
            f.line,
            f.bytes,
            f.message.replace(&build, "\0"),
        );
        match seen.get(&key) {
            Some(&i) => {
                let first = &mut out[i];
                let names = first.build.clone().unwrap_or_default();
                let joined = format!("{names} and {build}");
                first.message = key.4.replace('\0', &joined);
                first.build = Some(joined);
                // The same file sent by two contexts: each context's ignore file needs its line.
                if !first.fix.contains(&f.fix) {
                    first.fix = format!("{}; {}", first.fix, f.fix);
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(f);
            }
        }
    }
    out
}

/// Audit the repository at `root`: every build's context (read from `src`), its ignore files
/// (`files`, where `builds` came from too), and git.
pub fn audit(
    root: &Path,
    plan: &Plan,
    git: Option<&GitInfo>,
    builds: &[Build],
    files: &BuildFiles,
    src: Source<'_>,
    scope: Scope,
) -> Result<AuditReport> {
    let mut findings = Vec::new();
    let mut summaries = Vec::new();
    for b in builds {
        summaries.push(audit_build(root, b, src, plan, git, &mut findings)?);
    }
    let mut findings = one_per_problem(findings);
    if scope == Scope::Full {
        repo_checks(root, plan, git, builds, files, &mut findings);
    }
    findings.sort_by(|a, b| {
        (a.severity, a.code, &a.path, a.line).cmp(&(b.severity, b.code, &b.path, b.line))
    });
    Ok(AuditReport {
        docker_walk: (!summaries.is_empty()).then(crate::docker::walk::chosen),
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
