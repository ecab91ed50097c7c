//! `rainmaker-codegen`: regenerates `rainmaker-types/src/generated/` from the spec.
//!
//! ```text
//! rainmaker-codegen generate [--spec PATH] [--out DIR]
//! rainmaker-codegen check    [--spec PATH] [--out DIR]
//! ```
//!
//! `generate` writes every file (all or nothing); `check` writes nothing, prints a
//! unified diff and exits with 1 when the files on disk differ from what `generate`
//! would write. Errors are one line on stderr and exit code 1; usage errors exit
//! with 2.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rainmaker_codegen::{OUT_DIR, SPEC_PATH, Spec};

const USAGE: &str = "usage: rainmaker-codegen <generate|check> [--spec PATH] [--out DIR]";

/// What to do, parsed from the command line.
struct Command {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("rainmaker-codegen: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("rainmaker-codegen: error: {error}");
            ExitCode::from(1)
        }
    }
}

fn run(command: &Command) -> rainmaker_codegen::Result<ExitCode> {
    let spec = Spec::load(&command.spec)?;
    let files = rainmaker_codegen::generate(&spec)?;
    if !command.check {
        files.write(&command.out)?;
        eprintln!(
            "rainmaker-codegen: wrote {} files to {}",
            files.files.len(),
            command.out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    match files.diff(&command.out)? {
        None => {
            eprintln!("rainmaker-codegen: {} is up to date", command.out.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(diff) => {
            print!("{diff}");
            eprintln!(
                "rainmaker-codegen: error: {} differs from the spec; run `cargo run -p \
                 rainmaker-codegen -- generate` and commit the result",
                command.out.display()
            );
            Ok(ExitCode::from(1))
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let check = match args.next().as_deref() {
        Some("generate") => false,
        Some("check") => true,
        Some(other) => return Err(format!("unknown command `{other}`")),
        None => return Err("missing command".to_owned()),
    };
    let mut spec = None;
    let mut out = None;
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--spec" => &mut spec,
            "--out" => &mut out,
            other => return Err(format!("unknown argument `{other}`")),
        };
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        *slot = Some(PathBuf::from(value));
    }
    let root = workspace_root();
    Ok(Command {
        check,
        spec: spec.unwrap_or_else(|| root.join(SPEC_PATH)),
        out: out.unwrap_or_else(|| root.join(OUT_DIR)),
    })
}

/// The workspace root: the nearest ancestor of the current directory that holds the
/// spec, else the parent of this crate's manifest directory at build time.
fn workspace_root() -> PathBuf {
    if let Ok(current) = std::env::current_dir()
        && let Some(found) = current
            .ancestors()
            .find(|dir| dir.join(SPEC_PATH).is_file())
    {
        return found.to_owned();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}
