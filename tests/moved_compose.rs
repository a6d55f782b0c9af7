//! A compose file in a subfolder whose build paths are written from the root (rag-dz's
//! `infrastructure/docker/docker-compose.yml`: four of its six contexts are at the root, none
//! in its folder). Compose reads them from the compose file's folder, so each build fails; the
//! audit says it once, for the file, with the `--project-directory` that makes them build, and
//! Debian's docker-compose is asked where it reads them from, with and without it.

mod common;

use std::process::Command;

use common::repo::Repo;
use common::*;

const COMPOSE: &str = "services:\n  api:\n    build: ./api\n  ui:\n    build:\n      context: ./web/ui\n      dockerfile: Dockerfile\n  db:\n    image: postgres\n";

fn moved() -> Repo {
    Repo::new(&[
        ("infra/docker/docker-compose.yml", COMPOSE),
        ("api/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("api/main.py", "print('hi')\n"),
        ("web/ui/Dockerfile", "FROM scratch\nCOPY . /ui\n"),
        ("web/ui/index.html", "<p>hi</p>\n"),
    ])
}

/// The build contexts docker-compose resolves for `file`, run from the root with `args`; Err
/// with its message where it refuses.
fn compose_contexts(r: &Repo, file: &str, args: &[&str]) -> Option<Result<Vec<String>, String>> {
    let bin = docker_compose()?;
    let o = Command::new(bin)
        .current_dir(&r.root)
        .args(["-f", file])
        .args(args)
        .arg("config")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    Some(match o.status.success() {
        true => Ok((out.lines())
            .filter_map(|l| l.trim().strip_prefix("context: "))
            .map(str::to_string)
            .collect()),
        false => Err(String::from_utf8_lossy(&o.stderr).into_owned()),
    })
}

#[test]
fn a_compose_file_written_from_the_root_is_one_finding_with_the_project_directory() {
    let r = moved();
    let file = "infra/docker/docker-compose.yml";
    // Compose itself: from its folder the contexts are not there; from the root they are.
    if let Some(from_folder) = compose_contexts(&r, file, &[]) {
        let e = from_folder.expect_err("the contexts are not in infra/docker");
        assert!(e.contains("infra/docker/api"), "{e}");
        let root = r.root.canonicalize().unwrap();
        let ok = compose_contexts(&r, file, &["--project-directory", "."]).unwrap();
        let want = [root.join("api"), root.join("web/ui")];
        assert_eq!(ok.unwrap(), want.map(|p| p.display().to_string()));
    }
    // A build missing from both places is its own problem, said apart.
    r.write(file, &format!("{COMPOSE}  gone:\n    build: ./gone\n"));
    let a = r.audit();
    let f = findings(&a, "missing-build-input");
    let paths: Vec<&str> = f.iter().map(|x| x["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        ["infra/docker/docker-compose.yml", "infra/docker/gone"],
        "{a:#}"
    );
    assert_eq!(f[0]["severity"], "error");
    assert_eq!(
        f[0]["message"],
        "`infra/docker/docker-compose.yml` builds 2 services from paths that are not in its folder `infra/docker/`, where Compose looks for them, but are in the repository root: `api/` (service api) and `web/ui/` (service ui); its paths read as written from there (was the file moved?), and those builds fail"
    );
    assert_eq!(
        f[0]["fix"],
        "run it as `docker compose -f infra/docker/docker-compose.yml --project-directory . build` from the root (Compose then reads all its relative paths from there, volumes and env_file too), or write them from its folder (`../../api`)"
    );
    // The plan's notes say it as the audit does.
    let plan = plan_json(&r.root, &[]);
    let notes = notes(&plan, "missing-build-input");
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, "infra/docker/gone", "{notes:?}");
    assert_eq!(
        (notes[1].0, notes[1].1),
        (file, f[0]["message"].as_str().unwrap())
    );
    // The gate fails on it, under its own code, once.
    let o = r.run(&["gate"]);
    let out = stdout(&o);
    assert_eq!(
        out.matches("[build-input-missing] infra/docker/docker-compose.yml")
            .count(),
        1,
        "{out}"
    );
    assert_eq!(o.status.code(), Some(1), "{out}");
}

#[test]
fn a_build_the_move_would_break_keeps_each_finding_apart() {
    // tcc_log: the backend builds from the compose file's folder (its Dockerfile is there
    // only); the frontend's context is at the root. No one folder builds them all.
    let r = moved();
    let file = "infra/docker/docker-compose.yml";
    let local = "  tools:\n    build:\n      context: .\n      dockerfile: Dockerfile.tools\n";
    r.write(file, &format!("{COMPOSE}{local}"));
    r.write("infra/docker/Dockerfile.tools", "FROM scratch\n");
    let a = r.audit();
    let f = findings(&a, "missing-build-input");
    let paths: Vec<&str> = f.iter().map(|x| x["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["infra/docker/api", "infra/docker/web/ui"], "{a:#}");
    assert!(f.iter().all(|x| x["message"]
        .as_str()
        .unwrap()
        .ends_with("does not exist: the build fails")));
}

#[test]
fn the_nearest_folder_that_builds_it_and_every_file_of_the_project_are_named() {
    // Written from `apps/studio/`, two levels up from `apps/studio/infra/docker/`, and with an
    // override file Compose reads beside it unless `-f` names the files.
    let r = Repo::new(&[
        (
            "apps/studio/infra/docker/compose.yaml",
            "services:\n  web:\n    build: ./frontend\n",
        ),
        (
            "apps/studio/infra/docker/compose.override.yaml",
            "services:\n  web:\n    environment:\n      - X=1\n",
        ),
        ("apps/studio/frontend/Dockerfile", "FROM scratch\n"),
        // The root has one too: the nearest folder is the one named.
        ("frontend/Dockerfile", "FROM scratch\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "missing-build-input");
    assert_eq!(f.len(), 1, "{a:#}");
    assert_eq!(f[0]["path"], "apps/studio/infra/docker/compose.yaml");
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("but is in `apps/studio/`"),
        "{a:#}"
    );
    assert_eq!(
        f[0]["fix"],
        "run it as `docker compose -f apps/studio/infra/docker/compose.yaml -f apps/studio/infra/docker/compose.override.yaml --project-directory apps/studio build` from the root (Compose then reads all its relative paths from there, volumes and env_file too), or write them from its folder (`../../frontend`)"
    );
    let file = "apps/studio/infra/docker/compose.yaml";
    let over = "apps/studio/infra/docker/compose.override.yaml";
    let args = ["-f", over, "--project-directory", "apps/studio"];
    if let Some(ok) = compose_contexts(&r, file, &args) {
        let root = r.root.canonicalize().unwrap();
        assert_eq!(
            ok.unwrap(),
            [root.join("apps/studio/frontend").display().to_string()]
        );
    }
}
