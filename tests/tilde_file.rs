//! A file named `~` is what `cp Dockerfile "~"` leaves (deckchatbot commits a Dockerfile's copy
//! as `apps/ai-service/~`): a backup copy the plan deletes. A document that names the home
//! directory (`~/.poetry_cache`) does not refer to it; one that names its path does.

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn a_file_named_tilde_is_not_kept_by_mentions_of_the_home_directory() {
    let r = Repo::new(&[
        ("apps/ai-service/~", "FROM python:3.11-slim\n"),
        ("apps/ai-service/main.py", "print(1)\n"),
        (
            "README.md",
            "Poetry caches in `~/.poetry_cache`; run `cd ~` first.\n",
        ),
    ]);
    let plan = plan_json(&r.root, &[]);
    let e = entry(&plan, "apps/ai-service/~");
    assert_eq!(e["action"], "delete", "{e}");
    r.write("NOTES.md", "The old one is in `apps/ai-service/~`.\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "notes"]);
    let plan = plan_json(&r.root, &[]);
    assert_eq!(entry(&plan, "apps/ai-service/~")["action"], "review");
}
