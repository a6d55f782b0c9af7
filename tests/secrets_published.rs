//! An environment file the repository publishes as it is (committed, unchanged, its every
//! credential a well-known default: ollama_celery_fastapi's `.env` of
//! `amqp://guest:guest@rabbitmq3:5672/`, a template's `SECRET_KEY=changethis`) leaks nothing
//! into an image that every clone does not hold already: sent to a build, it is a warning that
//! says why. Edited in the work tree, or never committed, it may hold real values, and so may a
//! committed password someone typed (`hunter2`): an error.

mod common;

use common::repo::Repo;
use common::*;

fn sent(r: &Repo) -> Vec<(String, String, String)> {
    let a = r.audit();
    let mut f: Vec<(String, String, String)> = (findings(&a, "secret-in-context").iter())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("path"), s("severity"), s("message"))
        })
        .collect();
    f.sort();
    f
}

#[test]
fn a_committed_env_of_well_known_defaults_sent_to_a_build_is_a_warning() {
    let defaults = "CELERY_BROKER_URL=amqp://guest:guest@rabbitmq3:5672/\nSECRET_KEY=changethis\n";
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("app.py", "print(1)\n"),
        (".env", defaults),
    ]);
    let f = sent(&r);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0.as_str(), f[0].1.as_str()), (".env", "warning"));
    assert!(
        f[0].2.contains(
            "it is committed as it is, and every credential in it is a well-known default"
        ),
        "{f:?}"
    );
    // The committed check says nothing of it either: published defaults are no leak.
    assert!(findings(&r.audit(), "secret-committed").is_empty());
    // Edited in the work tree, it may hold a real password, typed or not.
    r.write(".env", &format!("{defaults}DB_PASSWORD=Bella2019\n"));
    r.write(".env.local", "DB_PASSWORD=Bella2019\n");
    let f = sent(&r);
    let got: Vec<(&str, &str)> = (f.iter())
        .map(|(p, s, _)| (p.as_str(), s.as_str()))
        .collect();
    assert_eq!(got, [(".env", "error"), (".env.local", "error")], "{f:?}");
    assert!(!f[0].2.contains("committed as it is"), "{f:?}");
    // Committed as it is, a password someone typed may be real.
    r.write(".env", "DATABASE_URL=postgres://app:hunter2@db/app\n");
    r.git(&["commit", "-qam", "typed"]);
    let f = sent(&r);
    assert_eq!(
        (f[0].0.as_str(), f[0].1.as_str()),
        (".env", "error"),
        "{f:?}"
    );
}
