//! What a database server's quickstart leaves in the project's folder: Qdrant's
//! `qdrant_storage/` (`docker run -v "$(pwd)/qdrant_storage:/qdrant/storage" qdrant/qdrant`,
//! committed in 1,287+ public repositories) and the `volumes/` Milvus' standalone compose file
//! mounts (290+). Live data: never selected, kept out of git and of every build context, unless
//! a Dockerfile copies it on purpose.

mod common;

use common::repo::Repo;

fn lines(r: &Repo, file: &str) -> Vec<String> {
    let text = r.read(file).unwrap_or_default();
    text.lines().map(str::to_string).collect()
}

fn qdrant_storage(r: &Repo, at: &str) {
    r.write(&format!("{at}/raft_state.json"), "{\"state\":{}}\n");
    r.write(
        &format!("{at}/collections/docs/0/segments/a.dat"),
        "vectors",
    );
    r.write(&format!("{at}/aliases/data.json"), "{}\n");
}

#[test]
fn a_servers_storage_stays_on_disk_and_out_of_git_and_the_image() {
    let r = Repo::new(&[
        ("app/main.py", "print('ok')\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "docker-compose.yml",
            "services:\n  qdrant:\n    image: qdrant/qdrant\n    volumes:\n      - ./qdrant_storage:/qdrant/storage\n",
        ),
    ]);
    // Written by the server after the clone, as it is: untracked.
    qdrant_storage(&r, "qdrant_storage");
    r.write("volumes/etcd/member/snap/db", "etcd");
    r.write("volumes/milvus/rdb_data/000001.log", "milvus");

    let plan = common::plan_json(&r.root, &[]);
    let selected: Vec<&str> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(
        !selected
            .iter()
            .any(|p| p.contains("qdrant") || p.starts_with("volumes")),
        "{selected:?}"
    );

    r.run_ok(&["apply", "--yes"]);
    assert!(r.exists("qdrant_storage/collections/docs/0/segments/a.dat"));
    assert!(r.exists("volumes/etcd/member/snap/db") && r.exists("volumes/milvus/rdb_data"));
    r.run_ok(&["ignore", "--write"]);
    assert!(r.git_ignores("qdrant_storage/raft_state.json"));
    assert!(r.git_ignores("volumes/etcd/member/snap/db"));
    let docker = lines(&r, ".dockerignore");
    for l in ["**/qdrant_storage", "**/volumes/etcd", "**/volumes/milvus"] {
        assert!(docker.iter().any(|d| d == l), "{l} missing: {docker:?}");
    }
    // The compose file mounts it as the server's data, which the rule's line covers: no
    // second line for it.
    assert!(!docker.iter().any(|d| d == "/qdrant_storage"), "{docker:?}");
}

/// A Qdrant image built with its collections baked in copies the storage on purpose: the
/// `.dockerignore` must not take it out of that build.
#[test]
fn a_dockerfile_that_copies_the_storage_keeps_it_in_its_context() {
    let r = Repo::new(&[
        (
            "Dockerfile",
            "FROM qdrant/qdrant\nCOPY qdrant_storage /qdrant/storage\n",
        ),
        ("README.md", "# a Qdrant with our collections\n"),
    ]);
    qdrant_storage(&r, "qdrant_storage");
    r.run_ok(&["ignore", "--write"]);
    let docker = lines(&r, ".dockerignore");
    assert!(!docker.iter().any(|d| d.contains("qdrant")), "{docker:?}");
    assert!(r.git_ignores("qdrant_storage/raft_state.json"));
}

/// Committed (as in those 1,287 repositories), the storage is one `tracked-data` finding per
/// folder, whose fix works: untracked, `ignore --write` keeps it out of git. Not where a
/// Dockerfile copies it (seed data an image is built with), nor where `.gitignore` already
/// ignores part of it (`tracked-ignored` says that); Gradio's legacy `flagged/` is data only
/// at the root with its `log.csv`.
#[test]
fn committed_storage_is_one_finding_whose_fix_works() {
    let r = Repo::new(&[("app/main.py", "print('ok')\n")]);
    qdrant_storage(&r, "qdrant_storage");
    r.write("volumes/etcd/member/snap/db", "etcd");
    r.write("flagged/log.csv", "text,flag\n");
    r.write("src/flagged/notes.txt", "not gradio's\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "data"]);
    let a = r.audit();
    let found: Vec<(&str, &str)> = common::findings(&a, "tracked-data")
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["fix"].as_str().unwrap()))
        .collect();
    let fix = |p: &str| {
        format!("`git rm -r --cached {p}` (it stays on disk), then `mami-clean ignore --write`, which keeps it out of git from there on")
    };
    assert_eq!(
        found,
        [
            ("flagged/", fix("flagged").as_str()),
            ("qdrant_storage/", fix("qdrant_storage").as_str()),
            ("volumes/etcd/", fix("volumes/etcd").as_str()),
        ],
        "{a:#}"
    );
    let msg = common::findings(&a, "tracked-data")[1]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.starts_with("`qdrant_storage/` (3 files, "), "{msg}");

    r.git(&["rm", "-rq", "--cached", "qdrant_storage"]);
    r.run_ok(&["ignore", "--write"]);
    assert!(r.git_ignores("qdrant_storage/raft_state.json"));
    r.git(&["commit", "-qam", "untrack"]);
    let a = r.audit();
    let left: Vec<&str> = common::findings(&a, "tracked-data")
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["flagged/", "volumes/etcd/"], "{a:#}");

    // Baked into an image, it must be in git; ignored in part, another finding says so.
    r.write("Dockerfile", "FROM scratch\nCOPY volumes/etcd /seed/etcd\n");
    r.write(".gitignore", "flagged/log.csv\n");
    let a = r.audit();
    assert!(common::findings(&a, "tracked-data").is_empty(), "{a:#}");
    assert!(!common::findings(&a, "tracked-ignored").is_empty(), "{a:#}");
}
