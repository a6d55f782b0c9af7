//! `[gate]` in mami-clean.toml, checked: sizes parsed, severities known, phases in range. A
//! misconfigured gate is an error naming the file and line, never a silent default.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Location, Result};
use crate::rules::compile::Source;
use crate::rules::schema::{GateDef, Level};

/// Every gate check, its default severity and what it means.
pub const CHECKS: &[(&str, Level, &str)] = &[
    (
        "tracked-junk",
        Level::Deny,
        "a git-tracked file a delete rule selects (committed backup, debug script, __pycache__)",
    ),
    (
        "context-junk",
        Level::Deny,
        "junk sent to a Docker build context",
    ),
    (
        "build-input-missing",
        Level::Deny,
        "a build's context directory or Dockerfile does not exist (the build fails; its size is not measured)",
    ),
    (
        "compose-refused",
        Level::Warn,
        "a compose file Docker Compose refuses (its services' contexts are not measured)",
    ),
    (
        "context-outside",
        Level::Warn,
        "a build's context or Dockerfile lies outside the repository (not read, so not measured)",
    ),
    (
        "context-budget",
        Level::Deny,
        "a build context (or all of them) larger than gate.max_context(_total)",
    ),
    (
        "growth",
        Level::Deny,
        "tracked or context bytes grew past gate.max_growth over the baseline",
    ),
    (
        "ignore-stale",
        Level::Warn,
        "ignore files out of date (`mami-clean ignore --check`)",
    ),
    (
        "phase-budget",
        Level::Deny,
        "more junk in a phase than gate.phase_budget allows",
    ),
    (
        "no-baseline",
        Level::Warn,
        "no baseline to compare growth against",
    ),
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Growth {
    pub percent: Option<f64>,
    pub bytes: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct GateConfig {
    pub max_context: Option<u64>,
    pub max_context_total: Option<u64>,
    pub growth: Option<Growth>,
    /// Relative to the repository root.
    pub baseline: PathBuf,
    pub require_baseline: bool,
    pub levels: BTreeMap<String, Level>,
    pub phase_budget: BTreeMap<u8, u64>,
}

impl Default for GateConfig {
    fn default() -> Self {
        GateConfig {
            max_context: None,
            max_context_total: None,
            growth: None,
            baseline: PathBuf::from(".mami-clean/baseline.json"),
            require_baseline: false,
            levels: CHECKS.iter().map(|(c, l, _)| (c.to_string(), *l)).collect(),
            phase_budget: BTreeMap::new(),
        }
    }
}

impl GateConfig {
    pub fn level(&self, code: &str) -> Level {
        self.levels.get(code).copied().unwrap_or(Level::Deny)
    }
}

fn at(src: &Source, offset: usize, msg: String) -> Error {
    Error::Config {
        location: Location::from_offset(&src.name, &src.text, offset),
        rule: None,
        message: msg,
    }
}

fn size(src: &Source, s: &toml::Spanned<String>, what: &str) -> Result<u64> {
    crate::size::parse(s.get_ref())
        .map_err(|m| at(src, s.span().start, format!("{what}: invalid size {m}")))
}

fn growth_part(src: &Source, off: usize, s: &str, g: &mut Growth) -> Result<()> {
    let t = s.trim().trim_start_matches('+');
    if let Some(p) = t.strip_suffix('%') {
        let v: f64 = p.trim().parse().map_err(|_| {
            at(
                src,
                off,
                format!("gate.max_growth: `{s}` is not a percentage"),
            )
        })?;
        if !(0.0..=10_000.0).contains(&v) || g.percent.is_some() {
            return Err(at(
                src,
                off,
                "gate.max_growth: one percentage, between 0% and 10000%".into(),
            ));
        }
        g.percent = Some(v);
    } else {
        if g.bytes.is_some() {
            return Err(at(src, off, "gate.max_growth: at most one size".into()));
        }
        g.bytes = Some(crate::size::parse(s).map_err(|m| {
            at(
                src,
                off,
                format!("gate.max_growth: not a percentage, nor a size: {m}"),
            )
        })?);
    }
    Ok(())
}

/// Check and compile `[gate]` from the config file `src`.
pub fn compile(def: &GateDef, src: &Source) -> Result<GateConfig> {
    let mut g = GateConfig::default();
    if let Some(s) = &def.max_context {
        g.max_context = Some(size(src, s, "gate.max_context")?);
    }
    if let Some(s) = &def.max_context_total {
        g.max_context_total = Some(size(src, s, "gate.max_context_total")?);
    }
    if let Some(m) = &def.max_growth {
        let off = m.span().start;
        let shape = || {
            at(src, off, "gate.max_growth: a percentage (\"5%\"), a size (\"10MB\"), or both: [\"5%\", \"10MB\"]".into())
        };
        let mut gr = Growth::default();
        match m.get_ref() {
            toml::Value::String(s) => growth_part(src, off, s, &mut gr)?,
            toml::Value::Array(v) if !v.is_empty() && v.len() <= 2 => {
                for x in v {
                    growth_part(src, off, x.as_str().ok_or_else(shape)?, &mut gr)?;
                }
            }
            _ => return Err(shape()),
        }
        g.growth = Some(gr);
    }
    if let Some(b) = &def.baseline {
        let p = PathBuf::from(b.get_ref());
        if p.is_absolute()
            || p.components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(at(
                src,
                b.span().start,
                "gate.baseline: a path inside the repository".into(),
            ));
        }
        g.baseline = p;
    }
    g.require_baseline = def.require_baseline;
    for (code, level) in &def.severity {
        if !CHECKS.iter().any(|c| c.0 == code.get_ref()) {
            let known: Vec<&str> = CHECKS.iter().map(|c| c.0).collect();
            return Err(at(
                src,
                code.span().start,
                format!(
                    "gate.severity: unknown check `{}` (known: {})",
                    code.get_ref(),
                    known.join(", ")
                ),
            ));
        }
        g.levels.insert(code.get_ref().clone(), *level.get_ref());
    }
    for (phase, budget) in &def.phase_budget {
        let p: u8 = phase
            .get_ref()
            .parse()
            .ok()
            .filter(|p| (1..=7).contains(p))
            .ok_or_else(|| {
                at(
                    src,
                    phase.span().start,
                    format!(
                        "gate.phase_budget: `{}` is not a phase 1..7",
                        phase.get_ref()
                    ),
                )
            })?;
        g.phase_budget
            .insert(p, size(src, budget, "gate.phase_budget")?);
    }
    Ok(g)
}
