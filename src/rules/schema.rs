//! The rule-file format as serde reads it: raw, spanned, unchecked. [`super::compile`] turns it
//! into a checked [`super::RuleSet`]; nothing else in the crate sees these types.
//!
//! Unknown keys are rejected everywhere (`deny_unknown_fields`), so a typo such as `exclud =` is an
//! error with a line number rather than a rule that silently matches more than meant.

use serde::Deserialize;
use toml::Spanned;

/// One built-in rule file, `rules/NN-<name>.toml`: one phase of the cleanup.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub phase: Spanned<u8>,
    pub name: String,
    pub title: String,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleDef>,
}

/// The repository's `mami-clean.toml` (and `--config FILE`).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Bytes the cleanup aims to free, e.g. `"1.1GB"`.
    pub target: Option<Spanned<String>>,
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    /// Globs of paths to keep whatever a rule says.
    #[serde(default)]
    pub keep: Vec<Spanned<String>>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleDef>,
    /// `mami-clean verify`: the Docker checks to run.
    pub verify: Option<VerifyDef>,
    /// `mami-clean gate`: budgets and severities.
    pub gate: Option<GateDef>,
}

/// `deny` fails the gate, `warn` reports, `allow` hides.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, serde::Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct GateDef {
    /// Largest allowed build context, each.
    pub max_context: Option<Spanned<String>>,
    /// Largest allowed sum of all build contexts.
    pub max_context_total: Option<Spanned<String>>,
    /// Largest allowed growth of tracked and context bytes over the baseline: `"5%"`, `"10MB"`,
    /// or both as a list (then both must be exceeded to fail).
    pub max_growth: Option<Spanned<toml::Value>>,
    /// Where the baseline lives (default `.mami-clean/baseline.json`).
    pub baseline: Option<Spanned<String>>,
    /// Fail (exit 2) when there is no baseline, instead of warning.
    #[serde(default)]
    pub require_baseline: bool,
    /// Severity per check code.
    #[serde(default)]
    pub severity: std::collections::BTreeMap<Spanned<String>, Spanned<Level>>,
    /// Bytes of junk allowed per phase, e.g. `"2" = "0B"` (phase 2: no backups at all).
    #[serde(default)]
    pub phase_budget: std::collections::BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct VerifyDef {
    /// Commands run in order (each with `sh -c`), replacing the defaults.
    pub commands: Option<Vec<String>>,
    /// An HTTP URL that must answer 2xx once the services are up.
    pub health_url: Option<String>,
    /// Seconds each command (and the health check) may take.
    pub timeout_secs: Option<u64>,
    /// Run after the checks, pass or fail (default: `docker compose down` when compose is used).
    pub cleanup: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    File,
    Dir,
    #[default]
    Any,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Selected for deletion by `apply`.
    #[default]
    Delete,
    /// Reported in the plan, never deleted.
    Review,
    /// Protected: beats every delete and review rule.
    Keep,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitGuard {
    /// Not in the index and not ignored.
    Untracked,
    /// Not in the index and matched by the repository's ignore rules.
    Ignored,
    /// In the index (for a directory: at least one file below it is).
    Tracked,
    /// Outside any git repository.
    None,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct Guards {
    /// At least one of these names (or globs of names) exists in the same directory; a
    /// `!glob` entry takes the names it matches out (`!*.example.*`).
    #[serde(default)]
    pub beside: Vec<String>,
    /// None of these names (or globs of names, less the `!` ones) exists in the same directory.
    #[serde(default)]
    pub not_beside: Vec<String>,
    /// At least one of these names exists inside the matched directory.
    #[serde(default)]
    pub inside: Vec<String>,
    /// None of these names exists inside the matched directory: what a folder holds can say
    /// it is a tool, not the litter its name suggests (a `backup/` holding `backup.sh`).
    #[serde(default)]
    pub not_inside: Vec<String>,
    /// The entry is an old copy of a file beside it: its name less an old/backup/copy marker
    /// (`old_app.py`, `app_old.py`, `app.old.py`, `app copy.py`) names a sibling.
    #[serde(default)]
    pub original: bool,
    /// The directory is a copy of the one that holds it: named like it (`shop/shop/`, or
    /// `shop-main/` unpacked from a download) and holding most of the names beside it.
    #[serde(default)]
    pub copy_of_parent: bool,
    /// The directory is a copy of one beside it: named like it plus a backup or copy word
    /// (`app_backup/` beside `app/`) and holding most of its names.
    #[serde(default)]
    pub copy_of_sibling: bool,
    /// The entry is a copy of a file beside it under a backup or copy word: its name less the
    /// word (`app_backup.py`, `app-copy.js`) names a sibling, and the two share 70% of their
    /// lines (`db_backup.py`, a backup tool, shares few of `db.py`'s).
    #[serde(default)]
    pub same_as_original: bool,
    /// The path's own mtime is at least this many days old.
    pub min_age_days: Option<u32>,
    /// The path's git state is one of these.
    #[serde(default)]
    pub git: Vec<GitGuard>,
    /// Nothing the project keeps refers to it: no instruction to run or import it in the
    /// tracked files that stay (README and docs' commands, Makefiles, CI, package.json,
    /// Dockerfiles, compose, Python imports and settings). A referenced path is reported for
    /// review instead, with the referring `file:line`.
    #[serde(default)]
    pub unreferenced: bool,
    /// No commit changed a file in it after the commit that gave it its name (a backup is left
    /// as it was made). One that was edited since is reported for review instead, with the
    /// commit. Untracked paths have no history, and pass.
    #[serde(default)]
    pub unedited: bool,
    /// The file's first bytes match this regex (anchored at the start of the file): Chromium's
    /// `debug.log` opens with `[0102/155709.215:ERROR:`. A file over 1 MiB or that cannot be
    /// read fails it.
    pub starts_like: Option<String>,
    /// The file's first bytes do not match this regex; a file that cannot be read passes.
    pub not_starts_like: Option<String>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Paths the rule must match (a trailing `/` makes a directory).
    #[serde(default, rename = "match")]
    pub matches: Vec<String>,
    /// Paths the rule must not match.
    #[serde(default)]
    pub no_match: Vec<String>,
    /// Other paths that exist in the example tree (markers for guards).
    #[serde(default)]
    pub tree: Vec<String>,
    /// Paths of the example tree git tracks (everything else is untracked), for `when.git`.
    #[serde(default)]
    pub tracked: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: Spanned<String>,
    /// Required in a config file; in a rule file it defaults to the file's phase.
    pub phase: Option<Spanned<u8>>,
    pub reason: String,
    #[serde(default)]
    pub kind: Kind,
    #[serde(rename = "match")]
    pub globs: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore_case: bool,
    /// Also selects inside a folder a compose service bind-mounts as its data, where nothing
    /// else is deleted: for what a running service never reads back (a rotated log, an OS's
    /// `.DS_Store`).
    #[serde(default)]
    pub in_service_data: bool,
    /// A review rule's directory is scanned again the normal way, and the regenerable litter
    /// found inside joins the plan (a committed `.next/` is reviewed, its `cache/` deleted).
    #[serde(default)]
    pub look_inside: bool,
    /// A keep rule's match that git does not track is this checkout's own data (a SQLite
    /// database the app wrote): `ignore --write` keeps it out of the build contexts that hold
    /// it, by its path, and the audit reports one a build copies into its image.
    #[serde(default)]
    pub local_data: bool,
    #[serde(default)]
    pub action: Action,
    /// Marks what the rule selects as regenerable, and says how: `npm ci`.
    pub regenerate: Option<String>,
    /// Derive the command from the repository's lockfiles instead (`regenerate` is said where
    /// none tells): `node-install`, `node-build`, `python-env`.
    pub rebuild: Option<crate::rebuild::Rebuild>,
    #[serde(default)]
    pub when: Guards,
    /// Lines this rule contributes to `.gitignore`, in gitignore's dialect.
    #[serde(default)]
    pub gitignore: Vec<String>,
    /// Lines this rule contributes to `.dockerignore`, in Docker's dialect.
    #[serde(default)]
    pub dockerignore: Vec<String>,
    #[serde(default)]
    pub examples: Examples,
}
