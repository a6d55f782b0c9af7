//! Tests of `compile.rs`, kept apart so the code reads on its own.
use super::*;
use globset::{GlobSet, GlobSetBuilder};

/// The combined matcher's answer equals asking every rule on its own (its globs and
/// excludes compiled here, one set per rule), on every example path of every built-in rule
/// and on each path one level down, as a file and as a directory.
#[test]
fn matching_agrees_with_each_rule() {
    let set = RuleSet::builtin().unwrap();
    let own: Vec<(GlobSet, GlobSet)> = set
        .rules
        .iter()
        .map(|r| {
            let sets = |ps: &[String]| {
                let mut b = GlobSetBuilder::new();
                for p in ps {
                    b.add(build_glob(p, r.ignore_case).unwrap());
                }
                b.build().unwrap()
            };
            (sets(&r.patterns), sets(&r.excludes))
        })
        .collect();
    let mut paths: Vec<String> = Vec::new();
    for r in &set.rules {
        paths.extend(r.examples.matches.iter().cloned());
        paths.extend(r.examples.no_match.iter().cloned());
    }
    assert!(paths.len() > 50, "the built-in rules carry examples");
    let deeper: Vec<String> = paths.iter().map(|p| format!("sub/{p}")).collect();
    paths.extend(deeper);
    let mut out = Vec::new();
    for p in &paths {
        let rel = RelPath::from_bytes(p.trim_end_matches('/').as_bytes());
        for is_dir in [false, true] {
            set.matching(&rel, is_dir, &mut out);
            let want: Vec<usize> = (0..set.rules.len())
                .filter(|&i| {
                    let r = &set.rules[i];
                    r.enabled
                        && r.kind_fits(is_dir)
                        && own[i].0.is_match(rel.as_path())
                        && !own[i].1.is_match(rel.as_path())
                })
                .collect();
            assert_eq!(out, want, "{p} (dir: {is_dir})");
            for i in 0..set.rules.len() {
                assert_eq!(set.path_matches(i, &rel, is_dir), want.contains(&i), "{p}");
            }
        }
    }
}

/// Built-in rules' excludes and marker names are compiled on first use (`lazy_set.rs`), where
/// a failure could only panic: every one of them is built here. A config's are built at load,
/// so a bad one is an error naming its line.
#[test]
fn every_built_in_rules_lazy_sets_build() {
    let set = RuleSet::builtin().unwrap();
    let mut built = 0;
    for r in &set.rules {
        let names = [&r.beside, &r.not_beside].map(|n| [&n.yes, &n.no]);
        for s in [&r.exclude].into_iter().chain(names.into_iter().flatten()) {
            s.build().unwrap_or_else(|e| panic!("rule {}: {e}", r.id));
            built += usize::from(!s.is_empty());
        }
    }
    assert!(
        built > 30,
        "the built-in rules have excludes and markers: {built}"
    );
}

/// What [`RuleSet::compile`] checks of a config's globs holds for every built-in one, which it
/// does not check at each start.
#[test]
fn no_built_in_glob_reaches_git_or_the_whole_tree() {
    let set = RuleSet::builtin().unwrap();
    assert!(set.rules.iter().all(|r| r.origin.builtin));
    assert_eq!(check_reach(&set.rules, &set.matcher), None);
}
