//! Entry points for fuzzing (the `fuzz/` cargo-fuzz crate) and for the corpus test that runs
//! on stable Rust: each takes arbitrary bytes, feeds a parser, and panics only if an invariant
//! breaks. A parser returning an error is fine; crashing, hanging or lying is not.

use crate::docker::DockerIgnore;
use crate::ignorefile::{render, Dialect};
use crate::rules::compile::{builtin_inputs, parse_toml, Overrides, RuleInput, Source};
use crate::rules::schema::ConfigFile;
use crate::rules::RuleSet;

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// A config file: parse and compile it over the built-in rules; on success, every rule's
/// globs must be usable on any path.
pub fn rules(data: &[u8]) {
    let src = Source {
        name: "fuzz.toml".into(),
        text: text(data),
        builtin: false,
        repo_local: true,
        trusted: false,
    };
    let Ok(file) = parse_toml::<ConfigFile>(&src) else {
        return;
    };
    let Ok((mut sources, mut inputs, phases)) = builtin_inputs() else {
        panic!("built-in rules must load")
    };
    let idx = sources.len();
    let overrides = Overrides {
        disable: file.disable.into_iter().map(|d| (d, idx)).collect(),
        keep: file.keep.into_iter().map(|k| (k, idx)).collect(),
    };
    inputs.extend(file.rules.into_iter().map(|def| RuleInput {
        def,
        source: idx,
        default_phase: None,
    }));
    sources.push(src);
    if let Ok(rs) = RuleSet::compile(sources, inputs, phases, overrides) {
        let mut out = Vec::new();
        for p in [
            "a",
            "node_modules",
            "src/x.py",
            ".git",
            ".git/config",
            "a/b/c/d.txt",
        ] {
            rs.matching(&crate::relpath::RelPath::from_bytes(p), false, &mut out);
        }
        // No rule may select `.git` (the compiler refuses such globs).
        for &i in &out {
            assert!(
                rs.rules[i].action == crate::rules::Action::Keep
                    || !rs.path_matches(i, &crate::relpath::RelPath::from_bytes(".git"), true)
                    || !rs.rules[i].enabled
            );
        }
    }
}

/// A `.dockerignore` (first line) and a path (second line): parse, match, and check that
/// re-parsing the cleaned patterns gives the same patterns.
pub fn dockerignore(data: &[u8]) {
    let t = text(data);
    let (ig_text, path) = t.split_once('\u{0}').unwrap_or((&t, "a/b/c"));
    let Ok(ig) = DockerIgnore::parse(ig_text, "fuzz") else {
        return;
    };
    let _ = ig.excluded(path.as_bytes());
    let _ = ig.skips_dir(path.as_bytes());
    // Docker trims a line before cleaning it, so `i /` becomes the pattern `i ` (space kept),
    // which would re-parse as `i`: idempotence holds for patterns without edge whitespace.
    // Likewise a pattern `# x` (from ` # x`: a comment only in the first column) or one that
    // starts with a BOM (stripped only at the start of the file), or a `/` (only the first
    // stage drops a leading slash: `x/../ /a` ends as the pattern `/a`).
    if ig
        .patterns
        .iter()
        .any(|p| p.text.trim() != p.text || p.text.starts_with(['#', '\u{feff}', '/']))
    {
        return;
    }
    let cleaned: String = ig
        .patterns
        .iter()
        .map(|p| format!("{}{}\n", if p.exception { "!" } else { "" }, p.text))
        .collect();
    let again = DockerIgnore::parse(&cleaned, "fuzz").expect("cleaned patterns parse");
    let a: Vec<(&str, bool)> = ig
        .patterns
        .iter()
        .map(|p| (p.text.as_str(), p.exception))
        .collect();
    let b: Vec<(&str, bool)> = again
        .patterns
        .iter()
        .map(|p| (p.text.as_str(), p.exception))
        .collect();
    assert_eq!(a, b, "parsing is idempotent on cleaned patterns");
    assert_eq!(
        ig.excluded(path.as_bytes()),
        again.excluded(path.as_bytes())
    );
}

/// The ignore-file writer: existing text (before NUL) and wanted lines (after): render is
/// idempotent, keeps every user line, and the block holds each wanted line not already there.
pub fn gitignore(data: &[u8]) {
    let t = text(data);
    let (existing, wanted) = t
        .split_once('\u{0}')
        .unwrap_or((&t, "node_modules/\n__pycache__/"));
    let existing = existing
        .replace(crate::ignorefile::BEGIN, "")
        .replace(crate::ignorefile::END, "");
    let wanted: Vec<String> = wanted
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .map(str::to_string)
        .collect();
    for d in [Dialect::Git, Dialect::Docker] {
        let once = render(&existing, &wanted, d);
        assert_eq!(render(&once, &wanted, d), once, "render is idempotent");
        for l in existing.split('\n').filter(|l| !l.trim().is_empty()) {
            assert!(once.split('\n').any(|x| x == l), "user line {l:?} kept");
        }
        for w in &wanted {
            assert!(
                once.lines().any(|x| x.trim() == w)
                    || existing.lines().any(|x| !x.trim().is_empty()),
                "wanted {w:?} written or covered"
            );
        }
    }
}

/// A plan file: loading must refuse or return a plan whose every path stays under the root.
pub fn plan(data: &[u8]) {
    let Ok(p) = serde_json::from_slice::<crate::plan::Plan>(data) else {
        return;
    };
    for e in &p.entries {
        if let Some(r) = e.rel() {
            let _ = crate::plan::check_path(r.as_bytes());
        }
    }
}

/// A size string: parsing never panics, and a plain number is itself.
pub fn size(data: &[u8]) {
    let t = text(data);
    let _ = crate::size::parse(&t);
    let digits = t.trim();
    if let (true, Ok(n)) = (
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        digits.parse::<u64>(),
    ) {
        assert_eq!(crate::size::parse(t.trim()), Ok(n));
    }
}
