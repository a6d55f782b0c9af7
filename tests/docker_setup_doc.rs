//! `DOCKER_SETUP.md` is mostly how to run a project in Docker (6,626 public repositories
//! commit one; the ones read are guides), and a guide stays. The Mami plan's sat among
//! reports of the same Docker work: beside such a report it is selected as one.

mod common;

use common::repo::Repo;

fn selected(r: &Repo) -> Vec<(String, String)> {
    let o = r.run(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    (plan["entries"].as_array().unwrap().iter())
        .filter(|e| e["action"] == "delete")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("path"), s("rule"))
        })
        .collect()
}

#[test]
fn a_docker_setup_guide_stays_unless_it_sits_among_reports() {
    let guide = "# Docker Setup Guide\n\n```bash\ndocker compose up -d\n```\n";
    let alone = Repo::new(&[("app.py", "print(1)\n"), ("DOCKER_SETUP.md", guide)]);
    assert_eq!(selected(&alone), Vec::<(String, String)>::new());
    let rows = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(p, r)| (p.to_string(), r.to_string()))
            .collect()
    };
    // A report of other work beside it says nothing of it (Mail-Agent's deployment report).
    let other = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("DOCKER_SETUP.md", guide),
        ("DEPLOYMENT_REPORT.md", "# Deployed\n"),
    ]);
    assert_eq!(
        selected(&other),
        rows(&[("DEPLOYMENT_REPORT.md", "root-status-reports")])
    );
    let among = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("DOCKER_SETUP.md", guide),
        ("DOCKER_READY.md", "# Docker is ready\n"),
    ]);
    assert_eq!(
        selected(&among),
        rows(&[
            ("DOCKER_READY.md", "root-status-reports"),
            ("DOCKER_SETUP.md", "root-docker-setup-report")
        ])
    );
}
