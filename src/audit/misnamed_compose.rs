//! `misnamed-compose-file`: the repository's root holds a compose file under a name `docker
//! compose` does not look for, and none under one it does. `Docker-compose.yml` (committed in
//! 7,671 public repositories) is found where the filesystem ignores case (macOS, Windows), not
//! on Linux or in CI; `docker_compose.yml` (2,086) nowhere unless named with `-f`. Its services
//! are then neither built by a bare `docker compose up` nor audited here.

use std::path::Path;

use super::{finding, Finding};
use crate::docker::names::COMPOSE_NAMES;
use crate::misnamed_ignore::Why;

/// Names a misspelt compose file takes (besides other capitals of the right ones).
const MISSPELT: &[&str] = &[
    "docker_compose.yml",
    "docker_compose.yaml",
    "docker-compose.yml.txt",
    "docker-compose.yaml.txt",
    "dockercompose.yml",
    "dockercompose.yaml",
];

/// Why `docker compose` does not read a root file of this name, if it is a compose file's.
fn why(name: &str) -> Option<Why> {
    if COMPOSE_NAMES.contains(&name) {
        None
    } else if COMPOSE_NAMES.iter().any(|c| c.eq_ignore_ascii_case(name)) {
        Some(Why::Case)
    } else if MISSPELT.iter().any(|m| m.eq_ignore_ascii_case(name)) {
        Some(Why::Misspelt)
    } else {
        None
    }
}

pub(super) fn findings(root: &Path, out: &mut Vec<Finding>) {
    let there = |n: &str| root.join(n).symlink_metadata().is_ok();
    if COMPOSE_NAMES.iter().any(|n| there(n)) {
        return;
    }
    let mut found: Vec<(String, Why)> = (std::fs::read_dir(root).into_iter().flatten().flatten())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            why(&name).map(|w| (name, w))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let Some((name, why)) = found.into_iter().next() else {
        return;
    };
    if crate::docker::scripted::names_compose_file(root, &name) {
        return;
    }
    let looked = "`compose.yaml`, `compose.yml`, `docker-compose.yml`, `docker-compose.yaml`";
    let what = match why {
        Why::Case => format!(
            "is found by `docker compose` only where the filesystem ignores case (macOS, \
             Windows): on Linux and in CI it looks for {looked}"
        ),
        _ => format!("is not a name `docker compose` looks for ({looked})"),
    };
    // Other capitals become the name they spell; a misspelt one, Compose's usual name.
    let spelt = COMPOSE_NAMES.iter().find(|c| c.eq_ignore_ascii_case(&name));
    let to = match (spelt, name.to_ascii_lowercase()) {
        (Some(c), _) => c,
        (None, n) if n.ends_with(".yaml") || n.ends_with(".yaml.txt") => "docker-compose.yaml",
        (None, _) => "docker-compose.yml",
    };
    out.push(finding(
        "misnamed-compose-file",
        name.clone(),
        format!(
            "`{name}` {what}, finds none, and builds none of its services unless the command \
             names it (`-f {name}`), which nothing here does; nor does this audit read it"
        ),
        format!("rename it: `git mv {name} {to}`"),
    ));
}
