use super::block::covers;
use super::*;

fn w(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn block_is_added_after_user_lines_and_is_idempotent() {
    let user = "# mine\n*.log\nnode_modules\n";
    let once = render(
        user,
        &w(&["node_modules/", "__pycache__/", "*.log"]),
        Dialect::Git,
    );
    assert_eq!(
        once,
        format!("# mine\n*.log\nnode_modules\n\n{BEGIN}\n__pycache__/\n{END}\n")
    );
    assert_eq!(
        render(
            &once,
            &w(&["node_modules/", "__pycache__/", "*.log"]),
            Dialect::Git
        ),
        once
    );
    // When the user adds the line, the block shrinks away.
    let user2 = once.replace("node_modules\n", "node_modules\n__pycache__/\n");
    assert_eq!(
        render(&user2, &w(&["node_modules/", "__pycache__/"]), Dialect::Git),
        "# mine\n*.log\nnode_modules\n__pycache__/\n"
    );
}

#[test]
fn dialects_decide_equivalence() {
    assert!(covers("node_modules", "node_modules/", Dialect::Git));
    assert!(covers("**/node_modules/", "node_modules/", Dialect::Git));
    assert!(!covers("/node_modules", "node_modules/", Dialect::Git));
    assert!(covers(
        "**/node_modules/",
        "**/node_modules",
        Dialect::Docker
    ));
    assert!(covers("/.git", ".git", Dialect::Docker));
    assert!(
        !covers("node_modules", "**/node_modules", Dialect::Docker),
        "root-only does not cover every depth"
    );
    assert!(!covers(
        "!**/node_modules",
        "**/node_modules",
        Dialect::Docker
    ));
}

#[test]
fn copy_sources_are_never_excluded() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("Dockerfile"),
        "FROM x\nCOPY dist/ /app/\nCOPY docs/api.md /doc/\nCOPY target/*.jar /app.jar\nCOPY . /src\n",
    )
    .unwrap();
    let b = Build::new(
        "b".into(),
        d.path().to_path_buf(),
        d.path().join("Dockerfile"),
    );
    let lines = w(&[
        "**/dist",
        "docs/",
        "**/node_modules",
        "**/target",
        "**/*.jar",
    ]);
    let (kept, dropped) = keep_copy_sources(lines, &[&b]);
    assert_eq!(kept, w(&["**/node_modules"]));
    // A wildcard source too: Spring Boot's `COPY target/*.jar` needs `target/`.
    assert_eq!(dropped, w(&["**/dist", "docs/", "**/target", "**/*.jar"]));
}

/// chatgpt-web's `.dockerignore` ends `.*`, `*/.*`, `!.env`: its front-end build reads the
/// `.env`. A rule's `**/.env` in the block (written last) would undo that line; a line that
/// only a wildcard exception re-includes, or that misses the named file, stays.
#[test]
fn lines_that_undo_a_named_exception_are_not_added() {
    let existing = "node_modules\n.*\n*/.*\n!.env\n!**/*.json\n";
    let (kept, dropped) =
        keep_reincluded(w(&["**/.env", ".env.local", "**/*.json", ".git"]), existing);
    assert_eq!(kept, w(&[".env.local", "**/*.json", ".git"]));
    assert_eq!(dropped.len(), 1);
    assert!(
        dropped[0].starts_with("**/.env (line 4 re-includes `.env`"),
        "{dropped:?}"
    );
    // A directory named by an exception keeps what is below it too.
    let (kept, _) = keep_reincluded(w(&["**/node_modules", "**/cache"]), "*\n!vendor/cache\n");
    assert_eq!(kept, w(&["**/node_modules"]));
    // internetarchive/openlibrary excludes `.git/objects/*` only: its app runs `git rev-parse
    // HEAD`, so the `.git` every other file is given would break it.
    let existing = ".git/objects/*\nnode_modules\n";
    let (kept, dropped) = keep_reincluded(w(&[".git", "**/.venv"]), existing);
    assert_eq!(kept, w(&["**/.venv"]));
    assert_eq!(
        dropped,
        w(&[".git (line 1 excludes only part of `.git`, `.git/objects/*`: the build is meant to get the rest)"])
    );
    let (kept, _) = keep_reincluded(w(&[".git"]), "node_modules\n.github/\n");
    assert_eq!(kept, w(&[".git"]));
}

/// A literal entry the user's lines already exclude as a whole (`.*` takes `.git` and
/// `.vscode`) is not repeated in a `.dockerignore`'s block; a wildcard entry, or one a later
/// exception lets back through, is still written.
#[test]
fn dockerignore_entries_the_user_lines_exclude_are_not_repeated() {
    let out = render(
        ".*\n!.vscode\n",
        &w(&[".git", ".vscode", "**/.env.local", "node_modules"]),
        Dialect::Docker,
    );
    assert_eq!(
        out,
        format!(".*\n!.vscode\n\n{BEGIN}\n.vscode\n**/.env.local\nnode_modules\n{END}\n")
    );
    // Git's own view decides for a .gitignore; nothing changes there.
    let out = render(".*\n", &w(&[".vscode/"]), Dialect::Git);
    assert!(out.contains(".vscode/"), "{out}");
}
