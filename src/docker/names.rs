//! The names of build files: compose files, Dockerfiles and their ignore files. The floor the
//! compose reader, the build-file finder and the scan's caller share.

/// Compose file names, in the order Docker Compose looks for them (compose-go's
/// `DefaultFileNames`): the first one present is the project's.
pub const COMPOSE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// Override files merged over it by default, in the same order: the first one present.
pub const OVERRIDE_NAMES: &[&str] = &[
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// A compose file or an override file.
pub fn is_compose_name(name: &str) -> bool {
    COMPOSE_NAMES.contains(&name) || OVERRIDE_NAMES.contains(&name)
}

pub fn is_dockerfile(name: &str) -> bool {
    !name.ends_with(".dockerignore")
        && (name == "Dockerfile"
            || name.starts_with("Dockerfile.")
            || name.ends_with(".Dockerfile")
            || name.ends_with(".dockerfile"))
}

/// Could a file of this name be a build file (a compose file, a Dockerfile, a `.dockerignore`)?
/// Asked of every file the scan sees, so on bytes, without decoding: the tests [`BuildFiles`]
/// makes on the decoded name only look at ASCII prefixes and suffixes, which decoding keeps.
pub fn is_build_file_name(name: &[u8]) -> bool {
    COMPOSE_NAMES.iter().any(|c| c.as_bytes() == name)
        || OVERRIDE_NAMES.iter().any(|c| c.as_bytes() == name)
        || name.ends_with(b".dockerignore")
        || name == b"Dockerfile"
        || name.starts_with(b"Dockerfile.")
        || name.ends_with(b".Dockerfile")
        || name.ends_with(b".dockerfile")
}
