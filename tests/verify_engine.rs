//! `verify` end to end on a real Docker Engine started by the test: a compose project whose
//! image is `FROM scratch` with Debian's static busybox serving `/health` (host networking:
//! the engine runs with `--bridge=none`) and a healthcheck. It passes; and a build error, a
//! service that exits, a wrong health path and a health URL nobody answers each fail with
//! exit 1, within a bounded wait. Compose is Debian's `docker-compose` 1.29 (no `up --wait`:
//! verify polls the containers); `verify` uses the `docker compose` plugin where it exists.

mod common;

use std::path::{Path, PathBuf};

use common::engine::Engine;
use common::*;

const BUSYBOX: &str = "/bin/busybox";

fn project(dir: &Path, port: u16, cmd: &str, dockerfile_extra: &str) {
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::write(dir.join("www/health"), "ok\n").unwrap();
    std::fs::copy(BUSYBOX, dir.join("busybox")).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        format!(
            "FROM scratch\nCOPY busybox /bin/busybox\nCOPY www /www\n{dockerfile_extra}CMD {cmd}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        format!(
            "services:\n  web:\n    build: .\n    network_mode: host\n    healthcheck:\n      test: [\"CMD\", \"/bin/busybox\", \"wget\", \"-q\", \"-O\", \"-\", \"http://127.0.0.1:{port}/health\"]\n      interval: 1s\n      timeout: 2s\n      retries: 30\n"
        ),
    )
    .unwrap();
}

fn httpd(port: u16) -> String {
    format!("[\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"127.0.0.1:{port}\", \"-h\", \"/www\"]")
}

/// `verify --format json` with `[verify]` from a config named on the command line (trusted).
fn verify(e: &Engine, dir: &Path, url: &str, timeout: u64) -> (Option<i32>, serde_json::Value) {
    let cfg = dir.with_extension("toml");
    std::fs::write(
        &cfg,
        format!("[verify]\nhealth_url = \"{url}\"\ntimeout_secs = {timeout}\n"),
    )
    .unwrap();
    let o = bin()
        .arg("-C")
        .arg(dir)
        .arg("--config")
        .arg(&cfg)
        .args(["verify", "--format", "json"])
        .env("DOCKER_HOST", &e.host)
        .env(
            "PATH",
            format!("/usr/bin:{}", std::env::var("PATH").unwrap_or_default()),
        )
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|err| panic!("{err}: {}", stderr(&o)));
    (o.status.code(), v)
}

fn step<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
}

#[test]
fn verify_builds_runs_checks_health_and_takes_it_down() {
    let busybox = Path::new(BUSYBOX).exists().then(|| PathBuf::from(BUSYBOX));
    if required(busybox, BUSYBOX, "apt-get install busybox-static").is_none() {
        return;
    }
    let Some(e) = Engine::start_or_skip("verify on an engine") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();

    // The project that works.
    let ok = t.path().join("ok");
    project(&ok, 18181, &httpd(18181), "");
    let (code, v) = verify(&e, &ok, "http://127.0.0.1:18181/health", 120);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["outcome"], "pass", "{v:#}");
    for s in [
        "docker-compose build",
        "docker-compose up",
        "services healthy",
        "health",
        "all services running",
        "cleanup",
    ] {
        assert_eq!(
            step(&v, s).map(|s| &s["pass"]),
            Some(&serde_json::json!(true)),
            "{s}: {v:#}"
        );
    }
    let ps = e.docker(&["ps", "-aq"]);
    assert!(
        stdout(&ps).trim().is_empty(),
        "down left containers: {}",
        stdout(&ps)
    );

    // A build error: the build step fails, nothing after it runs but the cleanup.
    let broken = t.path().join("broken");
    project(&broken, 18182, &httpd(18182), "COPY missing.txt /x\n");
    let (code, v) = verify(&e, &broken, "http://127.0.0.1:18182/health", 60);
    assert_eq!(
        (code, &v["outcome"]),
        (Some(1), &serde_json::json!("fail")),
        "{v:#}"
    );
    assert_eq!(
        step(&v, "docker-compose build").unwrap()["pass"],
        false,
        "{v:#}"
    );
    assert!(step(&v, "health").is_none(), "{v:#}");

    // A service that exits.
    let exits = t.path().join("exits");
    project(&exits, 18183, "[\"/bin/busybox\", \"true\"]", "");
    let (code, v) = verify(&e, &exits, "http://127.0.0.1:18183/health", 60);
    assert_eq!(code, Some(1), "{v:#}");
    let s = step(&v, "services healthy").unwrap();
    assert!(
        s["pass"] == false && s["detail"].as_str().unwrap().contains("exited"),
        "{v:#}"
    );

    // A wrong health path: the server answers 404 until the wait ends.
    let (code, v) = verify(&e, &ok, "http://127.0.0.1:18181/nope", 5);
    assert_eq!(code, Some(1), "{v:#}");
    let s = step(&v, "health").unwrap();
    assert!(s["detail"].as_str().unwrap().contains("404"), "{v:#}");

    // A health URL nobody answers: a bounded wait, then FAIL.
    let started = std::time::Instant::now();
    let (code, v) = verify(&e, &ok, "http://127.0.0.1:1/health", 5);
    assert_eq!(code, Some(1), "{v:#}");
    assert!(step(&v, "health").unwrap()["pass"] == false, "{v:#}");
    assert!(started.elapsed().as_secs() < 120, "{:?}", started.elapsed());
    let ps = e.docker(&["ps", "-aq"]);
    assert!(
        stdout(&ps).trim().is_empty(),
        "down left containers: {}",
        stdout(&ps)
    );
}
