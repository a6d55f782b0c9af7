//! Every rule's globs compiled into one lazy DFA: the scanner asks "which rules match this
//! path?" with one pass over the path's bytes, whatever the number of rules.
//!
//! Each glob is compiled by globset (which checks it and gives its regex: `literal_separator`,
//! so `*` and `?` never cross a `/`), and the regexes of them all make one multi-pattern DFA,
//! searched anchored for every pattern that matches the whole path (`MatchKind::All`). Before,
//! three `GlobSet`s did this; their regex sets are regex-automata's meta engine, which builds a
//! reverse NFA, a PikeVM, a backtracker and a one-pass DFA beside the lazy DFA, and gives each
//! thread a cache for every one of them: compiling them was most of each command's start and
//! matching a 5,000-file tree took ~4.7 ms on one core, against ~1.1 ms for this DFA
//! (`examples/rules_load_probe`). The globs are the same; `matcher_agrees_with_globset` below
//! holds the two to the same answers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use globset::Glob;

use super::literal_globs::Literals;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};

/// One glob of one rule: the rule's index in the rule list and the glob's place in its `match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GlobRef {
    pub rule: usize,
    pub glob: usize,
}

/// A DFA cache, its match set, and the glob ids a path matched.
type Scratch = (Cache, PatternSet, Vec<usize>);

pub struct Matcher {
    /// The globs by id (their order in [`Matcher::build`]).
    refs: Vec<GlobRef>,
    /// The globs matched without a regex.
    literals: Literals,
    /// Every other glob, as one DFA, and the id of the glob each of its patterns is.
    dfa: DFA,
    dfa_ids: Vec<usize>,
    /// DFA caches with their match sets, one per core, shared by the threads that match. A
    /// lazy DFA builds its states in its cache as paths need them, and building them is most
    /// of what matching costs on a tree's first thousands of paths; a walk has three threads
    /// per core, and a cache of its own for each one built every state six times over on two
    /// cores (a tenth of a gate's time). A path's match holds a cache for a fraction of a
    /// microsecond, between the walk's system calls.
    scratch: Vec<Mutex<Scratch>>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Matcher({} globs)", self.refs.len())
    }
}

/// Spreads the threads over the caches: each thread starts looking at its own.
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);
thread_local! {
    static THREAD_SLOT: usize = NEXT_SLOT.fetch_add(1, Ordering::Relaxed);
}

/// globset's own limits for its regexes: a rule file cannot make a matcher that eats memory.
const SIZE_LIMIT: usize = 10 << 20;

impl Matcher {
    /// `globs` in rule order, each with whether it ignores case.
    pub fn build(
        globs: impl IntoIterator<Item = (GlobRef, Glob, bool)>,
    ) -> Result<Matcher, String> {
        let (mut refs, mut literals) = (Vec::new(), Literals::default());
        let (mut regexes, mut dfa_ids) = (Vec::new(), Vec::new());
        for (r, g, ignore_case) in globs {
            let id = refs.len();
            refs.push(r);
            if !literals.take(id, g.glob(), ignore_case) {
                regexes.push(g.regex().to_owned());
                dfa_ids.push(id);
            }
        }
        let hirs = parse_all(&regexes)?;
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::None)
                    .utf8(false)
                    .nfa_size_limit(Some(SIZE_LIMIT)),
            )
            .build_many_from_hir(&hirs)
            .map_err(|e| e.to_string())?;
        // No quit bytes (globset's regexes are `(?-u)`, without Unicode word boundaries) and
        // no minimum cache clear count: a search can neither quit nor give up.
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(SIZE_LIMIT),
            )
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(16));
        let scratch = (0..cores)
            .map(|_| {
                let set = PatternSet::new(dfa_ids.len());
                Mutex::new((dfa.create_cache(), set, Vec::new()))
            })
            .collect();
        Ok(Matcher {
            refs,
            literals,
            dfa,
            dfa_ids,
            scratch,
        })
    }

    /// Calls `hit` with every glob matching the whole of `path`, in glob order.
    fn each_match(&self, path: &[u8], mut hit: impl FnMut(GlobRef)) {
        let mut guard = self.scratch();
        let (cache, set, ids) = &mut *guard;
        set.clear();
        ids.clear();
        let input = Input::new(path).anchored(Anchored::Yes);
        self.dfa
            .try_which_overlapping_matches(cache, &input, set)
            .expect("the DFA has no quit bytes and never gives up");
        // Most paths match nothing, and iterating a set visits every pattern's slot.
        if !set.is_empty() {
            ids.extend(set.iter().map(|p| self.dfa_ids[p.as_usize()]));
        }
        self.literals.matches(path, ids);
        ids.sort_unstable();
        ids.iter().for_each(|&id| hit(self.refs[id]));
    }

    /// A free cache if there is one, else the one this thread starts from.
    fn scratch(&self) -> MutexGuard<'_, Scratch> {
        let n = self.scratch.len();
        let start = THREAD_SLOT.with(|s| *s) % n;
        for i in 0..n {
            let slot = &self.scratch[(start + i) % n];
            match slot.try_lock() {
                Ok(g) => return g,
                Err(TryLockError::Poisoned(p)) => return self.healed(slot, p.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let slot = &self.scratch[start];
        match slot.lock() {
            Ok(g) => g,
            Err(p) => self.healed(slot, p.into_inner()),
        }
    }

    /// A cache a thread panicked while holding, perhaps halfway through building a state:
    /// emptied, as new.
    fn healed<'a>(
        &self,
        slot: &Mutex<Scratch>,
        mut g: MutexGuard<'a, Scratch>,
    ) -> MutexGuard<'a, Scratch> {
        g.0.reset(&self.dfa);
        g.1.clear();
        slot.clear_poison();
        g
    }

    /// The rules (indices, in rule order, possibly repeated) with a glob matching `path`.
    pub fn rules_matching(&self, path: &[u8], out: &mut Vec<usize>) {
        self.each_match(path, |g| out.push(g.rule));
    }

    /// Every glob matching `path`, sorted.
    pub fn globs_matching(&self, path: &str) -> Vec<GlobRef> {
        let mut hits = Vec::new();
        self.each_match(path.as_bytes(), |g| hits.push(g));
        hits
    }
}

/// The regexes parsed side by side: parsing them, not compiling the NFA, is most of the build
/// (~2.4 of ~3.3 ms on one core for the built-in rules' 309 globs).
fn parse_all(regexes: &[String]) -> Result<Vec<regex_syntax::hir::Hir>, String> {
    use rayon::prelude::*;
    // globset's settings for its regexes: bytes, not UTF-8, and `.` may match a newline.
    let config = syntax::Config::new().utf8(false).dot_matches_new_line(true);
    (regexes.par_iter())
        .map(|r| syntax::parse_with(r, &config).map_err(|e| e.to_string()))
        .collect()
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
