//! Which stages of a Dockerfile a build runs, and the Dockerfile as it runs them: BuildKit
//! runs the built stage and the stages it needs, nothing else.

use std::borrow::Cow;

use super::image::{named, stages};

/// The Dockerfile as a build of `target` (default: the last stage) runs it: the lines of the
/// stages it does not run left blank, so every line keeps its number. BuildKit, Docker's
/// builder since 23.0, runs only the stages the built one needs (its `FROM`, `COPY --from`,
/// `RUN --mount=…,from=`, and theirs), so a COPY in another stage neither fails the build nor
/// copies anything, and it transfers none of that stage's sources: Alice's `target:
/// production` never runs the `development` stage's `COPY
/// docker/entrypoints/development-entrypoint.sh`, a file it does not have. The whole text
/// where a stage the build runs names another by a variable (`FROM ${BASE}`, `COPY
/// --from=${STAGE}`), or the target is not there (that build fails at once).
pub fn built_text<'t>(text: &'t str, target: Option<&str>) -> Cow<'t, str> {
    let Some(spans) = built_spans(text, target) else {
        return Cow::Borrowed(text);
    };
    // What comes before the first FROM (global ARGs, parser directives) belongs to every stage.
    let first = stages(text).first().map_or(usize::MAX, |s| s.line);
    let kept = |n: usize| n < first || spans.iter().any(|&(a, b)| (a..b).contains(&n));
    let lines: Vec<&str> = (text.lines().enumerate())
        .map(|(i, l)| if kept(i + 1) { l } else { "" })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// The COPY/ADD sources of the stages a build of `target` runs ([`built_text`]).
pub fn built_copy_sources(text: &str, target: Option<&str>) -> Vec<super::copy_source::CopySource> {
    super::copy_source::copy_sources(&built_text(text, target))
}

/// The `RUN --mount=type=bind` sources of the stages a build of `target` runs.
pub fn built_bind_sources(text: &str, target: Option<&str>) -> Vec<super::copy_source::CopySource> {
    super::copy_source::bind_sources(&built_text(text, target))
}

/// The line spans (`FROM` line to the next stage's) of the stages a build of `target` runs.
fn built_spans(text: &str, target: Option<&str>) -> Option<Vec<(usize, usize)>> {
    let st = stages(text);
    let built = match target {
        Some(t) => named(&st, st.len(), t)?,
        None => st.len().checked_sub(1)?,
    };
    let mut need = vec![false; st.len()];
    let mut todo = vec![built];
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut need[i], true) {
            continue;
        }
        if st[i].open_base {
            return None;
        }
        todo.extend(st[i].base);
        let refs = (st[i].copies.iter().filter_map(|c| c.from.as_deref()))
            .chain(st[i].mounts.iter().map(String::as_str));
        for r in refs {
            if r.contains('$') {
                return None;
            }
            // A number is a stage's index; a name not of a stage before, an image.
            let j = match r.parse::<usize>() {
                Ok(n) => (n < i).then_some(n),
                Err(_) => named(&st, i, r),
            };
            todo.extend(j);
        }
    }
    let ends = (st.iter().skip(1).map(|s| s.line)).chain([usize::MAX]);
    Some(
        (st.iter().zip(ends).enumerate())
            .filter(|(i, _)| need[*i])
            .map(|(_, (s, end))| (s.line, end))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_stages_a_build_runs_have_copy_sources() {
        let df = "FROM scratch AS dev\nCOPY dev.txt /d\nFROM scratch AS deps\nCOPY req.txt /r\n\
                  FROM scratch AS tools\nCOPY tool.sh /t\nFROM scratch AS unused\nCOPY u.txt /u\n\
                  FROM scratch\nRUN --mount=type=bind,from=tools,target=/t true\n\
                  COPY --from=1 /r /r\nCOPY app.py /app.py\n";
        let lines = |target: Option<&str>| -> Vec<String> {
            super::built_copy_sources(df, target)
                .into_iter()
                .map(|c| c.source)
                .collect()
        };
        assert_eq!(lines(None), ["req.txt", "tool.sh", "app.py"]);
        assert_eq!(lines(Some("dev")), ["dev.txt"]);
        // A stage named by a variable could be any: every source counts.
        let var = "FROM scratch AS a\nCOPY a.txt /a\nFROM scratch AS b\nCOPY b.txt /b\n\
                   FROM scratch\nCOPY --from=${STAGE} /a /a\n";
        assert_eq!(super::built_copy_sources(var, None).len(), 2);
        // No such target: the build fails before any COPY, and nothing is left out.
        assert_eq!(super::built_copy_sources(var, Some("nope")).len(), 2);
        let from_var = "FROM scratch AS a\nCOPY a.txt /a\nFROM scratch AS b\nCOPY b.txt /b\n\
                        FROM ${BASE}\nCOPY c.txt /c\n";
        assert_eq!(super::built_copy_sources(from_var, None).len(), 3);
        // A variable with a default names an image: the stages above are not run.
        let image = "ARG PY=3.11\nFROM scratch AS a\nCOPY a.txt /a\nFROM python:${PY}-slim\nCOPY c.txt /c\n";
        assert_eq!(super::built_copy_sources(image, None).len(), 1);
    }

    #[test]
    fn the_built_text_keeps_line_numbers_and_blanks_the_stages_not_run() {
        let df = "# syntax=docker/dockerfile:1\nARG V=1\nFROM scratch AS dev\nCOPY . /all\nFROM scratch\nCOPY app.py /app.py\n";
        let t = super::built_text(df, None);
        assert_eq!(
            t,
            "# syntax=docker/dockerfile:1\nARG V=1\n\n\nFROM scratch\nCOPY app.py /app.py"
        );
        // So BuildKit reads app.py alone: the dev stage's `COPY .` would send everything.
        let reads = crate::docker::dockerfile::context_reads(&t).unwrap();
        assert_eq!(reads, ["app.py"]);
        assert_eq!(
            super::built_text(df, Some("dev")).lines().nth(3),
            Some("COPY . /all")
        );
    }
}
