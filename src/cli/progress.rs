//! A spinner with a count (entries scanned, files deleted) and the rate, on stderr, only on a
//! terminal. The core only bumps a counter; this thread reads it ten times a second.

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
    /// `what`: the verb (`scanning`); `unit`: what the counter counts (`entries`, `files`).
    pub fn start(progress: Progress, what: &'static str, unit: &'static str) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let bar = ProgressBar::new_spinner();
            // A whole number per second: indicatif's {per_sec} prints `100,756.9726/s`.
            let style = ProgressStyle::with_template(&format!(
                "{{spinner}} {what}: {{human_pos}} {unit} ({{rate}}) {{elapsed}}"
            ))
            .map(|s| {
                s.with_key(
                    "rate",
                    |st: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0}/s", st.per_sec());
                    },
                )
            })
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
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
