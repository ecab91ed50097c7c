//! `rainmaker-codegen`: compiles an AsyncAPI 3 document into Rust.
//!
//! Without `--spec`, it works on this workspace: `spec/rainmaker-node.asyncapi.yaml`
//! into `rainmaker-types/src/generated/` (and the TLV codec's command catalogue into
//! `rainmaker-tlv/src/generated/`). Errors list every problem of the spec and exit
//! with 1; usage errors exit with 2.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use rainmaker_codegen::{Builder, Companion, Error, OUT_DIR};

/// Compiles an AsyncAPI 3 document for MQTT into Rust types, topics and dispatch.
#[derive(Debug, Parser)]
#[command(name = "rainmaker-codegen", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Writes the generated files (all or nothing).
    Generate(Target),
    /// Writes nothing; prints a unified diff and exits with 1 when the files on disk
    /// differ from what `generate` would write.
    Check(Target),
}

/// What to compile, and where the output goes.
#[derive(Debug, Args)]
struct Target {
    /// The AsyncAPI document (default: this workspace's RainMaker spec).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The output directory (default with the workspace spec:
    /// rainmaker-types/src/generated; required with --spec).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Where the TLV codec's catalogue goes, for a spec with x-rainmaker-tlv
    /// (default with the workspace spec: rainmaker-tlv/src/generated).
    #[arg(long, value_name = "DIR")]
    tlv_out: Option<PathBuf>,
    /// The path generated code names the runtime crate by.
    #[arg(long, value_name = "PATH", default_value = "::rainmaker_types")]
    crate_path: String,
    /// Derive schemars::JsonSchema behind this cargo feature (default with the
    /// workspace spec: schemars).
    #[arg(long, value_name = "FEATURE")]
    schemars_feature: Option<String>,
    /// Also generate the examples module (every message example with a topic).
    #[arg(long)]
    examples: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (check, target) = match &cli.command {
        Command::Generate(target) => (false, target),
        Command::Check(target) => (true, target),
    };
    match run(check, target) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("rainmaker-codegen: error: {error}");
            match error {
                Error::Option(_) => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

/// The builder for `target`, and its output directory.
fn plan(target: &Target) -> Result<(Builder, PathBuf), Error> {
    let mut builder = match &target.spec {
        Some(spec) => {
            let out = target.out.clone().ok_or_else(|| {
                Error::Option("`--out DIR` is required with `--spec FILE`".to_owned())
            })?;
            Builder::new().spec(spec).out_dir(out)
        }
        None => Builder::workspace(&workspace_root()?),
    };
    builder = builder
        .crate_path(&target.crate_path)
        .examples(target.examples);
    if let Some(out) = &target.out {
        builder = builder.out_dir(out);
    }
    if let Some(dir) = &target.tlv_out {
        builder = builder.companion(Companion::TlvCatalogue, dir);
    }
    if let Some(feature) = &target.schemars_feature {
        builder = builder.schemars_feature(feature);
    }
    let out = match &target.out {
        Some(out) => out.clone(),
        None => workspace_root()?.join(OUT_DIR),
    };
    Ok((builder, out))
}

fn run(check: bool, target: &Target) -> Result<ExitCode, Error> {
    let (builder, out) = plan(target)?;
    if !check {
        let output = builder.generate()?;
        print_warnings(&output);
        eprintln!(
            "rainmaker-codegen: wrote {} files to {}",
            output.files.files.len(),
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let checked = builder.check()?;
    print_warnings(&checked.output);
    match checked.diff {
        None => {
            eprintln!("rainmaker-codegen: {} is up to date", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(diff) => {
            print!("{diff}");
            eprintln!(
                "rainmaker-codegen: error: {} differs from the spec; run `{}` and commit the \
                 result",
                out.display(),
                fixing_command(target)
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// Prints each warning of a generation once, as `generate` and `check` both do.
fn print_warnings(output: &rainmaker_codegen::Output) {
    for warning in output.warnings.iter() {
        eprintln!("rainmaker-codegen: {warning}");
    }
}

/// The command that regenerates what `check` compared: this invocation with
/// `generate` for `check` (`cargo codegen generate` for the workspace's own spec).
fn fixing_command(target: &Target) -> String {
    if target.spec.is_none() && target.out.is_none() && target.tlv_out.is_none() {
        return "cargo codegen generate".to_owned();
    }
    let mut words = vec!["rainmaker-codegen".to_owned()];
    let mut replaced = false;
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy().into_owned();
        if !replaced && arg == "check" {
            replaced = true;
            words.push("generate".to_owned());
        } else {
            words.push(shell_word(&arg));
        }
    }
    words.join(" ")
}

/// `word` quoted for a POSIX shell when it needs to be.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The workspace root: the nearest ancestor of the current directory that holds the
/// spec, else the workspace this binary was built in, if it still holds the spec.
fn workspace_root() -> Result<PathBuf, Error> {
    std::env::current_dir()
        .ok()
        .and_then(|current| rainmaker_codegen::workspace_root(&current))
        .or_else(|| rainmaker_codegen::workspace_root(Path::new(env!("CARGO_MANIFEST_DIR"))))
        .ok_or_else(|| {
            Error::Option(format!(
                "no `--spec FILE --out DIR` given, and no `{}` in the current directory or \
                 above it",
                rainmaker_codegen::SPEC_PATH
            ))
        })
}
