//! MLflow's local tracking store: with no tracking URI set, MLflow writes every run to
//! `./mlruns` wherever the script runs (`mlruns/0/meta.yaml` is committed in 16,033+ public
//! repositories). Nothing else holds that record, and an app serving a model by `runs:/<id>`
//! reads it: reported for review, never deleted, kept out of git where it is not tracked, and
//! left in the build context. PyTorch Lightning's `lightning_logs/` is treated alike.

mod common;

use common::repo::Repo;

fn mlruns(r: &Repo) {
    r.write("mlruns/0/meta.yaml", "name: Default\n");
    r.write("mlruns/0/5f2a/metrics/acc", "1700000000 0.91 0\n");
    r.write("mlruns/0/5f2a/artifacts/model/model.pkl", "pickle");
}

#[test]
fn a_local_tracking_store_is_reviewed_and_stays() {
    let r = Repo::new(&[
        (
            "train.py",
            "import mlflow\nmlflow.log_metric('acc', 0.91)\n",
        ),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    mlruns(&r);
    let plan = common::plan_json(&r.root, &[]);
    let entries: Vec<(&str, &str, &str)> = (plan["entries"].as_array().unwrap().iter())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap();
            (s("path"), s("rule"), s("action"))
        })
        .collect();
    assert_eq!(entries, [("mlruns", "mlflow-local-runs", "review")]);

    r.run_ok(&["apply", "--yes"]);
    assert!(r.exists("mlruns/0/5f2a/artifacts/model/model.pkl"));
    r.run_ok(&["ignore", "--write"]);
    assert!(r.git_ignores("mlruns/0/meta.yaml"));
    let docker = r.read(".dockerignore").unwrap_or_default();
    assert!(!docker.contains("mlruns"), "{docker}");
}

/// A store the project commits (course work hands it in) is the project's choice: no
/// `.gitignore` line would untrack it, so none is written, and it is still reviewed.
#[test]
fn a_committed_store_gets_no_ignore_line() {
    let r = Repo::new(&[("train.py", "import mlflow\n")]);
    mlruns(&r);
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "runs"]);
    r.run_ok(&["ignore", "--write"]);
    let gitignore = r.read(".gitignore").unwrap_or_default();
    assert!(!gitignore.contains("mlruns"), "{gitignore}");
    let plan = common::plan_json(&r.root, &[]);
    assert_eq!(plan["entries"][0]["rule"], "mlflow-local-runs", "{plan:#}");
}

/// PyTorch Lightning's `lightning_logs/` (committed in 746+ public repositories) is the same
/// kind of record, checkpoints included: reviewed, kept, out of git, left in the image.
#[test]
fn lightning_runs_are_reviewed_and_stay() {
    let r = Repo::new(&[
        ("train.py", "import lightning as L\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    r.write("lightning_logs/version_0/hparams.yaml", "lr: 0.001\n");
    r.write(
        "lightning_logs/version_0/checkpoints/epoch=9.ckpt",
        "weights",
    );
    let plan = common::plan_json(&r.root, &[]);
    assert_eq!(plan["entries"][0]["rule"], "lightning-logs", "{plan:#}");
    assert_eq!(plan["entries"][0]["action"], "review", "{plan:#}");
    r.run_ok(&["apply", "--yes"]);
    assert!(r.exists("lightning_logs/version_0/checkpoints/epoch=9.ckpt"));
    r.run_ok(&["ignore", "--write"]);
    assert!(r.git_ignores("lightning_logs/version_0/hparams.yaml"));
    let docker = r.read(".dockerignore").unwrap_or_default();
    assert!(!docker.contains("lightning_logs"), "{docker}");
}
