//! One finding per problem across builds: builds that share a context and ignore file (two
//! compose services with `build: .`) find the same things, said once with every build named,
//! their fixes joined where each says something the other does not.

use std::collections::HashMap;

use super::{fix_merge, Finding};

/// One finding per problem: builds that share a context and ignore file (two compose services
/// with `build: .`) find the same things, said once with every build named.
pub(super) fn one_per_problem(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    // (code, path, line, bytes, message) → its place in `out`: the message as it is (one that
    // names no build: Tandoor's `Dockerfile*` line, whose example path is one build's name),
    // and with the build's name taken out (one that names its build).
    let mut exact: HashMap<Key, usize> = HashMap::new();
    let mut seen: HashMap<Key, usize> = HashMap::new();
    // The builds each finding in `out` is for, by its place, and its fix with the build's
    // name taken out while every build's fix is that one (appwrite's eleven services missing
    // one Dockerfile: one fix naming them all, not eleven).
    let mut names: Vec<Vec<String>> = Vec::with_capacity(findings.len());
    let mut fixes: Vec<Option<String>> = Vec::with_capacity(findings.len());
    for f in findings {
        let Some(build) = f.build.clone() else {
            names.push(Vec::new());
            fixes.push(None);
            out.push(f);
            continue;
        };
        let fix = name_out(&f.fix, &build);
        let as_is = key(&f, f.message.clone());
        let key = key(&f, name_out(&f.message, &build));
        if let Some(&i) = exact.get(&as_is) {
            names[i].push(build);
            let joined = crate::docker::names::and_names(&names[i]);
            add_fix(&mut out[i], &mut fixes[i], &f.fix);
            out[i].build = Some(joined);
        } else if let Some(&i) = seen.get(&key) {
            names[i].push(build);
            let joined = crate::docker::names::and_names(&names[i]);
            let first = &mut out[i];
            first.message = key.4.replace('\0', &joined);
            if fixes[i].as_ref() == Some(&fix) {
                first.fix = fix.replace('\0', &joined);
            } else {
                add_fix(first, &mut fixes[i], &f.fix);
            }
            first.build = Some(joined);
        } else {
            exact.insert(as_is, out.len());
            seen.insert(key, out.len());
            names.push(vec![build]);
            fixes.push(Some(fix));
            out.push(f);
        }
    }
    out
}

/// `text` with each mention of the build `name` as a whole name replaced by `\0`. A build
/// named `Dockerfile` is not taken out of `Dockerfile.backup` (Kalpana-AI-Backend: its junk
/// finding then differed from the other builds' and was said twice).
fn name_out(text: &str, name: &str) -> String {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "_-/".contains(c));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        let (before, after) = (&rest[..at], &rest[at + name.len()..]);
        let mut next = after.chars();
        let follows = match next.next() {
            // A sentence's full stop ends the name; a dot inside a file name does not.
            Some('.') => part(next.next()) || after[1..].starts_with('.'),
            c => part(c),
        };
        out.push_str(before);
        if part(out.chars().last()) || out.ends_with('.') || follows {
            out.push_str(name);
        } else {
            out.push('\0');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// What makes two builds' findings one problem: code, place, size and message.
type Key = (&'static str, String, Option<usize>, Option<u64>, String);

fn key(f: &Finding, message: String) -> Key {
    (f.code, f.path.clone(), f.line, f.bytes, message)
}

/// Another build's fix for the same problem, when it says something the first does not (the
/// same file sent by two contexts: each context's ignore file needs its line).
fn add_fix(first: &mut Finding, templated: &mut Option<String>, fix: &str) {
    if !first.fix.contains(fix) {
        *templated = None;
        first.fix =
            fix_merge::merged(&first.fix, fix).unwrap_or_else(|| format!("{}; {}", first.fix, fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_name_is_taken_out_only_as_a_whole_name() {
        let m = "1 kB (Dockerfile.backup, a/Dockerfile) is sent to the build context of Dockerfile";
        assert_eq!(
            name_out(m, "Dockerfile"),
            "1 kB (Dockerfile.backup, a/Dockerfile) is sent to the build context of \0"
        );
        assert_eq!(name_out("of Dockerfile. Then", "Dockerfile"), "of \0. Then");
        assert_eq!(name_out("of Dockerfile: x", "Dockerfile"), "of \0: x");
        assert_eq!(name_out("`Dockerfile`", "Dockerfile"), "`\0`");
        let svc = "docker-compose.yml: service api";
        assert_eq!(
            name_out(&format!("the context of {svc} has"), svc),
            "the context of \0 has"
        );
    }
}
