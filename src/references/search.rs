//! The text search of the reference guard: every candidate's names in one Aho-Corasick
//! automaton, run once over each referring file, and the line that counts as an instruction.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rayon::prelude::*;

use super::file_kinds::{web_code, Referrer};
use super::lines::{
    doc_command, from_fs_root, image_ref, in_other_place, in_prose, listing, mapping_key,
    name_value, removes, writes,
};
use super::referrers::{self, is_word, keys, names_holder};
use super::skip_list::SkipList;
use super::urls;
use super::{Candidate, RefKind, Reference};
use crate::relpath::RelPath;

/// A referring file is read up to this size (a larger one is not a README or a settings file).
const MAX_REFERRER_BYTES: u64 = 1 << 20;

/// Up to this many names, over at least this much text, the search runs a DFA (see
/// [`Search::new`]).
const MAX_DFA_PATTERNS: usize = 1000;

const MIN_DFA_TEXT: u64 = 8 << 20;

/// Referring files searched at once (see [`Search::run`]).
const REFERRER_BATCH: usize = 64;

/// A tracked file that may refer to candidates: its path, what kind of file it is, and the
/// folder of the other project it belongs to ([`super::vendored::Licensed::home_of`]), whose paths are
/// the only ones it names.
pub(super) type Referring = (RelPath, Referrer, Option<RelPath>);

/// The candidates' names, compiled once for every round of [`super::find`].
pub(super) struct Search {
    /// What every name holds ([`cores`]): a file holding none of it names no candidate.
    /// `None` where a name holds the replacement character (a path that is not UTF-8), which
    /// only the lossily decoded text can hold.
    filter: Option<AhoCorasick>,
    ac: AhoCorasick,
    /// For each pattern: its candidate, whether it carries its own delimiters, and whether it
    /// names the folder holding the candidate.
    owner: Vec<(usize, bool, bool)>,
}

impl Search {
    /// `text`: about how many bytes the first round will search (as the index records them).
    pub(super) fn new(cands: &[Candidate], text: u64) -> Option<Search> {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        let mut needles = Vec::new();
        for (i, c) in cands.iter().enumerate() {
            let keys = keys(c);
            needles.extend(cores(
                &keys.iter().map(|k| k.text.as_str()).collect::<Vec<_>>(),
            ));
            for k in keys {
                patterns.push(k.text);
                owner.push((i, k.delimited, k.holder));
            }
        }
        needles.sort_unstable();
        needles.dedup();
        // Without it (it could not be built) every file is searched, as before it.
        let filter = match needles.iter().any(|n| n.contains('\u{FFFD}')) {
            true => None,
            false => AhoCorasick::new(&needles).ok(),
        };
        // A DFA searches about twice as fast as the contiguous NFA the crate picks past 100
        // patterns (138 names over fire-ems-tools' 1,014 files: 0.82 -> 0.69 s of the gate's
        // CPU), but building it costs what searching a few megabytes saves (30M instructions
        // for the Mami fixture's names, a fifth of its whole gate), and its size grows with the
        // patterns: only for much text and not too many names.
        let kind = (patterns.len() <= MAX_DFA_PATTERNS && text >= MIN_DFA_TEXT)
            .then_some(AhoCorasickKind::DFA);
        let ac = AhoCorasick::builder().kind(kind).build(&patterns).ok()?;
        Some(Search { filter, ac, owner })
    }

    /// Search `files` and record in `out` what they refer to. Files are read and searched in
    /// parallel, a batch at a time; each keeps its own first reference per candidate, and of
    /// the strongest ([`referrers::weight`]) the earliest file in index order wins, as it
    /// would read one by one. A batch at a time, so the search stops once every candidate is
    /// referred to by a file that builds or runs the project.
    pub(super) fn run(
        &self,
        root: &std::path::Path,
        files: &[Referring],
        cands: &[Candidate],
        out: &mut HashMap<RelPath, Reference>,
    ) {
        let weight = |p: &RelPath, r: &Reference| {
            referrers::weight(r.file.as_bytes(), &r.excerpt, p.file_name())
        };
        let like_holder: Vec<bool> = cands.iter().map(|c| c.named_like_holder(root)).collect();
        for batch in files.chunks(REFERRER_BATCH) {
            let found: Vec<HashMap<RelPath, Reference>> = batch
                .par_iter()
                .map(|(rel, kind, home)| {
                    let mut mine = HashMap::new();
                    let read =
                        crate::fsx::read_regular(&rel.under(root), MAX_REFERRER_BYTES, false);
                    if let Ok(Some(bytes)) = read {
                        if *kind != Referrer::Docs && minified(&bytes)
                            || self.filter.as_ref().is_some_and(|f| !f.is_match(&bytes))
                        {
                            return mine;
                        }
                        let text = String::from_utf8_lossy(&bytes);
                        let file = File {
                            rel,
                            kind: *kind,
                            home: home.as_ref(),
                            like_holder: &like_holder,
                        };
                        scan_file(&text, &file, &self.ac, &self.owner, cands, &mut mine);
                    }
                    mine
                })
                .collect();
            for (path, r) in found.into_iter().flatten() {
                match out.get(&path) {
                    Some(o) if weight(&path, o) <= weight(&path, &r) => {}
                    _ => {
                        out.insert(path, r);
                    }
                }
            }
            if out.len() == cands.len() && out.iter().all(|(p, r)| weight(p, r) == 0) {
                break;
            }
        }
    }
}

/// What every one of a candidate's names (`keys`) holds: the longest text common to them all
/// (`debug_0` in `debug_0.py`, `import debug_0`, `-m debug_0`), or the names themselves where
/// they share less than [`MIN_CORE`] bytes (a launcher's folder is one of its names). A search
/// for a few long needles runs on SIMD (aho-corasick's Teddy); the names' own automaton, with
/// dozens of needles starting with common bytes, steps byte by byte (most of the gate's time
/// on a 6,000-file source tree).
fn cores(keys: &[&str]) -> Vec<String> {
    let Some(short) = keys.iter().min_by_key(|k| k.len()) else {
        return Vec::new();
    };
    for len in (MIN_CORE..=short.len()).rev() {
        let mut subs = (0..=short.len() - len).filter_map(|at| short.get(at..at + len));
        if let Some(core) = subs.find(|sub| keys.iter().all(|k| k.contains(sub))) {
            return vec![core.to_string()];
        }
    }
    keys.iter().map(|k| k.to_string()).collect()
}

/// A common core shorter than this would be found in most files: then each name is a needle.
const MIN_CORE: usize = 4;

/// Minified or bundled code (Vite's chunks, `assets/index-uLkFLZkj.js`, 220 of them committed
/// in fire-ems-tools with 19 MB of 1,000-byte-and-longer lines): what a build wrote from
/// sources that say what they name, not instructions someone wrote. Told by its lines: more
/// than [`MINIFIED_LINE`] bytes each on average, in a file of 4 kB or more.
fn minified(text: &[u8]) -> bool {
    text.len() >= 4096
        && (memchr::memchr_iter(b'\n', text).count() + 1) * MINIFIED_LINE < text.len()
}

const MINIFIED_LINE: usize = 1000;

/// Whether a line of code is a comment, as most languages here write one: `# …`, `## …`,
/// `// …`; not a shebang nor a C directive (`#define BACKUP_DIR "backup"`), which are code.
fn comment(line: &str) -> bool {
    let t = line.trim_start();
    t == "#" || t.starts_with("# ") || t.starts_with("##") || t.starts_with("//")
}

/// The referring file [`scan_file`] reads.
struct File<'a> {
    rel: &'a RelPath,
    kind: Referrer,
    home: Option<&'a RelPath>,
    /// Per candidate: [`Candidate::named_like_holder`].
    like_holder: &'a [bool],
}

/// Record in `out` the first instruction in `text` (the file `f`) for each candidate.
fn scan_file(
    text: &str,
    f: &File<'_>,
    ac: &AhoCorasick,
    owner: &[(usize, bool, bool)],
    cands: &[Candidate],
    out: &mut HashMap<RelPath, Reference>,
) {
    let (rel, kind) = (f.rel, f.kind);
    // Most files name no candidate at all: one search of the whole text says so (a name
    // found in none of its lines is not in the text either).
    if !ac.is_match(text) {
        return;
    }
    let mut fenced = false;
    let mut skip_list = SkipList::default();
    // How clearly the line cited for each candidate names it, 0 first: a line importing or
    // packaging it ([`referrers::imports`]; a comment naming the folder before it gives way),
    // then a relative path (`build: ./backup`, clearer than the compose service `backup:`
    // before it), then any other line, a comment last. Of equals, the first is cited.
    let mut cited: HashMap<usize, u8> = HashMap::new();
    // Web code's `/backups/…` is a URL path of the site, not the filesystem's top.
    let web = web_code(rel.as_bytes());
    for (n, line) in text.lines().enumerate() {
        if kind == Referrer::Docs && line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if kind == Referrer::Code && skip_list.skips(line) {
            continue;
        }
        if listing(line) {
            continue;
        }
        for m in ac.find_overlapping_iter(line) {
            let (i, delimited, holder) = owner[m.pattern().as_usize()];
            let c = &cands[i];
            let b = line.as_bytes();
            // A relative path (`./backup`, `data/backups`), not a container's `/backups`.
            let path_like = m.start() > 1
                && b[m.start() - 1] == b'/'
                && (b[m.start() - 2] == b'.' || is_word(b[m.start() - 2]));
            // A string that is the name alone (`os.path.join(cwd, 'backups')`) says more than
            // the docstring above it ("Handles database backups, …" in fire-ems-tools).
            let quoted_alone = m.start() > 0
                && b"'\"".contains(&b[m.start() - 1])
                && b.get(m.end()) == Some(&b[m.start() - 1]);
            let rank = match (referrers::imports(line), path_like || quoted_alone) {
                (true, _) => 0,
                (false, true) => 1,
                // A comment names what the lines below it do (`# backup` above `cd backup/`
                // in giantswarm's 01_cleanup.sh): the line doing it is the one to cite.
                (false, false) if kind == Referrer::Code && comment(line) => 3,
                (false, false) => 2,
            };
            // A file in a selected folder is part of it, not something that refers to it;
            // another project's file names that project's paths.
            if cited.get(&i).is_some_and(|&r| r <= rank)
                || rel.starts_with(c.path)
                || f.home.is_some_and(|h| !c.path.starts_with(h))
            {
                continue;
            }
            let pat = &line[m.start()..m.end()];
            // A `-` joins words into another name (`git branch backup-before-rollback`
            // names no `backup/`).
            let open = delimited
                || m.start() == 0
                || !is_word(b[m.start() - 1]) && !b".-".contains(&b[m.start() - 1]);
            let close = m.end() == b.len()
                || !is_word(b[m.end()]) && b[m.end()] != b'-'
                || !is_word(*pat.as_bytes().last().unwrap_or(&b' '));
            if !(open && close) || c.is_dir && names_a_file(&b[m.end()..]) {
                continue;
            }
            if holder && !names_holder(rel, line, m.start(), m.end(), c) {
                continue;
            }
            if f.like_holder[i] && !into_copy(pat, c, b, m.start(), m.end()) {
                continue;
            }
            if removes(line, m.start())
                || urls::not_a_path(line, m.start())
                || mapping_key(line, m.start(), m.end())
                || in_other_place(line, m.start())
                || name_value(line, m.start(), m.end())
                || image_ref(line, m.start())
                || c.is_dir && !web && from_fs_root(line, m.start())
                || !c.is_dir && writes(line, m.start(), m.end())
            {
                continue;
            }
            if kind == Referrer::Code && rank > 0 && in_prose(line, m.start(), m.end()) {
                continue;
            }
            // A comment in a code block is prose where it names a folder (`# Cleanup old
            // backups` above a cron line); one naming a file may be a way to run it (`# or:
            // start.bat`).
            let command = fenced && !(c.is_dir && comment(line));
            if kind == Referrer::Docs && !doc_command(line, m.start(), m.end(), command) {
                continue;
            }
            // `src="app_old.js"`, `include 'header_old.php'`, `from './utils_old'`; not
            // "Full backups include all data" in a template's text.
            let quoted = delimited || m.start() > 0 && b"\"'/=(`".contains(&b[m.start() - 1]);
            if kind == Referrer::Markup && !quoted {
                continue;
            }
            cited.insert(i, rank);
            let excerpt: String = line.trim().chars().take(120).collect();
            out.insert(
                (*c.path).clone(),
                Reference {
                    file: rel.display(),
                    line: n + 1,
                    excerpt,
                    kind: if holder {
                        RefKind::Holder
                    } else {
                        RefKind::Mention
                    },
                },
            );
        }
    }
}

/// For a copy named like the folder holding it, whether the mention names the copy: its
/// whole path (`backend/backend`), or its name as a path into it (`./shop`, `shop/backend`);
/// the bare or quoted name is the project's.
fn into_copy(pat: &str, c: &Candidate, b: &[u8], at: usize, end: usize) -> bool {
    let name = c.named().0.file_name();
    let bare = pat.trim_matches(['\'', '"']).as_bytes() == name;
    let dotted = at >= 2 && &b[at - 2..at] == b"./";
    let inward = b.get(end) == Some(&b'/') && b.get(end + 1).is_some_and(|&n| is_word(n));
    !bare || dotted || inward
}

/// Extensions that make a name a file's (`scripts/backup.sh`, `backup.tar.gz`), not a
/// folder's. Not any word after a dot: `python -m backup.main` and `celery -A backup.tasks` run
/// a module of the folder.
const FILE_EXTENSIONS: &[&str] = &[
    "sh", "bash", "py", "js", "mjs", "cjs", "ts", "json", "yml", "yaml", "toml", "ini", "cfg",
    "conf", "txt", "md", "log", "sql", "db", "sqlite", "csv", "tar", "tgz", "gz", "zip", "7z",
    "bak", "bat", "cmd", "ps1", "xml", "html", "env", "dump",
];

/// Whether `after`, what follows a folder's name on a line, makes it a file's name: a dot, one
/// of [`FILE_EXTENSIONS`], then no more of a word.
fn names_a_file(after: &[u8]) -> bool {
    let Some(rest) = after.strip_prefix(b".") else {
        return false;
    };
    let ext = rest.iter().take_while(|&&c| is_word(c)).count();
    let word = String::from_utf8_lossy(&rest[..ext]).to_ascii_lowercase();
    FILE_EXTENSIONS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(path: &str, is_dir: bool) -> Vec<String> {
        let path = RelPath::from_bytes(path.as_bytes());
        let c = Candidate {
            path: &path,
            is_dir,
            within: None,
        };
        keys(&c).into_iter().map(|k| k.text).collect()
    }

    /// Every name a candidate goes by holds one of its cores, so a file with none of them
    /// names none of the candidates; and the core is as long as the names share.
    #[test]
    fn every_name_holds_a_core() {
        for (path, is_dir, want) in [
            ("debug_0.py", false, vec!["debug_0"]),
            ("src/utils_old.ts", false, vec!["utils_old"]),
            ("backup", true, vec!["backup"]),
            ("FIX_SUMMARY.md", false, vec!["FIX_SUMMARY.md"]),
            // A launcher is named by its folder too: nothing long enough is common.
            (
                "tools/win/run.bat",
                false,
                vec!["run.bat", "tools/win", "tools/win/run.bat", "win"],
            ),
        ] {
            let keys = keys_of(path, is_dir);
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let mut got = cores(&keys);
            got.sort();
            assert_eq!(got, want, "{path}: keys {keys:?}");
            for k in &keys {
                assert!(got.iter().any(|c| k.contains(c.as_str())), "{path}: {k}");
            }
        }
    }
}
