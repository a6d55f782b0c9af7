//! A `backup/` folder that holds the script making backups is the project's backup tool, not
//! backups: clanscore's `backup/` (`backup.sh`, `restore.sh`, `backup.ps1` and the Dockerfile
//! of the image that runs them) was planned for deletion wherever nothing named it. A
//! `backups/` of dumps beside it still goes.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_backup_folder_holding_its_backup_script_is_a_tool_and_stays() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (
            "backup/Dockerfile",
            "FROM mongo:8\nCOPY backup.sh restore.sh /\n",
        ),
        (
            "backup/backup.sh",
            "mongodump --archive > /backups/$(date +%F).gz\n",
        ),
        ("backup/restore.sh", "mongorestore --archive < \"$1\"\n"),
        ("backup/BACKUP-README.md", "Run backup.sh nightly.\n"),
        ("backups/2024-05-01.sql", "-- dump\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let paths: Vec<&str> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["backups"], "{plan:#}");
    let o = r.run_ok(&["explain", "backup"]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("guard fails: `backup.sh` is inside it"),
        "{said}"
    );
}
