//! mami-clean: clean and audit a source repository before it goes into Docker.
//!
//! The library follows the pipeline: [`config`] (rule files and the repository's
//! `mami-clean.toml`, compiled once into a [`rules::RuleSet`]) → [`scan`] (one parallel walk
//! that sizes every path and classifies it with [`classify`]) → [`plan`] (the result as a value,
//! saved as JSON for `apply`) → [`report`] (human and JSON renderings).
//!
//! The core never prints and never exits: every function returns values or typed errors
//! ([`Error`]), and only the binary decides what goes to the terminal and which exit code follows.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod apply;
pub mod audit;
pub mod classify;
pub mod config;
pub mod dir_copies;
pub mod dirs;
pub mod docker;
pub mod entry;
pub mod env_file;
pub mod error;
pub mod examples;
pub mod explain;
#[doc(hidden)]
pub mod failpoint;
pub mod forecast;
pub mod front_end_env;
pub mod fsx;
#[doc(hidden)]
pub mod fuzz;
pub mod gate;
pub mod gh_action;
pub mod git;
pub mod ignorefile;
pub mod in_use;
pub mod js_tests;
pub mod limits;
pub mod misnamed_ignore;
pub mod old_copies;
pub mod os_variants;
pub mod plan;
pub mod pytest_collect;
pub mod rebuild;
pub mod references;
pub mod relpath;
pub mod report;
pub mod rules;
pub mod scan;
pub mod shell;
pub mod size;
pub mod stacks;
#[cfg(test)]
mod test_files;
pub mod trust;
pub mod verify;

pub use error::{Error, Result};
