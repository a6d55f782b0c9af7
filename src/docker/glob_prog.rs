//! The matcher's program for a `.dockerignore` glob (see [`super::glob`]): a few bytes an
//! instruction, run in linear time per path (every thread advanced one rune at a time, no
//! backtracking), with shortcuts for the commonest shapes (`*.pyc`) and for paths whose count
//! of `/` rules a match out.

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
    /// Does the program match all of `path`? Go matches runes: a valid name as it is, an
    /// invalid byte as U+FFFD.
    pub fn matches(&self, path: &[u8]) -> bool {
        if self
            .slashes
            .is_some_and(|n| n != path.iter().filter(|&&b| b == b'/').count())
        {
            return false;
        }
        match std::str::from_utf8(path) {
            Ok(s) => match &self.star_then {
                Some(lit) => !s.contains('/') && s.ends_with(lit.as_str()),
                None => run(self, s),
            },
            Err(_) => run(self, &String::from_utf8_lossy(path)),
        }
    }

    /// Set [`Prog::slashes`] once the program is complete.
    pub(super) fn finish(mut self) -> Prog {
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
pub(super) struct Builder {
    pub(super) prog: Option<Prog>,
}

impl Builder {
    pub(super) fn op(&mut self, op: Op) {
        if let Some(p) = &mut self.prog {
            p.ops.push(op);
        }
    }

    pub(super) fn class(&mut self, negated: bool, ranges: Vec<(char, char)>) {
        if let Some(p) = &mut self.prog {
            p.classes.push(Class {
                negated,
                ranges: ranges.into_boxed_slice(),
            });
            p.ops.push(Op::Class(p.classes.len() as u32 - 1));
        }
    }

    /// `X*` for the one-rune test `x`.
    pub(super) fn star(&mut self, x: Op) {
        if let Some(p) = &mut self.prog {
            let l = p.ops.len() as u32;
            p.ops.extend([Op::Split(l + 1, l + 3), x, Op::Jump(l)]);
        }
    }

    /// `(.*/)?`
    pub(super) fn any_dirs(&mut self) {
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

    pub(super) fn give_up(&mut self) {
        self.prog = None;
    }
}
