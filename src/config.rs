//! Layered configuration: the built-in rules ◁ the repository's `mami-clean.toml` (or
//! `--config FILE`) ◁ command-line flags. Turned into a checked [`Config`] once, at the edge;
//! the scanner and planner never see raw TOML.
//!
//! A config can add rules, turn rules off by id, add keep globs and set the target. It cannot
//! touch the built-in protections (`.git`, nested repositories, mount points, mami-clean's own
//! state, modified tracked files): those are code in [`crate::classify`], not rules.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::rules::compile::{builtin_inputs, parse_toml, Overrides, RuleInput, Source};
use crate::rules::schema::ConfigFile;
use crate::rules::RuleSet;

/// The name looked for at the repository root.
pub const FILE_NAME: &str = "mami-clean.toml";

/// The commented config `mami-clean init` writes.
pub const TEMPLATE: &str = include_str!("../mami-clean.template.toml");

#[derive(Debug)]
pub struct Config {
    pub rules: RuleSet,
    /// Bytes the cleanup aims to free.
    pub target: u64,
    /// The config file in force, if any.
    pub file: Option<PathBuf>,
    /// `[verify]`, if the config has it.
    pub verify: crate::rules::schema::VerifyDef,
    /// `[gate]`, checked (defaults without one).
    pub gate: crate::gate::config::GateConfig,
}

/// Read a config file, refusing anything but a regular file: a symlinked config could make a
/// repository borrow rules from anywhere on the machine.
fn read_config(path: &Path) -> Result<String> {
    let meta = std::fs::symlink_metadata(path).map_err(|source| Error::ConfigRead {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.file_type().is_file() {
        return Err(Error::Usage(format!(
            "{}: a config must be a regular file, not a symlink or special file",
            path.display()
        )));
    }
    std::fs::read_to_string(path).map_err(|source| Error::ConfigRead {
        path: path.to_path_buf(),
        source,
    })
}

/// Load the rules in force: built-ins, then `explicit` if given, else `<root>/mami-clean.toml`
/// if it exists (no root: built-ins only, as `rules` outside a repository shows them).
pub fn load(root: Option<&Path>, explicit: Option<&Path>) -> Result<Config> {
    let (mut sources, mut inputs, phases) = builtin_inputs()?;
    let path = match (explicit, root) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, Some(root)) => {
            let p = root.join(FILE_NAME);
            p.symlink_metadata().is_ok().then_some(p)
        }
        (None, None) => None,
    };
    let mut target = crate::size::DEFAULT_TARGET;
    let mut overrides = Overrides::default();
    let mut verify = Default::default();
    let mut gate = crate::gate::config::GateConfig::default();
    if let Some(path) = &path {
        let text = read_config(path)?;
        let src = Source {
            name: path.display().to_string(),
            text,
            builtin: false,
        };
        let file: ConfigFile = parse_toml(&src)?;
        let idx = sources.len();
        if let Some(t) = &file.target {
            target = crate::size::parse(t.get_ref()).map_err(|m| Error::Config {
                location: Location::from_offset(&src.name, &src.text, t.span().start),
                rule: None,
                message: format!("invalid target size {m}"),
            })?;
        }
        verify = file.verify.clone().unwrap_or_default();
        if let Some(g) = &file.gate {
            gate = crate::gate::config::compile(g, &src)?;
        }
        overrides.disable = file.disable.into_iter().map(|d| (d, idx)).collect();
        overrides.keep = file.keep.into_iter().map(|k| (k, idx)).collect();
        inputs.extend(file.rules.into_iter().map(|def| RuleInput {
            def,
            source: idx,
            default_phase: None,
        }));
        sources.push(src);
    }
    let rules = RuleSet::compile(sources, inputs, phases, overrides)?;
    Ok(Config {
        rules,
        target,
        file: path,
        verify,
        gate,
    })
}
