//! A bare directory name in `.gitignore` that also catches the project's own code
//! (ai-trading-v2's `data/` under "Local data directories" ignores its Python packages
//! `backend/app/data/`; PayFlux's `test-runner`, meant for the Go binary, ignores
//! `cmd/test-runner/`): the fix is to anchor the line or re-include the code, never to untrack
//! it. git confirms both.

mod common;

use common::repo::Repo;

fn tracked_ignored_fixes(r: &Repo) -> Vec<String> {
    let a = r.audit();
    (common::findings(&a, "tracked-ignored").iter())
        .map(|f| f["fix"].as_str().unwrap().to_string())
        .collect()
}

/// A `.gitignore` of `text` committed after the files it ignores: they stay tracked.
fn commit_gitignore(r: &Repo, text: &str) {
    r.write(".gitignore", text);
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
}

#[test]
fn a_bare_name_that_ignores_source_packages_is_anchored_not_untracked() {
    let r = Repo::new(&[
        ("backend/app/data/__init__.py", ""),
        ("backend/app/data/client.py", "import json\n"),
        ("logs/app.log", "started\n"),
    ]);
    commit_gitignore(&r, "# Local data directories\ndata/\nlogs/\n");
    r.write("data/prices.csv", "1,2\n");
    let fixes = tracked_ignored_fixes(&r);
    assert_eq!(fixes.len(), 2, "{fixes:#?}");
    assert!(
        fixes[0].contains("write `/data/` there")
            && fixes[0].contains("re-include the code below it (`!/backend/app/data/`)"),
        "{}",
        fixes[0]
    );
    // A log is no code: the usual fix, both ways.
    assert!(
        fixes[1].starts_with("untrack what does not belong in git"),
        "{}",
        fixes[1]
    );

    // Both advised lines do what the fix says, as git reads them.
    assert!(r.git_ignores("backend/app/data/new.py"));
    r.write(".gitignore", "# Local data directories\n/data/\nlogs/\n");
    assert!(!r.git_ignores("backend/app/data/new.py"));
    assert!(r.git_ignores("data/prices.csv"));
    r.write(".gitignore", "data/\n!/backend/app/data/\nlogs/\n");
    assert!(!r.git_ignores("backend/app/data/new.py"));
    assert!(r.git_ignores("data/prices.csv"));
}

/// A file name (`config.py` ignoring every `config.py`) may be the secret the line was
/// written for, and a folder the anchored line would still ignore is what it meant: the
/// usual fix.
#[test]
fn a_file_name_or_the_top_level_folder_itself_keeps_the_usual_fix() {
    let r = Repo::new(&[
        ("backend/config.py", "KEY = 'x'\n"),
        ("models/model.py", "class M: pass\n"),
    ]);
    commit_gitignore(&r, "config.py\nmodels/\n");
    let fixes = tracked_ignored_fixes(&r);
    assert_eq!(fixes.len(), 2, "{fixes:#?}");
    for f in &fixes {
        assert!(f.starts_with("untrack what does not belong in git"), "{f}");
    }
}

/// A template committed for others to copy (AgentGPT's `.env.example` under its `.env*`,
/// hoppscotch's, mem0's) is re-included, not untracked; a line that ignores the folder a
/// template is in (`config/`) cannot be undone by a `!` line, and keeps the usual fix. git
/// confirms the advised line.
#[test]
fn a_template_a_line_ignores_is_re_included_not_untracked() {
    let r = Repo::new(&[
        (".env.example", "OPENAI_API_KEY=\n"),
        ("config/app.sample.yml", "port: 80\n"),
        ("app.py", "print(1)\n"),
    ]);
    commit_gitignore(&r, ".env*\nconfig/\n");
    let fixes = tracked_ignored_fixes(&r);
    assert_eq!(fixes.len(), 2, "{fixes:#?}");
    assert!(
        fixes[0].starts_with("re-include it below line 1 (`!/.env.example`): a template"),
        "{}",
        fixes[0]
    );
    assert!(
        fixes[1].starts_with("untrack what does not belong in git"),
        "{}",
        fixes[1]
    );
    r.write(".env.staging.example", "KEY=\n");
    assert!(r.git_ignores(".env.staging.example") && r.git_ignores(".env.local"));
    r.write(".gitignore", ".env*\n!/.env.example\nconfig/\n");
    assert!(!r.git_ignores(".env.example") && r.git_ignores(".env.local"));
}

/// A file a Dockerfile copies by name (AgentGPT's `db/Dockerfile`: `ADD setup.sql`, under its
/// `*.sql`) is that build's input: re-included, never untracked. One a folder COPY merely
/// takes with the rest (`COPY . /app` with an ignored `config.py`) keeps the usual fix.
#[test]
fn a_file_a_build_copies_by_name_is_re_included_not_untracked() {
    let r = Repo::new(&[
        (
            "db/Dockerfile",
            "FROM scratch\nADD setup.sql /docker-entrypoint-initdb.d\n",
        ),
        ("db/setup.sql", "create table t (id int);\n"),
        ("api/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("api/config.py", "KEY = 'x'\n"),
    ]);
    commit_gitignore(&r, "*.sql\nconfig.py\n");
    let fixes = tracked_ignored_fixes(&r);
    assert_eq!(fixes.len(), 2, "{fixes:#?}");
    assert_eq!(
        fixes[0],
        "re-include it below line 1 (`!/db/setup.sql`): db/Dockerfile:2 (`ADD setup.sql`) copies it by name, so it is the build's input: untracked, every fresh clone would fail that build"
    );
    assert!(
        fixes[1].starts_with("untrack what does not belong in git"),
        "{}",
        fixes[1]
    );
    r.write(".gitignore", "*.sql\n!/db/setup.sql\nconfig.py\n");
    assert!(!r.git_ignores("db/setup.sql") && r.git_ignores("db/other.sql"));
}

/// A line written for generated settings (Langchain-Chatchat's `*.yaml`) that also ignores the
/// project's compose file and CI workflow: re-included, never untracked. A YAML file that
/// says nothing of the build keeps the usual fix.
#[test]
fn a_compose_file_or_workflow_a_line_ignores_is_re_included_not_untracked() {
    let r = Repo::new(&[
        (
            "docker/docker-compose.yaml",
            "services:\n  api:\n    image: x\n",
        ),
        (".github/workflows/build.yaml", "on: push\n"),
        ("settings/model.yaml", "name: x\n"),
        ("app.py", "print(1)\n"),
    ]);
    commit_gitignore(&r, "*.yaml\nsettings/\n");
    let fixes = tracked_ignored_fixes(&r);
    assert_eq!(fixes.len(), 2, "{fixes:#?}");
    assert_eq!(
        fixes[0],
        "re-include them below line 1 (`!/.github/workflows/build.yaml` and `!/docker/docker-compose.yaml`): they say how the project is built or checked, which belongs in git, and the line leaves a new one out of `git add`"
    );
    assert!(
        fixes[1].starts_with("untrack what does not belong in git"),
        "{}",
        fixes[1]
    );
    r.write(
        ".gitignore",
        "*.yaml\n!/.github/workflows/build.yaml\n!/docker/docker-compose.yaml\nsettings/\n",
    );
    assert!(!r.git_ignores("docker/docker-compose.yaml") && r.git_ignores("other.yaml"));
}

/// A generator's project template (create-t3-app's `cli/template/base/next-env.d.ts`, under
/// a root `next-env.d.ts` line, beside the template's `package.json`) is re-included, not
/// untracked: it is copied into every new project. A page in Django's `templates/`, or a file
/// in a `Template/` folder that holds no project, keeps the usual fix.
#[test]
fn a_file_in_a_project_template_a_line_ignores_is_re_included() {
    let r = Repo::new(&[
        ("cli/template/base/next-env.d.ts", "/// <reference />\n"),
        ("cli/template/base/package.json", "{}\n"),
        ("app/templates/cache.html", "<p></p>\n"),
        // Image templates a UI test matches against: no project there.
        ("tests/Template/common/plus_sign.png", "png"),
        ("app.py", "print(1)\n"),
    ]);
    commit_gitignore(&r, "next-env.d.ts\ncache.html\n*.png\n");
    let fixes = tracked_ignored_fixes(&r);
    assert_eq!(fixes.len(), 3, "{fixes:#?}");
    assert!(
        fixes[0].starts_with(
            "re-include it below line 1 (`!/cli/template/base/next-env.d.ts`): a template"
        ),
        "{}",
        fixes[0]
    );
    for fix in &fixes[1..] {
        assert!(
            fix.starts_with("untrack what does not belong in git"),
            "{fix}"
        );
    }
}

/// A submodule is tracked by design: a `.gitignore` line over its path (kohya_ss'
/// `sd-scripts`) is no finding, and its fix (`git rm --cached`) would drop the submodule.
#[test]
fn a_submodule_a_line_ignores_is_no_finding() {
    let r = Repo::new(&[("app.py", "print(1)\n")]);
    std::fs::create_dir(r.path("sd-scripts")).unwrap();
    let sha = "0123456789abcdef0123456789abcdef01234567";
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{sha},sd-scripts"),
    ]);
    commit_gitignore(&r, "sd-scripts\n");
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-ci", "--exclude-standard"])
        .current_dir(&r.root)
        .output()
        .unwrap();
    // git itself lists it as tracked and ignored: the audit is what leaves it out.
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "sd-scripts\n");
    assert!(tracked_ignored_fixes(&r).is_empty());
}
