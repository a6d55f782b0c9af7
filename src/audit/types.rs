//! What an audit says, as data: the finding codes with their severities, findings, and each
//! build's summary. The reporter renders them; CI configs and suppressions refer to the codes.

use serde::Serialize;
use std::path::Path;

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
    ("junk-in-context", Severity::Error, "paths a cleanup rule selects are sent to a Docker build context (a warning under 1 MB)"),
    ("log-in-context", Severity::Error, "log files are sent to a Docker build context (a warning under 1 MB)"),
    ("root-only-pattern", Severity::Error, "a bare .dockerignore pattern matches only at the context root while nested copies are sent"),
    ("missing-dockerignore", Severity::Error, "a build context with junk in it has no .dockerignore (a warning under 1 MB of junk)"),
    ("secret-in-context", Severity::Error, "a secret file (.env, key, credentials) is sent to a build context"),
    ("secret-committed", Severity::Error, "a file holding a credential (.env with a key, a private key, a token) is committed to git"),
    ("copy-source-excluded", Severity::Error, "a COPY/ADD source is excluded by the .dockerignore: the build fails or misses files"),
    ("ignore-file-encoding", Severity::Error, "a .gitignore or .dockerignore saved as UTF-16 (Windows PowerShell's `>`): none of its lines matches anything"),
    ("context-outside", Severity::Warning, "a build's context or Dockerfile lies outside the repository: it is not read"),
    ("compose-refused", Severity::Warning, "a compose file Docker Compose refuses: its services' builds are not audited"),
    ("mounted-data-in-context", Severity::Warning, "a folder a compose service bind-mounts as its data is sent to a build context"),
    ("local-data-in-context", Severity::Warning, "data this checkout wrote that git does not track (a SQLite database) is sent to a build context and copied into the image"),
    ("misnamed-ignore-file", Severity::Warning, "the only ignore file of a build context or of the repository has a name Docker or git never reads (.containerignore, .Dockerignore, dockerignore, .dockerignore.txt, .gitignore.txt)"),
    ("misnamed-compose-file", Severity::Warning, "the root's only compose file has a name docker compose does not look for on Linux (Docker-compose.yml, docker_compose.yml)"),
    ("git-in-context", Severity::Warning, "the repository's .git is sent to a build context that the .dockerignore does not decide on"),
    ("copy-source-missing", Severity::Warning, "a COPY/ADD source is not in the build context: the build fails unless a step before it makes it"),
    ("build-settings-excluded", Severity::Warning, "a committed environment file of front-end build settings is kept out of the build that compiles them in"),
    ("copy-source-gitignored", Severity::Warning, "a COPY/ADD source is git-ignored: a build from a fresh clone will not have it"),
    ("unused-ignore-file", Severity::Warning, "a .dockerignore that no build reads"),
    ("tracked-ignored", Severity::Warning, "a tracked file that .gitignore ignores"),
    ("tracked-junk", Severity::Warning, "dependency, cache or editor files committed to git"),
    ("tracked-log", Severity::Warning, "a log file the app writes as it runs is committed to git"),
    ("tracked-data", Severity::Warning, "a folder of live data (a vector database's storage, a Gradio app's flagged data) is committed to git"),
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
    /// It reports junk a context sends (the gate's `context-junk`), whatever its code: a
    /// root-only `venv` line letting `frontend/venv` through is said as that line.
    #[serde(skip)]
    pub junk_sent: bool,
}

pub(super) fn finding(
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
        junk_sent: matches!(
            code,
            "junk-in-context" | "missing-dockerignore" | "log-in-context"
        ),
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildSummary {
    pub name: String,
    pub context: String,
    pub dockerfile: String,
    pub ignore_file: Option<String>,
    pub files: usize,
    pub bytes: u64,
    /// Bytes of what cleanup rules select, among what is sent.
    pub junk_bytes: u64,
    /// The stage built (compose `build.target`); without it, the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Bytes the built stage's COPY/ADD layers take from the context ([`crate::docker::image`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_bytes: Option<u64>,
    /// The plan's deletion that takes this build's Dockerfile with it (`backup/`, rule
    /// `backup-dirs`): the build goes with the cleanup, so its context is not audited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_with: Option<DeletedWith>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeletedWith {
    pub path: String,
    pub rule: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub builds: Vec<BuildSummary>,
    pub findings: Vec<Finding>,
    /// Which Docker's walk the contexts were computed with (none without a build).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_walk: Option<crate::docker::walk::Chosen>,
}

/// Findings in report order: errors first, then by code, path and line.
pub(super) fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.severity, a.code, &a.path, a.line).cmp(&(b.severity, b.code, &b.path, b.line))
    });
}

impl AuditReport {
    /// A `compose-refused` finding for each compose project Compose refuses (from
    /// [`crate::docker::compose::discover_all`]), in the findings' order.
    pub fn add_refused(&mut self, root: &Path, refused: &[crate::docker::compose::Refused]) {
        for r in refused {
            let shown = super::rel_to(root, &r.file);
            let fix = match &r.missing {
                // The file is right; what it names comes later (a setup script clones it).
                Some((key, m)) => format!(
                    "audit where `{}` is there (after the step that makes it), or drop the `{key}` line",
                    super::rel_to(root, m),
                ),
                None => {
                    "fix the file (`docker compose config` shows what Compose makes of it)".into()
                }
            };
            let mut f = finding(
                "compose-refused",
                shown.clone(),
                format!(
                    "{}: Docker Compose refuses `{shown}`, so its services' builds are not audited",
                    r.message
                ),
                fix,
            );
            f.line = (r.line > 0).then_some(r.line);
            self.findings.push(f);
        }
        sort(&mut self.findings);
    }

    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
}
