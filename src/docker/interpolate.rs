//! Compose's variables: the `.env` file beside the project, the process environment over it,
//! and `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR:+alt}`, `$VAR`
//! and `$$` in the values the tool reads (build contexts, Dockerfiles, file lists).

use std::collections::HashMap;
use std::path::Path;

/// The variables a project sees: `.env` first, the process environment over it (Compose's
/// precedence).
#[derive(Debug, Clone, Default)]
pub struct Env {
    file: HashMap<String, String>,
    process: HashMap<String, String>,
}

impl Env {
    /// `dir/.env` (when it is a regular file) under the process environment, with `PWD` the
    /// project's directory: `${PWD}/..` is where the shell runs compose, which is the
    /// project's as its docs say, never the directory mami-clean was started in (run from
    /// `/tmp` with `-C`, `context: ${PWD}/..` was `/`, and the audit walked the filesystem).
    pub fn for_project(dir: &Path) -> Env {
        let file = crate::fsx::read_text(&dir.join(".env"), 1 << 20)
            .map(|t| parse_env_file(&t).into_iter().collect())
            .unwrap_or_default();
        let mut process: HashMap<String, String> = std::env::vars().collect();
        process.insert("PWD".into(), dir.to_string_lossy().into_owned());
        Env { file, process }
    }

    #[cfg(test)]
    pub fn of(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    /// These variables and no others (a Dockerfile's `ARG`s: the process environment is not
    /// the build's).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Env {
        Env {
            file: HashMap::new(),
            process: pairs.into_iter().collect(),
        }
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.process
            .get(k)
            .or_else(|| self.file.get(k))
            .map(String::as_str)
    }

    /// What the `.env` file alone says.
    pub fn file(&self, k: &str) -> Option<&str> {
        self.file.get(k).map(String::as_str)
    }
}

/// `KEY=VALUE` lines: `#` comments, an optional `export `, quotes around the value stripped.
fn parse_env_file(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim();
        let v = match (v.chars().next(), v.chars().last()) {
            (Some(q @ ('"' | '\'')), Some(e)) if v.len() >= 2 && e == q => &v[1..v.len() - 1],
            // An unquoted value ends at ` #`.
            _ => v.split(" #").next().unwrap_or(v).trim_end(),
        };
        out.push((k.trim().to_string(), v.to_string()));
    }
    out
}

/// `s` with its variables replaced; an error for `${VAR:?message}` with VAR unset or empty
/// (Compose stops there too) and for an unclosed `${`.
pub fn interpolate(s: &str, env: &Env) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(r) = rest.strip_prefix('{') {
            let end = closing(r).ok_or_else(|| format!("`{s}`: `${{` is not closed"))?;
            out.push_str(&braced(&r[..end], env)?);
            rest = &r[end + 1..];
        } else {
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if n == 0 {
                out.push('$');
            } else {
                out.push_str(env.get(&rest[..n]).unwrap_or(""));
            }
            rest = &rest[n..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Where the `}` closing a `${` is, nested `${...}` in a default included.
fn closing(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The inside of `${...}`.
fn braced(inner: &str, env: &Env) -> Result<String, String> {
    let n = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, op) = inner.split_at(n);
    let val = env.get(name);
    let set_nonempty = val.is_some_and(|v| !v.is_empty());
    let (test_empty, kind, arg) = match op {
        "" => return Ok(val.unwrap_or("").to_string()),
        _ if op.starts_with(':') => (true, op[1..].chars().next(), &op[2.min(op.len())..]),
        _ => (false, op.chars().next(), &op[1..]),
    };
    let present = if test_empty {
        set_nonempty
    } else {
        val.is_some()
    };
    match kind {
        Some('-') if present => Ok(val.unwrap_or("").to_string()),
        Some('-') => interpolate(arg, env),
        Some('+') if present => interpolate(arg, env),
        Some('+') => Ok(String::new()),
        Some('?') if present => Ok(val.unwrap_or("").to_string()),
        Some('?') => Err(format!(
            "required variable {name} is missing a value: {arg}"
        )),
        _ => Err(format!("`${{{inner}}}`: not a variable Compose can read")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_forms() {
        let env = Env::of(&[("A", "x"), ("EMPTY", ""), ("DIR", "backend")]);
        let i = |s: &str| interpolate(s, &env);
        assert_eq!(i("./${DIR}").unwrap(), "./backend");
        assert_eq!(i("$DIR/app").unwrap(), "backend/app");
        assert_eq!(i("${NOPE:-def}").unwrap(), "def");
        assert_eq!(i("${EMPTY:-def}").unwrap(), "def");
        assert_eq!(i("${EMPTY-def}").unwrap(), "");
        assert_eq!(i("${NOPE-def}").unwrap(), "def");
        assert_eq!(i("${A:+alt}").unwrap(), "alt");
        assert_eq!(i("${NOPE:+alt}").unwrap(), "");
        assert_eq!(i("${NOPE:-${DIR}/x}").unwrap(), "backend/x");
        assert_eq!(i("cost $$5").unwrap(), "cost $5");
        assert_eq!(i("${NOPE}").unwrap(), "");
        assert!(i("${NOPE:?set it}").unwrap_err().contains("set it"));
        assert!(i("${A").is_err());
    }

    #[test]
    fn env_files() {
        let v = parse_env_file("# c\nexport A=1\nB=\"two words\"\nC='x'\nD=plain # note\n\nbad\n");
        assert_eq!(
            v,
            [("A", "1"), ("B", "two words"), ("C", "x"), ("D", "plain")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }
}
