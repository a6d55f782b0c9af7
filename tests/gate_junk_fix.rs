//! The gate's fix for committed junk is one a user can follow to a passing gate: what a tool
//! makes again (`__pycache__`) is untracked and ignored; what was left behind once (a status
//! report) is deleted, as untracked it would wait, unignored, for the next `git add -A`.
//! Following each fix as printed, then committing, passes the gate.

mod common;

use common::repo::Repo;

/// The `fix:` lines of `gate`'s human output, and its exit code.
fn gate_fixes(r: &Repo) -> (Option<i32>, Vec<String>) {
    let o = r.run(&["gate"]);
    let out = common::stdout(&o);
    let fixes = (out.lines())
        .filter_map(|l| l.trim().strip_prefix("fix: "))
        .map(str::to_string)
        .collect();
    (o.status.code(), fixes)
}

#[test]
fn each_fix_leads_to_a_passing_gate() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM python:3.11-slim\nCOPY app/ /app/\n"),
        (".dockerignore", ".git\n"),
        ("DEPLOYMENT_SUMMARY.md", "# Deployed\nAll done.\n"),
        ("app/__pycache__/main.cpython-311.pyc", "\u{0}pyc"),
    ]);
    let (code, fixes) = gate_fixes(&r);
    assert_eq!(code, Some(1), "{fixes:#?}");
    let report = "git rm -r DEPLOYMENT_SUMMARY.md (git's history keeps it; `mami-clean apply` deletes the whole plan)";
    let cache = "`mami-clean ignore --write`, then `git rm -r --cached app/__pycache__` (ignored first, it stays on disk and out of the next `git add`)";
    assert!(fixes.iter().any(|f| f == report), "{fixes:#?}");
    assert!(fixes.iter().any(|f| f == cache), "{fixes:#?}");

    // As printed, in that order: the report goes, the cache stays on disk, ignored and
    // untracked.
    r.git(&["rm", "-q", "-r", "DEPLOYMENT_SUMMARY.md"]);
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    r.git(&["rm", "-q", "-r", "--cached", "app/__pycache__"]);
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "follow the gate"]);
    assert!(r.exists("app/__pycache__/main.cpython-311.pyc"));
    let (code, fixes) = gate_fixes(&r);
    assert_eq!(code, Some(0), "{fixes:#?}");
}

/// Untracked first, as many guides say: `ignore --write` still writes the line the rule wants
/// for a path already out of the index (an uncommitted change the plan keeps, not deletes).
#[test]
fn ignoring_after_untracking_works_too() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("app/__pycache__/main.cpython-311.pyc", "\u{0}pyc"),
    ]);
    r.git(&["rm", "-q", "-r", "--cached", "app/__pycache__"]);
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(r.git_ignores("app/__pycache__/main.cpython-311.pyc"));
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "untrack"]);
    assert!(r.exists("app/__pycache__/main.cpython-311.pyc"));
    let (code, fixes) = gate_fixes(&r);
    assert_eq!(code, Some(0), "{fixes:#?}");
}
