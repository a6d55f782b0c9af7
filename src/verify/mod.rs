//! `mami-clean verify`: the design's last step. Does the image still build, do the containers
//! run, does `/health` answer, are all services up? Each check is a command with a timeout and
//! a PASS/FAIL line. When no Docker engine answers, verify says so and reports "skipped" (its
//! own exit code): it never passes what it could not check.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

mod compose;
use compose::{all_running, wait_v1, Compose};

use crate::rules::schema::VerifyDef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// No Docker engine: nothing was checked.
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub name: String,
    pub pass: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub outcome: Outcome,
    pub steps: Vec<Step>,
}

/// The last lines of a command's output, for a one-line detail.
fn tail(text: &str) -> String {
    let v: Vec<&str> = text.lines().rev().take(3).collect();
    v.into_iter().rev().collect::<Vec<_>>().join(" | ")
}

/// Run `sh -c cmd` in `dir`, killed after `timeout`. Returns (success, its whole output).
fn run(dir: &Path, cmd: &str, timeout: Duration) -> (bool, String) {
    let mut child = match Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return (false, format!("cannot start: {e}")),
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return (false, format!("timed out after {}s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return (false, e.to_string()),
        }
    }
    let out = child.wait_with_output();
    match out {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => (false, e.to_string()),
    }
}

/// GET an `http://` URL until it answers 2xx or `timeout` passes.
pub fn health(url: &str, timeout: Duration) -> (bool, String) {
    let Some(rest) = url.strip_prefix("http://") else {
        return (
            false,
            format!("{url}: only http:// URLs are checked (a local service)"),
        );
    };
    let (hostport, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let hostport = if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:80")
    };
    let host = hostport
        .rsplit_once(':')
        .map_or(hostport.as_str(), |(h, _)| h)
        .to_string();
    let start = Instant::now();
    let mut last = String::from("no answer");
    while start.elapsed() < timeout {
        let attempt = (|| -> std::io::Result<String> {
            let addr = hostport
                .to_socket_addrs()?
                .next()
                .ok_or_else(|| std::io::Error::other("no address"))?;
            let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            // One write: a server may answer (and close) as soon as it has read the request line.
            let req =
                format!("GET {path} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: mami-clean\r\n\r\n");
            s.write_all(req.as_bytes())?;
            let mut buf = Vec::new();
            s.take(4096).read_to_end(&mut buf)?;
            Ok(String::from_utf8_lossy(&buf)
                .lines()
                .next()
                .unwrap_or("")
                .to_string())
        })();
        match attempt {
            Ok(status) => {
                let code: u16 = status
                    .split_whitespace()
                    .nth(1)
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                if (200..300).contains(&code) {
                    return (true, format!("{url}: {status}"));
                }
                last = format!("{url}: {status}");
            }
            Err(e) => last = format!("{url}: {e}"),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    (false, last)
}

/// Run the checks for the repository at `root`.
pub fn verify(root: &Path, cfg: &VerifyDef) -> VerifyReport {
    let timeout = Duration::from_secs(cfg.timeout_secs.unwrap_or(600));
    let mut steps = Vec::new();
    let (engine, out) = run(
        root,
        "docker info --format '{{.ServerVersion}}'",
        Duration::from_secs(20),
    );
    let detail = tail(&out);
    if !engine {
        steps.push(Step {
            name: "docker engine".into(),
            pass: false,
            detail: format!("no Docker engine answers ({detail}); nothing was checked"),
        });
        return VerifyReport {
            outcome: Outcome::Skipped,
            steps,
        };
    }
    steps.push(Step {
        name: "docker engine".into(),
        pass: true,
        detail,
    });
    let has_compose = crate::docker::compose::COMPOSE_NAMES
        .iter()
        .any(|n| root.join(n).exists());
    let compose = if has_compose {
        Compose::find(root)
    } else {
        None
    };
    if has_compose && compose.is_none() && cfg.commands.is_none() {
        steps.push(Step {
            name: "compose".into(),
            pass: false,
            detail: "a compose file, and neither `docker compose` nor `docker-compose` runs".into(),
        });
        return VerifyReport {
            outcome: Outcome::Fail,
            steps,
        };
    }
    let commands: Vec<(String, String)> = match (&cfg.commands, compose) {
        (Some(c), _) => c.iter().map(|c| (c.clone(), c.clone())).collect(),
        (None, Some(c)) => vec![
            (c.cmd("build"), c.cmd("build")),
            (
                c.cmd("up"),
                c.cmd(if c == Compose::V2 {
                    "up -d --wait"
                } else {
                    "up -d"
                }),
            ),
        ],
        (None, None) => vec![(
            "docker build".into(),
            "docker build -t mami-clean-verify .".into(),
        )],
    };
    let cleanup = cfg
        .cleanup
        .clone()
        .or_else(|| compose.map(|c| c.cmd("down")));
    let mut ok = true;
    for (name, cmd) in commands {
        let (pass, out) = run(root, &cmd, timeout);
        steps.push(Step {
            name,
            pass,
            detail: tail(&out),
        });
        if !pass {
            ok = false;
            break;
        }
    }
    // Services up: v2 waited for health in `up --wait`; v1 is polled (health included), and
    // only then is the health URL asked.
    if ok && compose == Some(Compose::V1) && cfg.commands.is_none() {
        let (pass, detail) = wait_v1(root, timeout.min(Duration::from_secs(300)));
        steps.push(Step {
            name: "services healthy".into(),
            pass,
            detail,
        });
        ok &= pass;
    }
    if ok {
        if let Some(url) = &cfg.health_url {
            let (pass, detail) = health(url, timeout.min(Duration::from_secs(120)));
            steps.push(Step {
                name: "health".into(),
                pass,
                detail,
            });
            ok &= pass;
        }
    }
    if ok && compose.is_some() && cfg.commands.is_none() {
        let (all, detail) = match compose {
            Some(Compose::V2) => {
                let (pass, out) = run(
                    root,
                    &Compose::V2.cmd("ps --all --format json"),
                    Duration::from_secs(60),
                );
                if pass {
                    all_running(&out)
                } else {
                    (false, tail(&out))
                }
            }
            _ => wait_v1(root, Duration::from_secs(5)),
        };
        steps.push(Step {
            name: "all services running".into(),
            pass: all,
            detail,
        });
        ok &= all;
    }
    if let Some(c) = cleanup {
        // Taking the project down waits for each container's stop timeout (10 s by default,
        // more when PID 1 ignores SIGTERM): a short `timeout_secs` for the checks must not
        // cut it off and leave containers running.
        let (pass, out) = run(root, &c, timeout.max(Duration::from_secs(120)));
        steps.push(Step {
            name: "cleanup".into(),
            pass,
            detail: tail(&out),
        });
    }
    VerifyReport {
        outcome: if ok { Outcome::Pass } else { Outcome::Fail },
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_ps_json_in_both_shapes() {
        let lines = "{\"Service\":\"api\",\"State\":\"running\"}\n{\"Service\":\"redis\",\"State\":\"exited\"}\n";
        assert_eq!(all_running(lines), (false, "redis is exited".to_string()));
        let arr = "[{\"Service\":\"api\",\"State\":\"running\"}]";
        assert!(all_running(arr).0);
        assert!(!all_running("").0);
    }
}
