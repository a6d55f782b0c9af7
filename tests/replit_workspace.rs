//! What a Replit workspace leaves in the repository it pushes.
//!
//! The workspace is the repository, and Replit's IDE and Agent keep their state in it: the
//! Agent's checkpoints under `.local/state/replit/`, the package guesser's `.upm/`, the
//! caches of bun, pip and Nix under `.cache/`, the prompts a user pasted into the Agent's chat
//! under `attached_assets/Pasted-*`, and the zip export's error log. Public repositories
//! commit them by the thousand (Zibana-ride-share: 16,612 files of bun's cache, 1,058 of
//! Agent state, 288 pastes). The app's own files in the same folders stay.

mod common;

use common::repo::Repo;
use common::*;

fn workspace() -> Repo {
    Repo::new(&[
        (".replit", "run = \"npm run dev\"\n"),
        (
            "package.json",
            "{\"name\": \"app\", \"scripts\": {\"dev\": \"vite\"}}\n",
        ),
        (
            ".local/state/replit/agent/.agent_state_main.bin",
            "agent checkpoint\n",
        ),
        (".local/state/replit/log-query.db", "SQLite format 3\n"),
        (".upm/store.json", "{\"version\":2}\n"),
        (
            ".cache/.bun/install/cache/autoprefixer@10.4.20/lib/old-selector.js",
            "module.exports = 1;\n",
        ),
        (".cache/nix/binary-cache-v6.sqlite", "SQLite format 3\n"),
        (
            "attached_assets/Pasted-Build-a-landing-page-for-a-bakery_1761196874106.txt",
            "Build a landing page for a bakery...\n",
        ),
        (
            "attached_assets/Pasted-1-Cookie-session_1745927642029.txt",
            "session=abc\n",
        ),
        ("attached_assets/image_1761935092920.png", "PNG logo\n"),
        (
            "scraper.js",
            "const COOKIES = './attached_assets/Pasted-1-Cookie-session_1745927642029.txt';\n",
        ),
        (
            "src/Header.tsx",
            "import logo from \"@assets/image_1761935092920.png\";\n",
        ),
        (
            "replit_zip_error_log.txt",
            "{\"error\":\".zip archives do not support non-regular files\"}\n",
        ),
    ])
}

#[test]
fn a_pushed_workspaces_state_caches_and_pastes_go_and_the_apps_files_stay() {
    let r = workspace();
    let plan = plan_json(&r.root, &[]);
    let rule = |p: &str| entry(&plan, p)["rule"].as_str().unwrap().to_owned();
    assert_eq!(rule(".local/state/replit"), "replit-workspace-state");
    assert_eq!(rule(".upm"), "replit-workspace-state");
    assert_eq!(rule("replit_zip_error_log.txt"), "replit-export-log");
    // The whole cache goes as one, regenerable: no finding for a package file inside it.
    let cache = entry(&plan, ".cache");
    assert_eq!(cache["rule"], "tool-cache-dirs", "{plan:#}");
    assert_eq!(cache["recovery"], "regenerable", "{cache:#}");
    assert_eq!(cache["files"], 2, "{cache:#}");
    // Tool databases go with their folders: no keep carves them out.
    assert_eq!(entry(&plan, ".local/state/replit")["files"], 2, "{plan:#}");
    let paste = "attached_assets/Pasted-Build-a-landing-page-for-a-bakery_1761196874106.txt";
    assert_eq!(rule(paste), "ai-prompt-pastes");
    assert_eq!(entry(&plan, paste)["action"], "delete");
    // A paste the scraper reads is reviewed; the logo the header imports is not touched.
    let cookies = entry(
        &plan,
        "attached_assets/Pasted-1-Cookie-session_1745927642029.txt",
    );
    assert_eq!(cookies["action"], "review", "{cookies:#}");
    assert!(entry_at(&plan, "attached_assets/image_1761935092920.png").is_none());
    assert!(entry_at(&plan, "attached_assets").is_none(), "{plan:#}");
    assert!(entry_at(&plan, ".replit").is_none(), "{plan:#}");
}

/// In the live workspace git does not track the Agent's state: it is the Agent's memory of
/// the project, and stays (the ignore files keep it out of the image).
#[test]
fn the_live_workspaces_own_state_stays() {
    let r = Repo::new(&[
        (".replit", "run = \"python main.py\"\n"),
        ("main.py", "print(1)\n"),
    ]);
    r.write(
        ".local/state/replit/agent/.agent_state_main.bin",
        "agent checkpoint\n",
    );
    r.write(".upm/store.json", "{}\n");
    let plan = plan_json(&r.root, &[]);
    assert!(entry_at(&plan, ".local/state/replit").is_none(), "{plan:#}");
    assert!(entry_at(&plan, ".upm").is_none(), "{plan:#}");
}

/// A project that names its `.cache/` as its own (a scraper's response cache it serves from)
/// has it reviewed; a path from the user's home (`~/.cache/huggingface`) is not that.
#[test]
fn a_cache_folder_the_project_names_is_reviewed_and_the_homes_cache_is_not_it() {
    let r = Repo::new(&[
        (".cache/responses/a.json", "{}\n"),
        (
            "models.py",
            "HF = os.path.expanduser(\"~/.cache/huggingface\")\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(entry(&plan, ".cache")["action"], "delete", "{plan:#}");
    r.write("settings.py", "CACHE_DIR = \".cache\"\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "settings"]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, ".cache");
    assert_eq!(e["action"], "review", "{e:#}");
    assert!(e.to_string().contains("settings.py"), "{e:#}");
}
