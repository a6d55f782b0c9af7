//! A folder kept beside the one it is an old copy of (`frontend_old/` beside `frontend/`:
//! FakeProduct-Blockchain's Vite app beside its Next.js rewrite) goes; one with no original
//! beside it, or one the project still names, stays. So does a copy under a backup word
//! (`app_backup/` beside `app/`) that holds most of what it copies, and no backup tool.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn an_old_folder_beside_its_original_goes_unless_something_names_it() {
    let r = Repo::new(&[
        ("frontend/package.json", "{\"name\": \"web\"}\n"),
        ("frontend/src/main.tsx", "export {}\n"),
        ("frontend_old/package.json", "{\"name\": \"web\"}\n"),
        ("frontend_old/src/main.jsx", "export {}\n"),
        ("api/app.py", "print(1)\n"),
        ("api-old/app.py", "print(0)\n"),
        ("client_old/index.js", "console.log(1)\n"),
        (
            "compose.yaml",
            "services:\n  legacy:\n    build: ./api-old\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "frontend_old");
    assert_eq!(
        (e["rule"].as_str(), e["action"].as_str()),
        (Some("old-dir-copies"), Some("delete"))
    );
    let used = entry(&plan, "api-old");
    assert_eq!(used["action"], "review", "{used:#}");
    assert!(
        entry_at(&plan, "client_old").is_none(),
        "no client/ beside it: {plan:#}"
    );
}

/// A folder named `archive` plus a whole date is a snapshot (aws-archetect's
/// `archived docs/archive_20251105_113827/`, made by its archiving script): it goes with its
/// old compose file, whose long-gone contexts are then no note of the plan. A root compose
/// file's missing context still is.
#[test]
fn a_dated_archive_folder_goes_and_its_compose_file_is_no_note() {
    let old = "services:\n  backend:\n    build: ./backend\n";
    let r = Repo::new(&[
        (
            "docker-compose.yml",
            "services:\n  web:\n    build: ./web\n",
        ),
        (
            "archived docs/archive_20251105_113827/docker-compose.yml",
            old,
        ),
        (
            "archived docs/archive_20251105_113827/FIX-LOGIN.md",
            "# fixed\n",
        ),
        ("archive_2023/report.md", "# 2023\n"),
        ("app.py", "print(1)\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    let entries = common::entry_rules(&plan);
    assert_eq!(
        entries,
        [("archived docs/archive_20251105_113827", "backup-dir-copies")]
    );
    let notes: Vec<&str> = (plan["notes"].as_array().unwrap().iter())
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(notes, ["web"], "{plan}");
}

/// A folder beside the one it copies under a backup word (`app_backup/` beside `app/`,
/// paperpal-2's backend) goes when it holds most of that folder's names; a `db_backup/`
/// beside `db/` holding a backup script is the tool that backs the database up, and stays.
#[test]
fn a_backup_named_copy_of_the_folder_beside_it_goes_and_a_backup_tool_stays() {
    let r = Repo::new(&[
        ("backend/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("backend/app/main.py", "print(1)\n"),
        ("backend/app/models.py", "x = 1\n"),
        ("backend/app/api/routes.py", "y = 2\n"),
        ("backend/app_backup/main.py", "print(0)\n"),
        ("backend/app_backup/models.py", "x = 0\n"),
        ("backend/app_backup/api/routes.py", "y = 0\n"),
        ("infra/db/schema.sql", "create table t (id int);\n"),
        ("infra/db/seed.sql", "insert into t values (1);\n"),
        ("infra/db_backup/backup.sh", "pg_dump db > out.sql\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backend/app_backup");
    assert_eq!(
        (e["rule"].as_str(), e["action"].as_str()),
        (Some("sibling-dir-copies"), Some("delete")),
        "{plan:#}"
    );
    assert!(entry_at(&plan, "infra/db_backup").is_none(), "{plan:#}");
    let why = stdout(&r.run(&["explain", "infra/db_backup"]));
    assert!(
        why.contains("it holds 0 of the 2 names in `db` beside it: not a copy of it"),
        "{why}"
    );
}
