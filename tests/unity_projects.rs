//! What the Unity editor writes into a project (`Library/`, its import cache; `Temp/`;
//! `UserSettings/`), committed in thousands of public repositories: regenerable, beside
//! `ProjectSettings/`. A `Library/` anywhere else is someone's code.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn unitys_cache_and_user_settings_go_and_another_library_stays() {
    let r = Repo::new(&[
        (
            "game/ProjectSettings/ProjectVersion.txt",
            "m_EditorVersion: 2022.3.1f1\n",
        ),
        ("game/Assets/Main.unity", "%YAML 1.1\n"),
        ("game/Library/ArtifactDB", "db"),
        (
            "game/Library/PackageCache/com.unity.timeline@1.4.8/LICENSE.md",
            "MIT\n",
        ),
        ("game/UserSettings/EditorUserSettings.asset", "%YAML 1.1\n"),
        ("server/Library/index.js", "module.exports = {};\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for p in ["game/Library", "game/UserSettings"] {
        let e = entry(&plan, p);
        assert_eq!(
            (e["action"].as_str(), e["rule"].as_str()),
            (Some("delete"), Some("unity-generated")),
            "{e}"
        );
    }
    assert!(entry_at(&plan, "server/Library").is_none(), "{plan}");
    assert!(entry_at(&plan, "game/Assets").is_none(), "{plan}");
}
