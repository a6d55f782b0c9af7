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
        "write `Backend` in `context` of docker-compose.yml: service backend, or rename it to `backend` (`git mv Backend backend`)"
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
