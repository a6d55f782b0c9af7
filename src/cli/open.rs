//! Opening the repository a command works on, its rules with it, and a user's path in it.

use super::*;

/// The repository (or plain directory) being cleaned, with its git view.
pub(super) struct Repo {
    pub(super) root: PathBuf,
    pub(super) git: Option<GitInfo>,
}

pub(super) fn open_repo(dir: Option<&Path>) -> anyhow::Result<Repo> {
    open_repo_with(dir, GitStatus::Full)
}

/// The repository for a command that needs only where it is (`rules`, `trust`, `init`): no
/// status of the work tree is read (on a 74,779-file working copy, `rules` spent 0.35 s on
/// one).
pub(super) fn open_root(dir: Option<&Path>) -> anyhow::Result<Repo> {
    open_repo_with(dir, GitStatus::PerPath)
}

/// `status`: read the whole git status now (plan, apply), or per selected path (the checks).
pub(super) fn open_repo_with(dir: Option<&Path>, status: GitStatus) -> anyhow::Result<Repo> {
    let start = match dir {
        Some(d) => d.to_path_buf(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let start = start
        .canonicalize()
        .with_context(|| format!("{}: cannot open", start.display()))?;
    if !start.is_dir() {
        bail!("{}: not a directory", start.display());
    }
    let git = GitInfo::discover_with(&start, status)?;
    let root = match &git {
        Some(g) => g
            .workdir
            .canonicalize()
            .unwrap_or_else(|_| g.workdir.clone()),
        None => start,
    };
    Ok(Repo { root, git })
}

/// `audit`, `ignore` and `gate`: the repository with its status read per path as the scan asks,
/// and the rules, the built-in ones compiled while the repository opens. A small repository's
/// whole status costs less than loading the rules: it is read on another core meanwhile.
pub(super) fn open_for_checks(cli: &Cli) -> anyhow::Result<(Repo, Config)> {
    let early = config::Early::start();
    let repo = open_repo_with(cli.dir.as_deref(), GitStatus::PerPath)?;
    let cfg = std::thread::scope(|s| {
        if let Some(g) = &repo.git {
            s.spawn(|| g.prefetch_status());
        }
        config::load_early(
            Some(&repo.root),
            cli.config.as_deref(),
            config::Mode::Read,
            early,
        )
    })?;
    Ok((repo, cfg))
}

/// `plan` and `apply`: the repository with its whole status read (as [`open_repo`]), on
/// another core while the rules load; a status that fails fails the command, as there. Git's
/// `check-ignore`, which the plan asks about what it selects, starts meanwhile too: on the
/// Mami fixture the scan's first question waited 3 ms for it to start. (The gate does not
/// start it early: on a clean repository it is never asked, and starting it cost 5%.)
pub(super) fn open_with_rules(cli: &Cli, mode: config::Mode) -> anyhow::Result<(Repo, Config)> {
    open_with_rules_and(cli, mode, true)
}

/// [`open_with_rules`], with the whole status read here (`status_first`) or left to the
/// caller: `plan` reads it beside its scan, which asks the index's stat data meanwhile.
pub(super) fn open_with_rules_and(
    cli: &Cli,
    mode: config::Mode,
    status_first: bool,
) -> anyhow::Result<(Repo, Config)> {
    let early = config::Early::start();
    let repo = open_repo_with(cli.dir.as_deref(), GitStatus::PerPath)?;
    let (status, cfg) = std::thread::scope(|s| {
        let status = (repo.git.as_ref())
            .filter(|_| status_first)
            .map(|g| s.spawn(|| g.modified_paths().map(|_| ())));
        if let Some(g) = &repo.git {
            s.spawn(|| g.start_check_ignore());
        }
        let cfg = config::load_early(Some(&repo.root), cli.config.as_deref(), mode, early);
        let status = status.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (status, cfg)
    });
    status.transpose()?;
    Ok((repo, cfg?))
}

/// `rules` works outside a repository too: then only the built-in rules (and `--config`) apply.
pub(super) fn load_rules_anywhere(
    dir: Option<&Path>,
    config_path: Option<&Path>,
) -> anyhow::Result<Config> {
    let root = open_root(dir).ok().map(|r| r.root);
    Ok(config::load(root.as_deref(), config_path)?)
}

/// A user's path (relative to where they stand, or absolute) as a path relative to the root.
pub(super) fn relative_to_root(
    root: &Path,
    cwd: &Path,
    dir: Option<&Path>,
    p: &Path,
) -> anyhow::Result<RelPath> {
    let base = match dir {
        Some(d) => cwd.join(d),
        None => cwd.to_path_buf(),
    };
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    // Resolve the parent (which must exist) but not the last component: it may be a symlink
    // or not exist, and explain must describe the entry itself.
    let (parent, name) = match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => (
            parent
                .canonicalize()
                .unwrap_or_else(|_| parent.to_path_buf()),
            Some(name.to_owned()),
        ),
        _ => (abs.canonicalize().unwrap_or(abs.clone()), None),
    };
    let full = match name {
        Some(n) => parent.join(n),
        None => parent,
    };
    let rel = full.strip_prefix(root).map_err(|_| {
        anyhow::anyhow!(
            "{}: outside the repository root {}",
            p.display(),
            root.display()
        )
    })?;
    Ok(RelPath::from_bytes(std::os::unix::ffi::OsStrExt::as_bytes(
        rel.as_os_str(),
    )))
}
