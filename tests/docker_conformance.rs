//! The oracle is Docker itself: each case in `testdata/docker-cases/` (a directory per case, its
//! `case.toml` saying what the context holds and what its ignore files say) is built on a real
//! Engine, started by this test, with a `FROM scratch` + `COPY . /ctx/` Dockerfile and
//! `--output type=local`, so the export is exactly what the build received. The export's files
//! (paths, kinds, symlink targets) and bytes must equal what `mami-clean context` says, and a
//! pattern the engine rejects must be rejected by the tool, naming the line.
//!
//! Cases where current BuildKit would send something else say so (`[current_buildkit]`): they
//! are documentation until the tool models that walk; the engine here answers the rest.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::engine::Engine;
use common::*;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/docker-cases");
const DOCKERFILE: &str = "FROM scratch\nCOPY . /ctx/\n";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    /// For the reader of the case.
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    dockerignore: Option<String>,
    dockerignore_at: Option<String>,
    dockerfile: Option<String>,
    files: Vec<String>,
    #[serde(default)]
    dirs: Vec<String>,
    #[serde(default)]
    links: Vec<(String, String)>,
    generate: Option<usize>,
    #[serde(default)]
    ignore_file: Vec<IgnoreFile>,
    current_buildkit: Option<Current>,
}

/// What Docker 23.0 and later send where they differ from the engine here.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Current {
    #[allow(dead_code)]
    why: String,
    /// The files sent, the Dockerfile and `.dockerignore` aside.
    sends: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreFile {
    path: String,
    text: String,
}

/// What a build received: path → kind (`f` with its size, `l` with its target).
type Sent = BTreeMap<String, String>;

fn write(p: &Path, body: &[u8]) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

/// The case's tree under `t`; returns (context, Dockerfile).
fn materialize(c: &Case, t: &Path) -> (PathBuf, PathBuf) {
    let ctx = t.join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    for f in &c.files {
        // Sizes differ per file, so a wrong file cannot make the right total.
        write(&ctx.join(f), &vec![b'x'; 1 + f.len() % 13]);
    }
    for d in &c.dirs {
        std::fs::create_dir_all(ctx.join(d)).unwrap();
    }
    for (link, target) in &c.links {
        std::os::unix::fs::symlink(target, ctx.join(link)).unwrap();
    }
    for i in 0..c.generate.unwrap_or(0) {
        let ext = if i % 10 == 0 { "tmp" } else { "txt" };
        write(&ctx.join(format!("gen/d{:02}/f{i}.{ext}", i / 100)), b"g");
    }
    if let Some(text) = &c.dockerignore {
        let at = c.dockerignore_at.as_deref().unwrap_or("ctx/.dockerignore");
        write(&t.join(at), text.as_bytes());
    }
    for f in &c.ignore_file {
        write(&t.join(&f.path), f.text.as_bytes());
    }
    let df = t.join(c.dockerfile.as_deref().unwrap_or("ctx/Dockerfile"));
    write(&df, DOCKERFILE.as_bytes());
    (ctx, df)
}

/// Every file and link below `dir`, and the empty directories.
fn listed(dir: &Path) -> (Sent, Vec<String>) {
    fn walk(root: &Path, dir: &Path, sent: &mut Sent, empty: &mut Vec<String>) {
        let mut any = false;
        for e in std::fs::read_dir(dir).unwrap() {
            any = true;
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.file_type().is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                sent.insert(rel, format!("link -> {}", target.display()));
            } else if m.is_dir() {
                walk(root, &p, sent, empty);
            } else {
                sent.insert(rel, format!("file {} B", m.len()));
            }
        }
        if !any && dir != root {
            empty.push(
                dir.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    let (mut sent, mut empty) = (Sent::new(), Vec::new());
    if dir.exists() {
        walk(dir, dir, &mut sent, &mut empty);
    }
    empty.sort();
    (sent, empty)
}

fn bytes(s: &Sent, ctx: &Path) -> u64 {
    s.iter()
        .map(|(p, k)| match k.strip_prefix("file ") {
            Some(_) => std::fs::symlink_metadata(ctx.join(p)).map_or(0, |m| m.len()),
            None => std::fs::read_link(ctx.join(p)).map_or(0, |t| t.as_os_str().len() as u64),
        })
        .sum()
}

/// The tool's answer: the files `context` says COPY sees, with their kinds, and its bytes.
/// `walk`: `auto` finds the engine's own client first on PATH, as the build did.
fn tool(ctx: &Path, df: &Path, walk: &str) -> Result<(Sent, u64), String> {
    let path = format!("/usr/bin:{}", std::env::var("PATH").unwrap_or_default());
    let o = bin()
        .args(["context", "--format", "json", "--docker-walk", walk, "-f"])
        .arg(df)
        .arg(ctx)
        .env("PATH", path)
        .output()
        .unwrap();
    if !o.status.success() {
        return Err(stderr(&o));
    }
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // `auto` asks the client only for an ignore file whose lines mean different things to the
    // two walks; for the others any walk gives the engine's answer, which is checked below.
    let ignore = v["ignore_file"]
        .as_str()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let asked = !mami_clean::docker::walk::neutral(&ignore);
    if walk == "auto" && asked && v["walk"]["walk"] != "legacy" {
        return Err(format!("auto did not find the 20.10 client: {}", v["walk"]));
    }
    let mut sent = Sent::new();
    let mut total = 0;
    for f in v["files"].as_array().unwrap() {
        let p = f["path"].as_str().unwrap().to_string();
        total += f["bytes"].as_u64().unwrap();
        let kind = match f["kind"].as_str().unwrap() {
            "symlink" => {
                let target = std::fs::read_link(ctx.join(&p)).unwrap();
                format!("link -> {}", target.display())
            }
            _ => {
                let len = std::fs::metadata(ctx.join(&p)).map_or(0, |m| m.len());
                format!("file {len} B")
            }
        };
        sent.insert(p, kind);
    }
    Ok((sent, total))
}

/// One case: `None` when the tool agrees with the engine, else what differs.
fn check(engine: &Engine, name: &str, c: &Case) -> Option<String> {
    let t = tempfile::tempdir().unwrap();
    let (ctx, df) = materialize(c, t.path());
    let out = t.path().join("out");
    let o = engine.docker(&[
        "build",
        "-q",
        "-f",
        df.to_str().unwrap(),
        "--output",
        &format!("type=local,dest={}", out.display()),
        ctx.to_str().unwrap(),
    ]);
    let mine = tool(&ctx, &df, "auto");
    if let Some(cur) = &c.current_buildkit {
        if let Some(d) = current(name, &ctx, &df, cur) {
            return Some(d);
        }
    }
    if !o.status.success() {
        let why = stderr(&o);
        return match mine {
            // `FILE:LINE:COLUMN: message`
            Err(e) if e.contains(".dockerignore:") => None,
            Err(e) => Some(format!(
                "{name}: both refuse, but the tool names no line: {e}"
            )),
            Ok(_) => Some(format!(
                "{name}: the engine refuses ({}), the tool does not",
                why.trim()
            )),
        };
    }
    let (theirs, empty) = listed(&out.join("ctx"));
    let (mine, total) = match mine {
        Ok(m) => m,
        Err(e) => return Some(format!("{name}: the engine builds, the tool refuses: {e}")),
    };
    let mut diff = Vec::new();
    for (p, k) in &theirs {
        match mine.get(p) {
            None => diff.push(format!(
                "  engine sends {p:?} ({k}); the tool says it is not sent"
            )),
            Some(m) if m != k => diff.push(format!("  {p:?}: engine {k}, tool {m}")),
            _ => {}
        }
    }
    for (p, k) in &mine {
        if !theirs.contains_key(p) {
            diff.push(format!(
                "  tool says {p:?} ({k}) is sent; the engine does not send it"
            ));
        }
    }
    let want = bytes(&theirs, &ctx);
    if diff.is_empty() && total != want {
        diff.push(format!("  bytes: engine {want}, tool {total}"));
    }
    if !empty.is_empty() {
        eprintln!("{name}: empty directories the engine sends: {empty:?}");
    }
    (!diff.is_empty()).then(|| format!("{name} ({}):\n{}", c.about, diff.join("\n")))
}

/// The tool's model of Docker 23.0 and later against the case's documented answer.
fn current(name: &str, ctx: &Path, df: &Path, cur: &Current) -> Option<String> {
    let mine = match tool(ctx, df, "current") {
        Ok((m, _)) => m,
        Err(e) => return Some(format!("{name}: --docker-walk current refuses: {e}")),
    };
    let got: Vec<&str> = mine
        .keys()
        .map(String::as_str)
        .filter(|p| !matches!(*p, "Dockerfile" | ".dockerignore"))
        .collect();
    let mut want: Vec<&str> = cur.sends.iter().map(String::as_str).collect();
    want.sort();
    (got != want).then(|| {
        format!("{name}: current BuildKit sends {want:?}; --docker-walk current says {got:?}")
    })
}

fn cases() -> Vec<(String, Case)> {
    let mut out: Vec<(String, Case)> = std::fs::read_dir(CASES)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path().join("case.toml")).unwrap();
            let c: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, c)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_case_agrees_with_the_engine() {
    let cases = cases();
    assert!(cases.len() >= 80, "{} cases", cases.len());
    let Some(engine) = Engine::start_or_skip("docker conformance") else {
        return;
    };
    let version = engine.version();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((name, c)) = cases.get(i) else { break };
                if let Some(f) = check(&engine, name, c) {
                    failures.lock().unwrap().push(f);
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let documented = cases
        .iter()
        .filter(|(_, c)| c.current_buildkit.is_some())
        .count();
    println!(
        "docker conformance: {} cases on Engine {version}, {} disagree; {documented} document where current BuildKit differs",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "Engine {version}:\n{}",
        failures.join("\n")
    );
}
