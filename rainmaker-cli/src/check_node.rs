//! `rainmaker check-node`: runs the conformance check and prints its report.

use std::path::PathBuf;
use std::process::ExitCode;

use rainmaker_cli::check::{Checker, Settings};

use crate::Output;
use crate::error::Error;

/// Checks the node, prints the report (text, or JSON with `--json`), writes it
/// as JSON to `report` when given, and exits 0 when the node is conformant, 1
/// when it deviates.
///
/// # Errors
///
/// [`Error::Check`] when the broker cannot be reached or the node never boots,
/// [`Error::Write`] when the report file cannot be written.
pub async fn run(
    settings: Settings,
    report: Option<PathBuf>,
    output: Output,
) -> Result<ExitCode, Error> {
    let (node_id, boot) = (settings.node_id.clone(), settings.boot_timeout);
    let checker = Checker::connect(settings).await?;
    eprintln!(
        "rainmaker check-node: waiting up to {} s for node {node_id} to boot: start it now",
        boot.as_secs()
    );
    let checked = checker.run().await?;
    let json = serde_json::to_string_pretty(&checked).unwrap_or_default();
    if let Some(path) = report {
        std::fs::write(&path, format!("{json}\n"))
            .map_err(|source| Error::Write { path, source })?;
    }
    match output {
        Output::Human => print!("{}", checked.human()),
        Output::Json => println!("{json}"),
    }
    Ok(if checked.conformant {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
