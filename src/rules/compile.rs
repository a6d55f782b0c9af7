//! Raw rule definitions → a checked, compiled [`RuleSet`].
//!
//! Every check that can fail on user input happens here, once, with the file, line and rule id
//! in the error: bad globs, duplicate ids, globs that reach outside the tree, into `.git` or over
//! the whole tree. After this the scanner only asks "which rules match this path?".

use globset::Candidate;
use toml::Spanned;

use super::globs::*;
use super::matcher::{GlobRef, Matcher};
use super::pending::{checked, config_keep, duplicates, Pending};
pub use super::rule::Rule;
use super::schema::{RuleDef, RuleFile};
use crate::error::{Error, Location, Result};
use crate::relpath::RelPath;
use rayon::prelude::*;

/// A rule or config file's text, kept so errors can point at lines and the plan can hash the
/// rules in force.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
    pub builtin: bool,
    /// A repository's own config (not built in, not the user's): its rules may select only
    /// untracked or ignored paths.
    pub repo_local: bool,
    /// False for a repository config the user has not trusted (`mami-clean trust`).
    pub trusted: bool,
}

/// Where a rule was defined.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub builtin: bool,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.builtin { "built-in " } else { "" };
        write!(f, "{kind}{}:{}", self.file, self.line)
    }
}
/// Phase metadata from the built-in rule files.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PhaseInfo {
    pub phase: u8,
    pub name: String,
    pub title: String,
}

/// All rules in force, compiled. Rules are ordered by phase, then by their order in their file;
/// the first delete/review rule in that order wins, and any keep rule beats them all.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub phases: Vec<PhaseInfo>,
    pub sources: Vec<Source>,
    matcher: Matcher,
}

/// One rule definition with the source it came from.
pub struct RuleInput {
    pub def: RuleDef,
    pub source: usize,
    pub default_phase: Option<u8>,
}

/// What a config layer adds on top of the built-in rules.
#[derive(Default)]
pub struct Overrides {
    pub disable: Vec<(Spanned<String>, usize)>,
    pub keep: Vec<(Spanned<String>, usize)>,
}

pub(super) fn err_at(
    src: &Source,
    offset: usize,
    rule: Option<&str>,
    message: impl Into<String>,
) -> Error {
    Error::Config {
        location: Location::from_offset(&src.name, &src.text, offset),
        rule: rule.map(str::to_string),
        message: message.into(),
    }
}

/// Parse a TOML document, turning serde's error into one with a line and column.
pub fn parse_toml<T: serde::de::DeserializeOwned>(src: &Source) -> Result<T> {
    toml::from_str(&src.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        err_at(src, offset, None, e.message().trim().to_string())
    })
}

/// Parse the built-in rule files.
pub fn builtin_inputs() -> Result<(Vec<Source>, Vec<RuleInput>, Vec<PhaseInfo>)> {
    let mut sources = Vec::new();
    let mut inputs = Vec::new();
    let mut phases = Vec::new();
    // The files are parsed side by side (TOML is a sixth of loading the rules), then taken
    // in order.
    let parsed: Vec<(Source, Result<RuleFile>)> = (super::builtin::FILES.par_iter())
        .map(|(name, text)| {
            let src = Source {
                name: name.to_string(),
                text: text.to_string(),
                builtin: true,
                repo_local: false,
                trusted: true,
            };
            let file = parse_toml(&src);
            (src, file)
        })
        .collect();
    for (src, file) in parsed {
        let file = file?;
        let phase = *file.phase.get_ref();
        if !(1..=7).contains(&phase) {
            return Err(err_at(
                &src,
                file.phase.span().start,
                None,
                "phase must be 1..7",
            ));
        }
        phases.push(PhaseInfo {
            phase,
            name: file.name,
            title: file.title,
        });
        let idx = sources.len();
        sources.push(src);
        inputs.extend(file.rules.into_iter().map(|def| RuleInput {
            def,
            source: idx,
            default_phase: Some(phase),
        }));
    }
    Ok((sources, inputs, phases))
}

impl RuleSet {
    /// The built-in rules alone.
    pub fn builtin() -> Result<RuleSet> {
        let (sources, inputs, phases) = builtin_inputs()?;
        RuleSet::compile(sources, inputs, phases, Overrides::default())
    }

    /// Check and compile every rule. `sources[input.source]` must be the text each came from.
    pub fn compile(
        sources: Vec<Source>,
        inputs: Vec<RuleInput>,
        phases: Vec<PhaseInfo>,
        overrides: Overrides,
    ) -> Result<RuleSet> {
        // Each rule is checked and its globs compiled on its own, side by side (a fifth of
        // loading the rules, at every start); the first error in rule order is reported, a
        // duplicate id where the rule's own checks would have put it.
        let dups = duplicates(&sources, &inputs);
        let checked: Vec<Result<Pending>> = (inputs.into_par_iter())
            .map(|i| checked(&sources, i))
            .collect();
        let mut rules: Vec<Pending> = Vec::with_capacity(checked.len());
        for (dup, c) in dups.into_iter().zip(checked) {
            match dup {
                Some(e) => return Err(e),
                None => rules.push(c?),
            }
        }

        // `keep = [...]` in config: one keep rule per config file, applied like any keep rule.
        let mut keep_by_source: std::collections::BTreeMap<usize, Vec<Spanned<String>>> =
            Default::default();
        for (g, s) in overrides.keep {
            keep_by_source.entry(s).or_default().push(g);
        }
        for (s, globs) in keep_by_source {
            rules.push(config_keep(&sources[s], s, globs)?);
        }

        for (id, s) in overrides.disable {
            let src = &sources[s];
            match rules.iter_mut().find(|p| p.rule.id == *id.get_ref()) {
                Some(p) => p.rule.enabled = false,
                None => {
                    return Err(err_at(
                        src,
                        id.span().start,
                        Some(id.get_ref()),
                        "`disable` names a rule that does not exist (see `mami-clean rules`)",
                    ));
                }
            }
        }

        // Stable order: by phase, then as written (sort_by_key is stable).
        rules.sort_by_key(|p| p.rule.phase);

        // Disabled rules' globs are compiled too, so their reach is checked like any other's.
        let globs = rules.iter_mut().enumerate().flat_map(|(i, p)| {
            let ignore_case = p.rule.ignore_case;
            std::mem::take(&mut p.globs)
                .into_iter()
                .enumerate()
                .map(move |(j, g)| (GlobRef { rule: i, glob: j }, g, ignore_case))
        });
        let matcher = Matcher::build(globs).map_err(Error::Usage)?;
        let (rules, located): (Vec<Rule>, Vec<(usize, Vec<usize>)>) = rules
            .into_iter()
            .map(|p| (p.rule, (p.source, p.offsets)))
            .unzip();
        // The built-in globs' reach is checked by a test: only a config's rules are checked
        // here, where asking the probes was ~1 ms of every command's start.
        let reach = (rules.iter().any(|r| !r.origin.builtin))
            .then(|| check_reach(&rules, &matcher))
            .flatten();
        if let Some((g, msg)) = reach {
            let (s, offsets) = &located[g.rule];
            let r = &rules[g.rule];
            return Err(err_at(
                &sources[*s],
                offsets[g.glob],
                Some(&r.id),
                msg.replace("{}", &r.patterns[g.glob]),
            ));
        }
        Ok(RuleSet {
            rules,
            phases,
            sources,
            matcher,
        })
    }

    /// Indices of enabled rules whose path part matches, in rule order, without duplicates
    /// (what `out` held is cleared).
    pub fn matching(&self, path: &RelPath, is_dir: bool, out: &mut Vec<usize>) {
        // The matcher says which rules' globs matched, so no rule's globs run again: only its
        // kind and excludes are checked.
        out.clear();
        self.matcher.rules_matching(path.as_bytes(), out);
        out.dedup();
        out.retain(|&ri| {
            let r = &self.rules[ri];
            r.enabled && r.kind_fits(is_dir)
        });
        if out.iter().any(|&ri| !self.rules[ri].exclude.is_empty()) {
            let c = Candidate::new(path.as_path());
            out.retain(|&ri| !self.rules[ri].excluded(&c));
        }
    }

    /// Path part of rule `rule` (enabled or not): a glob matches, no exclude matches, and the
    /// kind fits. Guards are evaluated separately, by [`crate::classify`], because they need
    /// the filesystem.
    pub fn path_matches(&self, rule: usize, path: &RelPath, is_dir: bool) -> bool {
        let r = &self.rules[rule];
        let mut hits = Vec::new();
        self.matcher.rules_matching(path.as_bytes(), &mut hits);
        hits.contains(&rule) && r.kind_fits(is_dir) && !r.excluded(&Candidate::new(path.as_path()))
    }

    pub fn by_id(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// BLAKE3 of every source in force (name and text), so a saved plan can tell whether the
    /// rules changed since it was made. The same whether the rules were loaded to read or to
    /// apply: a plan made by `plan` with an untrusted config is current for `apply`, which
    /// judges its entries again by the rules it may use (see `apply::authority`).
    pub fn hash(&self) -> String {
        let mut h = blake3::Hasher::new();
        for s in &self.sources {
            h.update(s.name.as_bytes());
            h.update(&[0]);
            h.update(&(s.text.len() as u64).to_le_bytes());
            h.update(s.text.as_bytes());
        }
        h.finalize().to_hex().to_string()
    }
}

#[cfg(test)]
#[path = "compile_tests.rs"]
mod tests;
