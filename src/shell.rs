//! Paths in the commands a finding tells the user to run: quoted for a POSIX shell, so a name
//! with a space, a quote or a `$` can be pasted as it is shown.

use std::borrow::Cow;

/// `path` as one shell word, after `--` when it starts with `-` (so the command does not read
/// it as an option).
pub fn path_arg(path: &str) -> Cow<'_, str> {
    // A NUL byte is the one thing no shell can quote; a path cannot hold one.
    let q = if path.chars().any(odd) {
        Cow::Owned(ansi_c(path))
    } else {
        shlex::try_quote(path).unwrap_or(Cow::Borrowed(path))
    };
    if path.starts_with('-') {
        Cow::Owned(format!("-- {q}"))
    } else {
        q
    }
}

/// What reports show escaped (`report::visible`): control characters and bidi overrides.
fn odd(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `$'...'` quoting (bash, zsh, ksh, POSIX.1-2024 sh) for a name holding control characters:
/// the command stays on one line and every report can print it as it is, where a newline
/// inside plain quotes would be shown escaped (`\n`) and name another file.
fn ansi_c(s: &str) -> String {
    let mut o = String::from("$'");
    for c in s.chars() {
        match c {
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            c if odd(c) && (c as u32) < 0x100 => o.push_str(&format!("\\x{:02x}", c as u32)),
            c if odd(c) => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('\'');
    o
}

/// Any text as one shell word.
pub fn word(s: &str) -> Cow<'_, str> {
    shlex::try_quote(s).unwrap_or(Cow::Borrowed(s))
}

#[cfg(test)]
mod tests {
    use super::path_arg;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(path_arg("backups"), "backups");
        assert_eq!(path_arg("docs/FAZ1_REPORT.md"), "docs/FAZ1_REPORT.md");
        assert_eq!(path_arg("my backups"), "'my backups'");
        // One word for sh, whatever the quoting style: checked by a shell below.
        assert_eq!(path_arg("it's $HOME"), r#""it's "'$HOME'"#);
        assert_eq!(path_arg("-rf_backup"), "-- -rf_backup");
        // zsh expands a word starting with `=` to a command's path (`=1.0.0`, pip's output).
        assert_eq!(path_arg("=1.0.0"), "'=1.0.0'");
        assert_eq!(path_arg("a\nb's"), r"$'a\nb\'s'");
        // bash reads it back as the same name.
        let out = std::process::Command::new("bash")
            .args(["-c", &format!("printf %s {}", path_arg("x\n\ty\x1b"))])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "x\n\ty\x1b");
        for p in ["my backups", "it's $HOME", "a\"b`c`\\d", "ünï cödé"] {
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {}", path_arg(p))])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stdout), p);
        }
    }
}
