//! A spinner with the count of entries scanned and the rate, on stderr, only on a terminal.
//! The scanner only bumps a counter; this thread reads it ten times a second.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use mami_clean::scan::Progress;

pub struct Ticker {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<()>,
}

impl Ticker {
    pub fn start(progress: Progress, what: &'static str) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {what}: {{pos}} entries ({{per_sec}}) {{elapsed}}"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            while !flag.load(Ordering::Relaxed) {
                bar.set_position(progress.entries());
                bar.tick();
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Ticker { stop, handle }
    }

    pub fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.handle.join();
    }
}
