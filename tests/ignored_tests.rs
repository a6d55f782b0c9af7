//! An ignore line over the project's own tests (reconciliation-platform-378's "TEST FILES"
//! block: `__tests__/`, `**/__tests__/`, `*.spec.ts` over 21 committed tests): untracking
//! them, the usual fix of `tracked-ignored`, would take the tests out of git. The fix deletes
//! every line that ignores them, as git confirms; a root one-off `test_*.py` is no test.

mod common;

use common::repo::Repo;

/// (line, fix) of each `tracked-ignored` finding.
fn fixes(r: &Repo) -> Vec<(u64, String)> {
    let a = r.audit();
    (common::findings(&a, "tracked-ignored").iter())
        .map(|f| {
            let line = f["line"].as_u64().unwrap();
            (line, f["fix"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn lines_that_ignore_the_tests_are_deleted_not_the_tests_untracked() {
    let r = Repo::new(&[
        ("web/src/__tests__/setup.ts", "export {};\n"),
        ("web/src/__tests__/app.test.tsx", "test('a', () => {});\n"),
        ("e2e/app.spec.ts", "test('b', () => {});\n"),
        ("pkg/store/store_test.go", "package store\n"),
        ("backend/tests/test_api.py", "def test_a(): pass\n"),
        ("test_scratch.py", "print(1)\n"),
        ("debug.log", "x\n"),
    ]);
    let gitignore = "# TEST FILES\n__tests__/\n**/__tests__/\n*.spec.ts\n*_test.go\ntests/\n\n# scratch\n/test_*.py\n*.log\n";
    r.write(".gitignore", gitignore);
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let fixes = fixes(&r);
    let at = |n: u64| {
        let f = fixes.iter().find(|(l, _)| *l == n);
        f.map(|(_, f)| f.as_str())
            .unwrap_or_else(|| panic!("no finding at line {n}: {fixes:#?}"))
    };
    assert_eq!(
        at(3),
        "delete lines 2 and 3 (`__tests__/`, `**/__tests__/`): each ignores the project's tests, which belong in git; those committed stay tracked, but a new one is left out of `git add`"
    );
    assert!(at(4).starts_with("delete line 4 (`*.spec.ts`): it ignores the project's tests"));
    assert!(at(4).ends_with("if it meant only those at the top, write `/*.spec.ts` instead"));
    assert!(at(5).starts_with("delete line 5 (`*_test.go`)"));
    // A bare folder name keeps its own fix: it may have meant the top-level folder only.
    assert!(at(6).contains("write `/tests/` there"), "{}", at(6));
    // A one-off script at the root and a log are no tests: the usual fix.
    for line in [9, 10] {
        assert!(
            at(line).starts_with("untrack what does not belong in git"),
            "{}",
            at(line)
        );
    }

    // git agrees: with the advised lines gone, a new test is no longer ignored.
    for new in [
        "web/src/__tests__/more.test.tsx",
        "e2e/more.spec.ts",
        "pkg/store/more_test.go",
        "backend/tests/test_more.py",
    ] {
        assert!(r.git_ignores(new), "{new}");
    }
    let kept: Vec<String> = (gitignore.lines().enumerate())
        .filter(|(i, _)| !(1..=4).contains(i))
        .map(|(_, l)| l.replace("tests/", "/tests/"))
        .collect();
    r.write(".gitignore", &(kept.join("\n") + "\n"));
    for new in [
        "web/src/__tests__/more.test.tsx",
        "e2e/more.spec.ts",
        "pkg/store/more_test.go",
        "backend/tests/test_more.py",
    ] {
        assert!(!r.git_ignores(new), "{new}");
    }
    assert!(r.git_ignores("test_other.py"));
}

/// `test_*.py`, written for one-off scripts at the top, that also ignores the test suite's
/// files: deleted, or anchored if the top was all it meant, as git confirms.
#[test]
fn a_name_pattern_over_deeper_tests_may_be_anchored_instead() {
    let r = Repo::new(&[
        ("backend/tests/test_api.py", "def test_a(): pass\n"),
        ("backend/app.py", "app = 1\n"),
    ]);
    r.write(".gitignore", "# one-off scripts\ntest_*.py\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    assert_eq!(
        fixes(&r),
        [(2, "delete line 2 (`test_*.py`): it ignores the project's tests, which belong in git; those committed stay tracked, but a new one is left out of `git add`; if it meant only those at the top, write `/test_*.py` instead".to_string())]
    );
    r.write(".gitignore", "# one-off scripts\n/test_*.py\n");
    assert!(!r.git_ignores("backend/tests/test_more.py"));
    assert!(r.git_ignores("test_scratch.py"));
}

/// A line written for something else among the tests (anything-llm's `__tests__/**/models`,
/// for models a test run downloads) keeps the usual fix, which re-includes.
#[test]
fn a_line_about_something_else_among_tests_keeps_the_usual_fix() {
    let r = Repo::new(&[(
        "server/__tests__/models/user.test.js",
        "test('u', () => {});\n",
    )]);
    r.write("server/.gitignore", "__tests__/**/models\n");
    r.git(&["add", "server/.gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let fixes = fixes(&r);
    assert_eq!(fixes.len(), 1, "{fixes:#?}");
    assert!(
        fixes[0]
            .1
            .starts_with("untrack what does not belong in git"),
        "{}",
        fixes[0].1
    );
}
