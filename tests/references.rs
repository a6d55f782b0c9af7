//! Nothing the project uses is junk: a path a name rule selects is reported for review, with
//! the referring line, when the project refers to it (a Django app in `INSTALLED_APPS`, a
//! launcher the README tells users to run); a mention in a file listing, an inventory or
//! prose does not keep it.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_django_app_named_backup_is_code_not_a_backup() {
    let r = Repo::new(&[
        ("manage.py", "import os\n"),
        ("mysite/__init__.py", ""),
        (
            "mysite/settings.py",
            "INSTALLED_APPS = [\n    'django.contrib.admin',\n    'backup',\n]\n",
        ),
        ("backup/__init__.py", ""),
        ("backup/models.py", "from django.db import models\n"),
        ("backup/management/commands/snapshot.py", "x = 1\n"),
        ("backups/old_dump.sql", "-- old\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let app = entry(&plan, "backup");
    assert_eq!(app["action"], "review", "{app}");
    assert_eq!(app["referenced_by"]["file"], "mysite/settings.py", "{app}");
    assert_eq!(app["referenced_by"]["line"], 3, "{app}");
    // The real backup folder next to it still goes.
    assert_eq!(entry(&plan, "backups")["action"], "delete");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(r.exists("backup/models.py") && !r.exists("backups"));
}

#[test]
fn a_launcher_the_readme_tells_users_to_run_stays() {
    let r = Repo::new(&[
        // A Docker setup: what replaces the launchers the rule selects.
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "README.md",
            "# App\n\nOn Windows, run `scripts\\\\start.bat`.\n\n```\nscripts/dev.cmd --port 80\n```\n",
        ),
        ("scripts/start.bat", "@echo off\n"),
        ("scripts/dev.cmd", "@echo off\n"),
        ("scripts/stop.cmd", "@echo off\n"),
        ("old.bat", "@echo off\n"),
        ("docs/auto/repo_tree.txt", "old.bat\nscripts/\n    start.bat\n"),
        ("docs/NOTES.md", "#### `old.bat`\nThe old.bat launcher starts the app.\n"),
        ("app.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for p in ["scripts/start.bat", "scripts/dev.cmd"] {
        let e = entry(&plan, p);
        assert_eq!(e["action"], "review", "{e}");
        assert_eq!(e["referenced_by"]["file"], "README.md", "{e}");
    }
    // An inventory, a heading and prose describe it; nothing tells anyone to run it.
    assert_eq!(entry(&plan, "old.bat")["action"], "delete");
    // Nothing names `stop.cmd`, but it is one of the launchers the README's `start.bat` and
    // `dev.cmd` belong to (SillyTavern's `UpdateAndStart.bat` beside its `Start.bat`).
    let stop = entry(&plan, "scripts/stop.cmd");
    assert_eq!(stop["action"], "review", "{stop}");
    assert_eq!(stop["referenced_by"]["kind"], "sibling", "{stop}");
    assert_eq!(stop["referenced_by"]["file"], "scripts/dev.cmd", "{stop}");
    let o = r.run(&["plan"]);
    assert!(
        stdout(&o)
            .contains("but README.md:3: `On Windows, run `scripts\\\\start.bat`.` refers to it"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn explain_quotes_the_reference() {
    let r = Repo::new(&[
        ("README.md", "Run `scripts/start.bat` on Windows.\n"),
        ("scripts/start.bat", "@echo off\n"),
    ]);
    let o = r.run(&["explain", "scripts/start.bat"]);
    assert!(
        stdout(&o).contains("reported for review") && stdout(&o).contains("README.md:1"),
        "{}",
        stdout(&o)
    );
}

/// An assistant's saved chat history names every file the chat touched: news_look commits
/// SpecStory's `.specstory/history/`, whose "run `python debug_routes.py`" kept its root debug
/// scripts for review. The README's own command still counts.
#[test]
fn a_saved_assistant_chat_is_no_reference() {
    let r = Repo::new(&[
        (
            ".specstory/history/2025-03-22_08-19-fix-routes.md",
            "## User\n\nRun it:\n\n```\npython debug_routes.py\npython check_db.py\n```\n",
        ),
        (
            "README.md",
            "# App\n\nCheck the database with `python check_db.py`.\n",
        ),
        ("app/main.py", "print(1)\n"),
        ("check_db.py", "print('db')\n"),
        ("debug_routes.py", "print('routes')\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        entry(&plan, "debug_routes.py")["action"],
        "delete",
        "{plan}"
    );
    let kept = entry(&plan, "check_db.py");
    assert_eq!(kept["action"], "review", "{kept}");
    assert_eq!(kept["referenced_by"]["file"], "README.md", "{kept}");
}

/// A committed bundle a build minified (Vite's `assets/index-<hash>.js`, one line of
/// thousands of bytes) names what its sources named and whatever its libraries hold: no
/// instruction of the project's. A page only the bundle names goes; one the source names stays.
#[test]
fn a_minified_bundle_is_no_reference() {
    let line = format!(
        "{}fetch(\"debug_page.html\");{}\n",
        "var a=1;".repeat(300),
        "var b=2;".repeat(300)
    );
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("debug_page.html", "<html></html>\n"),
        ("debug_panel.html", "<html></html>\n"),
        ("static/assets/index-AbCd1234.js", &line),
        (
            "static/app.js",
            "// the panel\nfunction open() {\n  window.open(\"debug_panel.html\");\n}\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        entry(&plan, "debug_page.html")["action"],
        "delete",
        "{plan}"
    );
    let kept = entry(&plan, "debug_panel.html");
    assert_eq!(kept["action"], "review", "{kept}");
    assert_eq!(kept["referenced_by"]["file"], "static/app.js", "{kept}");
}

/// pytest's default `python_files` is `test_*.py *_test.py`: beside `test_*.py` files, a
/// `*_test.py` that defines tests runs with the suite and stays (for review, citing its first
/// test); a `*_test.py` without one, or under a config that names only `test_*.py`
/// (gpt-researcher's `tests/research_test.py`, a script one edits and runs by hand), goes.
#[test]
fn a_suffix_test_pytest_collects_is_a_test_not_a_stray_script() {
    let r = Repo::new(&[
        ("tests/__init__.py", ""),
        ("tests/test_chat.py", "def test_chat():\n    assert True\n"),
        (
            "tests/search_test.py",
            "import pytest\n\n\nclass TestSearch:\n    def test_empty(self):\n        pass\n",
        ),
        (
            "tests/persona_test.py",
            "import asyncio\n\nasyncio.run(main())\n",
        ),
        ("app.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let kept = entry(&plan, "tests/search_test.py");
    assert_eq!(kept["action"], "review", "{kept}");
    assert_eq!(kept["referenced_by"]["line"], 4, "{kept}");
    let reason = kept["reason"].as_str().unwrap();
    assert!(
        reason.contains(
            "but pytest collects it as a test (tests/search_test.py:4: `class TestSearch:`)"
        ),
        "{reason}"
    );
    assert_eq!(entry(&plan, "tests/persona_test.py")["action"], "delete");
    // The project's own config decides which names pytest takes.
    r.write(
        "pyproject.toml",
        "[tool.pytest.ini_options]\npython_files = \"test_*.py\"\n",
    );
    r.git(&["add", "pyproject.toml"]);
    r.git(&["commit", "-q", "-m", "pytest config"]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        entry(&plan, "tests/search_test.py")["action"],
        "delete",
        "{plan}"
    );
    let o = r.run(&["explain", "tests/search_test.py"]);
    assert!(
        stdout(&o).contains("selected for deletion"),
        "{}",
        stdout(&o)
    );
}

/// A Windows script with a counterpart for the other systems is one of a set the project
/// keeps (Cinnamon/kotaemon's `update_windows.bat` beside `update_linux.sh`; SuperAGI's
/// `run.bat` beside `run.sh`): review, naming the counterpart. A `.bat` alone, or beside a
/// shell script of another role, still goes.
#[test]
fn a_windows_script_with_a_counterpart_for_other_systems_stays() {
    let r = Repo::new(&[
        // A Docker setup: what replaces the launchers the rule selects.
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("scripts/update_windows.bat", "@echo off\n"),
        ("scripts/update_linux.sh", "#!/bin/sh\n"),
        ("scripts/update_macos.sh", "#!/bin/sh\n"),
        ("run.bat", "@echo off\n"),
        ("run.sh", "#!/bin/sh\n"),
        ("scripts/start.bat", "@echo off\n"),
        ("scripts/start_backend.sh", "#!/bin/sh\n"),
        ("app.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "scripts/update_windows.bat");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "counterpart", "{e}");
    assert!(
        e["reason"]
            .as_str()
            .unwrap()
            .contains("but `scripts/update_linux.sh` stays beside it"),
        "{e}"
    );
    assert_eq!(entry(&plan, "run.bat")["action"], "review");
    assert_eq!(entry(&plan, "scripts/start.bat")["action"], "delete");
}

/// A JavaScript GitHub Action runs its committed bundle (actions/checkout: `runs: main:
/// dist/index.js` beside `package.json`): the `dist/` the build-output rule selects elsewhere
/// is the action's code here, reported for review with the line, and neither the audit nor
/// the gate calls it committed junk. A `dist/` outside git, which no action runs, still goes.
#[test]
fn a_github_actions_committed_bundle_is_its_code() {
    let r = Repo::new(&[
        (
            "action.yml",
            "name: Checkout\nruns:\n  using: node24\n  main: dist/index.js\n  post: dist/index.js\n",
        ),
        ("package.json", "{\"name\": \"checkout\"}\n"),
        ("dist/index.js", "module.exports = 1;\n"),
        ("src/main.ts", "export {};\n"),
        (
            ".github/actions/setup/action.yaml",
            "runs:\n  using: node20\n  main: '../../../tools/dist/setup.js'\n",
        ),
        ("tools/package.json", "{}\n"),
        ("tools/dist/setup.js", "1;\n"),
        ("web/package.json", "{}\n"),
        ("web/dist/app.js", "1;\n"),
    ]);
    // A build output outside git is one: the web app's, built and never committed.
    r.write("site/package.json", "{}\n");
    r.write("site/dist/app.js", "1;\n");
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "dist");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "runs", "{e}");
    assert_eq!(e["referenced_by"]["file"], "action.yml", "{e}");
    assert_eq!(e["referenced_by"]["line"], 4, "{e}");
    let reason = e["reason"].as_str().unwrap();
    assert!(
        reason.contains("but action.yml:4: `main: dist/index.js` runs it"),
        "{reason}"
    );
    let nested = entry(&plan, "tools/dist");
    assert_eq!(nested["action"], "review", "{nested}");
    assert_eq!(
        nested["referenced_by"]["file"],
        ".github/actions/setup/action.yaml"
    );
    assert_eq!(entry(&plan, "site/dist")["action"], "delete");
    // A committed one no action runs is reported too (netbox serves its `dist/` as Django
    // static files), and called junk by neither the plan nor the audit.
    let web = entry(&plan, "web/dist");
    assert_eq!(web["action"], "review", "{web}");
    assert_eq!(web["rule"], "committed-build-output", "{web}");
    let o = r.run(&["explain", "dist"]);
    assert!(
        stdout(&o).contains("reported for review") && stdout(&o).contains("action.yml:4"),
        "{}",
        stdout(&o)
    );
    let o = r.run(&["audit", "--format", "json"]);
    let junk: Vec<String> = serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap()
        ["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "tracked-junk")
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(junk.is_empty(), "{}", stdout(&o));
}

/// What the project uses asks for no ignore line: actions/checkout's `.gitignore` was to gain
/// `ui-new/dist/` (the Mami tree's line, carried by the rule that selected the action's
/// bundle). A web app's build output still gets the rule's `dist/`.
#[test]
fn a_used_selection_writes_no_ignore_line() {
    let r = Repo::new(&[
        (
            "action.yml",
            "runs:\n  using: node24\n  main: dist/index.js\n",
        ),
        ("package.json", "{}\n"),
        ("dist/index.js", "1;\n"),
    ]);
    let o = r.run(&["ignore"]);
    let out = stdout(&o);
    assert!(!out.contains("dist/"), "{out}");
    let r = Repo::new(&[("web/package.json", "{}\n"), ("web/src/main.ts", "1;\n")]);
    r.write("web/dist/app.js", "1;\n");
    let o = r.run(&["ignore"]);
    let out = stdout(&o);
    assert!(out.contains("+ dist/") && !out.contains("ui-new"), "{out}");
}

/// An old copy kept beside its original (`old_app.py` beside `app.py`) goes; one the project
/// imports or includes stays for review, however the import names it (a JavaScript module
/// without its extension, a Python module of a package, a PHP include); a name with no
/// original beside it, or in a language that compiles every file of its directory, is left.
/// Prose in a template ("Full backups include…") refers to nothing.
#[test]
fn an_old_copy_beside_its_original_goes_unless_the_project_imports_it() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("old_app.py", "print(0)\n"),
        ("requirements.txt", "flask\n"),
        ("old_requirements.txt", "django\n"),
        ("web/utils.js", "export const a = 1\n"),
        ("web/utils_old.js", "export const a = 0\n"),
        ("web/main.js", "import { a } from './utils_old'\n"),
        ("src/__init__.py", ""),
        ("src/util.py", "x = 1\n"),
        ("src/util.old.py", "x = 0\n"),
        ("src/use.py", "from src.util import x\n"),
        ("src/parse.py", "y = 1\n"),
        ("src/parse_old.py", "y = 0\n"),
        ("src/run.py", "from .parse_old import y\n"),
        ("header.php", "<p>1</p>\n"),
        ("header_old.php", "<p>0</p>\n"),
        ("index.php", "<?php include 'header_old.php'; ?>\n"),
        ("client_old.py", "z = 0\n"),
        ("handler.go", "package main\n"),
        ("handler_old.go", "package main\n"),
        (
            "templates/help.html",
            "<p>Full backups include all data.</p>\n",
        ),
    ]);
    r.write("backups/dump.sql", "-- old\n");
    let plan = plan_json(&r.root, &[]);
    for p in [
        "old_app.py",
        "old_requirements.txt",
        "src/util.old.py",
        "backups",
    ] {
        assert_eq!(entry(&plan, p)["action"], "delete", "{p}");
    }
    for (p, by) in [
        ("web/utils_old.js", "web/main.js"),
        ("src/parse_old.py", "src/run.py"),
        ("header_old.php", "index.php"),
    ] {
        let e = entry(&plan, p);
        assert_eq!(e["action"], "review", "{e}");
        assert_eq!(e["referenced_by"]["file"], by, "{e}");
    }
    let listed = |p: &str| {
        plan["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == p)
    };
    assert!(
        !listed("client_old.py") && !listed("handler_old.go"),
        "{plan}"
    );
}

/// A README that tells Windows users to run a launcher in plain words ("double-click
/// start.bat", no code formatting) refers to it as much as one that quotes the command.
#[test]
fn a_launcher_the_readme_tells_users_to_run_in_prose_stays() {
    let r = Repo::new(&[
        // A Docker setup: what replaces the launchers the rule selects.
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "README.md",
            "# App\n\nWindows users: double-click start.bat. The old scripts/stop.bat is gone.\n",
        ),
        ("start.bat", "@echo off\n"),
        ("scripts/stop.bat", "@echo off\n"),
        ("app.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let start = entry(&plan, "start.bat");
    assert_eq!(start["action"], "review", "{start}");
    assert_eq!(start["referenced_by"]["line"], 3, "{start}");
    assert_eq!(entry(&plan, "scripts/stop.bat")["action"], "delete");
}

/// A Japanese or Chinese README names what to run in corner brackets or right after its verb,
/// with no space (Study-Docker-Go: "1. 「setup.bat」を使い", "use setup.bat"): a use of it.
#[test]
fn a_launcher_a_cjk_readme_tells_users_to_run_stays() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "README.md",
            "# 使い方\n1. 「setup.bat」を使い、環境を整える\n2. 请双击run.bat\n旧的 scripts/stop.bat 已删除\n",
        ),
        ("setup.bat", "docker-compose build\n"),
        ("run.bat", "docker-compose up -d\n"),
        ("scripts/stop.bat", "docker-compose stop\n"),
        ("main.go", "package main\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for (p, line) in [("setup.bat", 2), ("run.bat", 3)] {
        let e = entry(&plan, p);
        assert_eq!(e["action"], "review", "{e}");
        assert_eq!(e["referenced_by"]["line"], line, "{e}");
    }
    // Prose that only names one ("the old scripts/stop.bat was deleted") is no use of it.
    assert_eq!(entry(&plan, "scripts/stop.bat")["action"], "delete");
}

/// A `backup/` that holds its own compose file, beside other directories that hold theirs, is
/// the repository's backup stack (Mounik/docker-stacks, cwage/homelab): reported for review
/// as one, never deleted. A `backup/` whose compose file is the only one (spring-mono's saved
/// `docker compose config` beside an SQL dump) is still a copy.
#[test]
fn a_backup_directory_that_is_one_of_the_compose_stacks_stays() {
    let compose = "services:\n  app:\n    image: alpine\n";
    let r = Repo::new(&[
        ("adguard/docker-compose.yml", compose),
        ("gitea/compose.yaml", compose),
        ("backup/docker-compose.yml", compose),
        ("backup/README.md", "# Backups\n"),
        ("backup/scripts/run.sh", "restic backup /data\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backup");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "stack", "{e}");
    assert_eq!(
        e["referenced_by"]["file"], "backup/docker-compose.yml",
        "{e}"
    );
    assert!(
        e["reason"]
            .as_str()
            .unwrap()
            .contains("a compose stack like the directories beside it"),
        "{e}"
    );

    let lone = Repo::new(&[
        ("app/Dockerfile", "FROM scratch\n"),
        ("backup/docker-compose.yml", compose),
        ("backup/full_dump.sql", "-- dump\n"),
    ]);
    assert_eq!(
        entry(&plan_json(&lone.root, &[]), "backup")["action"],
        "delete"
    );
}

/// A selected directory that splits around a file kept inside it (`backups/.env.example`)
/// leaves its other children selected by the same rule; each is referred to by the
/// directory's name or its own whole path, not by its bare name: every CI script mentions
/// `README.md` and `Dockerfile`.
#[test]
fn a_child_of_a_split_selection_is_referred_to_by_the_directory_not_its_bare_name() {
    let r = Repo::new(&[
        (
            "Makefile",
            "check:\n\ttest -f README.md && docker build -f Dockerfile .\n",
        ),
        ("Dockerfile", "FROM scratch\n"),
        ("README.md", "# App\n"),
        ("backups/.env.example", "KEY=\n"),
        ("backups/README.md", "old notes\n"),
        ("backups/Dockerfile", "FROM scratch\n"),
        ("old_backup/.env.example", "KEY=\n"),
        ("old_backup/notes.txt", "x\n"),
        ("deploy.sh", "tar czf site.tgz old_backup/notes.txt\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for p in ["backups/README.md", "backups/Dockerfile"] {
        let e = entry(&plan, p);
        assert_eq!(e["action"], "delete", "{e}");
    }
    let named = entry(&plan, "old_backup/notes.txt");
    assert_eq!(named["action"], "review", "{named}");
    assert_eq!(named["referenced_by"]["file"], "deploy.sh", "{named}");
}

/// A script that uses the directory holding a launcher as a whole keeps it: IOPaint's
/// `scripts/pack.sh` ships `user_scripts/*`, its Windows installer's launchers. A mention of a
/// generic directory (`cd scripts`), of another file inside it, or outside a script does not.
#[test]
fn a_launcher_in_a_directory_a_script_ships_whole_stays() {
    let r = Repo::new(&[
        // A Docker setup: what replaces the launchers the rule selects.
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "scripts/pack.sh",
            "USER_SCRIPTS=user_scripts\ncp ${USER_SCRIPTS}/* dist/\n",
        ),
        ("scripts/user_scripts/win_start.bat", "@echo off\n"),
        ("scripts/launchers/run.bat", "@echo off\n"),
        ("scripts/helpers/old.bat", "@echo off\n"),
        (
            "deploy.sh",
            "cd scripts && ls\nbash scripts/launchers/setup.sh\n",
        ),
        ("package.json", "{\"launchers\": \"helpers\"}\n"),
        ("scripts/clean.sh", "# helpers are old\nrm -f helpers.log\n"),
        ("app.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "scripts/user_scripts/win_start.bat");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "holder", "{e}");
    assert_eq!(e["referenced_by"]["file"], "scripts/pack.sh", "{e}");
    for p in ["scripts/launchers/run.bat", "scripts/helpers/old.bat"] {
        assert_eq!(entry(&plan, p)["action"], "delete", "{p}");
    }
}

/// Windows launchers numbered as steps, three or more in one directory (AI-Vtuber's
/// `Scripts/1.双击我启动程序.bat`, `2-1.强制更新至主线版本.bat`, `2-2.安装依赖.bat`), are a
/// procedure the project ships for its users: review, naming the directory. Two numbered
/// ones, or one beside unnumbered ones, are not a set.
#[test]
fn numbered_launchers_in_one_directory_are_steps_the_project_ships() {
    let r = Repo::new(&[
        // A Docker setup: what replaces the launchers the rule selects.
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "Scripts/1.双击我启动程序.bat",
            "@echo off\npython main.py\n",
        ),
        (
            "Scripts/2-1.强制更新至主线版本.bat",
            "@echo off\ngit pull\n",
        ),
        (
            "Scripts/2-2.安装依赖.bat",
            "@echo off\npip install -r requirements.txt\n",
        ),
        ("Scripts/双击运行打开管理员cmd.bat", "@echo off\ncmd\n"),
        ("scripts/win/1.build.bat", "@echo off\n"),
        ("scripts/win/2.deploy.bat", "@echo off\n"),
        ("run_debug.bat", "@echo off\n"),
        ("main.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for p in [
        "Scripts/1.双击我启动程序.bat",
        "Scripts/2-1.强制更新至主线版本.bat",
        "Scripts/2-2.安装依赖.bat",
    ] {
        let e = entry(&plan, p);
        assert_eq!(e["action"], "review", "{e}");
        assert_eq!(e["referenced_by"]["kind"], "steps", "{e}");
        assert_eq!(e["referenced_by"]["file"], "Scripts/", "{e}");
    }
    for p in [
        "Scripts/双击运行打开管理员cmd.bat",
        "scripts/win/1.build.bat",
        "scripts/win/2.deploy.bat",
        "run_debug.bat",
    ] {
        assert_eq!(entry(&plan, p)["action"], "delete", "{p}");
    }
}

/// A launcher is junk because the Docker setup replaces it. Where no Dockerfile,
/// Containerfile or compose file covers its folder, nothing does (option-system's `快速開始.bat` menu,
/// Deep-Live-Cam's `run-cuda.bat`): its launchers are how it runs on Windows, reported for
/// review. A compose file under another name is a Docker setup too.
#[test]
fn launchers_stay_where_no_docker_setup_replaces_them() {
    let r = Repo::new(&[
        ("快速開始.bat", "@echo off\npython main.py\n"),
        ("scripts/run-cuda.bat", "python main.py --cuda\n"),
        ("scripts/tray.pyw", "import tkinter\n"),
        ("main.pyw", "import tkinter\n"),
        ("main.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    // A `.pyw` at the root is the program itself, never a launcher to clean.
    assert!(entry_at(&plan, "main.pyw").is_none());
    for p in ["快速開始.bat", "scripts/run-cuda.bat", "scripts/tray.pyw"] {
        let e = entry(&plan, p);
        assert_eq!(e["action"], "review", "{e}");
        assert_eq!(e["referenced_by"]["kind"], "no-docker", "{e}");
        assert!(
            e["reason"]
                .as_str()
                .unwrap()
                .contains("no Dockerfile or compose file in its folder or above replaces it"),
            "{e}"
        );
    }
    // One app's Dockerfile in a subfolder replaces that app's launchers, not the root's
    // (Master-Haven's `update_planet_atlas.bat` beside `haven-ops/Dockerfile`).
    r.write("site/Dockerfile", "FROM scratch\nCOPY . /site\n");
    r.write("site/scripts/serve.bat", "python -m http.server\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "site"]);
    let plan = plan_json(&r.root, &[]);
    for p in ["快速開始.bat", "scripts/run-cuda.bat"] {
        assert_eq!(entry(&plan, p)["action"], "review", "{p}");
    }
    assert_eq!(entry(&plan, "site/scripts/serve.bat")["action"], "delete");
    // A setup kept in its own folder (`deploy/`, `docker/`) builds the project around it.
    r.write(
        "deploy/docker-compose.dev.yml",
        "services:\n  app:\n    image: x\n",
    );
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "compose"]);
    let plan = plan_json(&r.root, &[]);
    for p in ["快速開始.bat", "scripts/run-cuda.bat", "scripts/tray.pyw"] {
        assert_eq!(entry(&plan, p)["action"], "delete", "{p}");
    }
    assert!(entry_at(&plan, "main.pyw").is_none());
}

/// A name in a list of what a program skips is no use of it (RAG-ststem's
/// `skip_dirs = [ … 'node_modules', '.git', … 'backup', 'old_tests' ]` over several lines,
/// SillyTavern's eslint `ignorePatterns: [ … 'backups/**/*' ]`), and a name joined to others by
/// `-` is another name (`git branch backup-before-rollback`), as is a file's (`backup.sh`). A real
/// use still keeps it, a module of the folder run by its dotted name among them.
#[test]
fn a_name_in_a_skip_list_or_inside_another_name_is_no_reference() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("backup/main.py", "print('old')\n"),
        (
            "walk.py",
            "skip_dirs = [\n    'node_modules', '.git',\n    'tests', 'backup', 'old_tests'\n]\nEXCLUDE = ('x',)\n",
        ),
        (".eslintrc.js", "module.exports = {\n  ignorePatterns: ['backup/**/*'],\n};\n"),
        ("README.md", "# App\n\n```\ngit branch backup-before-rollback\n```\n"),
        ("main.py", "print(1)\n"),
        // A file of that name is another thing (Expense-Tracker's workflow).
        (
            ".github/workflows/restore.yml",
            "steps:\n  - run: chmod +x scripts/backup.sh && tar czf backup.tar.gz data\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backup");
    assert_eq!(e["action"], "delete", "{e}");
    r.write("run.sh", "python -m backup.main\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "use it"]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backup");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "run.sh", "{e}");
}

#[test]
fn a_mention_in_compiled_code_or_a_server_config_counts() {
    let r = Repo::new(&[
        ("go.mod", "module example.com/cache\n"),
        (
            "internal/persistence/snapshot.go",
            "package persistence\n\nfunc path(dir string) string {\n\treturn filepath.Join(dir, \"dump.rdb\")\n}\n",
        ),
        ("dump.rdb", "REDIS0011\n"),
        ("svc/redis.conf", "appendonly yes\n"),
        ("svc/appendonly.aof", "*1\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let dump = entry(&plan, "dump.rdb");
    assert_eq!(dump["action"], "review", "{dump}");
    assert_eq!(
        dump["referenced_by"]["file"],
        "internal/persistence/snapshot.go"
    );
    assert_eq!(dump["referenced_by"]["line"], 4);
    // Nothing names this one: a snapshot left behind.
    assert_eq!(entry(&plan, "svc/appendonly.aof")["action"], "delete");
}

#[test]
fn explain_never_cites_a_file_inside_the_folder_it_explains() {
    let r = Repo::new(&[
        ("go.mod", "module example.com/pgtools\n"),
        (
            "backup/main.go",
            "package main\n\n// Create a backup file name with a timestamp\nfunc main() {}\n",
        ),
        (
            "restore/main.go",
            "package main\n\nfunc main() { run(\"go run ./backup\") }\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        entry(&plan, "backup")["referenced_by"]["file"],
        "restore/main.go"
    );
    let why = stdout(&r.run(&["explain", "backup"]));
    assert!(why.contains("restore/main.go:3"), "{why}");
    assert!(!why.contains("backup/main.go"), "{why}");
}

#[test]
fn pips_output_named_after_a_version_goes_whatever_names_that_version() {
    let r = Repo::new(&[
        ("app/main.py", "import fastapi\n"),
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\ndependencies = [\"fastapi>=1.0.0\"]\n",
        ),
        ("README.md", "```sh\npip install \"fastapi>=1.0.0\"\n```\n"),
        (
            "=1.0.0",
            "Requirement already satisfied: fastapi in ./.venv/lib/python3.12/site-packages\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "=1.0.0");
    assert_eq!(e["rule"], "shell-redirect-output");
    assert_eq!(e["action"], "delete", "{e}");
}

/// A script that writes its results to a file makes it; it does not need it there
/// (GradeSense's root test scripts each saved `*_test_results.json` with `open(..., 'w')`,
/// and that line kept the saved results for review). A script that reads the file uses it.
#[test]
fn a_script_that_writes_a_file_is_no_use_of_it() {
    let r = Repo::new(&[
        ("tests/test_api.py", "def test_api():\n    assert True\n"),
        (
            "backend_test.py",
            "import json\n\ndef test_grading():\n    pass\n\nwith open('/app/backend_test_results.json', 'w') as f:\n    json.dump({}, f)\n",
        ),
        ("backend_test_results.json", "{}\n"),
        (
            "report.py",
            "import json\n\nprint(json.load(open('grading_test_results.json')))\n",
        ),
        ("grading_test_results.json", "{}\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let made = entry(&plan, "backend_test_results.json");
    assert_eq!(made["action"], "delete", "{made}");
    let read = entry(&plan, "grading_test_results.json");
    assert_eq!(read["action"], "review", "{read}");
    assert_eq!(read["referenced_by"]["file"], "report.py", "{read}");
    // The writer is kept (pytest collects it); only its output goes.
    assert_eq!(entry(&plan, "backend_test.py")["action"], "review");
    let o = r.run(&["explain", "backend_test_results.json"]);
    assert!(
        stdout(&o).contains("selected for deletion"),
        "{}",
        stdout(&o)
    );
}

/// `explain` judges a path as the plan does when what refers to it is itself a selection the
/// plan keeps for review: a root test script pytest collects (neurolake, TTRPG-CENTER and
/// GradeSense: `explain` said "selected for deletion" of what the plan kept for review).
#[test]
fn explain_counts_a_reference_from_a_file_the_plan_keeps() {
    let r = Repo::new(&[
        ("tests/test_api.py", "def test_api():\n    assert True\n"),
        (
            "backend_test.py",
            "import json\n\ndef test_grading():\n    print(json.load(open('grading_test_results.json')))\n",
        ),
        ("grading_test_results.json", "{}\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(entry(&plan, "backend_test.py")["action"], "review");
    let read = entry(&plan, "grading_test_results.json");
    assert_eq!(read["action"], "review", "{read}");
    let o = r.run(&["explain", "grading_test_results.json"]);
    let said = stdout(&o);
    assert!(
        said.contains("reported for review") && said.contains("backend_test.py:4"),
        "{said}"
    );
}

/// A path from the filesystem's top (`gzip > /backups/db.sql.gz` in a host's crontab) and a
/// comment in a code block (`# Cleanup old backups`) name no folder of the repository:
/// agent-task-center's committed `backups/` of database dumps was kept for review by its
/// deployment guide's cron lines. A compose volume mounting `./backups` does use it.
#[test]
fn a_host_path_or_a_comment_in_a_code_block_is_no_use_of_a_folder() {
    let guide = "## Backups\n\n```bash\n# Daily database backup\n0 2 * * * pg_dump app | gzip > /backups/db.sql.gz\n\n# Cleanup old backups\n0 4 * * * find /backups -mtime +30 -delete\n```\n";
    let files = [
        (
            "docker-compose.yml",
            "services:\n  db:\n    image: postgres\n",
        ),
        ("docs/deploy.md", guide),
        ("backups/db_backup_20260321.sql", "-- dump\n"),
    ];
    let r = Repo::new(&files);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(entry(&plan, "backups")["action"], "delete", "{plan}");
    let mounted =
        "services:\n  db:\n    image: postgres\n    volumes:\n      - ./backups:/backups\n";
    let mut with: Vec<(&str, &str)> = files.to_vec();
    with[0] = ("docker-compose.yml", mounted);
    let r = Repo::new(&with);
    let plan = plan_json(&r.root, &[]);
    let kept = entry(&plan, "backups");
    assert_eq!(kept["action"], "review", "{kept}");
    assert_eq!(
        kept["referenced_by"]["file"], "docker-compose.yml",
        "{kept}"
    );
}

/// In web code a path from `/` is a URL the server maps to the project's files: a page that
/// loads `/old/app.js` or fetches `/backups/latest.json` uses those folders.
#[test]
fn a_url_path_in_web_code_uses_the_folder() {
    let r = Repo::new(&[
        ("index.html", "<script src=\"/old/app.js\"></script>\n"),
        (
            "main.js",
            "fetch('/backups/latest.json').then((r) => r.json());\n",
        ),
        ("old/app.js", "console.log(1);\n"),
        ("backups/latest.json", "{}\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for (p, by) in [("old", "index.html"), ("backups", "main.js")] {
        let e = entry(&plan, p);
        assert_eq!(e["action"], "review", "{e}");
        assert_eq!(e["referenced_by"]["file"], by, "{e}");
    }
}

/// A copy whose original is gone, while the project still names the original (neurolake's
/// `Dockerfile.dashboard` copies `advanced_databricks_dashboard.py`, deleted, beside its
/// `.backup`), is the only copy of a file the project uses: kept for review, citing that line.
/// One whose original is beside it, or that nothing names, goes.
#[test]
fn a_copy_of_a_missing_file_the_project_names_is_kept() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY dashboard.py /app/\n"),
        ("dashboard.py.backup", "print('dash')\n"),
        ("util.py", "x = 1\n"),
        ("util.py.bak", "x = 0\n"),
        ("gone.py.bak", "print('gone')\n"),
        // A bare common name in another folder is that folder's file (fire-ems-tools'
        // `e2e/Dockerfile` copies its own `package.json`).
        ("package.json.backup", "{}\n"),
        ("e2e/Dockerfile", "FROM scratch\nCOPY package.json ./\n"),
        ("e2e/package.json", "{}\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(entry(&plan, "package.json.backup")["action"], "delete");
    let e = entry(&plan, "dashboard.py.backup");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "Dockerfile", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "original", "{e}");
    for p in ["util.py.bak", "gone.py.bak"] {
        assert_eq!(entry(&plan, p)["action"], "delete", "{p}");
    }
    let o = r.run(&["explain", "dashboard.py.backup"]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("reported for review") && said.contains("names the file it is a copy of"),
        "{said}"
    );
}

/// Of the lines naming a folder, a string that is its name alone is cited before prose: the
/// docstring above it says "backups" as a word (fire-ems-tools' `utils/backup_manager.py`).
#[test]
fn a_quoted_name_is_cited_before_prose() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("backups/db.json", "{}\n"),
        (
            "store.py",
            "class Store:\n    \"\"\"Handles database backups, file backups, and more\"\"\"\n    root = os.path.join(cwd, 'backups')\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backups");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["line"], 3, "{e}");
}
