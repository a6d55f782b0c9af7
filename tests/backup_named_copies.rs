//! A file kept under a backup or copy word beside its original (`app_backup.py` beside
//! `app.py`) goes when the two share most of their lines; a file whose name only holds the word
//! (`db_backup.py`, a tool that backs up `db.py`'s database) or an older version the project
//! rewrote since (survey-analysis-platform's 727-line `app_backup.py` beside a 33-line
//! stand-in) shares few and stays.

mod common;

use common::repo::Repo;
use common::*;

fn rule_of<'a>(plan: &'a serde_json::Value, path: &str) -> Option<&'a str> {
    entry_at(plan, path).map(|e| e["rule"].as_str().unwrap())
}

const APP: &str = "import os\nimport sys\n\nfrom service import run_server\n\n\
def main():\n    port = int(os.environ.get('PORT', '8000'))\n    run_server(port=port)\n\n\
if __name__ == '__main__':\n    main()\n";

const DB: &str =
    "import sqlite3\n\ndef connect(path='data/app.db'):\n    return sqlite3.connect(path)\n";

const DB_BACKUP: &str = "import shutil\nimport datetime\n\n\
def backup(path='data/app.db'):\n    stamp = datetime.date.today().isoformat()\n    \
shutil.copy(path, f'{path}.{stamp}')\n";

const JS: &str = "import { api } from './api';\n\nexport function start() {\n  \
api.connect('/socket');\n  console.log('started');\n}\n";

#[test]
fn a_copy_under_a_backup_name_goes_and_a_file_that_only_shares_the_word_stays() {
    let copy = APP.replace("'8000'", "'8080'");
    let r = Repo::new(&[
        ("app.py", APP),
        ("app_backup.py", &copy),
        ("db.py", DB),
        ("db_backup.py", DB_BACKUP),
        ("web/main.js", JS),
        ("web/main-copy.js", JS),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        rule_of(&plan, "app_backup.py"),
        Some("backup-named-copies"),
        "{plan:#}"
    );
    assert_eq!(
        rule_of(&plan, "web/main-copy.js"),
        Some("backup-named-copies")
    );
    assert_eq!(rule_of(&plan, "db_backup.py"), None, "{plan:#}");
    let why = stdout(&r.run(&["explain", "db_backup.py"]));
    assert!(
        why.contains("of its lines with `db.py`: too far from it to call it a copy"),
        "{why}"
    );
}

#[test]
fn an_older_version_the_project_rewrote_since_is_no_copy() {
    let old: String = (0..40)
        .map(|i| {
            format!("def handler_{i}(request):\n    return render(request, 'page_{i}.html')\n")
        })
        .collect();
    let r = Repo::new(&[
        (
            "app.py",
            "from minimal import serve\n\nserve(port=8000, debug=False)\n",
        ),
        ("app_backup.py", &old),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(rule_of(&plan, "app_backup.py"), None, "{plan:#}");
}

/// A browser's second download of a file beside the first (`schema (1).json`): a copy when the
/// two share most of their lines, and the project's when they do not (a later download may be
/// the newer file); with no original beside it, it is the only copy and stays.
#[test]
fn a_numbered_download_beside_its_original_goes_only_as_a_copy() {
    let r = Repo::new(&[
        ("web/main.js", JS),
        ("web/main (1).js", JS),
        ("app.py", APP),
        ("app (2).py", DB_BACKUP),
        ("collection (2).json", "{\"a\": 1}\n"),
        // Without the space, as go-microservices commits 24 of them.
        ("pkg/mq/mq.go", JS),
        ("pkg/mq/mq(1).go", JS),
        ("pkg/mq/db(1).go", DB_BACKUP),
        ("pkg/mq/db.go", DB),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        rule_of(&plan, "web/main (1).js"),
        Some("backup-named-copies"),
        "{plan:#}"
    );
    assert_eq!(
        rule_of(&plan, "pkg/mq/mq(1).go"),
        Some("backup-named-copies"),
        "{plan:#}"
    );
    assert_eq!(rule_of(&plan, "pkg/mq/db(1).go"), None, "{plan:#}");
    assert_eq!(rule_of(&plan, "app (2).py"), None, "{plan:#}");
    assert_eq!(rule_of(&plan, "collection (2).json"), None, "{plan:#}");
}

/// A test's data is its input whatever it is called: gradio's `test/test_files/images/
/// bus_copy.png` is the same image as `bus.png` beside it, uploaded twice by its tests. The
/// same copy outside the test data goes.
#[test]
fn a_copy_among_a_tests_data_stays() {
    let r = Repo::new(&[
        ("test/test_files/images/bus.png", JS),
        ("test/test_files/images/bus_copy.png", JS),
        ("web/main.js", JS),
        ("web/main_copy.js", JS),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        rule_of(&plan, "test/test_files/images/bus_copy.png"),
        None,
        "{plan:#}"
    );
    assert_eq!(
        rule_of(&plan, "web/main_copy.js"),
        Some("backup-named-copies"),
        "{plan:#}"
    );
}
