//! A root script the project runs by its module name is the program, not a one-off: the
//! reference guard reads `module:app`, `python -m module`, `flask --app module` and
//! `FLASK_APP=module`, not only imports and file names.

mod common;

use common::repo::Repo;
use common::*;

/// A root script the project runs as a module or serves as an app is the program, not a
/// one-off: `gunicorn hello:app` in the Dockerfile, `flask --app hello run` in the README,
/// `python -m check_env` in a Makefile. One nothing runs still goes.
#[test]
fn a_root_module_run_by_its_name_is_the_program() {
    let r = Repo::new(&[
        (
            "hello.py",
            "from flask import Flask\napp = Flask(__name__)\n",
        ),
        ("debug_app.py", "print(1)\n"),
        ("check_env.py", "print(2)\n"),
        ("fix_dates.py", "print(3)\n"),
        (
            "Dockerfile",
            "FROM python\nCOPY . /app\nCMD [\"gunicorn\", \"hello:app\"]\n",
        ),
        (
            "README.md",
            "# App\n\n```sh\nflask --app debug_app run\n```\n",
        ),
        ("Makefile", "env:\n\tpython -m check_env\n"),
    ]);
    let plan = plan_json(&r.root, &[]);
    for (path, line) in [
        ("hello.py", ("Dockerfile", 3)),
        ("debug_app.py", ("README.md", 4)),
        ("check_env.py", ("Makefile", 2)),
    ] {
        let e = entry(&plan, path);
        assert_eq!(e["action"], "review", "{e}");
        assert_eq!(e["referenced_by"]["file"], line.0, "{e}");
        assert_eq!(e["referenced_by"]["line"], line.1, "{e}");
    }
    assert_eq!(entry(&plan, "fix_dates.py")["action"], "delete");
}
