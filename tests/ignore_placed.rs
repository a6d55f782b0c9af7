//! Ignore files that no build reads where they lie, but that the project's own commands put
//! where a build reads them.

mod common;

fn unused(v: &serde_json::Value) -> Vec<&str> {
    let found = common::findings(v, "unused-ignore-file");
    found.iter().map(|f| f["path"].as_str().unwrap()).collect()
}

/// text-generation-webui keeps `docker/.dockerignore` beside its compose files and its README
/// says `ln -s docker/{nvidia/Dockerfile,nvidia/docker-compose.yml,.dockerignore} .`; a
/// Makefile's `cp deploy/.dockerignore .` before `docker build` does the same. Where they lie
/// no build reads them, but the build the project documents does: neither is called unused
/// (nor is deleting it advised). One that no command places still is.
#[test]
fn an_ignore_file_the_projects_commands_put_in_place_is_not_unused() {
    let compose = "services:\n  app:\n    build:\n      context: .\n";
    let files = [
        ("app.py", "print('hi')\n"),
        ("docker/nvidia/Dockerfile", "FROM scratch\n"),
        ("docker/nvidia/docker-compose.yml", compose),
        ("docker/.dockerignore", ".git\n.env\n"),
        ("deploy/.dockerignore", "*.log\n"),
        ("stale/.dockerignore", "*.tmp\n"),
    ];
    let docs = [
        (
            "README.md",
            "## Docker\n\n```\nln -s docker/{nvidia/Dockerfile,nvidia/docker-compose.yml,.dockerignore} .\ndocker compose up --build\n```\n",
        ),
        (
            "Makefile",
            "image:\n\tcp deploy/.dockerignore . && docker build -f docker/nvidia/Dockerfile .\n",
        ),
    ];
    let without = common::repo::Repo::new(&files);
    assert_eq!(
        unused(&without.audit()),
        [
            "deploy/.dockerignore",
            "docker/.dockerignore",
            "stale/.dockerignore"
        ]
    );
    let all: Vec<(&str, &str)> = files.iter().chain(docs.iter()).copied().collect();
    let with = common::repo::Repo::new(&all);
    assert_eq!(unused(&with.audit()), ["stale/.dockerignore"]);
}
