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
    // A backup copy (`Dockerfile.old`, `Dockerfile.bak`, `Dockerfile~`) is no build.
    let backup = [".old", ".bak", ".orig", ".backup", "~"];
    !name.ends_with(".dockerignore")
        && !backup.iter().any(|b| name.ends_with(b))
        && !name.contains(".bak_")
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

/// Builds that send the same thing, named in one phrase: services of one compose file share
/// its name (`docker-compose.yml: services api and worker`, not the file twice), the rest are
/// listed as they are (`… and Dockerfile.prod`). LLaMA-Factory's four NPU services of one file
/// were one 300-character label.
pub fn and_names(names: &[String]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for n in names {
        match n.split_once(": service ") {
            Some((file, svc)) => match groups.iter_mut().find(|(f, s)| *f == file && !s.is_empty())
            {
                Some((_, s)) => s.push(svc),
                None => groups.push((file, vec![svc])),
            },
            None => groups.push((n, Vec::new())),
        }
    }
    let phrases: Vec<String> = groups
        .into_iter()
        .map(|(file, svcs)| match svcs.as_slice() {
            [] => file.to_string(),
            [one] => format!("{file}: service {one}"),
            many => format!("{file}: services {}", and_list(many)),
        })
        .collect();
    and_list(&phrases)
}

/// `a`, `a and b`, `a, b and c`.
fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_of_one_file_share_its_name() {
        let n = |v: &[&str]| and_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(n(&["Dockerfile"]), "Dockerfile");
        assert_eq!(
            n(&[
                "docker-compose.yml: service api",
                "docker-compose.yml: service worker"
            ]),
            "docker-compose.yml: services api and worker"
        );
        assert_eq!(
            n(&[
                "a/compose.yaml: service x (profile p)",
                "Dockerfile.fullstack",
                "a/compose.yaml: service y",
                "b/compose.yaml: service z",
            ]),
            "a/compose.yaml: services x (profile p) and y, Dockerfile.fullstack and b/compose.yaml: service z"
        );
    }
}
