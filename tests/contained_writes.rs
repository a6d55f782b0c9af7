//! Every write stays in the repository and never goes through a link: for each command that
//! writes, a symlink to a file (or directory) outside is planted at each path it writes, and
//! the outside is checked unchanged afterwards. A handed-over repository can carry anything,
//! in the work tree and in `.git/` alike.

mod common;

use common::repo::Repo;
use common::*;
use std::os::unix::fs::symlink;

const OUTSIDE: &str = "outside content\n";

/// A repository with a build (so ignore files are written) and junk (so apply runs), and an
/// outside file and directory to aim links at.
fn repo() -> Repo {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY app /app\n"),
        (
            "compose.yaml",
            "services:\n  web:\n    build: .\n  ui:\n    build: ./ui\n",
        ),
        ("ui/Dockerfile", "FROM scratch\nCOPY . /ui\n"),
        ("ui/package.json", "{}\n"),
    ]);
    r.write("backups/old.txt", "old\n");
    r.write("ui/node_modules/x/index.js", "x\n");
    std::fs::create_dir_all(r.outside("victim-dir")).unwrap();
    std::fs::write(r.outside("victim"), OUTSIDE).unwrap();
    r
}

/// Plant a link at `rel` (replacing what is there) pointing at `target`.
fn plant(r: &Repo, rel: &str, target: &std::path::Path) {
    let p = r.path(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&p);
    let _ = std::fs::remove_dir_all(&p);
    symlink(target, &p).unwrap();
}

fn outside_untouched(r: &Repo, what: &str) {
    assert_eq!(
        std::fs::read_to_string(r.outside("victim")).unwrap(),
        OUTSIDE,
        "{what}: the outside file was written"
    );
    let entries: Vec<_> = std::fs::read_dir(r.outside("victim-dir"))
        .unwrap()
        .collect();
    assert!(
        entries.is_empty(),
        "{what}: something was written outside: {entries:?}"
    );
}

#[test]
fn no_command_writes_through_a_planted_link() {
    let victim = |r: &Repo| r.outside("victim");
    let victim_dir = |r: &Repo| r.outside("victim-dir");
    type Case = (&'static str, &'static str, bool, &'static [&'static str]);
    // (what, path planted, link to the directory (else the file), command)
    let cases: &[Case] = &[
        (
            "init --force",
            "mami-clean.toml",
            false,
            &["init", "--force"],
        ),
        (
            "ignore --write: .gitignore",
            ".gitignore",
            false,
            &["ignore", "--write"],
        ),
        (
            "ignore --write: .dockerignore",
            ".dockerignore",
            false,
            &["ignore", "--write"],
        ),
        (
            "ignore --write: a context that is a link",
            "ui",
            true,
            &["ignore", "--write"],
        ),
        (
            "apply: .dockerignore",
            "ui/.dockerignore",
            false,
            &["apply", "--yes"],
        ),
        (
            "apply: journal",
            ".git/mami-clean/journal.jsonl",
            false,
            &["apply", "--yes"],
        ),
        (
            "apply: lock",
            ".git/mami-clean/lock",
            false,
            &["apply", "--yes"],
        ),
        (
            "apply: plan copy",
            ".git/mami-clean/plan-in-progress.json",
            false,
            &["apply", "--yes"],
        ),
        (
            "apply: the state dir",
            ".git/mami-clean",
            true,
            &["apply", "--yes"],
        ),
        (
            "gate baseline",
            ".mami-clean/baseline.json",
            false,
            &["gate", "--update-baseline", "--force"],
        ),
        (
            "gate baseline dir",
            ".mami-clean",
            true,
            &["gate", "--update-baseline", "--force"],
        ),
        ("plan --out", "plan.json", false, &["plan", "--out", "PLAN"]),
    ];
    for (what, rel, dir, args) in cases {
        let r = repo();
        let target = if *dir { victim_dir(&r) } else { victim(&r) };
        plant(&r, rel, &target);
        let plan_out = r.path("plan.json");
        let args: Vec<&str> = args
            .iter()
            .map(|a| {
                if *a == "PLAN" {
                    plan_out.to_str().unwrap()
                } else {
                    a
                }
            })
            .collect();
        let o = r.run(&args);
        outside_untouched(&r, what);
        let said = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            said.contains("never through or over a link") || said.contains("symlink"),
            "{what}: the refusal names the link: {said}"
        );
        // The link itself is left as it was.
        assert!(
            r.path(rel)
                .symlink_metadata()
                .unwrap()
                .file_type()
                .is_symlink(),
            "{what}: the link was replaced"
        );
    }
}

#[test]
fn apply_with_a_planted_state_link_deletes_nothing() {
    let r = repo();
    plant(&r, ".git/mami-clean/journal.jsonl", &r.outside("victim"));
    let before = common::snap::snap(&r.root);
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(common::snap::snap(&r.root), before);
    outside_untouched(&r, "apply");
}
