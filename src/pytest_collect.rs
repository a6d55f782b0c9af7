//! Whether pytest collects a Python file as a test module: the reference guard's answer for a
//! `*_test.py` a rule takes for a hand-run script. pytest's default `python_files` is
//! `test_*.py *_test.py`, so beside `test_*.py` files a `*_test.py` that defines tests runs
//! with the suite unless the project's pytest config names other patterns (gpt-researcher's
//! `python_files = "test_*.py"` leaves its `tests/research_test.py`, a script one edits and
//! runs by hand, out).
//!
//! The config is the first of `pytest.toml`, `.pytest.toml`, `pytest.ini`, `.pytest.ini`,
//! `pyproject.toml` with a `[tool.pytest…]` table, `tox.ini` with `[pytest]`, `setup.cfg` with
//! `[tool:pytest]` at the root, as pytest looks for them in the directory it starts in; its
//! `testpaths`, where set, are where a bare `pytest` looks.

use std::path::Path;

use crate::references::{RefKind, Reference};
use crate::relpath::RelPath;

/// A config file is read up to this size.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// pytest's own default.
const DEFAULT: &[&str] = &["test_*.py", "*_test.py"];

/// What pytest takes for test modules here.
#[derive(Debug, Clone)]
pub struct Collection {
    /// `python_files`, compiled once for every file asked about.
    globs: globset::GlobSet,
    /// The config line that names them (file, 1-based line, the line); `None`: the default.
    set_at: Option<(String, usize, String)>,
    /// Where a bare `pytest` looks (`testpaths`); empty: everywhere below the root.
    testpaths: Vec<String>,
}

impl Default for Collection {
    fn default() -> Collection {
        Collection {
            globs: glob_set(DEFAULT.iter().copied()),
            set_at: None,
            testpaths: Vec::new(),
        }
    }
}

impl Collection {
    /// The repository's pytest collection patterns, read from its root.
    pub fn at(root: &Path) -> Collection {
        let read = |name: &str| {
            let bytes = crate::fsx::read_regular(&root.join(name), MAX_CONFIG_BYTES, false);
            Some(String::from_utf8_lossy(&bytes.ok()??).into_owned())
        };
        let found = [
            ("pytest.toml", None),
            (".pytest.toml", None),
            ("pytest.ini", None),
            (".pytest.ini", None),
            ("pyproject.toml", Some("[tool.pytest")),
            ("tox.ini", Some("[pytest]")),
            ("setup.cfg", Some("[tool:pytest]")),
        ]
        .into_iter()
        .find_map(|(name, needs)| {
            let text = read(name)?;
            let is_config = needs.is_none_or(|h| text.lines().any(|l| l.trim().starts_with(h)));
            is_config.then_some((name, text))
        });
        let Some((file, text)) = found else {
            return Collection::default();
        };
        let set_at = setting(&text, "python_files");
        Collection {
            globs: match &set_at {
                Some((n, _)) => glob_set(
                    value_of(&text, *n, "python_files")
                        .iter()
                        .map(String::as_str),
                ),
                None => glob_set(DEFAULT.iter().copied()),
            },
            testpaths: setting(&text, "testpaths")
                .map(|(n, _)| value_of(&text, n, "testpaths"))
                .unwrap_or_default(),
            set_at: set_at.map(|(n, line)| (file.to_string(), n, line)),
        }
    }

    /// Whether pytest collects the file `rel` (below `root`) as a test module: its name fits
    /// the patterns and it defines a test (`def test…`, `class Test…`). The reference says
    /// where: the config line naming the patterns, or the file's first test under the default.
    pub fn collects(&self, root: &Path, rel: &RelPath) -> Option<Reference> {
        let name = String::from_utf8_lossy(rel.file_name()).into_owned();
        let fits = self.globs.is_match(&name);
        let searched = self.testpaths.is_empty()
            || self.testpaths.iter().any(|t| {
                let t = t.trim_start_matches("./").trim_end_matches('/');
                rel.starts_with(&RelPath::from_bytes(t.as_bytes()))
            });
        if !fits || !searched {
            return None;
        }
        let bytes = crate::fsx::read_regular(&rel.under(root), MAX_CONFIG_BYTES, false).ok()??;
        let text = String::from_utf8_lossy(&bytes);
        let (n, def) = text.lines().enumerate().find(|(_, l)| defines_test(l))?;
        Some(match &self.set_at {
            Some((file, line, excerpt)) => Reference {
                file: file.clone(),
                line: *line,
                excerpt: excerpt.clone(),
                kind: RefKind::Collected,
            },
            None => Reference {
                file: rel.display(),
                line: n + 1,
                excerpt: def.trim().chars().take(120).collect(),
                kind: RefKind::Collected,
            },
        })
    }
}

/// `patterns` as one matcher (a pattern globset cannot read is left out).
fn glob_set<'a>(patterns: impl Iterator<Item = &'a str>) -> globset::GlobSet {
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        if let Ok(g) = globset::Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// The line (1-based) that sets `key`, and the line itself, trimmed.
fn setting(text: &str, key: &str) -> Option<(usize, String)> {
    let (n, line) = text.lines().enumerate().find(|(_, l)| {
        let rest = l.trim_start().strip_prefix(key);
        rest.is_some_and(|r| r.trim_start().starts_with(['=', ':']))
    })?;
    Some((n + 1, line.trim().to_string()))
}

/// The words of the `key` setting at 1-based line `n` of `text`: its value, and for an INI
/// file the indented lines that continue it; TOML's string or array.
fn value_of(text: &str, n: usize, key: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut value = lines[n - 1].trim_start()[key.len()..].trim_start()[1..].to_string();
    for l in &lines[n..] {
        let continues = l.starts_with([' ', '\t']) && !l.trim().is_empty();
        if (!continues && !value.trim_start().starts_with('[')) || value.contains(']') {
            break;
        }
        value.push(' ');
        value.push_str(l.trim());
    }
    value
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '"' | '\''))
        .filter(|w| !w.is_empty() && !w.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// A line that defines a test pytest runs: `def test…(`, `async def test…(`, `class Test…`.
fn defines_test(line: &str) -> bool {
    let l = line.trim_start();
    let l = l.strip_prefix("async ").unwrap_or(l).trim_start();
    l.strip_prefix("def ")
        .is_some_and(|r| r.trim_start().starts_with("test"))
        || l.strip_prefix("class ")
            .is_some_and(|r| r.trim_start().starts_with("Test"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(files: &[(&str, &str)]) -> (tempfile::TempDir, Collection) {
        let d = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = d.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let c = Collection::at(d.path());
        (d, c)
    }

    fn collects(d: &tempfile::TempDir, c: &Collection, rel: &str) -> Option<Reference> {
        c.collects(d.path(), &RelPath::from_bytes(rel.as_bytes()))
    }

    #[test]
    fn the_default_collects_suffix_tests_that_define_tests() {
        let t = "import x\n\nasync def test_search():\n    pass\n";
        let (d, c) = collection(&[
            ("tests/search_test.py", t),
            ("tests/run_test.py", "x = 1\n"),
        ]);
        let r = collects(&d, &c, "tests/search_test.py").unwrap();
        assert_eq!((r.file.as_str(), r.line), ("tests/search_test.py", 3));
        assert_eq!(r.excerpt, "async def test_search():");
        assert!(
            collects(&d, &c, "tests/run_test.py").is_none(),
            "no test in it"
        );
    }

    #[test]
    fn a_config_that_names_other_patterns_leaves_them_out() {
        let t = "def test_a():\n    pass\n";
        let py =
            "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\npython_files = \"test_*.py\"\n";
        let (d, c) = collection(&[("pyproject.toml", py), ("tests/a_test.py", t)]);
        assert!(collects(&d, &c, "tests/a_test.py").is_none());
        let ini = "[pytest]\npython_files =\n    test_*.py\n    *_check.py\naddopts = -q\n";
        let (d, c) = collection(&[("pytest.ini", ini), ("tests/a_check.py", t)]);
        let r = collects(&d, &c, "tests/a_check.py").unwrap();
        assert_eq!((r.file.as_str(), r.line), ("pytest.ini", 2));
        // A pyproject.toml without a pytest table is not the config; setup.cfg's is.
        let cfg = "[tool:pytest]\npython_files = check_*.py\n";
        let (d, c) = collection(&[
            ("pyproject.toml", "[project]\nname = \"x\"\n"),
            ("setup.cfg", cfg),
            ("tests/a_test.py", t),
        ]);
        assert!(collects(&d, &c, "tests/a_test.py").is_none());
        let array =
            "[tool.pytest.ini_options]\npython_files = [\n  \"test_*.py\",\n  \"*_test.py\",\n]\n";
        let (d, c) = collection(&[("pyproject.toml", array), ("tests/a_test.py", t)]);
        assert_eq!(
            collects(&d, &c, "tests/a_test.py").unwrap().file,
            "pyproject.toml"
        );
    }
}
