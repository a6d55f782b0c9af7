//! Paths in the commands a finding tells the user to run: quoted for a POSIX shell, so a name
//! with a space, a quote or a `$` can be pasted as it is shown.

use std::borrow::Cow;

/// `path` as one shell word, after `--` when it starts with `-` (so the command does not read
/// it as an option).
pub fn path_arg(path: &str) -> Cow<'_, str> {
    // A NUL byte is the one thing no shell can quote; a path cannot hold one.
    let q = shlex::try_quote(path).unwrap_or(Cow::Borrowed(path));
    if path.starts_with('-') {
        Cow::Owned(format!("-- {q}"))
    } else {
        q
    }
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
        for p in ["my backups", "it's $HOME", "a\"b`c`\\d", "ünï cödé"] {
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {}", path_arg(p))])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stdout), p);
        }
    }
}
