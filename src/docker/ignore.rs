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

use super::glob::{compile, compile_legacy, needed, Kind};
use super::go_path::check_syntax;
pub use super::go_path::clean;
use super::walk::Walk;
use crate::error::{Error, Location, Result};

#[derive(Debug, Clone)]
pub struct Pattern {
    /// The cleaned pattern, without its `!`.
    pub text: String,
    pub exception: bool,
    /// 1-based line in the file.
    pub line: usize,
    /// Written from the root (`./data`, `/data`): the author means that one, not nested ones.
    pub anchored: bool,
    kind: Kind,
    /// Bytes any path it matches holds ([`needed`]), for a wildcard pattern: a searcher built
    /// once (`memmem::find` builds one per call, which cost more than most searches).
    need: Option<memchr::memmem::Finder<'static>>,
    /// Its `/`-separated components: the old matcher checked only the parent with as many.
    dirs: usize,
    /// The components of every path it matches, when that is fixed: a literal, or a current
    /// glob with no `**` or class (`*` and `?` never cross a `/`; a class may).
    depth: Option<usize>,
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    pub patterns: Vec<Pattern>,
    /// Which Docker's walk and matcher the file is read with.
    pub walk: Walk,
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
        // Not for Docker 20.10's patterns: they were regular expressions (`.` any byte).
        let need = match kind {
            Kind::Glob(_) => needed(text).map(|n| memchr::memmem::Finder::new(&n).into_owned()),
            _ => None,
        };
        let depth = match &kind {
            Kind::Exact(e) => Some(e.iter().filter(|&&b| b == b'/').count() + 1),
            Kind::Glob(_) | Kind::StarSuffix(_) if !text.contains("**") && !text.contains('[') => {
                Some(text.split('/').count())
            }
            _ => None,
        };
        Ok(Pattern {
            kind,
            need,
            depth,
            dirs: text.split('/').count(),
            text: text.to_string(),
            exception,
            line,
            anchored: false,
        })
    }

    /// The pattern is one path written out (`models`, `README.md`), no wildcard, whichever
    /// walk reads it (Docker 20.10's compiles even a literal to a regular expression).
    pub fn is_literal(&self) -> bool {
        !self.text.contains(['*', '?', '[', '\\'])
    }

    /// Does the pattern match this cleaned, `/`-separated path (not its parents)?
    pub fn matches_exact(&self, path: &[u8]) -> bool {
        self.may_match(path) && self.kind.matches(path)
    }

    /// Does it match `path`, which has `depth` components (not its parents)?
    fn reaches(&self, depth: usize, path: &[u8]) -> bool {
        self.depth.is_none_or(|d| d == depth) && self.matches_exact(path)
    }

    /// Whether `path` holds the bytes every match holds (a path without them matches neither
    /// itself nor through a parent, which is a prefix of it).
    fn may_match(&self, path: &[u8]) -> bool {
        (self.need.as_ref()).is_none_or(|n| n.find(path).is_some())
    }

    /// The path or one of its parent directories matches.
    fn matches_or_parent(&self, path: &[u8]) -> bool {
        if !self.may_match(path) {
            return false;
        }
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
        Self::parse_for(text, file, super::walk::for_text(text))
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
            let mut pat = Pattern::new(&c, exception, n + 1, walk)
                .map_err(|m| err(format!("`{raw}`: {m}")))?;
            let written = raw.trim().trim_start_matches('!').trim_start();
            pat.anchored = written.starts_with('/') || written.starts_with("./");
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

    /// What the patterns say of directory `dir` for every path directly in it, so each file
    /// costs one match per pattern that can reach it instead of one per pattern and level (a
    /// context's files share their directories: the gate's hot spot on a 30,000-file
    /// `node_modules`).
    pub fn dir_hits(&self, dir: &[u8]) -> DirHits {
        if self.walk != Walk::Current {
            return DirHits::default();
        }
        let depth = match dir {
            [] => 0,
            d => d.iter().filter(|&&b| b == b'/').count() + 1,
        };
        let hit = match dir {
            [] => vec![false; self.patterns.len()],
            d => self
                .patterns
                .iter()
                .map(|p| p.matches_or_parent(d))
                .collect(),
        };
        self.hits_at(hit, depth)
    }

    /// [`Self::dir_hits`] of `dir`, directly in the directory `parent` was made for: a
    /// pattern hits it when it hits the parent or matches `dir` itself.
    pub fn dir_hits_below(&self, parent: &DirHits, dir: &[u8]) -> DirHits {
        if self.walk != Walk::Current {
            return DirHits::default();
        }
        let depth = parent.depth + 1;
        let hit = (self.patterns.iter().enumerate())
            .map(|(i, p)| parent.hit.get(i).copied().unwrap_or(false) || p.reaches(depth, dir))
            .collect();
        self.hits_at(hit, depth)
    }

    fn hits_at(&self, hit: Vec<bool>, depth: usize) -> DirHits {
        // No pattern decides a path directly in the directory: none hit it, and every one
        // has a fixed depth other than its children's.
        let inert = !hit.contains(&true)
            && (self.patterns.iter()).all(|p| p.depth.is_some_and(|d| d != depth + 1));
        DirHits { hit, depth, inert }
    }

    /// [`Self::excluded`] for a path directly in the directory `hits` was made for.
    pub fn excluded_in(&self, hits: &DirHits, path: &[u8]) -> bool {
        if self.walk == Walk::Legacy {
            return self.excluded(path);
        }
        debug_assert_eq!(
            path.split(|&b| b == b'/').count(),
            hits.depth + 1,
            "not directly in"
        );
        if hits.inert {
            return false;
        }
        let mut excluded = false;
        for (i, p) in self.patterns.iter().enumerate() {
            if p.exception != excluded {
                continue;
            }
            let hit = hits.hit.get(i).copied().unwrap_or(false) || p.reaches(hits.depth + 1, path);
            if hit {
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

    /// Whether Docker's walk enters the context's directory `dir`: neither it nor a directory
    /// above it is excluded with no exception reaching below (`**/.gradio` keeps the walk out
    /// of `.gradio/cached_examples`, though under the legacy walk it matches neither that path
    /// nor, by its two parts, its one parent).
    pub fn enters(&self, dir: &[u8]) -> bool {
        super::listed::enters(self, dir)
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

/// Which patterns match a directory or one above it: see [`DockerIgnore::dir_hits`].
#[derive(Debug, Clone, Default)]
pub struct DirHits {
    /// Per pattern: it matches the directory or one above it.
    hit: Vec<bool>,
    /// The directory's components (the root has none).
    depth: usize,
    /// Nothing directly in the directory is excluded.
    inert: bool,
}

#[path = "ignore_by_name.rs"]
pub mod by_name;

#[cfg(test)]
#[path = "ignore_tests.rs"]
mod tests;
