//! Dockerfiles that COPY the same file from one context, which one `.dockerignore` line
//! excludes, fail for one reason with one fix: the audit says it once, naming every COPY
//! (ElementMedica: four `backend/Dockerfile.*` and three excluded config files made twelve
//! findings).

mod common;

use common::repo::Repo;

fn excluded(r: &Repo) -> Vec<(String, String)> {
    let a = r.audit();
    (common::findings(&a, "copy-source-excluded").iter())
        .map(|f| {
            let at = format!("{}:{}", f["path"].as_str().unwrap(), f["line"]);
            (at, f["message"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn the_same_excluded_copy_in_several_dockerfiles_is_one_finding() {
    let copy = "FROM scratch\nCOPY package.json ./\nCOPY jest.config.js ./\nCOPY . .\n";
    let r = Repo::new(&[
        ("backend/Dockerfile.api", copy),
        ("backend/Dockerfile.main", &format!("# main\n{copy}")),
        ("backend/.dockerignore", "node_modules\njest.config.*\n"),
        ("backend/package.json", "{}\n"),
        ("backend/jest.config.js", "module.exports = {};\n"),
        ("backend/index.js", "console.log(1);\n"),
    ]);
    let found = excluded(&r);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (at, message) = &found[0];
    assert_eq!(at, "backend/Dockerfile.api:3");
    assert!(
        message.contains("by line 2 (`jest.config.*`) of backend/.dockerignore")
            && message.contains("so is the same COPY in backend/Dockerfile.main:4"),
        "{message}"
    );
}

#[test]
fn different_sources_or_lines_stay_apart() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY a.conf ./\n"),
        ("Dockerfile.dev", "FROM scratch\nCOPY b.conf ./\n"),
        (".dockerignore", "*.conf\n"),
        ("a.conf", "a\n"),
        ("b.conf", "b\n"),
    ]);
    let found = excluded(&r);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found.iter().all(|(_, m)| !m.contains("so is")),
        "{found:#?}"
    );
}
