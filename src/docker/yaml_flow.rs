//! Compose files whose flow collections close at their key's indentation:
//!
//! ```yaml
//!     healthcheck:
//!       test: [
//!           "CMD-SHELL",
//!       ]
//! ```
//!
//! (getsentry/self-hosted's `docker-compose.yml`). The YAML spec wants a flow collection's
//! lines indented past the block that holds it and the YAML loader refuses them ("invalid
//! indentation"); libyaml, which Compose reads with (PyYAML, go-yaml), takes them. Inside a
//! flow collection a line's leading spaces mean nothing (scalars continued there are folded
//! and trimmed), so such a line is given the indentation the spec asks for and the document
//! reads as Compose reads it.

use std::borrow::Cow;

use yaml_rust2::scanner::{Scanner, TokenType};

/// Rescans allowed per file, in bytes scanned: a file of many such lines is fixed a line per
/// scan, and a hostile one must not turn that into minutes.
const MAX_SCANNED: usize = 64 << 20;

/// `text` with the lines the loader would refuse for their indentation inside a flow
/// collection indented past the line that opened the outermost one; `text` itself when
/// there are none (or for any other error, which the loader then reports).
pub fn indent_flow_lines(text: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(text);
    let mut scanned = 0;
    while scanned < MAX_SCANNED {
        scanned += text.len().max(1);
        let Some((line, open)) = misindented(&text) else {
            break;
        };
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let indent = |i: usize| {
            lines
                .get(i)
                .map_or(0, |l| l.len() - l.trim_start_matches(' ').len())
        };
        let (want, have) = (indent(open) + 1, indent(line));
        if line >= lines.len() || have >= want {
            break; // nothing this can mend
        }
        let mut fixed = String::with_capacity(text.len() + want);
        for (i, l) in lines.iter().enumerate() {
            if i == line {
                fixed.extend(std::iter::repeat_n(' ', want - have));
            }
            fixed.push_str(l);
        }
        text = Cow::Owned(fixed);
    }
    text
}

/// The 0-based line of the first token refused for its indentation inside a flow collection,
/// and the line that opened the outermost open one.
fn misindented(text: &str) -> Option<(usize, usize)> {
    let mut scanner = Scanner::new(text.chars());
    let mut open: Vec<usize> = Vec::new();
    for tok in &mut scanner {
        match tok.1 {
            TokenType::FlowSequenceStart | TokenType::FlowMappingStart => {
                open.push(tok.0.line().saturating_sub(1));
            }
            TokenType::FlowSequenceEnd | TokenType::FlowMappingEnd => {
                open.pop();
            }
            _ => {}
        }
    }
    let e = scanner.get_error()?;
    let outer = *open.first()?;
    e.info()
        .starts_with("invalid indentation")
        .then(|| (e.marker().line().saturating_sub(1), outer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yaml_rust2::YamlLoader;

    fn load(t: &str) -> Result<Vec<yaml_rust2::Yaml>, yaml_rust2::ScanError> {
        YamlLoader::load_from_str(t)
    }

    #[test]
    fn flow_lines_at_their_keys_indentation_read_as_libyaml_reads_them() {
        let sentry = "services:\n  web:\n    healthcheck:\n      test: [\n          \"CMD-SHELL\",\n          # a comment\n          \"wget -q\n          http://x || exit 1\",\n      ]\n      interval: 30s\n";
        assert!(load(sentry).is_err(), "the loader refuses it as written");
        let fixed = indent_flow_lines(sentry);
        let proper = "services:\n  web:\n    healthcheck:\n      test: [\n          \"CMD-SHELL\",\n          \"wget -q http://x || exit 1\",\n        ]\n      interval: 30s\n";
        assert_eq!(load(&fixed).unwrap(), load(proper).unwrap());
        // Several, and a flow mapping inside a flow sequence.
        let many = "a:\n  b: [\n  1,\n  {k: v,\n  j: w},\n  ]\n  c: d\n";
        let want = load("a:\n  b: [1, {k: v, j: w}]\n  c: d\n").unwrap();
        assert_eq!(load(&indent_flow_lines(many)).unwrap(), want);
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for t in [
            "a:\n  b: [1, 2]\n",
            "a:\n  b: [\n    1,\n  ]\n",
            // Block indentation errors are the loader's to report, unchanged.
            "a:\n    b: 1\n  c: 2\n",
            "a: 'unterminated\n",
        ] {
            assert!(matches!(indent_flow_lines(t), Cow::Borrowed(_)), "{t}");
        }
    }
}
