//! Weights & Biases' local runs (`wandb/run-*`, beside the training script) are litter in a
//! repository and an image: the plan takes each run whole, logs and all (they are the run's
//! record, not an app's active log), backed up when git does not hold it (an offline run lives
//! only there until `wandb sync`), and `ignore --write` keeps the next runs out of git and the
//! image. A folder of the project's own code named `wandb` stays, whatever imports it, and no
//! ignore line catches it.

mod common;

use common::repo::Repo;
use common::*;

const RUN: &str = "wandb/run-20250315_151105-emwfkmjf";

fn project() -> Repo {
    let r = Repo::new(&[
        ("train.py", "import wandb\nwandb.init(project='vqvae')\n"),
        ("src/integrations/wandb/__init__.py", "import wandb\n"),
        ("src/integrations/wandb/callback.py", "def log(x): pass\n"),
        ("src/integrations/wandb/debug.log", "kept with the module\n"),
        (".gitignore", "*.pt\n"),
    ]);
    // A run as W&B writes it, after the commit: untracked.
    for (p, text) in [
        ("files/output.log", "epoch 1 loss 0.3\n"),
        ("files/config.yaml", "lr: 0.001\n"),
        ("logs/debug.log", "wandb: started\n"),
        ("run-emwfkmjf.wandb", "\u{1}record"),
    ] {
        r.write(&format!("{RUN}/{p}"), text);
    }
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(target, r.path(at)).unwrap();
    };
    link("run-20250315_151105-emwfkmjf", "wandb/latest-run");
    link(
        "run-20250315_151105-emwfkmjf/logs/debug.log",
        "wandb/debug.log",
    );
    r
}

#[test]
fn a_wandb_run_goes_whole_with_a_backup_and_stays_out_after() {
    let r = project();
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, RUN);
    assert_eq!(e["rule"], "wandb-run-logs", "{e:#}");
    assert_eq!(e["action"], "delete");
    assert_eq!(e["recovery"], "backup");
    for link in ["wandb/latest-run", "wandb/debug.log"] {
        assert_eq!(entry(&plan, link)["rule"], "wandb-run-logs", "{link}");
    }
    // The run's logs go with it: no protected `.log` splits its folder.
    let kept: Vec<_> = protections(&plan)
        .into_iter()
        .filter(|(p, _)| p.starts_with("wandb/"))
        .collect();
    assert!(kept.is_empty(), "{kept:?}");
    // The project's own `wandb` package is code, its `debug.log` too.
    let ours: Vec<&str> = paths_in_order(&plan)
        .into_iter()
        .filter(|p| p.starts_with("src/"))
        .collect();
    assert!(ours.is_empty(), "{ours:?}");

    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(r.git_ignores(&format!("{RUN}/run-emwfkmjf.wandb")));
    assert!(r.git_ignores("wandb/latest-run"));
    assert!(!r.git_ignores("src/integrations/wandb/callback.py"));
    assert!(!r.git_ignores("src/integrations/wandb/debug.log"));
}
