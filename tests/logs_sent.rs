//! A log is kept on disk (the app may be writing it) but is not shipped: `backend/server.log`,
//! committed in 3,962 public repositories, goes into the image with `COPY . .`. The audit says
//! so, once per context; `ignore --write` excludes `**/*.log` from the context, and leaves
//! `.gitignore` alone where the line would ignore a tracked log. That the log is committed is
//! another problem with another fix (`tracked-log`), said once too.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_log_in_a_build_context_is_said_once_and_ignore_write_takes_it_out() {
    let log = "INFO request ok\n".repeat(2000);
    let r = Repo::new(&[
        ("backend/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("backend/main.py", "print('hi')\n"),
        ("backend/server.log", &log),
        ("backend/empty.log", ""),
    ]);
    let f = finding_rows(&r.audit());
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(
        (f[1].0.as_str(), f[1].1.as_str()),
        ("tracked-log", "backend/server.log")
    );
    let (code, path, message) = &f[0];
    assert_eq!(code, "missing-dockerignore");
    assert_eq!(path, "backend/.dockerignore");
    assert!(
        message.contains("sends the log file `backend/server.log` (32 kB)"),
        "{message}"
    );

    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = r.read("backend/.dockerignore").unwrap();
    assert!(written.lines().any(|l| l == "**/*.log"), "{written}");
    // `*.log` would ignore the tracked log: git keeps tracking it, so the line is not added.
    assert!(
        !r.read(".gitignore")
            .unwrap_or_default()
            .lines()
            .any(|l| l == "*.log"),
        "{}",
        stdout(&o)
    );
    assert!(r.exists("backend/server.log"));
    let left: Vec<String> = finding_rows(&r.audit()).into_iter().map(|f| f.0).collect();
    assert_eq!(left, ["tracked-log"]);
}

#[test]
fn logs_a_dockerignore_lets_through_are_one_finding_for_the_context() {
    let log = "x\n".repeat(10);
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", ".git\n"),
        ("app.py", "print('hi')\n"),
        ("api.log", &log),
        ("worker/run.log", &log),
    ]);
    let f = finding_rows(&r.audit());
    let logs: Vec<_> = f.iter().filter(|x| x.0 == "log-in-context").collect();
    assert_eq!(logs.len(), 1, "{f:#?}");
    assert!(
        logs[0]
            .2
            .contains("2 log files (40 B: `api.log`, `worker/run.log`) are sent"),
        "{}",
        logs[0].2
    );
    let gate = r.run(&["gate", "--format", "json"]);
    assert!(stdout(&gate).contains("context-junk"), "{}", stdout(&gate));
}
