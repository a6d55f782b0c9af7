//! A Dockerfile's text as Docker reads it: its instructions, `COPY`/`ADD` arguments, and the
//! values a `FROM` line's variables take (the `ARG`s declared before the first `FROM`, and
//! BuildKit's automatic platform `ARG`s), so `FROM build-${TARGETARCH}` finds its stage.

use super::interpolate::{interpolate, Env};

/// A Dockerfile's instructions: (1-based line, upper-case name, arguments), continuation lines
/// joined (a comment inside a continuation dropped, as Docker does), heredoc bodies skipped.
pub fn instructions(text: &str) -> Vec<(usize, String, String)> {
    // BuildKit's parser drops a byte order mark before the first line; kept, it made `FROM`
    // an unknown instruction before any stage.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let first = lines[i].trim_start();
        i += 1;
        if first.starts_with('#') || first.is_empty() {
            continue;
        }
        let mut full = first.trim_end().to_string();
        while full.ends_with('\\') && i < lines.len() {
            full.pop();
            let next = lines[i].trim_start();
            i += 1;
            if next.starts_with('#') {
                full.push('\\');
                continue;
            }
            full.push(' ');
            full.push_str(next.trim_end());
        }
        let (instr, args) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
        if let Some(pos) = args.find("<<") {
            let delim: String = args[pos + 2..]
                .trim_start_matches('-')
                .trim_matches(|c| c == '"' || c == '\'')
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !delim.is_empty() {
                while i < lines.len() && lines[i].trim() != delim {
                    i += 1;
                }
                i += 1;
                continue;
            }
        }
        out.push((
            start + 1,
            instr.to_ascii_uppercase(),
            args.trim().to_string(),
        ));
    }
    out
}

/// `--flag=value` flags, then the paths (JSON form or words): (flags, paths).
pub fn copy_args(args: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut flags = Vec::new();
    let mut rest = args.trim();
    while let Some(r) = rest.strip_prefix("--") {
        let (flag, after) = r.split_once(char::is_whitespace).unwrap_or((r, ""));
        let (k, v) = flag.split_once('=').unwrap_or((flag, ""));
        flags.push((k.to_string(), v.to_string()));
        rest = after.trim_start();
    }
    let paths = if rest.starts_with('[') {
        serde_json::from_str::<Vec<String>>(rest).unwrap_or_default()
    } else {
        rest.split_whitespace().map(str::to_string).collect()
    };
    (flags, paths)
}

/// The `ARG`s a `FROM` line sees: BuildKit's platform arguments for a build on this machine
/// (Docker builds for the daemon's platform: Linux, this CPU), under the global `ARG`s'
/// defaults (`global`: `NAME=value` words of the `ARG` lines before the first `FROM`).
pub fn from_env(global: &[String]) -> Env {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        "loongarch64" => "loong64",
        other => other,
    };
    let platform = format!("linux/{arch}");
    let mut vars: Vec<(String, String)> = Vec::new();
    for side in ["TARGET", "BUILD"] {
        vars.push((format!("{side}OS"), "linux".into()));
        vars.push((format!("{side}ARCH"), arch.into()));
        vars.push((format!("{side}PLATFORM"), platform.clone()));
        vars.push((format!("{side}VARIANT"), String::new()));
    }
    for word in global {
        // `ARG NAME` without a default leaves a platform value in place, else it is unset.
        if let Some((k, v)) = word.split_once('=') {
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            vars.retain(|(n, _)| n != k);
            vars.push((k.to_string(), v.to_string()));
        }
    }
    Env::from_pairs(vars)
}

/// The image word of a `FROM` line with its variables replaced (unknown ones are empty, as
/// Docker has them); the word as written where the syntax is beyond that.
pub fn expand_from(word: &str, env: &Env) -> String {
    if !word.contains('$') {
        return word.to_string();
    }
    interpolate(word, env).unwrap_or_else(|_| word.to_string())
}

/// What a BuildKit build of this Dockerfile may read from its context, the only paths it
/// transfers: the sources of every stage's `COPY`/`ADD` without `--from`, and of every
/// `RUN --mount=type=bind` without `from`. A variable inside a name stands for any text there
/// (syncthing's `COPY stcrashreceiver-linux-${TARGETARCH}`); `None` where the text cannot say
/// (a path part that is only a variable, a bind mount of the whole context): then anything
/// may be read.
pub fn context_reads(text: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = super::copy_source::copy_sources(text)
        .into_iter()
        .map(|c| c.source)
        .collect();
    for b in super::copy_source::bind_sources(text) {
        if b.takes_whole_context() {
            return None;
        }
        out.push(b.source);
    }
    out.into_iter().map(|s| unknown_as_wildcard(&s)).collect()
}

/// BuildKit's automatic platform variables: one word each (`amd64`, `linux`, `v7`).
const PLATFORM_WORDS: &[&str] = &[
    "TARGETARCH",
    "TARGETOS",
    "TARGETVARIANT",
    "BUILDARCH",
    "BUILDOS",
];

/// `source` with each variable as `*`, where that is all it can be: inside a path part that
/// has text of its own, or a platform word. `None` for a part that is a variable alone (it
/// may be `.`, the whole context).
fn unknown_as_wildcard(source: &str) -> Option<String> {
    if !source.contains('$') {
        return Some(source.to_string());
    }
    let parts: Option<Vec<String>> = source
        .split('/')
        .map(|part| {
            let mut out = String::new();
            let mut only_platform = true;
            let mut chars = part.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '$' {
                    out.push(c);
                    continue;
                }
                let name: String = match chars.peek() {
                    Some('{') => {
                        chars.next();
                        let inner: String = chars.by_ref().take_while(|&x| x != '}').collect();
                        inner.split(':').next().unwrap_or_default().to_string()
                    }
                    _ => std::iter::from_fn(|| {
                        chars.next_if(|x| x.is_ascii_alphanumeric() || *x == '_')
                    })
                    .collect(),
                };
                only_platform &= PLATFORM_WORDS.contains(&name.as_str());
                if !out.ends_with('*') {
                    out.push('*');
                }
            }
            (out != "*" || only_platform).then_some(out)
        })
        .collect();
    Some(parts?.join("/"))
}

/// Whether the context file `path` is among `reads` (see [`context_reads`]): a source names
/// it or a directory above it, as a path or a pattern.
pub fn is_read(reads: &[String], path: &[u8]) -> bool {
    reads.iter().any(|s| {
        let c = super::ignore::clean(s.trim_start_matches('/'));
        if c == "." || c.is_empty() {
            return true;
        }
        // A source the engine cannot read may be anything.
        super::glob::compile(&c).map_or(true, |kind| kind.matches_or_above(path))
    })
}
