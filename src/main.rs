//! mami-clean's entry point: run the CLI and map the outcome to an exit code.
//! 0 success, 1 findings (where a command defines them), 2 error.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(cli::Outcome::Ok) => ExitCode::SUCCESS,
        Ok(cli::Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            eprintln!("mami-clean: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
