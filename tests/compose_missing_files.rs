//! A compose file that names a file a setup step makes: local-ai-packaged (and its many forks)
//! `include`s `./supabase/docker/docker-compose.yml`, which `start_services.py` clones before it
//! runs `docker compose`. On a fresh clone plan, audit and gate stopped at
//! "supabase/docker/docker-compose.yml: entity not found" and said nothing else. Compose refuses
//! such a project (`open …: no such file or directory`): it is reported as one, at the line
//! naming the file, and every other build is measured.

mod common;

use std::process::Command;

use common::repo::Repo;
use common::*;

const MAIN: &str =
    "include:\n  - ./supabase/docker/docker-compose.yml\n\nservices:\n  web:\n    build: ./web\n";

fn local_ai() -> Repo {
    Repo::new(&[
        ("docker-compose.yml", MAIN),
        ("web/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("web/app.py", "print('hi')\n"),
        ("tools/Dockerfile", "FROM scratch\nCOPY . /\n"),
        ("tools/run.sh", "echo\n"),
    ])
}

fn refused_notes(plan: &serde_json::Value) -> Vec<String> {
    (plan["notes"].as_array().unwrap().iter())
        .filter(|n| n["kind"] == "compose-refused")
        .map(|n| format!("{}: {}", n["path"].as_str().unwrap(), n["message"]))
        .collect()
}

#[test]
fn an_include_a_setup_step_makes_is_reported_and_the_rest_measured() {
    let r = local_ai();
    let plan: serde_json::Value =
        serde_json::from_slice(&r.run_ok(&["plan", "--format", "json"]).stdout).unwrap();
    let notes = refused_notes(&plan);
    assert_eq!(notes.len(), 1, "{plan:#}");
    assert!(
        notes[0].starts_with(
            "docker-compose.yml: \"line 2: `include` names `./supabase/docker/docker-compose.yml`, which is not there:"
        ),
        "{notes:?}"
    );
    // The Dockerfile no service builds is measured all the same.
    let names: Vec<&str> = (plan["contexts"].as_array().unwrap().iter())
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["tools/Dockerfile", "web/Dockerfile"], "{plan:#}");

    let a = r.audit();
    let f = findings(&a, "compose-refused");
    assert_eq!(f.len(), 1, "{a:#}");
    assert_eq!(
        (&f[0]["line"], &f[0]["severity"]),
        (&2.into(), &"warning".into())
    );
    assert_eq!(
        f[0]["fix"],
        "audit where `supabase/docker/docker-compose.yml` is there (after the step that makes it), or drop the `include` line"
    );
    let o = r.run(&["gate"]);
    assert!(
        stdout(&o).contains("warn[compose-refused] docker-compose.yml"),
        "{}",
        stdout(&o)
    );

    // Once the setup step has made it, the project reads, its service is measured and nothing
    // is refused.
    r.write(
        "supabase/docker/docker-compose.yml",
        "services:\n  db:\n    build: ./db\n",
    );
    r.write("supabase/docker/db/Dockerfile", "FROM scratch\n");
    let plan = plan_json(&r.root, &[]);
    assert!(refused_notes(&plan).is_empty(), "{plan:#}");
    let names: Vec<&str> = (plan["contexts"].as_array().unwrap().iter())
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"docker-compose.yml: service web"),
        "{names:?}"
    );
    assert!(
        names.contains(&"supabase/docker/docker-compose.yml: service db"),
        "{names:?}"
    );
}

/// `extends: {file: …}` naming a file that is not there: Compose refuses the project (checked
/// with Compose itself), and so does mami-clean, at the `file:` line, going on with the rest.
#[test]
fn an_extends_file_that_is_not_there_is_refused_as_compose_refuses_it() {
    let y = "services:\n  api:\n    extends:\n      file: common/base.yml\n      service: base\n    build: ./api\n";
    let r = Repo::new(&[
        ("docker-compose.yml", y),
        ("api/Dockerfile", "FROM scratch\n"),
        ("tools/Dockerfile", "FROM scratch\n"),
    ]);
    if docker_compose().is_some() {
        let o = Command::new("docker-compose")
            .arg("config")
            .current_dir(&r.root)
            .output()
            .unwrap();
        assert!(!o.status.success(), "Compose reads it: {}", stdout(&o));
    }
    let a = r.audit();
    let f = findings(&a, "compose-refused");
    assert_eq!(f.len(), 1, "{a:#}");
    assert_eq!(f[0]["line"], 4);
    assert!(
        (f[0]["message"].as_str().unwrap())
            .starts_with("`extends` names `common/base.yml`, which is not there"),
        "{}",
        f[0]["message"]
    );
    assert!(
        (f[0]["fix"].as_str().unwrap()).contains("or drop the `extends` line"),
        "{}",
        f[0]["fix"]
    );
    let builds: Vec<&str> = (a["builds"].as_array().unwrap().iter())
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert!(builds.contains(&"tools/Dockerfile"), "{builds:?}");
}
