//! Every rule's globs compiled into three lazy DFAs and a few lookup tables: the scanner asks
//! "which rules match this path?" with at most three passes over its bytes, whatever the number
//! of rules.
//!
//! Each glob is compiled by globset (which checks it and gives its regex: `literal_separator`,
//! so `*` and `?` never cross a `/`). Literal paths, `**/name` and `**/*.ext` are looked up
//! ([`super::literal_globs`]); the regexes of the others make multi-pattern DFAs, searched
//! anchored for every pattern that matches (`MatchKind::All`): single-component globs on
//! top-level paths, `**/name` globs' names on a path's last component, the rest on the whole
//! path. Before, three `GlobSet`s did this; their regex sets are regex-automata's meta engine,
//! which builds a reverse NFA, a PikeVM, a backtracker and a one-pass DFA beside the lazy DFA
//! and gives each thread a cache for every one of them: compiling them was most of each
//! command's start. The globs are the same; `matcher_agrees_with_globset` holds the two to the
//! same answers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use globset::Glob;

use super::glob_shape::single_component;
use super::globs::build_name_glob;
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

/// For each part, a DFA cache and its match set; and the glob ids a path matched.
type Scratch = ([(Cache, PatternSet); 3], Vec<usize>);

/// One lazy DFA over some of the globs, and the id of the glob each of its patterns is.
struct Part {
    dfa: DFA,
    ids: Vec<usize>,
}

pub struct Matcher {
    /// The globs by id (their order in [`Matcher::build`]).
    refs: Vec<GlobRef>,
    /// The globs matched without a regex.
    literals: Literals,
    /// The other globs in three DFAs, each asked of part of a path ([`TOP`], [`NAMES`],
    /// [`DEEP`]). One DFA of them all was slower to build states for than the three: on the
    /// Mami fixture's 139 paths (report names every pattern of the reports rules follows far)
    /// matching took 25 ms cold against 5.5 ms, its states carrying every `**/` glob at once.
    parts: [Part; 3],
    /// DFA caches with their match sets, one set per core, shared by the threads that match. A
    /// lazy DFA builds its states in its cache as paths need them, and building them is most
    /// of what matching costs on a tree's first thousands of paths; a walk has three threads
    /// per core, and caches of its own for each one built every state six times over on two
    /// cores (a tenth of a gate's time). A path's match holds a set for a fraction of a
    /// microsecond, between the walk's system calls.
    scratch: Vec<Mutex<Scratch>>,
}

/// Globs that can only match a path of one component: asked of top-level paths only.
const TOP: usize = 0;
/// The names of `**/name` globs (one component each): asked of a path's last component.
const NAMES: usize = 1;
/// Every other glob: asked of the whole path.
const DEEP: usize = 2;

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
        let mut regexes: [(Vec<String>, Vec<usize>); 3] = Default::default();
        for (r, g, ignore_case) in globs {
            let id = refs.len();
            refs.push(r);
            let text = g.glob();
            if literals.take(id, text, ignore_case) {
                continue;
            }
            // `**/` alone is globset's `**`, everything: not a name to look up.
            let name = (text.strip_prefix("**/"))
                .filter(|n| !n.is_empty() && single_component(n))
                .and_then(|n| build_name_glob(n, ignore_case).ok());
            let (part, regex) = match name {
                Some(n) => (NAMES, n.regex().to_owned()),
                None if single_component(text) => (TOP, g.regex().to_owned()),
                None => (DEEP, g.regex().to_owned()),
            };
            regexes[part].0.push(regex);
            regexes[part].1.push(id);
        }
        let parts = build_parts(regexes)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(16));
        let scratch = (0..cores)
            .map(|_| {
                let caches = (parts.each_ref())
                    .map(|p| (p.dfa.create_cache(), PatternSet::new(p.ids.len())));
                Mutex::new((caches, Vec::new()))
            })
            .collect();
        Ok(Matcher {
            refs,
            literals,
            parts,
            scratch,
        })
    }

    /// Calls `hit` with every glob matching the whole of `path`, in glob order.
    fn each_match(&self, path: &[u8], mut hit: impl FnMut(GlobRef)) {
        let mut guard = self.scratch();
        let (caches, ids) = &mut *guard;
        ids.clear();
        let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
        let top = name.len() == path.len();
        for (i, (part, (cache, set))) in self.parts.iter().zip(caches.iter_mut()).enumerate() {
            let asked = match i {
                TOP if !top => continue,
                NAMES => name,
                _ => path,
            };
            part.matches(cache, set, asked, ids);
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
        for (part, (cache, set)) in self.parts.iter().zip(g.0.iter_mut()) {
            cache.reset(&part.dfa);
            set.clear();
        }
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

/// The three parts' DFAs, their regexes parsed in one batch and the parts built side by side.
/// One part after another (~2 of the ~5 ms the built-in rules take to load, before any scan),
/// each parse waited for its slowest regex and each NFA was built on one core; this way took
/// ~0.3 ms off a 5,000-file gate.
fn build_parts(regexes: [(Vec<String>, Vec<usize>); 3]) -> Result<[Part; 3], String> {
    use rayon::prelude::*;
    let all: Vec<&String> = regexes.iter().flat_map(|(res, _)| res).collect();
    let mut hirs = parse_all(&all)?.into_iter();
    let each: Vec<_> = (regexes.into_iter())
        .map(|(res, ids)| (hirs.by_ref().take(res.len()).collect::<Vec<_>>(), ids))
        .collect();
    let built: Vec<Part> = (each.into_par_iter())
        .map(|(hirs, ids)| Part::build(&hirs, ids))
        .collect::<Result<_, _>>()?;
    Ok(built
        .try_into()
        .unwrap_or_else(|_| unreachable!("three parts in, three out")))
}

impl Part {
    fn build(hirs: &[regex_syntax::hir::Hir], ids: Vec<usize>) -> Result<Part, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::None)
                    .utf8(false)
                    .nfa_size_limit(Some(SIZE_LIMIT)),
            )
            .build_many_from_hir(hirs)
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
        Ok(Part { dfa, ids })
    }

    /// Adds the ids of this part's globs that match the whole of `text`.
    fn matches(&self, cache: &mut Cache, set: &mut PatternSet, text: &[u8], ids: &mut Vec<usize>) {
        if self.ids.is_empty() {
            return;
        }
        set.clear();
        let input = Input::new(text).anchored(Anchored::Yes);
        self.dfa
            .try_which_overlapping_matches(cache, &input, set)
            .expect("the DFA has no quit bytes and never gives up");
        // Most paths match nothing, and iterating a set visits every pattern's slot.
        if !set.is_empty() {
            ids.extend(set.iter().map(|p| self.ids[p.as_usize()]));
        }
    }
}

/// The regexes parsed side by side: parsing them, not compiling the NFA, is most of the build
/// (~2.4 of ~3.3 ms on one core for the built-in rules' 309 globs).
fn parse_all(regexes: &[&String]) -> Result<Vec<regex_syntax::hir::Hir>, String> {
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
