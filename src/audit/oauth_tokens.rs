//! Saved OAuth tokens: what Google's API quickstarts write after the first sign-in, `token.json`
//! (`creds.to_json()`, committed at the root of 3,877+ public repositories) and the older
//! `token.pickle` (3,018+: Drive mirror bots, Gmail assistants). Each holds a refresh token, with
//! which anyone can act as the account that signed in, for as long as it is not revoked. The
//! name only says a token may be there (`tokens.json` is as often a design system's colours),
//! so the content decides: a `refresh_token` with a value.

use super::secrets::Secret;

const WHAT: &str = "a saved OAuth token: its refresh token acts as the account that signed in";

/// Removing the app's access is what voids a refresh token; a new one comes with the next
/// sign-in.
const REVOKE: &str = "remove the app's access from the account that signed in (for Google: myaccount.google.com/permissions), which voids the refresh token";

/// Whether `body` (of a file whose name says token) holds a refresh token: in JSON, a
/// `refresh_token` string that is no placeholder, at the top or one object down (`{"web": {…}}`);
/// in a pickle, a `refresh_token` attribute given a string.
pub(super) fn saved_token(body: &[u8], pickle: bool) -> Option<Secret> {
    let found = match pickle {
        true => pickled_refresh_token(body),
        false => json_refresh_token(body),
    };
    found.then(|| Secret {
        revoke: REVOKE,
        ..Secret::sure(WHAT)
    })
}

fn json_refresh_token(body: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(top)) = serde_json::from_slice(body) else {
        return false;
    };
    let holds = |o: &serde_json::Map<String, serde_json::Value>| {
        o.get("refresh_token")
            .and_then(|v| v.as_str())
            .is_some_and(|v| !v.trim().is_empty() && !crate::env_file::is_placeholder_value(v))
    };
    holds(&top) || top.values().any(|v| v.as_object().is_some_and(holds))
}

/// A pickled credentials object (google-auth's `_refresh_token`, oauth2client's
/// `refresh_token`): the attribute's name, then, past the opcodes that remember it, a string
/// opcode. `None` (`N`) is a token that was never given one.
fn pickled_refresh_token(body: &[u8]) -> bool {
    const NAME: &[u8] = b"refresh_token";
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&body[from..], NAME) {
        let mut i = from + at + NAME.len();
        // MEMOIZE, BINPUT n, LONG_BINPUT nnnn.
        loop {
            match body.get(i) {
                Some(0x94) => i += 1,
                Some(b'q') => i += 2,
                Some(b'r') => i += 5,
                _ => break,
            }
        }
        // SHORT_BINUNICODE, BINUNICODE, UNICODE, SHORT_BINSTRING, BINSTRING.
        if matches!(body.get(i), Some(0x8c | b'X' | b'V' | b'U' | b'T')) {
            return true;
        }
        from += at + NAME.len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_google_token_is_a_secret() {
        let token = br#"{"token": "ya29.a0Af", "refresh_token": "1//0gAbCdEf", "token_uri": "https://oauth2.googleapis.com/token", "client_id": "1.apps.googleusercontent.com", "client_secret": "GOCSPX-abc", "scopes": ["https://www.googleapis.com/auth/gmail.readonly"]}"#;
        let s = saved_token(token, false).unwrap();
        assert!(s.credential && s.issued && s.revoke.contains("permissions"));
        let nested = br#"{"web": {"refresh_token": "1//0gAbCdEf"}}"#;
        assert!(saved_token(nested, false).is_some());
    }

    #[test]
    fn no_refresh_token_no_secret() {
        for body in [
            // A design system's tokens.
            &br##"{"color": {"primary": {"value": "#0af"}}}"##[..],
            br#"{"refresh_token": ""}"#,
            br#"{"refresh_token": null}"#,
            br#"{"refresh_token": "YOUR_REFRESH_TOKEN"}"#,
            br#"{"refresh_token": "<refresh token>"}"#,
            b"refresh_token=1//abc",
            b"",
        ] {
            assert!(saved_token(body, false).is_none(), "{body:?}");
        }
    }

    #[test]
    fn a_pickled_token_is_a_secret_when_it_holds_one() {
        // google-auth's Credentials, protocol 4: `_refresh_token`, MEMOIZE, SHORT_BINUNICODE.
        let mut pickled = b"\x80\x04\x95\x00\x8c\x19google.oauth2.credentials\x94".to_vec();
        pickled.extend(b"\x8c\x0e_refresh_token\x94\x8c\x0b1//0gAbCdEf\x94");
        assert!(saved_token(&pickled, true).is_some());
        // oauth2client, protocol 2: BINPUT, then BINUNICODE.
        let old = b"U\x0drefresh_tokenq\x07X\x04\x00\x00\x001/ab";
        assert!(saved_token(old, true).is_some());
        let none = b"\x8c\x0e_refresh_token\x94N\x8c\x06_scope";
        assert!(saved_token(none, true).is_none());
        assert!(saved_token(b"\x80\x04K\x01.", true).is_none());
    }
}
