//! The binary's side: parse arguments, resolve the root, call the library, render, and turn the
//! outcome into an exit code. Progress goes to stderr, and only on a terminal.

mod args;
mod builds;
mod cleanup;
mod gate;
mod open;
mod pipeline;
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
use open::*;
use pipeline::*;

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
    // The shared pool walks what the scan did not list (a build context's `node_modules`),
    // and the scan itself: as many threads as `-j` asks, with deep stacks.
    mami_clean::limits::init_global_pool(cli.threads.unwrap_or(0));
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
        eprintln!("git: {} statuses read", mami_clean::git::statuses_read());
    }
    outcome
}

fn confirm(prompt: &str) -> anyhow::Result<bool> {
    eprint!("{prompt}");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "YES"))
}
