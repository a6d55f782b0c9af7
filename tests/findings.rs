//! Findings a person acts on: one per problem (builds sharing a context and ignore file say it
//! once, naming every build), honest severity (a root-only `.dockerignore` pattern is an error
//! only when the copies that ship are junk), and ignore lines that never repeat what the
//! `.gitignore` already does nor change what git keeps.

mod common;

use common::repo::Repo;
use common::*;
use std::process::Command;

#[test]
fn services_sharing_a_context_report_each_problem_once() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build: .\n  worker:\n    build: .\n",
        ),
        (".env", "KEY=1\n"),
    ]);
    r.write("backups/old.sql", "x\n");
    let a = r.audit();
    for code in ["secret-in-context", "missing-dockerignore"] {
        let f = findings(&a, code);
        assert_eq!(f.len(), 1, "{code}: {f:?}");
        let msg = f[0]["message"].as_str().unwrap();
        assert!(
            msg.contains("compose.yaml: services api and worker"),
            "{msg}"
        );
    }
}

/// One problem, one finding: a context without a `.dockerignore` reports its junk once, on
/// the missing file, with every rule named (ChatTTS-ui had an error per rule and one more for
/// the missing file, for 142 B of `.bat`); and the severity follows the weight, an error from
/// 1 MB of junk, a warning below.
#[test]
fn junk_without_a_dockerignore_is_one_finding_whose_severity_is_its_weight() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("run.bat", "python app.py\n"),
    ]);
    r.write("backups/old.sql", "x\n");
    let a = r.audit();
    assert!(findings(&a, "junk-in-context").is_empty(), "{a}");
    let f = findings(&a, "missing-dockerignore");
    assert_eq!(f.len(), 1, "{a}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("`windows-launchers`") && msg.contains("(run.bat)") && msg.contains("backups"),
        "{msg}"
    );
    assert_eq!(f[0]["severity"], "warning", "{a}");
    // 1 MB of it is an error, and the exit code says so.
    r.write("backups/dump.sql", &"x".repeat(1_000_000));
    let a = r.audit();
    let f = findings(&a, "missing-dockerignore");
    assert_eq!(f[0]["severity"], "error", "{a}");
    // With a `.dockerignore` that lacks the lines, one finding per rule, each by its weight.
    r.write(".dockerignore", ".git\n");
    let a = r.audit();
    assert!(findings(&a, "missing-dockerignore").is_empty(), "{a}");
    let f = findings(&a, "junk-in-context");
    let sev: Vec<(&str, &str)> = (f.iter())
        .map(|f| (f["path"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(sev, [("backups", "error"), ("run.bat", "warning")], "{a}");
}

/// A finding that names no build is one problem too, even where its text holds a build's
/// name by chance: Tandoor's root-only `Dockerfile*` line, whose example of a nested copy is
/// the dev container's `.devcontainer/Dockerfile`, was said once per build.
#[test]
fn a_finding_whose_example_is_a_builds_name_is_said_once() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".devcontainer/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            ".devcontainer/devcontainer.json",
            "{ \"build\": { \"context\": \"..\", \"dockerfile\": \"Dockerfile\" } }\n",
        ),
        (".dockerignore", "Dockerfile*\n"),
        ("app.py", "print(1)\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "root-only-pattern");
    assert_eq!(f.len(), 1, "{a}");
    assert_eq!(
        f[0]["build"], ".devcontainer/Dockerfile and Dockerfile",
        "{a}"
    );
}

/// A build named `Dockerfile` whose junk is `Dockerfile.backup`: the name inside the junk's
/// own path is no mention of the build, so the builds sharing the context still say it once
/// (Kalpana-AI-Backend and arbi each had the same junk finding twice).
#[test]
fn junk_named_after_a_build_is_said_once_for_the_builds_sharing_it() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("Dockerfile.prod", "FROM scratch\nCOPY app.py /app/\n"),
        ("Dockerfile.backup", "FROM scratch\nCOPY . /old\n"),
        (".dockerignore", ".git\n"),
        ("app.py", "print(1)\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "junk-in-context");
    assert_eq!(f.len(), 1, "{a}");
    assert_eq!(f[0]["build"], "Dockerfile and Dockerfile.prod", "{a}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.contains("(Dockerfile.backup)"), "{msg}");
}

#[test]
fn a_root_only_pattern_weighs_as_the_junk_it_lets_through() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("app/plugins/x/__init__.py", ""),
        ("app/plugins/x/tests/__init__.py", ""),
        ("app/plugins/x/tests/test_x.py", "def test(): pass\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            ".dockerignore",
            "tests\n__pycache__\nnode_modules\n./data\nLICENSE\n.gitignore\nmodels\n*.json\n",
        ),
        ("LICENSE", "MIT\n"),
        (".gitignore", "*.log\n"),
        ("app/docs/.gitignore", "_build\n"),
        ("app/vendor/ntlm/LICENSE", "MIT, keep this notice\n"),
        ("package.json", "{}\n"),
        ("app/data/schema.json", "{}\n"),
        ("models/big.bin", "weights\n"),
        ("app/models/user.py", "class User: pass\n"),
    ]);
    r.write("app/__pycache__/main.cpython-311.pyc", "x");
    r.write("web/node_modules/dep/tests/t.js", "x");
    r.write("web/package.json", "{}");
    let a = r.audit();
    let f = findings(&a, "root-only-pattern");
    let by = |p: &str| {
        f.iter()
            .find(|x| {
                x["message"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("`{p}`"))
            })
            .copied()
    };
    // Junk copies ship: as severe as junk sent, a warning for a byte of it (Forgetful's
    // `*.md` line let 745 B of one report through) and an error from 1 MB (below).
    let pyc = by("__pycache__").expect("__pycache__");
    assert_eq!(pyc["severity"], "warning", "{pyc}");
    assert!(
        pyc["message"].as_str().unwrap().contains("they are junk"),
        "{pyc}"
    );
    assert_eq!(pyc["fix"], "write `**/__pycache__`", "{pyc}");
    // The project's own nested copies ship under two lines (`tests`, and `*.json` missing
    // `app/data/schema.json` and `web/package.json`: a wildcard is a kind of file): one
    // warning naming both, each with its example outside the junk. A nested node_modules is
    // itself junk: the `tests` inside it is the junk finding's business, not counted for
    // `tests` (17 B: the project's own two files).
    assert!(by("node_modules").is_some(), "{f:?}");
    let own = (f.iter())
        .find(|x| x["message"].as_str().unwrap().starts_with("2 lines"))
        .unwrap_or_else(|| panic!("{f:?}"));
    assert_eq!(own["severity"], "warning", "{own}");
    assert_eq!(own["line"], 1, "{own}");
    assert!(own["bytes"].is_null(), "{own}");
    let msg = own["message"].as_str().unwrap();
    assert!(
        msg.contains("`tests` (line 1: e.g. app/plugins/x/tests/__init__.py, 17 B in all)")
            && msg.contains("`*.json` (line 8: e.g. app/data/schema.json, 5 B in all)"),
        "{msg}"
    );
    // Written from the root (paperless-ngx's `./export`, `./data`): the author means that
    // one, and the project's own nested `app/data` is not named. Nor is a line that names an
    // entry at the top (clone-voice's `tts` beside its `tts/` of models: its nested namesake
    // `app/models` is the project's own), a vendored package's LICENSE (it ships with it, as
    // its license asks), or a nested `.gitignore` (nothing in an image reads datasette's 7 B
    // `docs/.gitignore`).
    for line in ["./data", "models", "LICENSE", ".gitignore"] {
        assert!(!msg.contains(&format!("`{line}`")), "{line}: {msg}");
        assert!(by(line).is_none(), "{f:?}");
    }
    // The fix gives both ways: they may be needed (kotaemon's `README.md` line would drop
    // `libs/kotaemon/README.md`, which its package build reads).
    assert_eq!(
        own["fix"],
        "for each line, write `**/` before it if the nested copies should not ship (`**/tests`), or `/` if only the root one was meant (`/tests`, which says so)"
    );
    // One such line alone is its own finding, with the same two ways.
    r.write(
        ".dockerignore",
        "tests\n__pycache__\nnode_modules\n./data\nLICENSE\n.gitignore\nmodels\n",
    );
    let a = r.audit();
    let f = findings(&a, "root-only-pattern");
    let tests = (f.iter())
        .find(|x| x["message"].as_str().unwrap().starts_with("`tests`"))
        .unwrap_or_else(|| panic!("{f:?}"));
    assert_eq!(tests["severity"], "warning", "{tests}");
    assert_eq!(tests["bytes"], 17, "{tests}");
    assert_eq!(
        tests["fix"],
        "if they should not ship, write `**/tests`; if only the root one was meant, write `/tests` (which says so)"
    );
    r.write(
        "app/__pycache__/big.cpython-311.pyc",
        &"x".repeat(1_000_000),
    );
    let a = r.audit();
    let f = findings(&a, "root-only-pattern");
    let pyc = f
        .iter()
        .find(|x| x["message"].as_str().unwrap().starts_with("`__pycache__`"));
    assert_eq!(pyc.expect("__pycache__")["severity"], "error", "{f:?}");
    // An allow list (`*`, then what to send) sends what it lets through on purpose, and git's
    // own files are no copies of the project's (restic; openlibrary's `config` line).
    r.write(
        ".dockerignore",
        "*\n!/app/\n!/.git/\n!/Dockerfile\nconfig\n",
    );
    let a = r.audit();
    let f = findings(&a, "root-only-pattern");
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn ignore_never_repeats_covered_lines_nor_ignores_tracked_files() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (
            ".gitignore",
            "*backup*\n*.py[cod]\n.vscode/*\n!.vscode/extensions.json\n",
        ),
        (".vscode/extensions.json", "{}\n"),
    ]);
    r.write("backups/old.sql", "x\n");
    r.write("app/__pycache__/main.cpython-311.pyc", "x");
    r.write(".vscode/settings.json", "{}\n");
    let o = r.run(&["ignore"]);
    let out = stdout(&o);
    assert!(
        !out.contains("+ backups/") && !out.contains("+ *.pyc"),
        "{out}"
    );
    assert!(
        out.contains("not adding .vscode/ (it would ignore the tracked `.vscode/extensions.json`)"),
        "{out}"
    );
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ci = Command::new("git")
        .args(["ls-files", "-ci", "--exclude-standard"])
        .current_dir(&r.root)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ci.stdout),
        "",
        "a tracked file became ignored"
    );
}

/// Files git tracks and ignores: one finding per ignore line (saleor's `.*` ignores four
/// tracked dotfiles: one decision, kept or untracked together), at that line, naming a directory
/// all of whose tracked files are ignored once; files inside committed junk (already a
/// `tracked-junk` finding) none (GBPBot's committed venvs and node_modules were 17,920
/// warnings). Whether they belong in git is the user's call: the fix gives both ways. A
/// `.gitkeep` in an ignored directory is tracked and ignored on purpose: no finding; so is a
/// README or an empty file that is all git tracks there (SillyTavern's
/// `default/scaffold/README.md` says what users put in the directory; so does Deep-Live-Cam's
/// `models/instructions.txt`), but not one beside
/// other tracked files, nor an empty `__init__.py`.
#[test]
fn tracked_ignored_files_are_one_finding_per_ignore_line() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("cache/a.bin", "a"),
        ("cache/b.bin", "b"),
        ("cache/sub/c.bin", "c"),
        ("mixed/keep.py", "x = 1\n"),
        ("mixed/out.log", "log\n"),
        ("web/yarn.lock", "# lock\n"),
        ("api/yarn.lock", "# lock\n"),
        ("package.json", "{}\n"),
        ("node_modules/dep/index.js", "module.exports = 1\n"),
        ("node_modules/dep/package.json", "{}\n"),
        // Placeholders that keep ignored directories in git (freqtrade's `user_data/*`).
        ("user_data/logs/.gitkeep", ""),
        ("storage/cache/.keep", ""),
        ("public/i18n/.gitignore", "*.json\n"),
        ("default/scaffold/README.md", "# Put your content here\n"),
        ("build/README.md", "# Generated\n"),
        ("build/out.js", "1\n"),
        // An empty file alone keeps its directory (gpt4free's `models/.local-model-here`);
        // an empty `__init__.py` alone is a package.
        ("models/.local-model-here", ""),
        ("pkg/data/__init__.py", ""),
        // A Markdown file named after its folder says what the folder is for (anything-llm's
        // `server/storage/documents/DOCUMENTS.md`); another one alone is not (a report).
        ("storage/documents/DOCUMENTS.md", "# What is this folder?\n"),
        ("storage/crawl/CRAWL_SUMMARY.md", "# Done\n"),
        // A note on what to put there (Deep-Live-Cam's `models/instructions.txt`); a script
        // named like one is code.
        (
            "weights/instructions.txt",
            "Download inswapper_128.onnx from ...\n",
        ),
        ("fetch/download_here.py", "print(1)\n"),
    ]);
    r.write(
        ".gitignore",
        "cache/\n*.log\nnode_modules/\nyarn.lock\nuser_data/*\nstorage/cache/*\npublic/i18n\n/default/scaffold\n/build\nmodels\ndata/\ndocuments\ncrawl/\n/weights\n/fetch\n",
    );
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let a = r.audit();
    let ti: Vec<(u64, &str, &str)> = findings(&a, "tracked-ignored")
        .iter()
        .map(|f| {
            assert_eq!(f["path"], ".gitignore", "{f}");
            let s = |k: &str| f[k].as_str().unwrap();
            (f["line"].as_u64().unwrap(), s("message"), s("fix"))
        })
        .collect();
    assert_eq!(ti.len(), 7, "{ti:?}");
    assert_eq!(ti[0].0, 1);
    assert_eq!(ti[0].1, "`cache/` ignores 3 tracked files, which git keeps tracking all the same: `cache/` (3 files)");
    assert_eq!(ti[1].0, 2);
    assert!(
        ti[1]
            .1
            .ends_with("1 tracked file, which git keeps tracking all the same: `mixed/out.log`"),
        "{ti:?}"
    );
    assert_eq!(ti[2].0, 4);
    assert!(
        ti[2].1.ends_with(": `api/yarn.lock`, `web/yarn.lock`"),
        "{ti:?}"
    );
    assert_eq!(
        ti[2].2,
        "untrack what does not belong in git: `git rm -r --cached api/yarn.lock web/yarn.lock` (the files stay on disk); re-include what does below line 4 (`!/api/yarn.lock`)"
    );
    assert_eq!(ti[3].0, 9);
    assert!(ti[3].1.ends_with(": `build/` (2 files)"), "{ti:?}");
    // Git never looks inside an ignored folder: `!/build` alone would re-include all of it.
    assert!(
        ti[3].2.ends_with("re-include what does below line 9 (`!/build/`, `/build/*`, then `!/build/README.md` for each file to keep: git never looks inside an ignored folder)"),
        "{ti:?}"
    );
    assert_eq!(ti[4].0, 11);
    assert!(ti[4].1.ends_with(": `pkg/data/__init__.py`"), "{ti:?}");
    assert_eq!(ti[5].0, 13);
    assert!(ti[5].1.ends_with(": `storage/crawl/` (1 file)"), "{ti:?}");
    assert_eq!(ti[6].0, 15);
    assert!(ti[6].1.ends_with(": `fetch/` (1 file)"), "{ti:?}");
    let junk = findings(&a, "tracked-junk");
    assert_eq!(junk.len(), 1, "{junk:?}");
    assert_eq!(junk[0]["path"], "node_modules");
}

/// Committed junk is one finding per rule, its fix one command for every path (a Django
/// project with 35 committed `__pycache__` directories had 35 warnings).
#[test]
fn committed_junk_of_one_rule_is_one_finding() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("app/__pycache__/main.cpython-312.pyc", "x"),
        ("lib/__pycache__/util.cpython-312.pyc", "yy"),
        ("lib/util.py", "x = 1\n"),
    ]);
    let a = r.audit();
    let junk = findings(&a, "tracked-junk");
    assert_eq!(junk.len(), 1, "{junk:?}");
    let msg = junk[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("2 paths (compiled Python bytecode"),
        "{msg}"
    );
    assert_eq!(
        junk[0]["fix"],
        "`mami-clean ignore --write`, then `git rm -r --cached app/__pycache__ lib/__pycache__` (ignored first, it stays on disk and out of the next `git add`)"
    );
    assert_eq!(junk[0]["path"], "app/__pycache__");
}

/// A COPY source the context does not hold: the build fails unless a step before it makes it.
/// One finding per Dockerfile, each source once with its lines; a variable (`${APP}`) names a
/// path only the build knows. A Dockerfile kept in `docker/` whose sources sit at the root is
/// built from the root (`docker build -f docker/app.Dockerfile .`): nothing missing there.
#[test]
fn copy_sources_the_context_lacks_are_one_warning_per_dockerfile() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("requirements.txt", "flask\n"),
        (
            "Dockerfile",
            "FROM scratch AS a\nCOPY dist/ /d\nCOPY ${APP} /x\nFROM a\nCOPY dist/ /e\nCOPY app.jar /j\nCOPY app /app\n",
        ),
        ("docker/app.Dockerfile", "FROM scratch\nCOPY requirements.txt app/ /app/\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "copy-source-missing");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (&f[0]["path"], &f[0]["line"], &f[0]["severity"]),
        (&"Dockerfile".into(), &2.into(), &"warning".into())
    );
    let msg = f[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with(
            "COPY `dist/` (lines 2, 5), COPY `app.jar` (line 6) are not in the build context `.`"
        ),
        "{msg}"
    );
    let builds: Vec<&str> = a["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["context"].as_str().unwrap())
        .collect();
    assert_eq!(builds, ["", ""], "{a}");
    assert!(
        !msg.contains("no compose service"),
        "a root Dockerfile's context is no guess: {msg}"
    );
}

/// A `!` line that cannot reach into its excluded parent and the tracked files that parent's
/// line therefore ignores are one problem (saleor: `.claude`, then `!.claude/skills/`, whose
/// nine files are tracked): the trap's finding, which says both.
#[test]
fn a_trap_and_the_tracked_files_it_leaves_ignored_are_one_finding() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("tools/keep/run.sh", "echo\n"),
    ]);
    r.write(".gitignore", "tools\n!tools/keep/\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let a = r.audit();
    assert!(findings(&a, "tracked-ignored").is_empty(), "{a}");
    let t = findings(&a, "gitignore-trap");
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0]["line"], 2);
    let msg = t[0]["message"].as_str().unwrap();
    assert!(msg.ends_with("; meanwhile `tools` ignores 1 tracked file, which git keeps tracking all the same: `tools/` (1 file)"), "{msg}");
}

/// The repository's `.git` sent with the context is said, with its size (syncthing: 177 MB of
/// a 191 MB context): a warning, since a build may read git for its version; nothing where the
/// `.dockerignore` decides on `.git` (restic re-includes it) or BuildKit leaves it behind.
#[test]
fn a_sent_git_directory_is_a_warning_unless_the_ignore_file_decides() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /src\n"),
        ("only/Dockerfile", "FROM scratch\nCOPY app.py /app.py\n"),
        ("only/app.py", "print(1)\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "git-in-context");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["severity"], "warning");
    assert_eq!(f[0]["path"], ".git");
    assert!(f[0]["bytes"].as_u64().unwrap() > 0, "{}", f[0]);
    assert!(
        f[0]["fix"]
            .as_str()
            .unwrap()
            .starts_with("add `.git` to .dockerignore"),
        "{}",
        f[0]
    );
    // Lines about other dotfiles decide nothing about `.git`.
    r.write(".dockerignore", ".gitignore\n.github/\n");
    assert_eq!(findings(&r.audit(), "git-in-context").len(), 1);
    for decided in ["*\n!/app/\n!/.git/\n", ".git/objects/*\n", ".git\n"] {
        r.write(".dockerignore", decided);
        let a = r.audit();
        assert!(
            findings(&a, "git-in-context").is_empty(),
            "{decided:?}: {a}"
        );
    }
}

/// A wildcard COPY source whose every match the `.dockerignore` excludes (Spring Boot's
/// `COPY target/*.jar app.jar` beside a user's `**/target`) fails the build: reported with the
/// excluding line. One the context still sends, or a directory it matches, is no finding.
#[test]
fn a_wildcard_copy_source_the_dockerignore_hides_is_reported() {
    let r = common::repo::Repo::new(&[
        (
            "Dockerfile",
            "FROM scratch\nCOPY target/*.jar app.jar\nCOPY web* /srv/\nCOPY conf/*.yml /etc/\n",
        ),
        (".dockerignore", "**/target\nconf/secret.yml\n"),
        ("pom.xml", "<project/>\n"),
        ("web/index.html", "<p>1</p>\n"),
        ("conf/app.yml", "a: 1\n"),
        ("conf/secret.yml", "b: 2\n"),
    ]);
    r.write("target/app.jar", "jar");
    let a = r.audit();
    let f = findings(&a, "copy-source-excluded");
    assert_eq!(f.len(), 1, "{f:#?}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("COPY `target/*.jar` matches only files .dockerignore excludes (`target/app.jar` by line 1 (`**/target`))"),
        "{msg}"
    );
    assert_eq!(f[0]["line"], 2);
    // A source directory that is a link is not looked through (mami-clean reads through no
    // link), so nothing is said of what lies behind it.
    std::fs::create_dir_all(r.outside("elsewhere")).unwrap();
    std::fs::write(r.outside("elsewhere/x.jar"), "jar").unwrap();
    std::os::unix::fs::symlink(r.outside("elsewhere"), r.path("lib")).unwrap();
    r.write("Dockerfile", "FROM scratch\nCOPY lib/*.jar /app/\n");
    r.write(".dockerignore", "lib\n");
    assert!(findings(&r.audit(), "copy-source-excluded").is_empty());
}

/// A build inside a submodule a clone left empty (no `--recursive`) fails for one reason
/// whatever it misses: one finding per submodule, every build named, with the command that
/// fills it, not "create it" per Dockerfile (Ultron: ten errors for seven submodules).
#[test]
fn builds_in_a_submodule_not_checked_out_are_one_finding_with_its_fix() {
    let r = Repo::new(&[(
        "compose.yaml",
        "services:\n  api:\n    build: ./svc/api\n  web:\n    build:\n      context: ./svc\n      dockerfile: web/Dockerfile\n  own:\n    build: ./own\n",
    )]);
    r.write(
        ".gitmodules",
        "[submodule \"svc\"]\n\tpath = svc\n\turl = https://example.com/svc.git\n",
    );
    let sha = "417da857204d9ab599c3876c730a9adf95499968";
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{sha},svc"),
    ]);
    r.git(&["add", ".gitmodules"]);
    r.git(&["commit", "-qm", "submodule"]);
    std::fs::create_dir_all(r.root.join("svc")).unwrap();
    let a = r.audit();
    let f = findings(&a, "missing-build-input");
    let paths: Vec<&str> = f.iter().map(|x| x["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["own", "svc"], "{a}");
    let sub = f[1];
    assert_eq!(sub["fix"], "`git submodule update --init svc`", "{sub}");
    assert!(
        sub["message"]
            .as_str()
            .unwrap()
            .contains("services api and web"),
        "{sub}"
    );
    assert_eq!(
        f[0]["fix"],
        "create it, or point `context` of compose.yaml: service own at one that exists",
        "{a}"
    ); // plan says the same in its notes: one per submodule, with the command.
    let plan = plan_json(&r.root, &[]);
    let notes = notes(&plan, "missing-build-input");
    assert_eq!(notes.len(), 2, "{notes:?}");
    let svc = notes.iter().find(|n| n.0 == "svc").expect("a note on svc");
    assert!(
        svc.1.contains("not checked out")
            && svc.1.contains("services api and web")
            && svc.1.contains("`git submodule update --init svc`"),
        "{notes:?}"
    );
}

/// A compose build whose context is another checkout beside the repository (cine-platform's
/// `context: ../ffmpeg-cuda`): while it is not there, a warning shown from the root (not an
/// absolute path), which the gate does not count; once it is, the build is measured.
#[test]
fn a_build_context_in_a_sibling_checkout_is_a_warning_the_gate_passes() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        (
            "docker-compose.yml",
            "services:\n  ffmpeg:\n    build:\n      context: ../ffmpeg-cuda\n",
        ),
    ]);
    let a = r.audit();
    let f = findings(&a, "missing-build-input");
    assert_eq!(f.len(), 1, "{a}");
    assert_eq!(f[0]["path"], "../ffmpeg-cuda", "{a}");
    assert_eq!(f[0]["severity"], "warning", "{a}");
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("outside this repository"),
        "{a}"
    );
    let g = run(&r.root, &["gate", "--format", "json"]);
    assert!(g.status.success(), "{}", stdout(&g));
    let sibling = r.dir.path().join("ffmpeg-cuda");
    std::fs::create_dir(&sibling).unwrap();
    std::fs::write(sibling.join("Dockerfile"), "FROM scratch\nCOPY . /app\n").unwrap();
    let a = r.audit();
    assert!(findings(&a, "missing-build-input").is_empty(), "{a}");
}

/// A root-only line that lets junk through (Gold-standard-Orchestration's `venv` while
/// `frontend/venv` ships) is one problem: the line's finding, not also a `junk-in-context`
/// for the same files. Junk the line has nothing to do with is still its rule's finding, and
/// the gate counts both as `context-junk`.
#[test]
fn junk_a_root_only_line_lets_through_is_said_once_as_that_line() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("frontend/package.json", "{}\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", "venv\n"),
        (".gitignore", "venv/\n"),
        ("notes.bak", "old notes\n"),
    ]);
    r.write("frontend/venv/pyvenv.cfg", "home = /usr/bin\n");
    r.write("frontend/venv/lib/site.py", &"x".repeat(2_000_000));
    let a = r.audit();
    let rows = finding_rows(&a);
    let root_only = findings(&a, "root-only-pattern");
    assert_eq!(root_only.len(), 1, "{rows:#?}");
    assert_eq!(root_only[0]["severity"], "error", "{rows:#?}");
    assert_eq!(root_only[0]["fix"], "write `**/venv`");
    let junk: Vec<&str> = findings(&a, "junk-in-context")
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(junk, ["notes.bak"], "{rows:#?}");

    let o = r.run(&["gate", "--format", "json"]);
    let g: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let junk: Vec<&str> = (g["findings"].as_array().unwrap().iter())
        .filter(|f| f["code"] == "context-junk")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(junk, [".dockerignore", "notes.bak"], "{g:#}");

    // Junk and the project's own let through by one line: `**/*.md` would keep out both,
    // and the fix says which way is which.
    r.write(".dockerignore", "venv\n*.md\n");
    r.write("docs/FAZ1_COMPLETION_REPORT.md", "done\n");
    r.write("docs/guide.md", "how to\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "docs"]);
    let a = r.audit();
    let md = (findings(&a, "root-only-pattern").into_iter())
        .find(|f| f["line"] == 2)
        .unwrap_or_else(|| panic!("{:#?}", finding_rows(&a)));
    let msg = md["message"].as_str().unwrap();
    assert!(
        msg.contains("junk (e.g. docs/FAZ1_COMPLETION_REPORT.md"),
        "{msg}"
    );
    assert!(
        msg.contains("the project's own (e.g. docs/guide.md"),
        "{msg}"
    );
    assert_eq!(
        md["fix"],
        "if none of them should ship, write `**/*.md`; if the project's own should, delete the junk (`mami-clean apply`) and write `/*.md` for the root one"
    );
    assert!(findings(&a, "junk-in-context")
        .iter()
        .all(|f| f["path"] != "docs/FAZ1_COMPLETION_REPORT.md"));
}

/// A compose build whose `Dockerfile` is not at its context's top, where one folder of the
/// context holds the only one (Meridinate's `../backend` with its `docker/Dockerfile`): the
/// fix names it, as compose reads `dockerfile`, relative to the context. Two to choose from:
/// no guess.
#[test]
fn a_missing_dockerfile_names_the_one_its_context_has() {
    let compose = "services:\n  backend:\n    build:\n      context: ../backend\n      dockerfile: Dockerfile\n";
    let files = [
        ("frontend/docker-compose.yml", compose),
        ("backend/app.py", "print(1)\n"),
        ("backend/docker/Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ];
    let fix = |r: &Repo| {
        let a = r.audit();
        let f = findings(&a, "missing-build-input");
        assert_eq!(f.len(), 1, "{a:#}");
        f[0]["fix"].as_str().unwrap().to_string()
    };
    let one = fix(&Repo::new(&files));
    assert!(
        one.ends_with("(the context has `docker/Dockerfile`: `dockerfile: docker/Dockerfile`)"),
        "{one}"
    );
    let mut two: Vec<(&str, &str)> = files.to_vec();
    two.push(("backend/deploy/prod/Dockerfile", "FROM scratch\n"));
    let two = fix(&Repo::new(&two));
    assert!(!two.contains("the context has"), "{two}");
}

/// divar_crl: an empty `fastapi_app/Dockerfile` nothing builds, beside the one its compose file
/// builds: a placeholder, a warning whose fix offers deleting it. An empty one a compose
/// service builds, or a Makefile (NeuroNews' `docker/airflow/Dockerfile`), fails that build:
/// an error.
#[test]
fn an_empty_dockerfile_nothing_builds_is_a_warning_and_one_built_an_error() {
    let r = Repo::new(&[
        ("app/Dockerfile", ""),
        ("app/main.py", "print(1)\n"),
        ("docker/Dockerfile", "FROM scratch\nCOPY app /app\n"),
        (
            "docker/compose.yaml",
            "services:\n  api:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n  worker:\n    build: ../worker\n",
        ),
        ("worker/Dockerfile", "# to do\n"),
        ("worker/run.py", "print(2)\n"),
        ("airflow/Dockerfile", ""),
        ("airflow/dags.py", "print(3)\n"),
        ("Makefile", "airflow:\n\tdocker build -f airflow/Dockerfile -t a .\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "missing-build-input");
    let got: Vec<(&str, &str, &str)> = (f.iter())
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap();
            (s("path"), s("severity"), s("message"))
        })
        .collect();
    let worker = "the Dockerfile `worker/Dockerfile` of docker/compose.yaml: service worker has no `FROM` instruction: the build fails";
    let app = "the Dockerfile `app/Dockerfile` has no `FROM` instruction: a build of it fails, and no compose file or build command here builds it (a placeholder?)";
    let airflow = "the Dockerfile `airflow/Dockerfile` has no `FROM` instruction: the build fails";
    assert_eq!(
        got,
        [
            ("airflow/Dockerfile", "error", airflow),
            ("worker/Dockerfile", "error", worker),
            ("app/Dockerfile", "warning", app),
        ],
        "{a:#}"
    );
    let fix = |i: usize| f[i]["fix"].as_str().unwrap();
    assert!(
        fix(2).ends_with("delete it (`git rm app/Dockerfile`)"),
        "{a:#}"
    );
    assert!(!fix(1).contains("git rm"), "{a:#}");
}
