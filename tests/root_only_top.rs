//! A `.dockerignore` line with no slash (`models`) matches only at the context's top; the
//! audit says so when copies below it ship (`root-only-pattern`). A line naming an entry at
//! the top means that one, and the project's own namesakes below (`app/models/`, source
//! code) are not what it missed. A fresh clone may not have that entry yet: private-gpt's
//! `models/` is where its setup script downloads models, kept out of git by `/models/`.

mod common;

use common::repo::Repo;

fn root_only(r: &Repo) -> Vec<String> {
    let a = r.audit();
    (common::findings(&a, "root-only-pattern").iter())
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_line_naming_a_directory_git_ignores_at_the_top_means_that_one() {
    let files = [
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", ".git\nmodels\n"),
        ("app/__init__.py", ""),
        ("app/models/__init__.py", "from .user import User\n"),
        ("app/models/user.py", "class User: pass\n"),
    ];
    // Nothing says which `models` the line meant: the nested one ships, and the audit asks.
    let bare = Repo::new(&files);
    let found = root_only(&bare);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("app/models/"), "{}", found[0]);
    // The .gitignore keeps a top-level `models/` out of git: that is the one.
    let mut with: Vec<(&str, &str)> = files.to_vec();
    with.push((".gitignore", "/models/\n"));
    let ignored = Repo::new(&with);
    assert_eq!(root_only(&ignored), Vec::<String>::new());
}

#[test]
fn empty_nested_copies_ship_nothing_to_report() {
    let files = [
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", ".git\n*.db\n"),
        ("prisma/schema.prisma", "model User { id Int @id }\n"),
        ("prisma/dev.db", ""),
    ];
    assert_eq!(root_only(&Repo::new(&files)), Vec::<String>::new());
    let mut full: Vec<(&str, &str)> = files.to_vec();
    full[3] = ("prisma/dev.db", "SQLite format 3\0");
    let found = root_only(&Repo::new(&full));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("prisma/dev.db"), "{}", found[0]);
}

/// Builds that send the same context through the same Dockerfile share what its files are to
/// the bare lines (read once for all of them); one with a Dockerfile and ignore file of its
/// own is judged by its own lines.
#[test]
fn builds_sharing_a_context_share_its_findings_and_no_other_build_does() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", "node_modules\n__pycache__\n"),
        ("docker/c.Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("docker/c.Dockerfile.dockerignore", "__pycache__\n"),
        (
            "compose.yaml",
            "services:\n  a:\n    build: .\n  b:\n    build: .\n  c:\n    build:\n      context: .\n      dockerfile: docker/c.Dockerfile\n",
        ),
        ("app/main.py", "print(1)\n"),
        ("app/__pycache__/main.cpython-312.pyc", "compiled"),
        ("web/package.json", "{\"name\": \"web\"}\n"),
        ("web/node_modules/p/index.js", "module.exports = 1;\n"),
    ]);
    let a = r.audit();
    let mut got: Vec<(String, String)> = (common::findings(&a, "root-only-pattern").iter())
        .map(|f| {
            let m = f["message"].as_str().unwrap();
            let line = m.split('`').nth(1).unwrap_or_default().to_string();
            (f["build"].as_str().unwrap_or_default().to_string(), line)
        })
        .collect();
    got.sort();
    let want = [
        ("compose.yaml: service c", "__pycache__"),
        ("compose.yaml: services a and b", "__pycache__"),
        ("compose.yaml: services a and b", "node_modules"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(b, l)| (b.to_string(), l.to_string()))
        .collect();
    assert_eq!(got, want, "{a}");
    let pyc = common::findings(&a, "root-only-pattern")
        .into_iter()
        .find(|f| f["build"] == "compose.yaml: service c")
        .unwrap();
    assert!(
        pyc["message"]
            .as_str()
            .unwrap()
            .contains("app/__pycache__/main.cpython-312.pyc"),
        "{pyc}"
    );
}
