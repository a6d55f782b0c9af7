//! A GitHub Action's code is committed: the runner runs what `action.yml` names, it builds
//! nothing. actions/checkout keeps its bundle in a tracked `dist/` (`runs: main:
//! dist/index.js`, `post: dist/index.js`) beside its `package.json`, which is exactly what the
//! front-end build-output rule selects elsewhere; deleting it breaks every workflow that uses
//! the action. A selection that is or holds a path an action's `runs` names is reported for
//! review, citing the line, whichever rule selected it; so is a committed `node_modules` the
//! script loads its packages from (AkhileshNS/heroku-deploy commits 144 files of it beside
//! its `index.js`: an action that does not bundle must).

use crate::git::GitInfo;
use crate::references::{RefKind, Reference};
use crate::relpath::{parent_of, RelPath};

/// An action metadata file larger than this is not one (GitHub's own are a few kB).
const MAX_ACTION_BYTES: u64 = 1 << 20;

/// The keys under `runs:` that name a file the runner executes (JavaScript actions; a Docker
/// action's `entrypoint` is a path inside its image, not in the repository).
const RUN_KEYS: &[&str] = &["main", "pre", "post"];

/// What the tracked actions of a repository run: (path from the root, where it is named).
#[derive(Debug, Default)]
pub struct Actions {
    runs: Vec<(RelPath, Reference)>,
}

impl Actions {
    /// Every tracked `action.yml` / `action.yaml` under `root`, read.
    pub fn at(root: &std::path::Path, git: Option<&GitInfo>) -> Actions {
        let mut runs = Vec::new();
        let Some(g) = git else {
            return Actions { runs };
        };
        let actions = g.tracked_named(|n| matches!(n, b"action.yml" | b"action.yaml"));
        for rel in actions {
            let read = crate::fsx::read_regular(&rel.under(root), MAX_ACTION_BYTES, false);
            let Ok(Some(bytes)) = read else { continue };
            let dir = String::from_utf8_lossy(parent_of(rel.as_bytes())).into_owned();
            for (line, excerpt, target) in entry_points(&String::from_utf8_lossy(&bytes)) {
                let joined = if dir.is_empty() {
                    target
                } else {
                    format!("{dir}/{target}")
                };
                let at = crate::docker::ignore::clean(&joined);
                if at.starts_with("../") || at == ".." {
                    continue;
                }
                let r = Reference {
                    file: rel.display(),
                    line,
                    excerpt,
                    kind: RefKind::Runs,
                };
                let at = RelPath::from_bytes(at.as_bytes());
                for modules in committed_modules(g, &at) {
                    if !runs.iter().any(|(p, _)| *p == modules) {
                        let kind = RefKind::ActionModules;
                        runs.push((modules, Reference { kind, ..r.clone() }));
                    }
                }
                runs.push((at, r));
            }
        }
        Actions { runs }
    }

    /// The line that runs something at or under `path`, if any.
    pub fn covering(&self, path: &RelPath) -> Option<Reference> {
        self.runs
            .iter()
            .find(|(at, _)| at.starts_with(path))
            .map(|(_, r)| r.clone())
    }
}

/// The tracked `node_modules` folders the script at `entry` loads packages from: Node looks
/// in `node_modules` beside the script and in every folder above it. A JavaScript action
/// either bundles its packages (`ncc` into `dist/`) or commits them, as GitHub's guide for
/// actions says to; the runner installs nothing.
fn committed_modules(g: &GitInfo, entry: &RelPath) -> Vec<RelPath> {
    let dirs = entry.parent().into_iter().flat_map(|d| d.ancestors());
    dirs.map(|d| d.join(b"node_modules"))
        .filter(|m| g.tracked_under(m) > 0)
        .collect()
}

/// (1-based line, the line trimmed, the path) of each `main`/`pre`/`post` under the
/// top-level `runs:` mapping. Block style, as GitHub's docs and every action write it; a
/// value may be quoted and followed by a comment.
fn entry_points(text: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    let mut in_runs = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if t.trim_start().is_empty() || t.trim_start().starts_with('#') {
            continue;
        }
        if !t.starts_with([' ', '\t']) {
            in_runs = t.split('#').next().is_some_and(|k| k.trim() == "runs:");
            continue;
        }
        let Some((key, value)) = t.trim_start().split_once(':').filter(|_| in_runs) else {
            continue;
        };
        if !RUN_KEYS.contains(&key.trim_matches(['"', '\''])) {
            continue;
        }
        let value = value.split(" #").next().unwrap_or("").trim();
        let value = value.trim_matches(['"', '\'']).trim_start_matches("./");
        if !value.is_empty() && !value.contains("${{") {
            out.push((n + 1, t.trim().to_string(), value.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_runs_names() {
        let yml = "name: Checkout\nruns:\n  using: node24\n  main: dist/index.js\n  post: 'dist/index.js' # cleanup\n  pre: \"./setup/pre.js\"\nbranding:\n  main: not/this.js\n";
        let got = entry_points(yml);
        let paths: Vec<&str> = got.iter().map(|(_, _, p)| p.as_str()).collect();
        assert_eq!(paths, ["dist/index.js", "dist/index.js", "setup/pre.js"]);
        assert_eq!(got[0].0, 4);
        assert_eq!(got[0].1, "main: dist/index.js");
        // A Docker or composite action runs no file of the repository by these keys.
        let docker = "runs:\n  using: docker\n  image: Dockerfile\n  entrypoint: /entry.sh\n";
        assert!(entry_points(docker).is_empty());
        assert!(entry_points("inputs:\n  main:\n    description: x\n").is_empty());
    }
}
