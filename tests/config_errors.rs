//! Bad config: every error names the file, the line and (where there is one) the rule id, exits
//! 2, and nothing is scanned or printed on stdout.

mod common;

use common::*;

fn with_config(text: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mami-clean.toml"), text).unwrap();
    std::fs::write(dir.path().join("DOCKER_READY.md"), "x").unwrap();
    let o = run(dir.path(), &["plan"]);
    (dir, o)
}

/// (config text, line the error must name, words the message must contain)
const CASES: &[(&str, usize, &[&str])] = &[
    ("targte = \"1GB\"\n", 1, &["unknown field `targte`"]),
    ("target = \"lots\"\n", 1, &["invalid target size"]),
    ("disable = [\"no-such-rule\"]\n", 1, &["no-such-rule", "does not exist"]),
    ("\n[[rule]]\nid = \"x\"\nphase = 1\nreason = \"r\"\nmatch = [\"a\"]\nexclud = [\"b\"]\n", 7, &["unknown field `exclud`"]),
    ("[[rule]]\nid = \"bad-glob\"\nphase = 1\nreason = \"r\"\nmatch = [\"a/[b\"]\n", 5, &["rule `bad-glob`", "bad glob"]),
    ("[[rule]]\nid = \"node-modules\"\nphase = 7\nreason = \"r\"\nmatch = [\"x\"]\n", 2, &["rule `node-modules`", "duplicate rule id", "rules/07-deps.toml:8"]),
    // Rules are checked side by side; the first error in rule order is the one reported, and a
    // duplicate id before the rule's other faults.
    ("[[rule]]\nid = \"node-modules\"\nphase = 9\nreason = \"r\"\nmatch = [\"x\"]\n", 2, &["rule `node-modules`", "duplicate rule id"]),
    ("[[rule]]\nid = \"first\"\nphase = 1\nreason = \"r\"\nmatch = [\"a/[b\"]\n[[rule]]\nid = \"first\"\nphase = 1\nreason = \"r\"\nmatch = [\"c\"]\n", 5, &["rule `first`", "bad glob"]),
    ("[[rule]]\nid = \"up\"\nphase = 1\nreason = \"r\"\nmatch = [\"../x\"]\n", 5, &["rule `up`", "`..`"]),
    ("[[rule]]\nid = \"abs\"\nphase = 1\nreason = \"r\"\nmatch = [\"/etc/passwd\"]\n", 5, &["rule `abs`", "absolute"]),
    ("[[rule]]\nid = \"slash\"\nphase = 1\nreason = \"r\"\nmatch = [\"/\"]\n", 5, &["rule `slash`", "absolute"]),
    ("[[rule]]\nid = \"dotgit\"\nphase = 1\nreason = \"r\"\nmatch = [\"**/.git\"]\n", 5, &["rule `dotgit`", "`.git`"]),
    ("[[rule]]\nid = \"dotgit2\"\nphase = 1\nreason = \"r\"\nmatch = [\".git/**\"]\n", 5, &["rule `dotgit2`", "`.git`"]),
    ("[[rule]]\nid = \"all\"\nphase = 1\nreason = \"r\"\nmatch = [\"**\"]\n", 5, &["rule `all`", "whole tree"]),
    ("[[rule]]\nid = \"star\"\nphase = 1\nreason = \"r\"\nmatch = [\"*\"]\n", 5, &["rule `star`", "whole tree"]),
    // globset reads `**/` alone as `**`: everything.
    ("[[rule]]\nid = \"all-dirs\"\nphase = 1\nreason = \"r\"\nmatch = [\"**/\"]\n", 5, &["rule `all-dirs`", "whole tree"]),
    ("[[rule]]\nid = \"nophase\"\nreason = \"r\"\nmatch = [\"a\"]\n", 2, &["rule `nophase`", "missing `phase`"]),
    ("[[rule]]\nid = \"p9\"\nphase = 9\nreason = \"r\"\nmatch = [\"a\"]\n", 3, &["rule `p9`", "phase must be 1..7"]),
    ("[[rule]]\nid = \"Bad_Id\"\nphase = 1\nreason = \"r\"\nmatch = [\"a\"]\n", 2, &["kebab-case"]),
    ("[[rule]]\nid = \"nomatch\"\nphase = 1\nreason = \"r\"\nmatch = []\n", 2, &["rule `nomatch`", "at least one glob"]),
    ("[[rule]]\nid = \"peek\"\nphase = 1\nreason = \"r\"\nmatch = [\"a\"]\nlook_inside = true\n", 2, &["rule `peek`", "`look_inside` only makes sense"]),
    ("[[rule]]\nid = \"mine\"\nphase = 6\nreason = \"r\"\nmatch = [\"*.db\"]\nlocal_data = true\n", 2, &["rule `mine`", "`local_data` only makes sense with action = \"keep\""]),
    ("[[rule]]\nid = \"regen\"\nphase = 1\nreason = \"r\"\nmatch = [\"a\"]\naction = \"review\"\nregenerate = \"x\"\n", 2, &["rule `regen`", "regenerate"]),
    ("[[rule]]\nid = \"only-not\"\nphase = 1\nreason = \"r\"\nmatch = [\"a\"]\nwhen.beside = [\"!*.example\"]\n", 2, &["rule `only-not`", "at least one name"]),
    ("[[rule]]\nid = \"head\"\nphase = 6\nreason = \"r\"\nmatch = [\"a.log\"]\nwhen.starts_like = \"[0-9\"\n", 2, &["rule `head`", "`when.starts_like` is not a regex"]),
    ("keep = [\"../outside\"]\n", 1, &["`..`"]),
    ("this is not toml\n", 1, &["mami-clean.toml:1"]),
];

#[test]
fn each_config_error_names_file_line_and_rule_and_exits_2() {
    for (text, line, words) in CASES {
        let (_dir, o) = with_config(text);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "config {text:?} should fail: {err}"
        );
        assert!(
            stdout(&o).is_empty(),
            "nothing may be printed on stdout for {text:?}"
        );
        assert!(
            err.contains(&format!("mami-clean.toml:{line}:")),
            "{text:?}: want line {line} in: {err}"
        );
        for w in *words {
            assert!(err.contains(w), "{text:?}: want {w:?} in: {err}");
        }
    }
}

#[test]
fn a_symlinked_config_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.toml");
    std::fs::write(&real, "target = \"1GB\"\n").unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    std::os::unix::fs::symlink(&real, repo.join("mami-clean.toml")).unwrap();
    let o = run(&repo, &["plan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("regular file"), "{}", stderr(&o));
}

#[test]
fn an_explicit_missing_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["--config", "nope.toml", "plan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.toml"), "{}", stderr(&o));
    // One line, the cause said once (not `...: No such file ...: No such file ...`).
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert_eq!(
        stderr(&o).matches("No such file or directory").count(),
        1,
        "{}",
        stderr(&o)
    );
}
