//! `plan` and `explain` for people: entries by phase, reviews, protections, notes, totals and
//! the headline; and why a path is selected, kept or protected.

use std::fmt::Write;

use super::*;

pub(super) fn shown_path(e: &Entry) -> String {
    let mut p = visible(&e.path).into_owned();
    if e.kind == EntryKind::Dir {
        p.push('/');
    }
    p
}

pub(super) fn recovery_text(e: &Entry) -> String {
    if e.untrusted {
        return "UNTRUSTED rule: not applied until `mami-clean trust`".into();
    }
    match e.recovery {
        Recovery::Git => "git".into(),
        Recovery::Backup => "backup".into(),
        Recovery::Regenerable => format!("regenerable: {}", e.regenerate.as_deref().unwrap_or("?")),
    }
}

/// The headline, e.g. `would free 1.07 GB — work tree 1.50 GB → 430.00 MB (−71%; .git aside);
/// build contexts 1.20 GB → 310.00 MB (−74%)`, with `of the 1.10 GB target (97%)` after the
/// freed bytes when a target is set. The work tree is the tree less `.git`, as `apply`'s
/// post-checks count it; contexts that several builds share count once.
pub fn headline(plan: &Plan) -> String {
    let freed = plan.total_bytes;
    let tree = plan.tree.bytes.saturating_sub(plan.git_dir.bytes);
    let goal = plan.target_bytes.map_or(String::new(), |g| {
        format!(" of the {} target ({:.0}%)", human(g), percent(freed, g))
    });
    let mut line = format!(
        "would free {}{goal} — work tree {} → {} (−{:.0}%; .git aside)",
        human(freed),
        human(tree),
        human(tree.saturating_sub(freed)),
        percent(freed, tree),
    );
    if !plan.contexts.is_empty() {
        let (before, after, n) = contexts_total(&plan.contexts);
        let what = if n == 1 {
            "build context"
        } else {
            "build contexts"
        };
        let _ = write!(
            line,
            "; {what} {} → {} (−{:.0}%)",
            human(before),
            human(after),
            percent(before.saturating_sub(after), before)
        );
    }
    line
}

/// Bytes sent now and after, summed over the plan's contexts, and how many: rows that read
/// one context with one ignore file (interview-gpt's three builds of `.`, 554 MB each) send
/// the same bytes, counted once (a plan saved before rows named their context counts each).
fn contexts_total(contexts: &[crate::docker::context::Forecast]) -> (u64, u64, usize) {
    let mut seen = std::collections::HashSet::new();
    (contexts.iter())
        .filter(|c| c.context.is_empty() || seen.insert((&c.context, &c.ignore_file)))
        .fold((0, 0, 0), |(b, a, n), c| {
            (b + c.bytes_before, a + c.bytes_after, n + 1)
        })
}

/// Entries of one rule in one directory below the root, more than this many, are one row
/// too (shipmate-laravel's 56 compiled views in `storage/framework/views/` were 56 rows);
/// each is in the JSON plan and in `plan --out`. At the root each stays a row of its own:
/// the litter there is what a person reads the plan for.
const SIBLINGS_IN_ONE_ROW: usize = 5;

/// The directory an entry lies in, below the root.
fn parent(e: &Entry) -> Option<&str> {
    e.path.rsplit_once('/').map(|(d, _)| d)
}

/// `entries` in order, the parts of one split selection (same directory, same rule) as one
/// group where the first of them stands: a backup folder that keeps its `.env` is one row, not
/// one per file beside it; so are many entries of one rule in one directory.
fn parts_together<'a>(entries: &[&'a Entry]) -> Vec<Vec<&'a Entry>> {
    let mut siblings: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for e in entries.iter().filter(|e| e.part_of.is_none()) {
        if let Some(d) = parent(e) {
            *siblings.entry((d, e.rule.as_str())).or_default() += 1;
        }
    }
    let mut groups: Vec<Vec<&Entry>> = Vec::new();
    let mut at: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for &e in entries {
        let rule = e.rule.as_str();
        let dir = e.part_of.as_deref().or_else(|| {
            parent(e).filter(|d| siblings.get(&(*d, rule)) > Some(&SIBLINGS_IN_ONE_ROW))
        });
        let Some(dir) = dir else {
            groups.push(vec![e]);
            continue;
        };
        match at.get(&(dir, rule)) {
            Some(&i) => groups[i].push(e),
            None => {
                at.insert((dir, rule), groups.len());
                groups.push(vec![e]);
            }
        }
    }
    groups
}

/// A group's path: the entry's own, or for several, the directory they are in (a split
/// selection's, or their parent), how many of its paths the row holds, and the first few.
fn group_path(g: &[&Entry]) -> String {
    let dir = g[0].part_of.as_deref().or_else(|| parent(g[0]));
    match (g.len(), dir) {
        (1, _) | (_, None) => shown_path(g[0]),
        (n, Some(dir)) => {
            let names: Vec<String> = (g.iter().take(3))
                .map(|e| {
                    let p = shown_path(e);
                    p.strip_prefix(&format!("{}/", visible(dir)))
                        .unwrap_or(&p)
                        .to_string()
                })
                .collect();
            let more = if n > 3 { ", …" } else { "" };
            format!(
                "{}/ ({n} of its paths: {}{more})",
                visible(dir),
                names.join(", ")
            )
        }
    }
}

/// The first of `texts`, and how many others differ from it (each is in the JSON plan).
fn joined(texts: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for t in texts {
        if !seen.contains(&t) {
            seen.push(t);
        }
    }
    match seen.len() {
        0 | 1 => seen.concat(),
        n => format!("{} (and {} more: `--format json` has each)", seen[0], n - 1),
    }
}

/// The plan for people: entries by phase, review items, protections, notes, the phase table,
/// the largest entries, and the headline last (where the eye lands).
pub fn plan_human(plan: &Plan, top: usize) -> String {
    let mut o = String::new();
    let git = match &plan.git {
        Some(g) => format!(
            "git {}, {}",
            g.head
                .as_deref()
                .map_or("(no commits)", |h| &h[..h.len().min(10)]),
            plural(g.tracked_files, "tracked file", "tracked files")
        ),
        None => "not a git repository: nothing is git-recoverable".into(),
    };
    let _ = writeln!(o, "mami-clean plan for {}", V(&plan.root));
    let _ = writeln!(o, "  {git}; rules {}", &plan.rules_hash[..12]);
    if let Some(u) = &plan.untrusted_config {
        let _ = writeln!(
            o,
            "  {} is not trusted: shown as written, but `apply` ignores its rules and its `disable` of keep rules (review it, then `mami-clean trust`)",
            V(u)
        );
    }

    let width = plan
        .entries
        .iter()
        .map(|e| shown_path(e).chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    let rw = plan.entries.iter().map(|e| e.rule.len()).max().unwrap_or(0);
    for ph in &plan.phases {
        let items: Vec<&Entry> = plan.deletions().filter(|e| e.phase == ph.phase).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\nPhase {} · {}: {}", ph.phase, ph.name, ph.title);
        for g in parts_together(&items) {
            let what = joined(g.iter().map(|e| recovery_text(e)));
            let _ = writeln!(
                o,
                "  {:>11}  {:<width$}  {:<rw$}  {what}",
                human(g.iter().map(|e| e.bytes).sum()),
                group_path(&g),
                g[0].rule,
            );
        }
    }

    let reviews: Vec<&Entry> = plan.reviews().collect();
    if !reviews.is_empty() {
        let _ = writeln!(o, "\nReview (reported, never deleted)");
        for g in parts_together(&reviews) {
            let why = joined(g.iter().map(|e| V(&e.reason).to_string()));
            let _ = writeln!(
                o,
                "  {:>11}  {:<width$}  {:<rw$}  {why}",
                human(g.iter().map(|e| e.bytes).sum()),
                group_path(&g),
                g[0].rule,
            );
        }
    }

    let shadowed: Vec<_> = plan
        .protected
        .iter()
        .filter(|p| p.matched_rule.is_some())
        .collect();
    if !shadowed.is_empty() {
        let _ = writeln!(o, "\nProtected (a rule matched; kept)");
        for p in shadowed {
            let by = match &p.keep_rule {
                Some(k) => format!("keep rule `{k}`"),
                None => p.protection.describe().to_string(),
            };
            let _ = writeln!(
                o,
                "  {:<width$}  matched `{}`, kept: {by}",
                V(&p.path),
                p.matched_rule.as_deref().unwrap_or("")
            );
        }
    }

    if !plan.notes.is_empty() {
        let _ = writeln!(o, "\nNotes");
        for n in &plan.notes {
            let kind = serde_json::to_value(n.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(o, "  {kind:<12}  {}  {}", V(&n.path), V(&n.message));
        }
    }

    // The last column measures against the target when one is set, else the work tree.
    let (whole, of) = match plan.target_bytes {
        Some(g) => (g, "of target"),
        None => (
            plan.tree.bytes.saturating_sub(plan.git_dir.bytes),
            "  of tree",
        ),
    };
    let _ = writeln!(o, "\n  phase         entries     files         size  {of}");
    for ph in &plan.phases {
        let row = format!(
            "  {} {:<10} {:>7} {:>9} {:>12} {:>9.1}%  {}",
            ph.phase,
            ph.name,
            ph.entries,
            ph.files,
            human(ph.bytes),
            percent(ph.bytes, whole),
            bar(ph.bytes, whole, 20)
        );
        let _ = writeln!(o, "{}", row.trim_end());
    }
    let n: u64 = plan.phases.iter().map(|p| p.entries).sum();
    let f: u64 = plan.phases.iter().map(|p| p.files).sum();
    let _ = writeln!(
        o,
        "  {:<12} {:>7} {:>9} {:>12} {:>9.1}%",
        "total",
        n,
        f,
        human(plan.total_bytes),
        percent(plan.total_bytes, whole)
    );

    if !plan.contexts.is_empty() {
        let _ = writeln!(
            o,
            "\nDocker build contexts (now → after cleanup and ignore files)"
        );
        // Bars on one scale, the largest context now: what each sends now, and after.
        let most = plan
            .contexts
            .iter()
            .map(|c| c.bytes_before)
            .max()
            .unwrap_or(0);
        for c in &plan.contexts {
            let _ = writeln!(
                o,
                "  {:<40} {:>11} → {:>11}  ({} → {})",
                V(&c.name),
                human(c.bytes_before),
                human(c.bytes_after),
                c.files_before,
                plural(c.files_after, "file", "files")
            );
            if let (Some(b), Some(a)) = (c.image_bytes_before, c.image_bytes_after) {
                let _ = writeln!(
                    o,
                    "  {:<40} {:>11} → {:>11}  copied from the context into the image",
                    "",
                    human(b),
                    human(a)
                );
            }
            for (when, bytes) in [("now  ", c.bytes_before), ("after", c.bytes_after)] {
                let row = format!("  {:<40} {when} {}", "", bar(bytes, most, 30));
                let _ = writeln!(o, "{}", row.trim_end());
            }
        }
    }

    // A split selection is one entry here too, as in its phase.
    let deletions: Vec<&Entry> = plan.deletions().collect();
    let mut largest: Vec<(u64, Vec<&Entry>)> = (parts_together(&deletions).into_iter())
        .map(|g| (g.iter().map(|e| e.bytes).sum(), g))
        .collect();
    largest.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1[0].path.cmp(&b.1[0].path)));
    if top > 0 && !largest.is_empty() {
        let _ = writeln!(o, "\nLargest entries");
        let most = largest[0].0;
        for (bytes, g) in largest.into_iter().take(top) {
            let _ = writeln!(
                o,
                "  {:>11}  {:<20}  {:<width$}  phase {} {}",
                human(bytes),
                bar(bytes, most, 20),
                group_path(&g),
                g[0].phase,
                phase_name(g[0].phase)
            );
        }
    }
    let untrusted = plan.entries.iter().filter(|e| e.untrusted).count();
    if untrusted > 0 {
        let _ = writeln!(o, "\n{untrusted} entries come from rules of an untrusted mami-clean.toml: shown, not counted, not applied (review it, then `mami-clean trust`)");
    }
    let _ = writeln!(o, "\n{}", headline(plan));
    o
}

pub(super) fn action_name(a: Action) -> &'static str {
    match a {
        Action::Delete => "delete",
        Action::Review => "review",
        Action::Keep => "keep",
    }
}

pub fn explain_human(e: &Explanation) -> String {
    let mut o = String::new();
    let kind = if !e.exists {
        " (does not exist)"
    } else if e.is_dir {
        "/"
    } else {
        ""
    };
    let _ = writeln!(o, "{}{kind}", V(&e.path));
    let _ = writeln!(o, "  {}", V(&e.verdict));
    if !e.exists {
        let _ = writeln!(o, "  it does not exist: its guards are checked against what is on disk (as a file and as a directory)");
    }
    if e.rules.is_empty() {
        let _ = writeln!(o, "  no rule's globs match this path itself");
    }
    for c in &e.rules {
        let status = if c.failed_guards.is_empty() {
            "applies".to_string()
        } else {
            format!("guard fails: {}", visible(&c.failed_guards.join("; ")))
        };
        let _ = writeln!(
            o,
            "  rule `{}` ({}, {}): {status}",
            c.rule,
            action_name(c.action),
            V(&c.origin)
        );
    }
    o
}
