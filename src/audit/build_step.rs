//! The step that makes a build output a Dockerfile copies: longhorn-engine's
//! `package/Dockerfile` copies `bin/longhorn`, which `scripts/build` writes with
//! `go build -o bin/longhorn`. Named in the fix of a `copy-source-missing` whose sources git
//! ignores, so the user knows what to run before `docker build`; no finding at all where that
//! script builds the image itself.

use std::path::Path;

use super::build::View;
use crate::docker::copy_source::CopySource;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// A build script is read up to this size.
const MAX_SCRIPT_BYTES: u64 = 256 << 10;

/// What writes a path on a line of a script: an output flag or a copy into it.
const WRITERS: &[&str] = &[
    "-o ",
    "-o=",
    "--output ",
    "--output=",
    "--out-dir ",
    "> ",
    "cp ",
    "mv ",
    "mkdir ",
];

/// Folders whose files without an extension are scripts (longhorn-engine's `scripts/build`).
const SCRIPT_DIRS: &[&[u8]] = &[b"scripts", b"script", b"hack", b"ci", b"tools"];

/// Whether the tracked file `p` is a script a build step lives in: a Makefile, a shell
/// script, a justfile, `package.json`'s scripts, a CI workflow.
fn is_script(p: &[u8]) -> bool {
    let rel = RelPath::from_bytes(p);
    let name = String::from_utf8_lossy(rel.file_name()).to_ascii_lowercase();
    let workflow =
        p.starts_with(b".github/workflows/") && (name.ends_with(".yml") || name.ends_with(".yaml"));
    let in_scripts = !name.contains('.')
        && (rel.parent_name())
            .is_some_and(|d| SCRIPT_DIRS.contains(&d.to_ascii_lowercase().as_slice()));
    workflow
        || in_scripts
        || matches!(
            name.as_str(),
            "makefile" | "gnumakefile" | "justfile" | "package.json"
        )
        || name.ends_with(".mk")
        || name.ends_with(".sh")
}

/// A script line that makes a build output: where (`file:line`), the line, and whether the
/// same script runs `docker build` on the context too (uptime-kuma's `extra/uptime-kuma-push/
/// package.json`: `npm run build-all && docker buildx build … .`, `build-all` writing
/// `./build/…`): the output is then made every time the image is.
pub(super) struct Step {
    pub at: String,
    pub line: String,
    pub builds: bool,
}

/// The tracked scripts a build step may live in, read once for every source a build lacks
/// (each source used to read them all again), and what they make.
pub(super) struct Steps<'g> {
    git: &'g GitInfo,
    scripts: std::cell::OnceCell<Vec<(RelPath, String)>>,
}

impl<'g> Steps<'g> {
    pub(super) fn new(git: &'g GitInfo) -> Steps<'g> {
        Steps {
            git,
            scripts: std::cell::OnceCell::new(),
        }
    }

    fn scripts(&self) -> &[(RelPath, String)] {
        self.scripts.get_or_init(|| {
            let g = self.git;
            (g.tracked_files().filter(|p| is_script(p)))
                .filter_map(|p| {
                    let file = RelPath::from_bytes(p);
                    let read =
                        crate::fsx::read_regular(&file.under(&g.workdir), MAX_SCRIPT_BYTES, false);
                    let text = String::from_utf8_lossy(&read.ok()??).into_owned();
                    Some((file, text))
                })
                .collect()
        })
    }

    /// The script line that makes one of the `missing` sources, as the fix names it.
    pub(super) fn made_by(&self, v: &View<'_>, missing: &[&CopySource]) -> Option<String> {
        missing.iter().find_map(|s| {
            let path = String::from_utf8(from_root(v, self.git, s)?).ok()?;
            let step = self.maker(&path, &v.b.context)?;
            Some(format!(" (`{}` makes `{path}`: `{}`)", step.at, step.line))
        })
    }

    /// Whether a script makes every missing source and runs `docker build` on this context
    /// itself ([`Step::builds`]): nothing for the user to do.
    pub(super) fn build_them(&self, v: &View<'_>, missing: &[&CopySource]) -> bool {
        missing.iter().all(|s| {
            let path = from_root(v, self.git, s).and_then(|p| String::from_utf8(p).ok());
            path.and_then(|p| self.maker(&p, &v.b.context))
                .is_some_and(|step| step.builds)
        })
    }

    /// The first script line that writes `path` (root-relative, with a `/` or a `.` in it: a
    /// bare `dist` names too much; dokploy's CI writes its root `.env.production` with `cp
    /// apps/dokploy/.env.production.example .env.production`), or writes into it. A
    /// Makefile's, justfile's or package.json's line may name it from the folder it runs in.
    fn maker(&self, path: &str, context: &Path) -> Option<Step> {
        let path = path.trim_start_matches("./").trim_end_matches('/');
        if !path.contains(['/', '.']) {
            return None;
        }
        let root = &self.git.workdir;
        self.scripts().iter().find_map(|(file, text)| {
            let seen_as = seen_as(root, file, text, path);
            let (n, line) =
                (text.lines().enumerate()).find(|(_, l)| seen_as.iter().any(|p| writes(l, p)))?;
            let bases = crate::docker::scripted::bases(root, &file.display());
            let builds = (crate::docker::scripted::commands(text).iter()).any(|(_, c)| {
                (bases.iter()).any(|b| crate::docker::compose::normalize(&b.join(c)) == context)
            });
            // Cut as the reference guard cuts the lines it cites.
            let line: String = line.trim().chars().take(120).collect();
            Some(Step {
                at: format!("{}:{}", file.display(), n + 1),
                line,
                builds,
            })
        })
    }
}

/// How the script `file` may write `path` (from the root): as it is; from a workflow step's
/// own folder (TaskingAI's `mkdir nltk_data` under `working-directory: ${{ env.WORK_DIR }}`,
/// `WORK_DIR: backend`); from the folder a Makefile's or package.json's commands run in
/// (`./build`: a bare `build` names too much again).
fn seen_as(root: &Path, file: &RelPath, text: &str, path: &str) -> Vec<String> {
    let mut seen = vec![path.to_string()];
    if file.as_bytes().starts_with(b".github/workflows/") {
        seen.extend(working_dirs(text).iter().filter_map(|d| {
            Some(
                path.strip_prefix(d.as_str())?
                    .strip_prefix('/')?
                    .to_string(),
            )
        }));
    }
    let bases = crate::docker::scripted::bases(root, &file.display());
    let own = file
        .parent()
        .filter(|d| bases.len() == 1 && bases[0] == d.under(root));
    if let Some(r) = own.and_then(|d| path.strip_prefix(&d.display())?.strip_prefix('/')) {
        if r.contains(['/', '.']) {
            seen.push(r.to_string());
        }
        seen.push(format!("./{r}"));
    }
    seen
}

/// A literal source as a path from the repository's top; `None` for one outside it or with a
/// variable in it.
pub(super) fn from_root(v: &View<'_>, g: &GitInfo, s: &CopySource) -> Option<Vec<u8>> {
    let clean = s.literal()?;
    let src = RelPath::from_bytes(clean.trim_end_matches('/').as_bytes());
    let full = src.under(&v.b.context);
    let r = full
        .strip_prefix(&g.workdir)
        .ok()?
        .as_os_str()
        .as_encoded_bytes();
    let inside = !r.is_empty() && !r.split(|&b| b == b'/').any(|c| c == b"..");
    inside.then(|| r.to_vec())
}

/// The folders a workflow's steps run in (`working-directory:`, a `${{ env.NAME }}` in it
/// read from the file's `NAME: value`), as paths from the root.
fn working_dirs(text: &str) -> Vec<String> {
    let value = |l: &str, key: &str| {
        let l = l.trim();
        let v = (l.strip_prefix("- ").unwrap_or(l)).strip_prefix(key)?;
        let v = v.strip_prefix(':')?.trim();
        Some(v.trim_matches(['"', '\'']).to_string())
    };
    let env = |name: &str| text.lines().find_map(|l| value(l, name));
    (text.lines())
        .filter_map(|l| value(l, "working-directory"))
        .filter_map(|d| {
            let d = match d.strip_prefix("${{").and_then(|e| e.strip_suffix("}}")) {
                Some(e) => env(e.trim().strip_prefix("env.")?)?,
                None => d,
            };
            let d = d.trim_start_matches("./").trim_end_matches('/');
            let odd = d.contains(['$', ' ']) || d.split('/').any(|c| matches!(c, "" | "." | ".."));
            (!odd).then(|| d.to_string())
        })
        .collect()
}

/// Whether `line` writes `path`: it names it whole (`./bin/longhorn`, not
/// `/usr/local/bin/longhorn`), after one of [`WRITERS`].
fn writes(line: &str, path: &str) -> bool {
    line.match_indices(path).any(|(at, _)| {
        let before = line[..at].strip_suffix("./").unwrap_or(&line[..at]);
        let after = line[at + path.len()..].chars().next();
        let whole_start = before.is_empty() || before.ends_with([' ', '=', '"', '\'']);
        // Into it, too: `go build -o ./build/app` makes `build/`.
        let whole_end =
            after.is_none_or(|c| c == '/' || !(c.is_alphanumeric() || "_-.".contains(c)));
        whole_start && whole_end && WRITERS.iter().any(|w| before.contains(w))
    })
}

#[cfg(test)]
mod tests {
    use super::{working_dirs, writes};

    #[test]
    fn a_workflows_working_directories_and_what_mkdir_makes() {
        let wf = "env:\n  WORK_DIR: backend\ndefaults:\n  run:\n    working-directory: ${{ env.WORK_DIR }}\njobs:\n  b:\n    steps:\n      - run: |\n          mkdir nltk_data\n      - working-directory: './web/'\n        run: npm run build\n      - working-directory: ../x\n      - working-directory: ${{ github.workspace }}\n";
        assert_eq!(working_dirs(wf), ["backend", "web"]);
        assert!(writes("mkdir -p nltk_data", "nltk_data"));
        assert!(!writes("ls nltk_data", "nltk_data"));
    }

    #[test]
    fn a_line_writes_a_path_it_names_whole_after_an_output_flag_or_a_copy() {
        let go = "go build -o bin/longhorn -tags netgo -ldflags \"$LINKFLAGS\"";
        assert!(writes(go, "bin/longhorn"));
        assert!(writes("cp target/app.jar ./bin/app.jar", "bin/app.jar"));
        // Into it: the folder is made with the file.
        assert!(writes("go build -o ./build/push-amd64 push.go", "./build"));
        assert!(!writes("go build -o ./builder/push push.go", "./build"));
        assert!(writes(
            "tsc --outDir x && cp -r x dist/server",
            "dist/server"
        ));
        // Named inside a longer path, or only read.
        assert!(!writes(
            "cp /usr/local/bin/longhorn-instance-manager ./bin",
            "bin/longhorn"
        ));
        assert!(!writes("go build -o bin/longhorn-x", "bin/longhorn"));
        assert!(!writes("./bin/longhorn --version", "bin/longhorn"));
        assert!(!writes("rm -rf bin/longhorn", "bin/longhorn"));
        // A root file by its name, not inside the template's path.
        let cp = "cp apps/dokploy/.env.production.example .env.production";
        assert!(writes(cp, ".env.production"));
        assert!(!writes(
            "cp .env.production.example apps/.env.production",
            ".env.production"
        ));
    }
}
