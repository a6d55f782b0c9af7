//! A directory named like a backup that holds its own compose file, beside other directories
//! that hold theirs, is one of the repository's stacks: the service that makes the backups,
//! not a copy kept as one. Homelab repositories keep one directory per stack (Mounik's
//! docker-stacks: `adguard/`, `authelia/`, `backup/`, … each with a `docker-compose.yml`;
//! cwage/homelab, LukasPatzke/homesrv, MattIPv4/home-automation likewise). A `backup/` whose
//! compose file is the only one of its kind (spring-mono's dump of `docker compose config`
//! beside an SQL dump) is still a copy.

use crate::git::GitInfo;
use crate::references::{RefKind, Reference};
use crate::relpath::{parent_of, RelPath};

/// The names `docker compose` looks for in a directory.
const COMPOSE_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Other directories beside it that must hold a compose file too.
const MIN_SIBLING_STACKS: usize = 2;

/// The compose file that makes the directory `dir` one of its parent's stacks, when git tracks
/// one directly in `dir` and in at least [`MIN_SIBLING_STACKS`] of its sibling directories.
pub fn stack_member(git: &GitInfo, dir: &RelPath) -> Option<Reference> {
    // Most directories hold no compose file: say so without going through the parent's
    // tracked files (all of them, for a directory at the root).
    if !(COMPOSE_FILES.iter()).any(|name| git.is_tracked(&dir.join(name.as_bytes()))) {
        return None;
    }
    let parent = RelPath::from_bytes(parent_of(dir.as_bytes()));
    let mut own = None;
    let mut siblings: Vec<&[u8]> = Vec::new();
    // Index order keeps a directory's compose files together: `dedup` counts each once.
    for p in git.tracked_paths_under(&parent) {
        match compose_holder(p, parent.as_bytes()) {
            Some(holder) if holder == dir.as_bytes() => own = own.or(Some(p)),
            Some(holder) => siblings.push(holder),
            None => {}
        }
    }
    let file = own?;
    siblings.dedup();
    (siblings.len() >= MIN_SIBLING_STACKS).then(|| Reference {
        file: RelPath::from_bytes(file).display(),
        line: 1,
        excerpt: String::new(),
        kind: RefKind::Stack,
    })
}

/// For a tracked path `parent/X/<compose file>`: `parent/X`.
fn compose_holder<'p>(p: &'p [u8], parent: &[u8]) -> Option<&'p [u8]> {
    let rest = if parent.is_empty() {
        p
    } else {
        p.strip_prefix(parent)?.strip_prefix(b"/")?
    };
    let slash = rest.iter().position(|&b| b == b'/')?;
    let name = &rest[slash + 1..];
    if !COMPOSE_FILES.iter().any(|c| c.as_bytes() == name) {
        return None;
    }
    Some(&p[..p.len() - name.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compose_file_directly_in_a_child_of_the_parent() {
        let h = |p: &str, parent: &str| {
            compose_holder(p.as_bytes(), parent.as_bytes())
                .map(|d| String::from_utf8_lossy(d).into_owned())
        };
        assert_eq!(
            h("backup/docker-compose.yml", "").as_deref(),
            Some("backup")
        );
        assert_eq!(
            h("stacks/backup/compose.yaml", "stacks").as_deref(),
            Some("stacks/backup")
        );
        assert_eq!(h("docker-compose.yml", ""), None, "the parent's own");
        assert_eq!(h("backup/conf/docker-compose.yml", ""), None, "deeper");
        assert_eq!(h("backup/Dockerfile", ""), None);
        assert_eq!(h("stacksx/backup/compose.yaml", "stacks"), None);
    }
}
