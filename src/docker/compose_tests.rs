//! Tests of [`super`]: the forms of a compose build and its paths, Dockerfile names, the root
//! contexts a walk enters.

use super::*;

#[test]
fn compose_build_forms_and_relative_paths() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    std::fs::create_dir_all(root.join("deploy")).unwrap();
    std::fs::write(
        root.join("deploy/compose.yaml"),
        "services:\n  api:\n    build: ..\n  ui:\n    build:\n      context: ../ui\n      dockerfile: docker/prod.Dockerfile\n  abs:\n    build:\n      context: .\n      dockerfile: /srv/Dockerfile\n  remote:\n    build: https://github.com/x/y.git\n  db:\n    image: postgres\n",
    )
    .unwrap();
    let env = Env::default();
    let build = |f: &str| super::super::project::project_builds(root, &[root.join(f)], &env);
    let b = build("deploy/compose.yaml").unwrap();
    let got: Vec<(String, PathBuf, PathBuf)> = b
        .into_iter()
        .map(|b| (b.name, b.context, b.dockerfile))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "deploy/compose.yaml: service abs".into(),
                root.join("deploy"),
                PathBuf::from("/srv/Dockerfile")
            ),
            (
                "deploy/compose.yaml: service api".into(),
                root.to_path_buf(),
                root.join("Dockerfile")
            ),
            (
                "deploy/compose.yaml: service ui".into(),
                root.join("ui"),
                root.join("ui/docker/prod.Dockerfile")
            ),
        ]
    );
    std::fs::write(root.join("compose.yml"), "services: [unclosed\n").unwrap();
    let e = build("compose.yml").unwrap_err().to_string();
    assert!(e.contains("compose.yml:"), "{e}");
}

#[test]
fn dockerfile_names() {
    for n in [
        "Dockerfile",
        "Dockerfile.prod",
        "app.Dockerfile",
        "worker.dockerfile",
        "Dockerfile.oldstable",
        "Dockerfile.gold",
    ] {
        assert!(is_dockerfile(n), "{n}");
    }
    for n in [
        "Dockerfile.dockerignore",
        "app.Dockerfile.dockerignore",
        "dockerfile.md",
        "README",
        "Dockerfile.old",
        "Dockerfile.bak",
        "Dockerfile~",
        "Dockerfile.bak_20240501",
        "Dockerfile.backup2",
        "Dockerfile.bak2",
        "Dockerfile.backup_20240501",
        "Dockerfile.ecs-old",
        "Dockerfile.prod_old",
        "Dockerfile.dev-bak",
    ] {
        assert!(!is_dockerfile(n), "{n}");
    }
}

#[test]
fn root_contexts_enter_what_some_build_does_not_exclude() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let write = |p: &str, text: &str| crate::test_files::write(root, p, text);
    write("Dockerfile", "FROM scratch\n");
    write(".dockerignore", "node_modules\n.venv\nweb\n");
    write("compose.yaml", "services:\n  web:\n    build: web\n");
    write("web/Dockerfile", "FROM scratch\n");
    write("web/.dockerignore", "**/node_modules\n!node_modules/keep\n");
    let c = RootContexts::read(root);
    let enters = |p: &str| c.enter(&crate::relpath::RelPath::from_bytes(p));
    // `node_modules` on a line of its own is the root's only.
    assert!(!enters("node_modules"));
    assert!(!enters(".venv"));
    assert!(enters("ui/node_modules"));
    // An exception reaching inside makes Docker enter an excluded directory.
    assert!(enters("web/node_modules"));
    assert!(!enters("web/lib/node_modules"));
    // One too large to read twice is not read here: every tree is listed, as without one.
    let big = format!("node_modules\n{}", "# padding\n".repeat(7000));
    write(".dockerignore", &big);
    let c = RootContexts::read(root);
    assert!(c.enter(&crate::relpath::RelPath::from_bytes("node_modules")));
    // Without an ignore file a context takes in everything.
    std::fs::remove_file(root.join(".dockerignore")).unwrap();
    assert!(RootContexts::read(root).enter(&crate::relpath::RelPath::from_bytes("node_modules")));
}
