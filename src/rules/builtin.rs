//! The built-in rule files, compiled into the binary so `plan` works with no config. They are
//! also the documentation of what the tool deletes: `rules/` at the top of the repository.

/// `(file name, contents)`, in phase order.
pub const FILES: &[(&str, &str)] = &[
    (
        "rules/01-root.toml",
        include_str!("../../rules/01-root.toml"),
    ),
    (
        "rules/02-backups.toml",
        include_str!("../../rules/02-backups.toml"),
    ),
    (
        "rules/03-debug.toml",
        include_str!("../../rules/03-debug.toml"),
    ),
    (
        "rules/04-scripts.toml",
        include_str!("../../rules/04-scripts.toml"),
    ),
    (
        "rules/05-docs.toml",
        include_str!("../../rules/05-docs.toml"),
    ),
    (
        "rules/06-data.toml",
        include_str!("../../rules/06-data.toml"),
    ),
    (
        "rules/07-deps.toml",
        include_str!("../../rules/07-deps.toml"),
    ),
];
