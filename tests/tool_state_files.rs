//! What tools write where they run, next to what must stay: Celery beat's schedule (a shelve
//! file, `.db` by one dbm module) goes though databases stay; the Firebase CLI's debug log goes
//! though active logs stay; the Vercel and Netlify CLIs' folders go, but an environment file
//! in one (`vercel pull` writes one, a Netlify bundle takes one in) stays, as one put in a build
//! folder does.

mod common;

use common::repo::Repo;

#[test]
fn tool_state_goes_and_live_data_stays() {
    let r = Repo::new(&[("backend/app.py", "print(1)\n"), ("README.md", "# app\n")]);
    r.write("backend/celerybeat-schedule.db", "\u{0}shelve");
    r.write("backend/app.db", "SQLite format 3\u{0}");
    r.write("backend/server.log", "started\n");
    r.write("firebase-debug.log", "[debug] ... Error: 403\n");
    r.write(
        ".vercel/project.json",
        "{\"projectId\":\"prj_1\",\"orgId\":\"team_1\"}\n",
    );
    r.write(
        ".vercel/README.txt",
        "Should I commit the .vercel folder? No\n",
    );
    r.write(
        ".vercel/.env.development.local",
        "DATABASE_URL=postgres://u:p@h/db\n",
    );
    let plan = common::plan_json(&r.root, &[]);
    let mut picked: Vec<(String, String)> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("path"), s("rule"))
        })
        .collect();
    picked.sort();
    let want = [
        (".vercel/README.txt", "vercel-project-link"),
        (".vercel/project.json", "vercel-project-link"),
        ("backend/celerybeat-schedule.db", "celery-beat-schedule"),
        ("firebase-debug.log", "firebase-debug-logs"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect();
    assert_eq!(picked, want, "{plan}");

    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    for gone in [
        "backend/celerybeat-schedule.db",
        "firebase-debug.log",
        ".vercel/project.json",
    ] {
        assert!(!r.exists(gone), "{gone}");
    }
    for kept in [
        "backend/app.db",
        "backend/server.log",
        ".vercel/.env.development.local",
    ] {
        assert!(r.exists(kept), "{kept}");
    }
    assert!(r.git_ignores("worker/celerybeat-schedule") && r.git_ignores("firebase-debug.log"));
    assert!(r.git_ignores(".vercel/project.json"));
}

/// An environment file inside a selected build or dependency folder is no build's output: it
/// stays, and the rest of the folder goes. Not in an installed package, whose author
/// published it.
#[test]
fn an_environment_file_in_a_build_folder_stays() {
    let r = Repo::new(&[
        ("package.json", "{\"name\":\"web\"}\n"),
        ("index.js", "1\n"),
    ]);
    r.write("dist/index.html", "<html>\n");
    r.write("dist/.env", "STRIPE_KEY=sk_live_0123456789abcdefghij\n");
    r.write(".next/server/app.js", "x\n");
    r.write(".next/.env.production.local", "API_KEY=k\n");
    r.write("node_modules/pkg/index.js", "x\n");
    r.write("node_modules/pkg/.env", "PKG=1\n");
    let plan = common::plan_json(&r.root, &[]);
    let kept: Vec<String> = (common::protections(&plan).into_iter())
        .map(|(path, _)| path)
        .collect();
    assert_eq!(kept, [".next/.env.production.local", "dist/.env"], "{plan}");
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(r.exists("dist/.env") && r.exists(".next/.env.production.local"));
    assert!(!r.exists("dist/index.html") && !r.exists(".next/server/app.js"));
    assert!(!r.exists("node_modules"));
}

/// VS Code's Local History extension keeps a copy of each file at every save under
/// `.history/`: a backup folder, backed up before it goes. One the project's code names (a
/// tool's own history folder) stays for review.
#[test]
fn an_editors_local_history_goes_unless_the_code_uses_it() {
    let r = Repo::new(&[("src/app.py", "print(2)\n"), ("README.md", "# app\n")]);
    r.write(".history/src/app_20240105143012.py", "print(1)\n");
    let plan = common::plan_json(&r.root, &[]);
    let e = &plan["entries"][0];
    assert_eq!(
        (
            e["path"].as_str(),
            e["rule"].as_str(),
            e["action"].as_str(),
            e["recovery"].as_str()
        ),
        (
            Some(".history"),
            Some("editor-local-history"),
            Some("delete"),
            Some("backup")
        ),
        "{plan}"
    );

    let used = Repo::new(&[("cli/main.py", "HISTORY_DIR = '.history'\n")]);
    used.write(".history/session.json", "[]\n");
    let plan = common::plan_json(&used.root, &[]);
    let e = &plan["entries"][0];
    assert_eq!(
        (e["path"].as_str(), e["action"].as_str()),
        (Some(".history"), Some("review")),
        "{plan}"
    );
}

/// `nohup`'s output goes committed or not (Bheem commits `backend/nohup.out`, 358 kB of its
/// server's log lines): nothing reads it back. So does a committed pid file, stale in every
/// clone (greyhound-racing-collector's `flask_app.pid`); one among a test's fixtures is the
/// test's input and stays, and so does a `nohup.out` there.
#[test]
fn a_committed_nohup_out_and_pid_file_go_and_a_tests_fixtures_stay() {
    // The number of a process that has exited: the file is stale here too.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let pid = format!("{}\n", gone.id());
    let r = Repo::new(&[
        ("backend/app.py", "print(1)\n"),
        (
            "backend/nohup.out",
            "{\"level\": \"INFO\", \"message\": \"started\"}\n",
        ),
        (
            "nohup.out",
            "INFO: Uvicorn running on http://0.0.0.0:8000\n",
        ),
        ("flask_app.pid", &pid),
        ("tests/fixtures/app.pid", "4242\n"),
        ("tests/fixtures/nohup.out", "sample\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    for (p, rule) in [
        ("backend/nohup.out", "nohup-output"),
        ("nohup.out", "nohup-output"),
        ("flask_app.pid", "process-leftovers"),
    ] {
        let e = common::entry(&plan, p);
        assert_eq!(
            (e["action"].as_str(), e["rule"].as_str(), e["git"].as_str()),
            (Some("delete"), Some(rule), Some("tracked")),
            "{e}"
        );
    }
    for p in ["tests/fixtures/app.pid", "tests/fixtures/nohup.out"] {
        assert!(common::entry_at(&plan, p).is_none(), "{p}: {plan}");
    }
    let o = r.run(&["apply", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(!r.exists("backend/nohup.out") && !r.exists("flask_app.pid"));
    assert!(r.exists("tests/fixtures/app.pid"));
}

/// A profiler's output (cProfile's `.prof`, Go's `cpu.prof`, a JVM's `.hprof`) goes; a test's
/// profile stays. A notebook still named `Untitled.ipynb` goes beside named ones, and stays
/// where it is the only one.
#[test]
fn profiler_output_and_an_untitled_notebook_beside_named_ones_go() {
    let r = Repo::new(&[
        ("app/main.go", "package main\n"),
        ("cpu.prof", "\u{1f}profile"),
        ("profiles/pipeline_20250802_141524.prof", "cprofile"),
        ("internal/pprof/testdata/cpu.prof", "fixture"),
        ("notebooks/eda.ipynb", "{}\n"),
        ("notebooks/Untitled.ipynb", "{}\n"),
        ("solo/Untitled.ipynb", "{}\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    for (p, rule) in [
        ("cpu.prof", "profiler-output"),
        ("profiles/pipeline_20250802_141524.prof", "profiler-output"),
        ("notebooks/Untitled.ipynb", "untitled-notebooks"),
    ] {
        let e = common::entry(&plan, p);
        assert_eq!(
            (e["action"].as_str(), e["rule"].as_str()),
            (Some("delete"), Some(rule)),
            "{e}"
        );
    }
    for p in [
        "internal/pprof/testdata/cpu.prof",
        "solo/Untitled.ipynb",
        "notebooks/eda.ipynb",
    ] {
        assert!(common::entry_at(&plan, p).is_none(), "{p}: {plan}");
    }
}

/// CatBoost writes `catboost_info/` wherever `fit()` runs (committed in 10,966 public
/// repositories): it goes, as regenerable. A folder of that name holding none of what
/// CatBoost writes is someone's code and stays.
#[test]
fn catboosts_training_log_goes_and_a_package_of_that_name_stays() {
    let r = Repo::new(&[
        ("train.py", "from catboost import CatBoostRegressor\n"),
        ("catboost_info/learn_error.tsv", "iter\tRMSE\n0\t1.5\n"),
        ("catboost_info/catboost_training.json", "{}\n"),
        ("lib/catboost_info/__init__.py", "def describe(): pass\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    let e = common::entry(&plan, "catboost_info");
    assert_eq!(
        (e["action"].as_str(), e["rule"].as_str()),
        (Some("delete"), Some("catboost-training-info")),
        "{e}"
    );
    assert!(
        common::entry_at(&plan, "lib/catboost_info").is_none(),
        "{plan}"
    );
}

/// The Netlify CLI's `.netlify/` (a site link, build plugins with their `node_modules`,
/// bundled functions) goes whole, to be made again by `netlify link` and `netlify build`; an
/// environment file a bundle took in stays, the rest going around it; the project's own
/// `netlify/functions/` (no dot) is code.
#[test]
fn the_netlify_clis_folder_goes_and_an_environment_file_in_it_stays() {
    let r = Repo::new(&[
        (
            "netlify/functions/hello.js",
            "export default () => new Response('hi')\n",
        ),
        (".netlify/state.json", "{\"siteId\":\"1234\"}\n"),
        (".netlify/plugins/package.json", "{}\n"),
        (
            ".netlify/plugins/node_modules/x/index.js",
            "module.exports = 1;\n",
        ),
        ("site/.netlify/state.json", "{\"siteId\":\"5678\"}\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    for p in [".netlify", "site/.netlify"] {
        let e = common::entry(&plan, p);
        assert_eq!(e["rule"], "netlify-local-state", "{plan:#}");
        assert_eq!(e["recovery"], "regenerable", "{e:#}");
    }
    assert!(common::entry_at(&plan, "netlify").is_none(), "{plan:#}");
    assert!(common::entry_at(&plan, "netlify/functions/hello.js").is_none());
    r.write(
        ".netlify/functions-internal/handler/.env.local",
        "API_KEY=k\n",
    );
    let plan = common::plan_json(&r.root, &[]);
    assert!(common::entry_at(&plan, ".netlify").is_none(), "{plan:#}");
    assert_eq!(
        common::entry(&plan, ".netlify/plugins")["rule"],
        "netlify-local-state"
    );
    assert_eq!(
        common::entry(&plan, ".netlify/state.json")["rule"],
        "netlify-local-state"
    );
    let env = ".netlify/functions-internal/handler/.env.local";
    for p in [
        ".netlify/functions-internal",
        ".netlify/functions-internal/handler",
        env,
    ] {
        assert!(common::entry_at(&plan, p).is_none(), "{p}: {plan:#}");
    }
}

/// What front-end tools write again on their next run: the Firebase CLI's deploy cache,
/// Yarn's install state, Astro's generated types (named by `env.d.ts`, as in every Astro
/// project, and written back by `astro sync`). Yarn's committed cache and an `.astro` folder
/// with no Astro config beside it stay.
#[test]
fn deploy_caches_install_state_and_generated_types_go_regenerable() {
    let r = Repo::new(&[
        ("firebase.json", "{\"hosting\":{\"public\":\"dist\"}}\n"),
        (
            ".firebase/hosting.ZGlzdA.cache",
            "index.html,1700000000000,abc\n",
        ),
        (".yarn/install-state.gz", "\u{1f}\u{8b}state"),
        (".yarn/cache/react-npm-18.2.0-1eae08fee2.zip", "PK"),
        ("site/astro.config.mjs", "export default {}\n"),
        (
            "site/src/env.d.ts",
            "/// <reference path=\"../.astro/types.d.ts\" />\n",
        ),
        (
            "site/.astro/types.d.ts",
            "/// <reference types=\"astro/client\" />\n",
        ),
        ("notes/.astro/keep.txt", "not Astro's\n"),
    ]);
    let plan = common::plan_json(&r.root, &[]);
    for (p, rule) in [
        (".firebase/hosting.ZGlzdA.cache", "firebase-deploy-cache"),
        (".yarn/install-state.gz", "yarn-install-state"),
        ("site/.astro", "astro-generated-types"),
    ] {
        let e = common::entry(&plan, p);
        assert_eq!(
            (e["rule"].as_str(), e["action"].as_str()),
            (Some(rule), Some("delete"))
        );
        assert_eq!(e["recovery"], "regenerable", "{e:#}");
    }
    for p in [".yarn/cache", "notes/.astro", "firebase.json"] {
        assert!(common::entry_at(&plan, p).is_none(), "{p}: {plan:#}");
    }
}
