//! `dir/*` excludes every entry of `dir`, its folders too, so a `!` line that reaches inside
//! one of them cannot re-include anything (gpt-engineer's `projects/*` then
//! `!projects/example/prompt`): a `gitignore-trap`, whose fix git itself confirms.

mod common;

use common::repo::Repo;

#[test]
fn a_bang_line_inside_a_folder_a_star_line_excludes_is_a_trap() {
    let gi = "projects/*\n!projects/example/prompt\n!projects/example-improve\n";
    // The files were committed before the lines (gpt-engineer's example prompt predates them).
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("projects/example/prompt", "make a game\n"),
        ("projects/example-improve/main.py", "print(2)\n"),
    ]);
    r.write(".gitignore", gi);
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore the projects"]);
    assert!(
        r.git_ignores("projects/example/prompt"),
        "git: the line is a trap"
    );
    let a = r.audit();
    let traps = common::findings(&a, "gitignore-trap");
    assert_eq!(traps.len(), 1, "{traps:#?}");
    let t = traps[0];
    assert_eq!(t["line"], 2);
    let msg = t["message"].as_str().unwrap();
    assert!(
        msg.starts_with("`!projects/example/prompt` cannot re-include anything: its parent `projects/example` is excluded on line 1"),
        "{msg}"
    );
    // The tracked file the trap leaves ignored is that trap's problem, not one more finding.
    assert!(msg.contains("meanwhile `projects/*` ignores"), "{msg}");
    assert!(common::findings(&a, "tracked-ignored").is_empty());
    // `!projects/example-improve` names a folder of `projects/` itself: no trap.
    let fix = t["fix"].as_str().unwrap();
    assert_eq!(
        fix,
        "re-include the folder first: `!projects/example/`, then `projects/example/*` if only \
         some of it belongs in git, then `!projects/example/prompt`"
    );
    // The fix, as written, is what git needs.
    let fixed = "projects/*\n!projects/example/\nprojects/example/*\n!projects/example/prompt\n";
    r.write(".gitignore", fixed);
    assert!(!r.git_ignores("projects/example/prompt"));
    assert!(common::findings(&r.audit(), "gitignore-trap").is_empty());
}
