//! `.gitignore` lines that catch what belongs in git, where untracking (the usual fix of
//! `tracked-ignored`) would be wrong. A bare directory name that also ignores the project's own
//! code: ai-trading-v2 ignores `data/` under "Local data directories", and so its Python
//! packages `backend/app/data/` and `backend/app/ml/data/` too. The files committed there stay
//! tracked, but a new module beside them is left out of every `git add .`: the line is too
//! broad. And a line that catches a template committed for others to copy (`.env*` and
//! `.env.example`).

use crate::git::check_ignore::Decider;
use crate::git::GitInfo;
use crate::relpath::RelPath;

/// Extensions of program source: what a project writes, never generates into a data folder.
const SOURCE: &[&str] = &[
    "py", "pyi", "js", "mjs", "cjs", "ts", "tsx", "jsx", "vue", "svelte", "go", "rs", "java", "kt",
    "scala", "rb", "php", "cs", "c", "h", "cc", "cpp", "hpp", "swift", "dart",
];

/// The fix of its own for line `d`, given the tracked files it ignores (`files`) and the
/// entries shown for them (`shown`), where the usual one (untrack, or re-include) is wrong.
pub(super) fn line_fix(
    git: &GitInfo,
    d: &Decider,
    files: &[&[u8]],
    shown: &[(&[u8], usize)],
    inputs: &super::build_inputs::BuildInputs,
) -> Option<String> {
    let base = d.source.strip_suffix(".gitignore").unwrap_or("");
    (code_fix(d, base, files))
        .or_else(|| test_fix(git, d, base, files))
        .or_else(|| super::editor_files::shared_fix(d, base, files))
        .or_else(|| super::build_inputs::input_fix(d, base, shown, inputs))
        .or_else(|| super::build_inputs::definition_fix(d, base, shown))
        .or_else(|| template_fix(git, d, base, shown))
}

/// The fix for line `d` where every tracked file it ignores (`shown`, each a file) is a
/// template to copy (AgentGPT's `.env*` ignores its `.env.example`): a template is committed
/// for others to copy, so untracking it is no fix; re-including it (below the line) is. `base`
/// is the ignore file's directory (empty or ending in `/`).
pub(super) fn template_fix(
    git: &GitInfo,
    d: &Decider,
    base: &str,
    shown: &[(&[u8], usize)],
) -> Option<String> {
    let again = re_includable(d, base, shown, |p| {
        super::secret_names::is_template(RelPath::from_bytes(p).file_name()) || in_scaffold(git, p)
    })?;
    let (it, them) = match shown.len() {
        1 => ("it", "a template"),
        _ => ("them", "templates"),
    };
    Some(format!(
        "re-include {it} below line {} ({again}): {them} committed for others to copy, which git keeps tracking, but the line leaves a new one (or {it}, once removed and added again) out of `git add`",
        d.line
    ))
}

/// Whether `path` lies in a project template a generator copies (create-t3-app's
/// `cli/template/base/next-env.d.ts`, wagtail's `project_template/`): below a folder named
/// `template` or `…_template`, in a folder there that holds a project's manifest
/// (`package.json`, `pyproject.toml`…). Not `templates/` (Django's and Jinja's pages), nor a
/// folder of image templates a UI test matches against (testhub's `Template/common/*.png`).
fn in_scaffold(git: &GitInfo, path: &[u8]) -> bool {
    const MANIFESTS: &[&str] = &[
        "package.json",
        "pyproject.toml",
        "setup.py",
        "manage.py",
        "go.mod",
        "Cargo.toml",
        "composer.json",
        "Gemfile",
    ];
    let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    let is_template = |d: &[u8]| {
        let d = d.to_ascii_lowercase();
        d == b"template" || d.ends_with(b"_template") || d.ends_with(b"-template")
    };
    let Some(at) = dirs.iter().position(|d| is_template(d)) else {
        return false;
    };
    (at..dirs.len()).any(|i| {
        let dir = RelPath::from_bytes(dirs[..=i].join(&b'/'));
        git.tracked_child_named(&dir, MANIFESTS).is_some()
    })
}

/// The `!` lines that re-include `shown` below line `d` (relative to the ignore file's
/// directory `base`), as a list for a fix: where each is a file that `wanted` says belongs in
/// git and that the line ignores by its name (`.env*`, `*.sql`), not a folder above it
/// (`config/`: git never looks inside an ignored folder, so no `!` line could bring such a
/// file back). `None` otherwise.
pub(super) fn re_includable(
    d: &Decider,
    base: &str,
    shown: &[(&[u8], usize)],
    mut wanted: impl FnMut(&[u8]) -> bool,
) -> Option<String> {
    let last = d.pattern.rsplit('/').next().unwrap_or(&d.pattern);
    let by_name = globset::Glob::new(last).ok()?.compile_matcher();
    let all = !shown.is_empty()
        && (shown.iter()).all(|&(p, n)| {
            let name = crate::relpath::RelPath::from_bytes(p).file_name().to_vec();
            n == 0 && by_name.is_match(&*String::from_utf8_lossy(&name)) && wanted(p)
        });
    if !all {
        return None;
    }
    let again: Vec<String> = (shown.iter())
        .map(|&(p, _)| {
            let p = String::from_utf8_lossy(p);
            format!("`!/{}`", p.strip_prefix(base).unwrap_or(&p))
        })
        .collect();
    Some(crate::docker::names::and_list(&again))
}

/// The fix for line `d` where the tracked files it ignores (`files`) are all program source
/// inside directories of its name, none of them the top-level one the line may have meant,
/// and the line is a bare name (`data/`, `lib`): anchor it to the top-level folder (`base` is
/// the ignore file's directory, empty or ending in `/`), or re-include the first such
/// directory. `config.py` ignoring three `config.py` files is another matter: those may be
/// the secrets the line was written for.
pub(super) fn code_fix(d: &Decider, base: &str, files: &[&[u8]]) -> Option<String> {
    let name = d.pattern.strip_suffix('/').unwrap_or(&d.pattern);
    let bare = !name.is_empty()
        && !name.contains(['/', '*', '?', '[', '\\', '!'])
        && !d.pattern.starts_with('!');
    if !bare {
        return None;
    }
    // Each file's directory of that name, below the top, as a `!` line there names it.
    let dir_of = |f: &&[u8]| -> Option<String> {
        let rel = f.strip_prefix(base.as_bytes()).unwrap_or(f);
        let mut parts: Vec<&[u8]> = rel.split(|&b| b == b'/').collect();
        let file = parts.pop().unwrap_or_default();
        let source = is_source(file);
        let at = parts.iter().position(|p| *p == name.as_bytes())?;
        (source && at > 0).then(|| String::from_utf8_lossy(&parts[..=at].join(&b'/')).into_owned())
    };
    let first = dir_of(files.first()?)?;
    if !files[1..].iter().all(|f| dir_of(f).is_some()) {
        return None;
    }
    Some(format!(
        "these are the project's source files, and a new one beside them is left out of `git add`: if line {} meant only the top-level folder, write `/{}` there; else re-include the code below it (`!/{first}/`)",
        d.line, d.pattern
    ))
}

/// The fix for line `d` where every tracked file it ignores (`files`) is one of the project's
/// tests: reconciliation-platform-378's `.gitignore` has a "TEST FILES" block (`__tests__/`,
/// `**/__tests__/`, `*.spec.ts`) over its 21 committed tests. Untracking them, the usual fix,
/// would take the tests out of git; the lines are what is wrong, each one that ignores them
/// (git names only the last). `base` is the ignore file's directory (empty or ending in `/`).
pub(super) fn test_fix(git: &GitInfo, d: &Decider, base: &str, files: &[&[u8]]) -> Option<String> {
    let all = !files.is_empty() && files.iter().all(|f| is_test_file(f));
    // A line written for something else that happens to lie among tests (anything-llm's
    // `__tests__/**/models`, for models a test run downloads) keeps the usual fix.
    let last = d
        .pattern
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let about_tests = ["test", "spec"]
        .iter()
        .any(|w| last.to_ascii_lowercase().contains(w));
    if !all || !about_tests || d.pattern.starts_with('!') {
        return None;
    }
    let text = crate::fsx::read_text(&git.workdir.join(&d.source), 1 << 20)?;
    let rel: Vec<&[u8]> = (files.iter())
        .map(|f| f.strip_prefix(base.as_bytes()).unwrap_or(f))
        .collect();
    let mut lines = crate::ignorefile::lines_ignoring(&git.workdir.join(base), &text, &rel);
    if !lines.contains(&d.line) {
        lines = vec![d.line];
    }
    // `test_*.py` may have been written for one-off scripts at the top (which the plan
    // deletes), and ignore `backend/tests/test_api.py` by accident.
    let name_only = !d.pattern.trim_end_matches('/').contains('/') && !d.pattern.starts_with("**");
    let deep = rel.iter().all(|f| f.contains(&b'/'));
    let anchor = (lines.len() == 1 && name_only && deep).then(|| format!("/{}", d.pattern));
    Some(delete_lines_fix(&text, &lines, anchor))
}

/// "delete lines 3 and 4 (`…`, `…`): …", quoting each of `lines` (1-based) of `text`, with
/// the anchored form of a lone line (`anchor`) as the other way.
fn delete_lines_fix(text: &str, lines: &[usize], anchor: Option<String>) -> String {
    let all: Vec<&str> = text.lines().collect();
    let quoted: Vec<String> = (lines.iter())
        .map(|&n| format!("`{}`", all.get(n - 1).map_or("", |l| l.trim())))
        .collect();
    let numbers: Vec<String> = lines.iter().map(ToString::to_string).collect();
    let (which, them) = match lines.len() {
        1 => (format!("line {}", numbers[0]), "it ignores"),
        _ => (
            format!("lines {}", crate::docker::names::and_list(&numbers)),
            "each ignores",
        ),
    };
    let anchor = anchor.map_or(String::new(), |a| {
        format!("; if it meant only those at the top, write `{a}` instead")
    });
    format!(
        "delete {which} ({}): {them} the project's tests, which belong in git; those committed stay tracked, but a new one is left out of `git add`{anchor}",
        quoted.join(", ")
    )
}

/// Whether the tracked file `path` is a test its language's runner collects: jest's and
/// vitest's names (`*.test.ts`, `*.spec.js`, anything in `__tests__/`), Go's `*_test.go`,
/// pytest's `test_*.py` and `*_test.py` in a test folder (at the root they are the
/// one-off scripts `root-standalone-tests` deletes), JUnit's `*Test.java` under `src/test/`,
/// RSpec's `*_spec.rb` under `spec/`.
pub(super) fn is_test_file(path: &[u8]) -> bool {
    let rel = RelPath::from_bytes(path);
    let name = String::from_utf8_lossy(rel.file_name()).into_owned();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    let dirs: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    let under = |d: &[u8]| dirs.contains(&d);
    match ext {
        "py" => {
            (stem.starts_with("test_") || stem.ends_with("_test"))
                && (under(b"tests") || under(b"test"))
        }
        "go" => stem.ends_with("_test"),
        "java" | "kt" => {
            (stem.ends_with("Test") || stem.ends_with("Tests"))
                && dirs.windows(2).any(|w| w == [&b"src"[..], b"test"])
        }
        "rb" => stem.ends_with("_spec") && under(b"spec"),
        _ => crate::js_tests::test_name(&rel),
    }
}

/// Whether the file `name` is program source by its extension (an empty `__init__.py` is a
/// package, not a placeholder).
pub(super) fn is_source(name: &[u8]) -> bool {
    let ext = (name.iter().rposition(|&b| b == b'.')).map(|i| &name[i + 1..]);
    ext.is_some_and(|e| SOURCE.iter().any(|s| s.as_bytes().eq_ignore_ascii_case(e)))
}
