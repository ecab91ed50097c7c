//! `cargo run -p rainmaker-examples --bin demo`: a RainMaker node and a
//! simulated cloud over MQTT, one line per message, a summary at the end.
//! Exits 0 when every step of the conversation happened, 1 otherwise.

use std::process::ExitCode;

use clap::Parser;
use rainmaker_examples::demo::{self, Options};
use rainmaker_examples::print::Log;

fn main() -> ExitCode {
    let options = Options::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let log = match options.full_lines {
        true => Log::stdout(),
        false => Log::stdout().cut_at(demo::LINE_WIDTH),
    };
    match runtime.block_on(demo::run(options, log)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
