//! A junk finding's fix is one that works: `ignore --write` only where the rule has a
//! `.dockerignore` line for it. Litter left behind once (a root `debug.png` a script saved, a
//! phase report) gets no line: `apply` deletes it, and the finding says so.

mod common;

use common::repo::Repo;
use common::*;

fn fix_of<'a>(a: &'a serde_json::Value, code: &str, path: &str) -> &'a str {
    findings(a, code)
        .into_iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no {code} at {path}: {:#?}", finding_rows(a)))["fix"]
        .as_str()
        .unwrap()
}

#[test]
fn junk_without_an_ignore_line_is_for_apply_to_delete() {
    let r = Repo::new(&[
        ("package.json", "{\"name\": \"bot\"}\n"),
        ("package-lock.json", "{}\n"),
        ("src/index.js", "console.log(1);\n"),
        ("debug.png", "\u{89}PNG fake\n"),
        // backup-files has lines for `*.bak`, none for `*.backup`.
        ("notes.backup", "old notes\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".gitignore", "node_modules/\n"),
    ]);
    r.write("node_modules/left-pad/index.js", "module.exports = 1;\n");

    // No .dockerignore: the file `ignore --write` makes excludes node_modules, not debug.png.
    let a = r.audit();
    let fix = fix_of(&a, "missing-dockerignore", ".dockerignore");
    assert!(
        fix.starts_with("delete what `backup-files` and `root-debug-output` select"),
        "{fix}"
    );
    assert!(fix.contains("excludes the rest"), "{fix}");

    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = r.audit();
    let rows = finding_rows(&a);
    assert!(
        !rows
            .iter()
            .any(|(code, _, msg)| code == "junk-in-context" && msg.contains("node-modules")),
        "{rows:#?}"
    );
    let fix = fix_of(&a, "junk-in-context", "debug.png");
    assert!(fix.starts_with("delete it (`mami-clean apply`); no .dockerignore line `ignore --write` writes covers all of what `root-debug-output` selects"), "{fix}");
    let fix = fix_of(&a, "junk-in-context", "notes.backup");
    assert!(fix.starts_with("delete it (`mami-clean apply`)"), "{fix}");

    // The fix works: after `apply`, nothing is sent that a rule selects.
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "ignore files"]);
    let o = r.run(&["apply", "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(findings(&r.audit(), "junk-in-context").is_empty());
}
