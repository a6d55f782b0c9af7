//! `mami-clean verify` with a stand-in `docker` on PATH (no engine runs here) and a health
//! endpoint on loopback served by the test itself.

mod common;

use common::*;
use std::io::{Read, Write};
use std::path::Path;

const STAND_IN: &str = r#"#!/bin/sh
echo "$*" >> "$DOCKER_LOG"
case "$1 $2" in
  info*) if [ "$MODE" = noengine ]; then echo "Cannot connect to the Docker daemon" >&2; exit 1; fi; echo 28.2.2 ;;
  "compose build") if [ "$MODE" = buildfail ]; then echo "failed to solve: exit code 1" >&2; exit 1; fi; echo built ;;
  "compose up") echo started ;;
  "compose ps")
    echo '{"Service":"mami-ai","State":"running"}'
    if [ "$MODE" = exited ]; then echo '{"Service":"redis","State":"exited"}'; else echo '{"Service":"redis","State":"running"}'; fi ;;
  "compose down") echo removed ;;
esac
"#;

/// Serve `status` to every request on a loopback port, for as long as the test runs.
fn health_server(status: &'static str) -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().take(50) {
            let Ok(mut s) = s else { continue };
            // Read the whole request head before answering.
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let _ = write!(s, "HTTP/1.0 {status}\r\nContent-Length: 2\r\n\r\nok");
        }
    });
    port
}

fn setup(health: &'static str) -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let bin_dir = d.path().join("bin");
    std::fs::create_dir(&bin_dir).unwrap();
    let docker = bin_dir.join("docker");
    std::fs::write(&docker, STAND_IN).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let root = d.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("docker-compose.yml"), mami::COMPOSE).unwrap();
    std::fs::write(root.join("Dockerfile"), mami::DOCKERFILE).unwrap();
    let port = health_server(health);
    std::fs::write(
        root.join("mami-clean.toml"),
        format!("[verify]\nhealth_url = \"http://127.0.0.1:{port}/health\"\ntimeout_secs = 3\n"),
    )
    .unwrap();
    (d, root)
}

fn verify(d: &Path, root: &Path, mode: &str) -> (Option<i32>, String, String) {
    let path = format!(
        "{}:{}",
        d.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let log = d.join("docker.log");
    let _ = std::fs::remove_file(&log);
    let o = bin()
        .env("PATH", path)
        .env("MODE", mode)
        .env("DOCKER_LOG", &log)
        .arg("-C")
        .arg(root)
        .arg("verify")
        .output()
        .unwrap();
    (
        o.status.code(),
        stdout(&o),
        std::fs::read_to_string(&log).unwrap_or_default(),
    )
}

#[test]
fn no_engine_is_skipped_never_passed() {
    let (d, root) = setup("200 OK");
    let (code, out, log) = verify(d.path(), &root, "noengine");
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("skipped: no Docker engine answers"), "{out}");
    assert!(!out.contains("PASS"), "{out}");
    assert_eq!(log.lines().count(), 1, "only `docker info` ran: {log}");
}

#[test]
fn build_up_health_services_and_down_in_order() {
    let (d, root) = setup("200 OK");
    let (code, out, log) = verify(d.path(), &root, "ok");
    assert_eq!(code, Some(0), "{out}");
    for step in [
        "PASS  docker engine",
        "PASS  docker compose build",
        "PASS  docker compose up",
        "PASS  health",
        "PASS  all services running",
        "PASS  cleanup",
    ] {
        assert!(out.contains(step), "{step} missing:\n{out}");
    }
    let cmds: Vec<&str> = log.lines().collect();
    assert_eq!(
        cmds,
        vec![
            "info --format {{.ServerVersion}}",
            "compose version",
            "compose build",
            "compose up -d --wait",
            "compose ps --all --format json",
            "compose down"
        ]
    );
}

#[test]
fn each_failure_fails_and_still_cleans_up() {
    let (d, root) = setup("200 OK");
    let (code, out, log) = verify(d.path(), &root, "buildfail");
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("FAIL  docker compose build") && out.contains("failed to solve"),
        "{out}"
    );
    assert!(log.ends_with("compose down\n"), "{log}");
    let (code, out, _) = verify(d.path(), &root, "exited");
    assert_eq!(code, Some(1));
    assert!(
        out.contains("FAIL  all services running  redis is exited"),
        "{out}"
    );

    let (d, root) = setup("503 Service Unavailable");
    let (code, out, _) = verify(d.path(), &root, "ok");
    assert_eq!(code, Some(1));
    assert!(out.contains("FAIL  health") && out.contains("503"), "{out}");
}

/// `apply --verify` whose verify fails prints the restore command, and that command, run as
/// printed, puts the backup back (from the `--backup-dir` the apply was given).
#[test]
fn apply_verify_failure_prints_a_restore_command_that_works() {
    let r = common::repo::Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("docker-compose.yml", mami::COMPOSE),
        ("Dockerfile", mami::DOCKERFILE),
    ]);
    r.write("backups/notes.txt", "precious\n");
    let bin_dir = r.outside("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let docker = bin_dir.join("docker");
    std::fs::write(&docker, STAND_IN).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let backups = r.outside("my backups");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = |c: &mut std::process::Command| {
        c.env("PATH", &path)
            .env("MODE", "buildfail")
            .env("DOCKER_LOG", r.outside("docker.log"))
            .env("XDG_DATA_HOME", r.xdg.join("data"))
            .env("XDG_STATE_HOME", r.xdg.join("state"))
            .env("XDG_CONFIG_HOME", r.xdg.join("config"));
    };
    let mut c = bin();
    env(&mut c);
    let o = c
        .arg("-C")
        .arg(&r.root)
        .args([
            "apply",
            "--yes",
            "--no-ignore-files",
            "--verify",
            "--backup-dir",
        ])
        .arg(&backups)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(!r.exists("backups/notes.txt"), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("verify failed: to put the backup back, run `"))
        .unwrap_or_else(|| panic!("{out}"));
    let cmd = line.split('`').nth(1).unwrap();
    assert!(cmd.contains("--backup-dir"), "{cmd}");
    // As printed, from the repository, with the binary under test as `mami-clean`.
    std::fs::copy(env!("CARGO_BIN_EXE_mami-clean"), bin_dir.join("mami-clean")).unwrap();
    let mut sh = std::process::Command::new("sh");
    env(&mut sh);
    let o = sh.arg("-c").arg(cmd).current_dir(&r.root).output().unwrap();
    assert!(o.status.success(), "{cmd}: {}{}", stdout(&o), stderr(&o));
    assert_eq!(r.read("backups/notes.txt").as_deref(), Some("precious\n"));
}
