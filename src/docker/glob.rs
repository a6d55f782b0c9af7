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

#[derive(Debug, Clone)]
pub enum Kind {
    Exact(Vec<u8>),
    /// The pattern ended in `**`: anything starting with this.
    Prefix(Vec<u8>),
    /// The pattern started with `**` and the rest is literal: anything ending with this.
    Suffix(Vec<u8>),
    Glob(Prog),
    Regex(Regex),
}

/// The matcher's program: 12 bytes an instruction, classes kept aside.
#[derive(Debug, Clone, Default)]
pub struct Prog {
    ops: Vec<Op>,
    classes: Vec<Class>,
    /// How many `/` every match holds, when only literal `/`s (never in a loop) can read one:
    /// `*.pyc` matches no path with a `/`, so most paths are refused without running.
    slashes: Option<usize>,
    /// `*` and then literal text (`*.pyc`, `*~`), the commonest pattern of all: a name with
    /// no `/` that ends with it. Answered without running the program.
    star_then: Option<String>,
}

impl Prog {
    /// Set [`Prog::slashes`] once the program is complete.
    fn finish(mut self) -> Prog {
        let reads_slash = |op: &Op| match op {
            Op::Not(c) => *c != '/',
            Op::Class(k) => {
                let c = &self.classes[*k as usize];
                c.negated ^ c.ranges.iter().any(|&(lo, hi)| lo <= '/' && '/' <= hi)
            }
            _ => false,
        };
        self.slashes = (!self.ops.iter().any(reads_slash))
            .then(|| self.ops.iter().filter(|o| **o == Op::Char('/')).count());
        self.star_then = match &self.ops[..] {
            [Op::Split(1, 3), Op::Not('/'), Op::Jump(0), rest @ ..] => rest
                .iter()
                .map(|o| match o {
                    Op::Char(c) if *c != '/' && *c != char::REPLACEMENT_CHARACTER => Some(*c),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    negated: bool,
    ranges: Box<[(char, char)]>,
}

/// One instruction of the matcher: a rune test, or a jump.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Char(char),
    /// Any rune but this one (`[^/]`, and `.` as "not a newline").
    Not(char),
    /// A class of [`Prog::classes`].
    Class(u32),
    /// Go on at both.
    Split(u32, u32),
    Jump(u32),
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
            // Go matches runes: a valid name as it is, an invalid byte as U+FFFD.
            Kind::Glob(prog)
                if prog
                    .slashes
                    .is_some_and(|n| n != path.iter().filter(|&&b| b == b'/').count()) =>
            {
                false
            }
            Kind::Glob(prog) => match std::str::from_utf8(path) {
                Ok(s) => match &prog.star_then {
                    Some(lit) => !s.contains('/') && s.ends_with(lit.as_str()),
                    None => run(prog, s),
                },
                Err(_) => run(prog, &String::from_utf8_lossy(path)),
            },
            Kind::Regex(r) => r.is_match(&String::from_utf8_lossy(path)),
        }
    }
}

/// Whether `prog` matches all of `s`: every thread advanced one rune at a time (no
/// backtracking), so the time is the program's length times the path's.
fn run(prog: &Prog, s: &str) -> bool {
    // The thread sets are reused: a context check runs this for every file and pattern, and
    // three allocations a call were most of its cost.
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<bool>, Vec<bool>, Vec<usize>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut sc) => {
            let (cur, next, stack) = &mut *sc;
            run_in(prog, s, cur, next, stack)
        }
        // Not reentrant in practice; if it ever were, fresh sets are as correct.
        Err(_) => run_in(prog, s, &mut Vec::new(), &mut Vec::new(), &mut Vec::new()),
    })
}

fn run_in(
    prog: &Prog,
    s: &str,
    cur: &mut Vec<bool>,
    next: &mut Vec<bool>,
    stack: &mut Vec<usize>,
) -> bool {
    let (classes, prog) = (&prog.classes, &prog.ops[..]);
    let n = prog.len();
    cur.clear();
    cur.resize(n + 1, false);
    next.clear();
    next.resize(n + 1, false);
    stack.clear();
    add(prog, cur, stack, 0);
    for ch in s.chars() {
        next.iter_mut().for_each(|x| *x = false);
        for pc in 0..n {
            if !cur[pc] {
                continue;
            }
            let hit = match &prog[pc] {
                Op::Char(c) => *c == ch,
                Op::Not(c) => *c != ch,
                Op::Class(k) => {
                    let c = &classes[*k as usize];
                    c.negated ^ c.ranges.iter().any(|&(lo, hi)| lo <= ch && ch <= hi)
                }
                Op::Split(..) | Op::Jump(_) => false,
            };
            if hit {
                add(prog, next, stack, pc + 1);
            }
        }
        std::mem::swap(cur, next);
        if !cur.iter().any(|&x| x) {
            return false;
        }
    }
    cur[n]
}

/// Mark `pc` and everything reachable from it without reading a rune.
fn add(prog: &[Op], set: &mut [bool], stack: &mut Vec<usize>, pc: usize) {
    stack.push(pc);
    while let Some(pc) = stack.pop() {
        if set[pc] {
            continue;
        }
        set[pc] = true;
        match prog.get(pc) {
            Some(Op::Split(a, b)) => {
                stack.push(*b as usize);
                stack.push(*a as usize);
            }
            Some(Op::Jump(a)) => stack.push(*a as usize),
            _ => {}
        }
    }
}

/// Build the program alongside the regex text; `None` once the pattern needs RE2 itself.
struct Builder {
    prog: Option<Prog>,
}

impl Builder {
    fn op(&mut self, op: Op) {
        if let Some(p) = &mut self.prog {
            p.ops.push(op);
        }
    }

    fn class(&mut self, negated: bool, ranges: Vec<(char, char)>) {
        if let Some(p) = &mut self.prog {
            p.classes.push(Class {
                negated,
                ranges: ranges.into_boxed_slice(),
            });
            p.ops.push(Op::Class(p.classes.len() as u32 - 1));
        }
    }

    /// `X*` for the one-rune test `x`.
    fn star(&mut self, x: Op) {
        if let Some(p) = &mut self.prog {
            let l = p.ops.len() as u32;
            p.ops.extend([Op::Split(l + 1, l + 3), x, Op::Jump(l)]);
        }
    }

    /// `(.*/)?`
    fn any_dirs(&mut self) {
        if let Some(p) = &mut self.prog {
            let l = p.ops.len() as u32;
            // l: Split(body, end); body: .* (3 ops); '/'; end.
            p.ops.extend([
                Op::Split(l + 1, l + 5),
                Op::Split(l + 2, l + 4),
                Op::Not('\n'),
                Op::Jump(l + 1),
                Op::Char('/'),
            ]);
        }
    }

    fn give_up(&mut self) {
        self.prog = None;
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

#[cfg(test)]
#[path = "glob_tests.rs"]
mod tests;
