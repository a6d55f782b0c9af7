//! Crash points for the tests: the deleting, backing-up and restoring code calls them between
//! steps, and a test environment variable turns one into a kill or a pause.

/// Test hook, compiled into debug builds only: `MAMI_CLEAN_FAILPOINT=<name>:<entry>:abort`
/// kills the process at that step (as SIGKILL would: no unwinding, no cleanup), and
/// `...:sleep-<ms>` pauses there (to deliver a Ctrl-C between entries).
#[cfg(debug_assertions)]
pub(crate) fn failpoint(name: &str, entry: usize) {
    let Ok(spec) = std::env::var("MAMI_CLEAN_FAILPOINT") else {
        return;
    };
    let mut parts = spec.splitn(3, ':');
    let (Some(n), Some(i), Some(action)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    if n != name || i.parse() != Ok(entry) {
        return;
    }
    match action.strip_prefix("sleep-").and_then(|ms| ms.parse().ok()) {
        Some(ms) => std::thread::sleep(std::time::Duration::from_millis(ms)),
        None if action == "abort" => std::process::abort(),
        None => {}
    }
}

#[cfg(not(debug_assertions))]
pub(crate) fn failpoint(_: &str, _: usize) {}
