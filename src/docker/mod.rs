//! Docker build contexts: what `docker build` (BuildKit) would send, computed without a daemon.
//! [`ignore`] is the `.dockerignore` engine; [`context`] walks a context with it; [`files`]
//! finds build files, on disk or in a scan's listing.

pub mod backslashed;
pub mod built_stages;
pub mod case;
pub mod compose;
pub mod context;
mod copies;
pub mod copy_source;
mod devcontainer;
pub mod dockerfile;
pub mod files;
mod forecast;
pub mod git_reads;
pub mod glob;
mod glob_prog;
mod go_path;
pub mod ignore;
pub mod image;
pub mod interpolate;
mod listed;
pub mod mounts;
pub mod moved;
pub mod names;
pub mod placed;
pub mod project;
pub mod run_mounts;
mod run_removes;
pub mod scripted;
mod standalone;
pub mod walk;
mod yaml_bound;
mod yaml_flow;
mod yaml_load;
mod yaml_merge;

pub use compose::{discover, discover_in, Build};
pub use context::{compute, ignore_file_for, Context};
pub use files::{BuildFiles, Source};
pub use ignore::DockerIgnore;
pub use listed::Holes;
pub use standalone::named_where_built;
