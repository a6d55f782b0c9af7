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

/// loa-constructs keeps `apps/api/.dockerignore` beside `apps/api/Dockerfile`, whose build
/// sends the root (`COPY apps/api ./apps/api`): Docker does not read it there. Where that
/// context sends junk, the missing `.dockerignore` finding says why and starts its fix with the
/// rename; where it sends none, the file's own finding does. One finding either way.
#[test]
fn an_ignore_file_beside_a_dockerfile_whose_context_is_elsewhere_is_one_finding() {
    let r = common::repo::Repo::new(&[
        (
            "apps/api/Dockerfile",
            "FROM scratch\nCOPY package.json ./\nCOPY apps/api ./apps/api\n",
        ),
        ("apps/api/.dockerignore", "node_modules\ndist\n"),
        ("apps/api/index.js", "1\n"),
        ("package.json", "{}\n"),
        (
            "fly.toml",
            "app = 'api'\n[build]\n  dockerfile = 'apps/api/Dockerfile'\n",
        ),
    ]);
    let a = r.audit();
    let u = common::findings(&a, "unused-ignore-file");
    assert_eq!(u.len(), 1, "{a:#}");
    let msg = u[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("beside the Dockerfile of apps/api/Dockerfile, whose context is `.`"),
        "{msg}"
    );
    let fix = u[0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("rename it to where this build reads it: `git mv apps/api/.dockerignore apps/api/Dockerfile.dockerignore`"),
        "{fix}"
    );
    // With junk sent, the context's missing one is the finding, told the cause.
    r.write("apps/api/tsconfig.tsbuildinfo", "{\"program\":{}}\n");
    let a = r.audit();
    assert!(
        common::findings(&a, "unused-ignore-file").is_empty(),
        "{a:#}"
    );
    let m = common::findings(&a, "missing-dockerignore");
    assert_eq!(m.len(), 1, "{a:#}");
    assert!(m[0]["message"]
        .as_str()
        .unwrap()
        .contains("the `apps/api/.dockerignore` beside its Dockerfile is not read"));
    let fix = m[0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("rename it to where this build reads it") && !fix.contains("creates"),
        "{fix}"
    );
}
