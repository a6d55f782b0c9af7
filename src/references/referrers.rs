//! What counts as a reference: the names a candidate is referred to by, how much a line that
//! names it says, and the lines that only list or describe it. Which files refer is
//! [`super::file_kinds`].

use super::file_kinds::{referrer, Referrer};
use super::Candidate;
use crate::relpath::RelPath;

/// How much a reference on `line` of the file `path` to the entry `name` says, least first:
/// 0 in a file that builds, runs or deploys the project (`build: ./backup` in a compose file,
/// a Dockerfile's COPY, a Makefile target, a CI step, a `package.json` script) naming it as a
/// path (`./backup`, `backup/`), 1 in such a file naming the bare word (a Makefile's `.PHONY:
/// … backup …` names a target), 2 on a line that imports or packages it as code ([`imports`]),
/// 3 for the rest (other code, and documents, which count only where they tell the reader to
/// run it). Where a path is named in several places, the plan cites the first of the
/// strongest: docker-compose-training's `backup/` is a service's build context, which says
/// more than an `api/index.js` line naming a queue `backup: 'backup_product'`;
/// sysadmin-backup2's `backup/` is the package `core/app.py` imports (`from backup import
/// RSync, Tar`), which says more than a sample config's comment `# filename:
/// /var/log/backup.log`. Which line is cited changes no verdict.
pub(super) fn weight(path: &[u8], line: &str, name: &[u8]) -> u8 {
    let file = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    let builds = crate::docker::names::is_build_file_name(file)
        || lower.starts_with(b"dockerfile")
        || matches!(
            lower.as_slice(),
            b"makefile" | b"justfile" | b"procfile" | b"package.json" | b".gitlab-ci.yml"
        )
        || lower.ends_with(b".mk")
        || is_compose_variant(&lower)
        || path.starts_with(b".github/workflows/");
    // An import in a guide's code block is an example; a settings file's app list loads it.
    let docs = referrer(path) == Some(Referrer::Docs);
    let loads = (imports(line) && !docs) || installs_app(&lower, line, name);
    // Of documents, a README is what users follow (kohya_ss' `gui.bat --listen …`); another
    // guide, or an assistant's notes (`AGENTS.md`), is cited only where nothing else says it.
    let readme = lower.starts_with(b"readme");
    match (builds, loads) {
        (true, _) if names_as_path(line.as_bytes(), name) => 0,
        (true, _) => 1,
        (false, true) => 2,
        (false, false) if readme || !docs => 3,
        (false, false) => 4,
    }
}

/// A line of a Django settings file (`settings.py`, `settings/base.py`…) that installs the app
/// `name`: `'backups',` or `'backups.apps.BackupsConfig',` in `INSTALLED_APPS`.
fn installs_app(file: &[u8], line: &str, name: &[u8]) -> bool {
    let settings = file.ends_with(b".py") && (file.starts_with(b"settings") || file == b"base.py");
    let code = line.split(" #").next().unwrap_or(line);
    let t = code.trim().trim_end_matches(',');
    let Some(q) = t.chars().next().filter(|c| *c == '\'' || *c == '"') else {
        return false;
    };
    let inner = t[1..].strip_suffix(q).unwrap_or("");
    let app = inner.split(".apps.").next().unwrap_or("");
    settings && app.as_bytes() == name
}

/// A compose file under another name than Compose reads by default, passed with `-f`:
/// `docker-compose.prod.yml`, `compose.dev.yaml`.
fn is_compose_variant(lower: &[u8]) -> bool {
    (lower.starts_with(b"docker-compose") || lower.starts_with(b"compose."))
        && (lower.ends_with(b".yml") || lower.ends_with(b".yaml"))
}

/// Whether `line` names `name` as a path: after a `/` (`./backup`, `data/backup`) or before
/// one (`backup/`), the whole name (`./backup_tool` names no `backup/`).
fn names_as_path(line: &[u8], name: &[u8]) -> bool {
    if name.is_empty() {
        return false;
    }
    (line.windows(name.len()).enumerate())
        .filter(|(_, w)| *w == name)
        .any(|(i, _)| {
            let (before, after) = (i.checked_sub(1).map(|j| line[j]), line.get(i + name.len()));
            let open = before.is_none_or(|b| !is_word(b) && b != b'-' && b != b'.');
            let close = after.is_none_or(|&b| !is_word(b) && b != b'-');
            (before == Some(b'/') && close) || (after == Some(&b'/') && open)
        })
}

/// A line that loads code by name or declares a package: Python's `from x import y` and
/// `import x`, JavaScript's `import … from`, `require(…)` and `import(…)`, Go's import lines,
/// and setuptools' `packages=[…]`.
pub(super) fn imports(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("from ")
        || t.starts_with("import ")
        || t.starts_with("export ") && t.contains(" from ")
        || t.contains("require(")
        || t.contains("import(")
        || t.starts_with("packages")
        || t.contains("packages=")
}

/// One name a candidate is referred to by. `delimited`: the text carries its own boundary
/// in front (a quote, a `/`, a `.`), so what precedes it does not matter.
pub(super) struct Key {
    pub(super) text: String,
    pub(super) delimited: bool,
    /// The text names the directory that holds the candidate ([`names_holder`]).
    pub(super) holder: bool,
}

/// The names a candidate is referred to by.
pub(super) fn keys(c: &Candidate) -> Vec<Key> {
    let (named, is_dir) = c.named();
    let name = String::from_utf8_lossy(named.file_name()).into_owned();
    let path = String::from_utf8_lossy(named.as_bytes()).into_owned();
    let plain = |text: String| Key {
        text,
        delimited: false,
        holder: false,
    };
    let delimited = |text: String| Key {
        text,
        delimited: true,
        holder: false,
    };
    // A file or folder named `~` (what `cp x "~"` or `mkdir "~"` leaves: deckchatbot commits
    // a Dockerfile's copy as `apps/ai-service/~`) is never named by `~`, which shells and
    // `expanduser("~")` read as the home directory (`~/.poetry_cache`): only by its path.
    if name == "~" {
        return (path != name).then(|| plain(path)).into_iter().collect();
    }
    let mut k = vec![plain(name.clone())];
    if path != name {
        k.push(plain(path));
    }
    if c.within.is_some() {
        // The child by its whole path (`backup/docker-compose.yml`), never by its name alone.
        k.push(plain(
            String::from_utf8_lossy(c.path.as_bytes()).into_owned(),
        ));
    }
    let holder = crate::relpath::parent_of(c.path.as_bytes());
    let holder_name = holder.rsplit(|&b| b == b'/').next().unwrap_or(holder);
    // Only for launchers: a directory of launchers is shipped whole, while a report or backup
    // file is not needed because a script writes its directory (`ROOT / "test_reports"`).
    let launcher = [".bat", ".cmd"]
        .iter()
        .any(|e| name.to_ascii_lowercase().ends_with(e));
    if launcher && c.within.is_none() && !holder.is_empty() && !generic(holder_name) {
        for text in [holder_name, holder] {
            let text = String::from_utf8_lossy(text).into_owned();
            if !k.iter().any(|k| k.text == text) {
                k.push(Key {
                    text,
                    delimited: false,
                    holder: true,
                });
            }
        }
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    if is_dir {
        // A Python package or Django app: `import backup`, `from backup.x`, `'backup'`.
        k.push(plain(format!("'{name}'")));
        k.push(plain(format!("\"{name}\"")));
    } else if ext == "py" {
        k.push(plain(format!("import {stem}")));
        k.push(plain(format!("from {stem} ")));
        // Run as a module or served as an app: `python -m hello`, `flask --app hello run`,
        // `FLASK_APP=hello`, `gunicorn hello:app`, `uvicorn hello:app` (a root `hello.py`
        // is then the program).
        for pre in ["-m ", "--app ", "--app=", "FLASK_APP="] {
            k.push(plain(format!("{pre}{stem}")));
        }
        k.push(plain(format!("{stem}:")));
        // A module of a package: `from app.util_old import x`, `from .util_old import x`,
        // `import app.util_old`.
        k.push(delimited(format!(".{stem}")));
    } else if matches!(
        ext,
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "vue" | "svelte"
    ) {
        // An import names a module without its extension: `from './utils_old'`.
        for q in ['\'', '"', '`'] {
            k.push(delimited(format!("/{stem}{q}")));
        }
    }
    k
}

/// Directory names too common for a mention to mean that directory: `cd scripts`,
/// `os.path.join(ROOT, "tests")`.
fn generic(name: &[u8]) -> bool {
    const GENERIC: &[&str] = &[
        "scripts", "script", "bin", "tools", "src", "lib", "test", "tests", "docs", "doc", "app",
        "utils", "util", "build", "dist", "data", "config", "examples", "misc", "old", "tmp",
    ];
    GENERIC
        .iter()
        .any(|g| g.as_bytes().eq_ignore_ascii_case(name))
}

/// Whether the mention at `at..end` of `line` (in the script `rel`) names the directory that
/// holds the candidate `c` as a whole: IOPaint's `scripts/pack.sh` sets
/// `USER_SCRIPTS=user_scripts` and ships `cp ${USER_SCRIPTS}/* dist`, the Windows launchers
/// of its installer. Only scripts count (a `package.json` key says nothing of a directory),
/// only the directory itself (`user_scripts/win_start.bat` names another file), and only
/// where the mention, read from the script's directory or the root, is that directory. The
/// mention is a value, not prose: quoted, assigned, or an argument on a line that is no
/// comment (`# the user_scripts ...`).
pub(super) fn names_holder(
    rel: &RelPath,
    line: &str,
    at: usize,
    end: usize,
    c: &Candidate,
) -> bool {
    let (pat, after) = (&line[at..end], &line[end..]);
    let t = line.trim_start();
    let comment = ["#", "REM ", "rem ", "::", "//"]
        .iter()
        .any(|m| t.starts_with(m));
    let value = at > 0 && b"\"'= ".contains(&line.as_bytes()[at - 1]);
    let name = String::from_utf8_lossy(rel.file_name()).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let script = matches!(
        ext,
        "sh" | "bash" | "zsh" | "bat" | "cmd" | "ps1" | "vbs" | "py" | "mk"
    ) || matches!(name.as_str(), "makefile" | "justfile");
    // `user_scripts/win_start.bat` names another file; `helpers.log` another name.
    let into_a_file = after
        .strip_prefix('/')
        .is_some_and(|r| r.starts_with(|ch: char| ch.is_alphanumeric() || "._-".contains(ch)));
    let longer_name = after
        .strip_prefix(['.', '-'])
        .is_some_and(|r| r.starts_with(|ch: char| ch.is_alphanumeric()));
    let holder = crate::relpath::parent_of(c.path.as_bytes());
    let base = crate::relpath::parent_of(rel.as_bytes());
    let from_script = [base, b"/", pat.as_bytes()].concat();
    let read = pat.as_bytes() == holder || (!base.is_empty() && from_script == holder);
    script && !comment && value && !into_a_file && !longer_name && read
}

pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_named_tilde_is_named_only_by_its_path() {
        let texts = |p: &str, is_dir: bool| {
            let path = RelPath::from_bytes(p.as_bytes());
            let c = Candidate {
                path: &path,
                is_dir,
                within: None,
            };
            keys(&c).into_iter().map(|k| k.text).collect::<Vec<_>>()
        };
        assert_eq!(texts("apps/ai-service/~", false), ["apps/ai-service/~"]);
        assert!(texts("~", true).is_empty());
        assert_eq!(texts("notes.txt~", false)[0], "notes.txt~");
    }

    #[test]
    fn import_lines_weigh_between_build_files_and_mentions() {
        for line in [
            "from backup import RSync, Tar",
            "    import backup.tar as tar",
            "import { save } from './backup/index.js';",
            "export { save } from './backup'",
            "const b = require('./backup');",
            "const b = await import('./backup/x.js');",
            "    packages=['backup'],",
            "packages = [\"backup\"]",
        ] {
            assert_eq!(weight(b"core/app.py", line, b"backup"), 2, "{line}");
        }
        for line in [
            "# filename: /var/log/backup.log",
            "context.args = [\"backup\"]",
        ] {
            assert_eq!(weight(b"core/app.py", line, b"backup"), 3, "{line}");
        }
        assert_eq!(
            weight(b"docker-compose.yml", "build: ./backup", b"backup"),
            0
        );
        let prod = b"docker-compose.prod.yml";
        assert_eq!(weight(prod, "context: ./backup", b"backup"), 0);
        assert_eq!(weight(b"Makefile", "\tcp -r backup/ /srv", b"backup"), 0);
        assert_eq!(weight(b"Makefile", "\t./backup_tool/run", b"backup"), 1);
        assert_eq!(weight(b"Makefile", "\tcp x my-backup/", b"backup"), 1);
        // A target's name says less than a build context's path.
        let phony = ".PHONY: help build up down backup test";
        assert_eq!(weight(b"Makefile", phony, b"backup"), 1);
        assert_eq!(weight(b"Makefile", "import backup", b"backup"), 1);
        // An import in a guide's code block shows how (a guide's mention: below a README's);
        // an installed app is loaded.
        let guide = b"GUIA_FRONT/45_sistema_backups.md";
        assert_eq!(
            weight(guide, "import { B } from '../types/backups';", b"backups"),
            4
        );
        for (file, line) in [
            (
                &b"core/settings.py"[..],
                "    'backups.apps.BackupsConfig',  # automatic",
            ),
            (b"mysite/settings/base.py", "    \"backups\","),
        ] {
            assert_eq!(weight(file, line, b"backups"), 2, "{line}");
        }
        assert_eq!(weight(b"core/views.py", "    'backups',", b"backups"), 3);
        let run = "gui.bat --listen 0.0.0.0";
        assert_eq!(weight(b"README.md", run, b"gui.bat"), 3);
        assert_eq!(weight(b"AGENTS.md", run, b"gui.bat"), 4);
        assert_eq!(weight(b"docs/install.md", run, b"gui.bat"), 4);
        assert_eq!(
            weight(b"core/settings.py", "    'backups_old',", b"backups"),
            3
        );
    }
}
