//! Typed errors. Each variant carries what a user needs to act: the file, the line, the rule id
//! or the path. The binary maps every error to exit code 2.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a config or rule file something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Location {
    /// Turn a byte offset into `text` into a 1-based line and column.
    pub fn from_offset(file: &str, text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..offset];
        // Every rule's line is found at each start: `matches` walked the rule files char by
        // char, ~3% of a small repository's gate.
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location {
            file: file.to_string(),
            line,
            column,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule or config file that does not parse, or a value in it that is not valid.
    #[error("{location}: {}{message}", rule.as_ref().map(|r| format!("rule `{r}`: ")).unwrap_or_default())]
    Config {
        location: Location,
        rule: Option<String>,
        message: String,
    },

    /// A compose file Docker Compose itself refuses (not YAML, a key written twice, a required
    /// variable unset, an `extends` that leads nowhere): its project's builds are unknown.
    /// Commands that only read builds report it and go on; the rest stop at it. `missing`: the
    /// key (`include`, `extends`) and the file it names that is not there, where that is why.
    #[error("{location}: {message}")]
    ComposeRefused {
        location: Location,
        message: String,
        missing: Option<(&'static str, PathBuf)>,
    },

    /// A config file that could not be read at all.
    #[error("cannot read {}: {source}", path.display())]
    ConfigRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An I/O error on a path the user named or the tool must touch.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Git could not be read (a repository exists but libgit2 failed on it).
    #[error("git: {0}")]
    Git(String),

    /// A plan file that cannot be used.
    #[error("plan {}: {message}", path.display())]
    Plan { path: PathBuf, message: String },

    /// Anything the user asked for that cannot be done as asked.
    #[error("{0}")]
    Usage(String),
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(e.message().to_string())
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
