//! The checks of one build context: `.git` sent, root-only patterns; and the
//! [`View`] of the context that every check reads (these, `junk_sent`'s and `copy_sources`').
//! Each check pushes its findings.

use foldhash::{HashMap, HashMapExt};
use std::path::Path;

use super::{finding, rel_to, Finding, Severity};
use crate::docker::compose::Build;
use crate::docker::context::Context;
use crate::docker::copy_source::CopySource;
use crate::docker::dockerfile::{context_reads, is_read};
use crate::plan::{Entry, Plan};
use crate::relpath::{parent_of, seen_from, Holder, RelPath};

/// A build's context as the checks see it.
pub(super) struct View<'a> {
    pub root: &'a Path,
    pub b: &'a Build,
    pub ctx: &'a Context,
    /// The context relative to the root, `None` when it lies outside.
    prefix: Option<RelPath>,
    /// Delete entries as seen from the context: a path inside it, or `None` for one holding
    /// the whole context.
    pub deletions: Vec<(Option<Vec<u8>>, RelPath, &'a Entry)>,
    /// The rules in force: which of them `ignore --write` has a `.dockerignore` line for.
    pub rules: &'a crate::rules::RuleSet,
    pub ig_path: Option<String>,
    /// The Dockerfile's text, read once for the checks that ask (`None`: unreadable).
    dockerfile: std::cell::OnceCell<Option<String>>,
    /// Its COPY/ADD sources, parsed once for the checks that ask.
    copies: std::cell::OnceCell<Vec<CopySource>>,
    /// What a BuildKit build of it may read ([`context_reads`]), parsed once.
    reads: std::cell::OnceCell<Option<Vec<String>>>,
}

impl<'a> View<'a> {
    pub fn new(
        root: &'a Path,
        b: &'a Build,
        ctx: &'a Context,
        plan: &'a Plan,
        rules: &'a crate::rules::RuleSet,
    ) -> View<'a> {
        let prefix = b
            .context
            .strip_prefix(root)
            .ok()
            .map(|p| RelPath::from_bytes(p.as_os_str().as_encoded_bytes()));
        let deletions = plan
            .deletions()
            .filter_map(|e| {
                let ep = e.rel()?;
                let inside = seen_from(prefix.as_ref()?, &ep)?.map(<[u8]>::to_vec);
                Some((inside, ep, e))
            })
            .collect();
        View {
            root,
            b,
            ctx,
            prefix,
            deletions,
            rules,
            ig_path: ctx.ignore_file.as_ref().map(|p| rel_to(root, p)),
            dockerfile: std::cell::OnceCell::new(),
            copies: std::cell::OnceCell::new(),
            reads: std::cell::OnceCell::new(),
        }
    }

    /// The Dockerfile's text, read on first use.
    pub(super) fn dockerfile(&self) -> Option<&str> {
        self.dockerfile
            .get_or_init(|| {
                crate::fsx::read_text(&self.b.dockerfile, crate::limits::MAX_BUILD_FILE_BYTES)
            })
            .as_deref()
    }

    /// The COPY/ADD sources of the Dockerfile's stages this build runs (none where it cannot
    /// be read).
    pub(super) fn copies(&self) -> &[CopySource] {
        self.copies.get_or_init(|| {
            let target = self.b.target.as_deref();
            (self.dockerfile())
                .map(|t| crate::docker::built_stages::built_copy_sources(t, target))
                .unwrap_or_default()
        })
    }

    /// Whether a BuildKit build may read the context file `path`: a COPY/ADD or bind mount
    /// names it or a directory above it; yes where the Dockerfile cannot be read or told.
    pub(super) fn buildkit_reads(&self, path: &[u8]) -> bool {
        let reads = self.reads.get_or_init(|| {
            let text = self.dockerfile()?;
            context_reads(&crate::docker::built_stages::built_text(
                text,
                self.b.target.as_deref(),
            ))
        });
        reads.as_ref().is_none_or(|r| is_read(r, path))
    }

    /// The context relative to the root (`None` when it lies outside).
    pub(super) fn prefix(&self) -> Option<&RelPath> {
        self.prefix.as_ref()
    }

    /// The context's ignore file as shown, or without one the one to create there
    /// (`docker/db/.dockerignore`).
    pub(super) fn ignore_file_shown(&self) -> String {
        (self.ig_path.clone())
            .unwrap_or_else(|| rel_to(self.root, &self.b.context.join(".dockerignore")))
    }

    /// The directory `name` at the context's top, from the root (`None` for a context outside
    /// it), as git is asked about a directory: with a trailing `/`.
    fn top_dir(&self, name: &str) -> Option<RelPath> {
        let p = self.prefix.as_ref()?.join(name.as_bytes());
        Some(RelPath::from_bytes([p.as_bytes(), b"/"].concat()))
    }

    /// Which delete entry holds each sent file.
    pub(super) fn holder(&self) -> Holder<'_> {
        Holder::new(self.deletions.iter().map(|(d, ..)| d.as_deref()))
    }

    /// `p` (from the root) as the context sees it: `Some(Some(path))` inside it, `Some(None)`
    /// for a path holding the whole context, `None` outside it.
    pub(super) fn seen<'p>(&self, p: &'p RelPath) -> Option<Option<&'p [u8]>> {
        seen_from(self.prefix.as_ref()?, p)
    }

    /// A sent path as a path from the root.
    pub(super) fn full(&self, sent: &[u8]) -> RelPath {
        match &self.prefix {
            Some(p) if !p.is_root() => p.join(sent),
            _ => RelPath::from_bytes(sent),
        }
    }
}

/// The repository's `.git` sent with the context (syncthing: 177 MB of a 191 MB context, no
/// `.dockerignore`). A warning, not junk: a build may read git for its version (syncthing's
/// `build.go` runs `git describe`), and none where the `.dockerignore` says anything of `.git`
/// (restic re-includes it for provenance; openlibrary drops only `.git/objects/*`) or where
/// BuildKit leaves it behind (no COPY of the whole context).
pub(super) fn git_in_context(v: &View<'_>, out: &mut Vec<Finding>) {
    let bytes: u64 = (v.ctx.files.iter())
        .filter(|f| f.path.as_bytes().starts_with(b".git/"))
        .map(|f| f.bytes)
        .sum();
    // `.git` itself or a path in it, excluded or re-included (`.gitignore` and `.github` are
    // other files).
    let decided =
        (v.ctx.ignore.patterns.iter()).any(|p| p.text == ".git" || p.text.starts_with(".git/"));
    if bytes == 0 || decided || !v.buildkit_reads(b".git/HEAD") {
        return;
    }
    // A build that reads git needs it there (syncthing's `go run build.go`).
    if (v.dockerfile())
        .is_some_and(|t| crate::docker::git_reads::reads_git(&v.b.context, t).is_some())
    {
        return;
    }
    let ig = v.ignore_file_shown();
    let mut x = finding(
        "git-in-context",
        v.full(b".git").display(),
        format!(
            "`.git` ({}, the repository's history) is sent to the build context of {}: an image rarely needs it",
            crate::size::human(bytes),
            v.b.name
        ),
        format!("add `.git` to {ig} (`mami-clean ignore --write` does), unless the build reads git (`git describe` for a version)"),
    );
    x.severity = Severity::Warning;
    x.bytes = Some(bytes);
    x.build = Some(v.b.name.clone());
    out.push(x);
}

/// The finding for the bare pattern `p` whose nested copies ship, as (bytes, an example):
/// those that are junk a rule selects, and the project's own; and whether it reports junk.
/// Junk let through weighs as junk sent does (Forgetful's `*.md` line let 745 B of one report
/// through: a line to fix, not a broken build). Where the project's own copies ship beside
/// the junk (Forgetful's `.bmad-core/agents/*.md`; Juanie's app reads its prompts' `.md`),
/// `**/…` would keep them out too, and the fix says so.
fn root_only_finding(
    v: &View<'_>,
    p: &crate::docker::ignore::Pattern,
    junk: (u64, Option<String>),
    own: (u64, Option<String>),
) -> Option<(Finding, bool)> {
    let t = &p.text;
    let said = |(bytes, ex): &(u64, Option<String>)| {
        format!(
            "e.g. {}, {} in all",
            ex.as_deref().unwrap_or_default(),
            crate::size::human(*bytes)
        )
    };
    let (is_junk, bytes, what, fix) = match (&junk.1, &own.1) {
        (Some(_), None) => (true, junk.0, format!("nested copies ship, and they are junk ({})", said(&junk)), format!("write `**/{t}`")),
        (Some(_), Some(_)) => (
            true,
            junk.0,
            format!("nested copies ship: junk ({}), and the project's own ({}: check they belong in the image)", said(&junk), said(&own)),
            format!("if none of them should ship, write `**/{t}`; if the project's own should, delete the junk (`mami-clean apply`) and write `/{t}` for the root one"),
        ),
        // A vendored package's LICENSE ships with its code as its license asks
        // (uptime-kuma's `LICENSE` line, `server/modules/axios-ntlm/LICENSE`): the line
        // meant the project's own at the root, and `**/LICENSE` would be bad advice.
        (None, Some(_)) if legal_notice(t) || tool_meta(t) => return None,
        // Empty files only (ElementMedica's 0-byte `prisma/dev.db` for `*.db`): nothing ships.
        (None, Some(_)) if own.0 == 0 => return None,
        // The nested copies may be needed (a package's own README.md, which its pyproject
        // names): the user says which was meant.
        (None, Some(_)) => (
            false,
            own.0,
            format!("nested copies of the project's own ship (check they belong in the image) ({})", said(&own)),
            format!("if they should not ship, write `**/{t}`; if only the root one was meant, write `/{t}` (which says so)"),
        ),
        (None, None) => return None,
    };
    let mut x = finding(
        "root-only-pattern",
        v.ig_path.clone().unwrap_or_default(),
        format!("`{t}` matches only at the context root in a .dockerignore, so {what}"),
        fix,
    );
    x.severity = match is_junk {
        true => super::junk_sent::junk_severity(bytes),
        false => Severity::Warning,
    };
    x.bytes = Some(bytes);
    Some((x, is_junk))
}

/// A license or notice file's name, as a bare pattern writes it (`LICENSE`, `LICENSE*`,
/// `COPYING.txt`, `NOTICE.md`).
fn legal_notice(pattern: &str) -> bool {
    let name = pattern.trim_end_matches('*').to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or_default();
    matches!(
        stem,
        "license" | "licence" | "copying" | "notice" | "copyright"
    )
}

/// Files that configure a tool for the directory they sit in (`.gitignore`, `.editorconfig`):
/// nothing in an image reads them, so whether nested ones ship changes nothing (datasette's
/// `.gitignore` line and its 7 B `docs/.gitignore`).
fn tool_meta(pattern: &str) -> bool {
    matches!(
        pattern,
        ".gitignore"
            | ".gitattributes"
            | ".gitkeep"
            | ".keep"
            | ".dockerignore"
            | ".editorconfig"
            | ".npmignore"
            | ".prettierignore"
            | ".eslintignore"
    )
}

/// Bare patterns that only match at the root while nested copies ship. As severe as junk sent
/// where the nested copies are junk a rule selects (the copy is itself a delete entry:
/// `app/__pycache__` for `__pycache__`): an error from 1 MB. A warning where they are the
/// project's own (`app/plugins/x/tests` for `tests`, which the app may import) and the
/// pattern is bare: one written from the root (`./export`, `/export`) means that one
/// (paperless-ngx's `./export` beside its code's `src/documents/export/`, which `**/export`
/// would drop). Nothing where they sit inside
/// other junk that `junk-in-context` already reports (a `tests` inside `node_modules`).
/// Returns the delete entries whose files a finding here reports as junk let through.
pub(super) fn root_only_patterns(
    v: &View<'_>,
    git: Option<&crate::git::GitInfo>,
    out: &mut Vec<Finding>,
) -> Vec<usize> {
    let bare: Vec<&crate::docker::ignore::Pattern> = v
        .ctx
        .ignore
        .patterns
        .iter()
        .filter(|p| !p.exception && !p.text.contains('/') && !p.text.starts_with("**"))
        // `*` then `!` lines is an allow list (restic: `*`, `!/*.go`, `!/cmd/*`): what ships
        // below the top was let through on purpose.
        .filter(|p| !p.text.bytes().all(|b| b == b'*'))
        .collect();
    if bare.is_empty() {
        return Vec::new();
    }
    // Per bare pattern: (bytes, first example) of the junk copies, and of the project's own.
    let mut copies: Vec<[(u64, Option<String>); 2]> = vec![Default::default(); bare.len()];
    // Per bare pattern: the delete entries holding its junk copies.
    let mut entries: Vec<Vec<usize>> = vec![Vec::new(); bare.len()];
    // Which bare patterns match a name, asked once per distinct name: a context's paths
    // repeat a few thousand names (`node_modules`, `dist`, `index.js`) across tens of
    // thousands of files, and matching every pattern at every level was the gate's hot spot.
    let mut memo: HashMap<&[u8], Vec<usize>> = HashMap::new();
    let mut of_name = |c| -> Vec<usize> {
        memo.entry(c)
            .or_insert_with(|| {
                (0..bare.len())
                    .filter(|&i| bare[i].matches_exact(c))
                    .collect()
            })
            .clone()
    };
    // A line that names, letter for letter, an entry at the context's top means that one
    // (clone-voice's `tts` beside its 2 GB `tts/` of models, fish-speech's `models`): the
    // project's own nested namesakes (`models/tts/`, `fish_speech/models/`) are not what it
    // missed. So does one naming a directory git ignores at the top, which a fresh clone does
    // not have yet (private-gpt's `models` and its .gitignore's `/models/`: what a setup script
    // downloads). A wildcard (`*.md`) is a kind of file, and the trap stays.
    let at_top = |p: &crate::docker::ignore::Pattern| {
        v.b.context.join(&p.text).symlink_metadata().is_ok()
            || (git.zip(v.top_dir(&p.text))).is_some_and(|(g, d)| g.ignored_among(&[&d])[0])
    };
    let names_top: Vec<bool> = bare.iter().map(|p| p.is_literal() && at_top(p)).collect();
    let mut hit = vec![false; bare.len()];
    let mut touched = Vec::new();
    let mut holder = v.holder();
    // The patterns the current directory's components below the top one match: a directory's
    // files are one run of the sorted paths, so each directory is split once.
    let mut dir_hits: Option<(&[u8], Vec<usize>)> = None;
    for f in &v.ctx.files {
        let sent = f.path.as_bytes();
        let dir = parent_of(sent);
        // A file at the top has no component a root-only pattern misses; git's own files
        // are no copies of the project's (openlibrary's `config` line and `.git/config`).
        if dir.is_empty() || sent.starts_with(b".git/") {
            continue;
        }
        let name = f.path.file_name();
        if dir_hits.as_ref().is_none_or(|(d, _)| *d != dir) {
            let hits = dir
                .split(|&c| c == b'/')
                .skip(1)
                .flat_map(&mut of_name)
                .collect();
            dir_hits = Some((dir, hits));
        }
        let from_dir = dir_hits
            .as_ref()
            .map(|(_, h)| h.as_slice())
            .unwrap_or_default();
        for &i in from_dir.iter().chain(&of_name(name)) {
            if !std::mem::replace(&mut hit[i], true) {
                touched.push(i);
            }
        }
        if touched.is_empty() {
            continue;
        }
        let entry = holder.of(sent).map(|e| (e, &v.deletions[e]));
        for i in touched.drain(..) {
            hit[i] = false;
            let slot = match entry {
                Some((e, (_, ep, _))) if bare[i].matches_exact(ep.file_name()) => {
                    if !entries[i].contains(&e) {
                        entries[i].push(e);
                    }
                    &mut copies[i][0]
                }
                Some(_) => continue,
                None if bare[i].anchored || names_top[i] => continue,
                None => &mut copies[i][1],
            };
            slot.0 += f.bytes;
            slot.1
                .get_or_insert_with(|| String::from_utf8_lossy(sent).into_owned());
        }
    }
    let mut covered = Vec::new();
    for ((p, [junk_copies, own_copies]), held) in bare.into_iter().zip(copies).zip(entries) {
        let Some((mut x, junk)) = root_only_finding(v, p, junk_copies, own_copies) else {
            continue;
        };
        x.line = Some(p.line);
        x.build = Some(v.b.name.clone());
        x.junk_sent = junk;
        out.push(x);
        if junk {
            covered.extend(held);
        }
    }
    covered
}
