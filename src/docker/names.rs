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
    // A backup copy (`Dockerfile.old`, `Dockerfile.bak`, `Dockerfile~`), numbered or dated
    // (`Dockerfile.backup2`, YappyAI), is no build; nor is a variant marked old
    // (filter-ical's `Dockerfile.ecs-old`, `Dockerfile.lambda-old`: its ECS build was dropped).
    let backup = [
        ".old", ".bak", ".orig", ".backup", "~", "-old", "_old", "-bak", "_bak",
    ];
    // Nor is a template a generator renders into one (`Dockerfile.template`: 3,205+ public
    // repositories, balena's and the official images'; Kaggle's Go-templated `Dockerfile.tmpl`,
    // Ansible's `Dockerfile.j2`): Docker builds what it renders, and its `{{ if }}` lines or
    // `%%BALENA_ARCH%%` would be read as a Dockerfile's.
    let template = [
        ".template",
        ".tmpl",
        ".tpl",
        ".j2",
        ".jinja",
        ".jinja2",
        ".in",
        ".erb",
        ".mustache",
        ".hbs",
        ".gotmpl",
    ];
    let unnumbered = name.trim_end_matches(|c: char| c.is_ascii_digit());
    !name.ends_with(".dockerignore")
        && !template.iter().any(|t| name.ends_with(t))
        && !backup.iter().any(|b| unnumbered.ends_with(b))
        && ![".bak_", ".bak-", ".backup_", ".backup-"]
            .iter()
            .any(|b| name.contains(b))
        && (name.eq_ignore_ascii_case(DEFAULT_DOCKERFILE)
            || name.starts_with("Dockerfile.")
            || name.ends_with(".Dockerfile")
            || name.ends_with(".dockerfile"))
}

/// The Dockerfile a build reads when none is named.
pub const DEFAULT_DOCKERFILE: &str = "Dockerfile";

/// Read instead where the context has no `Dockerfile` (moby/moby#10858): the docker CLI, the
/// legacy builder and BuildKit's Dockerfile frontend all look for it, and Compose's builds
/// with them. agentic_trading_bot ships only a `dockerfile`; checked on the Engine.
pub const LOWERCASE_DOCKERFILE: &str = "dockerfile";

/// The Dockerfile a build of the context `ctx` reads when none is named: `Dockerfile`, or
/// `dockerfile` where only that one is there (either may be a link: Docker asks `lstat`).
pub fn default_dockerfile(ctx: &std::path::Path) -> std::path::PathBuf {
    let upper = ctx.join(DEFAULT_DOCKERFILE);
    let lower = ctx.join(LOWERCASE_DOCKERFILE);
    if upper.symlink_metadata().is_err() && lower.symlink_metadata().is_ok() {
        lower
    } else {
        upper
    }
}

/// Could a file of this name be a build file (a compose file, a Dockerfile, a `.dockerignore`)?
/// Asked of every file the scan sees, so on bytes, without decoding: the tests [`BuildFiles`]
/// makes on the decoded name only look at ASCII prefixes and suffixes, which decoding keeps.
pub fn is_build_file_name(name: &[u8]) -> bool {
    // macOS' AppleDouble companions (`._.dockerignore`, `._app.dockerfile`: a copied folder's
    // resource forks) hold no build file's text.
    !name.starts_with(b"._") && is_build_file_shape(name)
}

fn is_build_file_shape(name: &[u8]) -> bool {
    COMPOSE_NAMES.iter().any(|c| c.as_bytes() == name)
        || OVERRIDE_NAMES.iter().any(|c| c.as_bytes() == name)
        || name.ends_with(b".dockerignore")
        || name.eq_ignore_ascii_case(DEFAULT_DOCKERFILE.as_bytes())
        || name.starts_with(b"Dockerfile.")
        || name.ends_with(b".Dockerfile")
        || name.ends_with(b".dockerfile")
}

/// The compose file and service a compose build is named by (`docker/compose.yml: service
/// web`); `None` for a Dockerfile built on its own, named by its path.
pub fn compose_service(build: &str) -> Option<(&str, &str)> {
    build.split_once(": service ")
}

/// Builds that send the same thing, named in one phrase: services of one compose file share
/// its name (`docker-compose.yml: services api and worker`, not the file twice), the rest are
/// listed as they are (`… and Dockerfile.prod`). LLaMA-Factory's four NPU services of one file
/// were one 300-character label.
pub fn and_names(names: &[String]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for n in names {
        match compose_service(n) {
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
pub(crate) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
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
    fn a_lowercase_dockerfile_is_read_where_there_is_no_dockerfile() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(default_dockerfile(d.path()), d.path().join("Dockerfile"));
        std::fs::write(d.path().join("dockerfile"), "FROM scratch\n").unwrap();
        assert_eq!(default_dockerfile(d.path()), d.path().join("dockerfile"));
        std::fs::write(d.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        assert_eq!(default_dockerfile(d.path()), d.path().join("Dockerfile"));
        assert!(is_dockerfile("dockerfile") && is_build_file_name(b"dockerfile"));
        // Other capitals are builds too (`docker build -f DockerFile`; macOS finds it unnamed).
        for n in ["DockerFile", "DOCKERFILE", "dockerFile"] {
            assert!(is_dockerfile(n) && is_build_file_name(n.as_bytes()), "{n}");
        }
        assert!(!is_dockerfile("DockerFile.bak") && !is_dockerfile("Dockerfiles"));
        for n in [
            "Dockerfile.template",
            "Dockerfile.dev.tmpl",
            "app.Dockerfile.j2",
            "Dockerfile.in",
        ] {
            assert!(!is_dockerfile(n), "{n}");
        }
        assert!(is_dockerfile("Dockerfile.bin") && is_dockerfile("Dockerfile.main"));
    }

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
