//! The fix a junk finding offers, and only one that works: `ignore --write` where a line it
//! writes excludes the junk, `apply` for litter left behind once, and for what a Dockerfile
//! copies from, the lines to write by hand.

use super::build::View;

/// What the build copies from the delete entries: Spring Boot's `COPY target/*.jar app.jar`
/// reads the `target/` that `maven-target` selects (made by `mvn package` before `docker
/// build`). The jar is the build's input, not junk a `COPY . .` sweeps in, and no
/// `.dockerignore` line may exclude `target/` (the writer refuses one); the rest of `target/`
/// is junk all the same. A source above an entry (`COPY backend/ .` over
/// `backend/__pycache__/`) or beside it (`COPY *.py` over `old_app.py`) copies from no entry.
#[derive(Clone)]
pub(super) struct Copied {
    /// Per delete entry: the COPY/ADD sources that lie in it, each with its Dockerfile line
    /// (netbird's docs copy `.next/standalone` and `.next/static` from one `.next`).
    by_entry: Vec<Vec<(String, usize)>>,
    /// The sources as `.dockerignore` patterns: what they match is what they copy.
    sources: Option<crate::docker::DockerIgnore>,
}

impl Copied {
    pub(super) fn of(v: &View<'_>) -> Copied {
        let sources: Vec<(String, usize)> = (v.copies().iter())
            .filter_map(|c| Some((c.pattern()?, c.line)))
            .collect();
        let by_entry = (v.deletions.iter())
            .map(|(inside, ..)| {
                let Some(d) = inside.as_deref() else {
                    return Vec::new();
                };
                (sources.iter())
                    .filter(|(p, _)| {
                        crate::relpath::within(crate::ignorefile::copy_sample(p).as_bytes(), d)
                    })
                    .cloned()
                    .collect()
            })
            .collect();
        let text: Vec<&str> = sources.iter().map(|(p, _)| p.as_str()).collect();
        let walk = crate::docker::walk::Walk::Current;
        Copied {
            by_entry,
            sources: crate::docker::DockerIgnore::parse_for(&text.join("\n"), "COPY", walk).ok(),
        }
    }

    /// Whether the sent file `path`, in delete entry `i`, is one the build copies.
    pub(super) fn copies(&self, i: usize, path: &[u8]) -> bool {
        !self.by_entry[i].is_empty() && self.sources.as_ref().is_some_and(|m| m.excluded(path))
    }

    /// The first of `hits` the build copies from, as the lines that exclude the rest of it.
    fn by_hand(&self, v: &View<'_>, hits: &[usize]) -> Option<String> {
        let (i, copied) = (hits.iter())
            .map(|&i| (i, &self.by_entry[i]))
            .find(|(_, c)| !c.is_empty())?;
        let inside = String::from_utf8_lossy(v.deletions[i].0.as_deref()?).into_owned();
        let df = super::rel_to(v.root, &v.b.dockerfile);
        let quoted = |f: &dyn Fn(&(String, usize)) -> String| -> String {
            let all: Vec<String> = copied.iter().map(f).collect();
            crate::docker::names::and_list(&all)
        };
        let sources = quoted(&|(s, _)| format!("`{s}`"));
        let lines = quoted(&|(_, l)| l.to_string());
        let mut again = vec![format!("`{inside}`")];
        again.extend(copied.iter().map(|(s, _)| format!("`!{s}`")));
        let again = crate::docker::names::and_list(&again);
        let (line, copies, that) = match copied.len() {
            1 => ("line", "copies", "that"),
            _ => ("lines", "copy", "those"),
        };
        Some(format!(
            "{df} {line} {lines} {copies} {sources} from `{inside}`, so no line `ignore --write` writes may exclude it: to send only {that}, add {again} to .dockerignore yourself"
        ))
    }
}

/// The fix of a `junk-in-context` for `rule`'s delete entries `hits`.
pub(super) fn rule_fix(v: &View<'_>, copied: &Copied, rule: &str, hits: &[usize]) -> String {
    if let Some(by_hand) = copied.by_hand(v, hits) {
        return by_hand;
    }
    match lined(v, rule, hits) {
        true => "exclude it in .dockerignore (`mami-clean ignore --write`) or delete it (`mami-clean apply`)".to_string(),
        false => format!("delete it (`mami-clean apply`); {}", no_line_for(&[rule])),
    }
}

/// The fix of a `missing-dockerignore` for the junk of `rules` (each with its delete
/// entries): the file `ignore --write` makes excludes what the rules with a line select; the
/// rest is for `apply` to delete, and what a build copies from, for lines written by hand.
/// How a missing-dockerignore fix says `ignore --write` makes the file, whole or for the rest
/// of what is sent; [`super::unused_ignore`] says instead that it adds to one renamed into place.
pub(super) const CREATES_ONE: &str = "creates one that excludes";
pub(super) const CREATES_FILE: &str = "creates a .dockerignore that excludes";

pub(super) fn missing_fix(v: &View<'_>, copied: &Copied, rules: &[(&str, &[usize])]) -> String {
    let mut by_hand: Vec<String> = Vec::new();
    let mut rest: Vec<&(&str, &[usize])> = Vec::new();
    for r in rules {
        match copied.by_hand(v, r.1) {
            Some(h) => by_hand.push(h),
            None => rest.push(r),
        }
    }
    let unlined: Vec<&str> = (rest.iter())
        .filter(|(rule, hits)| !lined(v, rule, hits))
        .map(|(rule, _)| *rule)
        .collect();
    let fix = if rest.is_empty() {
        String::new()
    } else if unlined.is_empty() {
        format!("`mami-clean ignore --write` {CREATES_ONE} it (or delete it: `mami-clean apply`)")
    } else if unlined.len() == rest.len() {
        format!("delete it (`mami-clean apply`); {}", no_line_for(&unlined))
    } else {
        let named: Vec<String> = unlined.iter().map(|r| format!("`{r}`")).collect();
        format!(
            "delete what {} {} (`mami-clean apply`: no line `ignore --write` writes covers all of it); `mami-clean ignore --write` {CREATES_FILE} the rest",
            crate::docker::names::and_list(&named),
            selects(unlined.len())
        )
    };
    (std::iter::once(fix).filter(|f| !f.is_empty()))
        .chain(by_hand)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether `ignore --write` gives the context a line that excludes each of `hits` (delete
/// entries of `rule`): one of the rule's lines, or for a directory they miss, the line naming
/// it that it writes then (`venv_310`). A rule for litter left behind once (a root
/// `debug.png`, a phase report) has no lines: `apply` deletes it, and no build makes it again.
fn lined(v: &View<'_>, rule: &str, hits: &[usize]) -> bool {
    let Some(r) = v.rules.by_id(rule).filter(|r| !r.dockerignore.is_empty()) else {
        return false;
    };
    let walk = crate::docker::walk::Walk::Current;
    let Ok(ig) = crate::docker::DockerIgnore::parse_for(&r.dockerignore.join("\n"), "rule", walk)
    else {
        return false;
    };
    hits.iter().all(|&i| {
        let (inside, _, e) = &v.deletions[i];
        e.kind == crate::scan::EntryKind::Dir || inside.as_deref().is_some_and(|p| ig.excluded(p))
    })
}

/// Says that `ignore --write` writes no line for these rules' selections.
fn no_line_for(rules: &[&str]) -> String {
    let named: Vec<String> = rules.iter().map(|r| format!("`{r}`")).collect();
    format!(
        "no .dockerignore line `ignore --write` writes covers all of what {} {}: it is litter left behind once, not made again by a build",
        crate::docker::names::and_list(&named),
        selects(rules.len())
    )
}

/// The verb for `n` rules.
fn selects(n: usize) -> &'static str {
    if n == 1 {
        "selects"
    } else {
        "select"
    }
}
