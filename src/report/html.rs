//! `plan --format html` and `context --format html`: one self-contained page (no network, no
//! CDN) that shows where the space goes as a zoomable treemap, with the plan's phases, each
//! build context before and after, and the table of entries. The data is one JSON value in the
//! page; the page's script builds everything from it with DOM text nodes, so a file name can
//! never become markup.

use std::path::Path;

use serde::Serialize;

use super::treemap::{self, Mark, Node};
use super::{headline, plan::recovery_text};
use crate::docker::context::Context;
use crate::plan::Plan;
use crate::relpath::RelPath;
use crate::rules::Action;
use crate::size::human;

/// Rows of the entries table at most (the largest first); `--format json` lists them all.
pub const MAX_ROWS: usize = 5_000;

#[derive(Serialize)]
struct Page {
    kind: &'static str,
    title: String,
    subtitle: String,
    headline: String,
    /// The bytes the treemap must add up to.
    tree_bytes: u64,
    phases: Vec<PhaseRow>,
    contexts: Vec<ContextRow>,
    rows: Vec<Row>,
    rows_left_out: usize,
    protected: Vec<[String; 2]>,
    notes: Vec<[String; 2]>,
    tree: Node,
}

#[derive(Serialize)]
struct PhaseRow {
    phase: u8,
    name: String,
    title: String,
    entries: u64,
    bytes: u64,
    size: String,
}

#[derive(Serialize)]
struct ContextRow {
    name: String,
    before: u64,
    after: u64,
    before_size: String,
    after_size: String,
    image: Option<[String; 2]>,
}

#[derive(Serialize)]
struct Row {
    path: String,
    phase: u8,
    rule: String,
    review: bool,
    bytes: u64,
    size: String,
    recovery: String,
    reason: String,
}

/// The plan's page. `dir_bytes` is the scan's per-directory sizes, `kept` the paths keep
/// rules matched; `root` is read only for the size of a protected or kept file.
pub fn plan_html(
    plan: &Plan,
    root: &Path,
    dir_bytes: &[(RelPath, u64)],
    kept: &[RelPath],
) -> String {
    let mut marks: Vec<Mark> = plan
        .entries
        .iter()
        .filter_map(|e| {
            Some(Mark {
                path: e.rel()?,
                phase: e.phase,
                flags: if e.action == Action::Review {
                    treemap::REVIEW
                } else {
                    0
                },
                rule: Some(e.rule.clone()),
                bytes: e.bytes,
            })
        })
        .collect();
    let lsize = |p: &RelPath| std::fs::symlink_metadata(p.under(root)).map_or(0, |m| m.len());
    for p in &plan.protected {
        if let Some(path) = RelPath::from_json_fields(&p.path, p.path_hex.as_deref()) {
            let flags = match p.protection {
                crate::classify::Protection::Keep => treemap::KEPT,
                _ => treemap::PROTECTED,
            };
            let bytes = lsize(&path);
            marks.push(Mark {
                path,
                phase: 0,
                flags,
                rule: p.keep_rule.clone(),
                bytes,
            });
        }
    }
    for k in kept {
        marks.push(Mark {
            path: k.clone(),
            phase: 0,
            flags: treemap::KEPT,
            rule: None,
            bytes: lsize(k),
        });
    }
    let tree = treemap::build(plan.tree.bytes, dir_bytes, &marks, treemap::MAX_NODES);
    let mut order: Vec<&crate::plan::Entry> = plan.entries.iter().collect();
    order.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    let rows: Vec<Row> = order.iter().take(MAX_ROWS).map(|e| row(e)).collect();
    let page = Page {
        kind: "plan",
        title: format!("mami-clean plan for {}", plan.root),
        subtitle: format!("made {} by mami-clean {}", plan.created, plan.tool_version),
        headline: headline(plan),
        tree_bytes: plan.tree.bytes,
        phases: plan
            .phases
            .iter()
            .map(|p| PhaseRow {
                phase: p.phase,
                name: p.name.clone(),
                title: p.title.clone(),
                entries: p.entries,
                bytes: p.bytes,
                size: human(p.bytes),
            })
            .collect(),
        contexts: plan.contexts.iter().map(context_row).collect(),
        rows_left_out: order.len() - rows.len(),
        rows,
        protected: plan
            .protected
            .iter()
            .map(|p| [p.path.clone(), p.protection.describe().to_string()])
            .collect(),
        notes: plan
            .notes
            .iter()
            .map(|n| [n.path.clone(), n.message.clone()])
            .collect(),
        tree,
    };
    render(&page)
}

fn row(e: &crate::plan::Entry) -> Row {
    Row {
        path: e.path.clone(),
        phase: e.phase,
        rule: e.rule.clone(),
        review: e.action == Action::Review,
        bytes: e.bytes,
        size: human(e.bytes),
        recovery: match e.action {
            Action::Review => "never deleted".into(),
            _ => recovery_text(e),
        },
        reason: e.reason.clone(),
    }
}

fn context_row(f: &crate::docker::context::Forecast) -> ContextRow {
    ContextRow {
        name: f.name.clone(),
        before: f.bytes_before,
        after: f.bytes_after,
        before_size: human(f.bytes_before),
        after_size: human(f.bytes_after),
        image: match (f.image_bytes_before, f.image_bytes_after) {
            (Some(b), Some(a)) => Some([human(b), human(a)]),
            _ => None,
        },
    }
}

/// One build context's page: the files Docker would be sent, as a treemap.
pub fn context_html(ctx: &Context, tool_version: &str) -> String {
    let mut dirs: Vec<(RelPath, u64)> = Vec::new();
    let mut totals: std::collections::BTreeMap<RelPath, u64> = Default::default();
    let mut marks = Vec::new();
    for f in &ctx.files {
        let p = f.path.clone();
        let mut up = p.parent().filter(|q| !q.is_root());
        while let Some(d) = up {
            *totals.entry(d.clone()).or_default() += f.bytes;
            up = d.parent().filter(|q| !q.is_root());
        }
        marks.push(Mark {
            path: p,
            phase: 0,
            flags: 0,
            rule: None,
            bytes: f.bytes,
        });
    }
    dirs.extend(totals);
    let tree = treemap::build(ctx.total_bytes, &dirs, &marks, treemap::MAX_NODES);
    let image = ctx.image_bytes.map(human);
    let page = Page {
        kind: "context",
        title: format!("Docker build context {}", ctx.dir.display()),
        subtitle: format!(
            "Dockerfile {}; ignore file {}; mami-clean {tool_version}",
            ctx.dockerfile.display(),
            ctx.ignore_file
                .as_ref()
                .map_or("none".into(), |p| p.display().to_string())
        ),
        headline: format!(
            "sends {} in {}{}",
            human(ctx.total_bytes),
            super::plural(ctx.files.len() as u64, "file", "files"),
            image.map_or(String::new(), |i| format!(
                "; its COPY/ADD layers copy {i} into the image"
            ))
        ),
        tree_bytes: ctx.total_bytes,
        phases: Vec::new(),
        contexts: Vec::new(),
        rows: Vec::new(),
        rows_left_out: 0,
        protected: Vec::new(),
        notes: Vec::new(),
        tree,
    };
    render(&page)
}

const CSS: &str = include_str!("assets/page.css");
const JS: &str = include_str!("assets/treemap.js");

fn render(page: &Page) -> String {
    // Inside <script>, only `</script` or `<!--` could end the data early; JSON has `<` only
    // in strings, where `\u003c` means the same.
    let data = serde_json::to_string(page)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c");
    let title = esc(&page.title);
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{CSS}</style>\n</head><body>\n\
         <noscript>This page draws its treemap and tables with JavaScript.</noscript>\n\
         <script id=\"data\" type=\"application/json\">{data}</script>\n\
         <main id=\"app\"></main>\n<pre id=\"selfcheck\" hidden></pre>\n\
         <script>{JS}</script>\n</body></html>\n"
    )
}

/// Text for HTML element content or a quoted attribute.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_its_script() {
        assert_eq!(esc("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
        let page = Page {
            kind: "context",
            title: "</script><script>alert(1)</script>".into(),
            subtitle: String::new(),
            headline: String::new(),
            tree_bytes: 0,
            phases: vec![],
            contexts: vec![],
            rows: vec![],
            rows_left_out: 0,
            protected: vec![],
            notes: vec![["<!--".into(), "x".into()]],
            tree: treemap::build(0, &[], &[], 10),
        };
        let html = render(&page);
        assert_eq!(html.matches("</script>").count(), 2, "{html}");
        assert!(!html.contains("<!--"));
    }
}
