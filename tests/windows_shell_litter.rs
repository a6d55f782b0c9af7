//! What shells on Windows leave in a repository. A file named `nul`: what `> nul`, meant for
//! Windows' null device, wrote in a shell that has none (RestApp commits `nul` and
//! `backend/nul`; mission-control a PowerShell parse error in its `nul`), found anywhere,
//! though every batch file names `nul`. And Claude Code's `tmpclaude-XXXX-cwd` files, one per
//! command, in the folder it ran in. `apply` deletes them (git or the backup gives them back)
//! and `.gitignore` keeps the next ones out.

mod common;

use common::repo::Repo;

/// The plan's selections as (path, rule, action), sorted.
fn selections(plan: &serde_json::Value) -> Vec<(&str, &str, &str)> {
    let mut picked: Vec<_> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap();
            (s("path"), s("rule"), s("action"))
        })
        .collect();
    picked.sort();
    picked
}

#[test]
fn a_nul_file_is_command_output_whatever_names_nul() {
    let r = Repo::new(&[
        ("nul", "curl: (22) The requested URL returned error: 401\n"),
        ("backend/NUL", "Docker version 28.0.1, build 068a01e\n"),
        ("backend/app.py", "print('ok')\n"),
        // Names `nul` as every batch file does: no reference that keeps the file.
        (
            "start.bat",
            "@echo off\nwhere docker >nul 2>nul\ndocker compose up -d\n",
        ),
        ("README.md", "# app\n\nRun `start.bat` on Windows.\n"),
        ("src/nul/index.ts", "export const nul = 0;\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    let picked: Vec<_> = (selections(&plan).into_iter())
        .filter(|(_, rule, _)| *rule == "null-device-output")
        .collect();
    assert_eq!(
        picked,
        [
            ("backend/NUL", "null-device-output", "delete"),
            ("nul", "null-device-output", "delete")
        ]
    );

    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(!r.exists("nul") && !r.exists("backend/NUL"));
    assert!(r.exists("src/nul/index.ts") && r.exists("start.bat"));
    // The next one stays out of git, but `nul` would ignore the folder `src/nul/` too: only
    // `NUL` is written, and the code stays visible to git.
    assert!(r.git_ignores("NUL") && r.git_ignores("backend/NUL"));
    assert!(!r.git_ignores("src/nul/index.ts"));
}

#[test]
fn the_next_nul_stays_out_of_git() {
    let r = Repo::new(&[
        ("nul", "x\n"),
        ("api/nul", "y\n"),
        ("api/app.py", "print(1)\n"),
    ]);
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    for p in ["nul", "api/nul", "NUL"] {
        assert!(r.git_ignores(p), "{p}");
    }
    assert!(!r.git_ignores("api/app.py"));
}

#[test]
fn an_assistants_cwd_files_go_tracked_or_not() {
    let r = Repo::new(&[
        (
            "backend/tmpclaude-7ee1-cwd",
            "/c/Users/dev/Project/backend\n",
        ),
        ("backend/app.py", "print(1)\n"),
        ("tmpclaude-notes.md", "# notes\n"),
    ]);
    r.write("tmpclaude-3da1-cwd", "/c/Users/dev/Project\n");
    let plan = common::plan_json(&r.root, &[]);
    let picked: Vec<&str> = (plan["entries"].as_array().unwrap().iter())
        .filter(|e| e["rule"] == "ai-assistant-temp-files")
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(picked, ["backend/tmpclaude-7ee1-cwd", "tmpclaude-3da1-cwd"]);

    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(!r.exists("tmpclaude-3da1-cwd") && !r.exists("backend/tmpclaude-7ee1-cwd"));
    assert!(r.exists("tmpclaude-notes.md"));
    for p in ["tmpclaude-0a1b-cwd", "api/tmpclaude-ffff-cwd"] {
        assert!(r.git_ignores(p), "{p}");
    }
    assert!(!r.git_ignores("tmpclaude-notes.md"));
    // The untracked one was backed up: `undo` brings both back as they were.
    let o = r.run(&["undo"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stdout(&o));
    assert_eq!(
        r.read("tmpclaude-3da1-cwd").as_deref(),
        Some("/c/Users/dev/Project\n")
    );
    assert!(r.exists("backend/tmpclaude-7ee1-cwd"));
}

/// What Windows leaves beside a file once it reaches the repository: Explorer's copies
/// (ArtemisShield's `public/assets/images/logo - Copy.jpg`, `app - Copy (2).py`) and, through
/// WSL, each download's Mark of the Web as a file of its own (`README.md:Zone.Identifier`,
/// committed in 382 public repositories). Both go; the originals stay, and a copy the project
/// names is kept for review.
#[test]
fn explorer_copies_and_zone_identifiers_go() {
    let r = Repo::new(&[
        ("public/assets/images/logo.jpg", "jpg"),
        ("public/assets/images/logo - Copy.jpg", "jpg"),
        ("app.py", "print('ok')\n"),
        ("app - Copy (2).py", "print('ok')\n"),
        ("README.md", "# app\n"),
        (
            "README.md:Zone.Identifier",
            "[ZoneTransfer]\r\nZoneId=3\r\n",
        ),
        ("config/speech - Copy.py", "x = 1\n"),
        ("config/model.py", "_base_ = ['./speech - Copy.py']\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    let picked = selections(&plan);
    assert_eq!(
        picked,
        [
            ("README.md:Zone.Identifier", "os-junk", "delete"),
            ("app - Copy (2).py", "backup-files", "delete"),
            ("config/speech - Copy.py", "backup-files", "review"),
            (
                "public/assets/images/logo - Copy.jpg",
                "backup-files",
                "delete"
            ),
        ]
    );
}

/// `%SystemDrive%/ProgramData/Microsoft/Windows/Caches/`: the Windows shell's caches, written
/// by a program that found no `SystemDrive` in its environment and took the path literally,
/// in the folder it ran in (committed in 354+ public repositories). The folder goes, wherever
/// it is; a file with the name is no such folder; the audit calls the committed one junk, and
/// the next one stays out of git and the image.
#[test]
fn a_literal_system_drive_folder_goes() {
    let caches = "%SystemDrive%/ProgramData/Microsoft/Windows/Caches";
    let r = Repo::new(&[
        (&format!("{caches}/cversions.2.db"), "db"),
        (
            &format!(
                "{caches}/{{6AF0698E-D558-4F6E-9B3C-3716689AF493}}.2.ver0x0000000000000001.db"
            ),
            "db",
        ),
        (&format!("backend/{caches}/cversions.2.db"), "db"),
        ("backend/app.py", "print('ok')\n"),
        ("docs/%SystemDrive%.md", "# what %SystemDrive% means\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    let picked = selections(&plan);
    assert_eq!(
        picked,
        [
            ("%SystemDrive%", "windows-unexpanded-dirs", "delete"),
            ("backend/%SystemDrive%", "windows-unexpanded-dirs", "delete"),
        ]
    );
    let audit = r.audit();
    let junk: Vec<&str> = (common::findings(&audit, "tracked-junk").iter())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(junk, ["%SystemDrive%"], "{audit:#}");

    r.run_ok(&["apply", "--yes"]);
    assert!(!r.exists("%SystemDrive%") && !r.exists("backend/%SystemDrive%"));
    assert!(r.exists("docs/%SystemDrive%.md") && r.exists("backend/app.py"));
    assert!(r.git_ignores("%SystemDrive%/ProgramData/x.db"));
    assert!(r.git_ignores("tools/%SystemDrive%/ProgramData/x.db"));
    assert!(!r.git_ignores("docs/%SystemDrive%.md"));
    let dockerignore = r.read(".dockerignore").unwrap_or_default();
    assert!(
        dockerignore.lines().any(|l| l == "**/%SystemDrive%"),
        "{dockerignore}"
    );
}
