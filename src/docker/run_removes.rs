//! What a `RUN` deletes from its stage's filesystem with a plain `rm`: healthchecks copies the
//! whole context into its builder stage, runs `rm -rf /opt/healthchecks/.git`, and the final
//! stage takes `COPY --from=builder /opt/healthchecks/`: its image holds no `.git`. A stage's
//! own layers keep what a later `RUN` removes (a layer only adds a whiteout), so this matters
//! only where another stage copies from it.
//!
//! Only what is certain is read: literal paths of `rm` commands joined by `&&` or `;`, after a
//! literal `cd`. A path with a variable, a glob, a quote inside or a `~`, a command after
//! `||`, a heredoc: not read, and the files stay counted (the forecast errs high).

use super::go_path::absolute;

/// The absolute paths a `RUN` with arguments `args` (flags first, then shell or exec form)
/// removes, run from `workdir` (absolute).
pub(super) fn removed(args: &str, workdir: &str) -> Vec<String> {
    let mut rest = args.trim();
    while let Some(r) = rest.strip_prefix("--") {
        rest = r
            .split_once(char::is_whitespace)
            .map_or("", |(_, a)| a.trim_start());
    }
    if !rest.starts_with('[') {
        return shell(rest, workdir);
    }
    let argv: Vec<String> = serde_json::from_str(rest).unwrap_or_default();
    let words: Vec<&str> = argv.iter().map(String::as_str).collect();
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    let prog = |i: usize| words.get(i).map(|w| base(w));
    // `busybox rm …` and `busybox sh -c …` are `rm …` and `sh -c …`.
    let skip = usize::from(prog(0).as_deref() == Some("busybox"));
    match (
        prog(skip).as_deref(),
        words.get(skip + 1),
        words.get(skip + 2),
    ) {
        (Some("sh" | "bash" | "ash" | "dash"), Some(&"-c"), Some(cmd)) => shell(cmd, workdir),
        (Some("rm"), _, _) => rm_args(&words[skip + 1..], Some(workdir)),
        _ => Vec::new(),
    }
}

/// The paths the `rm` commands of shell text `text` remove.
fn shell(text: &str, workdir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cwd = Some(workdir.to_string());
    let mut after_or = false;
    for (seg, joined_by_or) in segments(text) {
        let words: Vec<&str> = seg.split_whitespace().collect();
        let certain = !after_or;
        after_or = joined_by_or;
        match words.first().map(|w| w.rsplit('/').next().unwrap_or(w)) {
            Some("cd") => {
                // Where the next commands run, if the directory is literal.
                cwd = match words.as_slice() {
                    [_, d] if literal(d) => resolve(cwd.as_deref(), d),
                    _ => None,
                };
            }
            Some("rm") if certain => out.extend(rm_args(&words[1..], cwd.as_deref())),
            _ => {}
        }
    }
    out
}

/// Commands of `text` split at `&&`, `;` and `||`, each with whether `||` follows it (the
/// command after runs only if it failed).
fn segments(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let two = &b[i..(i + 2).min(b.len())];
        let (cut, len, or) = match two {
            b"&&" => (true, 2, false),
            b"||" => (true, 2, true),
            [b';', ..] => (true, 1, false),
            _ => (false, 1, false),
        };
        if cut {
            out.push((&text[start..i], or));
            start = i + len;
        }
        i += len;
    }
    out.push((&text[start..], false));
    out
}

/// The operands of `rm` (flags skipped until `--`), absolute; relative ones only where the
/// directory they are read from (`cwd`) is known.
fn rm_args(args: &[&str], cwd: Option<&str>) -> Vec<String> {
    let mut flags = true;
    let mut out = Vec::new();
    for a in args {
        if flags && *a == "--" {
            flags = false;
            continue;
        }
        if flags && a.starts_with('-') {
            continue;
        }
        if !literal(a) {
            continue;
        }
        out.extend(resolve(cwd, a).filter(|p| p != "/"));
    }
    out
}

/// The literal path `p` as absolute, read from `cwd` where it is relative (`None` where that
/// is not known), without a trailing `/`.
fn resolve(cwd: Option<&str>, p: &str) -> Option<String> {
    let from = if p.starts_with('/') { "/" } else { cwd? };
    let abs = absolute(from, p);
    Some(match abs.trim_end_matches('/') {
        "" => "/".to_string(),
        t => t.to_string(),
    })
}

/// A path the shell passes as written: no variable, glob, quote, escape, `~` or substitution.
fn literal(w: &str) -> bool {
    !w.is_empty()
        && !w.contains([
            '$', '*', '?', '[', '{', '~', '`', '\'', '"', '\\', '(', '<', '>', '|', '&',
        ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rm_commands_are_read() {
        let run = "rm -rf /opt/healthchecks/.git && rm -rf /opt/healthchecks/stuff";
        assert_eq!(
            removed(run, "/"),
            ["/opt/healthchecks/.git", "/opt/healthchecks/stuff"]
        );
        assert_eq!(
            removed("rm -f tests/a.py; rm -r -- -x", "/app"),
            ["/app/tests/a.py", "/app/-x"]
        );
        assert_eq!(
            removed("cd /srv && rm -rf cache ../tmp", "/app"),
            ["/srv/cache", "/tmp"]
        );
        assert_eq!(
            removed("--mount=type=cache,target=/c rm -rf /c/x", "/"),
            ["/c/x"]
        );
        let exec = r#"["/bin/busybox", "rm", "-rf", "/b/src", "docs"]"#;
        assert_eq!(removed(exec, "/b"), ["/b/src", "/b/docs"]);
        let sh = r#"["/bin/busybox", "sh", "-c", "rm -rf node_modules && rm dist/app.js"]"#;
        assert_eq!(removed(sh, "/b"), ["/b/node_modules", "/b/dist/app.js"]);
    }

    #[test]
    fn what_is_not_certain_is_not_read() {
        for run in [
            "rm -rf $APP/.git",
            "rm -rf /app/*.md",
            "rm -rf ~/.cache",
            "rm -rf \"/app/my dir\"",
            "test -d /x || rm -rf /app/x",
            "rm -rf /",
            "pip install x",
            "echo rm -rf /app",
        ] {
            assert!(removed(run, "/").is_empty(), "{run}");
        }
        // After a `cd` to a variable, relative paths are unknown; absolute ones are not.
        assert_eq!(removed("cd $HOME && rm -rf x /abs", "/app"), ["/abs"]);
        // `|| true` after an rm leaves the rm certain.
        assert_eq!(removed("rm -rf /app/.git || true", "/"), ["/app/.git"]);
    }
}
