//! The step that makes a build output a Dockerfile copies: longhorn-engine's
//! `package/Dockerfile` copies `bin/longhorn`, which `scripts/build` writes with
//! `go build -o bin/longhorn`. Named in the fix of a `copy-source-missing` whose sources git
//! ignores, so the user knows what to run before `docker build`.

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

/// The first script line that writes `path` (root-relative, with a `/` or a `.` in it: a
/// bare `dist` names too much; dokploy's CI writes its root `.env.production` with `cp
/// apps/dokploy/.env.production.example .env.production`), as `file:line` and the line.
pub(super) fn maker(git: &GitInfo, path: &str) -> Option<(String, String)> {
    let path = path.trim_start_matches("./").trim_end_matches('/');
    if !path.contains(['/', '.']) {
        return None;
    }
    git.tracked_files().filter(|p| is_script(p)).find_map(|p| {
        let file = RelPath::from_bytes(p);
        let bytes = crate::fsx::read_regular(&file.under(&git.workdir), MAX_SCRIPT_BYTES, false);
        let text = String::from_utf8_lossy(&bytes.ok()??).into_owned();
        // A workflow's steps may run in a folder of their own (TaskingAI's `mkdir nltk_data`
        // under `working-directory: ${{ env.WORK_DIR }}`, `WORK_DIR: backend`): the path as
        // seen from there too.
        let mut seen_as = vec![path];
        if p.starts_with(b".github/workflows/") {
            let dirs = working_dirs(&text);
            seen_as.extend(
                dirs.iter()
                    .filter_map(|d| path.strip_prefix(d.as_str())?.strip_prefix('/')),
            );
        }
        let (n, line) =
            (text.lines().enumerate()).find(|(_, l)| seen_as.iter().any(|p| writes(l, p)))?;
        // Cut as the reference guard cuts the lines it cites.
        let shown: String = line.trim().chars().take(120).collect();
        Some((format!("{}:{}", file.display(), n + 1), shown))
    })
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
        let whole_end = after.is_none_or(|c| !(c.is_alphanumeric() || "_-./".contains(c)));
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
