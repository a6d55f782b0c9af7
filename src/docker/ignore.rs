//! The `.dockerignore` engine, as Docker (BuildKit) applies it: moby/patternmatcher's parsing and
//! matching, and fsutil's rule for when an excluded directory is skipped. Written from their
//! documented and tested behaviour; the table tests below pin every rule.
//!
//! The rules that differ from `.gitignore` (and trap people):
//! - patterns are anchored at the context root: `node_modules` and `*.pyc` match only there;
//!   `**/` matches any depth;
//! - `*` and `?` never cross `/`; `**` crosses any number of directories;
//! - a trailing `/` means nothing (`dir/` = `dir`), a leading `/` is dropped;
//! - `#` starts a comment only in the first column; whitespace around a line is trimmed;
//! - the last matching line wins, and a pattern that matches a directory excludes everything
//!   under it, unless a later `!` exception re-includes a path below (which git cannot do);
//! - character classes are RE2's (`[^a]` negates; `[!a]` is the set {!, a}); `\` escapes.

use super::glob::{compile, compile_legacy, Kind};
use super::walk::Walk;
use crate::error::{Error, Location, Result};

#[derive(Debug, Clone)]
pub struct Pattern {
    /// The cleaned pattern, without its `!`.
    pub text: String,
    pub exception: bool,
    /// 1-based line in the file.
    pub line: usize,
    kind: Kind,
    /// Its `/`-separated components: the old matcher checked only the parent with as many.
    dirs: usize,
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    pub patterns: Vec<Pattern>,
    /// Which Docker's walk and matcher the file is read with.
    pub walk: Walk,
}

/// Go's `filepath.Clean` on a `/`-separated path.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if matches!(out.last(), Some(l) if *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// Go `filepath.Match`'s syntax check: the patterns it rejects, Docker rejects.
fn check_syntax(p: &str) -> std::result::Result<(), String> {
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if i + 1 >= b.len() {
                    return Err("ends with an unescaped `\\`".into());
                }
                i += 2;
            }
            b'[' => {
                i += 1;
                if i < b.len() && b[i] == b'^' {
                    i += 1;
                }
                let mut first = true;
                loop {
                    if i >= b.len() {
                        return Err("unclosed `[`".into());
                    }
                    if b[i] == b']' && !first {
                        i += 1;
                        break;
                    }
                    // One class element: a char (maybe escaped), optionally `-` and another.
                    let lo = class_char(b, &mut i)?;
                    let _ = lo;
                    if i < b.len() && b[i] == b'-' {
                        i += 1;
                        if i < b.len() && b[i] == b']' {
                            return Err("range with no end in `[...]`".into());
                        }
                        class_char(b, &mut i)?;
                    }
                    first = false;
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn class_char(b: &[u8], i: &mut usize) -> std::result::Result<u8, String> {
    match b.get(*i) {
        None => Err("unclosed `[`".into()),
        Some(b'-') | Some(b']') => {
            Err("`-` or `]` where a character is expected in `[...]`".into())
        }
        Some(b'\\') => {
            let c = *b.get(*i + 1).ok_or("unclosed `[`")?;
            *i += 2;
            Ok(c)
        }
        Some(&c) => {
            // A UTF-8 character counts as one.
            let len = match c {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            *i += len;
            Ok(c)
        }
    }
}

impl Pattern {
    fn new(
        text: &str,
        exception: bool,
        line: usize,
        walk: Walk,
    ) -> std::result::Result<Pattern, String> {
        check_syntax(text)?;
        let kind = match walk {
            Walk::Current => compile(text)?,
            Walk::Legacy => compile_legacy(text)?,
        };
        Ok(Pattern {
            kind,
            dirs: text.split('/').count(),
            text: text.to_string(),
            exception,
            line,
        })
    }

    /// Does the pattern match this cleaned, `/`-separated path (not its parents)?
    pub fn matches_exact(&self, path: &[u8]) -> bool {
        self.kind.matches(path)
    }

    /// The path or one of its parent directories matches.
    fn matches_or_parent(&self, path: &[u8]) -> bool {
        if self.matches_exact(path) {
            return true;
        }
        let mut end = 0;
        while let Some(off) = path[end..].iter().position(|&b| b == b'/') {
            end += off;
            if self.matches_exact(&path[..end]) {
                return true;
            }
            end += 1;
        }
        false
    }
}

impl DockerIgnore {
    /// Parse `.dockerignore` text as `ignorefile.ReadAll` and `patternmatcher.New` do, for the
    /// walk the binary chose ([`super::walk::chosen`]). `file` names the file in errors.
    pub fn parse(text: &str, file: &str) -> Result<DockerIgnore> {
        Self::parse_for(text, file, super::walk::chosen().walk)
    }

    /// [`Self::parse`] for a given walk.
    pub fn parse_for(text: &str, file: &str, walk: Walk) -> Result<DockerIgnore> {
        let mut patterns = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (n, raw) in text.split('\n').enumerate() {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.starts_with('#') {
                continue;
            }
            // Stage 1, as the file reader does it: trim, note `!`, clean, drop one leading `/`.
            let mut p = raw.trim().to_string();
            if p.is_empty() {
                continue;
            }
            let invert = p.starts_with('!');
            if invert {
                p = p[1..].trim().to_string();
            }
            if !p.is_empty() {
                p = clean(&p);
                if p.len() > 1 && p.starts_with('/') {
                    p.remove(0);
                }
            }
            if invert {
                p.insert(0, '!');
            }
            // Stage 2, as the matcher takes it: trim and clean again, and only then decide
            // whether it is an exception (so `./!x` is one, exactly as in Docker).
            let p = clean(p.trim());
            let err = |m: String| Error::Config {
                location: Location {
                    file: file.to_string(),
                    line: n + 1,
                    column: 1,
                },
                rule: None,
                message: m,
            };
            let (exception, c) = match p.strip_prefix('!') {
                Some("") => {
                    return Err(err(
                        "illegal exception pattern `!` (nothing to re-include)".into()
                    ))
                }
                Some(rest) => (true, rest.to_string()),
                None => (false, p),
            };
            let pat = Pattern::new(&c, exception, n + 1, walk)
                .map_err(|m| err(format!("`{raw}`: {m}")))?;
            patterns.push(pat);
        }
        Ok(DockerIgnore { patterns, walk })
    }

    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exception)
    }

    /// Is `path` (relative to the context, `/`-separated) excluded? The last matching pattern
    /// wins; a pattern matches a path when it matches the path or any directory above it.
    pub fn excluded(&self, path: &[u8]) -> bool {
        let mut excluded = false;
        for p in &self.patterns {
            // As patternmatcher: an exception only matters once excluded, and vice versa.
            if p.exception != excluded {
                continue;
            }
            if self.hits(p, path) {
                excluded = !p.exception;
            }
        }
        excluded
    }

    /// Does `p` decide `path`: the path or a directory above it matches. Docker 20.10's
    /// matcher looked at one parent only, the one with as many components as the pattern
    /// (patternmatcher calls that `Matches` deprecated and buggy).
    fn hits(&self, p: &Pattern, path: &[u8]) -> bool {
        match self.walk {
            Walk::Current => p.matches_or_parent(path),
            Walk::Legacy => {
                if p.matches_exact(path) {
                    return true;
                }
                let Some(slash) = path.iter().rposition(|&b| b == b'/') else {
                    return false;
                };
                let parent = &path[..slash];
                let mut seen = 0;
                let end = parent
                    .iter()
                    .position(|&b| {
                        seen += usize::from(b == b'/');
                        b == b'/' && seen == p.dirs
                    })
                    .unwrap_or(parent.len());
                let have = parent.iter().filter(|&&b| b == b'/').count() + 1;
                p.dirs <= have && p.matches_exact(&parent[..end])
            }
        }
    }

    /// The pattern that decides `path` (for explanations), if any.
    pub fn deciding(&self, path: &[u8]) -> Option<&Pattern> {
        let mut excluded = false;
        let mut last = None;
        for p in &self.patterns {
            if p.exception != excluded {
                continue;
            }
            if self.hits(p, path) {
                excluded = !p.exception;
                last = Some(p);
            }
        }
        last
    }

    /// Whether the walk may skip an excluded directory without looking inside. Both walks
    /// enter it for an exception whose text (less a final `/*` or `/**`) starts with
    /// `<dir>/`. The current one (fsutil since d7eeb96) also enters every excluded directory
    /// as soon as any exception, so trimmed, has a wildcard (`* ? [ ] ^ \`): `!**/*.go`
    /// re-includes Go files at any depth. Docker 20.10's never did.
    pub fn skips_dir(&self, dir: &[u8]) -> bool {
        let exceptions = || self.patterns.iter().filter(|p| p.exception);
        let trimmed = |p: &Pattern| -> String {
            let t = p.text.as_str();
            let t = t.strip_suffix("/**").unwrap_or(t);
            t.strip_suffix("/*").unwrap_or(t).to_string()
        };
        if self.walk == Walk::Current
            && exceptions().any(|p| trimmed(p).contains(['*', '?', '[', ']', '^', '\\']))
        {
            return false;
        }
        let mut prefix = dir.to_vec();
        prefix.push(b'/');
        !exceptions().any(|p| {
            let mut t = trimmed(p).into_bytes();
            t.push(b'/');
            t.starts_with(&prefix)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(p: &str, path: &str) -> bool {
        DockerIgnore::parse(p, "t")
            .unwrap()
            .excluded(path.as_bytes())
    }

    #[test]
    fn cleaning_as_go_does() {
        for (i, o) in [
            ("./a", "a"),
            ("a/", "a"),
            ("a/../b", "b"),
            ("a//b/./c", "a/b/c"),
            ("/a/b/", "/a/b"),
            ("..", ".."),
            ("../a", "../a"),
            ("/..", "/"),
            ("", "."),
        ] {
            assert_eq!(clean(i), o, "{i}");
        }
    }

    #[test]
    fn single_patterns_with_parent_matching() {
        // (pattern, path, excluded)
        let cases: &[(&str, &str, bool)] = &[
            ("**", "file", true),
            ("**", "dir/file", true),
            ("**/", "file", true),
            ("**/**", "dir/file", true),
            ("dir/**", "dir/file", true),
            ("dir/**", "dir/dir2/file", true),
            ("dir/**", "dir", false),
            ("**/dir", "dir", true),
            ("**/dir", "dir/file", true),
            ("**/dir", "a/b/dir/file", true),
            ("**/dir2/*", "dir/dir2/file", true),
            ("**/dir2/**", "dir/dir2/dir3/file", true),
            ("**file", "file", true),
            ("**file", "dir/file", true),
            ("**file", "dir/xfile", true), // a suffix match, as Docker does it
            ("**/file", "dir/dir/file", true),
            ("**/file*", "dir/dir/file.txt", true),
            ("**/file*txt", "dir/dir/file.txt", true),
            ("**/**/*.txt", "dir/dir/file.txt", true),
            ("**/**/*.txt2", "dir/dir/file.txt", false),
            ("**/*.txt", "file.txt", true),
            ("a**/*.txt", "a/dir/dir/file.txt", true),
            ("a/*.txt", "a/dir/file.txt", false),
            ("a/*.txt", "a/file.txt", true),
            ("a[b-d]e", "ace", true),
            ("a[b-d]e", "aae", false),
            ("a[^b-d]e", "aze", true),
            ("a[!b]e", "a!e", true), // `!` is not negation: the class is {!, b}
            ("a[!b]e", "aze", false),
            (".*", ".foo", true),
            (".*", "foo", false),
            ("abc.def", "abcdef", false),
            ("abc?def", "abcZdef", true),
            ("abc?def", "abc/def", false),
            ("abc/**", "abc", false),
            ("**/.foo", "bar.foo", false),
            ("a(b)c/def", "a(b)c/def", true),
            ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
            (
                "dist/*.whl",
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                true,
            ),
            ("a\\*b", "a*b", true),
            ("a\\*b", "axb", false),
            ("a?b", "a\u{263a}b", true), // `?` is one character, not one byte
            ("a[^a]b", "a\u{263a}b", true),
            ("a???b", "a\u{263a}b", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            // Anchored at the root: the trap.
            ("node_modules", "node_modules", true),
            ("node_modules", "node_modules/react/index.js", true),
            ("node_modules", "ui/node_modules/react/index.js", false),
            ("**/node_modules", "ui/node_modules/react/index.js", true),
            ("*.pyc", "a.pyc", true),
            ("*.pyc", "app/a.pyc", false),
            ("**/*.pyc", "app/x/a.pyc", true),
            // Leading and trailing slashes are nothing.
            ("/docs/", "docs/a.md", true),
            ("./docs", "docs/a.md", true),
            ("docs/../src", "src/a.rs", true),
            // Case-sensitive.
            ("README.md", "readme.md", false),
        ];
        for (p, path, want) in cases {
            assert_eq!(one(p, path), *want, "pattern {p:?} on {path:?}");
        }
    }

    #[test]
    fn the_last_match_wins_and_exceptions_reach_below_excluded_dirs() {
        let cases: &[(&str, &str, bool)] = &[
            ("docs\n!docs/README.md", "docs/README.md", false),
            ("docs\n!docs/README.md", "docs/other.md", true),
            ("docs/\n!docs/README.md", "docs/README.md", false),
            ("docs/*\n!docs/README.md", "docs/README.md", false),
            ("*.go\n!fileutils.go", "fileutils.go", false),
            ("!fileutils.go\n*.go", "fileutils.go", true),
            ("**\n!util/docker/web", "util/docker/web/foo", false),
            (
                "**\n!util/docker/web\nutil/docker/web/foo",
                "util/docker/web/foo",
                true,
            ),
            ("*.md\n!README.md", "README.md", false),
            ("*.md\n!README.md", "sub/x.md", false), // root-only: sub/x.md was never excluded
            (
                "*.md\n!README*.md\nREADME-secret.md",
                "README-secret.md",
                true,
            ),
        ];
        for (ps, path, want) in cases {
            assert_eq!(one(ps, path), *want, "patterns {ps:?} on {path:?}");
        }
    }

    #[test]
    fn parsing_comments_bom_whitespace_and_errors() {
        let d = DockerIgnore::parse(
            "\u{feff}# comment\n  node_modules  \n \t\n # not a comment\n!  keep\r\n",
            "f",
        )
        .unwrap();
        let texts: Vec<(&str, bool, usize)> = d
            .patterns
            .iter()
            .map(|p| (p.text.as_str(), p.exception, p.line))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("node_modules", false, 2),
                ("# not a comment", false, 4),
                ("keep", true, 5)
            ]
        );
        for bad in [
            "!", "[", "a[", "[^bc", "[]a]", "[-]", "[x-]", "[a-b-c]", "\\",
        ] {
            let e = DockerIgnore::parse(&format!("ok\n{bad}\n"), ".dockerignore")
                .unwrap_err()
                .to_string();
            assert!(e.contains(".dockerignore:2:"), "{bad:?}: {e}");
        }
        assert!(DockerIgnore::parse("[\\]a]\n[x\\-]\n", "f").is_ok());
    }

    #[test]
    fn excluded_dirs_are_skipped_unless_an_exception_names_something_below() {
        let text = "docs\n!docs/README.md\nbuild\n*\n!**/*.go\n";
        // Docker 20.10: only a literal prefix keeps the walk going.
        let d = DockerIgnore::parse_for(text, "f", Walk::Legacy).unwrap();
        assert!(!d.skips_dir(b"docs"));
        assert!(d.skips_dir(b"build"));
        assert!(
            d.skips_dir(b"src"),
            "20.10: a wildcard exception does not keep Docker walking"
        );
        assert!(d.has_exceptions());
        // Current fsutil: a wildcard exception enters every excluded directory.
        let d = DockerIgnore::parse_for(text, "f", Walk::Current).unwrap();
        assert!(!d.skips_dir(b"src") && !d.skips_dir(b"build"));
        let lit = "build\nvendor\n!vendor/a/**\n";
        let d = DockerIgnore::parse_for(lit, "f", Walk::Current).unwrap();
        assert!(d.skips_dir(b"build") && !d.skips_dir(b"vendor") && !d.skips_dir(b"vendor/a"));
    }

    #[test]
    fn docker_20_10_differs_where_its_sources_did() {
        let both = |text: &str, path: &str| {
            let c = DockerIgnore::parse_for(text, "f", Walk::Current).unwrap();
            let l = DockerIgnore::parse_for(text, "f", Walk::Legacy).unwrap();
            (c.excluded(path.as_bytes()), l.excluded(path.as_bytes()))
        };
        // The suffix test for `**foo` (moby 2d3e837).
        assert_eq!(both("**foo\n", "a/xfoo"), (true, false));
        assert_eq!(both("**foo\n", "a/foo"), (true, true));
        // `( ) + | { }` were regular-expression syntax (moby b625d94).
        assert_eq!(both("file(1).txt\n", "file1.txt"), (false, true));
        assert_eq!(both("file(1).txt\n", "file(1).txt"), (true, false));
        assert_eq!(both("a+b\n", "aab"), (false, true));
        // The old matcher checked one parent: the one with as many components as the pattern.
        assert_eq!(both("**/foo\n", "x/y/foo/other"), (true, false));
        assert_eq!(both("foo\n", "foo/bar/x"), (true, true));
    }
}
