//! Secrets sent to a build: judged by content where a name is ambiguous, said once for every
//! build that sends them, and with a fix that does not break the build (a file the
//! `.dockerignore` re-includes by name, or a COPY names, is wanted by the build: excluding it
//! is no fix).

mod common;

use common::repo::Repo;
use common::*;

#[test]
fn secrets_are_judged_by_content_where_names_are_ambiguous_and_said_once() {
    let r = Repo::new(&[
        ("app/main.py", "print(1)\n"),
        ("backend/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build: ./backend\n  all:\n    build: .\n",
        ),
        (".npmrc", "engine-strict=true\n"),
        (".env.example", "KEY=\n"),
    ]);
    // A virtualenv's public CA bundle is not a secret; a private key is, once, for both builds.
    r.write(
        ".venv/lib/python3.11/site-packages/certifi/cacert.pem",
        &"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".repeat(50),
    );
    r.write(".venv/pyvenv.cfg", "home = /usr/bin\n");
    r.write(
        "backend/certs/tls.pem",
        "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n",
    );
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    assert_eq!(f.len(), 1, "{f:?}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("backend/certs/tls.pem` (a private key)"),
        "{msg}"
    );
    assert!(msg.contains("compose.yaml: services all and api"), "{msg}");
    let fix = f[0]["fix"].as_str().unwrap();
    assert!(fix.contains("certs/tls.pem") && fix.contains("; "), "{fix}");
}

/// A `.dockerignore` that re-includes `.env` by name (chatgpt-web: `.*`, `*/.*`, `!.env`; its
/// front-end build reads it) sends it on purpose: a warning that names the line, not an error
/// whose fix would break the build; and `ignore --write` adds no line that undoes it. A
/// wildcard exception (`!**/*.pem`) names no file: what it lets through stays an error.
#[test]
fn a_secret_re_included_by_name_is_a_warning_and_stays_re_included() {
    let di = ".*\n*/.*\n!.env\n!**/*.pem\n";
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".dockerignore", di),
        (".env", "VITE_API_KEY=abc\n"),
        (
            "certs/tls.pem",
            "-----BEGIN PRIVATE KEY-----\nMHc\n-----END PRIVATE KEY-----\n",
        ),
    ]);
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    let by = |p: &str| {
        *f.iter()
            .find(|x| x["path"] == p)
            .unwrap_or_else(|| panic!("{p}: {f:?}"))
    };
    assert_eq!(by(".env")["severity"], "warning", "{f:?}");
    let msg = by(".env")["message"].as_str().unwrap();
    assert!(
        msg.contains("on purpose: .dockerignore:3 (`!.env`)"),
        "{msg}"
    );
    assert_eq!(by("certs/tls.pem")["severity"], "error", "{f:?}");
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.code().unwrap() < 2, "{}", stderr(&o));
    let written = std::fs::read_to_string(r.path(".dockerignore")).unwrap();
    assert!(written.starts_with(di), "{written}");
    let ctx = r.run(&["context", "--list"]);
    assert!(
        stdout(&ctx).lines().any(|l| l == ".env"),
        "{}",
        stdout(&ctx)
    );
}

/// A key the Dockerfile copies by name or pattern (mindsdb's test database image: `COPY
/// ./certs/* /var/lib/.postgresql/`) is wanted by the build: the finding names that line and
/// its fix hands the key in another way; a `.dockerignore` line would break the COPY. One
/// the build takes only with its directory (`COPY . /app`) keeps the ignore-file fix.
#[test]
fn a_secret_a_copy_names_is_told_by_that_line() {
    let key = "-----BEGIN PRIVATE KEY-----\nMHc\n-----END PRIVATE KEY-----\n";
    let r = Repo::new(&[
        (
            "db/Dockerfile",
            "FROM scratch\nCOPY ./sql/ /init/\nCOPY ./certs/* /var/lib/pg/\n",
        ),
        ("db/sql/init.sql", "select 1;\n"),
        ("db/certs/server.key", key),
        (
            "db/certs/server.crt",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        ),
        ("app/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("app/tls/app.key", key),
        (
            "compose.yaml",
            "services:\n  db:\n    build: ./db\n  app:\n    build: ./app\n",
        ),
    ]);
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    let by = |p: &str| {
        *f.iter()
            .find(|x| x["path"] == p)
            .unwrap_or_else(|| panic!("{p}: {f:?}"))
    };
    let db = by("db/certs/server.key");
    assert_eq!(db["severity"], "error", "{db}");
    let msg = db["message"].as_str().unwrap();
    assert!(
        msg.contains("is copied in by db/Dockerfile:3 (`COPY ./certs/*`)"),
        "{msg}"
    );
    let fix = db["fix"].as_str().unwrap();
    assert!(
        fix.contains("RUN --mount=type=secret") && !fix.contains("add `"),
        "{fix}"
    );
    let app = by("app/tls/app.key");
    assert!(
        app["message"]
            .as_str()
            .unwrap()
            .ends_with("is sent to the build context of compose.yaml: service app"),
        "{app}"
    );
    assert_eq!(
        app["fix"], "add `tls/app.key` to app/.dockerignore",
        "{app}"
    );
}

/// A key the build copies in with its folder, which the program reads by its path (KIRAKIRA's
/// `fs.readFileSync('src/ssl/key.pem')`, ragflow's `os.path.join(base, "conf",
/// "private.pem")`): a `.dockerignore` line alone would leave the program without it, so the
/// fix names the line and says to hand the key over when the container runs. A key no line
/// names, a line naming some other `key.pem`, and an environment file the code loads by name
/// keep the plain fix: the program takes an environment's values from the environment.
#[test]
fn a_key_the_program_reads_is_handed_over_when_it_runs() {
    let key = "-----BEGIN PRIVATE KEY-----\nMHc\n-----END PRIVATE KEY-----\n";
    let r = Repo::new(&[
        (
            "Dockerfile",
            "FROM scratch\nCOPY src /app/src\nCOPY conf /app/conf\n",
        ),
        (
            "src/app.ts",
            "const key = fs.readFileSync('src/ssl/key.pem', 'utf8');\n",
        ),
        ("src/ssl/key.pem", key),
        (
            "src/crypt.py",
            "p = os.path.join(base, \"conf\", \"private.pem\")\nload_dotenv(\"conf/.env\")\n",
        ),
        ("conf/private.pem", key),
        ("conf/.env", "OPENAI_API_KEY=sk-proj-abcdef0123456789abcd\n"),
        ("conf/other/key.pem", key),
        (
            "src/flags.go",
            "Key string `description:\"path to the key.pem file\"`\n",
        ),
        (
            "README.md",
            "Make one: `openssl genrsa -out conf/spare.pem`\n",
        ),
        ("conf/spare.pem", key),
    ]);
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    let fix = |p: &str| {
        let x = f.iter().find(|x| x["path"] == p);
        let x = x.unwrap_or_else(|| panic!("{p}: {f:?}"));
        x["fix"].as_str().unwrap().to_string()
    };
    let ts = fix("src/ssl/key.pem");
    assert!(
        ts.starts_with(
            "src/app.ts:1 names it (`const key = fs.readFileSync('src/ssl/key.pem', 'utf8');`)"
        ) && ts.contains("give it to the container when it runs")
            && ts.contains("add `src/ssl/key.pem` to .dockerignore"),
        "{ts}"
    );
    assert!(fix("conf/private.pem").starts_with("src/crypt.py:1 names it"));
    for plain in ["conf/.env", "conf/other/key.pem", "conf/spare.pem"] {
        assert_eq!(fix(plain), format!("add `{plain}` to .dockerignore"));
    }
}

/// A key where tests keep their fixtures (syncthing's `test/h1/key.pem`, velero's
/// `testdata/certificate.pem`) is most likely a throwaway one: a warning that says so. And one
/// file is one finding: a build that leaves it behind (syncthing's `Dockerfile.builder`) adds
/// none beside the builds that send it (it had 10 errors and 10 such warnings).
#[test]
fn a_test_fixture_key_is_a_warning_said_once() {
    let key = "-----BEGIN PRIVATE KEY-----\nMHc\n-----END PRIVATE KEY-----\n";
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /src\n"),
        ("Dockerfile.builder", "FROM scratch\nRUN true\n"),
        ("lib/api/testdata/key.pem", key),
        ("certs/prod.pem", key),
    ]);
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    let paths: Vec<&str> = f.iter().map(|x| x["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        ["certs/prod.pem", "lib/api/testdata/key.pem"],
        "{f:?}"
    );
    let prod = f[0];
    assert_eq!(prod["severity"], "error", "{prod}");
    let fixture = f[1];
    assert_eq!(fixture["severity"], "warning", "{fixture}");
    let msg = fixture["message"].as_str().unwrap();
    assert!(
        msg.contains("is sent to the build context of Dockerfile; it sits in `lib/api/testdata/`, where tests keep their fixtures"),
        "{msg}"
    );
}

/// Keys of one test-fixture directory are one finding for the directory, with one fix
/// (syncthing's `test/` holds eight: twenty findings before, counting the build that leaves
/// them behind); a directory with one key keeps the file's own finding.
#[test]
fn a_fixture_directory_of_keys_is_one_finding() {
    let key = "-----BEGIN PRIVATE KEY-----\nMHc\n-----END PRIVATE KEY-----\n";
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /src\n"),
        ("Dockerfile.builder", "FROM scratch\nRUN true\n"),
        ("test/h1/key.pem", key),
        ("test/h2/key.pem", key),
        ("test/h3/https-key.pem", key),
        ("lib/testdata/only.pem", key),
    ]);
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    let paths: Vec<&str> = f.iter().map(|x| x["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["lib/testdata/only.pem", "test"], "{f:?}");
    let g = f[1];
    assert_eq!(g["severity"], "warning", "{g}");
    let msg = g["message"].as_str().unwrap();
    assert!(
        msg.starts_with("3 secrets in `test/`, where tests keep their fixtures, are sent to the build context of Dockerfile: `test/h1/key.pem`, `test/h2/key.pem`, `test/h3/https-key.pem`;"),
        "{msg}"
    );
    assert_eq!(
        g["fix"],
        "add `test` to .dockerignore, unless the build runs the tests"
    );
}

/// An environment file that sets only settings (h2ogpt's committed `.env`: a port, a model
/// name, a tokenizer) is sent all the same, but holds no credential: a warning that says why.
/// One with a password in a URL, or a variable named like a key, stays an error.
#[test]
fn an_env_file_of_settings_is_a_warning_and_one_with_a_credential_an_error() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (
            ".env",
            "H2OGPT_PORT=7860\nVLLM_TOKENIZER=hf-internal-testing/llama-tokenizer\n",
        ),
        ("api/.env", "DATABASE_URL=postgres://app:hunter2@db/app\n"),
        ("web/.env", "PORT=80\nSTRIPE_KEY=x\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    assert_eq!(f.len(), 3, "{f:?}");
    let by = |p: &str| f.iter().find(|x| x["path"] == p).unwrap();
    let settings = by(".env");
    assert_eq!(settings["severity"], "warning", "{settings}");
    let msg = settings["message"].as_str().unwrap();
    assert!(msg.contains("(an environment file of settings)"), "{msg}");
    assert!(
        msg.contains("no variable in it is named like a key"),
        "{msg}"
    );
    for p in ["api/.env", "web/.env"] {
        assert_eq!(by(p)["severity"], "error", "{p}");
    }
}

/// An environment file named for a test run (snipe-it's `.env.testing-ci`, pterodactyl's
/// `.env.ci`) holds throwaway values committed for CI: a warning that says why, where the
/// same password in `.env` is an error.
#[test]
fn an_env_file_named_for_tests_is_a_warning() {
    let r = Repo::new(&[
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
        (".env", "DB_PASSWORD=s3cret\n"),
        (".env.testing-ci", "DB_PASSWORD=s3cret\n"),
        (".env.ci", "APP_KEY=base64:glJpcM7BYwWiBggp3SQ=\n"),
    ]);
    let a = r.audit();
    let f = findings(&a, "secret-in-context");
    let by = |p: &str| {
        *f.iter()
            .find(|x| x["path"] == p)
            .unwrap_or_else(|| panic!("{p}: {f:?}"))
    };
    assert_eq!(by(".env")["severity"], "error", "{f:?}");
    for p in [".env.testing-ci", ".env.ci"] {
        assert_eq!(by(p)["severity"], "warning", "{f:?}");
        let msg = by(p)["message"].as_str().unwrap();
        assert!(msg.contains("its name says it is for tests or CI"), "{msg}");
    }
}

/// A copy of an environment file (ReComposer's `recompose_backend/.env.backup`) holds the same
/// secrets, and nothing reads it: kept, never deleted, and `ignore --write` keeps it out of the
/// image as it does `.env`, so the audit after it finds no secret sent.
#[test]
fn a_copy_of_an_env_file_is_kept_and_kept_out_of_the_image() {
    let env = "OPENAI_API_KEY=sk-proj-abcdef0123456789abcd\n";
    let r = Repo::new(&[
        ("api/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("api/main.py", "print(1)\n"),
        ("api/.env.backup", env),
        ("api/.env.example", "OPENAI_API_KEY=\n"),
    ]);
    let a = r.audit();
    let sent = findings(&a, "secret-in-context");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["path"], "api/.env.backup");
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = r
        .read("api/.dockerignore")
        .expect("api/.dockerignore written");
    assert!(written.lines().any(|l| l == "**/.env.backup*"), "{written}");
    assert!(findings(&r.audit(), "secret-in-context").is_empty());
    let plan = plan_json(&r.root, &[]);
    let protected = plan["protected"].as_array().unwrap();
    let kept = (protected.iter())
        .find(|p| p["path"] == "api/.env.backup")
        .unwrap_or_else(|| panic!("{plan}"));
    assert_eq!(kept["keep_rule"], "keep-env-files", "{kept}");
    assert!(r.exists("api/.env.backup") && r.exists("api/.env.example"));
}

/// The copy spelled with `_` or `-` (`.env_old` is committed in 290 public repositories,
/// `.env_backup` in 230, `.env-backup` in 113) or named by an editor or a file manager
/// (`.env copy` in 6,195, `.env~` in 997) is an environment file too: before, none of them
/// was a secret, sent or committed, `ignore --write` left them in the image, and `plan`
/// deleted `.env~` as an editor's backup. A template so spelled (`.env_example`) is none.
#[test]
fn a_copy_of_an_env_file_spelled_with_a_dash_or_underscore_is_a_secret() {
    let env = "OPENAI_API_KEY=sk-proj-abcdef0123456789abcd\n";
    let r = Repo::new(&[
        ("api/Dockerfile", "FROM scratch\nCOPY . /app\n"),
        ("api/main.py", "print(1)\n"),
        ("api/.env_old", env),
        ("api/.env-backup", env),
        // What VS Code's or Finder's duplicate and an editor's backup are named.
        ("api/.env copy", env),
        ("api/.env~", env),
        ("api/.env_example", "OPENAI_API_KEY=\n"),
    ]);
    let a = r.audit();
    let copies = [
        "api/.env copy",
        "api/.env-backup",
        "api/.env_old",
        "api/.env~",
    ];
    for code in ["secret-in-context", "secret-committed"] {
        let mut paths: Vec<&str> = (findings(&a, code).iter())
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        paths.sort_unstable();
        assert_eq!(paths, copies, "{code}");
    }
    let o = r.run(&["ignore", "--write"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(findings(&r.audit(), "secret-in-context").is_empty());
    // Kept, never deleted: `backup-files` takes `*~`, the keep rule wins.
    let plan = plan_json(&r.root, &[]);
    assert!(entry_at(&plan, "api/.env~").is_none(), "{plan:#}");
    assert!(copies.iter().all(|c| r.exists(c)));
}
