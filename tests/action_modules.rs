//! A JavaScript GitHub Action that does not bundle its packages commits its `node_modules`,
//! as GitHub's guide for actions says to: the runner installs nothing, and `require` loads
//! them from beside the script or a folder above it. That `node_modules` is the action's
//! code: reported for review with the `runs` line, never deleted, not committed junk.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_javascript_actions_committed_packages_are_its_code() {
    let r = Repo::new(&[
        (
            "action.yml",
            "name: Greet\nruns:\n  using: node20\n  main: index.js\n",
        ),
        ("index.js", "const core = require('@actions/core');\n"),
        (
            "package.json",
            "{\"dependencies\": {\"@actions/core\": \"1\"}}\n",
        ),
        (
            "node_modules/@actions/core/index.js",
            "module.exports = {};\n",
        ),
        (
            ".github/actions/setup/action.yml",
            "runs:\n  using: node20\n  main: dist/main.js\n",
        ),
        (".github/actions/setup/dist/main.js", "require('semver');\n"),
        (".github/actions/setup/package.json", "{}\n"),
        (".github/actions/setup/node_modules/semver/index.js", "1;\n"),
        ("web/package.json", "{}\n"),
    ]);
    // Installed, not committed: the web app's packages, which no action loads.
    r.write("web/node_modules/react/index.js", "1;\n");
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "node_modules");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "action-modules", "{e}");
    // Both actions load from it (Node climbs to the root); either line says so.
    let by = e["referenced_by"]["file"].as_str().unwrap();
    assert!(by.ends_with("action.yml"), "{e}");
    // Node looks in every folder above the script: `dist/main.js` loads `../node_modules`.
    let nested = entry(&plan, ".github/actions/setup/node_modules");
    assert_eq!(nested["action"], "review", "{nested}");
    assert_eq!(
        nested["referenced_by"]["file"],
        ".github/actions/setup/action.yml"
    );
    let web = entry(&plan, "web/node_modules");
    assert_eq!(web["action"], "delete", "{web}");

    let audit = r.audit();
    assert!(findings(&audit, "tracked-junk").is_empty(), "{audit:#}");
    let o = r.run(&["apply", "--yes"]);
    assert!(
        r.exists("node_modules/@actions/core/index.js"),
        "{}",
        stdout(&o)
    );
    assert!(!r.exists("web/node_modules"), "{}", stdout(&o));
}
