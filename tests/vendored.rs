//! Code vendored from another project is its authors': Ktiseos-Nyx-Trainer carries kohya-ss'
//! sd-scripts (with its `LICENSE.md`) under `trainer/derrian_backend/sd_scripts/`, and the
//! `merge_lora_old.py` and `tests/manual_test_*.py` upstream ships there are reported for
//! review, never deleted. The same names in the project's own folders still go.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn what_a_name_rule_picks_inside_a_licensed_project_is_only_reviewed() {
    let lib = "trainer/backend/sd_scripts";
    let r = Repo::new(&[
        ("README.md", "# trainer\n"),
        ("LICENSE", "MIT\n"),
        (&format!("{lib}/LICENSE.md"), "Apache-2.0\n"),
        (
            &format!("{lib}/networks/merge_lora.py"),
            "def merge():\n    pass\n",
        ),
        (
            &format!("{lib}/networks/merge_lora_old.py"),
            "def merge():\n    return 1\n",
        ),
        (
            &format!("{lib}/tests/test_model.py"),
            "def test_x():\n    pass\n",
        ),
        (
            &format!("{lib}/tests/manual_test_cache.py"),
            "print('by hand')\n",
        ),
        ("app/merge.py", "def merge():\n    pass\n"),
        ("app/merge_old.py", "def merge():\n    return 1\n"),
        // A copy of this project (agent-web-scraper's archived worktrees) carries the root's
        // own licence, byte for byte: not someone else's code.
        ("archive/wt/LICENSE", "MIT\n"),
        ("archive/wt/merge.py", "def merge():\n    pass\n"),
        ("archive/wt/merge_old.py", "def merge():\n    return 1\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for p in [
        format!("{lib}/networks/merge_lora_old.py"),
        format!("{lib}/tests/manual_test_cache.py"),
    ] {
        let e = entry_at(&plan, &p).unwrap_or_else(|| panic!("{p} not reported: {plan:#}"));
        assert_eq!(e["action"], "review", "{p}: {e:#}");
        assert_eq!(e["referenced_by"]["kind"], "vendored");
        assert_eq!(e["referenced_by"]["file"], format!("{lib}/LICENSE.md"));
        let reason = e["reason"].as_str().unwrap();
        assert!(
            reason.contains(&format!(
                "part of `{lib}`, a project with a licence of its own"
            )),
            "{reason}"
        );
    }
    // The project's own old copies (the root's LICENSE is the project's) go.
    for p in ["app/merge_old.py", "archive/wt/merge_old.py"] {
        let own = entry(&plan, p);
        assert_eq!(own["action"], "delete", "{p}: {own:#}");
    }
}

/// Another project's files name that project's paths: lazygit's vendored
/// `vendor/github.com/buger/jsonparser/Makefile` runs `go test -cpuprofile cpu.out` in its own
/// folder, which says nothing of the `cpu.out` committed at lazygit's root. A mention by the
/// project's own files still keeps a path, and so does one inside the vendored folder for
/// the vendored folder's own files. Where the root has no licence, a licensed folder may be
/// the project itself, and its mentions count everywhere.
#[test]
fn a_vendored_file_refers_only_to_its_own_project() {
    let lib = "vendor/github.com/buger/jsonparser";
    let makefile =
        "bench:\n\tgo test -bench . -cpuprofile cpu.out -v\n\tpython tests/debug_parse.py\n";
    let files = [
        ("README.md", "# tool\n"),
        ("LICENSE", "MIT\n"),
        ("main.go", "package main\n"),
        ("cpu.out", "profile\n"),
        ("debug_run.txt", "a debug run\n"),
        ("docs/notes.txt", "see `debug_run.txt`\n"),
        (&format!("{lib}/LICENSE"), "Apache-2.0\n"),
        (&format!("{lib}/Makefile"), makefile),
        (&format!("{lib}/tests/debug_parse.py"), "print(1)\n"),
        (&format!("{lib}/parser.go"), "package jsonparser\n"),
    ];
    let r = Repo::new(&files);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "cpu.out");
    assert_eq!(e["action"], "delete", "{e:#}");
    // The project's own note keeps what it names.
    let own = entry(&plan, "debug_run.txt");
    assert_eq!(own["action"], "review", "{own:#}");
    assert_eq!(own["referenced_by"]["file"], "docs/notes.txt");
    // Inside the vendored folder, its Makefile is what names its debug script.
    let bat = entry(&plan, &format!("{lib}/tests/debug_parse.py"));
    assert_eq!(bat["action"], "review", "{bat:#}");
    assert_eq!(bat["referenced_by"]["file"], format!("{lib}/Makefile"));

    // No licence at the root: the folder with one may be the project, and its Makefile's
    // mention keeps the root's `cpu.out`.
    let r = Repo::new(
        &files
            .iter()
            .filter(|(p, _)| *p != "LICENSE")
            .copied()
            .collect::<Vec<_>>(),
    );
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "cpu.out");
    assert_eq!(e["action"], "review", "{e:#}");
    assert_eq!(e["referenced_by"]["file"], format!("{lib}/Makefile"));
}
