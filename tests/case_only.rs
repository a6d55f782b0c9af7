//! A build input named in other capitals than on disk (AI-RAG-Chatbot-Ollama's compose file
//! builds `./backend` and `./frontend` from its `Backend/` and `Frontend/`): Windows and macOS
//! find it, Linux and CI do not. The findings and the plan's notes say which name is on disk,
//! and the fix is to write that name, not to create the folder.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_context_or_copy_source_in_other_capitals_is_named_as_it_is_on_disk() {
    let r = Repo::new(&[
        (
            "docker-compose.yml",
            "services:\n  backend:\n    build: ./backend\n  web:\n    build: ./web\n",
        ),
        ("Backend/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("Backend/main.py", "print(1)\n"),
        (
            "web/Dockerfile",
            "FROM scratch\nCOPY Requirements.txt /app/\nCOPY dist/ /app/dist/\n",
        ),
        ("web/requirements.txt", "flask\n"),
    ]);
    let a = r.audit();
    let missing = findings(&a, "missing-build-input");
    assert_eq!(missing.len(), 1, "{missing:?}");
    let msg = missing[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("`backend` of docker-compose.yml: service backend does not exist as written, but `Backend` is there"),
        "{msg}"
    );
    assert_eq!(
        missing[0]["fix"],
        "point `context` of docker-compose.yml: service backend at `Backend`, the name on disk, or rename it to `backend` (`git mv Backend backend`)"
    );
    let copy = findings(&a, "copy-source-missing");
    assert_eq!(copy.len(), 1, "{copy:?}");
    let msg = copy[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with(
            "COPY `Requirements.txt` (line 2; `requirements.txt` on disk), COPY `dist/` (line 3)"
        ) && msg.contains("differs from it in capitals only"),
        "{msg}"
    );

    let plan = plan_json(&r.root, &[]);
    let notes: Vec<&str> = (plan["notes"].as_array().unwrap().iter())
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        ["the build context of docker-compose.yml: service backend does not exist (`Backend` is there, in other capitals, which Linux and CI do not match): its build fails"]
    );
}

/// A `DockerFile` that something names where it is built, or that a compose build wanting a
/// `Dockerfile` there already reports, gets no warning of its own (one finding per problem).
#[test]
fn a_dockerfile_in_other_capitals_that_is_named_or_already_reported_gets_no_warning() {
    let df = ("DockerFile", "FROM scratch\nCOPY . /app\n");
    let warned = |r: &Repo| {
        findings(&r.audit(), "missing-build-input")
            .iter()
            .filter(|f| f["severity"] == "warning")
            .count()
    };
    let alone = Repo::new(&[df, ("app.py", "x\n")]);
    assert_eq!(warned(&alone), 1);
    let workflow = "jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t app -f DockerFile .\n";
    let named = Repo::new(&[df, (".github/workflows/build.yml", workflow)]);
    assert_eq!(warned(&named), 0);
    let devcontainer = "{\"name\": \"x\", \"dockerFile\": \"DockerFile\"}\n";
    let dev = Repo::new(&[
        (".devcontainer/DockerFile", df.1),
        (".devcontainer/devcontainer.json", devcontainer),
    ]);
    assert_eq!(warned(&dev), 0);
    let compose = Repo::new(&[df, ("compose.yaml", "services:\n  app:\n    build: .\n")]);
    let a = compose.audit();
    let all = findings(&a, "missing-build-input");
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["severity"], "error");
}
