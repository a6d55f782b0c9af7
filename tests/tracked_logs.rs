//! A log the app writes as it runs, committed to git, is one `tracked-log` finding for all of
//! them (a Rails app's `log/development.log`, Laravel's `storage/logs/laravel.log`); not a log
//! `.gitignore` already ignores (that is `tracked-ignored`), an empty one, a test's input, or
//! one a compose service mounts (awesome-compose's `logstash/nginx.log`), nor one the plan
//! deletes (`npm-debug.log`). Its fix works: after
//! `git rm --cached`, `ignore --write` keeps logs out of git.

mod common;

use common::repo::Repo;
use common::*;

const APP: &[(&str, &str)] = &[
    ("Gemfile", "source 'https://rubygems.org'\n"),
    ("config/application.rb", "module App; end\n"),
    ("log/development.log", "Started GET \"/\" for 127.0.0.1\n"),
    ("storage/logs/laravel.log", "[2024-01-01] local.ERROR: boom\n"),
    // Kept out of the finding: a folder's placeholder, a test's input, a mounted sample, and
    // a log .gitignore already ignores.
    ("tmp/.keep.log", ""),
    ("test/testdata/access.log", "GET / 200\n"),
    ("elk/nginx.log", "GET /index.html 200\n"),
    (
        "compose.yaml",
        "services:\n  logstash:\n    image: logstash\n    volumes:\n      - ./elk/nginx.log:/home/nginx.log\n",
    ),
    ("old/worker.log", "job done\n"),
    // What the plan deletes (a failed install's log) is the plan's to report.
    ("npm-debug.log", "npm ERR! code E404\n"),
];

#[test]
fn committed_logs_are_one_finding_and_its_fix_works() {
    let r = Repo::new(APP);
    r.write(".gitignore", "/old/\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore old"]);
    let a = r.audit();
    let logs = findings(&a, "tracked-log");
    assert_eq!(logs.len(), 1, "{logs:?}");
    let f = logs[0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["path"], "log/development.log");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.starts_with("`log/development.log` and `storage/logs/laravel.log` (")
            && msg.contains(") are committed to git"),
        "{msg}"
    );
    // The test's input and the mounted sample are tracked logs a `*.log` line would catch.
    assert_eq!(
        f["fix"],
        "`git rm --cached log/development.log storage/logs/laravel.log` (they stay on disk), then ignore them by name or folder in .gitignore (`*.log` would also catch the tracked `elk/nginx.log`, which the project keeps)"
    );
    let ignored = findings(&a, "tracked-ignored");
    assert!(
        ignored
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("old/")),
        "{ignored:?}"
    );
}

#[test]
fn once_untracked_ignore_write_keeps_logs_out_of_git() {
    let r = Repo::new(&[
        ("Gemfile", "source 'https://rubygems.org'\n"),
        ("log/development.log", "Started GET \"/\" for 127.0.0.1\n"),
    ]);
    let f = findings(&r.audit(), "tracked-log")[0].clone();
    assert_eq!(
        f["fix"],
        "`git rm --cached log/development.log` (it stays on disk), then `mami-clean ignore --write`, which keeps logs out of git from there on"
    );
    r.git(&["rm", "-q", "--cached", "log/development.log"]);
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(r.git_ignores("log/development.log"));
    assert!(r.exists("log/development.log"));
    assert!(findings(&r.audit(), "tracked-log").is_empty());
}

/// Chromium's `debug.log` (Chrome, Electron or a headless browser started in the folder on
/// Windows; committed at the root of 11,653 public repositories) is told from the app's own
/// by its first line: the plan deletes it and no finding calls it the app's log; an app's
/// `debug.log` stays, and is the tracked log it is.
#[test]
fn chromiums_debug_log_goes_and_the_apps_own_stays() {
    let chromium = "[0102/155709.215:ERROR:directory_reader_win.cc(43)] FindFirstFile: The system cannot find the path specified. (0x3)\n";
    let r = Repo::new(&[
        ("index.html", "<h1>hi</h1>\n"),
        ("debug.log", chromium),
        (
            "public/assets/images/debug.log",
            "[12284:9960:1017/194228.699:WARNING:dns_config_service_win.cc(668)] Failed to read DnsConfig.\n",
        ),
        ("logs/debug.log", "2024-01-01 12:00:00 DEBUG worker started\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let picked = entry_rules(&plan);
    assert_eq!(
        picked,
        [
            ("debug.log", "chromium-debug-log"),
            ("public/assets/images/debug.log", "chromium-debug-log")
        ],
        "{plan:#}"
    );
    let a = r.audit();
    let logs = findings(&a, "tracked-log");
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert_eq!(logs[0]["path"], "logs/debug.log", "{logs:?}");
}

/// Selenium's browser drivers log where the tests or a scraper run (`geckodriver.log` is
/// committed at the root of 5,393 public repositories, `ghostdriver.log` of 3,010): the plan
/// deletes them, tracked or not, and no finding calls them the app's log; a test's input of
/// that name stays, and `ignore --write` keeps them out of git.
#[test]
fn browser_driver_logs_go_and_are_not_the_apps_log() {
    let gecko = "1600000000000\tgeckodriver\tINFO\tListening on 127.0.0.1:4444\n";
    let r = Repo::new(&[
        ("bot.py", "from selenium import webdriver\n"),
        ("geckodriver.log", gecko),
        ("tests/geckodriver.log", gecko),
        ("tests/fixtures/geckodriver.log", gecko),
        ("logs/app.log", "started\n"),
    ]);
    r.write(
        "scraper/ghostdriver.log",
        "[INFO  - 2017-01-01T00:00:00.000Z] GhostDriver - Main - running on port 8910\n",
    );
    let plan = plan_json(&r.root, &[]);
    let picked = entry_rules(&plan);
    assert_eq!(
        picked,
        [
            ("geckodriver.log", "webdriver-logs"),
            ("scraper/ghostdriver.log", "webdriver-logs"),
            ("tests/geckodriver.log", "webdriver-logs"),
        ],
        "{plan:#}"
    );
    let logs = findings(&r.audit(), "tracked-log")
        .iter()
        .map(|f| f["message"].to_string())
        .collect::<Vec<_>>();
    assert!(
        logs.len() == 1 && logs[0].starts_with("\"`logs/app.log` ("),
        "{logs:?}"
    );
    r.run_ok(&["ignore", "--write"]);
    assert!(r.git_ignores("scraper/ghostdriver.log") && r.git_ignores("geckodriver.log"));
}

/// Logs of one folder are one pathspec where no other tracked log lies below it (OXY.ai's 78
/// training logs made a command of 4.5 kB), and the command untracks exactly the logs named.
#[test]
fn a_folder_of_logs_is_one_pathspec_that_untracks_only_them() {
    let r = Repo::new(&[
        ("train/save/logs/t1.log", "epoch 1\n"),
        ("train/save/logs/t2.log", "epoch 2\n"),
        ("train/save/train.log", "done\n"),
        // An empty log keeps its folder: not reported, and not to be untracked.
        ("train/save/empty/.keep.log", ""),
        ("server.log", "GET /\n"),
        // git's pathspecs are case-sensitive: `*.log` would not take `APP.LOG`.
        ("data/APP.LOG", "x\n"),
        ("data/b.log", "y\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "tracked-log");
    let fix = f[0]["fix"].as_str().unwrap();
    let args = "data/APP.LOG data/b.log server.log 'train/save/logs/*.log' train/save/train.log";
    assert!(
        fix.starts_with(&format!("`git rm --cached {args}` (they stay on disk)")),
        "{fix}"
    );
    let rm = std::process::Command::new("sh")
        .args(["-c", &format!("git rm -q --cached {args}")])
        .current_dir(&r.root)
        .status()
        .unwrap();
    assert!(rm.success());
    let left = std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(&r.root)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&left.stdout),
        "train/save/empty/.keep.log\n"
    );
}
