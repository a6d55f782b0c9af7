//! A compose file whose Dockerfile paths are written with Windows' `\` (Visual Studio's
//! scaffolding: `dockerfile: Services\Cart\Cart.API\Dockerfile`, dotNET-Microservices' seven
//! services). On Linux a `\` is part of the name: each build fails, and the audit says so once,
//! for the file, with the paths written with `/`. A Docker Engine is the witness: Compose
//! builds what it sends from that name, and the engine finds no such Dockerfile.

mod common;

use common::engine::Engine;
use common::repo::Repo;
use common::*;

const COMPOSE: &str = "services:\n  cart:\n    build:\n      context: .\n      dockerfile: Services\\Cart\\Dockerfile\n  web:\n    build:\n      context: .\n      dockerfile: Web\\Dockerfile\n  gone:\n    build:\n      context: .\n      dockerfile: Gone\\Dockerfile\n";

fn repo() -> Repo {
    Repo::new(&[
        ("src/docker-compose.yml", COMPOSE),
        (
            "src/Services/Cart/Dockerfile",
            "FROM scratch\nCOPY Services/Cart/app.txt /\n",
        ),
        ("src/Services/Cart/app.txt", "cart\n"),
        (
            "src/Web/Dockerfile",
            "FROM scratch\nCOPY Web/index.html /\n",
        ),
        ("src/Web/index.html", "<p>hi</p>\n"),
    ])
}

#[test]
fn backslashed_dockerfile_paths_are_one_finding_for_the_file() {
    let r = repo();
    let a = r.audit();
    let f = findings(&a, "missing-build-input");
    let paths: Vec<&str> = f.iter().map(|x| x["path"].as_str().unwrap()).collect();
    // The one missing under `/` too is its own problem, said apart.
    assert_eq!(
        paths,
        ["src/Gone\\Dockerfile", "src/docker-compose.yml"],
        "{a:#}"
    );
    let file = f[1];
    assert_eq!(file["severity"], "error");
    assert_eq!(
        file["message"],
        "`src/docker-compose.yml` writes the build paths of 2 services with Windows' `\\` separators (`Services\\Cart\\Dockerfile` (service cart) and `Web\\Dockerfile` (service web)): Compose on Windows reads them, but on Linux and macOS (CI runners, servers) a `\\` is part of the name, no such paths exist, and those builds fail"
    );
    assert_eq!(
        file["fix"],
        "write them with `/`, which Compose reads on every system: `dockerfile: Services/Cart/Dockerfile` and `dockerfile: Web/Dockerfile`"
    );
    // The plan's notes say it as the audit does, once.
    let plan = plan_json(&r.root, &[]);
    let notes = notes(&plan, "missing-build-input");
    assert!(
        notes.contains(&("src/docker-compose.yml", file["message"].as_str().unwrap())),
        "{notes:?}"
    );
    assert_eq!(notes.len(), 2, "{notes:?}");
}

/// What the finding claims, asked of Docker: the build fails as written and works with `/`.
#[test]
fn docker_finds_no_dockerfile_written_with_backslashes_and_builds_it_with_slashes() {
    let Some(engine) = Engine::start_or_skip("backslashed Dockerfile paths") else {
        return;
    };
    let r = repo();
    let src = r.root.join("src");
    let build =
        |df: &str| engine.docker_in(Some(&src), &["build", "-q", "-f", df, "-t", "bs-test", "."]);
    let o = build("Services\\Cart\\Dockerfile");
    assert!(!o.status.success(), "{}", stdout(&o));
    let e = stderr(&o).to_lowercase();
    assert!(e.contains("no such file") || e.contains("not found"), "{e}");
    let o = build("Services/Cart/Dockerfile");
    assert!(o.status.success(), "{}", stderr(&o));
    // And Compose, where Debian's docker-compose is installed.
    if let Some(compose) = docker_compose() {
        let o = std::process::Command::new(compose)
            .current_dir(&src)
            .args(["build", "cart"])
            .env("DOCKER_HOST", &engine.host)
            .output()
            .unwrap();
        assert!(!o.status.success(), "{}", stdout(&o));
        let e = format!("{}{}", stderr(&o), stdout(&o)).to_lowercase();
        assert!(e.contains("dockerfile"), "{e}");
    }
}
