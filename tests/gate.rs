//! `mami-clean gate` on temp git repositories: each check passing and failing, each output
//! format, exit codes, the baseline file, `--base` against a real commit, config errors.

mod common;

use common::*;
use std::path::Path;

/// A small clean repository: an app, a Dockerfile, ignore files that are up to date.
fn clean_repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    mami::write(r, "app/main.py", 2000);
    mami::write(r, "requirements.txt", 100);
    std::fs::write(
        r.join("Dockerfile"),
        "FROM python:3.11-slim\nCOPY app/ /app/\n",
    )
    .unwrap();
    std::fs::write(r.join(".dockerignore"), ".git\n").unwrap();
    std::fs::write(r.join(".gitignore"), "").unwrap();
    mami::git(r, &["init", "-q"]);
    mami::git(r, &["add", "-A"]);
    mami::git(r, &["commit", "-q", "-m", "clean"]);
    d
}

fn commit_all(r: &Path, msg: &str) {
    mami::git(r, &["add", "-A"]);
    mami::git(r, &["commit", "-q", "-m", msg]);
}

/// `gate --format github` with the job summary going to `summary`.
fn gate_github(r: &Path, summary: &Path) -> std::process::Output {
    bin()
        .arg("-C")
        .arg(r)
        .args(["gate", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", summary)
        .output()
        .unwrap()
}

/// Write `mami-clean.toml` into `r`, then run the gate.
fn gate_with_config(r: &Path, toml: &str) -> (Option<i32>, String, String) {
    std::fs::write(r.join("mami-clean.toml"), toml).unwrap();
    gate(r, &[])
}

fn gate(r: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["gate"];
    args.extend_from_slice(extra);
    let o = bin()
        .arg("-C")
        .arg(r)
        .args(&args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    (o.status.code(), stdout(&o), stderr(&o))
}

#[test]
fn a_clean_repository_passes() {
    let d = clean_repo();
    let (code, out, err) = gate(d.path(), &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("gate passed: 0 denied, 0 warnings"), "{out}");
    assert!(
        out.contains("tracked ") && out.contains("Dockerfile: "),
        "{out}"
    );
}

#[test]
fn committed_junk_fails_with_the_fix() {
    let d = clean_repo();
    mami::write(d.path(), "backups/old_app/main.py", 500);
    mami::write(d.path(), "app/__pycache__/main.cpython-311.pyc", 300);
    commit_all(d.path(), "oops");
    let (code, out, _) = gate(d.path(), &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("deny[tracked-junk] backups ("), "{out}");
    assert!(out.contains("deny[tracked-junk] app/__pycache__"), "{out}");
    assert!(out.contains("then `git rm -r --cached backups`"), "{out}");
    // Two more committed caches of the same rule: still one finding, one command.
    mami::write(d.path(), "lib/__pycache__/util.cpython-311.pyc", 200);
    mami::write(d.path(), "tools/__pycache__/t.cpython-311.pyc", 100);
    commit_all(d.path(), "more");
    let (_, out, _) = gate(d.path(), &[]);
    assert_eq!(out.matches("[tracked-junk]").count(), 2, "{out}");
    assert!(
        out.contains("`app/__pycache__`, `lib/__pycache__` and 1 more are committed"),
        "{out}"
    );
    assert!(
        out.contains("then `git rm -r --cached app/__pycache__ lib/__pycache__ tools/__pycache__`"),
        "{out}"
    );
    // The same findings as GitHub annotations and as JSON.
    let (_, gh, _) = gate(d.path(), &["--format", "github"]);
    assert!(
        gh.lines()
            .any(|l| l
                .starts_with("::error file=backups,title=tracked-junk::`backups` is committed")),
        "{gh}"
    );
    let (_, js, _) = gate(d.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    assert_eq!(v["passed"], false);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "tracked-junk" && f["level"] == "deny"));
    // Severity from config: warn lets it pass.
    let (code, out, _) = gate_with_config(
        d.path(),
        "[gate.severity]\ntracked-junk = \"warn\"\ncontext-junk = \"allow\"\n",
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("warn[tracked-junk]"), "{out}");
}

#[test]
fn junk_in_a_context_and_context_budgets() {
    let d = clean_repo();
    std::fs::write(d.path().join("package.json"), "{}").unwrap();
    mami::write(d.path(), "node_modules/left-pad/index.js", 4000);
    let (code, out, _) = gate(d.path(), &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("deny[context-junk] node_modules"), "{out}");
    let (code, out, _) = gate_with_config(
        d.path(),
        "[gate]\nmax_context = \"1kB\"\nmax_context_total = \"2kB\"\n[gate.severity]\ncontext-junk = \"allow\"\n",
    );
    assert_eq!(code, Some(1));
    assert!(
        out.contains("deny[context-budget] Dockerfile") && out.contains("over the 1 kB budget"),
        "{out}"
    );
    assert!(
        out.contains("all build contexts total") && out.contains("over the 2 kB budget"),
        "{out}"
    );
}

#[test]
fn growth_against_the_baseline_file() {
    let d = clean_repo();
    let r = d.path();
    let (code, out, _) = gate(r, &["--update-baseline"]);
    assert_eq!(code, Some(0));
    assert!(out.contains(".mami-clean/baseline.json"), "{out}");
    let b: serde_json::Value =
        serde_json::from_slice(&std::fs::read(r.join(".mami-clean/baseline.json")).unwrap())
            .unwrap();
    assert_eq!(b["format"], "mami-clean-baseline");
    commit_all(r, "baseline");
    let (_, out, _) = gate(r, &[]);
    assert!(out.contains("baseline: .mami-clean/baseline.json"), "{out}");
    mami::write(r, "app/big_model.py", 50_000);
    commit_all(r, "grow");
    std::fs::write(r.join("mami-clean.toml"), "[gate]\nmax_growth = \"10%\"\n").unwrap();
    let (code, out, _) = gate(r, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("deny[growth] .") && out.contains("past the 10% limit"),
        "{out}"
    );
    // Both limits: fail only when both are exceeded (50 kB < 1 MB).
    std::fs::write(
        r.join("mami-clean.toml"),
        "[gate]\nmax_growth = [\"10%\", \"1MB\"]\n",
    )
    .unwrap();
    let (code, out, _) = gate(r, &[]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn growth_against_a_git_ref_with_a_known_delta() {
    let d = clean_repo();
    let r = d.path();
    mami::write(r, "app/data_blob.py", 100_000);
    commit_all(r, "add 100 kB");
    std::fs::write(r.join("mami-clean.toml"), "[gate]\nmax_growth = \"5%\"\n").unwrap();
    let (code, out, _) = gate(r, &["--base", "HEAD~1"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("baseline: git HEAD~1"), "{out}");
    assert!(
        out.contains("(+100 kB, "),
        "tracked delta is exactly the new blob: {out}"
    );
    assert!(
        out.contains("deny[growth] Dockerfile"),
        "the context grew by the same file: {out}"
    );
    let (code, _, err) = gate(r, &["--base", "no-such-ref"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no-such-ref"), "{err}");
}

#[test]
fn stale_ignore_files_warn_and_phase_budgets_deny() {
    let d = clean_repo();
    std::fs::write(d.path().join(".dockerignore"), "").unwrap();
    commit_all(d.path(), "empty dockerignore");
    let (code, out, _) = gate(d.path(), &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("warn[ignore-stale] .dockerignore: .dockerignore lacks 1 line the rules want")
            && out.contains("fix: mami-clean ignore --write"),
        "{out}"
    );
    // One the writer would make is said not to be there, not to lack lines.
    std::fs::remove_file(d.path().join(".dockerignore")).unwrap();
    commit_all(d.path(), "no dockerignore");
    let (_, out, _) = gate(d.path(), &[]);
    assert!(
        out.contains(".dockerignore does not exist; the rules want it with 1 line"),
        "{out}"
    );
    mami::write(d.path(), "backups/x.py", 10);
    let (code, out, _) = gate_with_config(
        d.path(),
        "[gate.phase_budget]\n\"2\" = \"0B\"\n[gate.severity]\ntracked-junk = \"allow\"\n",
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("deny[phase-budget]") && out.contains("phase 2 (backups)"),
        "{out}"
    );
}

#[test]
fn github_summary_is_appended_to_the_step_summary_file() {
    let d = clean_repo();
    mami::write(d.path(), "backups/old.py", 10);
    commit_all(d.path(), "junk");
    let summary = d.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let o = gate_github(d.path(), &summary);
    assert_eq!(o.status.code(), Some(1));
    let s = std::fs::read_to_string(&summary).unwrap();
    assert!(
        s.starts_with("earlier step\n## mami-clean gate: failed"),
        "{s}"
    );
    assert!(s.contains("| deny | tracked-junk | backups |"), "{s}");
    assert!(s.contains("| tracked files |"), "{s}");
}

#[test]
fn file_names_cannot_forge_lines_annotations_or_summary_rows() {
    let d = clean_repo();
    std::fs::write(d.path().join(".gitignore"), "").unwrap();
    // A backup directory whose name would end the line or row and forge another, with markup
    // and an escape sequence that hides text on a terminal.
    let name = "a|b\n| warn | forged | <b>row<b> |\ngate passed\x1b[8m_backup";
    mami::write(d.path(), &format!("{name}/x.py"), 10);
    commit_all(d.path(), "junk");

    let (code, out, _) = gate(d.path(), &[]);
    assert_eq!(code, Some(1));
    let shown = r"a|b\n| warn | forged | <b>row<b> |\ngate passed\x1b[8m_backup";
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("gate "))
            .collect::<Vec<_>>(),
        ["gate FAILED: 2 denied, 2 warnings"],
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "deny[tracked-junk] {shown} (4.11 kB): `{shown}` is committed"
        )) && out.contains(&format!("then `git rm -r --cached $'{shown}'` (ignored")),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "{out}");

    let summary = d.path().join("summary.md");
    let o = gate_github(d.path(), &summary);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let escaped = r"a|b%0A| warn | forged | <b>row<b> |%0Agate passed\x1b[8m_backup";
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("::"))
            .collect::<Vec<_>>(),
        [
            format!("::error file={escaped},title=context-junk::10 B selected by rule `backup-dirs` ({escaped}) is sent to the build context of Dockerfile (fix: exclude it in .dockerignore (`mami-clean ignore --write`) or delete it (`mami-clean apply`))"),
            format!("::error file={escaped},title=tracked-junk::`{escaped}` is committed: a folder of backups kept by hand (old code or data) (rule `backup-dirs`) (fix: `mami-clean ignore --write`, then `git rm -r --cached $'{shown}'` (ignored first, it stays on disk and out of the next `git add`))"),
            "::warning file=.dockerignore,title=ignore-stale::.dockerignore lacks 2 lines the rules want (fix: mami-clean ignore --write)".to_string(),
            "::warning file=.gitignore,title=ignore-stale::.gitignore lacks 2 lines the rules want (fix: mami-clean ignore --write)".to_string(),
        ]
    );
    let s = std::fs::read_to_string(&summary).unwrap();
    let cell = r"a\|b\\n\| warn \| forged \| \<b\>row\<b\> \|\\ngate passed\\x1b\[8m\_backup";
    assert_eq!(
        s,
        format!(
            "## mami-clean gate: failed ❌\n\n\
             | measure | now | baseline | delta |\n|---|---:|---:|---:|\n\
             | tracked files | 2.15 kB | — | — |\n\
             | context: Dockerfile | 2.15 kB | — | — |\n\n\
             | level | check | path | size | message |\n|---|---|---|---:|---|\n\
             | deny | context-junk | {cell} | 10 B | 10 B selected by rule \\`backup-dirs\\` ({cell}) is sent to the build context of Dockerfile |\n\
             | deny | tracked-junk | {cell} | 4.11 kB | \\`{cell}\\` is committed: a folder of backups kept by hand (old code or data) (rule \\`backup-dirs\\`) |\n\
             | warn | ignore-stale | .dockerignore |  | .dockerignore lacks 2 lines the rules want |\n\
             | warn | ignore-stale | .gitignore |  | .gitignore lacks 2 lines the rules want |\n\n"
        )
    );
}

#[test]
fn a_build_whose_context_or_dockerfile_is_missing_fails_instead_of_measuring_0_b() {
    let d = clean_repo();
    std::fs::write(
        d.path().join("docker-compose.yml"),
        "services:\n  gone:\n    build: ./nope\n  typo:\n    build:\n      context: .\n      dockerfile: Dockerfil\n  again:\n    build:\n      context: .\n      dockerfile: Dockerfil\n",
    )
    .unwrap();
    commit_all(d.path(), "compose");
    let (code, out, _) = gate(d.path(), &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("deny[build-input-missing] nope: the build context `nope` of docker-compose.yml: service gone does not exist")
            && out.contains("deny[build-input-missing] Dockerfil: the Dockerfile `Dockerfil` of docker-compose.yml: services again and typo does not exist"),
        "{out}"
    );
    // Two services that want one missing Dockerfile: one problem, one fix naming both.
    let a = run(d.path(), &["audit", "--format", "json"]);
    let a: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let fixes: Vec<&str> = findings(&a, "missing-build-input")
        .iter()
        .filter(|f| f["path"] == "Dockerfil")
        .map(|f| f["fix"].as_str().unwrap())
        .collect();
    assert_eq!(
        fixes,
        ["create it, or point `dockerfile` of docker-compose.yml: services again and typo at one that exists"]
    );
    // The plan still stands, with a note per missing input; only the real context is measured.
    let plan = plan_json(d.path(), &[]);
    let notes: Vec<(&str, &str, &str)> = plan["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let s = |k: &str| n[k].as_str().unwrap();
            (s("kind"), s("path"), s("message"))
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("missing-build-input", "Dockerfil", "the Dockerfile of docker-compose.yml: services again and typo does not exist: their builds fail"),
            ("missing-build-input", "nope", "the build context of docker-compose.yml: service gone does not exist: its build fails")
        ]
    );
    let measured: Vec<&str> = plan["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        measured,
        ["docker-compose.yml: services again and typo", "Dockerfile"]
    );
    // The ignore writer leaves the missing context alone (no directory made, no error).
    let o = run(d.path(), &["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!d.path().join("nope").exists());
    let (code, out, _) = gate_with_config(
        d.path(),
        "[gate.severity]\nbuild-input-missing = \"warn\"\n",
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("warn[build-input-missing] nope"), "{out}");
}

#[test]
fn gate_config_errors_name_the_line_and_exit_2() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[gate]\nmax_contxt = \"1GB\"\n",
            2,
            "unknown field `max_contxt`",
        ),
        (
            "[gate]\nmax_context = \"lots\"\n",
            2,
            "gate.max_context: invalid size",
        ),
        ("[gate]\nmax_growth = \"5 percent\"\n", 2, "gate.max_growth"),
        (
            "[gate]\nmax_growth = [\"5%\", \"6%\"]\n",
            2,
            "one percentage",
        ),
        (
            "[gate.severity]\ntracked-junks = \"deny\"\n",
            2,
            "unknown check `tracked-junks`",
        ),
        (
            "[gate.severity]\ntracked-junk = \"fatal\"\n",
            2,
            "unknown variant `fatal`",
        ),
        (
            "[gate.phase_budget]\n\"9\" = \"0B\"\n",
            2,
            "not a phase 1..7",
        ),
        (
            "[gate]\nbaseline = \"../elsewhere.json\"\n",
            2,
            "inside the repository",
        ),
    ];
    for (text, line, words) in cases {
        let d = clean_repo();
        std::fs::write(d.path().join("mami-clean.toml"), text).unwrap();
        let (code, out, err) = gate(d.path(), &[]);
        assert_eq!(code, Some(2), "{text:?}: {out}{err}");
        assert!(
            err.contains(&format!("mami-clean.toml:{line}:")) && err.contains(words),
            "{text:?}: {err}"
        );
    }
    let d = clean_repo();
    std::fs::write(
        d.path().join("mami-clean.toml"),
        "[gate]\nrequire_baseline = true\nmax_growth = \"5%\"\n",
    )
    .unwrap();
    let (code, _, err) = gate(d.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("no baseline") && err.contains("--update-baseline"),
        "{err}"
    );
    // Growth configured without a baseline and without require_baseline: a warning, not silence.
    std::fs::write(
        d.path().join("mami-clean.toml"),
        "[gate]\nmax_growth = \"5%\"\n",
    )
    .unwrap();
    let (code, out, _) = gate(d.path(), &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains("warn[no-baseline]"), "{out}");
}

/// The edges a CI user meets: a baseline of a failing tree, `--base` before the first commit,
/// and a job summary that cannot be written.
#[test]
fn baseline_of_a_failing_tree_base_without_commits_and_an_unwritable_summary() {
    let d = clean_repo();
    let r = d.path();
    mami::write(r, "backups/old.py", 10);
    commit_all(r, "junk");
    let (code, out, err) = gate(r, &["--update-baseline"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("this tree fails the gate: no baseline written"),
        "{err}"
    );
    assert!(out.contains("deny[tracked-junk]"), "{out}");
    assert!(!r.join(".mami-clean/baseline.json").exists());
    let (code, out, err) = gate(r, &["--update-baseline", "--force"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(r.join(".mami-clean/baseline.json").exists());
    assert!(out.contains("in 1 build context)"), "{out}");

    // A summary that cannot be written: a warning, and the verdict (a deny: exit 1) stands.
    let o = gate_github(r, &r.join("no/such/dir/summary.md"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("::warning::mami-clean: cannot write the job summary"),
        "{}",
        stdout(&o)
    );

    let e = tempfile::tempdir().unwrap();
    mami::git(e.path(), &["init", "-q"]);
    let (code, _, err) = gate(e.path(), &["--base", "origin/main"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--base origin/main: this repository has no commit yet"),
        "{err}"
    );
}
