//! `ignore --write` names the directories the cleanup deletes that its rules' patterns miss:
//! a venv is found by its `pyvenv.cfg` whatever its name (GBPBot commits `venv_310`,
//! `env_gbpbot`), which no `.gitignore` pattern can say.

mod common;

use common::repo::Repo;
use common::*;

/// A venv found by its `pyvenv.cfg` under a name the rule's `.gitignore` lines do not match
/// (`venv_310/`) gets its own anchored line, so a rebuilt one stays out of git; one they match
/// (`venv/`), or one the user's lines ignore, gets none; a deleted file gets none.
#[test]
fn ignore_names_the_directories_its_patterns_miss() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (".gitignore", "venv_old*/\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", "venv_old*\n"),
    ]);
    for d in ["venv_310", "venv", "venv_old2"] {
        r.write(&format!("{d}/pyvenv.cfg"), "home = /usr/bin\n");
        r.write(&format!("{d}/lib/x.py"), "x = 1\n");
    }
    r.write("notes.md.bak", "old\n");
    r.write("nested/tools/env_bot/pyvenv.cfg", "home = /usr/bin\n");
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let gi = std::fs::read_to_string(r.path(".gitignore")).unwrap();
    let block: Vec<&str> = gi.lines().skip_while(|l| !l.starts_with("# >>>")).collect();
    for want in ["/venv_310/", "/nested/tools/env_bot/", "venv/"] {
        assert!(block.contains(&want), "{want} missing:\n{gi}");
    }
    for not in ["/venv/", "/venv_old2/", "/notes.md.bak"] {
        assert!(!block.contains(&not), "{not} written:\n{gi}");
    }
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(&r.root)
        .output()
        .unwrap();
    assert!(!stdout(&status).contains("venv"), "{}", stdout(&status));
    // The same directories, in the build context's own terms, for `.dockerignore`.
    let di = std::fs::read_to_string(r.path(".dockerignore")).unwrap();
    let block: Vec<&str> = di.lines().skip_while(|l| !l.starts_with("# >>>")).collect();
    for want in ["venv_310", "nested/tools/env_bot", "**/venv"] {
        assert!(block.contains(&want), "{want} missing:\n{di}");
    }
    for not in ["venv", "venv_old2"] {
        assert!(!block.contains(&not), "{not} written:\n{di}");
    }
    let listed = stdout(&r.run(&["context", "--list"]));
    assert!(!listed.contains("venv"), "{listed}");
    // A second run changes nothing.
    assert_eq!(r.run(&["ignore", "--check"]).status.code(), Some(0));
}
