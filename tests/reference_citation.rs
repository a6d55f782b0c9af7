//! Which line a kept path's reason cites: of the files that name it, the one that builds or
//! runs the project, and in it the line that names the path most clearly (an import, then a
//! relative path, then any mention, a comment last).

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn the_first_referring_file_in_index_order_is_named_however_many_refer() {
    // More files than one batch of the parallel search, each naming the launcher: the one git
    // lists first is named, as a reading one file after another would name it.
    let mut files: Vec<(String, String)> = (0..150)
        .map(|i| (format!("tools/t{i:03}.sh"), format!("# t{i}\n./run.bat\n")))
        .collect();
    files.push(("run.bat".into(), "@echo off\n".into()));
    files.push(("app.py".into(), "print(1)\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let r = Repo::new(&refs);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "run.bat");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "tools/t000.sh", "{e}");
    assert_eq!(e["referenced_by"]["line"], 2, "{e}");
}

/// Of the files that name a path, the one that builds or runs the project is cited, and in
/// it the line that names the path as one (docker-compose-training: `backup/` is a service's
/// build context; `api/index.js`, first in index order, only names a queue `backup:`).
#[test]
fn the_strongest_reference_is_cited() {
    let r = Repo::new(&[
        (
            "api/index.js",
            "const queues = {\n  backup: 'backup_product',\n};\n",
        ),
        ("api/Dockerfile", "FROM node:20\nCOPY . .\n"),
        ("backup/Dockerfile", "FROM node:20\nCOPY . .\n"),
        ("backup/index.js", "console.log('saving');\n"),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build: ./api\n  backup:\n    build: ./backup\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backup");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "docker-compose.yml", "{e}");
    assert_eq!(e["referenced_by"]["line"], 5, "{e}");
    assert_eq!(e["referenced_by"]["excerpt"], "build: ./backup", "{e}");
}

/// Of two build files, the one naming the folder as a path is cited: multi-service-docker-app's
/// Makefile lists `backup` among its `.PHONY` targets and comes first in index order; its
/// `docker-compose.prod.yml` (read with `-f`) builds `context: ./backup`.
#[test]
fn a_build_context_is_cited_before_a_make_target() {
    let r = Repo::new(&[
        (
            "Makefile",
            ".PHONY: up backup\nbackup:\n\tdocker compose run backup\n",
        ),
        // (A `backup.sh` inside would make it a backup tool, which no rule selects.)
        ("backup/Dockerfile", "FROM alpine\nCOPY dump.sh /\n"),
        ("backup/dump.sh", "pg_dump db > /backups/db.sql\n"),
        (
            "docker-compose.prod.yml",
            "services:\n  backup:\n    build:\n      context: ./backup\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "backup");
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "docker-compose.prod.yml", "{e}");
    assert_eq!(e["referenced_by"]["excerpt"], "context: ./backup", "{e}");
}

/// Among code that names a folder, a line that imports or packages it is cited: sysadmin-backup2's
/// `backup/` is the package `core/app.py` imports, not the `/var/log/backup.log` a sample
/// config's comment names first in index order; adeverteuil/backup's `setup.py` packages it,
/// and its later commented-out `config/backup` path does not take the packaging line's place.
#[test]
fn an_import_of_a_folder_is_cited_before_a_mention() {
    let r = Repo::new(&[
        ("backup/__init__.py", "from .tar import Tar\n"),
        ("backup/tar.py", "class Tar: pass\n"),
        (
            "conf/sample.conf.yml",
            "log:\n  # filename: /var/log/backup.log\n",
        ),
        ("core/app.py", "import argparse\nfrom backup import Tar\n"),
    ]);
    let e = entry(&plan_json(&r.root, &[]), "backup").clone();
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "core/app.py", "{e}");
    assert_eq!(e["referenced_by"]["line"], 2, "{e}");

    let r = Repo::new(&[
        ("backup/__init__.py", "x = 1\n"),
        ("features/environment.py", "context.args = [\"backup\"]\n"),
        (
            "setup.py",
            "setup(\n    name='backup',\n    packages=['backup'],\n    #    ('/etc', ['config/backup']),\n)\n",
        ),
    ]);
    let e = entry(&plan_json(&r.root, &[]), "backup").clone();
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["file"], "setup.py", "{e}");
    assert_eq!(e["referenced_by"]["excerpt"], "packages=['backup'],", "{e}");
}

/// A comment names what the lines below it do: giantswarm's flux-migration-tools has
/// `# backup` above `cd backup/` and `go run .` in its `01_cleanup.sh`; the line that goes
/// into the folder is cited. A comment alone still keeps the folder.
#[test]
fn a_comment_is_cited_only_where_nothing_else_names_the_path() {
    let r = Repo::new(&[
        ("backup/main.go", "package main\n"),
        ("tools/main.go", "package main\n"),
        (
            "01_cleanup.sh",
            "#!/bin/sh\n# backup\ncd backup/\ngo run .\n",
        ),
    ]);
    let e = entry(&plan_json(&r.root, &[]), "backup").clone();
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["excerpt"], "cd backup/", "{e}");
    assert_eq!(e["referenced_by"]["line"], 3, "{e}");

    let r = Repo::new(&[
        ("backup/main.go", "package main\n"),
        ("tools/main.go", "package main\n"),
        ("01_cleanup.sh", "#!/bin/sh\n# backup\ngo run ./tools\n"),
    ]);
    let e = entry(&plan_json(&r.root, &[]), "backup").clone();
    assert_eq!(e["action"], "review", "{e}");
    assert_eq!(e["referenced_by"]["excerpt"], "# backup", "{e}");
}
