//! This checkout's own data in a build context: Django's `db.sqlite3`, which git does not
//! track, sent to a build whose `COPY . .` puts it in the image with the users and sessions it
//! holds. The audit says so once per build (`local-data-in-context`), and `ignore --write`
//! writes a `.dockerignore` line with its path; a committed database (a seed the app ships)
//! is the project's own, and neither is said nor excluded of it. A COPY that names the file
//! ships it on purpose.

mod common;

use common::repo::Repo;
use common::*;

fn local(r: &Repo) -> Vec<serde_json::Value> {
    findings(&r.audit(), "local-data-in-context")
        .into_iter()
        .cloned()
        .collect()
}

#[test]
fn an_untracked_database_sent_to_a_build_is_said_and_kept_out_by_its_path() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".gitignore", "db.sqlite3\n"),
        ("manage.py", "print(1)\n"),
        ("data/seed.db", "SQLite format 3\0seed"),
    ]);
    r.write("db.sqlite3", &"SQLite format 3\0".repeat(100));
    r.write("db.sqlite3-journal", "j");
    let f = local(&r);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["severity"], "warning");
    assert_eq!(f[0]["path"], "db.sqlite3");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.starts_with("`db.sqlite3`, `db.sqlite3-journal` (1.60 kB in all), data this checkout wrote that git does not track"), "{msg}");
    assert!(!msg.contains("seed.db"), "{msg}");
    assert_eq!(
        f[0]["fix"],
        "add `/db.sqlite3`, `/db.sqlite3-journal` to .dockerignore (`mami-clean ignore --write` does), and give the container its data when it runs (a volume)"
    );
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(r.root.join(".dockerignore")).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert!(
        lines.contains(&"/db.sqlite3") && lines.contains(&"/db.sqlite3-journal"),
        "{written}"
    );
    assert!(!written.contains("seed"), "{written}");
    assert!(local(&r).is_empty());
    let o = r.run(&["context", ".", "--list"]);
    let listed = stdout(&o);
    assert!(
        listed.contains("data/seed.db") && !listed.contains("db.sqlite3"),
        "{listed}"
    );
}

#[test]
fn a_database_a_copy_names_is_shipped_on_purpose() {
    let r = Repo::new(&[
        (
            "Dockerfile",
            "FROM scratch\nCOPY demo.db /app/\nCOPY app.py /app/\n",
        ),
        (".gitignore", "*.db\n"),
        ("app.py", "print(1)\n"),
    ]);
    r.write("demo.db", "SQLite format 3\0");
    assert!(local(&r).is_empty());
    let o = r.run(&["ignore"]);
    let out = stdout(&o);
    assert!(
        out.contains("not adding /demo.db (a Dockerfile COPYs what it would exclude)"),
        "{out}"
    );
    assert!(!out.contains("+ /demo.db"), "{out}");
}

/// Django's MEDIA_ROOT beside `manage.py`: what users uploaded, git-ignored, sent whole with
/// `COPY . .`. A committed `media/` (the project's own images) is not said, nor excluded.
#[test]
fn a_django_projects_uploaded_media_is_local_data_unless_committed() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".gitignore", "/media/\n"),
        ("manage.py", "print(1)\n"),
        ("shop/manage.py", "print(2)\n"),
        ("shop/media/logo.png", "png"),
    ]);
    r.write("media/avatars/1.png", &"x".repeat(2000));
    r.write("media/avatars/2.png", &"x".repeat(1000));
    let f = local(&r);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["path"], "media");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("`media/` (2 files, 3 kB), data this checkout wrote"),
        "{msg}"
    );
    let o = r.run(&["ignore"]);
    let out = stdout(&o);
    assert!(
        out.contains("+ /media\n") && !out.contains("shop/media"),
        "{out}"
    );
    // A `media/` a config keeps where no `manage.py` is beside it is no Django project's.
    r.write("mami-clean.toml", "keep = [\"web/media\"]\n");
    r.write("web/media/banner.png", "png");
    r.git(&["add", "mami-clean.toml"]);
    r.git(&["commit", "-qm", "config"]);
    let o = r.run(&["trust"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let f = local(&r);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["path"], "media", "{f:#?}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.starts_with("`media/` (2 files,"), "{msg}");
}
