//! A Docker Engine of the test's own: its own socket, data root and exec root under a temp dir,
//! started for the test and stopped (and removed) when dropped. `None`, with the reason, where
//! no engine can run (no `dockerd`, not root): [`Engine::start_or_skip`] prints one SKIP line.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Debian's client drives BuildKit itself; another `docker` on PATH may want a buildx plugin.
pub const DOCKER: &str = "/usr/bin/docker";

pub struct Engine {
    dir: PathBuf,
    daemon: Child,
    pub host: String,
}

impl Engine {
    /// An engine for the test `what`, or `None` with one SKIP line where none can run. In CI
    /// (where `.ci/run` installs one) an engine that does not start fails the test: a test
    /// that skips there checks nothing.
    pub fn start_or_skip(what: &str) -> Option<Engine> {
        match Engine::start() {
            Ok(e) => Some(e),
            Err(why) => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI must run {what} on an engine (.ci/run installs one): {why}"
                );
                println!("SKIP {what}: {why}");
                None
            }
        }
    }

    pub fn start() -> Result<Engine, String> {
        if !Path::new(DOCKER).exists() || which("dockerd").is_none() {
            return Err("no Docker Engine installed (apt-get install docker.io)".into());
        }
        if !rustix::process::geteuid().is_root() {
            return Err("dockerd needs root".into());
        }
        // A short path: the socket's must fit in 108 bytes.
        let dir = tempfile::Builder::new()
            .prefix("mce.")
            .tempdir_in("/tmp")
            .map_err(|e| e.to_string())?
            .keep();
        let sock = dir.join("d.sock");
        let log = std::fs::File::create(dir.join("dockerd.log")).map_err(|e| e.to_string())?;
        let daemon = Command::new(which("dockerd").unwrap())
            .arg("--data-root")
            .arg(dir.join("data"))
            .arg("--exec-root")
            .arg(dir.join("exec"))
            .arg("--pidfile")
            .arg(dir.join("pid"))
            .args(["--storage-driver=vfs", "--iptables=false", "--bridge=none"])
            .arg(format!("--host=unix://{}", sock.display()))
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("dockerd: {e}"))?;
        let engine = Engine {
            host: format!("unix://{}", sock.display()),
            dir,
            daemon,
        };
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(60) {
            if engine
                .docker(&["version", "--format", "{{.Server.Version}}"])
                .status
                .success()
            {
                return Ok(engine);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let log = std::fs::read_to_string(engine.dir.join("dockerd.log")).unwrap_or_default();
        Err(format!("dockerd did not answer within 60 s: {log}"))
    }

    /// `docker ARGS` against this engine, with BuildKit.
    pub fn docker(&self, args: &[&str]) -> Output {
        self.docker_in(None, args)
    }

    /// `docker ARGS` with the legacy builder (`DOCKER_BUILDKIT=0`).
    #[allow(dead_code)]
    pub fn docker_legacy(&self, args: &[&str]) -> Output {
        self.docker_with(None, "0", args)
    }

    pub fn docker_in(&self, cwd: Option<&Path>, args: &[&str]) -> Output {
        self.docker_with(cwd, "1", args)
    }

    fn docker_with(&self, cwd: Option<&Path>, buildkit: &str, args: &[&str]) -> Output {
        let mut c = Command::new(DOCKER);
        if let Some(d) = cwd {
            c.current_dir(d);
        }
        c.args(args)
            .env("DOCKER_HOST", &self.host)
            .env("DOCKER_BUILDKIT", buildkit)
            .env(
                "PATH",
                format!("/usr/bin:{}", std::env::var("PATH").unwrap_or_default()),
            )
            .stdin(Stdio::null())
            .output()
            .expect("docker runs")
    }

    pub fn version(&self) -> String {
        let o = self.docker(&["version", "--format", "{{.Server.Version}}"]);
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = rustix::process::kill_process(
            rustix::process::Pid::from_child(&self.daemon),
            rustix::process::Signal::TERM,
        );
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.daemon.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
        // The daemon leaves its network namespace mounted under the exec root: unmount what
        // is mounted below the directory, deepest first; vfs layers and the build cache are
        // plain files, gone with it.
        let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
        let mut below: Vec<&str> = mounts
            .lines()
            .filter_map(|l| l.split(' ').nth(1))
            .filter(|m| Path::new(m).starts_with(&self.dir))
            .collect();
        below.sort_by_key(|m| std::cmp::Reverse(m.len()));
        for m in below {
            let _ = Command::new("umount").arg("-l").arg(m).status();
        }
        let _ = Command::new("rm").arg("-rf").arg(&self.dir).status();
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .chain(["/usr/sbin", "/usr/bin", "/sbin"])
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}
