//! Records the simulated fleet's traffic into `benches/data/node-traffic.txt`, the
//! input of the `ingest` benchmark.

use std::path::Path;
use std::process::ExitCode;

use rainmaker_benches::traffic::{NODES, ROUNDS, record, write};

fn main() -> ExitCode {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/node-traffic.txt");
    let publishes = match record(NODES, ROUNDS) {
        Ok(publishes) => publishes,
        Err(error) => {
            eprintln!("record-traffic: the simulated fleet failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    let text = write(&publishes);
    if let Err(error) = std::fs::write(&path, &text) {
        eprintln!("record-traffic: cannot write {}: {error}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "record-traffic: {} publishes ({} bytes) written to {}",
        publishes.len(),
        text.len(),
        path.display()
    );
    ExitCode::SUCCESS
}
