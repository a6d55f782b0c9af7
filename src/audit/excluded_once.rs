//! One `copy-source-excluded` finding per excluding line: Dockerfiles that COPY the same
//! source from the same context, which the same `.dockerignore` line excludes (ElementMedica's
//! four `backend/Dockerfile.*`, each copying `jest.config.js` that line 86 leaves out), are one
//! problem with one fix, not four.

use std::collections::{BTreeMap, HashMap};

use super::Finding;
use crate::docker::names::and_names;

/// Folds each such group into its first finding, which stays where it is (its Dockerfile's
/// COPY line) and names the other COPYs and their builds.
pub(super) fn one_per_excluding_line(findings: &mut Vec<Finding>) {
    // (message, fix) → the first finding saying it; the message names the source, the
    // `.dockerignore` and its line, not the Dockerfile.
    let mut first: HashMap<(String, String), usize> = HashMap::new();
    let mut others: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        if f.code != "copy-source-excluded" {
            continue;
        }
        let j = *first.entry((f.message.clone(), f.fix.clone())).or_insert(i);
        if j != i && findings[j].path != f.path {
            others.entry(j).or_default().push(i);
        }
    }
    let mut gone = vec![false; findings.len()];
    for (j, rest) in others {
        let place = |f: &Finding| match f.line {
            Some(l) => format!("{}:{l}", f.path),
            None => f.path.clone(),
        };
        let places: Vec<String> = rest.iter().map(|&i| place(&findings[i])).collect();
        let mut builds: Vec<String> = findings[j].build.iter().cloned().collect();
        builds.extend(rest.iter().filter_map(|&i| findings[i].build.clone()));
        let f = &mut findings[j];
        let instruction = f.message.split(' ').next().unwrap_or("COPY").to_string();
        f.message = format!(
            "{}; so is the same {instruction} in {}",
            f.message,
            and_names(&places)
        );
        f.build = Some(and_names(&builds));
        rest.iter().for_each(|&i| gone[i] = true);
    }
    let mut gone = gone.into_iter();
    findings.retain(|_| !gone.next().unwrap_or(false));
}
