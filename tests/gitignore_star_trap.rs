//! `dir/*` excludes every entry of `dir`, its folders too, so a `!` line that reaches inside
//! one of them cannot re-include anything (gpt-engineer's `projects/*` then
//! `!projects/example/prompt`): a `gitignore-trap`, whose fix git itself confirms. Git decides
//! a folder by the last line that matches it, so a later line can exclude it again (the fix
//! names it) or take it back (no trap); every trap reported is checked against git.

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

/// uptime-kuma's `.gitignore`: `/data`, `!/data/.gitkeep`, `/data*`. Mending line 1 as the
/// first fix says leaves `data` excluded by line 3, so the finding names both lines.
#[test]
fn a_later_line_that_excludes_the_folder_again_is_named_in_the_fix() {
    let r = Repo::new(&[("app.js", "1\n")]);
    r.write("data/.gitkeep", "");
    r.write(".gitignore", "/data\n!/data/.gitkeep\n/data*\n");
    assert!(r.git_ignores("data/.gitkeep"), "git: the line is a trap");
    let a = r.audit();
    let traps = common::findings(&a, "gitignore-trap");
    assert_eq!(traps.len(), 1, "{traps:#?}");
    let msg = traps[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("excluded on line 1 (and again on line 3, `/data*`)"),
        "{msg}"
    );
    let fix = traps[0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("keep line 3 (`/data*`) from matching `data` itself"),
        "{fix}"
    );
    // Half the fix is no fix, as the finding says; both halves are.
    r.write(".gitignore", "data/*\n!/data/.gitkeep\n/data*\n");
    assert!(r.git_ignores("data/.gitkeep"));
    r.write(".gitignore", "data/*\n!/data/.gitkeep\n/data?*\n");
    assert!(!r.git_ignores("data/.gitkeep"));
    assert!(common::findings(&r.audit(), "gitignore-trap").is_empty());
    // A later `!/data/` takes the folder back, and with it the `!` line works: no trap.
    r.write(".gitignore", "/data\n!/data/.gitkeep\n/data*\n!/data/\n");
    assert!(!r.git_ignores("data/.gitkeep"));
    assert!(common::findings(&r.audit(), "gitignore-trap").is_empty());
}

/// Every `gitignore-trap` a `!` line gets is one git agrees with: on .gitignore files drawn
/// from lines that exclude, empty and re-include the same folders in every order, the path
/// the finding's `!` line names is ignored by `git check-ignore`.
#[test]
fn every_reported_trap_is_one_git_confirms() {
    const LINES: &[&str] = &[
        "/data",
        "data",
        "data/",
        "data/*",
        "/data*",
        "!/data/",
        "!data/",
        "!/data/.gitkeep",
        "!data/keep/x",
        "data/keep/",
        "!data/keep/",
        "logs",
        "!logs/a.log",
        "*.log",
        "build/*",
        "!build/keep/",
        "!build/keep/file",
        "/build",
        "!/build/keep/file",
    ];
    let r = Repo::new(&[
        ("app.js", "1\n"),
        ("data/.gitkeep", ""),
        ("data/keep/x", "x\n"),
        ("logs/a.log", "l\n"),
        ("build/keep/file", "f\n"),
    ]);
    let mut seed: u64 = 0x5eed_0f7a95;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let mut reported = 0;
    for _ in 0..120 {
        let text: Vec<&str> = (0..2 + next(4)).map(|_| LINES[next(LINES.len())]).collect();
        let text = text.join("\n") + "\n";
        r.write(".gitignore", &text);
        let a = r.audit();
        for t in common::findings(&a, "gitignore-trap") {
            let Some(n) = t["line"].as_u64() else {
                continue;
            };
            let line = text.lines().nth(n as usize - 1).unwrap();
            let Some(path) = line.strip_prefix('!') else {
                continue;
            };
            reported += 1;
            let path = path.trim_start_matches('/').trim_end_matches('/');
            assert!(
                r.git_ignores(path),
                "{text:?}: git does not ignore `{path}`: {t:#?}"
            );
        }
    }
    assert!(reported > 10, "the draws reach the trap: {reported}");
}
