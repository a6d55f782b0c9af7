//! What a running service uses is not litter, whatever its name: files in a folder a compose
//! service bind-mounts as its own data (Postgres' `postmaster.pid` in `./pgdata`, Redis'
//! `dump.rdb` in `./redis-data`), and a pid file whose process is alive. Both are review
//! items, never deleted; the project's code mounted into a dev container is cleaned as usual,
//! and a Redis snapshot left at the root by a hand-started `redis-server` goes.

mod common;

use common::repo::Repo;
use common::*;

const COMPOSE: &str = "services:
  db:
    image: postgres:16
    volumes:
      - ./pgdata:/var/lib/postgresql/data
  cache:
    image: redis:7
    volumes:
      - type: bind
        source: ./redis-data
        target: /data
  search:
    image: elasticsearch:8.15.0
    volumes:
      - ${PWD}/es-data:/usr/share/elasticsearch/data
  api:
    build: ./backend
    volumes:
      - ./backend:/app
      - api_cache:/cache
volumes:
  api_cache: {}
";

fn repo() -> Repo {
    let r = Repo::new(&[
        ("docker-compose.yml", COMPOSE),
        ("backend/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("backend/app.py", "print(1)\n"),
        ("backend/app.py.bak", "print(0)\n"),
        (
            ".gitignore",
            "pgdata/*\n!pgdata/.gitkeep\nredis-data/\nes-data/\n",
        ),
        // Committed to keep the folder in git: still the database's folder.
        ("pgdata/.gitkeep", ""),
    ]);
    // What the services wrote while they ran: nothing of it tracked.
    r.write("pgdata/PG_VERSION", "16\n");
    r.write("pgdata/postmaster.pid", "1\n/var/lib/postgresql/data\n");
    r.write("redis-data/dump.rdb", "REDIS0011\n");
    r.write("es-data/nodes/0/node.lock", "");
    r.write("es-data/nohup.out", "x\n");
    // What no service reads back: a rotated log and a file browser's litter.
    r.write("es-data/logs/gc.log.1", "old\n");
    r.write("redis-data/.DS_Store", "x");
    // A snapshot from a `redis-server` started by hand at the root.
    r.write("dump.rdb", "REDIS0011\n");
    r
}

#[test]
fn files_a_compose_service_mounts_are_review_and_survive_apply() {
    let r = repo();
    let plan = plan_json(&r.root, &[]);
    for p in [
        "pgdata/postmaster.pid",
        "redis-data/dump.rdb",
        "es-data/nohup.out",
    ] {
        let e = entry_at(&plan, p).unwrap_or_else(|| panic!("{p} not reported: {plan:#}"));
        assert_eq!(e["action"], "review", "{p}: {e:#}");
        assert_eq!(e["referenced_by"]["kind"], "mounted", "{e:#}");
        assert_eq!(e["referenced_by"]["file"], "docker-compose.yml");
    }
    let pg = entry_at(&plan, "pgdata/postmaster.pid").unwrap();
    assert_eq!(pg["referenced_by"]["line"], 5);
    assert_eq!(
        pg["referenced_by"]["excerpt"],
        "- ./pgdata:/var/lib/postgresql/data"
    );
    let redis = entry_at(&plan, "redis-data/dump.rdb").unwrap();
    assert_eq!(redis["referenced_by"]["excerpt"], "source: ./redis-data");
    // A rotated log and `.DS_Store` are litter inside a service's folder too: their rules
    // say so (`in_service_data`).
    for p in ["es-data/logs/gc.log.1", "redis-data/.DS_Store"] {
        let e = entry_at(&plan, p).unwrap_or_else(|| panic!("{p} not reported: {plan:#}"));
        assert_eq!(e["action"], "delete", "{p}: {e:#}");
    }
    // The code mounted into the dev container is the project's, tracked: cleaned as usual.
    assert_eq!(
        entry_at(&plan, "backend/app.py.bak").unwrap()["action"],
        "delete"
    );
    // A snapshot nothing mounts or names.
    let root_dump = entry(&plan, "dump.rdb");
    assert_eq!(root_dump["action"], "delete");
    assert_eq!(root_dump["rule"], "redis-dumps");
    assert_eq!(root_dump["recovery"], "backup");

    let human = stdout(&r.run(&["plan"]));
    assert!(
        human.contains("but docker-compose.yml:5: `- ./pgdata:/var/lib/postgresql/data` mounts it"),
        "{human}"
    );

    let o = r.run(&["apply", "--yes", "--allow-dirty"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(r.exists("pgdata/postmaster.pid"));
    assert!(r.exists("redis-data/dump.rdb"));
    assert!(r.exists("es-data/nohup.out"));
    assert!(!r.exists("es-data/logs/gc.log.1"));
    assert!(!r.exists("redis-data/.DS_Store"));
    assert!(!r.exists("dump.rdb"));
    assert!(!r.exists("backend/app.py.bak"));
}

#[test]
fn a_pid_file_is_stale_only_once_its_process_has_exited() {
    let r = Repo::new(&[("app.py", "print(1)\n")]);
    let mut sleeper = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    r.write("gunicorn.pid", &format!("{}\n", sleeper.id()));
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let gone_pid = gone.id();
    gone.wait().unwrap();
    r.write("worker.pid", &format!("{gone_pid}\n"));

    let plan = plan_json(&r.root, &[]);
    let live = entry(&plan, "gunicorn.pid");
    assert_eq!(live["action"], "review", "{live:#}");
    assert_eq!(live["referenced_by"]["kind"], "running");
    assert_eq!(live["referenced_by"]["excerpt"], sleeper.id().to_string());
    assert!(live["reason"]
        .as_str()
        .unwrap()
        .contains(&format!("but process {} it names is running", sleeper.id())));
    assert_eq!(entry_at(&plan, "worker.pid").unwrap()["action"], "delete");

    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    let plan = plan_json(&r.root, &[]);
    assert_eq!(entry_at(&plan, "gunicorn.pid").unwrap()["action"], "delete");
}

#[test]
fn a_mounted_data_folder_a_context_sends_is_a_finding_until_the_dockerignore_drops_it() {
    let r = repo();
    r.write(
        "docker-compose.yml",
        &COMPOSE.replace("build: ./backend", "build: ."),
    );
    // One that copies from the folder by name reads it on purpose.
    r.write(
        "Dockerfile",
        "FROM scratch\nCOPY pgdata/PG_VERSION /v\nCOPY . /app\n",
    );
    let a = r.audit();
    let paths: Vec<String> = findings(&a, "mounted-data-in-context")
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["es-data", "redis-data"], "{a:#}");
    r.write("Dockerfile", "FROM scratch\nCOPY . /app\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "build the root"]);
    let a = r.audit();
    let got = findings(&a, "mounted-data-in-context");
    let paths: Vec<&str> = got.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["es-data", "pgdata", "redis-data"], "{a:#}");
    assert_eq!(got[1]["severity"], "warning");
    let msg = got[1]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("`pgdata` (3 files, 30 B), which docker-compose.yml:5 mounts into a service's container (`./pgdata:/var/lib/postgresql/data`), is sent to the build context of docker-compose.yml: service api, whose Dockerfile copies or mounts a folder holding it"),
        "{msg}"
    );
    assert_eq!(
        got[1]["fix"],
        "add `/pgdata` to .dockerignore (`mami-clean ignore --write` does): the service mounts it at run time"
    );
    // The code the dev container mounts is no service's data.
    assert!(!paths.contains(&"backend"));
    // A build that copies only its code leaves the data on the client (BuildKit transfers
    // what COPY names).
    r.write("Dockerfile", "FROM scratch\nCOPY backend /app\n");
    let a = r.audit();
    assert!(findings(&a, "mounted-data-in-context").is_empty(), "{a:#}");
    r.write("Dockerfile", "FROM scratch\nCOPY . /app\n");

    // The writer writes what the fix says.
    let o = r.run(&["ignore", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = r.read(".dockerignore").unwrap();
    for l in ["/pgdata", "/redis-data", "/es-data"] {
        assert!(written.lines().any(|x| x == l), "{written}");
    }
    let a = r.audit();
    assert!(findings(&a, "mounted-data-in-context").is_empty(), "{a:#}");
    // A user's own line says it as well.
    r.write(".dockerignore", "pgdata\nredis-data/\n/es-data\n");
    let a = r.audit();
    assert!(findings(&a, "mounted-data-in-context").is_empty(), "{a:#}");
}

#[test]
fn an_old_copys_compose_file_mounts_nothing_that_stays() {
    // `backend_old/` is a copy of `backend/`, compose file and all: its mounts name folders of
    // the copy, which goes with it.
    let compose =
        "services:\n  api:\n    build: .\n    volumes:\n      - ./app:/app\n      - ./data:/data\n";
    let r = Repo::new(&[
        ("backend/docker-compose.yml", compose),
        ("backend/Dockerfile", "FROM scratch\nCOPY app /app\n"),
        ("backend/app/main.py", "print(2)\n"),
        ("backend_old/docker-compose.yml", compose),
        ("backend_old/Dockerfile", "FROM scratch\nCOPY app /app\n"),
        ("backend_old/app/main.py", "print(1)\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    let old = entry(&plan, "backend_old");
    assert_eq!(old["action"], "delete", "{old:#}");
    // Its own build goes with it: no note that a build fails for lack of `app/`.
    let notes = plan["notes"].to_string();
    assert!(!notes.contains("build-input-deleted"), "{notes}");
}

/// A service started by a `docker run` in the README or a script keeps its files where `-v`
/// says as much as one compose starts: Redis' append-only files in `./redis-data`
/// (`docker run -v $(pwd)/redis-data:/data redis --appendonly yes`) are review, citing the
/// line; a snapshot nothing mounts goes.
#[test]
fn a_folder_a_docker_run_in_the_docs_mounts_is_a_services_data() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        (
            "README.md",
            "# App\n\n## Redis\n\n```sh\ndocker run -d --name redis \\\n  -p 6379:6379 \\\n  -v $(pwd)/redis-data:/data \\\n  redis:7 --appendonly yes\n```\n",
        ),
        ("scripts/db.sh", "#!/bin/sh\ndocker run -d -v \"$(pwd)\"/pgdata:/var/lib/postgresql/data postgres:16\n"),
        (".gitignore", "redis-data/\npgdata/\n"),
    ]);
    r.write(
        "redis-data/appendonlydir/appendonly.aof.1.base.rdb",
        "REDIS\n",
    );
    r.write("redis-data/dump.rdb", "REDIS0011\n");
    r.write("pgdata/postmaster.pid", "1\n");
    r.write("dump.rdb", "REDIS0011\n");
    let plan = plan_json(&r.root, &[]);
    for p in ["redis-data/appendonlydir", "redis-data/dump.rdb"] {
        let e = entry_at(&plan, p).unwrap_or_else(|| panic!("{p} not reported: {plan:#}"));
        assert_eq!(e["action"], "review", "{p}: {e:#}");
        assert_eq!(e["referenced_by"]["kind"], "mounted", "{e:#}");
        assert_eq!(e["referenced_by"]["file"], "README.md");
        assert_eq!(e["referenced_by"]["line"], 8);
        assert_eq!(e["referenced_by"]["excerpt"], "-v $(pwd)/redis-data:/data");
    }
    let pg = entry(&plan, "pgdata/postmaster.pid");
    assert_eq!(pg["action"], "review", "{pg:#}");
    assert_eq!(pg["referenced_by"]["file"], "scripts/db.sh");
    assert_eq!(entry_at(&plan, "dump.rdb").unwrap()["action"], "delete");
}
