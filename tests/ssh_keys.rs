//! SSH keys under names of their own (`keys/backup_rsa` for a backup job's logins,
//! `deploy_key`, sshd's `ssh_host_ed25519_key`) are judged by what they hold, as `id_rsa` is
//! by its name: a private key sent to a build or committed is a secret, and a key git ignores
//! is kept out of git on purpose, never build output to commit (DamianArias353's
//! docker-backup-lab COPYs `keys/backup_rsa` into its backup image).

mod common;

use common::repo::Repo;
use common::*;

const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";

fn codes(a: &serde_json::Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = (a["findings"].as_array().unwrap().iter())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("code"), s("path"))
        })
        .collect();
    v.sort();
    v
}

/// The message and fix of the one copy-source-missing finding of `r`'s audit.
fn the_missing_source(r: &Repo) -> (String, String) {
    let a = r.audit();
    let f = findings(&a, "copy-source-missing");
    assert_eq!(f.len(), 1, "{a:#}");
    let s = |k: &str| f[0][k].as_str().unwrap().to_string();
    (s("message"), s("fix"))
}

#[test]
fn a_private_key_under_its_own_name_copied_in_is_a_secret_not_a_file_to_commit() {
    let r = Repo::new(&[
        (
            "Dockerfile",
            "FROM scratch\nCOPY keys/backup_rsa /root/.ssh/id_rsa\n",
        ),
        (".gitignore", "keys/\n"),
        (".dockerignore", ".git\n"),
    ]);
    r.write("keys/backup_rsa", KEY);
    let a = r.audit();
    assert_eq!(
        codes(&a),
        vec![(
            "secret-in-context".to_string(),
            "keys/backup_rsa".to_string()
        )],
        "{a:#}"
    );
    let f = &findings(&a, "secret-in-context")[0];
    assert_eq!(f["severity"], "error", "{f}");
    assert!(f["fix"].as_str().unwrap().contains("secrets:"), "{f}");
}

#[test]
fn a_committed_deploy_key_is_a_secret_and_a_key_named_file_without_one_is_not() {
    let r = Repo::new(&[
        ("app.py", "print(1)\n"),
        ("deploy_key", KEY),
        ("cache_key", "v3\n"),
    ]);
    let a = r.audit();
    let committed: Vec<&str> = (findings(&a, "secret-committed").iter())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(committed, vec!["deploy_key"], "{a:#}");
}

#[test]
fn a_missing_key_git_ignores_is_a_key_kept_out_of_git() {
    let r = Repo::new(&[
        (
            "docker-compose.yml",
            "services:\n  backup:\n    build: ./backup\n",
        ),
        (
            "backup/Dockerfile",
            "FROM scratch\nCOPY keys/backup_rsa /root/.ssh/id_rsa\n",
        ),
        ("backup/.gitignore", "keys/\n"),
    ]);
    let (message, fix) = the_missing_source(&r);
    assert!(
        message.ends_with("a key kept out of git, which a fresh clone (CI) lacks"),
        "{message}"
    );
    assert!(
        !message.contains("build output") && fix.contains("when it runs"),
        "{fix}"
    );
}

/// A missing `.env` made from the template beside it is no key: its fix stays the `cp`.
#[test]
fn a_missing_env_file_is_not_called_a_key() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY .env /app/.env\n"),
        (".gitignore", ".env\n"),
        (".env.example", "API_KEY=\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "copy-source-missing");
    assert_eq!(f.len(), 1, "{a:#}");
    assert!(
        !f[0]["message"].as_str().unwrap().contains("a key"),
        "{}",
        f[0]
    );
    assert!(
        f[0]["fix"]
            .as_str()
            .unwrap()
            .contains("cp .env.example .env"),
        "{}",
        f[0]
    );
}

/// Compassion-ly's Dockerfile copies `.env` and Firebase's `serviceAccountKey.json`, which git
/// ignores and no template makes: secrets kept out of git, not build output a step makes.
#[test]
fn missing_secrets_git_ignores_are_secrets_kept_out_of_git() {
    let r = Repo::new(&[
        (
            "Dockerfile",
            "FROM scratch\nCOPY .env .env\nCOPY serviceAccountKey.json /app/\n",
        ),
        (".gitignore", ".env\nserviceAccountKey.json\n"),
    ]);
    let (message, fix) = the_missing_source(&r);
    assert!(
        message.ends_with("secrets kept out of git, which a fresh clone (CI) lacks"),
        "{message}"
    );
    assert!(
        fix.contains("`env_file:`") && fix.contains("instead of copying them"),
        "{fix}"
    );
}
