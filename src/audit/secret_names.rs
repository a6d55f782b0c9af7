//! How a file's name says it is judged as a secret ([`super::secrets::judge_at`]): by the name
//! alone (`id_rsa`, Rails' `master.key`), by what the content holds (`.npmrc`, `credentials`),
//! as a PEM file, or as an environment file; `None` for every other name, which is most of a
//! build context and costs no read.

/// Environment files that are templates, not settings.
const ENV_TEMPLATES: &[&str] = &[
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    ".env.defaults",
];

/// How a name is judged.
pub(super) enum Test {
    /// The name alone says it.
    Name(&'static str),
    /// A secret when the content holds one of these byte strings.
    Holds(&'static str, &'static [&'static str]),
    /// A secret when a line sets one of these keys to a literal value, not a variable
    /// ([`super::secret_values`]).
    SetsKey(&'static str, &'static [&'static str]),
    /// `*.pem` / `*.key`: a private key block; a `.key` that is not PEM at all is a binary key.
    Pem { binary_is_key: bool },
    /// Saved cookies (`cookies.txt`, `cookies.json`): a secret when one is for another
    /// machine ([`super::cookies`]).
    Cookies,
    /// A saved OAuth token (`token.json`, `token.pickle`): a secret when it holds a refresh
    /// token ([`super::oauth_tokens`]).
    SavedToken { pickle: bool },
    /// `.env` files: a secret unless every line is blank, a comment or `KEY=` with no value.
    Env,
    /// Judged as an environment file, named as this (`KEY = "value"` lines of TOML).
    EnvLike(&'static str),
}

/// Words of a name that make the file a template to copy, not the thing itself:
/// MomaHome's `google_assistant_service_account.example.json` of `"private_key": "dummy"`.
const TEMPLATE_WORDS: &[&str] = &["example", "sample", "template"];

/// Words of a name that say the file is encrypted, made to be committed: `.env.gpg` (359
/// public repositories), Chainlink env-enc's `.env.enc` (1,088), dotenv-vault's `.env.vault`
/// (1,917), which the program decrypts at run time with a key kept elsewhere.
const ENCRYPTED_WORDS: &[&str] = &[
    "gpg",
    "pgp",
    "asc",
    "age",
    "enc",
    "encrypted",
    "vault",
    "sops",
];

/// Whether a (lowercased) name says it is encrypted: one of [`ENCRYPTED_WORDS`] after its first
/// dot-separated word.
fn is_encrypted(lower: &str) -> bool {
    let mut words = lower.trim_start_matches('.').split('.');
    words.next();
    words.any(|w| ENCRYPTED_WORDS.contains(&w))
}

/// Whether a file's name says it is a template to copy (`.env.example`, `config.sample.yml`).
pub(super) fn is_template(name: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    lower
        .split(['.', '_', '-'])
        .any(|w| TEMPLATE_WORDS.contains(&w))
}

/// The name of the file a template makes: the template's name without its template word and
/// one separator beside it (`sample.config.toml` → `config.toml`, `app.example.yml` →
/// `app.yml`, `settings.json.example` → `settings.json`; a last `.dist` or `.default` too, as
/// in `.env.dist`); `None` for a name that is no template.
pub(super) fn made_from_template(name: &str) -> Option<String> {
    let parts: Vec<&str> = name.split_inclusive(['.', '_', '-']).collect();
    let word = |p: &str| p.trim_end_matches(['.', '_', '-']).to_ascii_lowercase();
    let last = parts.len().checked_sub(1)?;
    let at = (0..parts.len()).find(|&i| {
        let w = word(parts[i]);
        TEMPLATE_WORDS.contains(&w.as_str()) || (i == last && (w == "dist" || w == "default"))
    })?;
    // The word goes with the separator before it (`config-sample.yml` → `config.yml`); a first
    // word with the one after it (`sample.config.toml`).
    let out = match at {
        0 => parts[1..].concat(),
        _ => {
            let before = parts[..at].concat();
            let sep = &parts[at][word(parts[at]).len()..];
            format!(
                "{}{sep}{}",
                &before[..before.len() - 1],
                parts[at + 1..].concat()
            )
        }
    };
    (!out.is_empty() && out != name).then_some(out)
}

/// An environment file named without its dot, for a stage: `env.production` (committed in
/// 2,448+ public repositories; tixar-rt-backend's holds its `JWT_SECRET` and an OTP key),
/// `env.local`, `env.production.local`, `env.docker`. Only such words follow `env.`: an
/// `env.js` or `env.ts` is code.
fn is_dotless_env(name: &str) -> bool {
    const STAGES: &[&str] = &[
        "local",
        "production",
        "prod",
        "development",
        "dev",
        "staging",
        "stage",
        "test",
        "testing",
        "qa",
        "uat",
        "live",
        "preview",
        "docker",
        "ci",
    ];
    // Asked of every name a context sends: no copy unless it starts like one.
    if !name
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("env."))
    {
        return false;
    }
    let rest = name[4..].to_ascii_lowercase();
    rest.split('.').all(|w| STAGES.contains(&w))
}

/// Whether [`test_for`] could judge `name` at all: a dotfile, a name with no extension, an
/// environment file named without its dot ([`is_dotless_env`]), or one of the extensions
/// below. Every other name (a context's `index.js`, `README.md`, `app.py`) is none of them,
/// said without the two lowercased copies `test_for` makes of it.
fn may_be_judged(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "json", "toml", "p12", "pfx", "jks", "keystore", "pem", "key", "pickle",
    ];
    match name.rsplit_once('.') {
        None => true,
        Some(_) if name.starts_with('.') || is_dotless_env(name) => true,
        Some((stem, ext)) if ext.eq_ignore_ascii_case("txt") => {
            let has = |word: &[u8]| {
                (stem.as_bytes().windows(word.len())).any(|w| w.eq_ignore_ascii_case(word))
            };
            has(b"cookie") || has(b"token")
        }
        Some((_, ext)) => EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)),
    }
}

/// Whether `name` is a key's (`id_rsa`, `backup_rsa`, `server.pem`, `store.p12`; a public
/// key's `.pub` beside one): what a missing COPY source git ignores is, when not build output.
pub(super) fn is_key_name(name: &str) -> bool {
    let name = name.strip_suffix(".pub").unwrap_or(name);
    matches!(
        test_for(name),
        Some(Test::Pem { .. } | Test::Name("an SSH private key" | "a key store"))
    )
}

/// Whether `name` may hold a secret at all (a key, an environment file, cloud credentials):
/// what a missing COPY source git ignores is, when not build output.
pub(super) fn is_secret_name(name: &str) -> bool {
    test_for(name).is_some()
}

pub(super) fn test_for(name: &str) -> Option<Test> {
    match may_be_judged(name) {
        true => judge_name(name),
        false => None,
    }
}

fn judge_name(name: &str) -> Option<Test> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    // `.env.license` is the REUSE sidecar that gives `.env`'s license in SPDX lines
    // (hedgedoc's `docker/.env.license`), not an environment file.
    if ext == "license" || is_template(lower.as_bytes()) || is_encrypted(&lower) {
        return None;
    }
    Some(match lower.as_str() {
        // Streamlit's, which its docs say to keep out of git; committed in 11,746+ public
        // repositories (`.streamlit/secrets.toml`), often with an API key.
        "secrets.toml" => Test::EnvLike("Streamlit's secrets file"),
        // `.env`, `.env.local`, and its copies (`.env_old`, `.env copy`, `.env~`): the names
        // the keep rules know as environment files.
        n if crate::classify::is_env_name(n.as_bytes()) && !ENV_TEMPLATES.contains(&n) => Test::Env,
        n if is_dotless_env(n) => Test::Env,
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => Test::Name("an SSH private key"),
        // An SSH key under a name of its own (`backup_rsa` for a backup job's logins,
        // `deploy_key`, sshd's `ssh_host_ed25519_key`): a private key where it holds one.
        n if ext.is_empty()
            && ["_rsa", "_dsa", "_ecdsa", "_ed25519", "_key"]
                .iter()
                .any(|k| n.ends_with(k)) =>
        {
            Test::Pem {
                binary_is_key: false,
            }
        }
        // Rails' key to `config/credentials.yml.enc` (and `credentials/<env>.key`), which its
        // generator keeps out of git; hotel_engine_api and murdoc-api commit it.
        "master.key" => Test::Name("Rails' master key: it decrypts config/credentials.yml.enc"),
        ".git-credentials" | ".htpasswd" => Test::Name("stored passwords"),
        // The key Open WebUI generates on its first start (committed in 586+ public
        // repositories): whoever has it can sign a login token for that instance.
        ".webui_secret_key" => Test::Name("Open WebUI's secret key: it signs its login tokens"),
        "credentials" => Test::SetsKey(
            "AWS credentials",
            &["aws_secret_access_key", "aws_session_token"],
        ),
        ".npmrc" => Test::SetsKey("an npm token", &["_authtoken", "_auth", "_password"]),
        ".pypirc" => Test::SetsKey("a PyPI password or token", &["password"]),
        ".netrc" | "_netrc" => Test::SetsKey("a .netrc password", &["password"]),
        // Firebase's docs name a service account's key `serviceAccountKey.json`.
        // Google's OAuth client file downloads as `client_secret_<id>.apps.googleusercontent.com.json`.
        n if ext == "json"
            && (n == "credentials.json"
                || n.starts_with("client_secret")
                || n.contains("service-account")
                || n.contains("service_account")
                || n.contains("serviceaccount")
                || n == "application_default_credentials.json") =>
        {
            Test::Holds(
                "cloud credentials",
                // A service account's key is PEM inside the JSON; a `"private_key": "dummy"`
                // holds none.
                &["PRIVATE KEY-----", "\"client_secret\"", "\"refresh_token\""],
            )
        }
        // What curl's `-c` or a browser extension saves, and yt-dlp's `--cookies` reads: a
        // root `cookies.txt` is committed in 2,888+ public repositories, YouTube downloaders'
        // among them with their owners' signed-in sessions.
        n if (ext == "txt" || ext == "json") && n.contains("cookie") => Test::Cookies,
        // What Google's API quickstarts save after the first sign-in (`token.json`,
        // `token.pickle`, `gmail_token.json`; Canoil-Portal's `vercel_token.txt` holds the same
        // JSON).
        n if matches!(ext, "json" | "txt" | "pickle") && n.contains("token") => Test::SavedToken {
            pickle: ext == "pickle",
        },
        _ => match ext {
            "p12" | "pfx" | "jks" | "keystore" => Test::Name("a key store"),
            "pem" => Test::Pem {
                binary_is_key: false,
            },
            "key" => Test::Pem {
                binary_is_key: true,
            },
            _ => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The quick test turns away no name the whole one judges.
    fn quick_agrees(name: &str) {
        if super::judge_name(name).is_some() {
            assert!(super::may_be_judged(name), "{name}");
        }
    }

    #[test]
    fn every_judged_name_passes_the_quick_test() {
        let names = [
            ".env",
            ".ENV.local",
            ".env_old",
            ".ENV-Backup",
            ".env copy",
            ".env (1)",
            ".env~",
            "env.production",
            "ENV.Local",
            "cookies.txt",
            "YouTube_Cookies.TXT",
            "cookies.json",
            "token.json",
            "Gmail_Token.pickle",
            "vercel_token.txt",
            "client_secret_1-ab.apps.googleusercontent.com.json",
            "env.production.local",
            "secrets.toml",
            "Secrets.TOML",
            "id_rsa",
            "ID_ED25519",
            "backup_rsa",
            "deploy_key",
            "ssh_host_ed25519_key",
            "master.key",
            "MASTER.KEY",
            ".git-credentials",
            ".htpasswd",
            ".webui_secret_key",
            "credentials",
            "Credentials",
            ".npmrc",
            ".pypirc",
            ".netrc",
            "_netrc",
            "credentials.json",
            "my-service-account.JSON",
            "service_account.json",
            "application_default_credentials.json",
            "store.p12",
            "a.PFX",
            "b.jks",
            "c.keystore",
            "server.pem",
            "tls.KEY",
            "x.Pem",
        ];
        for n in names {
            assert!(super::judge_name(n).is_some(), "{n} is judged");
            assert!(super::test_for(n).is_some(), "{n}");
            quick_agrees(n);
        }
        for n in [
            "index.js",
            "README.md",
            "app.py",
            "x.env",
            "key.txt",
            "pem",
            ".env_example",
            "env.js",
            "env.example",
            "env.production.ts",
        ] {
            quick_agrees(n);
        }
        for n in [
            "env.js",
            "env.example",
            "env.production.ts",
            "env",
            "environment.prod",
        ] {
            assert!(super::judge_name(n).is_none(), "{n}");
        }
        // Encrypted to be committed: no secret to revoke.
        for n in [
            ".env.gpg",
            ".env.enc",
            ".env.vault",
            ".env.production.age",
            "secrets.enc.toml",
        ] {
            assert!(super::judge_name(n).is_none(), "{n}");
        }
        assert!(super::judge_name("serviceAccountKey.json").is_some());
        // A template so spelled is no secret.
        assert!(super::judge_name(".env_example").is_none());
        assert!(super::judge_name(".env-sample").is_none());
    }

    proptest! {
        #[test]
        fn the_quick_test_turns_away_nothing_judged(
            stem in "[._a-zA-Z0-9-]{0,12}",
            ext in prop::sample::select(vec![
                "", ".json", ".JSON", ".toml", ".key", ".pem", ".p12", ".js", ".env", ".txt",
            ]),
        ) {
            quick_agrees(&format!("{stem}{ext}"));
        }
    }

    #[test]
    fn the_file_a_template_makes() {
        for (t, made) in [
            ("sample.config.toml", "config.toml"),
            ("app.example.yml", "app.yml"),
            ("config-sample.yml", "config.yml"),
            ("settings.json.example", "settings.json"),
            (".env.example", ".env"),
            (".env.dist", ".env"),
            ("config.default", "config"),
        ] {
            assert_eq!(super::made_from_template(t).as_deref(), Some(made), "{t}");
        }
        for n in ["config.toml", "examples.md", "default.conf", "sample"] {
            assert_eq!(super::made_from_template(n), None, "{n}");
        }
    }
}
