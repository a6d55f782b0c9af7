//! Tests of [`super`]: the names read from real certificates (testdata/certs/README.md says
//! how each was made), and the folder a key sits in.
use super::*;

const LOCALHOST_CN: &str = include_str!("../../testdata/certs/localhost-cn.crt");
const LOCALHOST_SAN: &str = include_str!("../../testdata/certs/localhost-san.crt");
const NOT_ONLY_LOCAL: &str = include_str!("../../testdata/certs/localhost-and-example.crt");
const DOT_TEST_SAN: &str = include_str!("../../testdata/certs/valet-test-san.crt");

fn names_of(pem: &str) -> Vec<String> {
    let der = certificates(pem);
    assert_eq!(der.len(), 1);
    names(&der[0]).expect("an X.509 certificate")
}

#[test]
fn the_subject_and_its_alternative_names_are_read() {
    assert_eq!(names_of(LOCALHOST_CN), ["localhost"]);
    assert_eq!(
        names_of(LOCALHOST_SAN),
        ["localhost", "app.localhost", "127.0.0.1", "::1"]
    );
    assert_eq!(
        names_of(NOT_ONLY_LOCAL),
        ["localhost", "localhost", "api.example.com"]
    );
    // Not a certificate: nothing read, and no panic on cut or garbled DER.
    let der = &certificates(LOCALHOST_SAN)[0];
    for cut in [0, 1, 2, 10, der.len() / 2, der.len() - 1] {
        let _ = names(&der[..cut]);
    }
    assert!(
        certificates("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n").is_empty()
    );
}

#[test]
fn local_names_are_this_machines_and_the_reserved_ones() {
    for n in [
        "localhost",
        "LOCALHOST.",
        "app.localhost",
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "laravel-base.test",
        "*.app.test",
        "shop.example",
    ] {
        assert!(local(n), "{n}");
    }
    for n in [
        "example.com",
        "localhost.example.com",
        "10.0.0.1",
        "0.0.0.0",
        "mylocalhost",
        "test",
        "latest",
        "app.test.com",
        "",
    ] {
        assert!(!local(n), "{n}");
    }
}

#[test]
fn a_key_beside_only_local_certificates_is_a_development_key() {
    let d = tempfile::tempdir().unwrap();
    let key = d.path().join("key.pem");
    std::fs::write(
        &key,
        "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    assert_eq!(beside(&key), None, "no certificate beside it");
    std::fs::write(d.path().join("cert.pem"), LOCALHOST_CN).unwrap();
    assert_eq!(beside(&key).as_deref(), Some("cert.pem"));
    std::fs::write(d.path().join("dev.crt"), LOCALHOST_SAN).unwrap();
    assert!(beside(&key).is_some());
    // A `.test` site's (Laravel Valet's, made by mkcert): public DNS never resolves it.
    std::fs::write(d.path().join("laravel-base.test.pem"), DOT_TEST_SAN).unwrap();
    assert!(beside(&key).is_some());
    // Any certificate for another name makes the folder's key no development one.
    std::fs::write(d.path().join("api.crt"), NOT_ONLY_LOCAL).unwrap();
    assert_eq!(beside(&key), None);
}
