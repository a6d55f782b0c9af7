//! Go's path cleaning and `filepath.Match`'s syntax check, as Docker applies them to
//! `.dockerignore` lines and COPY sources.

/// `p` from the directory `workdir` (absolute), cleaned, as Docker resolves a path in a
/// Dockerfile against `WORKDIR`: a trailing `/` (a directory destination) is kept.
pub fn absolute(workdir: &str, p: &str) -> String {
    let joined = if p.starts_with('/') {
        p.to_string()
    } else {
        format!("{}/{p}", workdir.trim_end_matches('/'))
    };
    let mut s = clean(&joined);
    if p.ends_with('/') && s != "/" {
        s.push('/');
    }
    s
}

/// Go's `filepath.Clean` on a `/`-separated path.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if matches!(out.last(), Some(l) if *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// Go `filepath.Match`'s syntax check: the patterns it rejects, Docker rejects.
pub(super) fn check_syntax(p: &str) -> std::result::Result<(), String> {
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if i + 1 >= b.len() {
                    return Err("ends with an unescaped `\\`".into());
                }
                i += 2;
            }
            b'[' => {
                i += 1;
                if i < b.len() && b[i] == b'^' {
                    i += 1;
                }
                let mut first = true;
                loop {
                    if i >= b.len() {
                        return Err("unclosed `[`".into());
                    }
                    if b[i] == b']' && !first {
                        i += 1;
                        break;
                    }
                    // One class element: a char (maybe escaped), optionally `-` and another.
                    let lo = class_char(b, &mut i)?;
                    let _ = lo;
                    if i < b.len() && b[i] == b'-' {
                        i += 1;
                        if i < b.len() && b[i] == b']' {
                            return Err("range with no end in `[...]`".into());
                        }
                        class_char(b, &mut i)?;
                    }
                    first = false;
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn class_char(b: &[u8], i: &mut usize) -> std::result::Result<u8, String> {
    match b.get(*i) {
        None => Err("unclosed `[`".into()),
        Some(b'-') | Some(b']') => {
            Err("`-` or `]` where a character is expected in `[...]`".into())
        }
        Some(b'\\') => {
            let c = *b.get(*i + 1).ok_or("unclosed `[`")?;
            *i += 2;
            Ok(c)
        }
        Some(&c) => {
            // A UTF-8 character counts as one.
            let len = match c {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            *i += len;
            Ok(c)
        }
    }
}
