//! What a Gradio app leaves where it starts: since Gradio 5 a `.gradio/` of cached examples and
//! the certificate `share=True` downloads, which teams ignore as temporary files, and beside
//! them what users flagged in the app (`.gradio/flagged/dataset1.csv`, committed in 2,681+
//! public repositories): data the app collected, which stays; so does the root `flagged/` of
//! older Gradio.

mod common;

use common::repo::Repo;

const FLAGGED: &str = ".gradio/flagged/dataset1.csv";

fn gradio_folder(r: &Repo) {
    r.write(
        FLAGGED,
        "prompt,output,flag,username,timestamp\nhi,hello,,,2025-01-02\n",
    );
    r.write(".gradio/flagged/image/0a1b.png", "png");
    r.write(".gradio/certificate.pem", "-----BEGIN CERTIFICATE-----\n");
    r.write(".gradio/cached_examples/12/log.csv", "output\n");
}

#[test]
fn the_cache_goes_and_what_users_flagged_stays() {
    let r = Repo::new(&[
        ("app.py", "import gradio as gr\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    gradio_folder(&r);
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "gradio"]);

    let plan = common::plan_json(&r.root, &[]);
    let selected = common::entry_rules(&plan);
    assert_eq!(
        selected,
        [
            (".gradio/cached_examples", "gradio-local-files"),
            (".gradio/certificate.pem", "gradio-local-files"),
        ]
    );
    let kept: Vec<&str> = (plan["protected"].as_array().unwrap().iter())
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(kept, [".gradio/flagged"]);

    r.run_ok(&["apply", "--yes"]);
    assert!(!r.exists(".gradio/cached_examples") && !r.exists(".gradio/certificate.pem"));
    assert!(r.exists(FLAGGED) && r.exists(".gradio/flagged/image/0a1b.png"));
}

#[test]
fn an_untracked_gradio_folder_stays_out_of_git_and_the_image() {
    let r = Repo::new(&[
        ("app.py", "import gradio as gr\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    gradio_folder(&r);
    r.run_ok(&["ignore", "--write"]);
    assert!(r.git_ignores(FLAGGED) && r.git_ignores(".gradio/certificate.pem"));
    let docker = r.read(".dockerignore").unwrap_or_default();
    assert!(docker.lines().any(|l| l == "**/.gradio"), "{docker}");
    // Nor a line for what the plan deletes inside it, which `**/.gradio` keeps out already
    // (under Docker 20.10's walk too, which never enters `.gradio`).
    assert!(!docker.contains(".gradio/"), "{docker}");
}

/// Before Gradio 5 the flagged rows went to `flagged/log.csv` where the app starts (committed
/// at the root of 2,208+ public repositories): kept, and out of git and the image by lines
/// that name the root's alone, since a `flagged/` folder elsewhere is anybody's.
#[test]
fn the_root_flagged_folder_of_older_gradio_stays_and_only_it_is_ignored() {
    let r = Repo::new(&[
        ("app.py", "import gradio as gr\n"),
        ("src/flagged/log.csv", "id,reason\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    r.write("flagged/log.csv", "prompt,output,flag\nhi,hello,\n");
    r.run_ok(&["apply", "--yes"]);
    assert!(r.exists("flagged/log.csv"));
    r.run_ok(&["ignore", "--write"]);
    assert!(r.git_ignores("flagged/log.csv"));
    assert!(!r.git_ignores("src/flagged/log.csv"));
    let docker = r.read(".dockerignore").unwrap_or_default();
    assert!(docker.lines().any(|l| l == "/flagged"), "{docker}");
}
