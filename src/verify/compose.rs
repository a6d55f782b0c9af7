//! Compose in `verify`: which Compose runs the project (the v2 plugin or v1), and whether its
//! services run: `compose ps` JSON for v2, polled `docker inspect` for v1 (no `up --wait`).

use std::path::Path;
use std::time::{Duration, Instant};

use super::{run, tail};

/// `docker compose ps --format json` output: every service running?
pub(super) fn all_running(output: &str) -> (bool, String) {
    let mut states = Vec::new();
    let text = output.trim();
    let values: Vec<serde_json::Value> = if text.starts_with('[') {
        serde_json::from_str(text).unwrap_or_default()
    } else {
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    };
    for v in &values {
        let name = v["Service"]
            .as_str()
            .or(v["Name"].as_str())
            .unwrap_or("?")
            .to_string();
        let state = v["State"].as_str().unwrap_or("?").to_string();
        states.push((name, state));
    }
    let down: Vec<String> = states
        .iter()
        .filter(|(_, s)| s != "running")
        .map(|(n, s)| format!("{n} is {s}"))
        .collect();
    if states.is_empty() {
        (false, "no service is running".into())
    } else if down.is_empty() {
        (
            true,
            format!(
                "{} running",
                crate::size::plural(states.len() as u64, "service", "services")
            ),
        )
    } else {
        (false, down.join(", "))
    }
}

/// Which Compose runs the project: the v2 plugin (`docker compose`) or v1 (`docker-compose`,
/// which has no `up --wait`: the containers are polled instead).
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Compose {
    V2,
    V1,
}

impl Compose {
    pub(super) fn find(root: &Path) -> Option<Compose> {
        let t = Duration::from_secs(20);
        if run(root, "docker compose version", t).0 {
            Some(Compose::V2)
        } else if run(root, "docker-compose version", t).0 {
            Some(Compose::V1)
        } else {
            None
        }
    }

    pub(super) fn cmd(self, args: &str) -> String {
        match self {
            Compose::V2 => format!("docker compose {args}"),
            Compose::V1 => format!("docker-compose {args}"),
        }
    }
}

/// Compose v1: wait until every container runs and those with a healthcheck are healthy; fail
/// as soon as one exited or is unhealthy, or when `timeout` passes.
pub(super) fn wait_v1(root: &Path, timeout: Duration) -> (bool, String) {
    let start = Instant::now();
    let t = Duration::from_secs(60);
    let mut last = String::from("no container yet");
    while start.elapsed() < timeout {
        let (ok, ids) = run(root, "docker-compose ps -q", t);
        let ids: Vec<&str> = ids.split_whitespace().collect();
        if ok && !ids.is_empty() {
            let fmt =
                "'{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}'";
            let (ok, out) = run(
                root,
                &format!("docker inspect --format {fmt} {}", ids.join(" ")),
                t,
            );
            if !ok {
                return (false, tail(&out));
            }
            let states: Vec<Vec<&str>> = out
                .lines()
                .map(|l| l.split_whitespace().collect())
                .collect();
            let bad: Vec<String> = states
                .iter()
                .filter(|s| {
                    matches!(s.get(1), Some(&("exited" | "dead"))) || s.get(2) == Some(&"unhealthy")
                })
                .map(|s| format!("{} is {}", s[0].trim_start_matches('/'), s[1..].join(" ")))
                .collect();
            if !bad.is_empty() {
                return (false, bad.join(", "));
            }
            let ready = states.iter().all(|s| {
                s.get(1) == Some(&"running") && matches!(s.get(2), None | Some(&"healthy"))
            });
            if ready {
                return (
                    true,
                    format!(
                        "{} running",
                        crate::size::plural(states.len() as u64, "service", "services")
                    ),
                );
            }
            last = format!("waiting: {}", out.trim().replace('\n', ", "));
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    (
        false,
        format!("timed out after {}s; {last}", timeout.as_secs()),
    )
}
