//! `plan --format html` and `context --format html`, looked at as a person would: the page is
//! rendered in headless Chromium (Debian's `chromium`, installed by `.ci/run`), a screenshot is
//! taken, and the page's own self-check is read back from the DOM: it loaded with no console
//! message, the treemap's data adds up to the tree's bytes, and the boxes fill the map in
//! proportion to their bytes. A hostile file name stays text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{mami, plan_json, run, stderr, stdout};
use serde_json::Value;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|n| dirs.iter().map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

/// The browser, or the reason there is none (see [`common::required`]).
fn browser() -> Option<PathBuf> {
    common::required(chromium(), "chromium", "apt-get install chromium")
}

struct Rendered {
    selfcheck: Value,
    dom: String,
    console: Vec<String>,
}

/// Load `page` in headless Chromium: the DOM after the scripts ran, the page's self-check,
/// and every console line; a screenshot beside the page.
fn render(browser: &Path, page: &Path) -> Rendered {
    let base = |extra: &[String]| {
        let profile = tempfile::tempdir().unwrap();
        let out = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .args([
                "--window-size=1300,1600",
                "--enable-logging=stderr",
                "--v=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        (stdout(&out), stderr(&out))
    };
    let shot = page.with_extension("png");
    let (_, err1) = base(&[format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{err1}");
    let (dom, err2) = base(&["--dump-dom".into()]);
    let console = format!("{err1}{err2}")
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(str::to_string)
        .collect();
    let start = dom
        .find("<pre id=\"selfcheck\"")
        .expect("selfcheck in the DOM");
    let text = &dom[start..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</pre>").unwrap()];
    let selfcheck = serde_json::from_str(&text.replace("&quot;", "\""))
        .unwrap_or_else(|e| panic!("the page's script did not finish ({e}): {text:?}"));
    Rendered {
        selfcheck,
        dom,
        console,
    }
}

fn check(r: &Rendered, bytes: u64) {
    let s = &r.selfcheck;
    assert!(r.console.is_empty(), "console: {:?}", r.console);
    assert_eq!(s["errors"], serde_json::json!([]), "{s}");
    assert_eq!(s["tree_bytes"].as_u64(), Some(bytes), "{s}");
    assert_eq!(s["root_bytes"].as_u64(), Some(bytes), "{s}");
    assert_eq!(
        s["leaf_bytes"].as_u64(),
        Some(bytes),
        "the leaves sum to the tree: {s}"
    );
    let (map, rects) = (
        s["map_area"].as_f64().unwrap(),
        s["rect_area"].as_f64().unwrap(),
    );
    assert!(map > 100_000.0, "the map has room: {s}");
    assert!(
        (rects - map).abs() / map < 1e-9,
        "the boxes fill the map: {s}"
    );
    assert!(s["worst_share_error"].as_f64().unwrap() < 1e-9, "{s}");
    assert!(s["boxes"].as_u64().unwrap() > 3, "{s}");
}

#[test]
fn the_plan_page_renders_and_its_treemap_adds_up_to_the_tree() {
    let Some(browser) = browser() else { return };
    let m = mami::build();
    // A name a page must show as text, never run.
    let hostile = "tests/debug_<img src=x onerror=\"document.title='owned'\">.py";
    mami::write(&m.root, hostile, 10);
    let plan = plan_json(&m.root, &[]);
    let o = run(&m.root, &["plan", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = m.dir.path().join("plan.html");
    std::fs::write(&page, &o.stdout).unwrap();
    let html = stdout(&o);
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );
    let r = render(&browser, &page);
    check(&r, plan["tree"]["bytes"].as_u64().unwrap());
    assert!(!r.dom.contains("<img"), "a file name stayed text");
    assert!(
        r.dom.contains("debug_&lt;img src=x onerror"),
        "the name is shown as text"
    );
    assert!(!r.dom.contains("<title>owned"));
    for section in [
        "Where the space goes",
        "Phases",
        "Build contexts",
        "Entries, largest first",
    ] {
        assert!(r.dom.contains(section), "{section}");
    }
    // Every phase with entries has a box of its colour: the rule names reach the page.
    for e in plan["entries"].as_array().unwrap().iter().take(20) {
        assert!(html.contains(e["rule"].as_str().unwrap()));
    }
}

#[test]
fn the_context_page_adds_up_to_what_docker_is_sent() {
    let Some(browser) = browser() else { return };
    let m = mami::build();
    let json = run(&m.root, &["context", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let ctx: Value = serde_json::from_slice(&json.stdout).unwrap();
    let o = run(&m.root, &["context", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = m.dir.path().join("context.html");
    std::fs::write(&page, &o.stdout).unwrap();
    let r = render(&browser, &page);
    check(&r, ctx["total_bytes"].as_u64().unwrap());
}

/// A plan of a million directories (the scan's sizes, made up in memory: no tree on disk)
/// still makes a page of bounded size that renders with every byte accounted for.
#[test]
fn a_million_directory_plan_still_renders() {
    let Some(browser) = browser() else { return };
    let m = mami::build();
    let mut plan: mami_clean::plan::Plan = serde_json::from_value(plan_json(&m.root, &[])).unwrap();
    let mut dirs = Vec::with_capacity(1_010_000);
    let mut total = 4096;
    for i in 0..1000u64 {
        let top = format!("pkg{i:04}");
        let mut sub = 4096;
        for j in 0..1000u64 {
            let b = 4096 + (i * 7919 + j * 104_729) % 300_000;
            dirs.push((format!("{top}/m{j:04}"), b));
            sub += b;
        }
        dirs.push((top, sub));
        total += sub;
    }
    let mut dirs: Vec<_> = dirs
        .into_iter()
        .map(|(p, b)| (mami_clean::relpath::RelPath::from_bytes(p.as_bytes()), b))
        .collect();
    dirs.sort();
    plan.tree.bytes = total;
    let html = mami_clean::report::plan_html(&plan, &m.root, &dirs, &[]);
    assert!(html.len() < 5_000_000, "{} bytes", html.len());
    let page = m.dir.path().join("million.html");
    std::fs::write(&page, html).unwrap();
    let r = render(&browser, &page);
    check(&r, total);
    assert!(r.selfcheck["nodes"].as_u64().unwrap() <= 30_000);
}
