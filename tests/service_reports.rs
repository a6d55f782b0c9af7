//! A service's own folder is a root too: the reports, saved test output and one-off scripts
//! that pile up beside its Dockerfile go into its build context (ReComposer's
//! `recompose_backend/`, Mail-Agent's `backend/`). And what a report kept for review refers to
//! stays with it.

mod common;

use common::repo::Repo;

/// Every plan entry as (path, rule, action), in the plan's order.
fn entries(r: &Repo) -> Vec<(String, String, String)> {
    let o = r.run(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    (plan["entries"].as_array().unwrap().iter())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("path"), s("rule"), s("action"))
        })
        .collect()
}

fn rows(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter()
        .map(|(p, r, a)| (p.to_string(), r.to_string(), a.to_string()))
        .collect()
}

#[test]
fn reports_beside_a_services_dockerfile_go_and_a_folder_without_one_keeps_its_docs() {
    let r = Repo::new(&[
        ("api/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("api/main.py", "print(1)\n"),
        ("api/STRIPE_INTEGRATION_COMPLETE.md", "# Done\n"),
        ("api/test_results.txt", "3 passed\n"),
        // A feature's documentation, not a report: the report word is not where it ends.
        ("api/ANALYTICS_REPORTING.md", "# Reporting\n"),
        ("api/HTTP_STATUS_CODES.md", "# Codes\n"),
        // No Dockerfile beside them: the folder may be the project's documentation.
        ("lib/PHASE1_SUMMARY.md", "# Phase 1\n"),
        ("lib/test_results.txt", "3 passed\n"),
        ("web/package.json", "{}\n"),
        ("web/IMPLEMENTATION_SUMMARY.md", "# Done\n"),
    ]);
    assert_eq!(
        entries(&r),
        rows(&[
            (
                "api/STRIPE_INTEGRATION_COMPLETE.md",
                "service-status-reports",
                "delete"
            ),
            ("api/test_results.txt", "service-test-results", "delete"),
        ])
    );
}

#[test]
fn what_a_report_kept_for_review_names_stays_with_it() {
    let r = Repo::new(&[
        ("api/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("api/main.py", "print(1)\n"),
        // The README sends readers to this report, so it stays; it sends them on to the root's.
        (
            "README.md",
            "# App\n\nSee [the deployment](api/DEPLOYMENT_SUMMARY.md).\n",
        ),
        (
            "api/DEPLOYMENT_SUMMARY.md",
            "# Deployed\n\nDetails: [RAG](../RAG_IMPROVEMENTS_SUMMARY.md)\n",
        ),
        ("RAG_IMPROVEMENTS_SUMMARY.md", "# RAG\n"),
        // Two reports that name only each other both go.
        ("A_SUMMARY.md", "See [B](B_SUMMARY.md).\n"),
        ("B_SUMMARY.md", "See [A](A_SUMMARY.md).\n"),
        // What a review rule reports stays, and so refers: the integration script it keeps
        // for a look runs this check.
        (
            "tests/auto_integration_test.py",
            "import subprocess\nsubprocess.run([\"python\", \"check_db.py\"])\n",
        ),
        ("tests/test_app.py", "def test_x():\n    pass\n"),
        ("check_db.py", "print(1)\n"),
    ]);
    assert_eq!(
        entries(&r),
        rows(&[
            ("A_SUMMARY.md", "root-status-reports", "delete"),
            ("B_SUMMARY.md", "root-status-reports", "delete"),
            (
                "RAG_IMPROVEMENTS_SUMMARY.md",
                "root-status-reports",
                "review"
            ),
            (
                "api/DEPLOYMENT_SUMMARY.md",
                "service-status-reports",
                "review"
            ),
            ("check_db.py", "root-standalone-scripts", "review"),
            (
                "tests/auto_integration_test.py",
                "tests-review-integration",
                "review"
            ),
        ])
    );
}

/// One-off scripts beside a service's Dockerfile, or its `requirements.txt`, go too (MAIDAR's
/// `backend/debug_api_call.py`, `fix_admin_password.py`); a folder that is a Python package
/// keeps its modules, and one the Dockerfile runs or the code imports stays for review.
#[test]
fn one_off_scripts_beside_a_services_dockerfile_go_unless_used_or_in_a_package() {
    let r = Repo::new(&[
        (
            "api/Dockerfile",
            "FROM scratch\nCOPY . /app\nRUN python check_env.py\n",
        ),
        ("api/main.py", "from verify_token import verify\n"),
        ("api/fix_admin_password.py", "print('fixed')\n"),
        ("api/debug_api_call.py", "print('debug')\n"),
        ("api/check_env.py", "print('ok')\n"),
        ("api/verify_token.py", "def verify(t):\n    return t\n"),
        // A package: its modules are the code.
        ("worker/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("worker/__init__.py", ""),
        ("worker/check_queue.py", "print(1)\n"),
        // No Dockerfile beside them, but a Python project one deploys: its root too.
        ("jobs/requirements.txt", "requests\n"),
        ("jobs/debug_pnl.py", "print(1)\n"),
        // Neither: left to the rules of their folder; nor a CI tool's scripts.
        ("tools/fix_dates.py", "print(1)\n"),
        (".github/scripts/requirements.txt", "requests\n"),
        (".github/scripts/check_version.py", "print(1)\n"),
    ]);
    assert_eq!(
        entries(&r),
        rows(&[
            ("api/check_env.py", "service-standalone-scripts", "review"),
            (
                "api/debug_api_call.py",
                "service-standalone-scripts",
                "delete"
            ),
            (
                "api/fix_admin_password.py",
                "service-standalone-scripts",
                "delete"
            ),
            (
                "api/verify_token.py",
                "service-standalone-scripts",
                "review"
            ),
            ("jobs/debug_pnl.py", "service-standalone-scripts", "delete"),
        ])
    );
}

/// The security policy stays; a report whose name starts with SECURITY is a report
/// (`SECURITY_AUDIT_REPORT.md` at the root of 6,300+ public repositories; blunari's
/// `SECURITY_REVIEW_COMPLETE.md` was kept as if it were the policy).
#[test]
fn security_reports_go_and_the_security_policy_stays() {
    let r = Repo::new(&[
        ("README.md", "# App\n"),
        ("SECURITY.md", "# Reporting a vulnerability\n"),
        ("SECURITY_AUDIT_REPORT.md", "# Audit\n"),
        ("SECURITY_REVIEW_COMPLETE.md", "# Done\n"),
        // Not a report word at the end: the project's own document.
        ("SECURITY_POLICY_GUIDE.md", "# How we handle reports\n"),
    ]);
    assert_eq!(
        entries(&r),
        rows(&[
            ("SECURITY_AUDIT_REPORT.md", "root-status-reports", "delete"),
            (
                "SECURITY_REVIEW_COMPLETE.md",
                "root-status-reports",
                "delete"
            ),
        ])
    );
}
