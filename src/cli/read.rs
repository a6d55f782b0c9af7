//! The commands that only read: `plan`, `explain`, `rules`.

use super::*;

pub(super) fn plan(
    cli: &Cli,
    format: &PageFormat,
    out: &Option<PathBuf>,
    top: &usize,
    target: &Option<String>,
) -> anyhow::Result<Outcome> {
    let (repo, mut cfg) = open_with_rules_and(cli, config::Mode::Read, false)?;
    if let Some(t) = target {
        let t = size::parse_target(t).map_err(|m| anyhow::anyhow!("--target: invalid size {m}"))?;
        cfg.target = Some(t);
    }
    let html = *format == PageFormat::Html;
    // Git's whole status (libgit2 stats every tracked file on one thread: ~0.3 s for 74,779)
    // is read beside the scan, which meanwhile judges the files it selects by the index's
    // stat data as the status would; the plan's count of modified files waits for it. A
    // status that fails fails the plan, as before. (`apply` reads it before its scan.)
    let (made, status) = std::thread::scope(|s| {
        let status = (repo.git.as_ref()).map(|g| s.spawn(|| g.modified_paths().map(|_| ())));
        let made = scan_and_plan(&repo, &cfg, cli.threads, Depth::Full, html);
        let status = status.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (made, status)
    });
    status.transpose()?;
    let (scan, mut plan) = made?;
    if let (Some(g), Some(header)) = (&repo.git, plan.git.as_mut()) {
        header.modified_files = g.modified_count();
    }
    if let Some(path) = out {
        plan::save(
            &plan,
            &mami_clean::fsx::Place::named(&repo.root, path, true)?,
        )?;
    }
    match format {
        PageFormat::Human => write_human(&report::plan_human(&plan, *top))?,
        PageFormat::Json => write_out(&report::to_json(&plan))?,
        PageFormat::Html => write_out(&report::plan_html(
            &plan,
            &repo.root,
            &scan.dir_bytes,
            &scan.kept,
        ))?,
    }
    // The process ends next: the listing (a path per file of the tree outside dependency
    // trees, and of those the build contexts hold) is left to the OS, as the gate leaves it.
    std::mem::forget((scan, plan, cfg));
    Ok(Outcome::Ok)
}

pub(super) fn explain(cli: &Cli, paths: &Vec<PathBuf>, format: &Format) -> anyhow::Result<Outcome> {
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
        Format::Human => write_human(&out)?,
        Format::Json => write_out(&report::to_json(&all))?,
    }
    Ok(Outcome::Ok)
}

pub(super) fn rules(
    cli: &Cli,
    action: &Option<RulesAction>,
    format: &Format,
) -> anyhow::Result<Outcome> {
    let cfg = load_rules_anywhere(cli.dir.as_deref(), cli.config.as_deref())?;
    match action.as_ref().unwrap_or(&RulesAction::List) {
        RulesAction::List => match format {
            Format::Human => write_human(&report::rules_human(&cfg.rules))?,
            Format::Json => write_out(&report::rules_json(&cfg.rules))?,
        },
        RulesAction::Test => {
            let r = mami_clean::examples::check(&cfg.rules);
            match format {
                Format::Human => write_human(&report::rules_test_human(&r))?,
                Format::Json => write_out(&report::to_json(&r))?,
            }
            if !r.failures.is_empty() {
                return Ok(Outcome::Findings);
            }
        }
    }
    Ok(Outcome::Ok)
}
