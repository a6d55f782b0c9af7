//! Docker build contexts: what `docker build` (BuildKit) would send, computed without a daemon.
//! [`ignore`] is the `.dockerignore` engine; [`context`] walks a context with it.

pub mod compose;
pub mod context;
pub mod ignore;

pub use compose::{discover, Build};
pub use context::{compute, ignore_file_for, Context};
pub use ignore::DockerIgnore;
