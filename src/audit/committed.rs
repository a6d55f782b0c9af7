//! Credentials committed to git (`secret-committed`): a `.env` with an API key, a private key,
//! a token file. Whoever has the repository has them, in every clone and in history, whether or
//! not a build sends them (Motion-Detecting-LLM-Assistant commits a `.env` holding its
//! `OPENAI_API_KEY`, which `.gitignore` names too late to keep out). Judged as the build
//! contexts' secrets are ([`secrets::judge_at`]): templates and settings-only files are none.
//! A key in a test's fixtures is a throwaway one, and so are the values of an environment
//! file named for a test run (outline's `.env.test`, its `SECRET_KEY` the same in every
//! clone); a file inside committed junk (a venv's, `node_modules`') is that junk's finding.

use super::local_cert::dev_key;
use super::secret_sent::{example_dir, fixture_dir, for_localhost, for_tests};
use super::{finding, secrets, Finding};
use crate::git::GitInfo;
use crate::relpath::{Holder, RelPath};

/// The tracked files that hold a credential, as findings added to `out`; their paths are
/// returned, so no other finding says the same file again.
pub(super) fn findings<'g>(
    git: &'g GitInfo,
    junk: &mut Holder<'g>,
    out: &mut Vec<Finding>,
) -> Vec<&'g [u8]> {
    let mut found = Vec::new();
    for p in git.tracked_files() {
        let rel = RelPath::from_bytes(p);
        let name = String::from_utf8_lossy(rel.file_name());
        let Some(secret) = secrets::judge_at(&name, || rel.under(&git.workdir)) else {
            continue;
        };
        // Deleted and not yet committed: there is nothing to read (a name alone would be
        // judged a key that could not be inspected).
        if !git.in_work_tree(p) {
            continue;
        }
        // A default the project publishes on purpose (`SECRET_KEY=changethis` in a
        // template's `.env`) is no leak: only what looks issued is said.
        // Nor is a development certificate's key for `localhost` (mkcert's).
        let name = rel.file_name();
        let throwaway = fixture_dir(p).is_some() || for_tests(name) || for_localhost(name);
        if !secret.issued || throwaway || junk.of(p).is_some() {
            continue;
        }
        // Nor is a key beside a certificate for `localhost` alone (axum's examples'), or a key
        // or key store an example keeps (documenso's `example/cert.p12`); asked last, as the
        // certificates are read.
        let demo_key = !secret.env
            && (example_dir(p).is_some() || dev_key(&rel.under(&git.workdir), name).is_some());
        if demo_key {
            continue;
        }
        let shown = rel.display();
        let arg = crate::shell::path_arg(&shown).into_owned();
        let ignore = match git.tracked_ignored().iter().any(|t| t == p) {
            true => "`.gitignore` already names it",
            false => "add it to `.gitignore`",
        };
        out.push(finding(
            "secret-committed",
            shown.clone(),
            format!(
                "`{shown}` ({}) is committed to git: every clone holds it, and so does the \
                 history",
                secret.what
            ),
            format!(
                "{}; then `git rm --cached {arg}` (the file stays on disk; {ignore}); old \
                 commits keep it until the history is rewritten",
                secret.revoke
            ),
        ));
        found.push(p);
    }
    found
}
