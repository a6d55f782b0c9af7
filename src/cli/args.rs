//! Command-line arguments (clap derive). Converted once into library calls in [`super::run`];
//! the core never sees these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "mami-clean",
    version,
    about = "Clean and audit a source repository before it goes into Docker",
    long_about = "Clean and audit a source repository before it goes into Docker.\n\n\
        `plan` shows what would go, why (which rule), how big, and how to get it back. \
        Nothing is changed by plan, explain, rules or rules test.",
    after_help = "Exit codes: 0 success, 1 findings or a partial apply, 2 error or refusal (nothing changed), 3 verify skipped (no Docker engine), 4 applied but not committed, 130 interrupted."
)]
pub struct Cli {
    /// Run as if started in DIR (the repository containing it is cleaned)
    #[arg(short = 'C', long = "dir", global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Use this config file instead of <root>/mami-clean.toml
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Threads that read the tree (default: three per core)
    #[arg(short = 'j', long, global = true, value_name = "N")]
    pub threads: Option<usize>,

    /// Which Docker's context walk to model: that of the docker client on PATH (auto),
    /// Docker 23.0 and later (current), or Docker 20.10 and before (legacy)
    #[arg(long, global = true, value_enum, default_value_t = DockerWalk::Auto, value_name = "WALK")]
    pub docker_walk: DockerWalk,

    /// Colour on a terminal (auto; NO_COLOR turns it off), always, or never; never in JSON
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Only errors and the final verdict
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also say how long each step took (on stderr)
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,

    /// The compose files of the root's project, as `docker compose -f` (repeatable; instead
    /// of compose.yaml + its override, and of COMPOSE_FILE)
    #[arg(long = "compose-file", global = true, value_name = "FILE")]
    pub compose_files: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// `plan` and `context` also draw a page: where the space goes, as a treemap.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum PageFormat {
    Human,
    Json,
    /// One self-contained HTML page (no network): a zoomable treemap, the phases, each build
    /// context before and after, and the entries
    Html,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum DockerWalk {
    Auto,
    Current,
    Legacy,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum GateFormat {
    Human,
    Json,
    /// GitHub Actions annotations, and a job summary when GITHUB_STEP_SUMMARY is set
    Github,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Dry run: what would be deleted, why, how big, how to get it back
    #[command(
        after_help = "Examples:\n  mami-clean plan\n  mami-clean -C ~/src/app plan --format json\n  mami-clean plan --format html > plan.html\n  mami-clean plan --out .git/mami-clean/plan.json\n  mami-clean plan --target 1.1GB"
    )]
    Plan {
        /// Output format
        #[arg(long, value_enum, default_value_t = PageFormat::Human)]
        format: PageFormat,
        /// Also save the plan (JSON) here, for `apply --plan`
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
        /// How many of the largest entries to list
        #[arg(long, default_value_t = 10, value_name = "N")]
        top: usize,
        /// Target size to free (overrides the config), e.g. 1.1GB
        #[arg(long, value_name = "SIZE")]
        target: Option<String>,
    },
    /// Why a path is selected, kept or left alone
    #[command(
        after_help = "Examples:\n  mami-clean explain backups/ node_modules\n  mami-clean explain --format json docs/FAZ1_REPORT.md"
    )]
    Explain {
        /// Paths, relative to the current directory or absolute
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// List the rules in force, or check them against their examples
    #[command(after_help = "Examples:\n  mami-clean rules\n  mami-clean rules test --format json")]
    Rules {
        #[command(subcommand)]
        action: Option<RulesAction>,
        /// Output format (also after `test` / `list`)
        #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
        format: Format,
    },
    /// Delete what the plan selects: pre-checks, verified backup, deletion, post-checks
    #[command(
        after_help = "Examples:\n  mami-clean plan --out plan.json && mami-clean apply --plan plan.json\n  mami-clean apply --yes --commit\n  mami-clean apply --yes --backup-dir /mnt/backups --verify"
    )]
    Apply(ApplyArgs),
    /// List this repository's backups, or put one back
    #[command(
        after_help = "Examples:\n  mami-clean restore\n  mami-clean restore --latest\n  mami-clean restore 20261202T051500Z --to /tmp/old"
    )]
    Restore {
        /// The backup to restore (see the list); none lists them
        id: Option<String>,
        /// Restore the newest backup of this repository
        #[arg(long, conflicts_with = "id")]
        latest: bool,
        /// Restore into DIR instead of the repository
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
        /// Overwrite paths that exist with different content
        #[arg(long)]
        force: bool,
        /// Where backups are (default: $XDG_DATA_HOME/mami-clean/backups)
        #[arg(long, value_name = "DIR")]
        backup_dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Put back what a finished apply changed: its backup, the tracked files it deleted, the
    /// ignore files as they were; and say how to rebuild the regenerable directories
    #[command(after_help = "Examples:\n  mami-clean undo\n  mami-clean undo --format json")]
    Undo {
        /// The run to undo (a backup id, or `run-<time>`; default: the latest)
        id: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// After an interrupted apply: report where it stopped; --finish or --undo it
    #[command(
        after_help = "Examples:\n  mami-clean recover\n  mami-clean recover --finish\n  mami-clean recover --undo"
    )]
    Recover {
        /// Carry on the interrupted plan: delete what it had not reached yet
        #[arg(long, conflicts_with = "undo")]
        finish: bool,
        /// Put back what the interrupted apply deleted (its backup, and tracked files from git)
        #[arg(long)]
        undo: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// What `docker build` would send: the files of a build context, after .dockerignore
    #[command(
        after_help = "Examples:\n  mami-clean context\n  mami-clean context backend -f backend/prod.Dockerfile\n  mami-clean context --list | head\n  mami-clean context --format html > context.html"
    )]
    Context {
        /// The context directory (default: the current directory). Its own clap id: the global
        /// `-C/--dir` must not take its value.
        #[arg(value_name = "DIR")]
        context_dir: Option<PathBuf>,
        /// The Dockerfile (default: DIR/Dockerfile); its `<name>.dockerignore` wins if present
        #[arg(long, short = 'f', value_name = "PATH")]
        file: Option<PathBuf>,
        /// The stage the image estimate is for, as `docker build --target` (default: the last)
        #[arg(long, value_name = "STAGE")]
        target: Option<String>,
        /// Print only the paths sent, one per line, sorted
        #[arg(long)]
        list: bool,
        /// How many of the largest directories to show
        #[arg(long, default_value_t = 10, value_name = "N")]
        top: usize,
        #[arg(long, value_enum, default_value_t = PageFormat::Human)]
        format: PageFormat,
    },
    /// Audit Docker build contexts, ignore files and git: findings with the fix; exit 1 on errors
    #[command(
        after_help = "Examples:\n  mami-clean audit\n  mami-clean audit --format json --compose-file compose.prod.yaml"
    )]
    Audit {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Bring .gitignore and each build's .dockerignore up to date (a managed block)
    #[command(
        after_help = "Examples:\n  mami-clean ignore\n  mami-clean ignore --write\n  mami-clean ignore --check"
    )]
    Ignore {
        /// Write the files (default: show what would change)
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Exit 1 if a file is not up to date (for CI); writes nothing
        #[arg(long)]
        check: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Docker build, run, /health, all services up ([verify] in config); exit 3 when no engine
    #[command(after_help = "Examples:\n  mami-clean verify\n  mami-clean verify --format json")]
    Verify {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// The CI gate: committed junk, junk in build contexts, budgets, growth; exit 1 on a deny
    #[command(
        after_help = "Examples:\n  mami-clean gate\n  mami-clean gate --format github\n  mami-clean gate --update-baseline\n  mami-clean gate --base origin/main"
    )]
    Gate {
        #[arg(long, value_enum, default_value_t = GateFormat::Human)]
        format: GateFormat,
        /// Write the baseline file (gate.baseline, default .mami-clean/baseline.json) and exit;
        /// refused while the tree fails the gate, unless --force
        #[arg(long, conflicts_with = "base")]
        update_baseline: bool,
        /// With --update-baseline: record a tree that fails the gate
        #[arg(long, requires = "update_baseline")]
        force: bool,
        /// Compare against a git ref (read with git2, no checkout) instead of the baseline file
        #[arg(long, value_name = "REF")]
        base: Option<String>,
    },
    /// Trust this repository's mami-clean.toml as it is now (its rules may then delete)
    #[command(after_help = "Examples:\n  mami-clean trust")]
    Trust {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a commented mami-clean.toml at the repository root
    #[command(
        after_help = "Examples:\n  mami-clean init\n  mami-clean init --config ~/.config/mami-clean/config.toml"
    )]
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  mami-clean completions bash > ~/.local/share/bash-completion/completions/mami-clean\n  mami-clean completions zsh > ~/.zfunc/_mami-clean"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `mami-clean man > ~/.local/share/man/man1/mami-clean.1`
    #[command(after_help = "Examples:\n  mami-clean man > ~/.local/share/man/man1/mami-clean.1")]
    Man,
}

#[derive(Subcommand, Debug)]
pub enum RulesAction {
    /// List the rules in force, by phase, with their origin (the default)
    List,
    /// Check every rule against its own examples; exit 1 on a failure
    Test,
}

/// `apply`'s options.
#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// Execute exactly this saved plan (no prompt: it was reviewed)
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Do not ask (needed without a terminal, unless --plan is given)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Proceed with modified tracked files (they are never deleted)
    #[arg(long)]
    pub allow_dirty: bool,
    /// Delete without backing up what nothing else can give back (needs --yes)
    #[arg(long)]
    pub no_backup: bool,
    /// Where the backup goes (default: $XDG_DATA_HOME/mami-clean/backups)
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Commit the deletions of tracked files (and the ignore-file changes)
    #[arg(long)]
    pub commit: bool,
    /// Do not write .gitignore and .dockerignore
    #[arg(long)]
    pub no_ignore_files: bool,
    /// Run `mami-clean verify` afterwards (prints the restore command if it fails)
    #[arg(long)]
    pub verify: bool,
    /// The commit message
    #[arg(
        long,
        value_name = "MSG",
        default_value = "chore: cleanup project for Docker production readiness"
    )]
    pub message: String,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Which commands each global option means something to. The options are accepted by every
/// command (`-C DIR` before or after the command, as git and cargo take them), but `--help`,
/// the completions and the man page show them only where they change what the command does.
const GLOBAL_USERS: &[(&str, &[&str])] = &[
    ("threads", &["plan", "apply", "audit", "gate", "ignore"]),
    (
        "config",
        &[
            "plan", "explain", "rules", "apply", "recover", "audit", "gate", "ignore", "verify",
            "trust", "init",
        ],
    ),
    (
        "docker_walk",
        &[
            "plan", "apply", "context", "audit", "gate", "ignore", "verify",
        ],
    ),
    (
        "compose_files",
        &["plan", "apply", "audit", "gate", "ignore", "verify"],
    ),
    ("dir", &["*"]),
];

/// Commands that read no repository: `-C` means nothing to them.
const NO_REPO: &[&str] = &["completions", "man"];

/// The command line as parsed and as documented: [`Cli`] with each global option hidden from
/// the commands it means nothing to.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    for sc in cmd.get_subcommands_mut() {
        let top = sc.get_name().to_string();
        hide_unused(sc, &globals, &top);
    }
    cmd
}

/// A command's own hidden copy of each global it does not use: clap then does not hand it
/// the shown one, and the value still reaches [`Cli`] (same id).
fn hide_unused(sc: &mut clap::Command, globals: &[clap::Arg], top: &str) {
    for g in globals {
        let users = GLOBAL_USERS
            .iter()
            .find(|(id, _)| g.get_id() == id)
            .map_or(&["*"][..], |u| u.1);
        let used = match users {
            ["*"] => !NO_REPO.contains(&top),
            _ => users.contains(&top),
        };
        if !used {
            *sc = std::mem::take(sc).arg(g.clone().global(false).hide(true));
        }
    }
    for sub in sc.get_subcommands_mut() {
        hide_unused(sub, globals, top);
    }
}
