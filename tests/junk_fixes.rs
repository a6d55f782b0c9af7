//! A junk finding's fix is one that works: `ignore --write` only where the rule has a
//! `.dockerignore` line for it. Litter left behind once (a root `debug.png` a script saved, a
//! phase report) gets no line: `apply` deletes it, and the finding says so.

mod common;

use common::repo::Repo;
use common::*;

/// `ignore --write`, which must succeed; what it said.
fn written(r: &Repo) -> String {
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

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

/// What a Dockerfile copies is its input, not junk: Spring Boot's `COPY target/*.jar` reads the
/// `target/` that `maven-target` selects. No finding calls it junk or offers a `.dockerignore`
/// line (the writer refuses `**/target`), while the rest of `target/`'s rule still counts
/// elsewhere, and the plan says the build fails until `mvn package` runs again.
#[test]
fn what_a_dockerfile_copies_is_not_junk_and_the_plan_says_it_deletes_it() {
    let r = Repo::new(&[
        ("pom.xml", "<project/>\n"),
        ("src/main/java/x/App.java", "class App {}\n"),
        ("tools/pom.xml", "<project/>\n"),
        (
            "Dockerfile",
            "FROM scratch\nCOPY target/*.jar /app.jar\nCOPY tools/ /tools/\n",
        ),
        (".gitignore", "target/\n"),
    ]);
    r.write("target/app-0.1.jar", &"j".repeat(2_000_000));
    r.write("tools/target/classes/T.class", &"c".repeat(1_500_000));

    let a = r.audit();
    let rows = finding_rows(&a);
    // `tools/target/` is swept in by `COPY tools/`: junk; `target/` is what line 2 copies.
    let missing = findings(&a, "missing-dockerignore");
    assert_eq!(missing.len(), 1, "{rows:#?}");
    let msg = missing[0]["message"].as_str().unwrap();
    assert!(msg.contains("(tools/target)"), "{msg}");
    assert!(msg.contains("sends 1.50 MB of junk"), "{msg}");

    let plan = plan_json(&r.root, &[]);
    let notes: Vec<(&str, &str)> = (plan["notes"].as_array().unwrap().iter())
        .filter(|n| n["kind"] == "build-input-deleted")
        .map(|n| (n["path"].as_str().unwrap(), n["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        notes,
        [(
            "target",
            "Dockerfile line 2 (`COPY target/*.jar`) copies from it, and the plan deletes it: the build fails until `mvn package` makes it again"
        )]
    );

    // The fix works: `**/target` would exclude the jar, so the writer writes the
    // `tools/target` that maven-target selected instead; the jar is still sent.
    let said = written(&r);
    assert!(
        said.contains("not adding **/target (a Dockerfile COPYs what it would exclude; written as tools/target instead)"),
        "{said}"
    );
    let a = r.audit();
    assert!(
        findings(&a, "junk-in-context").is_empty(),
        "{:#?}",
        finding_rows(&a)
    );
    let sent = stdout(&r.run(&["context", "--list"]));
    assert!(sent.lines().any(|l| l == "target/app-0.1.jar"), "{sent}");
    assert!(!sent.contains("tools/target"), "{sent}");

    // `apply --yes` shows no plan: its report says what the build needs now.
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "ignore files"]);
    let o = r.run(&["apply", "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("note: target: Dockerfile line 2 (`COPY target/*.jar`) copies from it"),
        "{said}"
    );
    assert!(!r.exists("target"));
}

/// A Dockerfile that copies from a selected directory and nothing swept in besides: the
/// junk left in it can only be kept out by lines written by hand, and the fix says which.
#[test]
fn junk_beside_what_a_dockerfile_copies_is_for_lines_written_by_hand() {
    let r = Repo::new(&[
        ("pom.xml", "<project/>\n"),
        ("src/main/java/x/App.java", "class App {}\n"),
        ("Dockerfile", "FROM scratch\nCOPY target/*.jar /app.jar\n"),
        (".gitignore", "target/\n"),
    ]);
    r.write("target/app-0.1.jar", "jar\n");
    r.write("target/classes/x/App.class", &"c".repeat(2_000_000));
    let a = r.audit();
    let fix = fix_of(&a, "missing-dockerignore", ".dockerignore");
    assert_eq!(
        fix,
        "Dockerfile line 2 copies `target/*.jar` from `target`, so no line `ignore --write` writes may exclude it: to send only that, add `target` and `!target/*.jar` to .dockerignore yourself"
    );
    // Those two lines do what the fix says.
    r.write(".dockerignore", "target\n!target/*.jar\n");
    let sent = stdout(&r.run(&["context", "--list"]));
    assert!(sent.lines().any(|l| l == "target/app-0.1.jar"), "{sent}");
    assert!(!sent.contains("target/classes"), "{sent}");
    assert!(findings(&r.audit(), "junk-in-context").is_empty());
}

/// A Dockerfile that copies two things from one selected directory (netbird's docs: `COPY
/// .next/standalone` and `COPY .next/static`, built before `docker build`): the lines to
/// write by hand re-include both, or the second COPY would fail.
#[test]
fn every_source_a_dockerfile_copies_from_a_selection_is_re_included() {
    let r = Repo::new(&[
        (
            "package.json",
            "{\"scripts\": {\"build\": \"next build\"}}\n",
        ),
        ("next.config.mjs", "export default {output: 'standalone'}\n"),
        (
            "Dockerfile",
            "FROM scratch\nCOPY .next/standalone ./\nCOPY .next/static ./.next/static\n",
        ),
        (".gitignore", ".next/\n"),
    ]);
    r.write(".next/standalone/server.js", "x\n");
    r.write(".next/static/chunks/a.js", "y\n");
    r.write(".next/cache/webpack/0.pack", &"c".repeat(2_000_000));
    let a = r.audit();
    // `.next` is `next build`'s: the fresh clone a CI job builds has it where that runs first.
    // One command makes both: one finding.
    let g = findings(&a, "copy-source-gitignored");
    assert_eq!(g.len(), 1, "{g:?}");
    assert_eq!(
        g[0]["message"],
        "COPY `.next/standalone` (line 2) and COPY `.next/static` (line 3) are git-ignored, made by `npm run build`: a build from a fresh clone (CI) has them only where that runs first"
    );
    assert_eq!(
        g[0]["fix"],
        "run `npm run build` before `docker build` wherever the image is built, CI included, or make them in a stage of the Dockerfile"
    );
    let fix = fix_of(&a, "missing-dockerignore", ".dockerignore");
    assert_eq!(
        fix,
        "Dockerfile lines 2 and 3 copy `.next/standalone` and `.next/static` from `.next`, so no line `ignore --write` writes may exclude it: to send only those, add `.next`, `!.next/standalone` and `!.next/static` to .dockerignore yourself"
    );
    r.write(".dockerignore", ".next\n!.next/standalone\n!.next/static\n");
    let sent = stdout(&r.run(&["context", "--list"]));
    assert!(
        sent.lines().any(|l| l == ".next/static/chunks/a.js"),
        "{sent}"
    );
    assert!(
        sent.lines().any(|l| l == ".next/standalone/server.js"),
        "{sent}"
    );
    assert!(!sent.contains(".next/cache"), "{sent}");
}
