//! The gate's three forms: human, GitHub annotations, and the job summary's markdown table.

use std::fmt::Write;

use super::*;

pub(super) fn level_word(l: crate::rules::schema::Level) -> &'static str {
    match l {
        crate::rules::schema::Level::Deny => "deny",
        crate::rules::schema::Level::Warn => "warn",
        crate::rules::schema::Level::Allow => "allow",
    }
}

/// The sizes line: tracked and context bytes, against budget and baseline.
pub(super) fn gate_sizes(r: &crate::gate::GateReport) -> String {
    let mut s = format!(
        "tracked {} in {}",
        human(r.now.tracked_bytes),
        crate::size::plural(r.now.tracked_files, "file", "files")
    );
    if let Some(b) = &r.baseline {
        let _ = write!(s, " (baseline {})", human(b.tracked_bytes));
    }
    for (name, bytes) in &r.now.contexts {
        let _ = write!(s, "; {}: {}", V(name), human(*bytes));
        if let Some(b) = r.baseline.as_ref().and_then(|b| b.contexts.get(name)) {
            let _ = write!(s, " (baseline {})", human(*b));
        }
        if let Some(m) = r.max_context {
            let _ = write!(s, " of {} budget", human(m));
        }
    }
    s
}

/// `gate` for people: a line per finding with its fix, then the sizes and the verdict.
pub fn gate_human(r: &crate::gate::GateReport) -> String {
    let mut o = String::new();
    for f in &r.findings {
        let size = f
            .bytes
            .map(|b| format!(" ({})", human(b)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "{}[{}] {}{size}: {}",
            level_word(f.level),
            f.code,
            V(&f.path),
            V(&f.message)
        );
        let _ = writeln!(o, "  fix: {}", V(&f.fix));
    }
    if let Some(src) = &r.baseline_source {
        let _ = writeln!(o, "baseline: {}", V(src));
    }
    let _ = writeln!(o, "{}", gate_sizes(r));
    let denies = r
        .findings
        .iter()
        .filter(|f| f.level == crate::rules::schema::Level::Deny)
        .count();
    let _ = writeln!(
        o,
        "gate {}: {denies} denied, {}",
        if r.passed { "passed" } else { "FAILED" },
        crate::size::plural((r.findings.len() - denies) as u64, "warning", "warnings")
    );
    o
}

/// Escape a GitHub workflow-command value (and, with `prop`, a property).
pub(super) fn gh_escape(s: &str, prop: bool) -> String {
    // CR and LF have the workflow command's own escapes; other control characters as `visible`.
    let mut shown = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\r' | '\n' => shown.push(c),
            c => shown.push_str(&visible(c.encode_utf8(&mut [0; 4]))),
        }
    }
    let s = &shown;
    let mut e = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if prop {
        e = e.replace(':', "%3A").replace(',', "%2C");
    }
    e
}

/// `gate --format github`: one annotation per finding.
pub fn gate_github(r: &crate::gate::GateReport) -> String {
    let mut o = String::new();
    for f in &r.findings {
        let cmd = if f.level == crate::rules::schema::Level::Deny {
            "error"
        } else {
            "warning"
        };
        let line = f.line.map(|l| format!(",line={l}")).unwrap_or_default();
        let _ = writeln!(
            o,
            "::{cmd} file={}{line},title={}::{}",
            gh_escape(&f.path, true),
            gh_escape(f.code, true),
            gh_escape(&format!("{} (fix: {})", f.message, f.fix), false)
        );
    }
    let _ = writeln!(o, "{}", gate_sizes(r));
    let _ = writeln!(o, "gate {}", if r.passed { "passed" } else { "FAILED" });
    o
}

/// Text for a markdown table cell: [`visible`] (no line breaks), then every character markdown
/// or HTML could act on escaped, so a file name cannot end the row, add rows or format anything
/// (the summary shows what a pull request's paths spell, as text).
pub(super) fn md_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&' => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
    o
}

/// The job summary: a markdown table of sizes and one of findings.
pub fn gate_summary(r: &crate::gate::GateReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "## mami-clean gate: {}\n",
        if r.passed { "passed ✅" } else { "failed ❌" }
    );
    let _ = writeln!(
        o,
        "| measure | now | baseline | delta |\n|---|---:|---:|---:|"
    );
    let row = |o: &mut String, name: &str, now: u64, base: Option<u64>| {
        let (b, d) = match base {
            Some(b) => (
                human(b),
                format!(
                    "{}{}",
                    if now >= b { "+" } else { "−" },
                    human(now.abs_diff(b))
                ),
            ),
            None => ("—".into(), "—".into()),
        };
        let _ = writeln!(o, "| {} | {} | {b} | {d} |", md_text(name), human(now));
    };
    row(
        &mut o,
        "tracked files",
        r.now.tracked_bytes,
        r.baseline.as_ref().map(|b| b.tracked_bytes),
    );
    for (name, bytes) in &r.now.contexts {
        row(
            &mut o,
            &format!("context: {name}"),
            *bytes,
            r.baseline
                .as_ref()
                .and_then(|b| b.contexts.get(name).copied()),
        );
    }
    if !r.findings.is_empty() {
        let _ = writeln!(
            o,
            "\n| level | check | path | size | message |\n|---|---|---|---:|---|"
        );
        for f in &r.findings {
            let size = f.bytes.map(human).unwrap_or_default();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {size} | {} |",
                level_word(f.level),
                md_text(f.code),
                md_text(&f.path),
                md_text(&f.message)
            );
        }
    }
    o.push('\n');
    o
}
