//! The Docker commands: `context`, `audit`, `ignore`, `verify`.

use super::*;

pub(super) fn context(
    cli: &Cli,
    dir: &Option<PathBuf>,
    (file, target): (&Option<PathBuf>, &Option<String>),
    list: &bool,
    top: &usize,
    format: &PageFormat,
) -> anyhow::Result<Outcome> {
    // Relative paths (DIR and -f) are the user's: from where they stand, or from -C's DIR as
    // git -C has it.
    let cwd = std::env::current_dir()?;
    let base = match &cli.dir {
        Some(d) => cwd.join(d),
        None => cwd,
    };
    let dir = base.join(dir.clone().unwrap_or_else(|| PathBuf::from(".")));
    let dir = dir
        .canonicalize()
        .with_context(|| format!("{}: cannot open", dir.display()))?;
    let dockerfile = match file {
        Some(f) => std::path::absolute(base.join(f))?,
        None => mami_clean::docker::names::default_dockerfile(&dir),
    };
    let ctx = mami_clean::docker::compute(&dir, &dockerfile, target.as_deref(), *top)?;
    if *list {
        let mut out = Vec::new();
        for f in &ctx.files {
            out.extend_from_slice(f.path.as_bytes());
            out.push(b'\n');
        }
        let mut o = std::io::stdout().lock();
        return match o.write_all(&out) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(Outcome::Ok),
        };
    }
    match format {
        PageFormat::Human => write_human(&report::context_human(&ctx))?,
        PageFormat::Json => write_out(&report::to_json(&ctx))?,
        PageFormat::Html => write_out(&report::context_html(&ctx, env!("CARGO_PKG_VERSION")))?,
    }
    Ok(Outcome::Ok)
}

pub(super) fn audit(cli: &Cli, format: &Format) -> anyhow::Result<Outcome> {
    let (repo, cfg) = open_for_checks(cli)?;
    let r = audited(
        &repo,
        &cfg,
        cli.threads,
        mami_clean::audit::Scope::Full,
        |_, _, _| (),
    )?
    .report;
    match format {
        Format::Human => write_human(&report::audit_human(&r))?,
        Format::Json => write_out(&report::to_json(&r))?,
    }
    Ok(if r.errors() > 0 {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}

pub(super) fn ignore(
    cli: &Cli,
    write: &bool,
    check: &bool,
    format: &Format,
) -> anyhow::Result<Outcome> {
    let (repo, cfg) = open_for_checks(cli)?;
    let (scan, the_plan) = scan_and_plan(&repo, &cfg, cli.threads, Depth::Checks, false)?;
    let found = mami_clean::docker::BuildFiles::from_scan(&repo.root, &scan.build_files);
    let (builds, refused) = mami_clean::docker::compose::discover_all(&repo.root, &found)?;
    let changes = mami_clean::ignorefile::plan_changes(
        &repo.root,
        &cfg.rules,
        &the_plan,
        &scan,
        &builds,
        repo.git.as_ref(),
    )?;
    let mut run = report::IgnoreRun {
        files: Vec::new(),
        no_builds: builds.is_empty(),
        verified: Vec::new(),
        errors: Vec::new(),
    };
    for ch in &changes {
        if *write && ch.changed() {
            mami_clean::ignorefile::write_in_tree(&repo.root, &ch.path, &ch.after)?;
        }
        run.files.push(report::IgnoreFile::from_change(ch, *write));
    }
    if *write {
        if let Some(g) = &repo.git {
            g.ignore_files_written();
        }
    }
    if *write && !builds.is_empty() {
        // Check the result with the engine: what each context still sends, and that every
        // COPY source is still there. From the disk: the files just written are part of it.
        let files = mami_clean::docker::BuildFiles::find(&repo.root);
        let audit = mami_clean::audit::audit(
            &repo.root,
            &the_plan,
            &cfg.rules,
            repo.git.as_ref(),
            &builds,
            &files,
            mami_clean::docker::Source::Disk,
            mami_clean::audit::Scope::Contexts,
        )?;
        run.verified = audit
            .builds
            .iter()
            .map(|b| report::Verified {
                build: b.name.clone(),
                bytes: b.bytes,
                junk_bytes: b.junk_bytes,
            })
            .collect();
        run.errors = audit
            .findings
            .iter()
            .filter(|f| f.code == "copy-source-excluded")
            .map(|f| format!("{}:{}: {}", f.path, f.line.unwrap_or(0), f.message))
            .collect();
    }
    // A compose project Compose refuses: its services' ignore files are left as they are.
    run.errors.extend(refused.iter().map(|e| {
        format!("{e}: Docker Compose refuses this file; its services' .dockerignore files are left as they are")
    }));
    let stale = run.stale();
    match format {
        Format::Human => write_human(&report::ignore_human(&run))?,
        Format::Json => write_out(&report::to_json(&run))?,
    }
    Ok(if *check && stale {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}

pub(super) fn verify(cli: &Cli, format: &Format) -> anyhow::Result<Outcome> {
    let repo = open_repo(cli.dir.as_deref())?;
    let cfg = config::load(Some(&repo.root), cli.config.as_deref())?;
    let v = mami_clean::verify::verify(&repo.root, &cfg.verify);
    match format {
        Format::Human => write_human(&report::verify_human(&v))?,
        Format::Json => write_out(&report::to_json(&v))?,
    }
    Ok(match v.outcome {
        mami_clean::verify::Outcome::Pass => Outcome::Ok,
        mami_clean::verify::Outcome::Fail => Outcome::Findings,
        mami_clean::verify::Outcome::Skipped => Outcome::Skipped,
    })
}
