//! Resource bounds, in one place. Each is a limit a hostile or unlucky repository can reach;
//! each says what happens there, and the README's "Limits" table repeats it with the message
//! the user sees. Nothing here prints: the walkers, parsers and writers that meet a limit
//! report it as a note, a skipped entry or an error naming the file.

/// Directory levels the scan walks below the root; deeper parts are reported once (a note,
/// and protected where a rule matched around them), never entered. The walks that recurse per
/// level (scan, delete) run on [`deep_pool`] threads, whose stacks hold this many levels with
/// room to spare (~20 KB a level measured for the scan).
pub const MAX_DEPTH: usize = 10_000;

/// Stack reserved per thread of a [`deep_pool`]: only the pages a walk's depth needs are
/// ever touched.
pub const DEEP_STACK_BYTES: usize = 1 << 30;

/// A repository's or user's `mami-clean.toml` larger than this is refused before it is
/// parsed: thousands of rules would make every path's match slow, and no cleanup needs them.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// A `.dockerignore` or `.gitignore` larger than this is refused, naming the file: each line
/// costs ~600 bytes once compiled (a 100,000-line, 1.8 MB file: 75 MB), and no real one
/// comes near.
pub const MAX_IGNORE_BYTES: u64 = 4 << 20;

/// A Dockerfile or compose file larger than this is refused, naming the file.
pub const MAX_BUILD_FILE_BYTES: u64 = 4 << 20;

/// A compose file whose aliases expand to more nodes than this is refused at the line where
/// the count passes it (a compose file has hundreds).
pub const MAX_YAML_NODES: u64 = 200_000;

/// A gate baseline larger than this is refused.
pub const MAX_BASELINE_BYTES: u64 = 16 << 20;

/// A plan file larger than this is refused when read (a 1M-entry plan is ~500 MB of JSON).
pub const MAX_PLAN_BYTES: u64 = 2 << 30;

/// A file and its original compared line by line for `when.same_as_original`: longer ones are
/// not read, and the guard fails (nothing is selected on a guess).
pub const MAX_COMPARED_BYTES: u64 = 1 << 20;

/// Threads for reading the tree when the user does not say: three per core, as diskus runs.
/// A walk whose directories are not cached waits on the disk in every `getdents` and `statx`;
/// with more requests in flight it finished in 2/3 of the time (a cold plan on the
/// Olympus-shaped tree, 2 cores: 708 -> 471 ms), and warm it ran as fast as with one per core.
/// Where the address space is limited (`ulimit -v`), one per core: each walk thread reserves a
/// [`DEEP_STACK_BYTES`] stack.
pub fn default_threads() -> usize {
    use rustix::process::{getrlimit, Resource};
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    if getrlimit(Resource::As).current.is_some() {
        return cores;
    }
    (cores * 3).min(MAX_DEFAULT_THREADS)
}

/// Beyond this many threads a walk gains nothing on any disk; `-j` may still ask for more.
const MAX_DEFAULT_THREADS: usize = 64;

/// The threads `-j N` asks for: N, or with 0 (not given), [`default_threads`].
pub fn threads(requested: usize) -> usize {
    match requested {
        0 => default_threads(),
        n => n,
    }
}

/// Whether rayon's global pool was made by [`init_global_pool`]: deep stacks, [`threads`]
/// threads.
static GLOBAL_DEEP: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Make rayon's global pool (what `par_iter` outside any pool runs on) a deep one of
/// [`threads`]`(requested)` threads, once per process, as the binary does at its start. A walk
/// asking for as many threads then runs on it ([`install_deep`]) instead of starting a pool of
/// its own: on a small repository the threads' start and their idle spinning cost more than
/// the walk.
pub fn init_global_pool(requested: usize) {
    let n = threads(requested);
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .stack_size(DEEP_STACK_BYTES)
        .thread_name(|i| format!("mami-{i}"))
        .build_global();
    if built.is_ok() {
        let _ = GLOBAL_DEEP.set(n);
    }
}

/// Run `f` on deep threads: the global pool where [`init_global_pool`] made it so with as many
/// threads as `requested` asks, else a [`deep_pool`] of its own.
pub fn install_deep<R: Send>(
    requested: usize,
    name: &'static str,
    f: impl FnOnce() -> R + Send,
) -> std::io::Result<R> {
    if GLOBAL_DEEP.get() == Some(&threads(requested)) {
        // `scope` runs its body on a thread of the global pool, so the top level of the walk
        // has a deep stack too.
        return Ok(rayon::scope(|_| f()));
    }
    Ok(deep_pool(requested, name)?.install(f))
}

/// A thread pool for walks that recurse once per directory level, with [`DEEP_STACK_BYTES`]
/// stacks, of [`threads`]`(requested)` threads.
pub fn deep_pool(requested: usize, name: &'static str) -> std::io::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads(requested))
        .stack_size(DEEP_STACK_BYTES)
        .thread_name(move |i| format!("{name}-{i}"))
        .build()
        .map_err(std::io::Error::other)
}

/// How many directory handles a walk may hold at once: the open-file limit (raised to its
/// hard maximum first, as the process may) less a reserve for everything else.
pub fn fd_budget() -> usize {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut lim = getrlimit(Resource::Nofile);
    if lim.current < lim.maximum {
        lim.current = lim.maximum;
        let _ = setrlimit(Resource::Nofile, lim);
        lim = getrlimit(Resource::Nofile);
    }
    let soft = lim.current.unwrap_or(u64::MAX).min(1 << 20) as usize;
    soft.saturating_sub(32).max(4)
}
