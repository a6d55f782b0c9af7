//! mami-clean's entry point: run the CLI and map the outcome to an exit code.
//! 0 success, 1 findings or a partial apply, 2 error or refusal (nothing changed), 3 verify
//! skipped (no Docker engine), 4 applied but not committed (`apply --commit`), 130 interrupted.

mod cli;

// Many small allocations (names, paths) on several threads: mimalloc's thread-local heaps
// beat glibc's arenas here, and touch far fewer fresh pages (see Cargo.toml).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3): milliseconds before freed memory is
/// returned to the OS, -1 for never. libmimalloc-sys names only some options.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A run lives a fraction of a second and touches tens of MB: transparent huge pages (which
/// mimalloc asks for on its arenas) cost a 2 MB zeroing, and where the kernel compacts memory
/// to find one, a stall, per region first touched. Small pages keep runs steady. Turned off
/// from the loader's constructors, not from `main`: the runtime's first allocation, before
/// `main`, reserves mimalloc's arena and faulted in its first huge page (0.7 ms of a 20 ms
/// gate zeroing it).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SMALL_PAGES: extern "C" fn() = small_pages;

#[cfg(target_os = "linux")]
extern "C" fn small_pages() {
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() -> ExitCode {
    // Nor is freed memory given back before exit: each purge is an madvise whose TLB shootdown
    // interrupts every thread of the process, and the page is faulted in again on reuse.
    // SAFETY: sets one option of the allocator; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    match cli::run() {
        Ok(cli::Outcome::Ok) => ExitCode::SUCCESS,
        Ok(cli::Outcome::Findings) => ExitCode::from(1),
        Ok(cli::Outcome::Refused) => ExitCode::from(2),
        Ok(cli::Outcome::Interrupted) => ExitCode::from(130),
        Ok(cli::Outcome::Skipped) => ExitCode::from(3),
        Ok(cli::Outcome::NotCommitted) => ExitCode::from(4),
        Err(e) => {
            // Paths in errors come from the tree: shown with control characters escaped.
            eprintln!(
                "mami-clean: error: {}",
                mami_clean::report::visible(&error_line(&e))
            );
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, each said once: the library's errors already end with
/// their cause (`path: No such file or directory`), which anyhow's `{:#}` would repeat.
fn error_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain().map(|c| c.to_string()) {
        if line.ends_with(&cause) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&cause);
    }
    line
}

#[cfg(test)]
mod tests {
    /// The constructor ran before any test, as it runs before `main`: this test binary holds
    /// it too, and `main` is not what turns huge pages off.
    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_off_before_main() {
        assert_eq!(
            rustix::thread::transparent_huge_pages_are_disabled(),
            Ok(true)
        );
    }

    /// The option number is mimalloc's enum, not a name: pin it to the option whose default
    /// is the purge delay's (1000 ms in v3, the only option with that default), just before
    /// the one libmimalloc-sys names after it, so an upgrade that moves it fails here.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        use libmimalloc_sys::{mi_option_get, mi_option_use_numa_nodes};
        assert_eq!(super::MI_OPTION_PURGE_DELAY + 1, mi_option_use_numa_nodes);
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads one option of the allocator.
            assert_eq!(unsafe { mi_option_get(super::MI_OPTION_PURGE_DELAY) }, 1000);
        }
    }
}
