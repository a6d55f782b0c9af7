//! Which files sent to a build are secrets. Names decide where they are unambiguous (`.env`,
//! `id_rsa`, key stores); where they are not, the content does: a `*.pem` is a secret when it
//! holds a private key, not when it holds certificates (a virtualenv's `certifi/cacert.pem` is
//! a public CA bundle), and a `.npmrc` or `credentials` file when it holds a token or a key,
//! not when it only holds settings; an environment file when it sets something (a committed
//! template of empty `KEY=` lines holds nothing, nor paperless-ngx's `.env` of Compose's own
//! `COMPOSE_PROJECT_NAME=paperless`, nor khoj's `.env.production` of a browser-public
//! `NEXT_PUBLIC_ENV='production'`). One that sets only settings (h2ogpt's ports and model
//! names) is still sent, but is not known to hold a credential: [`Secret::credential`] says so.

/// A sent file judged a secret: what it is, and whether it is known to hold a credential.
#[derive(Debug, PartialEq, Eq)]
pub struct Secret {
    pub what: String,
    /// False for an environment file whose every variable is a setting: none is named like a
    /// key, token or password, and no value holds a URL's password or a known token's prefix.
    pub credential: bool,
    /// Whether what it holds looks issued rather than typed: a key, a token file, or an
    /// environment file with a credential value a machine made (`sk-…`, 20 characters of
    /// letters and digits). False for one whose credentials are defaults a project publishes on
    /// purpose (full-stack-fastapi-template's `SECRET_KEY=changethis`).
    pub issued: bool,
    /// An environment file whose every credential is a well-known default (`guest:guest`,
    /// `changethis`): what a template publishes for everyone to replace.
    pub defaults: bool,
    /// An environment or settings file: what it sets, the program can be given at run time
    /// (compose `env_file:`, `environment:`), so leaving it out of the image is the fix
    /// wherever a build copies it.
    pub env: bool,
    /// How what it holds is made worthless, the first step of a committed one's fix.
    pub revoke: &'static str,
}

/// How most credentials are made worthless.
const REVOKE: &str = "revoke what it holds and issue new credentials";

impl Secret {
    pub(super) fn sure(what: &str) -> Self {
        Secret {
            what: what.into(),
            credential: true,
            issued: true,
            defaults: false,
            env: false,
            revoke: REVOKE,
        }
    }
}

use std::path::PathBuf;

use super::secret_names::{test_for, Test};
use super::secret_values::sets_literal;

/// Enough of a file to find a key in it: a CA bundle is ~300 kB, a key a few kB.
const MAX_INSPECT: u64 = 4 << 20;

/// Whether the file named `name` at `path` is a secret, and what kind (`None`: not one). A
/// symlink is sent as a link, not as what it points at: not a secret of this context.
///
/// The path is made only for a name worth opening: a context's tens of thousands of files are
/// judged by name, and making a path for each was most of what this cost.
pub fn judge_at(name: &str, path: impl FnOnce() -> PathBuf) -> Option<Secret> {
    let test = test_for(name)?;
    if let Test::Name(what) = test {
        return Some(Secret::sure(what));
    }
    let path = path();
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return None;
    }
    let body = match crate::fsx::read_regular(&path, MAX_INSPECT, false) {
        Ok(Some(b)) => b,
        Ok(None) => return None,
        // Too large or unreadable: the name is all there is to go on.
        Err(_) => {
            return Some(Secret::sure(
                "a key or credentials file that could not be inspected",
            ))
        }
    };
    judge_content(&test, &body)
}

/// An environment file (or one read as such, named `what`) that sets something, as a secret:
/// known to hold a credential when one of the lines that set a value does.
fn env_secret(body: &[u8], what: &str) -> Option<Secret> {
    let j = crate::env_file::judge(body)?;
    Some(Secret {
        what: match j.credential {
            true => what.to_string(),
            false => format!("{what} of settings"),
        },
        credential: j.credential,
        issued: j.issued,
        defaults: j.credential && j.defaults,
        env: true,
        revoke: REVOKE,
    })
}

/// How the files start that are encrypted whole under a name of their own (a sops- or
/// gpg-armored `.env`, an age file, Ansible Vault's, git-crypt's as committed): what they
/// hold is a key away.
const ENCRYPTED_STARTS: &[&[u8]] = &[
    b"-----BEGIN PGP MESSAGE-----",
    b"age-encryption.org/",
    b"$ANSIBLE_VAULT;",
    b"\0GITCRYPT\0",
];

fn judge_content(test: &Test, body: &[u8]) -> Option<Secret> {
    let holds = |needle: &str| {
        let n = needle.as_bytes();
        body.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    };
    let start = body.trim_ascii_start();
    if ENCRYPTED_STARTS.iter().any(|m| start.starts_with(m)) {
        return None;
    }
    match test {
        Test::Name(what) => Some(Secret::sure(what)),
        Test::Holds(what, needles) => needles.iter().any(|n| holds(n)).then(|| Secret::sure(what)),
        Test::SetsKey(what, keys) => sets_literal(body, keys).then(|| Secret::sure(what)),
        Test::Env => env_secret(body, "an environment file"),
        Test::EnvLike(what) => env_secret(body, what),
        Test::Cookies => super::cookies::jar(body),
        Test::SavedToken { pickle } => super::oauth_tokens::saved_token(body, *pickle),
        Test::Pem { binary_is_key } => {
            if holds("PRIVATE KEY-----") {
                Some(Secret::sure("a private key"))
            } else if holds("-----BEGIN ") {
                None // certificates, public keys, parameters
            } else if body.starts_with(b"PK\x03\x04") {
                // A zip archive: a Keynote presentation is a `.key` too (llama.cpp's
                // `docs/development/llama-star/idea-arch.key`).
                None
            } else {
                binary_is_key.then(|| Secret::sure("a key file (not PEM)"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(name: &str, body: &str) -> Option<String> {
        judged_as(name, body).map(|s| s.what)
    }

    fn judged_as(name: &str, body: &str) -> Option<Secret> {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(name);
        std::fs::write(&p, body).unwrap();
        judge_at(name, || p)
    }

    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n";

    #[test]
    fn names_that_say_it() {
        for n in [".env", ".env.local", ".env.production"] {
            assert!(judged(n, "API_KEY=abc\n").is_some(), "{n}");
        }
        for n in [
            "id_rsa",
            "id_ed25519",
            "a.p12",
            "master.key",
            ".webui_secret_key",
        ] {
            assert!(judged(n, "").is_some(), "{n}");
        }
        for n in [
            ".env.example",
            ".env.sample",
            ".env.template",
            "id_rsa.pub",
            "keyboard.py",
        ] {
            assert_eq!(judged(n, "x"), None, "{n}");
        }
    }

    #[test]
    fn streamlit_secrets_are_judged_as_an_env_file() {
        let key = "[openai]\nOPENAI_API_KEY = \"sk-proj-abcdefgh12345678\"\n";
        let s = judged_as("secrets.toml", key).unwrap();
        assert_eq!(s.what, "Streamlit's secrets file");
        assert!(s.credential && s.issued);
        assert_eq!(judged("secrets.toml", "# OPENAI_API_KEY = \"\"\n"), None);
        let template = "OPENAI_API_KEY = \"YOUR_OPENAI_API_KEY\"\n";
        assert_eq!(judged("secrets.toml", template), None);
    }

    #[test]
    fn an_env_file_is_a_secret_when_it_sets_something() {
        let template = "# fill in\nPORT=\nexport TOKEN=\"\"\nKEY='' \nURL= # the API\n\n";
        assert_eq!(judged(".env.local", template), None);
        assert_eq!(judged(".env", ""), None);
        // crawl4ai's `.env.txt`: values to fill in.
        let fill_in = "GROQ_API_KEY = \"YOUR_GROQ_API_KEY\"\nTOKEN=<your token>\n\
                       OPENAI_API_KEY=sk-...\nPW=xxxx\nS=your-secret-here\n";
        assert_eq!(judged(".env.txt", fill_in), None);
        for line in ["PW=changeme", "KEY=yourself", "TOKEN=sk-abc", "PW=<3apples"] {
            assert!(judged(".env", line).is_some(), "{line}");
        }
        let compose = "COMPOSE_PROJECT_NAME=paperless\nCOMPOSE_PROFILES=web\n";
        assert_eq!(judged(".env", compose), None);
        assert!(judged(".env", "COMPOSE_PROJECT_NAME=p\nDB_PASSWORD=x\n").is_some());
        assert_eq!(
            judged(".env.production", "NEXT_PUBLIC_ENV='production'\n"),
            None
        );
        assert!(judged(".env.local", "VITE_OPENAI_KEY=sk-1\n").is_some());
        // What the front-end build compiles into the page is no secret, unless it is a key.
        let page = "VITE_API_HOST = https://gptcloud.arc53.com\nREACT_APP_TITLE=Docs\n";
        assert_eq!(judged(".env.production", page), None);
        assert!(judged(".env", "NEXT_PUBLIC_API_TOKEN=abc\n").is_some());
        // A switch is no key, whatever it switches (federated-memory's front end).
        let flags = "NEXT_PUBLIC_ENABLE_OAUTH=true\nVITE_USE_AUTH='false'\n";
        assert_eq!(judged(".env.production", flags), None);
        // Laravel's `null`: no value (snipe-it's `.env.docker`).
        assert_eq!(
            judged(".env", "MAIL_PASSWORD=null\nREDIS_PASSWORD=(null)\n"),
            None
        );
        assert!(judged(".env", "PORT=\nTOKEN=s3cret\n").is_some());
        assert!(judged(".env", "export TOKEN='x'\n").is_some());
        // Not assignments: what it holds is not known, so it counts.
        assert!(judged(".env", "ghp_0123456789abcdef\n").is_some());
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("real"), "TOKEN=x\n").unwrap();
        std::os::unix::fs::symlink("real", d.path().join(".env")).unwrap();
        assert!(judge_at(".env", || d.path().join(".env")).is_none());
    }

    #[test]
    fn an_env_file_of_settings_is_not_known_to_hold_a_credential() {
        let credential = |body: &str| judged_as(".env", body).map(|s| s.credential);
        // h2ogpt's committed `.env`: ports, model names, a tokenizer.
        let h2ogpt = "H2OGPT_PORT=7860\nVLLM_TOKENIZER=hf-internal-testing/llama-tokenizer\n\
                      PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring\n";
        assert_eq!(credential(h2ogpt), Some(false));
        assert_eq!(
            judged(".env", h2ogpt).as_deref(),
            Some("an environment file of settings")
        );
        for line in [
            "OPENAI_API_KEY=sk-1",
            "PIHOLE_PW=x",
            "JWT_SECRET=x",
            "export DB_PASSWORD='x'",
            "APIKEY=x",
            "SENTRY_DSN=https://a@b/1",
            "DATABASE_URL=postgres://app:hunter2@db/app",
            "REDIS_URL=\"redis://:hunter2@redis:6379\"",
            "UPSTREAM=ghp_0123456789",
            "ghp_0123456789abcdef",
        ] {
            assert_eq!(
                credential(&format!("PORT=80\n{line}\n")),
                Some(true),
                "{line}"
            );
        }
        // A URL with a user and no password, an empty password, a template: no credential.
        assert_eq!(credential("URL=postgres://app@db/app\n"), Some(false));
        assert_eq!(credential("URL=https://x.org/a:b@c\n"), Some(false));
        assert_eq!(credential("TOKEN=\nPORT=80\n"), Some(false));
        assert_eq!(
            credential("AUTH_ENABLED=true\nUSE_TOKEN=off\n"),
            Some(false)
        );
    }

    /// A credential that looks issued (a token, a generated key, a URL's random password)
    /// is told from a default a project publishes (full-stack-fastapi-template's
    /// `SECRET_KEY=changethis`, sentry's `LAUNCHPAD_RPC_SHARED_SECRET=supersecret`).
    #[test]
    fn an_issued_credential_is_told_from_a_published_default() {
        let issued = |body: &str| judged_as(".env", body).map(|s| s.issued);
        for line in [
            "OPENAI_API_KEY=sk-proj-abcdef0123456789",
            "SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            "JWT_SECRET=404E635266556A586E3272357538782F413F4428",
            "DATABASE_URL=postgresql://owner:npg_4kq9Zx2mWvR7tYb1pL@ep-x.neon.tech/db",
        ] {
            assert_eq!(issued(&format!("PORT=80\n{line}\n")), Some(true), "{line}");
        }
        for line in [
            "SECRET_KEY=changethis",
            "LAUNCHPAD_RPC_SHARED_SECRET=supersecret",
            "DATABASE_URL=postgres://postgres:postgres@db:5432/app",
            "DB_PASS=squid",
            "API_KEY=your_api_key_here_from_the_dashboard",
            "API_KEY=sk-",
        ] {
            assert_eq!(issued(&format!("PORT=80\n{line}\n")), Some(false), "{line}");
        }
        assert!(judged_as("id_rsa", "").unwrap().issued);
    }

    #[test]
    fn a_pem_is_a_secret_only_when_it_holds_a_private_key() {
        assert_eq!(judged("cacert.pem", &CERT.repeat(100)), None);
        assert_eq!(
            judged("server.crt.pem", "-----BEGIN PUBLIC KEY-----\n"),
            None
        );
        assert_eq!(judged("tls.pem", KEY).as_deref(), Some("a private key"));
        let chain = format!("{CERT}{CERT}-----BEGIN PRIVATE KEY-----\nx\n");
        assert_eq!(
            judged("fullchain.pem", &chain).as_deref(),
            Some("a private key")
        );
        assert_eq!(
            judged("tls.key", "\x30\x02binary").as_deref(),
            Some("a key file (not PEM)")
        );
        assert_eq!(judged("tls.key", CERT), None);
        // A Keynote presentation is a zip archive named `.key`; a REUSE sidecar names the
        // file it licenses.
        assert_eq!(judged("idea-arch.key", "PK\x03\x04\x14\x00"), None);
        assert_eq!(
            judged(".env.license", "SPDX-License-Identifier: CC0-1.0\nKEY=x\n"),
            None
        );
        assert!(judged("ssh.key", "-----BEGIN OPENSSH PRIVATE KEY-----\n").is_some());
    }

    #[test]
    fn token_files_by_shape() {
        assert_eq!(judged(".npmrc", "engine-strict=true\n"), None);
        assert!(judged(".npmrc", "//registry.npmjs.org/:_authToken=abc\n").is_some());
        assert_eq!(judged("credentials", "[default]\nregion = x\n"), None);
        assert!(judged("credentials", "[default]\naws_secret_access_key = x\n").is_some());
        assert_eq!(judged("credentials.json", "{\"installed\": {}}"), None);
        let sa = "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMII\"}";
        assert!(judged("my-service-account.json", sa).is_some());
        assert_eq!(judged("package.json", sa), None);
        let dummy = "{\"type\": \"service_account\", \"private_key\": \"dummy\"}";
        assert_eq!(judged("my-service-account.json", dummy), None);
        assert_eq!(judged("service_account.example.json", sa), None);
        assert_eq!(judged("id_rsa.sample", KEY), None);
        assert!(
            judged("exampleco.pem", KEY).is_some(),
            "a word, not part of one"
        );
        assert!(judged(".netrc", "machine x login y password z\n").is_some());
    }

    #[test]
    fn a_file_encrypted_whole_holds_no_secret_of_its_own() {
        for body in [
            "-----BEGIN PGP MESSAGE-----\n\nhQIMA8x\n-----END PGP MESSAGE-----\n",
            "age-encryption.org/v1\n-> X25519 abc\n",
            "$ANSIBLE_VAULT;1.1;AES256\n6231\n",
        ] {
            assert_eq!(judged(".env", body), None, "{body}");
        }
        assert!(judged(".env", "API_KEY=sk-live-0123456789abcdef\n").is_some());
    }

    #[test]
    fn a_link_is_sent_as_a_link() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("real"), KEY).unwrap();
        std::os::unix::fs::symlink("real", d.path().join("tls.pem")).unwrap();
        assert!(judge_at("tls.pem", || d.path().join("tls.pem")).is_none());
    }
}
