//! Where build files and build contexts are read from: the disk, or the listing a scan already
//! made of the tree. The gate and the audit scan the tree anyway; reading compose files,
//! Dockerfiles, `.dockerignore` files and every context from that listing makes them one walk
//! instead of three (what keeps the gate near the cost of `git status`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use super::names::is_build_file_name;
use super::names::{is_compose_name, is_dockerfile};
use crate::relpath::RelPath;
use crate::scan::{EntryKind, Listing, Seen};

/// What to read files from.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// Walk the disk.
    Disk,
    /// A scan's listing of the tree at `root` (directories it did not list are walked).
    Scan {
        root: &'a Path,
        listing: &'a Listing,
        /// The unlisted directories read so far, shared by every context that holds them.
        holes: &'a super::listed::Holes,
    },
}

/// Directories never searched for build files: dependencies, caches, VCS data. A vendored
/// library's compose file is its own test setup, not a build of the project
/// (mailcow-dockerized's `data/web/inc/lib/vendor/matthiasmullie/minify/docker-compose.yml`).
const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "vendor",
    "third_party",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    "dist",
    "build",
];

/// A directory whose name is template syntax (`{{cookiecutter.project_slug}}`, copier's
/// `{{ name }}`, `{% if … %}`): what it holds is rendered into a project, not built as it is,
/// and its compose files are Jinja, not YAML (Buuntu/fastapi-react: plan, audit and gate all
/// stopped at its `{{cookiecutter.project_slug}}/docker-compose.yml`).
fn is_template_dir(name: &[u8]) -> bool {
    name.windows(2).any(|w| w == b"{{" || w == b"{%")
}

/// A directory where tests keep their inputs: `testdata`, `fixtures`, `__fixtures__`, and a
/// `resources` directly in a `test`/`tests` directory (`tests/resources`,
/// `src/test/resources`). Its compose files and Dockerfiles are data a test reads, not builds
/// the project runs (appwrite's `tests/resources/docker/docker-compose.yml`, which a PHP unit
/// test parses: measured as eleven builds whose Dockerfile is missing, it failed the gate).
fn is_fixture_dir(parent: &[u8], name: &[u8]) -> bool {
    matches!(name, b"testdata" | b"fixtures" | b"__fixtures__")
        || (name == b"resources" && matches!(parent, b"test" | b"tests"))
}

/// Directories that make a `files` or `templates` below them a deployment payload: Ansible's
/// playbook and role layouts (`ansible/files/`, `roles/backup/templates/`).
const PAYLOAD_OWNERS: &[&[u8]] = &[b"ansible", b"roles", b"playbooks"];

/// A directory of files Ansible copies to a host: cwage/homelab's
/// `ansible/files/backup/docker-compose.yml` builds there, beside a Dockerfile the playbook
/// copies from the repository's `backup/`, never from here.
fn is_payload_dir(under_owner: bool, name: &[u8]) -> bool {
    under_owner && matches!(name, b"files" | b"templates")
}

/// Whether build files below the directory `name` (in `parent`, below an Ansible directory
/// when `under_owner`) are left out: the one test both the walk and the scan's pick make.
fn skipped_dir(parent: &[u8], name: &[u8], under_owner: bool) -> bool {
    SKIP_DIRS.iter().any(|s| s.as_bytes() == name)
        || is_template_dir(name)
        || is_fixture_dir(parent, name)
        || is_payload_dir(under_owner, name)
}

/// How many directories down build files are looked for.
const MAX_DEPTH: usize = 8;

/// The build files of a tree, each list sorted.
#[derive(Debug, Default, PartialEq)]
pub struct BuildFiles {
    pub compose: Vec<PathBuf>,
    pub dockerfiles: Vec<PathBuf>,
    /// `.dockerignore` and `<name>.dockerignore` files.
    pub ignore_files: Vec<PathBuf>,
}

impl BuildFiles {
    /// Build files under `root` (regular files only, symlinks never followed), at most
    /// `MAX_DEPTH` directories down, never inside `SKIP_DIRS` or a nested repository.
    pub fn find(root: &Path) -> BuildFiles {
        let mut out = BuildFiles::default();
        out.walk(root, 0, false);
        out.sorted()
    }

    /// The same from the entries a scan kept for this ([`crate::scan::ScanResult::build_files`]):
    /// no walk, and no listing of every file (`plan` keeps none; a listing leaves out what
    /// was only sized).
    pub fn from_scan(root: &Path, build_files: &[Seen]) -> BuildFiles {
        let mut out = BuildFiles::default();
        out.pick(root, build_files);
        out.sorted()
    }

    fn sorted(mut self) -> BuildFiles {
        self.compose.sort();
        self.dockerfiles.sort();
        self.ignore_files.sort();
        self
    }

    fn take(&mut self, path: PathBuf, name: &[u8]) {
        if !is_build_file_name(name) {
            return;
        }
        let name = String::from_utf8_lossy(name);
        if is_compose_name(&name) {
            self.compose.push(path);
        } else if is_dockerfile(&name) {
            self.dockerfiles.push(path);
        } else if name.ends_with(".dockerignore") {
            self.ignore_files.push(path);
        }
    }

    fn walk(&mut self, dir: &Path, depth: usize, under_owner: bool) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name();
            if ft.is_dir() {
                // The root's own name is not the repository's to judge.
                let parent = match depth {
                    0 => b"".as_slice(),
                    _ => dir.file_name().unwrap_or_default().as_encoded_bytes(),
                };
                let n = name.as_encoded_bytes();
                let skip = skipped_dir(parent, n, under_owner);
                if depth < MAX_DEPTH && !skip && !e.path().join(".git").exists() {
                    let owner = under_owner || PAYLOAD_OWNERS.contains(&n);
                    self.walk(&e.path(), depth + 1, owner);
                }
            } else if ft.is_file() {
                self.take(e.path(), name.as_encoded_bytes());
            }
        }
    }

    /// The same selection from a scan's entries: the walk's pruning becomes a test of each path.
    /// `files` must hold every build file and every `.git`: a `.git` below the root marks a
    /// nested repository.
    fn pick(&mut self, root: &Path, files: &[Seen]) {
        // A directory holding a `.git` (directory or file) is a repository of its own.
        let mut nested: HashSet<&[u8]> = HashSet::new();
        for f in files {
            let b = f.path.as_bytes();
            let mut at = 0;
            for c in b.split(|&x| x == b'/') {
                if c == b".git" && at > 0 {
                    nested.insert(&b[..at - 1]);
                    break;
                }
                at += c.len() + 1;
            }
        }
        for f in files.iter().filter(|f| f.kind == EntryKind::File) {
            let b = f.path.as_bytes();
            let name = b.rsplit(|&x| x == b'/').next().unwrap_or(b);
            if !is_build_file_name(name) {
                continue;
            }
            let dirs = &b[..b.len() - name.len()];
            let mut depth = 0;
            let mut end = 0;
            let mut skipped = false;
            let mut parent: &[u8] = b"";
            let mut under_owner = false;
            for d in dirs.split(|&x| x == b'/').filter(|d| !d.is_empty()) {
                depth += 1;
                end += d.len() + 1;
                skipped |= skipped_dir(parent, d, under_owner) || nested.contains(&b[..end - 1]);
                under_owner |= PAYLOAD_OWNERS.contains(&d);
                parent = d;
            }
            if !skipped && depth <= MAX_DEPTH {
                self.take(f.path.under(root), name);
            }
        }
    }
}

/// `path` relative to `root`, if it is inside it.
pub fn rel_in(root: &Path, path: &Path) -> Option<RelPath> {
    let p = path.strip_prefix(root).ok()?;
    Some(RelPath::from_bytes(p.as_os_str().as_encoded_bytes()))
}
