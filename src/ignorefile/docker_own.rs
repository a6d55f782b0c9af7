//! `.dockerignore` lines that would take the project's own files out of a build. A rule's line
//! is as wide as its pattern (`**/bin`, `**/coverage`, `backups`), while the rule selected only
//! what its guards let through (`src/Api/bin/` beside `Api.csproj`). Where the line would also
//! exclude a file git tracks that the cleanup leaves in place (a Rails `bin/docker-entrypoint`
//! the Dockerfile runs, an app's `src/pages/coverage/`), or a path the plan sends to review (a
//! `backups/` the project names), the image would lose it: the line is written as the paths
//! the rule selected in that context instead, or not at all.
//!
//! Only new lines of delete rules are judged. One already in the block stays, as in
//! `.gitignore`: it keeps out what `apply` removed (which the index may still list). A keep
//! rule's line (`**/*.log`, `**/.env`) excludes files kept on disk on purpose, a review rule's
//! (`.vscode`) what a project may keep in git but no image needs, and a line no rule carries is
//! the user's (or another version's).

use aho_corasick::AhoCorasick;

use crate::docker::DockerIgnore;
use crate::plan::Plan;
use crate::relpath::RelPath;
use crate::rules::{Action, RuleSet};

/// More selected paths than this and a line is not narrowed but left out: a block of hundreds
/// of paths is no ignore file a person can read.
pub(super) const MAX_NARROWED: usize = 32;

/// One line to judge: its two Docker readings and the rules that carry it.
struct Judged<'r> {
    line: String,
    igs: Vec<DockerIgnore>,
    owners: Vec<&'r str>,
}

/// A line in its place: written as it stands, or judged (its index in the judged lines).
enum Slot {
    As(String),
    Judged(usize),
}

/// Keep each line that excludes none of the project's own paths in the context at `prefix`;
/// write one that does as the paths its rules selected there, or drop it, with why.
pub fn keep_own(
    lines: Vec<String>,
    existing: &str,
    rules: &RuleSet,
    plan: &Plan,
    git: Option<&crate::git::GitInfo>,
    prefix: &RelPath,
) -> (Vec<String>, Vec<String>) {
    let mut judged = Vec::new();
    let mut out = Vec::new();
    let block = super::block::parts(existing).block;
    for l in lines {
        let carriers: Vec<&crate::rules::Rule> = (rules.rules.iter())
            .filter(|r| r.enabled && r.dockerignore.contains(&l))
            .collect();
        // A keep rule's line excludes what stays on disk on purpose, and a review rule's
        // (`.vscode`) what the project may keep in git but no image needs.
        if block.contains(&l.as_str())
            || carriers.is_empty()
            || carriers.iter().any(|r| r.action != Action::Delete)
        {
            out.push(Slot::As(l));
            continue;
        }
        out.push(Slot::Judged(judged.len()));
        judged.push(Judged {
            igs: super::own_paths::both_walks(&l),
            owners: carriers.iter().map(|r| r.id.as_str()).collect(),
            line: l,
        });
    }
    let hits = first_hits(plan, git, prefix, &judged);
    let (mut kept, mut dropped) = (Vec::new(), Vec::new());
    let mut keep = |l: String| {
        if !kept.contains(&l) {
            kept.push(l);
        }
    };
    for o in out {
        let (j, hit) = match o {
            Slot::As(l) => {
                keep(l);
                continue;
            }
            Slot::Judged(i) => (&judged[i], &hits[i]),
        };
        let Some(why) = hit else {
            keep(j.line.clone());
            continue;
        };
        match narrowed(plan, prefix, j) {
            Some(paths) => {
                dropped.push(format!(
                    "{} ({why}; written as {} instead)",
                    j.line,
                    paths.join(", ")
                ));
                paths.into_iter().for_each(&mut keep);
            }
            None => dropped.push(format!("{} ({why})", j.line)),
        }
    }
    (kept, dropped)
}

/// A delete rule's line refused for another reason (a Dockerfile COPYs from what it would
/// exclude: `**/target` over Spring Boot's `target/*.jar`) as the paths its rules selected in
/// the context at `prefix` (`tools/target`); `None` where a keep or review rule carries it
/// too, or [`narrowed`] finds none to write.
pub(super) fn as_selected(
    line: &str,
    rules: &RuleSet,
    plan: &Plan,
    prefix: &RelPath,
) -> Option<Vec<String>> {
    let carriers: Vec<&crate::rules::Rule> = (rules.rules.iter())
        .filter(|r| r.enabled && r.dockerignore.iter().any(|d| d == line))
        .collect();
    if carriers.is_empty() || carriers.iter().any(|r| r.action != Action::Delete) {
        return None;
    }
    let j = Judged {
        igs: super::own_paths::both_walks(line),
        owners: carriers.iter().map(|r| r.id.as_str()).collect(),
        line: line.to_string(),
    };
    narrowed(plan, prefix, &j)
}

/// Bytes every path a line excludes holds, under either walk: its longest run of letters,
/// digits and `_-.~` outside a class (`**/coverage`: `coverage`; `**/*.pyc`: `.pyc`; `**/*~`:
/// `~`). The old walk read a line as a regular expression, where `+`, `(` or `|` are no
/// literal (it escaped only `.` and `$`), so they end a run. `None` where the line has none
/// or an escape. Unlike the current walk's own prefilter (`docker::glob::needed`, two bytes
/// or more of one walk), a run of one byte counts: `**/*~` would otherwise be tried on every
/// path.
fn literal(l: &str) -> Option<&[u8]> {
    if l.contains('\\') {
        return None;
    }
    let (mut best, mut start, mut class) = (&b""[..], 0, false);
    let b = l.as_bytes();
    for i in 0..=b.len() {
        let c = b.get(i).copied();
        let word = c.is_some_and(|c| {
            !class && (c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'~'))
        });
        if !word {
            if i - start > best.len() {
                best = &b[start..i];
            }
            start = i + 1;
        }
        match c {
            Some(b'[') => class = true,
            Some(b']') => class = false,
            _ => {}
        }
    }
    (!best.is_empty()).then_some(best)
}

/// For each judged line, why it must not be written as it is: the first own path it excludes.
/// One pass over the tracked files in the context: a line is tried only on paths holding its
/// [`literal`], so a 100,000-file context costs one substring scan per path.
fn first_hits(
    plan: &Plan,
    git: Option<&crate::git::GitInfo>,
    prefix: &RelPath,
    judged: &[Judged],
) -> Vec<Option<String>> {
    let mut hits: Vec<Option<String>> = vec![None; judged.len()];
    if judged.is_empty() {
        return hits;
    }
    let lits: Vec<Option<&[u8]>> = judged.iter().map(|j| literal(&j.line)).collect();
    let with: Vec<usize> = (0..judged.len()).filter(|&i| lits[i].is_some()).collect();
    let always: Vec<usize> = (0..judged.len()).filter(|&i| lits[i].is_none()).collect();
    let Ok(ac) = AhoCorasick::new(with.iter().filter_map(|&i| lits[i])) else {
        return hits;
    };
    // Made only once a line excludes a tracked file (most runs: never).
    let leaving = std::cell::OnceCell::new();
    let stays = |t: &[u8]| leaving.get_or_init(|| super::Leaving::of(plan)).stays(t);
    // Tracked paths are seen from the context as slices of the index's own bytes: no path is
    // made for each of a 100,000-file context's files.
    let cut = match prefix.is_root() {
        true => 0,
        false => prefix.as_bytes().len() + 1,
    };
    let tracked = (git.into_iter())
        .flat_map(|g| g.tracked_paths_under(prefix))
        .filter(|t| t.len() > cut)
        .map(|t| (t, &t[cut..], false));
    let review: Vec<RelPath> = (plan.entries.iter())
        .filter(|e| e.referenced_by.is_some())
        .filter_map(|e| e.rel())
        .collect();
    let review = (review.iter()).filter_map(|r| {
        let inside = crate::relpath::seen_from(prefix, r)??;
        Some((r.as_bytes(), inside, true))
    });
    let mut cands = Vec::new();
    for (p, inside, review) in tracked.chain(review) {
        cands.clear();
        cands.extend(
            ac.find_overlapping_iter(inside)
                .map(|m| with[m.pattern().as_usize()]),
        );
        cands.extend(&always);
        for &i in &cands {
            if hits[i].is_some() || !judged[i].igs.iter().any(|ig| ig.excluded(inside)) {
                continue;
            }
            // A tracked file `apply` deleted without `--commit` is leaving too.
            let gone = || git.is_some_and(|g| !g.in_work_tree(p));
            if !review && (!stays(p) || gone()) {
                break;
            }
            let shown = String::from_utf8_lossy(inside);
            hits[i] = Some(match review {
                true => format!("it would exclude `{shown}`, which the plan leaves for review"),
                false => {
                    format!("it would exclude `{shown}`, which git tracks and the cleanup keeps")
                }
            });
        }
        if hits.iter().all(Option::is_some) {
            break;
        }
    }
    hits
}

/// The paths, seen from the context at `prefix`, of what the line's rules delete there that
/// it excludes; `None` where there are none, too many, or one that is not a plain name
/// (letters, digits, `._-/`: such a path is a Docker pattern matching only itself).
fn narrowed(plan: &Plan, prefix: &RelPath, j: &Judged) -> Option<Vec<String>> {
    let plain = |p: &[u8]| {
        p.iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/'))
    };
    let mut out: Vec<String> = Vec::new();
    for e in plan
        .deletions()
        .filter(|e| j.owners.contains(&e.rule.as_str()))
    {
        let rel = e.rel()?;
        let Some(Some(inside)) = crate::relpath::seen_from(prefix, &rel) else {
            continue;
        };
        if !j.igs.iter().any(|ig| ig.excluded(inside)) {
            continue;
        }
        if !plain(inside) {
            return None;
        }
        let p = String::from_utf8_lossy(inside).into_owned();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    (!out.is_empty() && out.len() <= MAX_NARROWED).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn a_line_needs_its_longest_plain_run() {
        let l = |s| literal(s).map(|b| String::from_utf8_lossy(b).into_owned());
        assert_eq!(l("**/coverage").as_deref(), Some("coverage"));
        assert_eq!(l("**/*.pyc").as_deref(), Some(".pyc"));
        assert_eq!(l("**/*~").as_deref(), Some("~"));
        assert_eq!(l("a+b(cd)").as_deref(), Some("cd"));
        assert_eq!(l("_*backup*").as_deref(), Some("backup"));
        assert_eq!(l("**/__pycache__").as_deref(), Some("__pycache__"));
        assert_eq!(l("**/[Bb]in").as_deref(), Some("in"));
        assert_eq!(l("*"), None);
        assert_eq!(l("a\\*b"), None);
    }
}
