//! Whether a credentials file of keys and values sets a credential to a value of its own.
//! npm's documented way to keep a token out of a committed `.npmrc` is
//! `//npm.pkg.github.com/:_authToken=${NPM_TOKEN}`, which npm fills from the environment when
//! it runs: that line holds no token (proxmox-backup-client-manager commits one, and its five
//! Dockerfiles copy it in; the audit called it "an npm token" six times, as an error).

/// Whether a line of `body` that is not a comment sets one of `keys` (lowercase; found in any
/// case) to a literal value: `key=value`, `key = value`, `key: value`, or `key value` as
/// `.netrc` writes it. Empty values and variables (`${NPM_TOKEN}`, `$TOKEN`) are none.
pub(super) fn sets_literal(body: &[u8], keys: &[&str]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.lines().any(|line| {
        let line = line.trim_start();
        if line.starts_with('#') || line.starts_with(';') {
            return false;
        }
        let lower = line.to_ascii_lowercase();
        keys.iter()
            .any(|k| (lower.match_indices(k)).any(|(at, _)| literal(&line[at + k.len()..])))
    })
}

/// Whether what follows a key is a literal value (the key whole: `_auth` is not `_authToken`).
fn literal(rest: &str) -> bool {
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(['=', ':']).unwrap_or(rest).trim_start();
    let value = rest.split_whitespace().next().unwrap_or("");
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    // `${NPM_TOKEN}` as an environment file writes it ([`crate::env_file::held_elsewhere`]),
    // or the bare `$NPM_TOKEN` some write, which npm leaves as it is: no token either way.
    let bare = (value.strip_prefix('$'))
        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
    !value.is_empty() && !bare && !crate::env_file::held_elsewhere(value)
}

#[cfg(test)]
mod tests {
    use super::sets_literal;

    #[test]
    fn a_variable_or_an_empty_value_is_no_credential() {
        let npm = &["_authtoken", "_auth", "_password"];
        for (body, secret) in [
            ("//npm.pkg.github.com/:_authToken=${NPM_TOKEN}\n", false),
            ("//registry.npmjs.org/:_authToken = $NPM_TOKEN\n", false),
            ("//registry.npmjs.org/:_authToken=\n", false),
            ("# _authToken=npm_abcdef123456\n", false),
            ("@scope:registry=https://npm.pkg.github.com\n", false),
            ("//registry.npmjs.org/:_authToken=npm_abcdef123456\n", true),
            ("_auth=\"dXNlcjpwYXNz\"\n", true),
        ] {
            assert_eq!(sets_literal(body.as_bytes(), npm), secret, "{body}");
        }
        let pw = &["password"];
        assert!(sets_literal(
            b"machine api.example.com login me password s3cret\n",
            pw
        ));
        assert!(!sets_literal(
            b"machine api.example.com login me password\n",
            pw
        ));
        assert!(sets_literal(
            b"[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n",
            pw
        ));
        assert!(!sets_literal(b"[pypi]\npassword = ${PYPI_TOKEN}\n", pw));
    }
}
