//! Ignore files git and Docker cannot read: both take a `.gitignore` or `.dockerignore` as UTF-8
//! lines, so one saved as UTF-16 (what Windows PowerShell 5's `>` and `>>` write, and
//! `Out-File` by default) has a NUL in every other byte: `node_modules` is `n\0o\0d\0…`. Git
//! matches none of its lines (voicebox's `.gitignore` ended in such a block, appended by `>>`);
//! Engine 20.10 fails a BuildKit build on one and its legacy builder sends everything. A
//! Dockerfile saved so is read the same way: no instruction Docker knows.

use std::path::Path;

/// What is wrong with an ignore file's bytes as git and Docker read them: `None` for UTF-8.
pub fn problem(bytes: &[u8]) -> Option<String> {
    // Before the UTF-8 check: ASCII saved as UTF-16 without a mark is valid UTF-8, NULs and all.
    if let Some(order) = utf16(bytes) {
        return Some(format!(
            "UTF-16 ({order}) text, as Windows PowerShell's `>` writes it, where git and Docker \
             read UTF-8"
        ));
    }
    (std::str::from_utf8(bytes).is_err())
        .then(|| "not UTF-8 text, which git and Docker read".to_string())
}

/// How to turn the file at `shown`, whose `problem` is said, into UTF-8: from UTF-16 with
/// `iconv`; from another encoding, which its bytes do not tell, as the user's editor can.
pub fn fix(shown: &str, problem: &str) -> String {
    let arg = crate::shell::path_arg(shown);
    match problem.starts_with("UTF-16") {
        true => format!(
            "save it as UTF-8: `iconv -f UTF-16 -t UTF-8 {arg} > {arg}.utf8 && mv {arg}.utf8 \
             {arg}` (in PowerShell, `Set-Content -Encoding utf8`)"
        ),
        false => format!("save {arg} as UTF-8 (an editor's \"Save with Encoding\", or `iconv -f` its encoding `-t UTF-8`)"),
    }
}

/// The byte order of UTF-16 text: told by its byte order mark, or by NULs in every other byte
/// of its first characters (ASCII text saved without a mark).
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xff, 0xfe, ..] => return Some("little-endian"),
        [0xfe, 0xff, ..] => return Some("big-endian"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    let pairs = || head.chunks_exact(2);
    let ascii = |b: u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    if head.len() < 4 {
        None
    } else if pairs().all(|p| p[1] == 0 && ascii(p[0])) {
        Some("little-endian")
    } else if pairs().all(|p| p[0] == 0 && ascii(p[1])) {
        Some("big-endian")
    } else {
        None
    }
}

/// The problem with the ignore file at `path`, if it is there and cannot be read as UTF-8.
pub fn of_file(path: &Path) -> Option<String> {
    let bytes = crate::fsx::read_regular(path, crate::limits::MAX_IGNORE_BYTES, false).ok()??;
    problem(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_is_told_by_its_mark_or_its_nuls() {
        let le: Vec<u8> = "\u{feff}node_modules\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "\u{feff}node_modules\r\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let bare: Vec<u8> = "node_modules\n.env\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(problem(&le).unwrap().starts_with("UTF-16 (little-endian)"));
        assert!(problem(&be).unwrap().starts_with("UTF-16 (big-endian)"));
        assert!(problem(&bare)
            .unwrap()
            .starts_with("UTF-16 (little-endian)"));
        assert_eq!(problem("\u{feff}node_modules\n".as_bytes()), None);
        assert_eq!(problem(b"node_modules\n"), None);
        assert!(problem(b"caf\xe9\n").unwrap().starts_with("not UTF-8"));
    }
}
