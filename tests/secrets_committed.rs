//! A credential committed to git is said once, as an error, wherever it sits: every clone has
//! it (Motion-Detecting-LLM-Assistant commits a `.env` holding its OpenAI key, which its
//! `.gitignore` names too late). A default a project publishes on purpose
//! (`SECRET_KEY=changethis`), a template, a typed password, and a key in a test's fixtures or
//! in an environment file named for a test run are not leaks.

mod common;

use common::repo::Repo;

/// Each finding's code and path.
fn findings(v: &serde_json::Value) -> Vec<(String, String)> {
    (common::finding_rows(v).into_iter())
        .map(|(code, path, _)| (code, path))
        .collect()
}

const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

#[test]
fn a_committed_credential_is_one_error_and_a_published_default_is_none() {
    let r = Repo::new(&[
        (".gitignore", ".env\n"),
        (".env", "OPENAI_API_KEY=sk-proj-Zx81kQ2mWvR7tYb1pLc9\n"),
        (
            "deploy/.env",
            "SECRET_KEY=changethis\nPOSTGRES_PASSWORD=changethis\n",
        ),
        (
            "api/.env.example",
            "OPENAI_API_KEY=sk-proj-Zx81kQ2mWvR7tYb1pLc9\n",
        ),
        ("keys/id_ed25519", KEY),
        ("tests/fixtures/id_ed25519", KEY),
        // A test run's settings (outline's `.env.test`): the same throwaway key in every clone.
        (
            ".env.test",
            "SECRET_KEY=F0E5AD933D7F6FD8F4DBB3E038C501C052DC0593C686D21ACB30AE205D2F634B
",
        ),
        // Words someone typed are no issued value (Mail-Agent's dev password).
        (
            "backend/.env.dev",
            "POSTGRES_PASSWORD=mailagent_dev_password_2024
",
        ),
        ("app.py", "print('hi')\n"),
    ]);
    // Committed before the ignore line (or past it): git tracks it all the same.
    r.git(&["add", "-f", ".env"]);
    r.git(&["commit", "-q", "-m", "add the settings"]);
    let mut f = findings(&r.audit());
    f.sort();
    assert_eq!(
        f,
        [
            ("secret-committed".to_string(), ".env".to_string()),
            (
                "secret-committed".to_string(),
                "keys/id_ed25519".to_string()
            ),
        ],
        "the .gitignore line that names `.env` too late is part of its finding, not another"
    );
    let v = r.audit();
    let env = (v["findings"].as_array().unwrap().iter())
        .find(|x| x["path"] == ".env")
        .unwrap();
    assert_eq!(env["severity"], "error");
    let fix = env["fix"].as_str().unwrap();
    assert!(fix.starts_with("revoke what it holds"), "{fix}");
    assert!(fix.contains("`git rm --cached .env`"), "{fix}");
    assert!(fix.contains("`.gitignore` already names it"), "{fix}");
}

/// After `apply` without `--commit`, what it deleted is still in the index: the next commit
/// settles it, so neither the key nor the ignore line that names it is reported.
#[test]
fn a_committed_file_deleted_and_not_yet_committed_is_not_reported() {
    let r = Repo::new(&[
        (".gitignore", ".env\nlogs/\n"),
        ("app.py", "print('hi')\n"),
        ("logs/app.log.1", "old\n"),
        (".env", "OPENAI_API_KEY=sk-proj-Zx81kQ2mWvR7tYb1pLc9\n"),
    ]);
    r.git(&["add", "-f", ".env", "logs/app.log.1"]);
    r.git(&["commit", "-q", "-m", "add them"]);
    assert_eq!(findings(&r.audit()).len(), 2, "{:#?}", findings(&r.audit()));
    std::fs::remove_file(r.path(".env")).unwrap();
    std::fs::remove_file(r.path("logs/app.log.1")).unwrap();
    assert_eq!(findings(&r.audit()), Vec::new());
}

/// An environment file named without its dot (`env.production`: committed in 2,448+ public
/// repositories; tixar-rt-backend's holds its `JWT_SECRET`) is an environment file: its issued
/// key is a committed secret, and one sent to a build is said too. Code named `env.*` and a
/// template are not.
#[test]
fn an_environment_file_named_without_its_dot_is_judged_as_one() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "env.production",
            "PORT=3000\nJWT_SECRET=6cb99c594a5931032817a477400fb49740b7410fee985befd8da2ee1debfc9ad\n",
        ),
        ("env.example", "JWT_SECRET=6cb99c594a5931032817a477400fb49740b7410fee985befd8da2ee1debfc9ad\n"),
        ("src/env.production.ts", "export const JWT = 'x'\n"),
    ]);
    let mut f: Vec<(String, String)> = (findings(&r.audit()).into_iter())
        .filter(|(c, _)| c.starts_with("secret"))
        .collect();
    f.sort();
    assert_eq!(
        f,
        [
            ("secret-committed".to_string(), "env.production".to_string()),
            (
                "secret-in-context".to_string(),
                "env.production".to_string()
            ),
        ]
    );
}

/// A saved browser session is a credential: a YouTube downloader's committed `cookies.txt`
/// (Cookie-Editor's export of `.youtube.com`, `__Secure-3PSID` among them: 0xabdo/yt2) signs
/// whoever clones it in as its owner. curl's jar of a local test server's session is not one.
#[test]
fn a_committed_cookie_jar_of_a_real_site_is_a_secret() {
    let head = "# Netscape HTTP Cookie File\n# http://curl.haxx.se/rfc/cookie_spec.html\n\n";
    let r = Repo::new(&[
        ("app.py", "import yt_dlp\n"),
        // twikit's map of X's cookies, its session among them.
        ("bot/cookies.json", "{\"guest_id\": \"v1%3A17534\", \"auth_token\": \"5f0c1e9a\"}\n"),
        (
            "cookies.txt",
            &format!("{head}#HttpOnly_.youtube.com\tTRUE\t/\tTRUE\t1791175983\t__Secure-3PSID\tg.a000x\n"),
        ),
        (
            "cookies_user1.txt",
            &format!("{head}#HttpOnly_localhost\tFALSE\t/\tFALSE\t0\tJSESSIONID\tABC123\n"),
        ),
    ]);
    let a = r.audit();
    let fix = (a["findings"].as_array().unwrap().iter())
        .find(|x| x["path"] == "cookies.txt")
        .map(|x| x["fix"].as_str().unwrap().to_string())
        .unwrap();
    // A new password alone may leave a session signed in: the fix says to end it.
    assert!(fix.starts_with("sign out of those sessions"), "{fix}");
    let f = findings(&a);
    assert_eq!(
        f,
        [
            (
                "secret-committed".to_string(),
                "bot/cookies.json".to_string()
            ),
            ("secret-committed".to_string(), "cookies.txt".to_string())
        ]
    );
}

/// An environment file encrypted to be committed (42-transcendence's `.env.gpg`, Chainlink
/// env-enc's `.env.enc`, dotenv-vault's `.env.vault`, a sops `.env` of `ENC[…]` values) holds
/// nothing a clone can read without a key kept elsewhere: no leak to revoke, committed or sent.
/// Nor does one whose every credential is another variable (dso-signtusk's `.env.production`
/// of `JWT_SECRET=${JWT_SECRET}`): sent, it is a file of settings, a warning.
#[test]
fn an_encrypted_environment_file_is_no_committed_secret() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", ".git\n"),
        (".env.gpg", "\u{85}\u{2}\u{c}\u{3}binary gpg\n"),
        (
            ".env.enc",
            "PRIVATE_KEY_1: ENCRYPTED|yFJvzsVVuiQgkFb9BN5Bf90ZmYr2hknFH1yAVjJTnKpHON4JQamDsR5\n",
        ),
        (
            ".env.vault",
            "DOTENV_VAULT_PRODUCTION=\"1vyX0okpFu1j1Q7naPI7f6ppzdH1VWTYM1oCMYbmBIUr3wfhyi0O\"\nDOTENV_VAULT=\"vlt_5aefb6a769c96235cd0d54066fc6d29b0e435311cb2deba3e6\"\n",
        ),
        (
            "deploy/.env",
            "OPENAI_API_KEY=ENC[AES256_GCM,data:Tr7o1kQ2mWvR7tYb1pLc9=,iv:1=,tag:2=,type:str]\n",
        ),
        (
            ".env.production",
            "NODE_ENV=production\nJWT_SECRET=${JWT_SECRET}\nSMTP_PASSWORD=\"${SMTP_PASSWORD}\"\n",
        ),
    ]);
    let a = r.audit();
    let f = findings(&a);
    assert_eq!(
        f,
        [(
            "secret-in-context".to_string(),
            ".env.production".to_string()
        )],
        "{a:#}"
    );
    let x = &a["findings"][0];
    assert_eq!(x["severity"], "warning", "{x}");
    assert!(
        x["message"].as_str().unwrap().contains("of settings"),
        "{x}"
    );
}

/// dotenvx encrypts each value of a `.env` in place (`encrypted:…`) under the public key it
/// writes at the top, and keeps the private key in `.env.keys`: the encrypted file is made to
/// be committed and shipped, `.env.keys` never.
#[test]
fn a_dotenvx_file_is_no_secret_and_its_keys_are() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", ".git\n"),
        (
            ".env",
            "DOTENV_PUBLIC_KEY=\"034af93e93708b994c10f236c96ef88e47291066946cce2e8d98c9e02c741ced45\"\nOPENAI_API_KEY=\"encrypted:BE9Y7LKANx77X1pv1HnEoil93fPa5c9rpL/1ps48uaRT9zM8VR6mHx9y\"\n",
        ),
        (
            ".env.keys",
            "DOTENV_PRIVATE_KEY=\"81dac4d2c42e67a2c6542d3b943a4674a05c4be5e7e5a40a689be7a3bd49a07e\"\n",
        ),
    ]);
    let mut f = findings(&r.audit());
    f.sort();
    assert_eq!(
        f,
        [
            ("secret-committed".to_string(), ".env.keys".to_string()),
            ("secret-in-context".to_string(), ".env.keys".to_string()),
        ]
    );
}

/// A Vite app's committed `.env` of the Firebase config its console hands out (TKP's
/// VITE_FIREBASE_API_KEY, AUTH_DOMAIN, PROJECT_ID…): the key is public by Firebase's design
/// and ships in every page, so it is no leaked secret, and the image's `npm run build` reads
/// the file, so the written `.dockerignore` keeps it. An OpenAI key beside it still is one.
#[test]
fn a_firebase_web_config_is_no_secret_and_stays_in_the_build() {
    const KEY: &str = "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW";
    let config = format!(
        "VITE_FIREBASE_API_KEY=\"{KEY}\"\nVITE_FIREBASE_AUTH_DOMAIN=\"app-1.firebaseapp.com\"\n\
         VITE_FIREBASE_PROJECT_ID=\"app-1\"\nVITE_FIREBASE_APP_ID=\"1:622012345678:web:0a1b\"\n"
    );
    let r = Repo::new(&[
        (".env", config.as_str()),
        (
            "package.json",
            "{\"scripts\": {\"build\": \"vite build\"}}\n",
        ),
        (
            "src/main.js",
            "console.log(import.meta.env.VITE_FIREBASE_PROJECT_ID)\n",
        ),
        (
            "Dockerfile",
            "FROM scratch\nCOPY . /app\nRUN npm run build\n",
        ),
    ]);
    let a = r.audit();
    let secrets: Vec<_> = (common::finding_rows(&a).into_iter())
        .filter(|(c, ..)| c.starts_with("secret"))
        .collect();
    assert!(secrets.is_empty(), "{a:#}");
    r.run_ok(&["ignore", "--write"]);
    let sent = r.run_ok(&["context", ".", "--list"]);
    let sent = String::from_utf8_lossy(&sent.stdout);
    assert!(sent.lines().any(|l| l == ".env"), "{sent}");

    r.write(
        ".env",
        &format!("{config}OPENAI_API_KEY=sk-proj-Zx81kQ2mWvR7tYb1pLc9\n"),
    );
    r.git(&["commit", "-qam", "a key beside it"]);
    let f = findings(&r.audit());
    assert!(
        f.contains(&("secret-committed".to_string(), ".env".to_string())),
        "{f:?}"
    );
}
