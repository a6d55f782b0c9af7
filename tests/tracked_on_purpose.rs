//! Tracked files an ignore line ignores are a finding (`tracked-ignored`) unless history shows
//! they are tracked on purpose: a commit after the line was written added a file there, which
//! takes `git add -f`. text-generation-webui ignores `/css` so that what users add there stays
//! out of `git status`, and force-adds its own stylesheets; the audit told it to untrack them.

mod common;

use common::repo::Repo;

/// (line, message) of each `tracked-ignored` finding.
fn tracked_ignored(r: &Repo) -> Vec<(u64, String)> {
    let a = r.audit();
    (common::findings(&a, "tracked-ignored").iter())
        .map(|f| {
            let m = f["message"].as_str().unwrap().to_string();
            (f["line"].as_u64().unwrap(), m)
        })
        .collect()
}

fn commit_forced(r: &Repo, path: &str, msg: &str) {
    r.write(path, "x\n");
    r.git(&["add", "-f", path]);
    r.git(&["commit", "-q", "-m", msg]);
}

/// Before any force-add every line is a finding; after, a line naming one path goes whole
/// (`/css`: its older files too), a pattern's force-added file goes alone (`*.ipynb`), and a
/// directory a pattern ignores stays (`lib/`: the next file there is ignored too), as does a
/// file committed before its line (`debug.log`: junk the line came too late for).
#[test]
fn what_was_force_added_after_its_line_is_tracked_on_purpose() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("css/main.css", "body {}\n"),
        ("css/fonts/a.ttf", "font\n"),
        ("frontend/lib/utils.ts", "export {}\n"),
        ("frontend/app.ts", "import './lib/utils'\n"),
        ("debug.log", "trace\n"),
        ("Colab.ipynb", "{}\n"),
    ]);
    r.write(".gitignore", "/css\n*.ipynb\nlib/\n*.log\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore"]);
    let lines = |v: Vec<(u64, String)>| v.into_iter().map(|(l, _)| l).collect::<Vec<_>>();
    assert_eq!(lines(tracked_ignored(&r)), [1, 2, 3, 4]);

    commit_forced(&r, "css/dark.css", "add a theme");
    commit_forced(&r, "Demo.ipynb", "add a demo notebook");
    commit_forced(&r, "frontend/lib/api.ts", "add the missing api client");
    commit_forced(&r, "fixtures/sample.log", "a fixture");
    let left = tracked_ignored(&r);
    assert_eq!(lines(left.clone()), [2, 3, 4], "{left:#?}");
    assert!(left[0].1.contains("`Colab.ipynb`"), "{}", left[0].1);
    assert!(!left[0].1.contains("Demo.ipynb"), "{}", left[0].1);
    assert!(
        left[1].1.contains("`frontend/lib/` (2 files)"),
        "{}",
        left[1].1
    );
    assert!(left[2].1.contains("`debug.log`"), "{}", left[2].1);
    assert!(!left[2].1.contains("sample.log"), "{}", left[2].1);
}

/// A branch that began before the line and merged after it added its file unignored: no sign
/// of `git add -f`, so the file is still a finding.
#[test]
fn a_file_a_branch_added_before_the_line_existed_is_no_sign() {
    let r = Repo::new(&[("app.py", "print(1)\n")]);
    r.git(&["branch", "-M", "main"]);
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("out/data.csv", "1,2\n");
    r.git(&["add", "out/data.csv"]);
    r.git(&["commit", "-q", "-m", "data"]);
    r.git(&["checkout", "-q", "main"]);
    r.write(".gitignore", "/out\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore out"]);
    r.git(&["merge", "-q", "--no-edit", "side"]);
    let left = tracked_ignored(&r);
    assert_eq!(left.len(), 1, "{left:#?}");
    assert!(
        left[0].1.starts_with("`/out` ignores 1 tracked file"),
        "{}",
        left[0].1
    );
}

/// A directory's one file, added by the commit that wrote the line ignoring the directory, is
/// a placeholder the directory needs in git (remark42's `/backend/app/cmd/web/` and its
/// `index.html`: `go:embed web` does not compile without a file there). Two files added so
/// (a squash commit of built output), or one committed before the line, are still a finding.
#[test]
fn a_directorys_one_file_added_with_its_line_is_a_placeholder() {
    // cache/ holds one file, committed before its line.
    let r = Repo::new(&[("main.go", "package main\n"), ("cache/x.bin", "x")]);
    r.write("app/web/index.html", "<html></html>\n");
    r.write("docs/_build/a.html", "a\n");
    r.write("docs/_build/b.html", "b\n");
    r.write(".gitignore", "/app/web/\ndocs/_build/\n/cache/\n");
    r.git(&[
        "add",
        "-f",
        "app/web/index.html",
        "docs/_build",
        ".gitignore",
    ]);
    r.git(&[
        "commit",
        "-q",
        "-m",
        "embed the web build; ignore what builds make",
    ]);
    let lines: Vec<u64> = tracked_ignored(&r).into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, [2, 3]);
}

/// A file a Go program embeds is tracked on purpose, whenever it was committed: memos keeps
/// `server/router/frontend/dist/index.html` under its `dist/` line for `frontend.go`'s
/// `//go:embed dist/*`, which does not compile without it. Another ignored folder there, which
/// no directive names, is still a finding.
#[test]
fn a_file_a_go_program_embeds_is_tracked_on_purpose() {
    let r = Repo::new(&[
        ("go.mod", "module example.com/memos\n"),
        (
            "server/frontend/frontend.go",
            "package frontend\n\nimport \"embed\"\n\n//go:embed dist/*\nvar assets embed.FS\n",
        ),
        ("server/frontend/dist/index.html", "<html></html>\n"),
        ("server/frontend/build/out.txt", "x\n"),
    ]);
    r.write(".gitignore", "dist/\nbuild/\n");
    r.git(&["add", ".gitignore"]);
    r.git(&["commit", "-q", "-m", "ignore builds"]);
    let lines: Vec<u64> = tracked_ignored(&r).into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, [2]);
}
