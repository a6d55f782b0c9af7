//! Rendering: every value the core produces, as text for people or JSON for machines. Returns
//! strings; the binary decides where they go. Output is deterministic: the plan is already
//! sorted, and nothing here depends on time, threads or hash order.

mod apply;
mod docker;
mod gate;
mod html;
mod ignore;
mod plan;
mod restore;
mod rules;
pub mod treemap;

use std::fmt::Write;

use crate::examples::Report as ExampleReport;
use crate::explain::Explanation;
use crate::plan::{Entry, Plan, Recovery};
use crate::rules::{phase_name, Action, RuleSet};
use crate::scan::EntryKind;
use crate::size::{human, percent};

pub use apply::{apply_entry, apply_head, apply_human, apply_tail, recover_human, undo_human};
pub use docker::{audit_human, context_human, verify_human};
pub use gate::{gate_github, gate_human, gate_summary};
pub use html::{context_html, plan_html};
pub use ignore::{ignore_human, IgnoreFile, IgnoreRun, Verified};
pub use plan::{explain_human, headline, plan_human};
pub use restore::{backups_human, restored_human, trusted_human, BackupRow, Restored, Trusted};
pub use rules::{rules_human, rules_json, rules_test_human};

/// `s` as a terminal may show it: control characters (a newline, ESC starting a colour or
/// title sequence, a carriage return that rewrites the line) and the bidirectional overrides
/// that reorder text are written as escapes. File names, compose service names and messages
/// holding them go through this in every human report, so a name in a pull request cannot
/// forge a line such as `gate passed` or hide text (git quotes such names for the same reason).
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let odd =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(odd) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if odd(c) && (c as u32) < 0x80 => {
                let _ = write!(o, "\\x{:02x}", c as u32);
            }
            c if odd(c) => {
                let _ = write!(o, "\\u{{{:x}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    std::borrow::Cow::Owned(o)
}

/// [`visible`] for a format argument of any displayable kind (keeps width and alignment).
pub(crate) struct V<T>(pub(crate) T);

impl<T: std::fmt::Display> std::fmt::Display for V<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&visible(&self.0.to_string()))
    }
}

pub(crate) use crate::size::plural;

/// `part` of `whole` as a bar `width` cells wide, in eighths of a cell (dust's and ncdu's way of
/// showing where the space goes); an empty string when there is nothing to show.
pub(crate) fn bar(part: u64, whole: u64, width: usize) -> String {
    if whole == 0 || part == 0 {
        return String::new();
    }
    let eighths = ((part as u128 * width as u128 * 8) / whole as u128).max(1) as usize;
    let mut s = "█".repeat(eighths / 8);
    let rest = eighths % 8;
    if rest > 0 {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][rest - 1]);
    }
    s
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::gate::gh_escape;
    use super::*;

    #[test]
    fn bars_in_eighths() {
        assert_eq!(bar(0, 10, 20), "");
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 3), "█▌");
        assert_eq!(bar(1, 1_000_000, 20), "▏", "anything at all shows");
    }

    #[test]
    fn visible_escapes_what_a_terminal_would_act_on() {
        assert!(matches!(
            visible("plain/päth ü.md"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(visible("a\nb\rc\td"), r"a\nb\rc\td");
        assert_eq!(visible("x\x1b[31my\x7f"), r"x\x1b[31my\x7f");
        assert_eq!(visible("\u{9b}31m"), r"\u{9b}31m");
        assert_eq!(visible("abc\u{202e}txt.exe"), r"abc\u{202e}txt.exe");
        assert_eq!(format!("[{:<6}]", V("a\nb")), r"[a\nb  ]");
    }

    #[test]
    fn github_values_keep_their_own_line_escapes() {
        assert_eq!(gh_escape("a\r\nb\x1b%", false), r"a%0D%0Ab\x1b%25");
        assert_eq!(gh_escape("p:a,b", true), "p%3Aa%2Cb");
    }
}
