//! A `.dockerignore` pattern as moby/patternmatcher compiles it: shortcuts for exact,
//! prefix (`dir/**`) and suffix (`**/name`) patterns, else patternmatcher's translation to a
//! Go regular expression. That expression is run here by a small matcher of its own (a few
//! bytes per instruction, linear time per path) instead of a compiled `Regex` (~18 KB each:
//! a 100,000-line `.dockerignore` took 1.7 GB); the regex is kept only for patterns that use
//! RE2 beyond plain globs (`\d`, `[[:alpha:]]` and their kin), which Docker honours by accident
//! of its translation. A property test runs both on random patterns and paths.
//!
//! What the translation means, and the matcher keeps: `*` is `[^/]*`, `?` is `[^/]`, `**/` is
//! `(.*/)?` and a final `**` is `.*`, where `.` is any rune but a newline (Go's default); a
//! path is matched as runes, an invalid byte as U+FFFD.

use regex::Regex;

use super::glob_prog::{Builder, Op, Prog};

#[derive(Debug, Clone)]
pub enum Kind {
    Exact(Vec<u8>),
    /// The pattern ended in `**`: anything starting with this.
    Prefix(Vec<u8>),
    /// The pattern started with `**` and the rest is literal: anything ending with this.
    Suffix(Vec<u8>),
    /// The pattern is one `*` and then a literal (`*.log`, `*~`): anything ending with this
    /// whose part before it holds no `/`. Most `.dockerignore` wildcards are this.
    StarSuffix(Vec<u8>),
    Glob(Prog),
    Regex(Regex),
}

impl Kind {
    /// Does the pattern match this cleaned, `/`-separated path (not its parents)?
    pub fn matches(&self, path: &[u8]) -> bool {
        match self {
            Kind::Exact(e) => path == e.as_slice(),
            Kind::Prefix(pre) => path.starts_with(pre),
            Kind::Suffix(suf) => {
                path.ends_with(suf) || (suf.first() == Some(&b'/') && path == &suf[1..])
            }
            Kind::StarSuffix(suf) => {
                path.ends_with(suf) && !path[..path.len() - suf.len()].contains(&b'/')
            }
            Kind::Glob(prog) => prog.matches(path),
            Kind::Regex(r) => r.is_match(&String::from_utf8_lossy(path)),
        }
    }

    /// Does the pattern match this path or a directory above it (a COPY source that names a
    /// directory takes what is below it)?
    pub fn matches_or_above(&self, path: &[u8]) -> bool {
        let mut p = path;
        loop {
            if self.matches(p) {
                return true;
            }
            match p.iter().rposition(|&b| b == b'/') {
                Some(i) => p = &p[..i],
                None => return false,
            }
        }
    }
}

/// The class body `chars[i..]` up to its `]` as ranges, if it is a plain one: an optional `^`,
/// then runes, escaped punctuation and `a-z` ranges (what Go's `filepath.Match` syntax allows
/// and RE2 reads the same way).
fn plain_class(body: &[char]) -> Option<(bool, Vec<(char, char)>)> {
    let (negated, body) = match body.first() {
        Some('^') => (true, &body[1..]),
        _ => (false, body),
    };
    let mut ranges = Vec::new();
    let mut i = 0;
    let one = |i: &mut usize| -> Option<char> {
        let c = *body.get(*i)?;
        *i += 1;
        match c {
            '\\' => {
                let e = *body.get(*i)?;
                *i += 1;
                (!e.is_ascii_alphanumeric()).then_some(e)
            }
            '[' => None,
            c => Some(c),
        }
    };
    while i < body.len() {
        let lo = one(&mut i)?;
        let hi = if body.get(i) == Some(&'-') && i + 1 < body.len() {
            i += 1;
            one(&mut i)?
        } else {
            lo
        };
        if hi < lo {
            return None;
        }
        ranges.push((lo, hi));
    }
    (!ranges.is_empty()).then_some((negated, ranges))
}

/// patternmatcher's translation to a regular expression, and its shortcuts.
pub fn compile(p: &str) -> std::result::Result<Kind, String> {
    compile_as(p, false, false)
}

/// Docker 20.10's translation: no shortcuts (so no suffix test for `**foo`), and `+ ( ) | { }`
/// left as regular-expression syntax, as the old `pkg/fileutils` did.
pub fn compile_legacy(p: &str) -> std::result::Result<Kind, String> {
    compile_as(p, false, true)
}

/// [`compile`], with `regex_only` always the regex where the translation makes one (the
/// property test's reference).
fn compile_as(p: &str, regex_only: bool, legacy: bool) -> std::result::Result<Kind, String> {
    #[derive(PartialEq)]
    enum T {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let chars: Vec<char> = p.chars().collect();
    let mut re = String::from("^");
    let mut b = Builder {
        prog: Some(Prog::default()),
    };
    let mut t = T::Exact;
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        if ch == '*' {
            if chars.get(i) == Some(&'*') {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    if t == T::Exact {
                        t = T::Prefix;
                    } else {
                        re.push_str(".*");
                        t = T::Regex;
                    }
                    b.star(Op::Not('\n'));
                } else {
                    re.push_str("(.*/)?");
                    t = T::Regex;
                    b.any_dirs();
                }
                if first {
                    t = T::Suffix;
                }
            } else {
                re.push_str("[^/]*");
                t = T::Regex;
                b.star(Op::Not('/'));
            }
        } else if ch == '?' {
            re.push_str("[^/]");
            t = T::Regex;
            b.op(Op::Not('/'));
        } else if legacy && "+()|{}".contains(ch) {
            re.push(ch);
            t = T::Regex;
            b.give_up();
        } else if ".+()|{}$".contains(ch) {
            re.push('\\');
            re.push(ch);
            b.op(Op::Char(ch));
        } else if ch == '\\' {
            match chars.get(i) {
                Some(&n) => {
                    i += 1;
                    re.push('\\');
                    re.push(n);
                    t = T::Regex;
                    // `\d`, `\w`, `\n`...: RE2's meaning, not a literal.
                    if n.is_ascii_alphanumeric() {
                        b.give_up();
                    } else {
                        b.op(Op::Char(n));
                    }
                }
                None => {
                    re.push_str("\\\\");
                    b.op(Op::Char('\\'));
                }
            }
        } else if ch == '[' {
            // A class, copied up to its closing `]` (RE2 syntax, as Go compiles it).
            re.push('[');
            let start = re.len();
            let mut n = 0;
            while i < chars.len() {
                let c = chars[i];
                i += 1;
                if c == '\\' && i < chars.len() {
                    re.push('\\');
                    re.push(chars[i]);
                    i += 1;
                } else if c == ']' && n > 0 {
                    break;
                } else {
                    re.push(c);
                }
                n += 1;
            }
            let body: Vec<char> = re[start..].chars().collect();
            re.push(']');
            t = T::Regex;
            match plain_class(&body) {
                Some((negated, ranges)) => b.class(negated, ranges),
                None => b.give_up(),
            }
        } else if ch == ']' {
            re.push_str("\\]");
            t = T::Regex;
            b.op(Op::Char(']'));
        } else {
            re.push(ch);
            // An anchor to RE2, not a literal: only the regex knows what it does mid-pattern.
            if ch == '^' {
                b.give_up();
            }
            b.op(Op::Char(ch));
        }
        first = false;
    }
    if legacy && t == T::Suffix {
        t = T::Regex;
    }
    let star_suffix = (p.strip_prefix('*'))
        .filter(|rest| !legacy && !regex_only && !rest.contains(['*', '?', '[', ']', '\\', '^']));
    if let Some(rest) = star_suffix {
        return Ok(Kind::StarSuffix(rest.as_bytes().to_vec()));
    }
    Ok(match t {
        T::Exact => Kind::Exact(p.as_bytes().to_vec()),
        T::Prefix => Kind::Prefix(p.as_bytes()[..p.len() - 2].to_vec()),
        T::Suffix => Kind::Suffix(p.as_bytes()[2..].to_vec()),
        T::Regex => match b.prog.filter(|_| !regex_only) {
            Some(prog) => Kind::Glob(prog.finish()),
            None => {
                re.push('$');
                Kind::Regex(Regex::new(&re).map_err(|e| format!("bad pattern: {e}"))?)
            }
        },
    })
}

/// Bytes every path a wildcard pattern matches contains: the longest literal run of a component
/// with no `?`, class or escape (`gen5` of `**/gen5/*.tmp`, `.tmp` of `*.tmp`). A component
/// matches one path component whole, so its literal runs are in any path it matches. With it
/// the glob runs only on paths that hold it: a 100,000-line `.dockerignore` cost ~50 ms per
/// path, a substring search per line instead of a match.
pub(super) fn needed(text: &str) -> Option<Vec<u8>> {
    text.split('/')
        .filter(|c| !c.contains(['?', '[', '\\']))
        .flat_map(|c| c.split('*'))
        .max_by_key(|run| run.len())
        .filter(|run| run.len() >= 2)
        .map(|run| run.as_bytes().to_vec())
}

#[cfg(test)]
#[path = "glob_tests.rs"]
pub(super) mod tests;
