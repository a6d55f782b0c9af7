//! The binary's side: parse arguments, resolve the root, call the library, render, and turn the
//! outcome into an exit code. Progress goes to stderr, and only on a terminal.

mod args;
mod builds;
mod cleanup;
mod gate;
mod progress;
mod read;
mod setup;
mod style;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use args::{Cli, Command, Format, GateFormat, PageFormat, RulesAction};
use mami_clean::config::{self, Config};
use mami_clean::git::{GitInfo, Status as GitStatus};
use mami_clean::plan::{self, Plan};
use mami_clean::relpath::RelPath;
use mami_clean::report::visible;
use mami_clean::scan::{ScanOptions, Scanner};
use mami_clean::{apply, explain, report, size};

/// What `main` turns into an exit code.
pub enum Outcome {
    Ok,
    /// The command defines findings and found some, or applied partially (exit 1).
    Findings,
    /// Refused before changing anything (exit 2), after printing why.
    Refused,
    /// Stopped by Ctrl-C between steps (exit 130).
    Interrupted,
    /// `verify` could not run: no Docker engine (exit 3).
    Skipped,
    /// `apply --commit` deleted, but the commit failed (exit 4): the report says why.
    NotCommitted,
}

/// The repository (or plain directory) being cleaned, with its git view.
struct Repo {
    root: PathBuf,
    git: Option<GitInfo>,
}

fn open_repo(dir: Option<&Path>) -> anyhow::Result<Repo> {
    open_repo_with(dir, GitStatus::Full)
}

/// `status`: read the whole git status now (plan, apply), or per selected path (the checks).
fn open_repo_with(dir: Option<&Path>, status: GitStatus) -> anyhow::Result<Repo> {
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
/// and the rules. A small repository's whole status costs less than loading the rules: it is
/// read on another core meanwhile.
fn open_for_checks(cli: &Cli) -> anyhow::Result<(Repo, Config)> {
    let repo = open_repo_with(cli.dir.as_deref(), GitStatus::PerPath)?;
    let cfg = std::thread::scope(|s| {
        if let Some(g) = &repo.git {
            s.spawn(|| g.prefetch_status());
        }
        config::load(Some(&repo.root), cli.config.as_deref())
    })?;
    Ok((repo, cfg))
}

/// `plan` and `apply`: the repository with its whole status read (as [`open_repo`]), on
/// another core while the rules load; a status that fails fails the command, as there.
fn open_with_rules(cli: &Cli, mode: config::Mode) -> anyhow::Result<(Repo, Config)> {
    let repo = open_repo_with(cli.dir.as_deref(), GitStatus::PerPath)?;
    let (status, cfg) = std::thread::scope(|s| {
        let status = (repo.git.as_ref()).map(|g| s.spawn(|| g.modified_paths().map(|_| ())));
        let cfg = config::load_mode(Some(&repo.root), cli.config.as_deref(), mode);
        let status = status.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (status, cfg)
    });
    status.transpose()?;
    Ok((repo, cfg?))
}

/// A human report: coloured and filtered as `--color` and `-q` say.
fn write_human(s: &str) -> anyhow::Result<()> {
    write_out(&style::human(s))
}

fn write_out(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to stdout"),
    }
}

pub fn run() -> anyhow::Result<Outcome> {
    let cli = {
        use clap::FromArgMatches;
        Cli::from_arg_matches(&args::command().get_matches()).unwrap_or_else(|e| e.exit())
    };
    style::init(cli.color, cli.quiet, cli.verbose);
    // The shared pool walks what the scan did not list (a build context's `node_modules`):
    // as many threads as the scan's (`-j`), for the same reason.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(mami_clean::limits::threads(cli.threads.unwrap_or(0)))
        .build_global();
    {
        use mami_clean::docker::walk::{set_mode, Mode, Walk};
        set_mode(match cli.docker_walk {
            args::DockerWalk::Auto => Mode::Auto,
            args::DockerWalk::Current => Mode::Fixed(Walk::Current),
            args::DockerWalk::Legacy => Mode::Fixed(Walk::Legacy),
        });
    }
    if !cli.compose_files.is_empty() {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let files = cli
            .compose_files
            .iter()
            .map(|f| {
                let p = cwd.join(f);
                p.canonicalize()
                    .with_context(|| format!("--compose-file {}: cannot open", p.display()))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        mami_clean::docker::project::set_root_files(files);
    }
    let outcome = match &cli.command {
        Command::Plan {
            format,
            out,
            top,
            target,
        } => read::plan(&cli, format, out, top, target),
        Command::Explain { paths, format } => read::explain(&cli, paths, format),
        Command::Rules { action, format } => read::rules(&cli, action, format),
        Command::Apply(a) => cleanup::apply(&cli, a),
        Command::Restore {
            id,
            latest,
            to,
            force,
            backup_dir,
            format,
        } => cleanup::restore(&cli, id, latest, to, force, backup_dir, format),
        Command::Undo { id, format } => cleanup::undo(&cli, id, format),
        Command::Recover {
            finish,
            undo,
            format,
        } => cleanup::recover(&cli, finish, undo, format),
        Command::Context {
            context_dir,
            file,
            target,
            list,
            top,
            format,
        } => builds::context(&cli, context_dir, (file, target), list, top, format),
        Command::Audit { format } => builds::audit(&cli, format),
        Command::Ignore {
            write,
            check,
            format,
        } => builds::ignore(&cli, write, check, format),
        Command::Verify { format } => builds::verify(&cli, format),
        Command::Gate {
            format,
            update_baseline,
            force,
            base,
        } => gate::gate(&cli, format, update_baseline, force, base),
        Command::Trust { format } => setup::trust(&cli, format),
        Command::Init { force } => setup::init(&cli, force),
        Command::Completions { shell } => setup::completions(*shell),
        Command::Man => setup::man(),
    };
    if style::get().verbose {
        eprintln!("filesystem: {} stat calls", mami_clean::fsx::stat_calls());
    }
    outcome
}

fn confirm(prompt: &str) -> anyhow::Result<bool> {
    eprint!("{prompt}");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "YES"))
}

/// `rules` works outside a repository too: then only the built-in rules (and `--config`) apply.
fn load_rules_anywhere(dir: Option<&Path>, config_path: Option<&Path>) -> anyhow::Result<Config> {
    let root = open_repo(dir).ok().map(|r| r.root);
    Ok(config::load(root.as_deref(), config_path)?)
}

fn make_plan(repo: &Repo, cfg: &Config, threads: Option<usize>) -> anyhow::Result<Plan> {
    Ok(scan_and_plan(repo, cfg, threads, Depth::Full, false)?.1)
}

/// How much a command needs: `plan` and `apply` the whole tree and each context's forecast;
/// `ignore` neither the size of `.git` nor forecasts; `gate` and `audit` that, plus the scan's
/// listing of every file, from which they read build files and contexts.
#[derive(PartialEq)]
enum Depth {
    Full,
    Checks,
    ChecksListed,
}

/// A scan with its listing, the plan, the builds found in the listing, and their audit.
struct Audited<R> {
    scan: mami_clean::scan::ScanResult,
    plan: Plan,
    builds: Vec<mami_clean::docker::Build>,
    report: mami_clean::audit::AuditReport,
    /// What the caller asked for beside the audit.
    also: R,
}

/// What `audit` and `gate` share: one scan, and build files and contexts read from its listing.
/// `also` runs on another core while the contexts are read (the gate's ignore-file check).
fn audited<R: Send>(
    repo: &Repo,
    cfg: &Config,
    threads: Option<usize>,
    scope: mami_clean::audit::Scope,
    also: impl FnOnce(&mami_clean::scan::ScanResult, &Plan, &[mami_clean::docker::Build]) -> R + Send,
) -> anyhow::Result<Audited<R>> {
    // Git's answer on tracked-but-ignored files comes from a `git` process: let it run while
    // the tree is scanned.
    let (scan, plan) = std::thread::scope(|s| {
        if let (Some(g), mami_clean::audit::Scope::Full) = (&repo.git, scope) {
            s.spawn(|| g.tracked_ignored());
        }
        scan_and_plan(repo, cfg, threads, Depth::ChecksListed, false)
    })?;
    let holes = mami_clean::docker::Holes::default();
    let src = match &scan.listing {
        Some(listing) => mami_clean::docker::Source::Scan {
            root: &repo.root,
            listing,
            holes: &holes,
        },
        None => mami_clean::docker::Source::Disk,
    };
    let files = mami_clean::docker::BuildFiles::from_scan(&repo.root, &scan.build_files);
    let (builds, refused) = mami_clean::docker::compose::discover_all(&repo.root, &files)?;
    let (report, also) = std::thread::scope(|s| {
        let also = s.spawn(|| also(&scan, &plan, &builds));
        let report = mami_clean::audit::audit(
            &repo.root,
            &plan,
            repo.git.as_ref(),
            &builds,
            &files,
            src,
            scope,
        );
        let also = also.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (report, also)
    });
    let mut report = report?;
    report.add_refused(&repo.root, &refused);
    Ok(Audited {
        scan,
        plan,
        builds,
        report,
        also,
    })
}

fn scan_and_plan(
    repo: &Repo,
    cfg: &Config,
    threads: Option<usize>,
    depth: Depth,
    dir_bytes: bool,
) -> anyhow::Result<(mami_clean::scan::ScanResult, Plan)> {
    let opts = ScanOptions {
        threads: threads.unwrap_or(0),
        skip_git_dir: depth != Depth::Full,
        // `plan` and `apply` read the contexts they forecast from the listing too: the files
        // outside dependency trees (which it leaves out) are few, and each tree a context
        // holds is then read once for all of them.
        keep_listing: depth != Depth::Checks,
        keep_dir_bytes: dir_bytes,
        // The gate and the audit measure contexts (read by the context engine) and tracked
        // files; a dependency directory's size matters to them only under a phase budget.
        dep_sizes: match depth {
            Depth::ChecksListed => {
                mami_clean::scan::DepSizes::Phases(cfg.gate.phase_budget.keys().copied().collect())
            }
            _ => mami_clean::scan::DepSizes::All,
        },
        // `plan` and `apply` forecast every context: the trees the root's contexts hold are
        // listed as they are sized, so the forecast does not walk them again.
        list_deps_in: match depth {
            Depth::Full => mami_clean::docker::compose::root_contexts(&repo.root),
            _ => Vec::new(),
        },
        noted: mami_clean::docker::names::is_build_file_name,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(&repo.root, &cfg.rules, repo.git.as_ref(), opts);
    let ticker = std::io::stderr()
        .is_terminal()
        .then(|| progress::Ticker::start(scanner.progress(), "scanning", "entries"));
    let started = std::time::Instant::now();
    let scan = scanner.run();
    if let Some(t) = ticker {
        t.finish();
    }
    let scan = scan?;
    if style::get().verbose {
        eprintln!(
            "scan: {} selected, {} in {:.2} s",
            size::plural(scan.found.len() as u64, "entry", "entries"),
            size::plural(scan.tree.files, "file", "files"),
            started.elapsed().as_secs_f64()
        );
    }
    let mut plan = Plan::build(&repo.root, &scan, &cfg.rules, repo.git.as_ref(), cfg.target);
    plan.untrusted_config = cfg.untrusted.as_ref().map(|u| {
        u.strip_prefix(&repo.root)
            .unwrap_or(u)
            .display()
            .to_string()
    });
    if depth == Depth::Full {
        let (contexts, notes) = mami_clean::forecast::contexts(
            &repo.root,
            &cfg.rules,
            &scan,
            &plan,
            repo.git.as_ref(),
        )?;
        plan.contexts = contexts;
        plan.notes.extend(notes);
    }
    Ok((scan, plan))
}

/// A user's path (relative to where they stand, or absolute) as a path relative to the root.
fn relative_to_root(
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
