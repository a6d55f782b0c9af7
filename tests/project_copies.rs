//! A copy of the whole project inside itself: a clone or an unpacked download made in the wrong
//! folder (8050-65/real-estate-ai-chatbot commits `real-estate-ai-chatbot/`, 400 files of an
//! older tree, inside its own checkout). Found by its name (the folder holding it, less a
//! download or copy mark) and by holding most of the same names; never a package that only
//! shares the project's name.

mod common;

use common::repo::Repo;
use common::*;

fn action<'a>(plan: &'a serde_json::Value, path: &str) -> Option<(&'a str, &'a str)> {
    entry_at(plan, path).map(|e| (e["action"].as_str().unwrap(), e["rule"].as_str().unwrap()))
}

const PROJECT: &[&str] = &[
    "README.md",
    "docker-compose.yml",
    "Makefile",
    "pyproject.toml",
    "backend/app.py",
    "frontend/index.ts",
];

fn project_with(extra: &[(&str, &str)]) -> Repo {
    let mut files: Vec<(String, String)> = PROJECT
        .iter()
        .map(|p| (p.to_string(), format!("{p}\n")))
        .collect();
    // An unpacked download of an older tree (the repository's folder is `repo`), and a copy
    // of `backend` made inside `backend`.
    for p in PROJECT {
        files.push((format!("repo-main/{p}"), "old\n".into()));
    }
    for p in [
        "app.py",
        "Dockerfile",
        "requirements.txt",
        "tests/test_app.py",
        "README.md",
    ] {
        files.push((format!("backend/{p}"), format!("{p}\n")));
        files.push((format!("backend/backend/{p}"), "old\n".into()));
    }
    // The project's own package, named like the project: none of its names are the root's.
    files.push(("repo/__init__.py".into(), String::new()));
    files.push(("repo/cli.py".into(), "def main(): pass\n".into()));
    files.push(("frontend/frontend/index.ts".into(), "export {}\n".into()));
    for (p, c) in extra {
        files.push((p.to_string(), c.to_string()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    Repo::new(&refs)
}

#[test]
fn a_copy_of_the_project_inside_itself_goes_and_a_package_named_like_it_stays() {
    let r = project_with(&[]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        action(&plan, "repo-main"),
        Some(("delete", "project-copies")),
        "{plan:#}"
    );
    assert_eq!(
        action(&plan, "backend/backend"),
        Some(("delete", "project-copies"))
    );
    for own in ["repo", "frontend/frontend", "backend", "frontend"] {
        assert_eq!(action(&plan, own), None, "{own} is the project's own");
    }
    let o = r.run(&["explain", "repo"]);
    assert!(stdout(&o).contains("it holds 0 of the"), "{}", stdout(&o));
}

#[test]
fn a_copy_the_project_still_uses_is_reviewed_with_the_line_that_uses_it() {
    let r = project_with(&[(
        "docs/setup.md",
        "Run it:\n\n```sh\ncd repo-main && make up\n```\n",
    )]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(
        action(&plan, "repo-main"),
        Some(("review", "project-copies"))
    );
}

/// A copy of the project carries the project's licence: split around a file a keep rule
/// protects (its `.env.example`), its parts still go; they are not a vendored project's
/// (real-estate-ai-chatbot's copy has its own `LICENSE`).
#[test]
fn a_split_copy_with_the_projects_licence_is_no_vendored_project() {
    let r = project_with(&[
        ("LICENSE", "MIT\n"),
        ("repo-main/LICENSE", "MIT\n"),
        ("repo-main/.env.example", "KEY=\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for e in parts_of_the_copy(&plan) {
        assert_eq!(e["action"], "delete", "{e:#}");
        assert_eq!(e["rule"], "project-copies", "{e:#}");
    }
}

/// A copy split around a file a keep rule protects is one selection: a commit that changed
/// one of its files after it was made (real-estate-ai-chatbot fixed files in its copy of
/// itself) puts every part up for review, not only the part that holds that file.
#[test]
fn an_edit_anywhere_in_a_split_copy_reviews_every_part() {
    let r = project_with(&[("repo-main/.env.example", "KEY=\n")]);
    r.write("repo-main/backend/app.py", "fixed\n");
    r.git(&["commit", "-q", "-am", "fix the copy"]);
    let plan = plan_json(&r.root, &[]);
    for e in parts_of_the_copy(&plan) {
        assert_eq!(e["action"], "review", "{e:#}");
        assert_eq!(e["referenced_by"]["kind"], "edited", "{e:#}");
    }
}

/// The entries of `repo-main/`'s parts, split around its `.env.example` (several).
fn parts_of_the_copy(plan: &serde_json::Value) -> Vec<&serde_json::Value> {
    let parts: Vec<&serde_json::Value> = (plan["entries"].as_array().unwrap().iter())
        .filter(|e| e["path"].as_str().unwrap().starts_with("repo-main/"))
        .collect();
    assert!(parts.len() > 3, "{plan:#}");
    parts
}

/// A copy named exactly like the repository's folder: the project's own name in its files
/// (`REPO_NAME=repo`, package.json's `"name"`, the GitHub URL in real-estate-ai-chatbot's
/// deploy script) names the project, not the copy; a path into the copy does name it.
#[test]
fn the_projects_own_name_is_no_use_of_a_copy_named_like_it() {
    let mut files: Vec<(String, String)> = Vec::new();
    for p in PROJECT {
        files.push((p.to_string(), format!("{p}\n")));
        files.push((format!("repo/{p}"), "old\n".into()));
    }
    let named = [
        ("deploy.sh", "#!/bin/sh\n# GitHub: https://github.com/me/repo\nREPO_NAME=repo\ngit clone git@github.com:me/repo.git\n"),
        ("package.json", "{\n  \"name\": \"repo\",\n  \"version\": \"1.0.0\"\n}\n"),
    ];
    let with = |extra: &[(&str, &str)]| {
        let mut all: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        all.extend_from_slice(&named);
        all.extend_from_slice(extra);
        Repo::new(&all)
    };
    let plan = plan_json(&with(&[]).root, &[]);
    assert_eq!(
        action(&plan, "repo"),
        Some(("delete", "project-copies")),
        "{plan:#}"
    );
    let used = with(&[(
        "docs/run.md",
        "```sh\ncd repo/backend && python app.py\n```\n",
    )]);
    let plan = plan_json(&used.root, &[]);
    assert_eq!(
        action(&plan, "repo"),
        Some(("review", "project-copies")),
        "{plan:#}"
    );
    let e = entry_at(&plan, "repo").unwrap();
    assert_eq!(e["referenced_by"]["file"], "docs/run.md", "{e:#}");
}
