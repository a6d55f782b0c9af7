//! The checks of one build context: `.git` sent, root-only patterns; and the
//! [`View`] of the context that every check reads (these, `junk_sent`'s and `copy_sources`').
//! Each check pushes its findings.

use std::path::Path;

use super::{finding, rel_to, Finding, Severity};
use crate::docker::compose::Build;
use crate::docker::context::Context;
use crate::docker::copy_source::CopySource;
use crate::docker::dockerfile::{context_reads, is_read};
use crate::plan::{Entry, Plan};
use crate::relpath::{seen_from, Holder, RelPath};

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
    /// Its `RUN --mount=type=bind` sources from the context, parsed once.
    binds: std::cell::OnceCell<Vec<CopySource>>,
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
            binds: std::cell::OnceCell::new(),
            reads: std::cell::OnceCell::new(),
        }
    }

    /// The Dockerfile's text, read on first use.
    pub(super) fn dockerfile(&self) -> Option<&str> {
        self.dockerfile
            .get_or_init(|| self.b.dockerfile_text())
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

    /// What the RUNs of the stages this build runs bind-mount from the context (ragflow's
    /// `.git`): the build fails without it, as without a COPY source.
    pub(super) fn binds(&self) -> &[CopySource] {
        self.binds.get_or_init(|| {
            let target = self.b.target.as_deref();
            (self.dockerfile())
                .map(|t| crate::docker::built_stages::built_bind_sources(t, target))
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
    pub(super) fn top_dir(&self, name: &str) -> Option<RelPath> {
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

    /// The sent files at `inside` (a path in the context): the file itself, or a folder's
    /// files, one run of the context's files (sorted component by component).
    pub(super) fn sent_at(&self, inside: &[u8]) -> &[crate::docker::context::SentFile] {
        let files = &self.ctx.files;
        let at = RelPath::from_bytes(inside);
        let start = files.partition_point(|f| f.path < at);
        let run = (files[start..].iter())
            .take_while(|f| crate::relpath::within(f.path.as_bytes(), inside))
            .count();
        &files[start..start + run]
    }

    /// The COPY/ADD whose source names the context path `path` itself, as a path or a pattern
    /// (mindsdb's test database image: `COPY ./certs/* /var/lib/.postgresql/` takes
    /// `certs/server.key`): the build wants it, so excluding it breaks the build. A source
    /// that only holds it (`.`, `app` for `app/.env`) takes whatever is there, wanted or not.
    pub(super) fn copied_by_name(&self, path: &[u8]) -> Option<&CopySource> {
        self.copies().iter().find(|c| {
            c.pattern()
                .is_some_and(|s| crate::docker::glob::compile(&s).is_ok_and(|m| m.matches(path)))
        })
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
