//! Layered configuration: the built-in rules ◁ the repository's `mami-clean.toml` (or
//! `--config FILE`) ◁ command-line flags. Turned into a checked [`Config`] once, at the edge;
//! the scanner and planner never see raw TOML.
//!
//! A config can add rules, turn rules off by id, add keep globs and set the target. It cannot
//! touch the built-in protections (`.git`, nested repositories, mount points, mami-clean's own
//! state, modified tracked files): those are code in [`crate::classify`], not rules.

pub mod gate;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::rules::compile::{builtin_inputs, parse_toml, Overrides, RuleInput, Source};
use crate::rules::schema::ConfigFile;
use crate::rules::RuleSet;

/// The name looked for at the repository root.
pub const FILE_NAME: &str = "mami-clean.toml";

pub use crate::limits::MAX_CONFIG_BYTES;

/// The commented config `mami-clean init` writes.
pub const TEMPLATE: &str = include_str!("../../mami-clean.template.toml");

#[derive(Debug)]
pub struct Config {
    pub rules: RuleSet,
    /// Bytes the cleanup aims to free.
    pub target: Option<u64>,
    /// The config file in force, if any.
    pub file: Option<PathBuf>,
    /// `[verify]`, if the config has it.
    pub verify: crate::rules::schema::VerifyDef,
    /// `[gate]`, checked (defaults without one).
    pub gate: gate::GateConfig,
    /// The repository config, when the user has not trusted it.
    pub untrusted: Option<PathBuf>,
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
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(Error::Usage(format!(
            "{}: {} bytes is more than a config may hold ({} bytes); split the rules or simplify them",
            path.display(),
            meta.len(),
            MAX_CONFIG_BYTES
        )));
    }
    std::fs::read_to_string(path).map_err(|source| Error::ConfigRead {
        path: path.to_path_buf(),
        source,
    })
}

/// Which rules to load: everything (for `plan`, `audit`, `gate`, which show untrusted rules
/// marked), or only what may delete (for `apply`: an untrusted repository config's selecting
/// rules are left out, and so is its `disable` of keep rules; its keep globs and keep rules,
/// which only narrow, stay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Apply,
}

/// Load the rules in force for `root` in [`Mode::Read`].
pub fn load(root: Option<&Path>, explicit: Option<&Path>) -> Result<Config> {
    load_mode(root, explicit, Mode::Read)
}

/// Load the rules in force: built-ins ◁ the user's config (`$XDG_CONFIG_HOME/mami-clean/
/// config.toml`) ◁ `explicit` if given (the user named it: trusted), else
/// `<root>/mami-clean.toml` (trusted only after `mami-clean trust`).
pub fn load_mode(root: Option<&Path>, explicit: Option<&Path>, mode: Mode) -> Result<Config> {
    load_layers(layers(root, explicit), mode, None)
}

/// The built-in rules, read and compiled on a thread of their own from the moment a command
/// starts: the repository is opened meanwhile (its root says whether a config is in force),
/// and where none is, these are the rules. Half the start of a gate on a 5,000-file repository
/// was these two, one after the other.
pub struct Early(std::thread::JoinHandle<Result<RuleSet>>);

impl Early {
    pub fn start() -> Early {
        Early(std::thread::spawn(RuleSet::builtin))
    }

    fn join(self) -> Result<RuleSet> {
        self.0
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    }
}

/// [`load_mode`], with the built-in rules from `early` if no config is in force (else they are
/// read again with the configs, and `early`'s are dropped unread).
pub fn load_early(
    root: Option<&Path>,
    explicit: Option<&Path>,
    mode: Mode,
    early: Early,
) -> Result<Config> {
    load_layers(layers(root, explicit), mode, Some(early))
}

/// The config files in force, in order: (path, repo_local, trusted before `mami-clean trust`).
fn layers(root: Option<&Path>, explicit: Option<&Path>) -> Vec<(PathBuf, bool, bool)> {
    let mut layers = Vec::new();
    if let Some(u) = crate::trust::user_config() {
        layers.push((u, false, true));
    }
    match (explicit, root) {
        (Some(p), _) => layers.push((p.to_path_buf(), false, true)),
        (None, Some(root)) => {
            let p = root.join(FILE_NAME);
            if p.symlink_metadata().is_ok() {
                layers.push((p, true, false));
            }
        }
        (None, None) => {}
    }
    layers
}

fn load_layers(
    layers: Vec<(PathBuf, bool, bool)>,
    mode: Mode,
    early: Option<Early>,
) -> Result<Config> {
    if let (Some(early), true) = (early, layers.is_empty()) {
        return Ok(Config {
            rules: early.join()?,
            target: None,
            file: None,
            verify: Default::default(),
            gate: gate::GateConfig::default(),
            untrusted: None,
        });
    }
    let (mut sources, mut inputs, phases) = builtin_inputs()?;
    let mut target = None;
    let mut overrides = Overrides::default();
    let mut verify = Default::default();
    let mut gate = gate::GateConfig::default();
    let mut untrusted = None;
    let mut file_in_force = None;
    for (path, repo_local, trusted) in layers {
        let text = read_config(&path)?;
        let trusted = trusted || crate::trust::is_trusted(&path, &text);
        if !trusted {
            untrusted = Some(path.clone());
        }
        let src = Source {
            name: path.display().to_string(),
            text,
            builtin: false,
            repo_local,
            trusted,
        };
        let file: ConfigFile = parse_toml(&src)?;
        let idx = sources.len();
        if let Some(t) = &file.target {
            target = Some(
                crate::size::parse_target(t.get_ref()).map_err(|m| Error::Config {
                    location: Location::from_offset(&src.name, &src.text, t.span().start),
                    rule: None,
                    message: format!("invalid target size {m}"),
                })?,
            );
        }
        if let Some(v) = &file.verify {
            // Commands from an untrusted file are not run: the defaults are used instead.
            verify = if trusted {
                v.clone()
            } else {
                crate::rules::schema::VerifyDef {
                    commands: None,
                    cleanup: None,
                    ..v.clone()
                }
            };
        }
        if let Some(g) = &file.gate {
            gate = gate::compile(g, &src)?;
        }
        // Until trusted, nothing in a repository's config may widen what `apply` deletes:
        // turning a keep rule off would. (Turning a delete rule off only narrows.)
        let widens = |id: &str| {
            !trusted
                && mode == Mode::Apply
                && inputs
                    .iter()
                    .any(|i| i.def.id.get_ref() == id && i.def.action == crate::rules::Action::Keep)
        };
        let disable: Vec<_> = file
            .disable
            .into_iter()
            .filter(|d| !widens(d.get_ref()))
            .collect();
        overrides
            .disable
            .extend(disable.into_iter().map(|d| (d, idx)));
        overrides
            .keep
            .extend(file.keep.into_iter().map(|k| (k, idx)));
        inputs.extend(
            file.rules
                .into_iter()
                .filter(|def| {
                    trusted || mode == Mode::Read || def.action == crate::rules::Action::Keep
                })
                .map(|def| RuleInput {
                    def,
                    source: idx,
                    default_phase: None,
                }),
        );
        sources.push(src);
        file_in_force = Some(path);
    }
    let rules = RuleSet::compile(sources, inputs, phases, overrides)?;
    Ok(Config {
        rules,
        target,
        file: file_in_force,
        verify,
        gate,
        untrusted,
    })
}
