//! Committed editor folders: what a team shares on purpose (`.vscode`'s settings, tasks, launch
//! configurations, extension lists and MCP servers; `.idea`'s project files, as GitHub's gitignore templates
//! keep them) is no finding; a developer's own files (`workspace.xml`, a data source's local
//! settings, an `sftp.json`) are one `tracked-junk` finding for the folder, naming just them.
//! And what AI assistants leave: one developer's Claude Code permissions, an agent's task workspace;
//! and Xcode's per-developer `xcuserdata/`.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn shared_editor_settings_are_no_junk() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (".vscode/settings.json", "{}\n"),
        (".vscode/launch.json", "{}\n"),
        (".vscode/tasks.json", "{}\n"),
        (".vscode/extensions.json", "{}\n"),
        (".vscode/project.code-snippets", "{}\n"),
        // The workspace's MCP servers, which VS Code's docs say to commit (koel does).
        (".vscode/mcp.json", "{\"servers\": {}}\n"),
        (".vscode/README.md", "# How we debug\n"),
        (".idea/.gitignore", "/workspace.xml\n"),
        (".idea/misc.xml", "<project/>\n"),
        (".idea/modules.xml", "<project/>\n"),
        (
            ".idea/inspectionProfiles/Project_Default.xml",
            "<component/>\n",
        ),
        (".idea/dataSources.xml", "<project/>\n"),
    ]);
    let a = r.audit();
    assert!(findings(&a, "tracked-junk").is_empty(), "{a}");
    // The plan still asks for a look at them (review, never deleted).
    let o = r.run(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<(&str, &str)> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| (e["path"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert!(rules.contains(&(".vscode", "review")), "{rules:?}");
    assert!(rules.contains(&(".idea", "review")), "{rules:?}");
}

#[test]
fn a_developers_own_editor_files_are_one_finding_naming_them() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (".vscode/settings.json", "{}\n"),
        (".vscode/sftp.json", "{\"password\": \"hunter2\"}\n"),
        (".idea/misc.xml", "<project/>\n"),
        (".idea/workspace.xml", "<project/>\n"),
        (".idea/dataSources.local.xml", "<project/>\n"),
        (".idea/dictionaries/ana.xml", "<component/>\n"),
    ]);
    let a = r.audit();
    let junk = findings(&a, "tracked-junk");
    assert_eq!(junk.len(), 2, "{junk:?}");
    let s = |f: &serde_json::Value, k: &str| f[k].as_str().unwrap().to_string();
    let idea = junk.iter().find(|f| f["path"] == ".idea").unwrap();
    assert_eq!(
        s(idea, "message"),
        "git tracks 3 files of `.idea` that are one developer's own: `.idea/dataSources.local.xml`, `.idea/dictionaries/ana.xml`, `.idea/workspace.xml`; the rest of `.idea` is project settings JetBrains means to be shared"
    );
    assert_eq!(
        s(idea, "fix"),
        "`git rm --cached .idea/dataSources.local.xml .idea/dictionaries/ana.xml .idea/workspace.xml` and ignore them as GitHub's JetBrains.gitignore does: `.idea/**/dataSources.local.xml`, `.idea/**/dictionaries`, `.idea/**/workspace.xml`"
    );
    let vscode = junk.iter().find(|f| f["path"] == ".vscode").unwrap();
    assert!(
        s(vscode, "message").starts_with(
            "git tracks 1 file of `.vscode` that is one developer's own: `.vscode/sftp.json`;"
        ),
        "{vscode}"
    );
    assert!(
        s(vscode, "fix").starts_with("`git rm --cached .vscode/sftp.json` and ignore `.vscode/*` with `!.vscode/settings.json`"),
        "{vscode}"
    );
    // The size is that of the files named, not of the folder.
    assert_eq!(vscode["bytes"], 24, "{vscode}");
}

/// A `.gitignore` that ignores the folder while git tracks its shared files is the
/// `tracked-ignored` trap (a new launch configuration is never added), at the line.
#[test]
fn an_ignored_editor_folder_with_shared_files_is_the_ignore_lines_finding() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (".vscode/launch.json", "{}\n"),
    ]);
    r.write(".gitignore", ".vscode/*\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let a = r.audit();
    assert!(findings(&a, "tracked-junk").is_empty(), "{a}");
    let ti = findings(&a, "tracked-ignored");
    assert_eq!(ti.len(), 1, "{ti:?}");
    assert_eq!(ti[0]["line"], 1);
}

/// `.vscode/` over the shared files (wekan's `settings.json` and `launch.json`): a `!` line
/// below it would re-include nothing, so the fix is the template's `.vscode/*` and its `!`
/// lines, as git confirms.
#[test]
fn a_whole_folder_line_over_shared_files_becomes_the_templates_lines() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (".vscode/settings.json", "{}\n"),
        (".vscode/launch.json", "{}\n"),
    ]);
    r.write(".gitignore", "node_modules/\n.vscode/\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let a = r.audit();
    let ti = findings(&a, "tracked-ignored");
    assert_eq!(ti.len(), 1, "{ti:?}");
    assert_eq!(
        ti[0]["fix"],
        "to share them as GitHub's VisualStudioCode.gitignore does, write `.vscode/*` on line 2 and below it `!.vscode/launch.json` and `!.vscode/settings.json` (a `!` line under `.vscode/` re-includes nothing: git never looks inside an ignored folder); else untrack them: `git rm -r --cached .vscode` (they stay on disk)"
    );
    // As git reads it: the `!` line is dead under `.vscode/`, alive under `.vscode/*`.
    r.write(
        ".gitignore",
        "node_modules/\n.vscode/\n!.vscode/tasks.json\n",
    );
    assert!(r.git_ignores(".vscode/tasks.json"));
    r.write(
        ".gitignore",
        "node_modules/\n.vscode/*\n!.vscode/tasks.json\n",
    );
    assert!(!r.git_ignores(".vscode/tasks.json") && r.git_ignores(".vscode/mine.json"));
    // The advised lines: nothing tracked is ignored any more.
    r.write(
        ".gitignore",
        "node_modules/\n.vscode/*\n!.vscode/launch.json\n!.vscode/settings.json\n",
    );
    let a = r.audit();
    assert!(findings(&a, "tracked-ignored").is_empty(), "{a}");
}

/// Claude Code's `.claude/settings.local.json` holds the permissions one developer granted it
/// (Claude Code git-ignores it when it writes it); `.claude/settings.json`, commands and agents
/// are the team's. The plan reports the file for review (and still finds litter beside it);
/// the audit names just it, saying where `.gitignore` already ignores it.
#[test]
fn claude_codes_local_settings_are_one_developers_own() {
    let shared = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (".claude/settings.json", "{\"permissions\": {}}\n"),
        (".claude/commands/review.md", "Review the diff.\n"),
    ]);
    // One git ignores, as Claude Code sets up, is where it belongs.
    shared.write(".gitignore", ".claude/settings.local.json\n");
    shared.write(".claude/settings.local.json", "{}\n");
    assert_eq!(
        plan_json(&shared.root, &[])["entries"],
        serde_json::json!([])
    );
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        (".claude/settings.json", "{\"permissions\": {}}\n"),
        (".claude/settings.json.bak", "{}\n"),
        (".claude/commands/review.md", "Review the diff.\n"),
        (
            ".claude/settings.local.json",
            "{\"permissions\": {\"allow\": [\"Bash(npm test:*)\"]}}\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let mut entries: Vec<(&str, &str)> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| (e["path"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        [
            (".claude/settings.json.bak", "delete"),
            (".claude/settings.local.json", "review")
        ],
        "{plan:#}"
    );
    let fix = |r: &Repo| {
        let a = r.audit();
        let junk = findings(&a, "tracked-junk");
        assert_eq!(junk.len(), 1, "{a:#}");
        assert_eq!(junk[0]["path"], ".claude/settings.local.json");
        junk[0]["fix"].as_str().unwrap().to_string()
    };
    let f = fix(&r);
    assert!(
        f.starts_with("`git rm --cached .claude/settings.local.json` and ignore"),
        "{f}"
    );
    // Ignored too late: said, and no tracked-ignored finding beside it.
    r.write(".gitignore", ".claude/settings.local.json\n");
    assert!(fix(&r).ends_with("(`.gitignore` already ignores it)"));
    assert!(findings(&r.audit(), "tracked-ignored").is_empty());
}

/// An AI agent's task workspace (superpowers' `.superpowers/sdd/`) committed by mistake goes;
/// one the project cites stays for review; one git ignores, as its tool now sets up, stays.
#[test]
fn a_committed_agent_task_workspace_goes_unless_the_project_cites_it() {
    let files = [
        ("app/main.py", "print(1)\n"),
        (
            ".superpowers/sdd/task-1-brief.md",
            "# Task 1\n\nAdd the model.\n",
        ),
        (
            ".superpowers/sdd/task-1-report.md",
            "# Task 1 report\n\n3 passed.\n",
        ),
    ];
    let r = Repo::new(&files);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, ".superpowers/sdd");
    assert_eq!(
        (e["rule"].as_str(), e["action"].as_str()),
        (Some("agent-task-workspace"), Some("delete")),
        "{plan:#}"
    );
    assert_eq!(e["files"], 2);

    let cited = [
        files.as_slice(),
        &[(
            "docs/design.md",
            "See `.superpowers/sdd/task-1-report.md`.\n",
        )],
    ]
    .concat();
    let plan = plan_json(&Repo::new(&cited).root, &[]);
    assert_eq!(
        entry(&plan, ".superpowers/sdd")["action"],
        "review",
        "{plan:#}"
    );

    let ignored = Repo::new(&[("app/main.py", "print(1)\n")]);
    ignored.write(".superpowers/sdd/.gitignore", "*\n");
    ignored.write(
        ".superpowers/sdd/plan/task-1-report.md",
        "# Task 1 report\n",
    );
    let plan = plan_json(&ignored.root, &[]);
    assert!(entry_at(&plan, ".superpowers/sdd").is_none(), "{plan:#}");
}

/// Xcode's `xcuserdata/` is one developer's state inside the project bundle: it goes, committed
/// or not; the schemes the team shares (`xcshareddata/`) stay.
#[test]
fn xcodes_user_data_goes_and_its_shared_data_stays() {
    let r = Repo::new(&[
        ("api/main.py", "print(1)\n"),
        ("ios/App.xcodeproj/project.pbxproj", "// !$*UTF8*$!\n"),
        (
            "ios/App.xcodeproj/xcshareddata/xcschemes/App.xcscheme",
            "<Scheme/>\n",
        ),
        (
            "ios/App.xcodeproj/project.xcworkspace/xcuserdata/ana.xcuserdatad/UserInterfaceState.xcuserstate",
            "bplist00\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "ios/App.xcodeproj/project.xcworkspace/xcuserdata");
    assert_eq!(
        (e["rule"].as_str(), e["action"].as_str()),
        (Some("xcode-user-data"), Some("delete")),
        "{plan:#}"
    );
    assert!(
        entry_at(&plan, "ios/App.xcodeproj/xcshareddata").is_none(),
        "{plan:#}"
    );
}
