//! Rules: what the cleanup selects, keeps or reports, as data.
//!
//! Rule files are TOML ([`schema`]); they are compiled once ([`compile`]) into a [`RuleSet`]
//! whose globs sit in one combined matcher (`matcher.rs`), so classifying a path is one or two
//! match calls whatever the number of rules. Each rule carries its own examples, which [`crate::examples`] checks.

pub mod builtin;
pub mod compile;
mod glob_shape;
mod globs;
#[cfg(test)]
mod keys_doc;
mod lazy_set;
mod literal_globs;
mod matcher;
mod pending;
mod rule;
pub mod schema;

pub use compile::{Origin, Rule, RuleSet, Source};
pub use schema::{Action, GitGuard, Kind};

/// Names of the seven phases, by number (index 0 is unused).
pub fn phase_name(phase: u8) -> &'static str {
    match phase {
        1 => "root",
        2 => "backups",
        3 => "debug",
        4 => "scripts",
        5 => "docs",
        6 => "data",
        7 => "deps",
        _ => "?",
    }
}
