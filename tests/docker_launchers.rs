//! A Windows launcher is junk because the Docker setup replaces it; one that runs a container
//! itself is part of that setup. storage-backup's `startup.bat` removes the old container and
//! image, builds with `docker-compose build` and starts it with `docker run -d --restart
//! unless-stopped -p 172.17.0.1:4000:4000 …`: nothing names it, and the compose file beside it
//! holds none of those `docker run` settings. It is kept for review; a launcher that runs the
//! app on the host, or only passes a command to Compose, is still selected. So is one another
//! Windows script runs (a `.vbs` that starts it without a console window).

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_launcher_that_runs_docker_is_kept_for_review() {
    let r = Repo::new(&[
        (
            "docker-compose.yml",
            "services:\n  app:\n    build: .\n",
        ),
        ("Dockerfile", "FROM scratch\nCOPY src /src\n"),
        ("src/index.ts", "function startup() {}\nstartup();\n"),
        (
            "startup.bat",
            "docker rm \"storage.backup\" -f\r\nCOMPOSE_DOCKER_CLI_BUILD=1 docker-compose build\r\ndocker run -d --restart unless-stopped -p 172.17.0.1:4000:4000 storage.backup\r\n",
        ),
        ("up.bat", "docker-compose up -d\r\n"),
        (
            "start.bat",
            "@echo off\r\nREM docker is not needed here\r\necho run docker compose up for the stack\r\nnpm start\r\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "startup.bat");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["kind"], "runs-docker", "{e}");
    assert_eq!(e["referenced_by"]["line"], 3, "{e}");
    let reason = e["reason"].as_str().unwrap();
    assert!(
        reason.contains(
            "but it runs a container or builds an image itself (startup.bat:3: `docker run -d"
        ),
        "{reason}"
    );
    // An echo or a remark that names Docker runs nothing; Compose holds what `up` starts.
    assert_eq!(entry(&plan, "start.bat")["action"], "delete");
    assert_eq!(entry(&plan, "up.bat")["action"], "delete");
}

/// A `.vbs` that starts a launcher without a console window runs it as surely as a README
/// command (JARVIS-AI-OS' `jarvis_startup_service.vbs`, by its full Windows path).
#[test]
fn a_launcher_a_windows_script_runs_stays() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("scripts/runner.bat", "@echo off\nnpm run dev\n"),
        (
            "scripts/startup_service.vbs",
            "Set WshShell = CreateObject(\"WScript.Shell\")\nWshShell.Run \"cmd /c \"\"d:\\app\\scripts\\runner.bat\"\"\", 0, False\n",
        ),
        ("old.bat", "@echo off\n"),
        ("app.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "scripts/runner.bat");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(
        e["referenced_by"]["file"], "scripts/startup_service.vbs",
        "{e}"
    );
    assert_eq!(entry(&plan, "old.bat")["action"], "delete", "{plan:#}");
}

/// A build tool's Windows wrapper is the build, not a launcher: waf's `waf.bat` beside `waf`
/// (ns-3, apache/cloudstack), Mill's `mill.bat`, Gradle's and Maven's. A `start.bat` beside
/// them still goes.
#[test]
fn a_build_tools_windows_wrapper_is_no_launcher() {
    let r = Repo::new(&[
        ("waf", "#!/usr/bin/env python\n"),
        ("waf.bat", "@python -x waf %* & exit /b\r\n"),
        ("mill.bat", "@echo off\r\n"),
        ("gradlew.bat", "@echo off\r\n"),
        ("mvnw.cmd", "@echo off\r\n"),
        ("start.bat", "python main.py\r\n"),
        ("main.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for w in ["waf.bat", "mill.bat", "gradlew.bat", "mvnw.cmd"] {
        assert!(entry_at(&plan, w).is_none(), "{w}: {plan}");
    }
    assert_eq!(entry(&plan, "start.bat")["rule"], "windows-launchers");
}
