//! The tokens Google's API quickstarts save after the first sign-in, `token.json` and
//! `token.pickle`, committed at the root of thousands of public repositories (Canoil-Portal's
//! `backend/gmail_credentials/`, Drive mirror bots): a refresh token acts as the account that
//! signed in. Judged by what they hold: a design system's `tokens.json` or a Discord bot's
//! `{"token": …}` is no saved OAuth token.

mod common;

use common::repo::Repo;

const TOKEN: &str = r#"{"token": "ya29.a0AfB_byC", "refresh_token": "1//0gLq2mWvR7tYb1pLc9", "token_uri": "https://oauth2.googleapis.com/token", "client_id": "1.apps.googleusercontent.com", "client_secret": "GOCSPX-Zx81kQ2mWvR7", "scopes": ["https://www.googleapis.com/auth/gmail.readonly"]}"#;

/// google-auth's pickled Credentials: `_refresh_token`, MEMOIZE, a short string.
const PICKLED: &[u8] = b"\x80\x04\x95\x40\x00\x00\x00\x00\x00\x00\x00\x8c\x19google.oauth2.credentials\x94\x8c\x0bCredentials\x94\x93\x94)\x81\x94}\x94(\x8c\x0e_refresh_token\x94\x8c\x0b1//0gLq2mWv\x94ub.";

#[test]
fn a_saved_oauth_token_is_a_committed_secret_and_look_alikes_are_not() {
    let r = Repo::new(&[
        ("token.json", TOKEN),
        ("notes/vercel_token.txt", TOKEN),
        (
            "design/tokens.json",
            r##"{"color": {"primary": {"value": "#0af"}}}"##,
        ),
        ("bot/token.json", r#"{"token": "not-an-oauth-token"}"#),
        (
            "setup/token.json",
            r#"{"refresh_token": "YOUR_REFRESH_TOKEN", "client_id": ""}"#,
        ),
    ]);
    std::fs::create_dir_all(r.path("drive")).unwrap();
    std::fs::write(r.path("drive/token.pickle"), PICKLED).unwrap();
    std::fs::write(r.path("drive/old_token.pickle"), b"\x80\x04N.").unwrap();
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "tokens"]);
    let a = r.audit();
    let committed = |p: &str| ("secret-committed".to_string(), p.to_string());
    assert_eq!(
        common::code_paths(&a),
        [
            committed("drive/token.pickle"),
            committed("notes/vercel_token.txt"),
            committed("token.json"),
        ],
        "{a:#}"
    );
    let fix = a["findings"][0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("remove the app's access from the account that signed in"),
        "{fix}"
    );
}

/// Sent to two contexts (the root's and `api/`'s) and read by the program by its path: the
/// reason for the fix is said once, with each context's line in it.
#[test]
fn one_token_sent_to_two_contexts_is_one_fix() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("api/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "api/mail.py",
            "path = os.path.join(BASE, \"creds\", \"token.json\")\n",
        ),
        ("api/creds/token.json", TOKEN),
    ]);
    let a = r.audit();
    let sent: Vec<&serde_json::Value> = (a["findings"].as_array().unwrap().iter())
        .filter(|f| f["code"] == "secret-in-context")
        .collect();
    assert_eq!(sent.len(), 1, "{a:#}");
    let fix = sent[0]["fix"].as_str().unwrap();
    assert_eq!(fix.matches("names it").count(), 1, "{fix}");
    assert!(
        fix.starts_with("api/mail.py:1 names it")
            && fix.contains(
                "add `api/creds/token.json` to .dockerignore and `creds/token.json` to api/.dockerignore;"
            ),
        "{fix}"
    );
}
