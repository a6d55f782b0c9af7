//! Committed environment files a front-end build reads and that hold no secret (a Vite app's
//! `frontend/.env` of `VITE_API_URL`): `ignore --write` keeps them in their build context, and
//! the audit says where a `.dockerignore` line keeps one out of a build that compiles it in.

use std::path::Path;

use crate::git::GitInfo;
use crate::relpath::{seen_from, RelPath};

/// Whether a front-end build reads a file so named: `.env`, `.env.local`, `.env.<mode>` and
/// `.env.<mode>.local` (Vite's, Next's and Create React App's names), not a template
/// (`.env.example`: anything-llm's `frontend/.env.example` is documentation) or a copy
/// (`.env.bak`, `.env_old`, `.env copy`), which none of them reads.
fn read_by_builds(name: &[u8]) -> bool {
    const NOT_READ: &[&str] = &[
        "example", "sample", "template", "dist", "default", "defaults", "bak", "backup", "old",
        "orig", "copy", "broken", "save", "swp",
    ];
    // Most names of a repository are asked: told apart before any copy is made.
    if !name
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case(b".env"))
    {
        return false;
    }
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    match name.strip_prefix(".env.") {
        None => name == ".env",
        Some(rest) => rest.split('.').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !NOT_READ.iter().any(|n| w.starts_with(n))
        }),
    }
}

/// Environment files larger than this are not settings a person committed for a build.
const MAX_SETTINGS_BYTES: u64 = 64 << 10;

/// A committed environment file of front-end build settings in a build context.
pub struct Committed {
    /// From the root.
    pub path: RelPath,
    /// From the context's top.
    pub inside: String,
    /// The first setting it holds (`VITE_API_URL`).
    pub key: String,
}

/// The tracked environment files inside the context at `prefix` (from the root) that hold no
/// secret, only what a front-end build compiles into the page ([`crate::env_file::build_setting`]).
pub fn committed_in(git: &GitInfo, root: &Path, prefix: &RelPath) -> Vec<Committed> {
    let mut out = Vec::new();
    for p in git.tracked_files() {
        let path = RelPath::from_bytes(p);
        let Some(Some(inside)) = seen_from(prefix, &path) else {
            continue;
        };
        if !read_by_builds(path.file_name()) || !git.in_work_tree(p) {
            continue;
        }
        let inside = String::from_utf8_lossy(inside).into_owned();
        let body = crate::fsx::read_regular(&path.under(root), MAX_SETTINGS_BYTES, false);
        if let Some(key) = body
            .ok()
            .flatten()
            .and_then(|b| crate::env_file::build_setting(&b))
        {
            out.push(Committed { path, inside, key });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_a_front_end_build_reads() {
        for n in [
            ".env",
            ".env.local",
            ".env.production",
            ".ENV.Production.local",
            ".env.staging",
        ] {
            assert!(read_by_builds(n.as_bytes()), "{n}");
        }
        for n in [
            ".env.example",
            ".env.sample.local",
            ".env.bak",
            ".env_old",
            ".env copy",
            ".env~",
            "env.production",
            ".env.backup2",
        ] {
            assert!(!read_by_builds(n.as_bytes()), "{n}");
        }
    }
}
