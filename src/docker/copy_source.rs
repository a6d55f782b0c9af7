//! What a Dockerfile copies from its build context: the sources of COPY and ADD (not
//! `--from=` stages, not URLs), each as written, with what it names in the context.

/// A COPY or ADD source.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CopySource {
    pub line: usize,
    pub instruction: String,
    pub source: String,
}

impl CopySource {
    /// The source as a path or pattern in the context: cleaned, without a leading `/`. `None`
    /// for the context itself (`.`), a way out of it (`..`) or a variable, none of which
    /// names what in the context it takes.
    pub fn pattern(&self) -> Option<String> {
        let c = super::ignore::clean(self.source.trim_start_matches('/'));
        let whole = is_context(&c) || c.split('/').any(|x| x == "..");
        (!whole && !c.contains('$')).then_some(c)
    }

    /// Whether the source is the context itself (`.`, `./`, `/`): it takes all that is sent.
    pub fn takes_whole_context(&self) -> bool {
        is_context(&super::ignore::clean(self.source.trim_start_matches('/')))
    }

    /// The source as one path in the context ([`Self::pattern`] without wildcards).
    pub fn literal(&self) -> Option<String> {
        self.pattern().filter(|c| !c.contains(['*', '?', '[']))
    }

    /// The directory a source with a variable or a wildcard lies in, as far as it is written
    /// out (`backend/go` of LocalAI's `backend/go/${BACKEND}/`); `None` for a literal source
    /// or one that starts with the variable.
    pub fn fixed_dir(&self) -> Option<String> {
        let c = super::ignore::clean(self.source.trim_start_matches('/'));
        if c.split('/').any(|x| x == "..") || !c.contains(['$', '*', '?', '[']) {
            return None;
        }
        let fixed: Vec<&str> = (c.split('/'))
            .take_while(|x| !x.contains(['$', '*', '?', '[', '{']))
            .collect();
        (!fixed.is_empty()).then(|| fixed.join("/"))
    }
}

/// A cleaned source that names the context itself.
fn is_context(cleaned: &str) -> bool {
    cleaned.is_empty() || cleaned == "."
}

/// The local sources COPY and ADD read from the build context.
pub fn copy_sources(dockerfile: &str) -> Vec<CopySource> {
    let mut out = Vec::new();
    for (line, instr, args) in super::dockerfile::instructions(dockerfile) {
        if instr != "COPY" && instr != "ADD" {
            continue;
        }
        let (flags, mut paths) = super::dockerfile::copy_args(&args);
        // `--from` reads another stage or image, not the context.
        if flags.iter().any(|(k, _)| k == "from") || paths.len() < 2 {
            continue;
        }
        paths.pop(); // the destination
        for s in paths {
            if s.contains("://") || s.starts_with("git@") {
                continue;
            }
            out.push(CopySource {
                line,
                instruction: instr.clone(),
                source: s,
            });
        }
    }
    out
}

/// The context paths `RUN --mount=type=bind` mounts (a bind mount without `from` reads the
/// context; `type` is `bind` unless written): each `source` (or `src`), `.` where none is
/// given (the whole context). Found in the raw text, as a heredoc RUN is not an instruction
/// there; `instruction` is `RUN --mount`. ragflow's `RUN --mount=type=bind,source=.git,…
/// git describe` fails once `.git` is excluded.
pub fn bind_sources(dockerfile: &str) -> Vec<CopySource> {
    let mut out = Vec::new();
    for (i, text) in dockerfile.lines().enumerate() {
        if text.trim_start().starts_with('#') {
            continue;
        }
        for spec in text.split("--mount=").skip(1) {
            let spec = spec.split_whitespace().next().unwrap_or_default();
            let field = |k: &str| {
                spec.split(',')
                    .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
            };
            if field("type").is_some_and(|t| t != "bind") || field("from").is_some() {
                continue;
            }
            out.push(CopySource {
                line: i + 1,
                instruction: "RUN --mount".into(),
                source: field("source").or(field("src")).unwrap_or(".").to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_and_add_sources_not_stages_or_urls() {
        let df = "FROM python:3.11 AS build\n\
                  COPY requirements.txt /app/\n\
                  copy --chown=app:app src/ static/ /app/\n\
                  COPY --from=build /wheels /wheels\n\
                  ADD https://example.com/x.tar.gz /tmp/\n\
                  ADD [\"vendor dir/lib.tar\", \"/opt/\"]\n\
                  # COPY commented.txt /x\n\
                  COPY a.txt \\\n     b.txt /dst/\n\
                  RUN <<EOF\nCOPY not-an-instruction /x\nEOF\n\
                  COPY --link . /app\n";
        let got: Vec<(usize, String)> = copy_sources(df)
            .into_iter()
            .map(|c| (c.line, c.source))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "requirements.txt".into()),
                (3, "src/".into()),
                (3, "static/".into()),
                (6, "vendor dir/lib.tar".into()),
                (8, "a.txt".into()),
                (8, "b.txt".into()),
                (13, ".".into()),
            ]
        );
    }
}
