//! A committed environment file of front-end build settings (a Vite app's `frontend/.env` of
//! `VITE_API_URL`: no secret, the build compiles it into the page) that a `.dockerignore` keeps
//! out of a build running `npm run build` makes an image whose page calls `undefined`: the
//! audit says so, once, with the line that excludes it and the line that brings it back.

mod common;

use common::repo::Repo;

const DOCKERFILE: &str = "FROM node:20 AS build\nWORKDIR /app\nCOPY frontend/ .\nRUN npm ci && npm run build\nFROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n";

/// The `build-settings-excluded` findings, as (path, line, message, fix).
fn found(r: &Repo) -> Vec<(String, u64, String, String)> {
    let a = r.audit();
    (a["findings"].as_array().unwrap().iter())
        .filter(|f| f["code"] == "build-settings-excluded")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (
                s("path"),
                f["line"].as_u64().unwrap_or(0),
                s("message"),
                s("fix"),
            )
        })
        .collect()
}

fn app(dockerfile: &str, env: &str) -> Repo {
    Repo::new(&[
        (".dockerignore", "node_modules\n**/.env\n"),
        ("Dockerfile", dockerfile),
        (
            "frontend/package.json",
            "{\"scripts\":{\"build\":\"vite build\"}}\n",
        ),
        (
            "frontend/src/main.js",
            "fetch(import.meta.env.VITE_API_URL)\n",
        ),
        ("frontend/.env", env),
    ])
}

#[test]
fn a_front_end_build_kept_from_its_settings_is_said_with_the_line_that_brings_them_back() {
    let r = app(DOCKERFILE, "VITE_API_URL=https://api.example.com\n");
    let f = found(&r);
    assert_eq!(f.len(), 1, "{f:?}");
    let (path, line, message, fix) = &f[0];
    assert_eq!((path.as_str(), *line), (".dockerignore", 2));
    for says in [
        "`**/.env`",
        "`frontend/.env`",
        "`VITE_API_URL`",
        "`npm run build`, Dockerfile:4",
    ] {
        assert!(message.contains(says), "{says}: {message}");
    }
    assert!(fix.contains("write `!frontend/.env` below line 2"), "{fix}");
    // Written as said, the build gets it and the audit has nothing more to say.
    r.write(".dockerignore", "node_modules\n**/.env\n!frontend/.env\n");
    assert_eq!(found(&r), []);
}

#[test]
fn no_finding_without_a_front_end_build_or_with_a_secret_in_the_file() {
    // The image serves what was built before `docker build`: nothing reads the file there.
    let r = app(
        "FROM nginx\nCOPY frontend/dist /usr/share/nginx/html\n",
        "VITE_API_URL=/api\n",
    );
    assert_eq!(found(&r), []);
    // A key beside the settings: kept out on purpose (secret-in-context's business).
    let r = app(
        DOCKERFILE,
        "VITE_API_URL=/api\nOPENAI_API_KEY=sk-proj-Zx81kQ2mWvR7tYb1pLc9\n",
    );
    assert_eq!(found(&r), []);
    // A template is documentation no build reads (anything-llm's `frontend/.env.example` of
    // `VITE_API_BASE`, under its `**/.env.*`).
    let r = Repo::new(&[
        (".dockerignore", "**/.env.*\n"),
        ("Dockerfile", DOCKERFILE),
        ("frontend/package.json", "{}\n"),
        ("frontend/.env.example", "VITE_API_BASE=/api\n"),
    ]);
    assert_eq!(found(&r), []);
}

/// A block an older `ignore --write` wrote (`**/.env` with no re-include after it) is fixed by
/// running it again, and the finding says so.
#[test]
fn the_managed_blocks_own_line_is_fixed_by_ignore_write() {
    let block = "# >>> mami-clean managed block: `mami-clean ignore --write` rewrites it; edit outside it\n**/.env\n# <<< mami-clean managed block\n";
    let r = app(DOCKERFILE, "VITE_API_URL=/api\n");
    r.write(".dockerignore", &format!("node_modules\n\n{block}"));
    let f = found(&r);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].3.contains("`mami-clean ignore --write` writes it"),
        "{:?}",
        f[0]
    );
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(found(&r), [], "{}", r.read(".dockerignore").unwrap());
}
