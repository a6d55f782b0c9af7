//! The binary's side: parse arguments, resolve the root, call the library, render, and turn the
//! outcome into an exit code. Progress goes to stderr, and only on a terminal.

mod args;
mod progress;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Parser;

use args::{Cli, Command, Format, GateFormat, RulesAction};
use mami_clean::config::{self, Config};
use mami_clean::git::{GitInfo, Status as GitStatus};
use mami_clean::plan::{self, Plan};
use mami_clean::relpath::RelPath;
use mami_clean::report::visible;
use mami_clean::scan::{ScanOptions, Scanner};
use mami_clean::{apply, explain, report, rules, size};

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

fn write_out(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to stdout"),
    }
}

pub fn run() -> anyhow::Result<Outcome> {
    let cli = Cli::parse();
    match &cli.command {
        Command::Plan {
            format,
            out,
            top,
            target,
        } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let mut cfg = config::load(Some(&repo.root), cli.config.as_deref())?;
            if let Some(t) = target {
                let t = size::parse_target(t)
                    .map_err(|m| anyhow::anyhow!("--target: invalid size {m}"))?;
                cfg.target = Some(t);
            }
            let plan = make_plan(&repo, &cfg, cli.threads)?;
            if let Some(path) = out {
                plan::save(
                    &plan,
                    &mami_clean::fsx::Place::named(&repo.root, path, true)?,
                )?;
            }
            match format {
                Format::Human => write_out(&report::plan_human(&plan, *top))?,
                Format::Json => write_out(&report::to_json(&plan))?,
            }
            Ok(Outcome::Ok)
        }
        Command::Explain { paths, format } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let cfg = config::load(Some(&repo.root), cli.config.as_deref())?;
            let cwd = std::env::current_dir()?;
            let mut out = String::new();
            let mut all = Vec::new();
            for p in paths {
                let rel = relative_to_root(&repo.root, &cwd, cli.dir.as_deref(), p)?;
                let e = explain::explain(&repo.root, &cfg.rules, repo.git.as_ref(), &rel);
                out.push_str(&report::explain_human(&e));
                all.push(e);
            }
            match format {
                Format::Human => write_out(&out)?,
                Format::Json => write_out(&report::to_json(&all))?,
            }
            Ok(Outcome::Ok)
        }
        Command::Rules { action, format } => {
            let cfg = load_rules_anywhere(cli.dir.as_deref(), cli.config.as_deref())?;
            match action.as_ref().unwrap_or(&RulesAction::List) {
                RulesAction::List => match format {
                    Format::Human => write_out(&report::rules_human(&cfg.rules))?,
                    Format::Json => write_out(&report::rules_json(&cfg.rules))?,
                },
                RulesAction::Test => {
                    let r = rules::examples::check(&cfg.rules);
                    match format {
                        Format::Human => write_out(&report::rules_test_human(&r))?,
                        Format::Json => write_out(&report::to_json(&r))?,
                    }
                    if !r.failures.is_empty() {
                        return Ok(Outcome::Findings);
                    }
                }
            }
            Ok(Outcome::Ok)
        }
        Command::Apply {
            plan,
            yes,
            allow_dirty,
            no_backup,
            backup_dir,
            commit,
            no_ignore_files,
            verify,
            message,
            format,
        } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let cfg =
                config::load_mode(Some(&repo.root), cli.config.as_deref(), config::Mode::Apply)?;
            if let Some(u) = &cfg.untrusted {
                eprintln!("note: {} is not trusted: apply ignores its delete and review rules and its `disable` of keep rules (review it, then `mami-clean trust`)", u.display());
            }
            let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
            let the_plan = match plan {
                Some(p) => plan::load(p)?,
                None => {
                    if !*yes && !interactive {
                        bail!("refusing to apply without a terminal to confirm: pass --yes, or --plan FILE with a reviewed plan");
                    }
                    make_plan(&repo, &cfg, cli.threads)?
                }
            };
            if *no_backup && !*yes {
                bail!("--no-backup needs --yes: what it deletes cannot be brought back");
            }
            if plan.is_none() && !*yes {
                eprint!("{}", report::plan_human(&the_plan, 10));
                if !confirm("Delete these entries? [y/N] ")? {
                    eprintln!("nothing deleted");
                    return Ok(Outcome::Refused);
                }
            }
            let opts = apply::ApplyOptions {
                allow_dirty: *allow_dirty,
                no_backup: *no_backup,
                backup_dir: backup_dir.clone(),
                commit: commit.then(|| message.clone()),
                threads: cli.threads.unwrap_or(0),
                no_ignore_files: *no_ignore_files,
                progress: Default::default(),
            };
            let stop = apply::interrupt_flag();
            let ticker = std::io::stderr()
                .is_terminal()
                .then(|| progress::Ticker::start(opts.progress.clone(), "deleting"));
            // People see each step as it ends (and a log killed mid-run holds what was done);
            // JSON is one document at the end.
            let human = matches!(format, Format::Human);
            let mut shown = Ok(());
            let mut on = |ev: apply::Event| {
                if !human || shown.is_err() {
                    return;
                }
                shown = match ev {
                    apply::Event::Prechecked(r) => write_out(&report::apply_head(r)),
                    apply::Event::Entry(e) => write_out(&report::apply_entry(e)),
                };
            };
            let r = apply::apply(
                &repo.root,
                &cfg,
                repo.git.as_ref(),
                &the_plan,
                &opts,
                &stop,
                &mut on,
            );
            if let Some(t) = ticker {
                t.finish();
            }
            let r = r?;
            shown?;
            match format {
                Format::Human if !r.refused && !r.nothing_to_do => {
                    write_out(&report::apply_tail(&r))?
                }
                Format::Human => {}
                Format::Json => write_out(&report::to_json(&r))?,
            }
            if *verify && !r.refused && !r.interrupted {
                let v = mami_clean::verify::verify(&repo.root, &cfg.verify);
                write_out(&report::verify_human(&v))?;
                if v.outcome == mami_clean::verify::Outcome::Fail {
                    if let Some(cmd) = &r.backup.restore_command {
                        write_out(&format!(
                            "verify failed: to put the backup back, run `{}`\n",
                            visible(cmd)
                        ))?;
                    } else {
                        write_out("verify failed: deleted tracked files come back with `git checkout -- .`; regenerable ones with their commands\n")?;
                    }
                    return Ok(Outcome::Findings);
                }
            }
            Ok(if r.refused {
                Outcome::Refused
            } else if r.commit_failed {
                Outcome::NotCommitted
            } else if r.interrupted {
                Outcome::Interrupted
            } else if r.partial() {
                Outcome::Findings
            } else {
                Outcome::Ok
            })
        }
        Command::Restore {
            id,
            latest,
            to,
            force,
            backup_dir,
        } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let dir = match backup_dir {
                Some(d) => d.clone(),
                None => apply::backup::default_dir()?,
            };
            // Backups written elsewhere with `apply --backup-dir` are found through the runs
            // recorded in the state directory.
            let recorded: Vec<PathBuf> = match backup_dir {
                Some(_) => Vec::new(),
                None => apply::state_dir(&repo.root, repo.git.as_ref())
                    .map(|s| {
                        apply::runs::list(&s)
                            .into_iter()
                            .filter_map(|r| r.backup)
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            let list = apply::backup::list_with(&dir, &repo.root, recorded);
            let chosen = match (id, latest) {
                (Some(id), _) => Some(list.iter().find(|(_, m)| &m.id == id).ok_or_else(|| {
                    anyhow::anyhow!(
                        "no backup `{id}` of {} in {}",
                        repo.root.display(),
                        dir.display()
                    )
                })?),
                (None, true) => Some(list.last().ok_or_else(|| {
                    anyhow::anyhow!("no backup of {} in {}", repo.root.display(), dir.display())
                })?),
                (None, false) => None,
            };
            let Some((bdir, m)) = chosen else {
                let mut out = String::new();
                if list.is_empty() {
                    out.push_str(&format!(
                        "no backups of {} in {}\n",
                        repo.root.display(),
                        dir.display()
                    ));
                }
                for (_, m) in &list {
                    let bytes: u64 = m.items.iter().map(|i| i.size).sum();
                    out.push_str(&format!(
                        "{}  {}  {} items, {}\n",
                        m.id,
                        m.created,
                        m.items.len(),
                        size::human(bytes)
                    ));
                }
                write_out(&out)?;
                return Ok(Outcome::Ok);
            };
            let target = to.clone().unwrap_or_else(|| repo.root.clone());
            let r = apply::restore::restore(bdir, &target, *force, to.is_none())?;
            if !r.refused.is_empty() {
                let mut out = format!("restore of {} refused, nothing written:\n", m.id);
                for x in &r.refused {
                    out.push_str(&format!("  {x}\n"));
                }
                write_out(&out)?;
                return Ok(Outcome::Refused);
            }
            let mut out = format!(
                "restored {} ({} written, {} already in place) into {}\n",
                m.id,
                r.restored,
                r.unchanged,
                target.display()
            );
            for s in &r.special_not_restored {
                out.push_str(&format!("  not restored (special file): {s}\n"));
            }
            write_out(&out)?;
            Ok(Outcome::Ok)
        }
        Command::Undo { id, format } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let r = apply::undo::undo(&repo.root, repo.git.as_ref(), id.as_deref())?;
            match format {
                Format::Human => write_out(&report::undo_human(&r))?,
                Format::Json => write_out(&report::to_json(&r))?,
            }
            Ok(if r.refused.is_empty() {
                Outcome::Ok
            } else {
                Outcome::Findings
            })
        }
        Command::Recover {
            finish,
            undo,
            format,
        } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let cfg =
                config::load_mode(Some(&repo.root), cli.config.as_deref(), config::Mode::Apply)?;
            let mode = match (finish, undo) {
                (true, _) => apply::RecoverMode::Finish,
                (_, true) => apply::RecoverMode::Undo,
                _ => apply::RecoverMode::Report,
            };
            let progress = Default::default();
            let r = apply::recover(&repo.root, &cfg, repo.git.as_ref(), mode, progress)?;
            match format {
                Format::Human => write_out(&report::recover_human(&r))?,
                Format::Json => write_out(&report::to_json(&r))?,
            }
            Ok(if !r.refused.is_empty() {
                Outcome::Refused
            } else if r.partial() {
                Outcome::Findings
            } else {
                Outcome::Ok
            })
        }
        Command::Context {
            dir,
            file,
            list,
            top,
            format,
        } => {
            let base = match &cli.dir {
                Some(d) => d.clone(),
                None => std::env::current_dir()?,
            };
            let dir = base.join(dir.clone().unwrap_or_else(|| PathBuf::from(".")));
            let dir = dir
                .canonicalize()
                .with_context(|| format!("{}: cannot open", dir.display()))?;
            let dockerfile = match file {
                Some(f) => std::path::absolute(base.join(f))?,
                None => dir.join("Dockerfile"),
            };
            let ctx = mami_clean::docker::compute(&dir, &dockerfile, *top)?;
            if *list {
                let mut out = Vec::new();
                for f in &ctx.files {
                    let p = RelPath::from_json_fields(&f.path, f.path_hex.as_deref())
                        .unwrap_or_default();
                    out.extend_from_slice(p.as_bytes());
                    out.push(b'\n');
                }
                let mut o = std::io::stdout().lock();
                return match o.write_all(&out) {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                    _ => Ok(Outcome::Ok),
                };
            }
            match format {
                Format::Human => write_out(&report::context_human(&ctx))?,
                Format::Json => write_out(&report::to_json(&ctx))?,
            }
            Ok(Outcome::Ok)
        }
        Command::Audit { format } => {
            let (repo, cfg) = open_for_checks(&cli)?;
            let r = audited(&repo, &cfg, cli.threads, mami_clean::audit::Scope::Full)?.report;
            match format {
                Format::Human => write_out(&report::audit_human(&r))?,
                Format::Json => write_out(&report::to_json(&r))?,
            }
            Ok(if r.errors() > 0 {
                Outcome::Findings
            } else {
                Outcome::Ok
            })
        }
        Command::Ignore { write, check } => {
            let (repo, cfg) = open_for_checks(&cli)?;
            let (scan, the_plan) = scan_and_plan(&repo, &cfg, cli.threads, Depth::Checks)?;
            let found = mami_clean::docker::BuildFiles::from_scan(&repo.root, &scan.build_files);
            let builds = mami_clean::docker::discover_in(&repo.root, &found)?;
            let changes = mami_clean::ignorefile::plan_changes(
                &repo.root,
                &cfg.rules,
                &the_plan,
                &scan,
                &builds,
                repo.git.as_ref(),
            )?;
            let mut out = String::new();
            let mut stale = false;
            for ch in &changes {
                let shown = visible(&ch.shown);
                for d in &ch.dropped {
                    out.push_str(&format!("{shown}: not adding {}\n", visible(d)));
                }
                if !ch.changed() {
                    out.push_str(&format!("{shown}: up to date\n"));
                    continue;
                }
                stale = true;
                if *write {
                    mami_clean::ignorefile::write_in_tree(&repo.root, &ch.path, &ch.after)?;
                    out.push_str(&format!("{shown}: written\n"));
                } else {
                    let verb = if ch.before.is_empty() {
                        "would create"
                    } else {
                        "would update"
                    };
                    out.push_str(&format!("{shown}: {verb}\n"));
                    let (added, removed) = ch.diff();
                    for r in removed {
                        out.push_str(&format!("  - {}\n", visible(r)));
                    }
                    for a in added {
                        out.push_str(&format!("  + {}\n", visible(a)));
                    }
                }
            }
            if builds.is_empty() {
                out.push_str("no Dockerfile or compose build found: no .dockerignore to write\n");
            } else if *write {
                // Check the result with the engine: what each context still sends, and that
                // every COPY source is still there.
                // From the disk: the files just written are part of it.
                let src = mami_clean::docker::Source::Disk;
                let files = mami_clean::docker::BuildFiles::find(&repo.root);
                let audit = mami_clean::audit::audit(
                    &repo.root,
                    &the_plan,
                    repo.git.as_ref(),
                    &builds,
                    &files,
                    src,
                    mami_clean::audit::Scope::Contexts,
                )?;
                for b in &audit.builds {
                    out.push_str(&format!("verified {}: sends {} ({} of it selected for deletion: `mami-clean apply` removes it)\n", b.name, size::human(b.bytes), size::human(b.junk_bytes)));
                }
                for f in audit
                    .findings
                    .iter()
                    .filter(|f| f.code == "copy-source-excluded")
                {
                    out.push_str(&format!(
                        "error: {}:{}: {}\n",
                        f.path,
                        f.line.unwrap_or(0),
                        f.message
                    ));
                }
            }
            write_out(&out)?;
            Ok(if *check && stale {
                Outcome::Findings
            } else {
                Outcome::Ok
            })
        }
        Command::Verify { format } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let cfg = config::load(Some(&repo.root), cli.config.as_deref())?;
            let v = mami_clean::verify::verify(&repo.root, &cfg.verify);
            match format {
                Format::Human => write_out(&report::verify_human(&v))?,
                Format::Json => write_out(&report::to_json(&v))?,
            }
            Ok(match v.outcome {
                mami_clean::verify::Outcome::Pass => Outcome::Ok,
                mami_clean::verify::Outcome::Fail => Outcome::Findings,
                mami_clean::verify::Outcome::Skipped => Outcome::Skipped,
            })
        }
        Command::Gate {
            format,
            update_baseline,
            base,
        } => {
            use mami_clean::gate;
            let (repo, cfg) = open_for_checks(&cli)?;
            let Audited {
                scan,
                plan: the_plan,
                builds,
                report: audit,
            } = audited(&repo, &cfg, cli.threads, mami_clean::audit::Scope::Contexts)?;
            let stale = mami_clean::ignorefile::plan_changes(
                &repo.root,
                &cfg.rules,
                &the_plan,
                &scan,
                &builds,
                repo.git.as_ref(),
            )?;
            let (tracked_files, tracked_bytes) =
                repo.git.as_ref().map_or((0, 0), |g| g.tracked_size());
            let contexts = gate::contexts_of(&audit);
            let mut now = gate::Measurement {
                tracked_files,
                tracked_bytes,
                context_total: contexts.values().sum(),
                contexts,
            };
            let baseline_path = repo.root.join(&cfg.gate.baseline);
            if *update_baseline {
                gate::baseline::write(
                    &repo.root,
                    &baseline_path,
                    &now,
                    repo.git.as_ref().and_then(|g| g.head.clone()),
                )?;
                write_out(&format!(
                    "wrote {} ({} tracked, {} in {} build contexts); commit it\n",
                    baseline_path.display(),
                    size::human(now.tracked_bytes),
                    size::human(now.context_total),
                    now.contexts.len()
                ))?;
                return Ok(Outcome::Ok);
            }
            let base = match base {
                Some(rev) => {
                    let g = repo.git.as_ref().ok_or_else(|| anyhow::anyhow!("--base needs a git repository"))?;
                    // Both sides from git objects, so the comparison is like for like.
                    now = gate::baseline::from_ref(g, "HEAD", &repo.root, &builds)?;
                    Some((gate::baseline::from_ref(g, rev, &repo.root, &builds)?, format!("git {rev}")))
                }
                None => match gate::baseline::read(&baseline_path)? {
                    Some(m) => Some((m, cfg.gate.baseline.display().to_string())),
                    None if cfg.gate.require_baseline => bail!("{}: no baseline, and gate.require_baseline is set; write one with `mami-clean gate --update-baseline`", baseline_path.display()),
                    None => None,
                },
            };
            let r = gate::evaluate(&cfg.gate, &the_plan, &audit, &stale, now, base);
            match format {
                GateFormat::Human => write_out(&report::gate_human(&r))?,
                GateFormat::Json => write_out(&report::to_json(&r))?,
                GateFormat::Github => {
                    write_out(&report::gate_github(&r))?;
                    if let Some(p) =
                        std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
                    {
                        let mut f = std::fs::OpenOptions::new()
                            .create(true)
                            .append(true)
                            .open(&p)
                            .with_context(|| {
                                format!("cannot write {}", PathBuf::from(&p).display())
                            })?;
                        f.write_all(report::gate_summary(&r).as_bytes())?;
                    }
                }
            }
            let outcome = if r.passed {
                Outcome::Ok
            } else {
                Outcome::Findings
            };
            // The process ends next: the rules, the listing and the plan are left to the OS
            // instead of being freed allocation by allocation (the gate on a 5,000-file
            // repository: 5% faster, interleaved). The repository handle is dropped: it stops
            // git's check-ignore process.
            std::mem::forget((cfg, scan, the_plan, builds, audit, stale, r));
            Ok(outcome)
        }
        Command::Trust => {
            let repo = open_repo(cli.dir.as_deref())?;
            let path = cli
                .config
                .clone()
                .unwrap_or_else(|| repo.root.join(config::FILE_NAME));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            // Refuse what load would refuse (symlinks, bad TOML) before recording trust in it.
            config::load(Some(&repo.root), Some(&path))?;
            let store = mami_clean::trust::record(&path, &text)?;
            write_out(&format!("trusted {} as it is now (BLAKE3 {}); recorded in {}\nany change to it needs `mami-clean trust` again\n", path.display(), &blake3::hash(text.as_bytes()).to_hex()[..16], store.display()))?;
            Ok(Outcome::Ok)
        }
        Command::Init { force } => {
            let repo = open_repo(cli.dir.as_deref())?;
            let path = cli
                .config
                .clone()
                .unwrap_or_else(|| repo.root.join(config::FILE_NAME));
            // Never through a link, never outside the repository unless named outside it.
            let place = mami_clean::fsx::Place::named(&repo.root, &path, false)?;
            if place.existing()?.is_some() && !force {
                bail!("{} exists; pass --force to overwrite it", path.display());
            }
            place.replace(config::TEMPLATE.as_bytes(), None)?;
            write_out(&format!(
                "wrote {}\n",
                visible(&place.path().display().to_string())
            ))?;
            Ok(Outcome::Ok)
        }
    }
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
    Ok(scan_and_plan(repo, cfg, threads, Depth::Full)?.1)
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
struct Audited {
    scan: mami_clean::scan::ScanResult,
    plan: Plan,
    builds: Vec<mami_clean::docker::Build>,
    report: mami_clean::audit::AuditReport,
}

/// What `audit` and `gate` share: one scan, and build files and contexts read from its listing.
fn audited(
    repo: &Repo,
    cfg: &Config,
    threads: Option<usize>,
    scope: mami_clean::audit::Scope,
) -> anyhow::Result<Audited> {
    // Git's answer on tracked-but-ignored files comes from a `git` process: let it run while
    // the tree is scanned.
    let (scan, plan) = std::thread::scope(|s| {
        if let (Some(g), mami_clean::audit::Scope::Full) = (&repo.git, scope) {
            s.spawn(|| g.tracked_ignored());
        }
        scan_and_plan(repo, cfg, threads, Depth::ChecksListed)
    })?;
    let src = match &scan.listing {
        Some(listing) => mami_clean::docker::Source::Scan {
            root: &repo.root,
            listing,
        },
        None => mami_clean::docker::Source::Disk,
    };
    let files = mami_clean::docker::BuildFiles::from_scan(&repo.root, &scan.build_files);
    let builds = mami_clean::docker::discover_in(&repo.root, &files)?;
    let report = mami_clean::audit::audit(
        &repo.root,
        &plan,
        repo.git.as_ref(),
        &builds,
        &files,
        src,
        scope,
    )?;
    Ok(Audited {
        scan,
        plan,
        builds,
        report,
    })
}

fn scan_and_plan(
    repo: &Repo,
    cfg: &Config,
    threads: Option<usize>,
    depth: Depth,
) -> anyhow::Result<(mami_clean::scan::ScanResult, Plan)> {
    let opts = ScanOptions {
        threads: threads.unwrap_or(0),
        skip_git_dir: depth != Depth::Full,
        keep_listing: depth == Depth::ChecksListed,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(&repo.root, &cfg.rules, repo.git.as_ref(), opts);
    let ticker = std::io::stderr()
        .is_terminal()
        .then(|| progress::Ticker::start(scanner.progress(), "scanning"));
    let scan = scanner.run();
    if let Some(t) = ticker {
        t.finish();
    }
    let scan = scan?;
    let mut plan = Plan::build(&repo.root, &scan, &cfg.rules, repo.git.as_ref(), cfg.target);
    plan.untrusted_config = cfg.untrusted.as_ref().map(|u| {
        u.strip_prefix(&repo.root)
            .unwrap_or(u)
            .display()
            .to_string()
    });
    if depth == Depth::Full {
        let (contexts, notes) = forecasts(&repo.root, cfg, &scan, &plan)?;
        plan.contexts = contexts;
        plan.notes.extend(notes);
    }
    Ok((scan, plan))
}

/// Per build context: bytes now, and after the plan's deletions and the ignore-file writer;
/// and a note for each build whose context directory or Dockerfile does not exist (its build
/// fails; a missing context is not measured, and the rest of the plan stands).
fn forecasts(
    root: &Path,
    cfg: &Config,
    scan: &mami_clean::scan::ScanResult,
    plan: &Plan,
) -> anyhow::Result<(
    Vec<mami_clean::docker::context::Forecast>,
    Vec<mami_clean::plan::NoteEntry>,
)> {
    let files = mami_clean::docker::BuildFiles::from_scan(root, &scan.build_files);
    let builds = mami_clean::docker::discover_in(root, &files)?;
    if builds.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // Only the .dockerignore files matter to the contexts: git's view is not asked.
    let changes =
        mami_clean::ignorefile::plan_changes(root, &cfg.rules, plan, scan, &builds, None)?;
    let deleted: Vec<RelPath> = plan.deletions().filter_map(|e| e.rel()).collect();
    let mut out: Vec<mami_clean::docker::context::Forecast> = Vec::new();
    let mut notes = Vec::new();
    // Builds that share a context, a Dockerfile and so an ignore file send the same bytes: one
    // row, every build named.
    let mut seen: Vec<(&Path, &Path, usize)> = Vec::new();
    for b in builds.iter().filter(|b| b.context.starts_with(root)) {
        if let Some((p, what)) = b.missing_input() {
            let rel = p.strip_prefix(root).unwrap_or(p);
            let (path, path_hex) =
                RelPath::from_bytes(rel.as_os_str().as_encoded_bytes()).to_json_fields();
            notes.push(mami_clean::plan::NoteEntry {
                message: format!("the {what} of {} does not exist: its build fails", b.name),
                path,
                path_hex,
                kind: mami_clean::scan::NoteKind::MissingBuildInput,
            });
        }
        if !b.context.is_dir() {
            continue;
        }
        let f = mami_clean::docker::ignore_file_for(&b.context, &b.dockerfile)
            .unwrap_or_else(|| b.context.join(".dockerignore"));
        let key = (b.context.as_path(), b.dockerfile.as_path());
        if let Some(&(.., i)) = seen.iter().find(|(c, d, _)| (*c, *d) == key) {
            out[i].name = format!("{} and {}", out[i].name, b.name);
            continue;
        }
        seen.push((key.0, key.1, out.len()));
        let after = changes
            .iter()
            .find(|c| c.path == f)
            .map(|c| c.after.as_str());
        out.push(mami_clean::docker::context::forecast(
            root, b, &deleted, after,
        )?);
    }
    Ok((out, notes))
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
