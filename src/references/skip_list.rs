//! Lists of names a program skips, read as code: no name in one is a use of that path.

/// Lines of a list of names a program skips (`skip_dirs = [ … 'node_modules', '.git',
/// 'backup' ]`, `exclude=['tests']`, `IGNORED: {`): a name in one is what the code stays
/// away from, not what it uses (RAG-ststem's `backup/`, an old copy of its code, was kept
/// for one). Fed every line of a code file in order; true for the lines of such a list.
#[derive(Default)]
pub(super) struct SkipList {
    /// Brackets open in the list being read; 0 outside one.
    depth: i32,
    /// Lines read in it: a list runs at most [`SKIP_LIST_LINES`], so a bracket the counting
    /// misreads cannot hide the rest of the file.
    lines: usize,
    /// In a YAML block list under such a key (CodeQL's and GitHub Actions' `paths-ignore:`,
    /// then `- '**/backups/**'` lines): the key's indentation.
    yaml_key: Option<usize>,
    /// In an INI value of such a key and its continuation lines (pytest's `norecursedirs =`,
    /// then one directory a line; flake8's `exclude = .git,backup`): the key's indentation.
    ini_key: Option<usize>,
}

/// The longest list of names to skip, in lines.
const SKIP_LIST_LINES: usize = 40;

impl SkipList {
    pub(super) fn skips(&mut self, line: &str) -> bool {
        let text = line.trim_start();
        let indent = line.len() - text.len();
        if let Some(key) = self.yaml_key {
            let item = text.starts_with("- ") || text == "-";
            let quiet = text.is_empty() || text.starts_with('#');
            if (quiet || item && indent >= key) && self.lines < SKIP_LIST_LINES {
                self.lines += 1;
                return true;
            }
            self.yaml_key = None;
        }
        if let Some(key) = self.ini_key {
            if !text.is_empty() && indent > key && self.lines < SKIP_LIST_LINES {
                self.lines += 1;
                return true;
            }
            self.ini_key = None;
        }
        if yaml_skip_key(text) {
            self.yaml_key = Some(indent);
            self.lines = 1;
            return true;
        }
        if self.depth == 0 && ini_skip_key(text) {
            self.ini_key = Some(indent);
            self.lines = 1;
            return true;
        }
        let from = if self.depth > 0 && self.lines < SKIP_LIST_LINES {
            self.lines += 1;
            0
        } else if let Some(at) = skip_list_start(line) {
            self.lines = 1;
            at
        } else {
            self.depth = 0;
            return false;
        };
        // Brackets in quotes are text (`r'\[.*'`).
        let mut quote = None;
        for b in line[from..].bytes() {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'\'' | b'"' | b'`') => quote = Some(b),
                (None, b'[' | b'(' | b'{') => self.depth += 1,
                (None, b']' | b')' | b'}') => self.depth -= 1,
                _ => {}
            }
        }
        self.depth = self.depth.max(0);
        true
    }
}

/// Whether `text` (a line, indentation trimmed) is a YAML key that names what to skip and
/// opens a block: one word with `skip`, `exclude` or `ignore` in it, `:`, nothing after.
fn yaml_skip_key(text: &str) -> bool {
    let text = text.split(" #").next().unwrap_or("").trim_end();
    let Some(key) = text.strip_suffix(':') else {
        return false;
    };
    let key = key.to_ascii_lowercase();
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b))
        && ["skip", "exclude", "ignore"]
            .iter()
            .any(|w| key.contains(w))
}

/// Whether `text` (a line, indentation trimmed) sets an INI key that names what to skip, to a
/// value that is no bracketed list (that is [`skip_list_start`]'s): `norecursedirs =`,
/// `exclude = .git,__pycache__,backup`. Its continuation lines, indented deeper, go with it.
fn ini_skip_key(text: &str) -> bool {
    let Some((key, value)) = text.split_once('=') else {
        return false;
    };
    let key = key.trim_end();
    // Most code lines with a `=` fail here, before a lowercase copy is made.
    let plain = (key.bytes()).all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
    if key.is_empty() || !plain || value.trim_start().starts_with(['=', '[', '(', '{']) {
        return false;
    }
    let key = key.to_ascii_lowercase();
    ["skip", "exclude", "ignore", "norecurse"]
        .iter()
        .any(|w| key.contains(w))
}

/// Where a list of names to skip opens on `line`: a name with `skip`, `exclude` or `ignore`
/// in it, or `remove` or `delete` (a cleanup script's `files_to_remove = [`, Theodore's
/// `scripts/cleanup_root.py`, names what it deletes), then `=` or `:`, then `[`, `(` or `{`.
fn skip_list_start(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    let b = lower.as_bytes();
    for word in ["skip", "exclude", "ignore", "remove", "delete"] {
        for (at, _) in lower.match_indices(word) {
            let mut i = at + word.len();
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            i += usize::from(i < b.len() && b"'\"".contains(&b[i]));
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            let assigns = i < b.len() && (b[i] == b':' || b[i] == b'=');
            if !assigns || b.get(i + 1) == Some(&b'=') {
                continue;
            }
            i += 1;
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if i < b.len() && b"[({".contains(&b[i]) {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 1-based lines of `text` a skip list takes.
    fn skipped(text: &str) -> Vec<usize> {
        let mut l = SkipList::default();
        (text.lines().enumerate())
            .filter(|(_, line)| l.skips(line))
            .map(|(n, _)| n + 1)
            .collect()
    }

    #[test]
    fn a_skip_list_ends_at_its_bracket_and_never_runs_on() {
        let py = "skip_dirs = [\n  'node_modules',\n  'backup'\n]\nimport backup\n";
        assert_eq!(skipped(py), [1, 2, 3, 4]);
        assert_eq!(skipped("setup(exclude=['backup'])\nbackup.run()\n"), [1]);
        // A bracket in a string is text; a name after `ignore:` with no list is no list.
        assert_eq!(skipped("IGNORE = [r'\\[x', 'backup']\nbackup()\n"), [1]);
        assert!(skipped("if ignore_errors:\n    run('backup')\n").is_empty());
        // What a cleanup script deletes.
        let cleanup =
            "files_to_remove = [\n    'test_*.py',\n    'debug_x.py'\n]\nrun('debug_x.py')\n";
        assert_eq!(skipped(cleanup), [1, 2, 3, 4]);
        assert!(skipped("os.remove(path)\nremove('backup')\n").is_empty());
        // An unclosed list stops after 40 lines: the rest of the file is read.
        let long = format!("EXCLUDE = [\n{}import backup\n", "'x',\n".repeat(60));
        assert_eq!(skipped(&long).len(), SKIP_LIST_LINES);
    }

    #[test]
    fn a_yaml_block_list_of_what_to_skip_ends_at_the_next_key() {
        let codeql = "queries:\n  - uses: x\npaths-ignore:\n  - '**/node_modules/**'\n\n  - '**/backups/**'\npaths:\n  - backups/tools\n";
        assert_eq!(skipped(codeql), [3, 4, 5, 6]);
        let workflow =
            "on:\n  push:\n    paths-ignore: # docs only\n    - 'docs/**'\n    branches: [main]\n";
        assert_eq!(skipped(workflow), [3, 4]);
        // A key that only mentions ignoring, with a value, opens nothing.
        assert!(skipped("ignore_errors: true\n- backup\n").is_empty());
        assert!(skipped("steps:\n  - run: ./backup/run.sh\n").is_empty());
    }

    #[test]
    fn an_ini_value_of_what_to_skip_runs_over_its_continuation_lines() {
        // circuitcity's pytest.ini: `_dup_backup`, an old copy of the apps, is what pytest
        // must not collect.
        let pytest =
            "[pytest]\nnorecursedirs =\n    .*\n    node_modules\n    _dup_backup\naddopts = -q\n";
        assert_eq!(skipped(pytest), [2, 3, 4, 5]);
        let flake8 = "[flake8]\nexclude = .git,__pycache__,backup\nmax-line-length = 100\n";
        assert_eq!(skipped(flake8), [2]);
        // Not a comparison, nor a key about something else, nor code after a plain assignment.
        assert!(skipped("if skip == 'backup':\n    run()\n").is_empty());
        assert!(skipped("testpaths =\n    backup/tests\n").is_empty());
        assert_eq!(skipped("exclude = 'x'\nbackup.run()\n"), [1]);
    }
}
