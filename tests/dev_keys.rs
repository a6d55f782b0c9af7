//! A development or demo key is no leak: a certificate's key for `localhost` or a `.test` site,
//! a key in an example's folder. Not a committed secret, and a warning where a build's context
//! holds it, which says what the builder does with it.

mod common;

use common::repo::Repo;

/// A PKCS#8 private key's armour, enough for the audit to judge it a key.
const PEM: &str =
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

/// The paths an audit says are committed secrets.
fn committed(a: &serde_json::Value) -> Vec<String> {
    (common::finding_rows(a).into_iter())
        .filter(|(c, ..)| c == "secret-committed")
        .map(|(_, p, _)| p)
        .collect()
}

/// Each `secret-in-context` finding's path and severity, in the audit's order.
fn sent(a: &serde_json::Value) -> Vec<(&str, &str)> {
    (common::findings(a, "secret-in-context").into_iter())
        .map(|f| (f["path"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect()
}

/// A development certificate's key for `localhost` (mkcert's `localhost-key.pem`, committed at
/// the root of 2,765 public repositories; `certs/localhost.key`, 756; Caddy's
/// `caddytest/caddy.localhost.key`) secures a name only the machine itself answers to: not a
/// committed secret, and a warning where a build context holds it. mkcert's CA key, which
/// signs for any name, stays an error.
#[test]
fn a_localhost_certificate_key_is_a_development_key_and_the_ca_key_is_not() {
    let r = Repo::new(&[
        ("localhost-key.pem", PEM),
        ("certs/localhost.key", PEM),
        ("certs/localhost+2-key.pem", PEM),
        ("rootCA-key.pem", PEM),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    let a = r.audit();
    assert_eq!(committed(&a), ["rootCA-key.pem"], "{a:#}");
    assert_eq!(
        sent(&a),
        [
            ("rootCA-key.pem", "error"),
            ("certs/localhost+2-key.pem", "warning"),
            ("certs/localhost.key", "warning"),
            ("localhost-key.pem", "warning"),
        ],
        "{a:#}"
    );
    let said = common::findings(&a, "secret-in-context")[1]["message"].to_string();
    assert!(
        said.contains("a certificate's key for `localhost`"),
        "{said}"
    );
}

/// A key beside a certificate for `localhost` alone (axum's six `examples/*/self_signed_certs/
/// key.pem`, each beside a `cert.pem` of `CN = localhost`) is a development key: no committed
/// secret, and a warning where a build sends it. Beside a certificate that also names another
/// host, it is a real one.
#[test]
fn a_key_beside_a_certificate_for_localhost_alone_is_a_development_key() {
    let local = include_str!("../testdata/certs/localhost-cn.crt");
    let san = include_str!("../testdata/certs/localhost-san.crt");
    let mixed = include_str!("../testdata/certs/localhost-and-example.crt");
    let r = Repo::new(&[
        ("local-tls/self_signed_certs/key.pem", PEM),
        ("local-tls/self_signed_certs/cert.pem", local),
        ("dev/certs/server.key", PEM),
        ("dev/certs/server.crt", san),
        ("deploy/certs/key.pem", PEM),
        ("deploy/certs/cert.pem", mixed),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    let a = r.audit();
    assert_eq!(committed(&a), ["deploy/certs/key.pem"], "{a:#}");
    assert_eq!(
        sent(&a),
        [
            ("deploy/certs/key.pem", "error"),
            ("dev/certs/server.key", "warning"),
            ("local-tls/self_signed_certs/key.pem", "warning"),
        ],
        "{a:#}"
    );
    let said = common::findings(&a, "secret-in-context")[2]["message"].to_string();
    assert!(
        said.contains("the certificate beside it (`cert.pem`) names only this machine"),
        "{said}"
    );
}

/// A key or key store a project keeps in its examples is a demo it publishes (documenso's
/// `apps/remix/example/cert.p12`, which its e2e tests sign with): no committed secret, and a
/// warning where a build sends it. An environment file there holds whoever wrote the
/// example's own keys, and stays an error.
#[test]
fn a_key_in_an_examples_folder_is_a_demo_key_and_an_env_file_there_is_not() {
    let r = Repo::new(&[
        ("apps/remix/example/server.key", PEM),
        (
            "examples/chat/.env",
            "OPENAI_API_KEY=sk-proj-Zx81kQ2mWvR7tYb1pLc9\n",
        ),
        ("Dockerfile", "FROM scratch\nCOPY . /app\n"),
    ]);
    let a = r.audit();
    assert_eq!(committed(&a), ["examples/chat/.env"], "{a:#}");
    let key = (common::findings(&a, "secret-in-context").into_iter())
        .find(|f| f["path"] == "apps/remix/example/server.key")
        .unwrap_or_else(|| panic!("{a:#}"));
    assert_eq!(key["severity"], "warning", "{key}");
    assert!(
        key["message"]
            .as_str()
            .unwrap()
            .contains("it sits in `apps/remix/example/`, an example's folder"),
        "{key}"
    );
}

/// What the builder does with a development key, said after why it is one: one `COPY .` sends
/// is in the image; one no COPY names reaches only the legacy builder (uptime-kuma's
/// `test/manual-test-radius-tls/certs/redis.key` beside a `localhost` certificate).
#[test]
fn a_development_key_no_copy_names_reaches_only_the_legacy_builder() {
    let local = include_str!("../testdata/certs/localhost-cn.crt");
    let said = |dockerfile: &str| {
        let r = Repo::new(&[
            ("certs/redis.key", PEM),
            ("certs/redis.crt", local),
            ("app.py", "print(1)\n"),
            ("Dockerfile", dockerfile),
        ]);
        let a = r.audit();
        let f = common::findings(&a, "secret-in-context");
        assert_eq!(f.len(), 1, "{a:#}");
        f[0]["message"].as_str().unwrap().to_string()
    };
    let copied = said("FROM scratch\nCOPY . /app\n");
    assert!(
        copied.ends_with("a development key, but the builder gets it all the same"),
        "{copied}"
    );
    let unread = said("FROM scratch\nCOPY app.py /app/\n");
    assert!(unread.contains("BuildKit does not send it"), "{unread}");
    assert!(
        unread.ends_with("a development key, and only the legacy builder gets it"),
        "{unread}"
    );
}
