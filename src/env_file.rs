//! Whether an environment file holds a credential, a setting or nothing at all: what the
//! audit's secret checks ask of every `.env` sent to a build or committed, and what a
//! front-end build reads of one that holds no secret ([`build_setting`]).

/// What an environment file that sets something holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    /// One of the lines that set a value carries a credential ([`env_credential`]); else
    /// every one is a setting.
    pub credential: bool,
    /// A credential value looks made by a machine ([`issued`]), not typed as a default.
    pub issued: bool,
    /// Every credential it sets is a well-known default ([`default_credential`]).
    pub defaults: bool,
}

/// An environment file that sets something, and what (`None`: it sets nothing).
pub fn judge(body: &[u8]) -> Option<Judged> {
    let text = String::from_utf8_lossy(body);
    let lines = assignments(&text);
    let set: Vec<&str> = (lines.iter().map(String::as_str))
        .filter(|l| sets_value(l))
        .collect();
    if set.is_empty() {
        return None;
    }
    Some(Judged {
        credential: set.iter().any(|l| env_credential(l)),
        issued: set.iter().any(|l| env_credential(l) && issued(l)),
        defaults: (set.iter()).all(|l| !env_credential(l) || default_credential(l)),
    })
}

/// Whether the value a credential line sets is a default everyone knows or is told to
/// change: a URL whose password is its user's name (RabbitMQ's `amqp://guest:guest@…`,
/// `postgres://postgres:postgres@…`), or a word a template leaves (`changethis`,
/// `CHANGE_THIS_PASSWORD`, `your-secret-key`, `admin`, `guest`). A password someone typed for
/// themselves (`hunter2`, `Bella2019`) is none.
fn default_credential(line: &str) -> bool {
    let value = line.split_once('=').map_or("", |(_, v)| v);
    let v = value.trim().trim_matches(['"', '\'']).trim();
    let url = v.split_once("://").and_then(|(_, rest)| {
        let authority = rest.split('/').next()?;
        let (user, pw) = authority.rsplit_once('@')?.0.split_once(':')?;
        Some((user, pw))
    });
    let word = |w: &str| {
        let l = w.to_ascii_lowercase();
        ["change", "your"].iter().any(|p| l.starts_with(p))
            || ["admin", "guest", "password", "postgres", "root", "secret"].contains(&l.as_str())
    };
    match url {
        Some((user, pw)) => pw == user || word(pw),
        None => word(v),
    }
}

/// The lines of an environment file, a quoted value that goes on over several lines (a PEM
/// key, as dotenv reads it: excalidraw's `VITE_APP_PLUS_EXPORT_PUBLIC_KEY='MIIB…` and six
/// more lines) joined into its one assignment. A quote never closed joins nothing: each line
/// is judged alone, so a credential below it is still seen.
fn assignments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The lines of a value still open, and the quote that closes it.
    let mut open: Option<(char, Vec<&str>)> = None;
    for line in text.lines() {
        if let Some((q, lines)) = open.as_mut() {
            lines.push(line);
            if line.contains(*q) {
                out.push(lines.join("\n"));
                open = None;
            }
            continue;
        }
        let value = line.split_once('=').map(|(_, v)| v.trim_start());
        let quote = value.and_then(|v| {
            let q = v.chars().next().filter(|c| matches!(c, '"' | '\''))?;
            (!v[1..].contains(q)).then_some(q)
        });
        match quote {
            Some(q) => open = Some((q, vec![line])),
            None => out.push(line.to_string()),
        }
    }
    if let Some((_, lines)) = open {
        out.extend(lines.into_iter().map(str::to_string));
    }
    out
}

/// Whether the value a line sets looks made by a machine, not typed as a default: a known
/// token's prefix with more after it, or 20 characters or more, no spaces, mixing letters and
/// digits (an API key, `openssl rand -hex 32`); a URL's password is judged alone. Not a word
/// someone types (`changethis`, `supersecret`, `postgres://app:postgres@db`).
fn issued(line: &str) -> bool {
    let l = line.trim();
    let l = l.strip_prefix("export ").unwrap_or(l);
    let value = l.split_once('=').map_or(l, |(_, v)| v);
    let v = value.trim().trim_matches(['"', '\'']).trim();
    if (TOKEN_PREFIXES.iter()).any(|p| v.strip_prefix(p).is_some_and(|rest| rest.len() >= 8)) {
        return true;
    }
    let v = v
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next()?.rsplit_once('@'))
        .and_then(|(user, _)| user.split_once(':'))
        .map_or(v, |(_, pw)| pw);
    v.len() >= 20
        && !v.contains(char::is_whitespace)
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && !typed_words(v)
}

/// Whether a value is words someone typed, joined by `_`, `-` or `.`: two or more parts of
/// three or more lowercase letters (Mail-Agent's `mailagent_dev_password_2024`). A machine's
/// value has no such parts: a UUID's are hex, a JWT's and a Neon password's
/// (`npg_4kq9Zx2mWvR7tYb1pL`) mix cases and digits.
fn typed_words(v: &str) -> bool {
    let words = (v.split(['_', '-', '.']))
        .filter(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()))
        .count();
    words >= 2
}

/// Whether an environment file's line sets a value: it is not blank, a comment, an
/// assignment of nothing (`KEY=`, `export KEY=""`, `KEY= # note`), of a Compose setting
/// (`COMPOSE_PROJECT_NAME`, `COMPOSE_FILE`: options of the `docker compose` command) or of a
/// variable its framework compiles into the page every browser loads (`NEXT_PUBLIC_`,
/// `NUXT_PUBLIC_`, `EXPO_PUBLIC_`, `PUBLIC_`, Vite's `VITE_`, `REACT_APP_`, `VUE_APP_`,
/// `GATSBY_`): DocsGPT's committed `frontend/.env.production` of `VITE_API_HOST`, which its
/// build reads. Such a variable still counts when it holds a credential (`VITE_OPENAI_KEY=
/// sk-…`): people put keys there, and the page then ships them.
fn sets_value(line: &str) -> bool {
    let l = line.trim();
    if l.is_empty() || l.starts_with('#') {
        return false;
    }
    let l = l.strip_prefix("export ").unwrap_or(l);
    let Some((key, value)) = l.split_once('=') else {
        return true;
    };
    let (key, value) = (key.trim(), value.trim());
    let empty = unset(value);
    let published = published(key) && !env_credential(l);
    // dotenvx's public key heads a file it encrypted: the values are what the file sets.
    let header = key.starts_with("DOTENV_PUBLIC_KEY");
    key.is_empty() || !(empty || key.starts_with("COMPOSE_") || published || header)
}

/// Whether a value assigns nothing: empty, a comment, a place for one ([`placeholder`]), or
/// one held elsewhere ([`held_elsewhere`]).
fn unset(value: &str) -> bool {
    ["", "\"\"", "''"].contains(&value)
        || value.starts_with('#')
        || placeholder(value)
        || held_elsewhere(value)
}

/// Whether a value is only a way to one kept elsewhere: another variable the program's
/// environment sets (dso-signtusk's committed `.env.production` of `JWT_SECRET=${JWT_SECRET}`,
/// which dotenv-expand and Compose fill in; `${SMTP_PORT:-}` with an empty default), or the
/// value encrypted in place (sops' `ENC[AES256_GCM,…]`, Chainlink env-enc's `ENCRYPTED|…`,
/// dotenvx's `encrypted:…`, whose private key is kept in `.env.keys`).
pub(crate) fn held_elsewhere(value: &str) -> bool {
    let v = value.trim_matches(['"', '\'']).trim();
    let variable = (v.strip_prefix("${").and_then(|r| r.strip_suffix('}'))).is_some_and(|r| {
        // `${NAME:-value}` and `${NAME:=value}` hold their default; `${NAME:?message}` nothing.
        let (name, rest) = r.find([':', '-', '?']).map_or((r, ""), |i| r.split_at(i));
        let no_default =
            ["", ":-", "-"].contains(&rest) || rest.starts_with(":?") || rest.starts_with('?');
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && no_default
    });
    variable
        || ["ENC[", "ENCRYPTED|", "encrypted:"]
            .iter()
            .any(|p| v.starts_with(p))
}

/// Whether a variable is one a front-end framework compiles into the page every browser loads.
fn published(key: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "NEXT_PUBLIC_",
        "NUXT_PUBLIC_",
        "EXPO_PUBLIC_",
        "PUBLIC_",
        "VITE_",
        "REACT_APP_",
        "VUE_APP_",
        "GATSBY_",
    ];
    PREFIXES.iter().any(|p| key.starts_with(p))
}

/// The first variable a front-end build compiles into the page (`VITE_API_URL`) that an
/// environment file holding no secret ([`judge`] finds none) sets: a Vite app's committed
/// `.env`, which `npm run build` in the image reads. `None` for any other file.
pub fn build_setting(body: &[u8]) -> Option<String> {
    if judge(body).is_some() {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    assignments(&text).iter().find_map(|l| {
        let l = l.trim();
        let (key, value) = l.strip_prefix("export ").unwrap_or(l).split_once('=')?;
        let key = key.trim();
        (published(key) && !unset(value.trim())).then(|| key.to_string())
    })
}

/// Words a value to fill in starts with: crawl4ai's `.env.txt` of
/// `GROQ_API_KEY = "YOUR_GROQ_API_KEY"`.
const FILL_IN: &[&str] = &["your", "insert", "enter", "put", "paste", "replace"];

/// Whether a value only marks where one goes: `YOUR_API_KEY`, `<your key>`, `xxxx`, `sk-...`
/// (a known token's prefix before one), or says there is none (`null`: Laravel's `env()`
/// reads it as no value; snipe-it's `MAIL_PASSWORD=null`). A default someone could run with
/// (`changeme`, `admin`) is a value.
fn placeholder(value: &str) -> bool {
    is_placeholder_value(value)
}

/// [`placeholder`], for values read from other files (a saved token's `refresh_token`).
pub fn is_placeholder_value(value: &str) -> bool {
    let v = value.trim_matches(['"', '\'']).trim();
    let v = TOKEN_PREFIXES
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .unwrap_or(v);
    let lower = v.to_ascii_lowercase();
    let fill_in = FILL_IN.iter().any(|w| {
        lower
            .strip_prefix(w)
            .is_some_and(|rest| rest.starts_with(['_', '-', ' ', '.']))
    });
    let marked = v.len() > 2 && v.starts_with('<') && v.ends_with('>');
    let masked =
        (3..=64).contains(&v.len()) && v.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '.'));
    let none = ["null", "(null)", "nil"].contains(&lower.as_str());
    fill_in || marked || masked || none
}

/// Words of a variable's name that say it holds a credential (`OPENAI_API_KEY`, `PIHOLE_PW`,
/// `JWT_SECRET`); a word that ends in one counts too (`APIKEY`, `DBPASSWORD`), so
/// `VLLM_TOKENIZER` and `PYTHON_KEYRING_BACKEND` are settings.
const CREDENTIAL_WORDS: &[&str] = &[
    "key",
    "keys",
    "token",
    "tokens",
    "secret",
    "secrets",
    "password",
    "passwd",
    "pass",
    "pw",
    "pwd",
    "credential",
    "credentials",
    "auth",
    "private",
    "salt",
    "cookie",
    "dsn",
];

/// Words that, right before a credential word, say it is meant to be public (`PUBLIC_KEY`,
/// `PUBLISHABLE_KEY`, `ANON_KEY`).
const PUBLIC_WORDS: &[&str] = &["public", "publishable", "pub", "anon"];

/// Last words of a variable's name that make it a setting about a credential.
const SETTING_WORDS: &[&str] = &[
    "expiry",
    "expires",
    "expire",
    "expiration",
    "ttl",
    "lifetime",
    "timeout",
    "minutes",
    "seconds",
    "hours",
    "days",
    "ms",
    "length",
    "size",
    "bits",
    "algorithm",
    "alg",
    "issuer",
    "audience",
    "header",
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "domain",
    "host",
    "type",
    "enabled",
    "rounds",
    "count",
    "version",
    "prefix",
    "name",
];

/// Words of a variable's name that say a number in it may be a typed password (`DB_PASS=1234`).
const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pass", "pw", "pwd", "pin"];

/// Prefixes of well-known token formats, whatever the variable is called.
const TOKEN_PREFIXES: &[&str] = &[
    "sk-",
    "ghp_",
    "gho_",
    "ghs_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "AKIA",
    "AIza",
    "hf_",
];

/// Whether the environment line `line` (one that sets a value) carries a credential: its
/// name says so, its value is a URL with a password (`postgres://app:pw@db/app`), or its
/// value starts like a known token. A line that is not an assignment counts.
fn env_credential(line: &str) -> bool {
    let l = line.trim();
    let l = l.strip_prefix("export ").unwrap_or(l);
    let Some((key, value)) = l.split_once('=') else {
        return true;
    };
    let words: Vec<String> = (key.split(|c: char| !c.is_ascii_alphanumeric()))
        .map(str::to_ascii_lowercase)
        .collect();
    if firebase_web_key(key.trim(), &words, value) {
        return false;
    }
    // A key its name calls public is made to be handed out (excalidraw's
    // `VITE_APP_PLUS_EXPORT_PUBLIC_KEY`, a VAPID or Stripe publishable key, Supabase's anon
    // key): only the word right before counts, so `NEXT_PUBLIC_OPENAI_KEY` is a credential.
    let named = (words.iter().enumerate()).any(|(i, w)| {
        let public = i > 0 && PUBLIC_WORDS.contains(&words[i - 1].as_str());
        !public && CREDENTIAL_WORDS.iter().any(|c| w.ends_with(c))
    });
    let value = value.trim().trim_matches(['"', '\'']);
    // A switch is no credential whatever it switches (federated-memory's
    // `NEXT_PUBLIC_ENABLE_OAUTH=true`: a public flag, not a key).
    let switch = [
        "true", "false", "yes", "no", "on", "off", "enabled", "disabled",
    ]
    .contains(&value.to_ascii_lowercase().as_str());
    // A name whose last word says what about a credential it sets is a setting
    // (`ACCESS_TOKEN_EXPIRE_MINUTES`, dso-signtusk's `REFRESH_TOKEN_EXPIRY=604800000`,
    // `JWT_ALGORITHM`, `DB_PASSWORD_FILE`); and a number is no key or token (`MAX_TOKENS=4096`,
    // `KEY_SIZE=2048`), though it may be a typed password.
    let about = words
        .last()
        .is_some_and(|w| SETTING_WORDS.contains(&w.as_str()));
    let number = !value.is_empty() && value.chars().all(|c| c.is_ascii_digit() || c == '.');
    let password = words.iter().any(|w| PASSWORD_WORDS.contains(&w.as_str()));
    let named = named && !switch && !about && (!number || password);
    let url_password = value.split_once("://").is_some_and(|(_, rest)| {
        let authority = rest.split('/').next().unwrap_or("");
        authority
            .rsplit_once('@')
            .is_some_and(|(user, _)| user.split_once(':').is_some_and(|(_, pw)| !pw.is_empty()))
    });
    named || url_password || TOKEN_PREFIXES.iter().any(|p| value.starts_with(p))
}

/// Whether a line sets a Firebase web app's API key where the page reads it
/// (`VITE_FIREBASE_API_KEY=AIza…`, as the Firebase console's config snippet names it): the key
/// only names the project to Firebase's services, which its security rules guard, and every
/// visitor's browser receives it. Firebase's docs: "API keys for Firebase services are ok to
/// include in code or checked-in config files" (firebase.google.com/docs/projects/api-keys).
/// Only a value shaped as a Google API key (`AIza` and 35 more) counts, so an OpenAI key set
/// under that name is still a credential.
fn firebase_web_key(key: &str, words: &[String], value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    let google_key = v.len() == 39
        && v.starts_with("AIza")
        && (v.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let tail = words.len().checked_sub(3).map(|i| &words[i..]);
    published(key) && tail.is_some_and(|t| t == ["firebase", "api", "key"]) && google_key
}

#[cfg(test)]
#[path = "env_file_tests.rs"]
mod tests;
