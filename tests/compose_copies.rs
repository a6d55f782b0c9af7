//! A compose file copied byte for byte to be shipped elsewhere (onyx embeds its
//! `deployment/docker_compose/*.yml` in its CLI, which writes them out where their
//! `../../backend` is the project's `backend/`) builds nothing where the copy lies: its
//! builds are the original's. A compose file of its own whose context is missing is still an
//! error.

mod common;

use common::repo::Repo;

const COMPOSE: &str = "services:\n  api:\n    build:\n      context: ../../backend\n";

#[test]
fn a_copy_of_a_compose_file_kept_for_shipping_builds_nothing_where_it_lies() {
    let r = Repo::new(&[
        ("backend/Dockerfile", "FROM scratch\nCOPY app.py /app/\n"),
        ("backend/app.py", "print('hi')\n"),
        ("deployment/docker_compose/docker-compose.yml", COMPOSE),
        ("cli/embedded/docker_compose/docker-compose.yml", COMPOSE),
    ]);
    let a = r.audit();
    assert_eq!(common::code_paths(&a), [], "{a:#}");
    assert_eq!(
        common::build_names(&a),
        ["deployment/docker_compose/docker-compose.yml: service api"]
    );

    // Changed, it is a project of its own, and its missing context an error.
    r.write(
        "cli/embedded/docker_compose/docker-compose.yml",
        &COMPOSE.replace("api:", "web:"),
    );
    let a = r.audit();
    assert_eq!(
        common::code_paths(&a),
        [("missing-build-input".to_string(), "cli/backend".to_string())],
        "{a:#}"
    );
}
