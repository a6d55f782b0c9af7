//! Whether a committed private key belongs to a development certificate for this machine
//! alone, told by the certificate beside it: axum's six `examples/*/self_signed_certs/key.pem`
//! sit beside a `cert.pem` whose subject is `CN = localhost`, and thousands of repositories
//! commit a `certs/key.pem` with a `cert.pem` made the same way for `https://localhost`. Such a
//! key secures a name only the machine itself answers to (as the names mkcert gives its keys
//! say, [`super::secret_sent::for_localhost`]). A certificate is read as X.509 says it is laid
//! out: its subject's common names and its subject alternative names, each of which must be
//! local; a folder holding any other certificate is not a development one.

use std::path::Path;

use base64::Engine;

/// Certificates larger than this are not one self-signed certificate (a CA bundle is).
const MAX_CERT_BYTES: u64 = 64 << 10;
/// A folder with more entries than this is not a folder of one development certificate.
const MAX_ENTRIES: usize = 64;

/// For a committed key file (`name` ends in `.pem` or `.key`; `path` on disk), the name of
/// the certificate beside it that shows it a development key ([`beside`]).
pub(super) fn dev_key(path: &Path, name: &[u8]) -> Option<String> {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    (name.ends_with(".pem") || name.ends_with(".key"))
        .then(|| beside(path))
        .flatten()
}

/// The name of the certificate beside `key` (a path on disk) that shows it a development key:
/// every certificate in its folder names only this machine (`localhost`, `*.localhost`,
/// `127.0.0.1`, `::1`) or names public DNS never resolves (`*.test`), and there is at least
/// one. `None` otherwise.
pub(super) fn beside(key: &Path) -> Option<String> {
    let dir = key.parent()?;
    let mut found = None;
    for (i, e) in std::fs::read_dir(dir).ok()?.enumerate() {
        let e = e.ok()?;
        if i >= MAX_ENTRIES {
            return None;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        if !["pem", "crt", "cer", "cert"].iter().any(|x| {
            name.rsplit('.')
                .next()
                .is_some_and(|e| e.eq_ignore_ascii_case(x))
        }) {
            continue;
        }
        let text = crate::fsx::read_text(&e.path(), MAX_CERT_BYTES)?;
        for der in certificates(&text) {
            match names(&der) {
                Some(n) if !n.is_empty() && n.iter().all(|n| local(n)) => {}
                _ => return None,
            }
            // The first by name: the same answer whatever order the folder lists.
            if found.as_ref().is_none_or(|f: &String| *f > name) {
                found = Some(name.clone());
            }
        }
    }
    found
}

/// The DER of each `CERTIFICATE` block of a PEM text.
fn certificates(text: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let body = &rest[start + "-----BEGIN CERTIFICATE-----".len()..];
        let Some(end) = body.find("-----END CERTIFICATE-----") else {
            break;
        };
        let b64: String = body[..end].split_whitespace().collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(b64) {
            out.push(der);
        }
        rest = &body[end..];
    }
    out
}

/// One DER element: its tag, its content, and what follows it.
fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, b) = b.split_first()?;
    let (&first, mut b) = b.split_first()?;
    let len = match first {
        n if n < 0x80 => n as usize,
        0x81..=0x84 => {
            let k = (first & 0x7f) as usize;
            let (bytes, rest) = (b.get(..k)?, b.get(k..)?);
            b = rest;
            bytes.iter().fold(0usize, |n, &x| (n << 8) | x as usize)
        }
        _ => return None,
    };
    Some((tag, b.get(..len)?, b.get(len..)?))
}

/// The elements a constructed DER element holds.
fn children(mut b: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (tag, content, rest) = tlv(b)?;
        out.push((tag, content));
        b = rest;
    }
    Some(out)
}

const SEQUENCE: u8 = 0x30;
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];

/// The names a certificate secures: its subject's common names, and the DNS names and IP
/// addresses of its subject alternative names (an IP as text). `None` where it is not laid
/// out as X.509's `Certificate` (or holds a kind of alternative name not read here).
fn names(der: &[u8]) -> Option<Vec<String>> {
    let (SEQUENCE, cert, _) = tlv(der)? else {
        return None;
    };
    let (SEQUENCE, tbs) = *children(cert)?.first()? else {
        return None;
    };
    let fields = children(tbs)?;
    // version [0] (absent in v1), serial, signature, issuer, validity, subject, key, then
    // the optional [1], [2] and extensions [3].
    let skip = usize::from(fields.first()?.0 == 0xa0);
    let (SEQUENCE, subject) = *fields.get(skip + 4)? else {
        return None;
    };
    let mut out = Vec::new();
    for (_, set) in children(subject)? {
        for (_, atv) in children(set)? {
            if let [(0x06, OID_COMMON_NAME), (_, value)] = children(atv)?.as_slice() {
                out.push(String::from_utf8_lossy(value).into_owned());
            }
        }
    }
    if let Some((_, exts)) = fields.iter().skip(skip + 6).find(|(t, _)| *t == 0xa3) {
        let (SEQUENCE, list) = *children(exts)?.first()? else {
            return None;
        };
        for (_, ext) in children(list)? {
            let parts = children(ext)?;
            if parts.first() != Some(&(0x06, OID_SUBJECT_ALT_NAME)) {
                continue;
            }
            let (0x04, octets) = *parts.last()? else {
                return None;
            };
            let (SEQUENCE, general, _) = tlv(octets)? else {
                return None;
            };
            for (tag, v) in children(general)? {
                out.push(match tag {
                    0x82 => String::from_utf8_lossy(v).into_owned(),
                    0x87 => ip_text(v)?,
                    _ => return None,
                });
            }
        }
    }
    Some(out)
}

fn ip_text(v: &[u8]) -> Option<String> {
    let ip: std::net::IpAddr = match v.len() {
        4 => <[u8; 4]>::try_from(v).ok()?.into(),
        16 => <[u8; 16]>::try_from(v).ok()?.into(),
        _ => return None,
    };
    Some(ip.to_string())
}

/// Whether a name is this machine's alone: `localhost` and its subdomains (RFC 6761), the
/// loopback addresses.
fn local(name: &str) -> bool {
    let n = name.trim().trim_end_matches('.').to_ascii_lowercase();
    // The top-level names RFC 2606 and 6761 keep out of public DNS: `laravel-base.test`,
    // mkcert's key for the `.test` host Laravel Valet and Herd serve from 127.0.0.1.
    let reserved = [".localhost", ".test", ".example", ".invalid"];
    n == "localhost"
        || reserved.iter().any(|r| n.ends_with(r))
        || n.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
#[path = "local_cert_tests.rs"]
mod tests;
