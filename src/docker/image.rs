//! What lands in the image, not only what is sent: the bytes the built stage's `COPY`/`ADD`
//! instructions take from the build context (the last stage, or the build's `target`), with
//! the stages it is built `FROM` (their layers are its first ones) and `COPY --from=<stage>`
//! chains followed. Each
//! instruction is a layer, and an image's size is the sum of its layers, so a file copied twice
//! counts twice, as `docker image inspect` counts it. `FROM <image>` bases and `RUN` output are
//! not the context's and are not counted; what a `RUN` removes with `rm` stays in the stage's
//! layers but not in its filesystem, which `COPY --from` reads ([`super::run_removes`]). `ADD`
//! of a local tar archive (plain or gzip) counts
//! what Docker extracts from it: its regular files' sizes, read from the archive's headers;
//! one in another compression (bzip2, xz) counts as the archive.

use std::borrow::Cow;
use std::path::Path;

use super::dockerfile::{copy_args, instructions};
use super::glob::compile;
use super::go_path::absolute;
use crate::relpath::within;

/// One `COPY` or `ADD`: its line, sources, destination (absolute in the image) and flags.
#[derive(Debug, Clone)]
pub(super) struct Copy {
    /// `ADD`: a local tar archive is extracted.
    add: bool,
    pub(super) from: Option<String>,
    sources: Vec<String>,
    dest: String,
    parents: bool,
    excludes: Vec<String>,
}

#[derive(Debug, Default)]
pub(super) struct Stage {
    /// The line of its `FROM`.
    pub(super) line: usize,
    /// Its `FROM` is a variable that names no stage here (a `--build-arg` may).
    pub(super) open_base: bool,
    /// The stages its `RUN --mount=…,from=<stage>` read.
    pub(super) mounts: Vec<String>,
    name: Option<String>,
    /// `FROM <an earlier stage>`: that stage's index.
    pub(super) base: Option<usize>,
    pub(super) copies: Vec<Copy>,
    /// Paths its `RUN`s remove, each with how many of its copies ran before.
    removals: Vec<(usize, Vec<String>)>,
    /// The working directory after its last `WORKDIR`: a stage built `FROM` it starts there.
    workdir: String,
}

/// The stage `name` (case-insensitive, as Docker compares stage names) before `end`.
pub(super) fn named(stages: &[Stage], end: usize, name: &str) -> Option<usize> {
    let name = name.to_ascii_lowercase();
    stages[..end]
        .iter()
        .position(|s| s.name.as_deref() == Some(name.as_str()))
}

pub(super) fn stages(text: &str) -> Vec<Stage> {
    let mut out: Vec<Stage> = Vec::new();
    let mut global = Vec::new();
    let mut from_env = None;
    for (line, instr, args) in instructions(text) {
        match instr.as_str() {
            "ARG" if out.is_empty() => global.extend(args.split_whitespace().map(String::from)),
            "FROM" => {
                let env = from_env.get_or_insert_with(|| super::dockerfile::from_env(&global));
                let words: Vec<&str> = args
                    .split_whitespace()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                let name = match words.as_slice() {
                    [_, as_, n] if as_.eq_ignore_ascii_case("as") => Some(n.to_ascii_lowercase()),
                    _ => None,
                };
                let from = words
                    .first()
                    .map(|w| super::dockerfile::expand_from(w, env));
                let base = from.as_deref().and_then(|f| named(&out, out.len(), f));
                // WORKDIR is part of an image's config: a stage built on an earlier one
                // starts where that one ended (maybe-finance/maybe: `WORKDIR /rails` in its
                // base, `COPY . .` in the build stage, `COPY --from=build /rails /rails`).
                let workdir = base.map_or_else(|| "/".into(), |b| out[b].workdir.clone());
                // `FROM ${BASE}` that names no stage here may name one at build time.
                // (`python:${PYTHON_VERSION}-slim` with the ARG's default is an image.)
                let open_base =
                    base.is_none() && from.is_some_and(|f| f.is_empty() || f.contains('$'));
                out.push(Stage {
                    line,
                    open_base,
                    mounts: Vec::new(),
                    name,
                    base,
                    copies: Vec::new(),
                    removals: Vec::new(),
                    workdir,
                });
            }
            "RUN" => {
                let (flags, _) = copy_args(&args);
                let from = (flags.iter())
                    .filter(|(k, _)| k == "mount")
                    .filter_map(|(_, v)| v.split(',').find_map(|kv| kv.strip_prefix("from=")));
                let from: Vec<String> = from.map(str::to_string).collect();
                if let Some(stage) = out.last_mut() {
                    stage.mounts.extend(from);
                    let gone = super::run_removes::removed(&args, &stage.workdir);
                    if !gone.is_empty() {
                        stage.removals.push((stage.copies.len(), gone));
                    }
                }
            }
            "WORKDIR" => {
                if let Some(stage) = out.last_mut() {
                    stage.workdir = absolute(&stage.workdir, args.trim_matches('"'));
                }
            }
            "COPY" | "ADD" => {
                let (flags, mut paths) = copy_args(&args);
                let Some(dest) = paths.pop().filter(|_| !paths.is_empty()) else {
                    continue;
                };
                let flag = |k: &'static str| -> Vec<String> {
                    flags
                        .iter()
                        .filter(|(f, _)| f == k)
                        .map(|(_, v)| v.clone())
                        .collect()
                };
                let Some(stage) = out.last_mut() else {
                    continue;
                };
                let trailing = dest.ends_with('/') || paths.len() > 1;
                let mut dest = absolute(&stage.workdir, &dest);
                if trailing && !dest.ends_with('/') {
                    dest.push('/');
                }
                stage.copies.push(Copy {
                    add: instr == "ADD",
                    from: flag("from").into_iter().next(),
                    sources: paths
                        .into_iter()
                        .filter(|s| !s.contains("://") && !s.starts_with("git@"))
                        .collect(),
                    dest,
                    parents: flags.iter().any(|(k, v)| k == "parents" && v != "false"),
                    excludes: flag("exclude"),
                });
            }
            _ => {}
        }
    }
    out
}

/// Files of the context (path relative to it, bytes) that `src` takes, each handed to `each`
/// with the path it gets under the destination.
fn take<'a>(
    src: &str,
    files: &'a [(&'a str, u64)],
    mut each: impl FnMut(Cow<'a, str>, &'a (&'a str, u64)),
) {
    let src = super::ignore::clean(src.trim_start_matches('/'));
    let matcher = compile(&src).ok();
    for f in files {
        let p: &'a str = f.0;
        // The source itself (a file), or a path below it (a directory's contents).
        let below = |base: &str| -> Option<Cow<'a, str>> {
            if base == "." {
                return Some(Cow::Borrowed(p));
            }
            if p == base {
                return Some(Cow::Borrowed(p.rsplit('/').next().unwrap_or(p)));
            }
            p.strip_prefix(base)
                .and_then(|r| r.strip_prefix('/'))
                .map(Cow::Borrowed)
        };
        let hit = match &matcher {
            Some(m) if src.contains(['*', '?', '[']) => {
                // A glob matches a path or one of its directories.
                let mut found = None;
                let mut end = p.len();
                loop {
                    let cand = &p[..end];
                    // A matched directory, like a named one, gives its contents.
                    if m.matches(cand.as_bytes()) {
                        found = below(cand);
                        break;
                    }
                    match cand.rfind('/') {
                        Some(i) => end = i,
                        None => break,
                    }
                }
                found
            }
            _ => below(&src),
        };
        if let Some(r) = hit {
            each(r, f);
        }
    }
}

/// (path in the image, bytes) of every context file stage `i` copies in, `--from` followed.
/// What Docker extracts from the archive at `path` for `ADD`: the sizes of its regular files
/// (`None`: not a tar archive it would extract, or unreadable).
fn extracted(path: &Path) -> Option<u64> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    // A regular file only: a FIFO named `x.tar` must not hang the command.
    if !path.symlink_metadata().ok()?.is_file() {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let reader: Box<dyn std::io::Read> = if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else if name.ends_with(".tar") {
        Box::new(file)
    } else {
        return None;
    };
    let mut total = 0;
    for e in tar::Archive::new(reader).entries().ok()? {
        let e = e.ok()?;
        if e.header().entry_type().is_file() {
            total += e.header().size().ok()?;
        }
    }
    Some(total)
}

/// What a stage does to its filesystem, in order.
enum Change {
    /// A file of the context lands at a path (empty where paths are not asked), with bytes.
    File(String, u64),
    /// A `RUN` removes a path and everything below it.
    Removed(String),
}

/// `dir`: the context on disk, for the archives `ADD` extracts. Each file goes to `out`, as it
/// is found (the built stage's are only summed); without `paths` (the built stage: only its
/// bytes are asked, and its layers keep what a `RUN` removes) its path in the image is left
/// empty, and no removal is said.
fn stage_files(
    stages: &[Stage],
    i: usize,
    files: &[(&str, u64)],
    dir: Option<&Path>,
    (depth, paths): (usize, bool),
    out: &mut dyn FnMut(Change),
) {
    if depth > stages.len() {
        return;
    }
    if let Some(b) = stages[i].base {
        stage_files(stages, b, files, dir, (depth + 1, paths), out);
    }
    let removals = |k: usize, out: &mut dyn FnMut(Change)| {
        let now = stages[i]
            .removals
            .iter()
            .filter(|(at, _)| paths && *at == k);
        now.flat_map(|(_, gone)| gone)
            .for_each(|g| out(Change::Removed(g.clone())));
    };
    for (k, c) in stages[i].copies.iter().enumerate() {
        removals(k, out);
        let excludes: Vec<_> = c.excludes.iter().filter_map(|e| compile(e).ok()).collect();
        let excluded = |p: &str| excludes.iter().any(|m| m.matches(p.as_bytes()));
        match &c.from {
            None => {
                for s in &c.sources {
                    let cleaned = super::ignore::clean(s.trim_start_matches('/'));
                    let single =
                        !s.contains(['*', '?', '[']) && files.iter().any(|f| f.0 == cleaned);
                    take(s, files, |rel, (path, bytes)| {
                        if excluded(path) {
                            return;
                        }
                        let at = if !paths {
                            String::new()
                        } else if c.parents {
                            format!("{}{path}", dir_of(&c.dest))
                        } else if single && !c.dest.ends_with('/') {
                            c.dest.clone()
                        } else {
                            format!("{}{rel}", dir_of(&c.dest))
                        };
                        let bytes = match (c.add, dir) {
                            (true, Some(d)) => extracted(&d.join(path)).unwrap_or(*bytes),
                            _ => *bytes,
                        };
                        out(Change::File(at, bytes));
                    });
                }
            }
            Some(from) => {
                let j = named(stages, i, from)
                    .or_else(|| from.parse::<usize>().ok().filter(|&j| j < i));
                // An image, not a stage: nothing of the context's.
                let Some(j) = j else { continue };
                // The stage's filesystem, not its layers: a path written twice (a `COPY
                // Gemfile ./` before `COPY . .`) is one file there, the last one.
                let mut theirs = std::collections::BTreeMap::new();
                let mut keep = |c| match c {
                    Change::File(p, b) => {
                        theirs.insert(p, b);
                    }
                    Change::Removed(g) => {
                        theirs.retain(|p: &String, _| !within(p.as_bytes(), g.as_bytes()))
                    }
                };
                stage_files(stages, j, files, dir, (depth + 1, true), &mut keep);
                for s in &c.sources {
                    let s = absolute("/", s);
                    let base = s.trim_end_matches('/');
                    for (p, bytes) in &theirs {
                        let rel = if p == base {
                            p.rsplit('/').next().unwrap_or(p).to_string()
                        } else if let Some(r) = p
                            .strip_prefix(base)
                            .and_then(|r| r.strip_prefix('/'))
                            .or(if base.is_empty() { Some(&p[1..]) } else { None })
                        {
                            r.to_string()
                        } else {
                            continue;
                        };
                        let at = if paths {
                            format!("{}{rel}", dir_of(&c.dest))
                        } else {
                            String::new()
                        };
                        out(Change::File(at, *bytes));
                    }
                }
            }
        }
    }
    removals(stages[i].copies.len(), out);
}

fn dir_of(dest: &str) -> String {
    if dest.ends_with('/') {
        dest.to_string()
    } else {
        format!("{dest}/")
    }
}

/// Bytes the stage `target` (default: the last) of `dockerfile` takes from the context whose
/// files (relative path, bytes) are `files`: `None` without that stage (the build fails).
pub fn image_bytes(
    dockerfile: &str,
    target: Option<&str>,
    dir: Option<&Path>,
    files: &[(&str, u64)],
) -> Option<u64> {
    let st = stages(dockerfile);
    let built = match target {
        Some(t) => named(&st, st.len(), t)?,
        None => st.len().checked_sub(1)?,
    };
    let mut total = 0;
    stage_files(&st, built, files, dir, (0, false), &mut |c| {
        if let Change::File(_, b) = c {
            total += b;
        }
    });
    Some(total)
}

#[cfg(test)]
#[path = "image_tests.rs"]
mod tests;
