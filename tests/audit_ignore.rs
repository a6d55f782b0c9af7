//! `mami-clean audit` findings and the `ignore` writers, on the Mami fixture (which has the
//! design's compose file: `mami-ai` built from `.`, `mami-ui` from `./ui-new`).

mod common;

use common::*;
use std::path::Path;

fn audit(root: &Path) -> (Option<i32>, serde_json::Value) {
    let o = run(root, &["audit", "--format", "json"]);
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}{}", stdout(&o), stderr(&o)));
    (o.status.code(), v)
}

fn codes(v: &serde_json::Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn find<'a>(v: &'a serde_json::Value, code: &str, path: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code && f["path"] == path)
        .unwrap_or_else(|| panic!("no {code} for {path} in {:#?}", codes(v)))
}

#[test]
fn the_mami_repository_as_it_was() {
    let m = mami::build();
    let (code, v) = audit(&m.root);
    assert_eq!(code, Some(1), "errors exit 1");
    let builds = v["builds"].as_array().unwrap();
    let names: Vec<&str> = builds.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "docker-compose.yml: service mami-ai",
            "docker-compose.yml: service mami-ui"
        ]
    );
    let ai = &builds[0];
    assert!(ai["junk_bytes"].as_u64().unwrap() > 0);
    assert!(ai["ignore_file"].is_null());
    // No `.dockerignore`: the junk is one finding on the missing file, naming its rules.
    let nm = find(&v, "missing-dockerignore", ".dockerignore");
    assert!(
        nm["message"]
            .as_str()
            .unwrap()
            .contains("`stale-usage-stats` 300 kB (data/api_daily_usage.json"),
        "{nm}"
    );
    assert!(
        nm["message"].as_str().unwrap().contains(" more rules ("),
        "{nm}"
    );
    assert!(nm["bytes"].as_u64().unwrap() > 1_000_000, "{nm}");
    assert_eq!(nm["severity"], "error", "{nm}");
    find(&v, "missing-dockerignore", "ui-new/.dockerignore");
    assert!(!codes(&v).iter().any(|(c, _)| c == "junk-in-context"));
    find(&v, "secret-in-context", ".env");
    assert!(!codes(&v).contains(&("secret-in-context".into(), ".env.example".into())));
    // `.vscode/settings.json` is workspace settings, shared on purpose: the plan asks for a
    // look at the folder, the audit calls none of it junk.
    assert!(!codes(&v).contains(&("tracked-junk".into(), ".vscode".into())));
    // data/ is git-ignored, yet the Dockerfile copies data/feature_flags.json.
    let g = find(&v, "copy-source-gitignored", "Dockerfile");
    assert_eq!(g["line"], 9);
    let o = run(&m.root, &["audit"]);
    let s = stdout(&o);
    assert!(
        s.contains("[missing-dockerignore] .dockerignore:") && s.contains("  fix: "),
        "{s}"
    );
    assert!(s.contains(" error, ") || s.contains(" errors, "), "{s}");
}

#[test]
fn root_only_patterns_and_excluded_copy_sources() {
    let m = mami::build();
    std::fs::write(
        m.root.join(".dockerignore"),
        "node_modules\n__pycache__\n*.pyc\napp\n",
    )
    .unwrap();
    let (_, v) = audit(&m.root);
    let f = find(&v, "root-only-pattern", ".dockerignore");
    assert_eq!(f["line"], 1);
    assert!(
        f["fix"].as_str().unwrap().contains("**/node_modules"),
        "{f}"
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("ui-new/node_modules"),
        "{f}"
    );
    let lines: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "root-only-pattern")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![1, 2, 3],
        "every bare pattern has nested copies that ship"
    );
    let c = find(&v, "copy-source-excluded", "Dockerfile");
    assert_eq!(c["line"], 7);
    assert!(
        c["message"].as_str().unwrap().contains("by line 4 (`app`)"),
        "{c}"
    );
}

#[test]
fn unused_ignore_files_and_gitignore_traps() {
    let m = mami::build();
    mami::write(&m.root, "docker/Dockerfile", 30);
    std::fs::write(m.root.join("docker/.dockerignore"), "**\n").unwrap();
    std::fs::write(
        m.root.join("docker-compose.yml"),
        "services:\n  worker:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n",
    )
    .unwrap();
    let gi = std::fs::read_to_string(m.root.join(".gitignore")).unwrap();
    std::fs::write(
        m.root.join(".gitignore"),
        format!("{gi}logs/\n!logs/mami.log\nLICENSE/\n"),
    )
    .unwrap();
    // macOS' AppleDouble companions, as DevAssist-Pro-2 commits them: no ignore file (their
    // own finding is os-junk), no Dockerfile to read.
    std::fs::write(
        m.root.join("docker/._.dockerignore"),
        b"\0\x05\x16\x07Mac OS X",
    )
    .unwrap();
    std::fs::write(
        m.root.join("docker/._app.dockerfile"),
        b"\0\x05\x16\x07Mac OS X",
    )
    .unwrap();
    let (_, v) = audit(&m.root);
    // Beside the Dockerfile of a build that sends the root, which has junk and no
    // .dockerignore: one finding, the missing one, told why this one is not read.
    let nm = find(&v, "missing-dockerignore", ".dockerignore");
    let said = nm["message"].as_str().unwrap();
    assert!(
        said.contains("the `docker/.dockerignore` beside its Dockerfile is not read"),
        "{said}"
    );
    assert!(
        !codes(&v).contains(&("unused-ignore-file".into(), "docker/.dockerignore".into())),
        "{:#?}",
        codes(&v)
    );
    let apple: Vec<_> = (codes(&v).into_iter())
        .filter(|(c, p)| p.contains("._") && c != "junk-in-context" && c != "tracked-junk")
        .collect();
    assert_eq!(apple, Vec::new(), "{:#?}", codes(&v));
    let traps: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "gitignore-trap")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    let n = gi.lines().count() as u64;
    assert_eq!(traps, vec![n + 2, n + 3], "{:#?}", codes(&v));
    // The build reads the root .dockerignore: none, so no ignore file.
    assert_eq!(v["builds"][0]["dockerfile"], "docker/Dockerfile");
}

#[test]
fn tracked_files_that_gitignore_ignores() {
    let m = mami::build();
    std::fs::write(m.root.join(".gitignore"), "README.md\n").unwrap();
    let (_, v) = audit(&m.root);
    let f = find(&v, "tracked-ignored", ".gitignore");
    assert_eq!(f["line"], 1);
    assert!(
        f["message"].as_str().unwrap().ends_with(": `README.md`"),
        "{f}"
    );
}

#[test]
fn ignore_writes_both_dialects_idempotently_and_keeps_user_lines() {
    use std::os::unix::fs::PermissionsExt;
    let m = mami::build();
    let gi = m.root.join(".gitignore");
    let user = std::fs::read_to_string(&gi).unwrap();
    std::fs::set_permissions(&gi, std::fs::Permissions::from_mode(0o600)).unwrap();

    let o = run(&m.root, &["ignore"]);
    let s = stdout(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        s.contains(".gitignore: would update")
            && s.contains(".dockerignore: would create")
            && s.contains("ui-new/.dockerignore: would create"),
        "{s}"
    );
    assert!(s.contains("  + **/node_modules"), "{s}");
    assert!(
        !m.root.join(".dockerignore").exists(),
        "a preview writes nothing"
    );
    assert_eq!(run(&m.root, &["ignore", "--check"]).status.code(), Some(1));

    let o = run(&m.root, &["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = std::fs::read_to_string(&gi).unwrap();
    assert!(after.starts_with(&user), "user lines kept, in order");
    assert!(
        after.contains("__pycache__/") && !after.contains("\nnode_modules/\n"),
        "node_modules/ is already a user line:\n{after}"
    );
    assert_eq!(
        std::fs::metadata(&gi).unwrap().permissions().mode() & 0o777,
        0o600,
        "mode kept"
    );
    let di = std::fs::read_to_string(m.root.join(".dockerignore")).unwrap();
    for l in [
        ".git",
        "**/node_modules",
        "**/__pycache__",
        "**/.venv",
        "backups",
        "**/.env",
    ] {
        assert!(
            di.lines().any(|x| x == l),
            "{l} missing from .dockerignore:\n{di}"
        );
    }
    assert_eq!(
        run(&m.root, &["ignore", "--check"]).status.code(),
        Some(0),
        "idempotent"
    );
    let o = run(&m.root, &["ignore", "--write"]);
    assert!(!stdout(&o).contains("written"), "{}", stdout(&o));

    // The context no longer sends junk, and still has what the Dockerfile copies.
    let o = run(&m.root, &["context", "--list"]);
    let list = stdout(&o);
    assert!(
        !list.contains("node_modules/") && !list.contains("__pycache__/"),
        "{list}"
    );
    assert!(
        list.lines().any(|l| l == "app/main.py")
            && list.lines().any(|l| l == "data/feature_flags.json"),
        "{list}"
    );
}

#[test]
fn ignore_never_excludes_what_a_dockerfile_copies_and_refuses_symlinks() {
    let m = mami::build();
    // The UI image copies its build output: the `dist` rule's line must not be written there.
    std::fs::write(
        m.root.join("ui-new/Dockerfile"),
        "FROM nginx\nCOPY dist/ /usr/share/nginx/html/\n",
    )
    .unwrap();
    std::fs::write(m.root.join("mami-clean.toml"), "[[rule]]\nid = \"ui-dist-docker\"\nphase = 6\nreason = \"r\"\naction = \"review\"\nmatch = [\"ui-new/dist\"]\ndockerignore = [\"**/dist\"]\n").unwrap();
    let o = run(&m.root, &["ignore", "--write"]);
    assert!(
        stdout(&o).contains(
            "ui-new/.dockerignore: not adding **/dist (a Dockerfile COPYs what it would exclude)"
        ),
        "{}",
        stdout(&o)
    );
    let di = std::fs::read_to_string(m.root.join("ui-new/.dockerignore")).unwrap();
    assert!(!di.contains("dist"), "{di}");

    let m = mami::build();
    let real = m.dir.path().join("real-gitignore");
    std::fs::write(&real, "x\n").unwrap();
    std::fs::remove_file(m.root.join(".gitignore")).unwrap();
    std::os::unix::fs::symlink(&real, m.root.join(".gitignore")).unwrap();
    let o = run(&m.root, &["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("symlink"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "x\n");
}

/// The Mami fixture after `ignore --write`: the fixture, its `.gitignore`'s path and text.
fn written() -> (mami::Mami, std::path::PathBuf, String) {
    let m = mami::build();
    assert_eq!(run(&m.root, &["ignore", "--write"]).status.code(), Some(0));
    let gi = m.root.join(".gitignore");
    let text = std::fs::read_to_string(&gi).unwrap();
    (m, gi, text)
}

#[test]
fn ignore_lines_outlive_the_junk_and_leave_with_their_rule() {
    let (m, gi, written) = written();
    assert!(written.lines().any(|l| l == "backups/"), "{written}");

    // The backups are gone (as after `apply`): the lines that keep them out stay.
    std::fs::remove_dir_all(m.root.join("backups")).unwrap();
    std::fs::remove_dir_all(m.root.join("_ui_backup")).unwrap();
    let o = run(&m.root, &["ignore", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // A line no rule knows (another version's, or typed into the block) stays too.
    let with_legacy = std::fs::read_to_string(&gi).unwrap().replace(
        "managed block: `mami-clean ignore --write` rewrites it; edit outside it\n",
        "managed block: `mami-clean ignore --write` rewrites it; edit outside it\nlegacy-junk/\n",
    );
    assert!(with_legacy.contains("\nlegacy-junk/\n"));
    std::fs::write(&gi, &with_legacy).unwrap();
    let o = run(&m.root, &["ignore", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // Turning the rule off takes its lines out, and the gate says which file holds extra lines.
    std::fs::write(
        m.root.join("mami-clean.toml"),
        "disable = [\"backup-dirs\"]\n",
    )
    .unwrap();
    let o = run(&m.root, &["ignore", "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("  - backups/"), "{}", stdout(&o));
    let o = run(&m.root, &["gate", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let stale: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "ignore-stale")
        .collect();
    let gitignore = stale
        .iter()
        .find(|f| f["path"] == ".gitignore")
        .unwrap_or_else(|| panic!("{stale:#?}"));
    assert_eq!(
        gitignore["message"],
        ".gitignore has 2 lines `ignore --write` would take out"
    );
    assert_eq!(run(&m.root, &["ignore", "--write"]).status.code(), Some(0));
    let after = std::fs::read_to_string(&gi).unwrap();
    assert!(!after.lines().any(|l| l == "backups/"), "{after}");
    assert!(after.lines().any(|l| l == "legacy-junk/"), "{after}");
    assert!(after.lines().any(|l| l == "__pycache__/"), "{after}");

    // The block moved above the user's lines: nothing missing or extra, still not as written.
    let start = after.find("# >>> mami-clean").unwrap();
    let moved = format!("{}\n{}", &after[start..], &after[..start].trim_end());
    std::fs::write(&gi, format!("{moved}\n")).unwrap();
    let o = run(&m.root, &["gate", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == ".gitignore"
                && f["message"]
                    == ".gitignore has its managed block out of place (`ignore --write` moves it)"),
        "{v:#}"
    );
}

#[test]
fn a_managed_block_without_its_end_is_an_error_that_changes_nothing() {
    let (m, gi, written) = written();
    let begin = written
        .lines()
        .position(|l| l.starts_with("# >>> mami-clean"))
        .unwrap();
    // The end marker deleted by hand, and a user line added below the block.
    let broken: String = written
        .lines()
        .filter(|l| !l.starts_with("# <<< mami-clean"))
        .chain(["my-own-line"])
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&gi, &broken).unwrap();
    for args in [&["ignore", "--write"][..], &["gate"]] {
        let o = run(&m.root, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        let want = format!("{}:{}:1: ", gi.display(), begin + 1);
        assert!(
            stderr(&o).contains(&want) && stderr(&o).contains("never ends"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read_to_string(&gi).unwrap(), broken, "unchanged");
}

/// A repository with no build of its own (jellyfin: its images are built from another
/// repository) may keep a root `.dockerignore` for a build defined elsewhere: the finding says
/// only its owner can tell, instead of "read by no build ... delete it". One below the root
/// is read by no build Docker could run (Docker reads only a context root's).
#[test]
fn a_root_ignore_file_without_any_build_here_may_serve_one_elsewhere() {
    let r = common::repo::Repo::new(&[
        ("src/main.c", "int main(void) { return 0; }\n"),
        (".dockerignore", ".git\nDockerfile\n"),
        ("src/.dockerignore", "*.o\n"),
    ]);
    let v = r.audit();
    let root = find(&v, "unused-ignore-file", ".dockerignore");
    let msg = root["message"].as_str().unwrap();
    assert!(
        msg.contains("read by no build of this repository (it has no Dockerfile or compose build)"),
        "{msg}"
    );
    assert_eq!(
        root["fix"],
        "delete it if no such build exists; if one does, nothing to do"
    );
    let sub = find(&v, "unused-ignore-file", "src/.dockerignore");
    assert!(
        sub["fix"].as_str().unwrap().starts_with("move its lines"),
        "{sub}"
    );
}

/// A build the repository's own script runs (SwarmUI's `launch-standard-docker.sh`:
/// `docker build -f launchtools/StandardDockerfile.docker -t swarmui .`) reads the root's
/// `.dockerignore`, although no compose file names it and its Dockerfile has no Dockerfile
/// name: the file is not called unused. One the script's build does not send still is, and
/// so is one beside a README whose command runs from the root.
#[test]
fn an_ignore_file_a_scripted_build_reads_is_not_unused() {
    let r = common::repo::Repo::new(&[
        ("src/main.c", "int main(void) { return 0; }\n"),
        (".dockerignore", ".git\n"),
        ("src/.dockerignore", "*.o\n"),
        ("launchtools/Std.docker", "FROM scratch\nCOPY src /src\n"),
        ("deploy/.dockerignore", "*.log\n"),
        ("deploy/README.md", "Build it:\n\n    docker buildx build -t app --load .\n"),
        (
            "launchtools/launch-docker.sh",
            "#!/bin/sh\ncd \"$(dirname \"$0\")/..\"\ndocker build --build-arg UID=$UID \\\n  -f launchtools/Std.docker -t app .\n",
        ),
    ]);
    let v = r.audit();
    let found: Vec<(String, String)> = codes(&v);
    assert!(
        !found.contains(&("unused-ignore-file".into(), ".dockerignore".into())),
        "{found:?}"
    );
    find(&v, "unused-ignore-file", "src/.dockerignore");
    // A command in the docs runs from the root (crawl4ai's `deploy/docker/README.md`).
    find(&v, "unused-ignore-file", "deploy/.dockerignore");
}

/// `docs/` then `!docs/` names the directory itself: git looks inside it again and the `!`
/// lines below work (its_multi_agent's `.gitignore`: seven false traps). The `!` lines that do
/// reach into a directory still excluded are one finding for that directory. git itself says
/// which is which.
#[test]
fn gitignore_traps_follow_git_and_are_one_per_excluded_directory() {
    let gi = "docs/\n!docs/\n!docs/specs/\n!docs/specs/*.md\ncache/\n!cache/a/\n!cache/b/\n!cache/c.txt\n";
    let r = common::repo::Repo::new(&[(".gitignore", gi), ("app.py", "print(1)\n")]);
    for p in ["docs/specs/x.md", "cache/a/f", "cache/c.txt"] {
        r.write(p, "x\n");
    }
    let ignored = |p: &str| {
        let o = std::process::Command::new("git")
            .args(["check-ignore", "-q", p])
            .current_dir(&r.root)
            .status()
            .unwrap();
        o.success()
    };
    assert!(!ignored("docs/specs/x.md"), "git looks inside docs/ again");
    assert!(
        ignored("cache/a/f") && ignored("cache/c.txt"),
        "git never looks inside cache/"
    );
    let v = r.audit();
    let traps: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "gitignore-trap")
        .collect();
    assert_eq!(traps.len(), 1, "{traps:#?}");
    let msg = traps[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("3 lines (`!cache/a/`, `!cache/b/`, `!cache/c.txt`, lines 6-8)")
            && msg.contains("their parent `cache` is excluded on line 5"),
        "{msg}"
    );
    assert_eq!(traps[0]["line"], 6);
}
