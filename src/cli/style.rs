//! How human output reaches the terminal: colour (deny/error red, warn yellow, PASS green,
//! FAIL red, SKIP yellow, the headline and verdicts bold) only on a terminal unless
//! `--color always`, never with `NO_COLOR` set or `--color never`, never in JSON; and `-q`,
//! which keeps only errors and the final verdict. The reports stay plain text: styling is a
//! pass over their lines here, so the core never knows about terminals.

use std::io::IsTerminal;
use std::sync::OnceLock;

use super::args::ColorWhen;

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// The terminal's width, when stdout is one: long paths are elided to fit it.
    pub width: Option<usize>,
}

static STYLE: OnceLock<Style> = OnceLock::new();

/// Decide once, from the flags, the environment and whether stdout is a terminal.
pub fn init(when: ColorWhen, quiet: bool, verbose: bool) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => !no_color && std::io::stdout().is_terminal(),
    };
    let width = std::io::stdout()
        .is_terminal()
        .then(|| rustix::termios::tcgetwinsize(std::io::stdout()).ok())
        .flatten()
        .map(|w| usize::from(w.ws_col))
        .filter(|&w| w >= 40);
    let _ = STYLE.set(Style {
        color,
        quiet,
        verbose,
        width,
    });
}

pub fn get() -> Style {
    STYLE.get().copied().unwrap_or(Style {
        color: false,
        quiet: false,
        verbose: false,
        width: None,
    })
}

/// A human report as it should be shown.
pub fn human(text: &str) -> String {
    let s = get();
    let mut lines: Vec<&str> = text.lines().collect();
    if s.quiet {
        lines = quiet(&lines);
    }
    let mut out = String::with_capacity(text.len() + 64);
    for l in lines {
        let fitted = s.width.map(|w| fit(l, w));
        let l = fitted.as_deref().unwrap_or(l);
        if s.color {
            paint(l, &mut out);
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

/// A line longer than `width` with its longest path elided in the middle, as cargo does
/// (`ui-new/node_mod…/react/index.js`); a line with no path to shorten stays whole.
fn fit(line: &str, width: usize) -> std::borrow::Cow<'_, str> {
    let len = line.chars().count();
    if len <= width {
        return line.into();
    }
    let Some(path) = line
        .split_whitespace()
        .filter(|w| w.contains('/'))
        .max_by_key(|w| w.chars().count())
    else {
        return line.into();
    };
    let plen = path.chars().count();
    let keep = plen.saturating_sub(len - width + 1);
    if keep < 8 {
        return line.into();
    }
    let head: String = path.chars().take(keep / 2).collect();
    let tail: String = path.chars().skip(plen - (keep - keep / 2)).collect();
    line.replacen(path, &format!("{head}…{tail}"), 1).into()
}

/// Errors (with their fix line) and the last line, where every report puts its verdict.
fn quiet<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let mut keep = Vec::new();
    let mut after_error = false;
    for (i, l) in lines.iter().enumerate() {
        let error = is_error(l);
        if error || (after_error && l.starts_with("  fix:")) || i + 1 == lines.len() {
            keep.push(*l);
        }
        after_error = error;
    }
    keep
}

fn is_error(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with("error[")
        || t.starts_with("deny[")
        || t.starts_with("FAIL")
        || t.starts_with("error:")
}

fn paint(l: &str, out: &mut String) {
    let t = l.trim_start();
    let color = if is_error(l) {
        Some(RED)
    } else if t.starts_with("warning[") || t.starts_with("warn[") || t.starts_with("SKIP") {
        Some(YELLOW)
    } else if t.starts_with("PASS") {
        Some(GREEN)
    } else if t.starts_with("would free ")
        || t.starts_with("gate ")
        || t.starts_with("verification ")
        || t.starts_with("nothing to clean")
    {
        Some(BOLD)
    } else {
        None
    };
    match color {
        Some(c) => {
            out.push_str(c);
            out.push_str(l);
            out.push_str(RESET);
        }
        None => out.push_str(l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_keeps_errors_their_fix_and_the_verdict() {
        let lines = [
            "a: context .",
            "error[junk-in-context] x",
            "  fix: y",
            "warning[t] z",
            "  fix: w",
            "2 findings",
        ];
        assert_eq!(
            quiet(&lines),
            ["error[junk-in-context] x", "  fix: y", "2 findings"]
        );
    }

    #[test]
    fn long_paths_are_elided_in_the_middle() {
        let line = "  512.30 MB  ui-new/node_modules/some-very-long-package-name/dist/index.js  phase 7 deps";
        let f = fit(line, 60);
        assert_eq!(f.chars().count(), 60, "{f}");
        assert!(
            f.contains('…') && f.contains("ui-new/") && f.ends_with("phase 7 deps"),
            "{f}"
        );
        assert_eq!(fit("short", 60), "short");
        assert_eq!(
            fit(&"x ".repeat(50), 40),
            "x ".repeat(50),
            "no path: left whole"
        );
    }

    #[test]
    fn paints_by_the_line_start() {
        let mut o = String::new();
        paint("  FAIL  docker build", &mut o);
        assert_eq!(o, format!("{RED}  FAIL  docker build{RESET}"));
        let mut o = String::new();
        paint("plain", &mut o);
        assert_eq!(o, "plain");
    }
}
