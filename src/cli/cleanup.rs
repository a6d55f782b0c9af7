//! The commands that change the tree, and those that put it back: `apply`, `restore`, `undo`,
//! `recover`.

use super::args::ApplyArgs;
use super::*;

pub(super) fn apply(cli: &Cli, a: &ApplyArgs) -> anyhow::Result<Outcome> {
    let ApplyArgs {
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
    } = a;
    let (repo, cfg) = open_with_rules(cli, config::Mode::Apply)?;
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
        .then(|| progress::Ticker::start(opts.progress.clone(), "deleting", "files"));
    // People see each step as it ends (and a log killed mid-run holds what was done);
    // JSON is one document at the end.
    let human = matches!(format, Format::Human);
    let mut shown = Ok(());
    let mut on = |ev: apply::Event| {
        if !human || shown.is_err() {
            return;
        }
        shown = match ev {
            apply::Event::Prechecked(r) => write_human(&report::apply_head(r)),
            // -q: no line per entry; the tail says what went.
            apply::Event::Entry(_) if style::get().quiet => Ok(()),
            apply::Event::Entry(e) => write_human(&report::apply_entry(e)),
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
    let mut r = r?;
    shown?;
    if *verify && !r.refused && !r.interrupted {
        r.verify = Some(mami_clean::verify::verify(&repo.root, &cfg.verify));
    }
    match format {
        Format::Human if !r.refused && !r.nothing_to_do => write_human(&report::apply_tail(&r))?,
        Format::Human => {}
        // One document: the apply, and the verify after it.
        Format::Json => write_out(&report::to_json(&r))?,
    }
    if let Some(v) = &r.verify {
        if human {
            write_human(&report::verify_human(v))?;
        }
        if v.outcome == mami_clean::verify::Outcome::Fail {
            // JSON carries the restore command in `backup.restore_command`.
            if !human {
            } else if let Some(cmd) = &r.backup.restore_command {
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

pub(super) fn restore(
    cli: &Cli,
    id: &Option<String>,
    latest: &bool,
    to: &Option<PathBuf>,
    force: &bool,
    backup_dir: &Option<PathBuf>,
    format: &Format,
) -> anyhow::Result<Outcome> {
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
        let rows: Vec<report::BackupRow> = list
            .iter()
            .map(|(d, m)| report::BackupRow {
                id: m.id.clone(),
                created: m.created.clone(),
                items: m.items.len(),
                bytes: m.items.iter().map(|i| i.size).sum(),
                dir: d.display().to_string(),
            })
            .collect();
        match format {
            Format::Human => write_human(&report::backups_human(
                &rows,
                &repo.root.display().to_string(),
                &dir.display().to_string(),
            ))?,
            Format::Json => write_out(&report::to_json(&rows))?,
        }
        return Ok(Outcome::Ok);
    };
    let target = to.clone().unwrap_or_else(|| repo.root.clone());
    let r = apply::restore::restore(bdir, &target, *force, to.is_none())?;
    let done = report::Restored {
        id: &m.id,
        into: target.display().to_string(),
        report: &r,
    };
    match format {
        Format::Human => write_human(&report::restored_human(&done))?,
        Format::Json => write_out(&report::to_json(&done))?,
    }
    Ok(if r.refused.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Refused
    })
}

pub(super) fn undo(cli: &Cli, id: &Option<String>, format: &Format) -> anyhow::Result<Outcome> {
    let repo = open_repo(cli.dir.as_deref())?;
    let r = apply::undo::undo(&repo.root, repo.git.as_ref(), id.as_deref())?;
    match format {
        Format::Human => write_human(&report::undo_human(&r))?,
        Format::Json => write_out(&report::to_json(&r))?,
    }
    Ok(if r.refused.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Findings
    })
}

pub(super) fn recover(
    cli: &Cli,
    finish: &bool,
    undo: &bool,
    format: &Format,
) -> anyhow::Result<Outcome> {
    let repo = open_repo(cli.dir.as_deref())?;
    let cfg = config::load_mode(Some(&repo.root), cli.config.as_deref(), config::Mode::Apply)?;
    let mode = match (finish, undo) {
        (true, _) => apply::RecoverMode::Finish,
        (_, true) => apply::RecoverMode::Undo,
        _ => apply::RecoverMode::Report,
    };
    let progress = Default::default();
    let r = apply::recover(&repo.root, &cfg, repo.git.as_ref(), mode, progress)?;
    match format {
        Format::Human => write_human(&report::recover_human(&r))?,
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
