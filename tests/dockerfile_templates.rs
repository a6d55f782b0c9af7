//! A Dockerfile template a generator renders (`Dockerfile.tmpl` with Go's `{{ if }}`, balena's
//! `Dockerfile.template`, Ansible's `Dockerfile.j2`) is not a build: Docker only ever builds
//! what it renders. The audit said of Kaggle-style templates that "the build fails" (a `{{`
//! before `FROM`) and that their placeholder paths were missing (hackz-megalo-cup's
//! `COPY build/__SERVICE_NAME__`).

mod common;

use common::repo::Repo;

#[test]
fn a_dockerfile_template_is_no_build_and_gets_no_finding() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY app.py /\n"),
        ("app.py", "print(1)\n"),
        (
            "templates/go/Dockerfile.dev.tmpl",
            "{{ if .GPU }}\nARG CUDA=12\n{{ end }}\nFROM scratch\nCOPY build/__SERVICE_NAME__ /app\n",
        ),
        (
            "device/Dockerfile.template",
            "FROM balenalib/%%BALENA_MACHINE_NAME%%-node\nCOPY missing.js /\n",
        ),
        ("ansible/roles/app/templates/Dockerfile.j2", "FROM {{ base }}\nCOPY {{ src }} /\n"),
    ]);
    let a = r.audit();
    let builds: Vec<&str> = (a["builds"].as_array().unwrap().iter())
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(builds, ["Dockerfile"], "{a:#}");
    let text = a["findings"].to_string();
    for t in ["tmpl", "template", "j2", "__SERVICE_NAME__"] {
        assert!(!text.contains(t), "{t}: {text}");
    }
}
