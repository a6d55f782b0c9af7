//! The scan-and-plan sequence the commands share: one scan, the plan, and for `audit` and
//! `gate` the builds read from the scan's listing and their audit.

use super::*;

pub(super) fn make_plan(repo: &Repo, cfg: &Config, threads: Option<usize>) -> anyhow::Result<Plan> {
    Ok(scan_and_plan(repo, cfg, threads, Depth::Full, false)?.1)
}

/// How much a command needs: `plan` and `apply` the whole tree and each context's forecast;
/// `ignore` neither the size of `.git` nor forecasts; `gate` and `audit` that, plus the scan's
/// listing of every file, from which they read build files and contexts.
#[derive(PartialEq)]
pub(super) enum Depth {
    Full,
    Checks,
    ChecksListed,
}

/// A scan with its listing, the plan, the builds found in the listing, and their audit.
pub(super) struct Audited<R> {
    pub(super) scan: mami_clean::scan::ScanResult,
    pub(super) plan: Plan,
    pub(super) builds: Vec<mami_clean::docker::Build>,
    pub(super) report: mami_clean::audit::AuditReport,
    /// What the caller asked for beside the audit.
    pub(super) also: R,
}

/// What `audit` and `gate` share: one scan, and build files and contexts read from its listing.
/// `also` runs on another core while the contexts are read (the gate's ignore-file check).
pub(super) fn audited<R: Send>(
    repo: &Repo,
    cfg: &Config,
    threads: Option<usize>,
    scope: mami_clean::audit::Scope,
    also: impl FnOnce(&mami_clean::scan::ScanResult, &Plan, &[mami_clean::docker::Build]) -> R + Send,
) -> anyhow::Result<Audited<R>> {
    // Git's answer on tracked-but-ignored files comes from a `git` process: let it run while
    // the tree is scanned.
    let holes = mami_clean::docker::Holes::default();
    let (scan, plan) = std::thread::scope(|s| {
        if let (Some(g), mami_clean::audit::Scope::Full) = (&repo.git, scope) {
            s.spawn(|| g.tracked_ignored());
        }
        scan_and_plan_with(repo, cfg, threads, Depth::ChecksListed, false, Some(&holes))
    })?;
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
            &cfg.rules,
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

pub(super) fn scan_and_plan(
    repo: &Repo,
    cfg: &Config,
    threads: Option<usize>,
    depth: Depth,
    dir_bytes: bool,
) -> anyhow::Result<(mami_clean::scan::ScanResult, Plan)> {
    scan_and_plan_with(repo, cfg, threads, depth, dir_bytes, None)
}

/// [`scan_and_plan`], and the dependency trees the root's build contexts take in walked into
/// `holes` while the plan is built (the gate and the audit read those contexts next).
fn scan_and_plan_with(
    repo: &Repo,
    cfg: &Config,
    threads: Option<usize>,
    depth: Depth,
    dir_bytes: bool,
    holes: Option<&mami_clean::docker::Holes>,
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
        // `plan` and `apply` forecast every context: the trees the root's contexts take in are
        // listed as they are sized, so the forecast does not walk them again. (The gate and
        // the audit do not size them: the context engine walks those a context takes in, once,
        // after the scan; listing them in the scan instead measured no faster, and 7% slower
        // with a cold cache.)
        list_deps: match depth {
            Depth::Full => {
                let contexts = mami_clean::docker::compose::RootContexts::read(&repo.root);
                mami_clean::scan::ListDeps(Some(std::sync::Arc::new(move |rel| {
                    contexts.enter(rel)
                })))
            }
            _ => mami_clean::scan::ListDeps::default(),
        },
        noted: mami_clean::docker::names::is_build_file_name,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(&repo.root, &cfg.rules, repo.git.as_ref(), opts.clone());
    let ticker = std::io::stderr()
        .is_terminal()
        .then(|| progress::Ticker::start(scanner.progress(), "scanning", "entries"));
    let started = std::time::Instant::now();
    let scan = scanner.run();
    if let Some(t) = ticker {
        t.finish();
    }
    let mut scan = scan?;
    if style::get().verbose {
        eprintln!(
            "scan: {} selected, {} in {:.2} s",
            size::plural(scan.found.len() as u64, "entry", "entries"),
            size::plural(scan.tree.files, "file", "files"),
            started.elapsed().as_secs_f64()
        );
    }
    // What the forecast reads of the contexts needs no plan: it is read on another core while
    // the plan is built.
    let (mut plan, read) = std::thread::scope(|s| {
        let read = (depth == Depth::Full)
            .then(|| s.spawn(|| mami_clean::forecast::read(&repo.root, &scan)));
        if let (Some(holes), Some(listing)) = (holes, &scan.listing) {
            s.spawn(|| {
                let contexts = mami_clean::docker::compose::RootContexts::read(&repo.root);
                holes.prefetch(&repo.root, listing, |h| contexts.enter(h));
            });
        }
        let plan = Plan::build(&repo.root, &scan, &cfg.rules, repo.git.as_ref(), cfg.target);
        let read = read.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (plan, read)
    });
    let (root, git) = (&repo.root, repo.git.as_ref());
    plan =
        mami_clean::plan::look_inside(root, &mut scan, plan, &cfg.rules, git, cfg.target, &opts)?;
    plan.untrusted_config = cfg.untrusted.as_ref().map(|u| {
        u.strip_prefix(&repo.root)
            .unwrap_or(u)
            .display()
            .to_string()
    });
    if let Some(read) = read {
        let (contexts, notes) = mami_clean::forecast::contexts(
            &repo.root,
            &cfg.rules,
            &scan,
            &plan,
            repo.git.as_ref(),
            read?,
        )?;
        plan.contexts = contexts;
        plan.notes.extend(notes);
    }
    Ok((scan, plan))
}
