//! One rule on its way into a [`RuleSet`]: a definition checked (id, phase, globs, guards, each
//! error at its file and line) and compiled, and the config's `keep = [...]` list as a keep rule.

use std::collections::HashMap;

use globset::Glob;
use toml::Spanned;

use super::compile::{err_at, Origin, RuleInput, Source};
use super::globs::*;
use super::lazy_set::{LazySet, NameSet};
use super::rule::Rule;
use super::schema::{Action, Examples, Guards, Kind};
use crate::error::{Error, Location, Result};

/// A rule on its way through [`RuleSet::compile`]: its globs, compiled, and where each was
/// written, for errors found once all rules are in.
pub(super) struct Pending {
    pub(super) rule: Rule,
    pub(super) globs: Vec<Glob>,
    pub(super) source: usize,
    pub(super) offsets: Vec<usize>,
}

/// `input` checked and compiled, on its own: a duplicate id is for the caller, which sees
/// every rule ([`duplicates`]).
pub(super) fn checked(sources: &[Source], input: RuleInput) -> Result<Pending> {
    let src = &sources[input.source];
    let def = input.def;
    let id = def.id.get_ref().clone();
    let id_off = def.id.span().start;
    if !is_kebab_id(&id) {
        return Err(err_at(
            src,
            id_off,
            Some(&id),
            "rule ids are kebab-case: a-z, 0-9 and `-`",
        ));
    }
    let phase = match (&def.phase, input.default_phase) {
        (Some(p), Some(file_phase)) if *p.get_ref() != file_phase => {
            return Err(err_at(
                src,
                p.span().start,
                Some(&id),
                format!(
                    "phase {} differs from the file's phase {file_phase}",
                    p.get_ref()
                ),
            ));
        }
        (Some(p), _) => {
            if !(1..=7).contains(p.get_ref()) {
                return Err(err_at(src, p.span().start, Some(&id), "phase must be 1..7"));
            }
            *p.get_ref()
        }
        (None, Some(p)) => p,
        (None, None) => {
            return Err(err_at(src, id_off, Some(&id), "missing `phase` (1..7)"));
        }
    };
    if def.globs.is_empty() {
        return Err(err_at(
            src,
            id_off,
            Some(&id),
            "`match` needs at least one glob",
        ));
    }
    if def.reason.trim().is_empty() {
        return Err(err_at(
            src,
            id_off,
            Some(&id),
            "`reason` must say why, in one line",
        ));
    }
    if def.rebuild.is_some() && def.regenerate.is_none() {
        return Err(err_at(
            src,
            id_off,
            Some(&id),
            "`rebuild` needs `regenerate`: what to say where the repository does not tell",
        ));
    }
    if def.regenerate.is_some() && def.action != Action::Delete {
        return Err(err_at(
            src,
            id_off,
            Some(&id),
            "`regenerate` only makes sense with action = \"delete\"",
        ));
    }
    if def.local_data && def.action != Action::Keep {
        return Err(err_at(
            src,
            id_off,
            Some(&id),
            "`local_data` only makes sense with action = \"keep\" (what a delete or review rule selects is no data of the app's)",
        ));
    }
    if def.look_inside && def.action != Action::Review {
        return Err(err_at(
            src,
            id_off,
            Some(&id),
            "`look_inside` only makes sense with action = \"review\" (what a delete rule selects goes whole)",
        ));
    }
    for g in &def.globs {
        check_glob_shape(g.get_ref()).map_err(|m| err_at(src, g.span().start, Some(&id), m))?;
    }
    let globs = compile_globs(src, &id, &def.globs, def.ignore_case)?;
    let exclude = compile_set(src, &id, &def.exclude, def.ignore_case)?;
    let beside = name_set(src, &id, id_off, &def.when.beside)?;
    let not_beside = name_set(src, &id, id_off, &def.when.not_beside)?;
    let starts_like = start_regex(src, &id, id_off, "starts_like", &def.when.starts_like)?;
    let not_starts_like = start_regex(
        src,
        &id,
        id_off,
        "not_starts_like",
        &def.when.not_starts_like,
    )?;
    let markers = (def.when.inside.iter().map(|n| ("inside", n)))
        .chain(def.when.not_inside.iter().map(|n| ("not_inside", n)));
    for (key, n) in markers {
        if n.contains("..") || n.starts_with('/') || n.is_empty() {
            return Err(err_at(
                src,
                id_off,
                Some(&id),
                format!("`{key}` marker `{n}` must be a relative name"),
            ));
        }
    }
    let origin = origin(src, id_off);
    let offsets = def.globs.iter().map(|g| g.span().start).collect();
    let rule = Rule {
        id,
        phase,
        origin,
        reason: def.reason.trim().to_string(),
        kind: def.kind,
        action: def.action,
        regenerate: def.regenerate,
        rebuild: def.rebuild,
        guards: def.when,
        patterns: def.globs.iter().map(|g| g.get_ref().clone()).collect(),
        excludes: def.exclude.iter().map(|g| g.get_ref().clone()).collect(),
        ignore_case: def.ignore_case,
        in_service_data: def.in_service_data,
        look_inside: def.look_inside,
        local_data: def.local_data,
        gitignore: def.gitignore,
        dockerignore: def.dockerignore,
        examples: def.examples,
        enabled: true,
        repo_local: src.repo_local,
        untrusted: !src.trusted && def.action != Action::Keep,
        exclude,
        beside,
        not_beside,
        starts_like,
        not_starts_like,
    };
    Ok(Pending {
        rule,
        globs,
        source: input.source,
        offsets,
    })
}

/// Where a rule whose id is at `offset` of `src` was defined.
fn origin(src: &Source, offset: usize) -> Origin {
    Origin {
        file: src.name.clone(),
        line: Location::from_offset(&src.name, &src.text, offset).line,
        builtin: src.builtin,
    }
}

/// For each rule, the error if an earlier rule has its id: reported where the rule's own checks
/// would put it, after its id's form and before everything else.
pub(super) fn duplicates(sources: &[Source], inputs: &[RuleInput]) -> Vec<Option<Error>> {
    let mut seen: HashMap<&str, &RuleInput> = HashMap::new();
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let id = input.def.id.get_ref();
        out.push(match seen.get(id.as_str()) {
            Some(prev) if is_kebab_id(id) => {
                let prev = origin(&sources[prev.source], prev.def.id.span().start);
                Some(err_at(
                    &sources[input.source],
                    input.def.id.span().start,
                    Some(id),
                    format!("duplicate rule id (first defined at {prev})"),
                ))
            }
            _ => None,
        });
        seen.entry(id).or_insert(input);
    }
    out
}

/// The `keep` globs of the config file `sources[s]`, as one keep rule.
pub(super) fn config_keep(src: &Source, s: usize, globs: Vec<Spanned<String>>) -> Result<Pending> {
    let id = "config-keep".to_string();
    for g in &globs {
        check_glob_shape(g.get_ref()).map_err(|m| err_at(src, g.span().start, None, m))?;
    }
    let compiled = compile_globs(src, &id, &globs, false)?;
    let rule = Rule {
        id,
        phase: 0,
        origin: origin(src, globs[0].span().start),
        reason: "listed under `keep` in the config".into(),
        kind: Kind::Any,
        action: Action::Keep,
        regenerate: None,
        rebuild: None,
        guards: Guards::default(),
        patterns: globs.iter().map(|g| g.get_ref().clone()).collect(),
        excludes: vec![],
        ignore_case: false,
        in_service_data: false,
        look_inside: false,
        local_data: false,
        gitignore: vec![],
        dockerignore: vec![],
        examples: Examples::default(),
        enabled: true,
        repo_local: src.repo_local,
        untrusted: false,
        exclude: LazySet::empty(),
        beside: NameSet::empty(),
        not_beside: NameSet::empty(),
        starts_like: None,
        not_starts_like: None,
    };
    Ok(Pending {
        rule,
        offsets: globs.iter().map(|g| g.span().start).collect(),
        globs: compiled,
        source: s,
    })
}

/// A content guard's regex, anchored at the start of the file, bytes not UTF-8 (`.` and
/// classes still match whole characters where the text is UTF-8).
fn start_regex(
    src: &Source,
    id: &str,
    offset: usize,
    key: &str,
    pattern: &Option<String>,
) -> Result<Option<regex::bytes::Regex>> {
    let Some(p) = pattern else { return Ok(None) };
    regex::bytes::RegexBuilder::new(&format!(r"\A(?:{p})"))
        .size_limit(1 << 20)
        .build()
        .map(Some)
        .map_err(|e| {
            err_at(
                src,
                offset,
                Some(id),
                format!("`when.{key}` is not a regex: {e}"),
            )
        })
}
