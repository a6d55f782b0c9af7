//! A package manager's settings file committed with its token written as a variable is npm's
//! documented way to keep the token out: `//npm.pkg.github.com/:_authToken=${NPM_TOKEN}`,
//! which npm fills from the environment. proxmox-backup-client-manager commits that `.npmrc`
//! and copies it into five images; the audit called it "an npm token", committed and sent,
//! six errors for no secret. A token written out is still one, each way.

mod common;

use common::repo::Repo;

fn audit_with(npmrc: &str) -> Vec<(String, String)> {
    let r = Repo::new(&[
        ("package.json", "{\"name\":\"app\"}\n"),
        (".npmrc", npmrc),
        (
            "Dockerfile",
            "FROM node:20\nARG NPM_TOKEN\nCOPY package.json .npmrc ./\nRUN npm install\n",
        ),
    ]);
    (common::finding_rows(&r.audit()).into_iter())
        .filter(|(code, ..)| code.starts_with("secret-"))
        .map(|(code, path, _)| (code, path))
        .collect()
}

#[test]
fn an_npmrc_token_from_the_environment_is_no_secret_and_a_written_one_is() {
    let from_env = "@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=${NPM_TOKEN}\n";
    assert_eq!(audit_with(from_env), []);
    let written = "//registry.npmjs.org/:_authToken=npm_Abcdefghijklmnop1234\n";
    let found = audit_with(written);
    let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert!(codes.contains(&"secret-committed"), "{found:?}");
    assert!(codes.contains(&"secret-in-context"), "{found:?}");
    assert!(found.iter().all(|(_, p)| p == ".npmrc"), "{found:?}");
}
