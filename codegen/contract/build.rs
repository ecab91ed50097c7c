//! Generates the bindings of every test document with `rainmaker_codegen::Builder`,
//! as a user's build script would, into `OUT_DIR/<module>/`, and writes
//! `OUT_DIR/documents.rs`, which `include!`s each as a module with its contract tests.
//!
//! Two sets of documents: the construct documents of `codegen/tests/documents/`
//! (written for this repository), and the public documents of other projects in
//! `../shared/asyncapi/` beside the repository (or `RAINMAKER_ASYNCAPI_DIR`), read in
//! place and never copied. Without the public set the build says so in a warning and
//! `PUBLIC_DOCUMENTS_DIR` is `None` (a test then reports the skip); under `CI` it
//! fails. Every public document must generate, except those of [`REFUSED`], which
//! must be refused with the message that says why.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The public documents the generator refuses, each with what its message says.
const REFUSED: &[(&str, &str)] = &[
    (
        "2.6.0/mitras-mqtt-2.6.0.yml",
        "AsyncAPI 2.6.0 is not supported",
    ),
    (
        "2.6.0/streetlights-mqtt-2.6.0.yml",
        "AsyncAPI 2.6.0 is not supported",
    ),
    (
        "3.0.0/adeo-kafka-request-reply-asyncapi.yml",
        "remote references are not fetched",
    ),
];

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let constructs = manifest.join("../tests/documents");
    println!("cargo:rerun-if-changed={}", constructs.display());
    println!("cargo:rerun-if-env-changed=RAINMAKER_ASYNCAPI_DIR");
    println!("cargo:rerun-if-env-changed=CI");

    let mut modules = String::new();
    for path in yaml_files(&constructs, false)? {
        let name = format!("doc_{}", module_name(&path, &constructs));
        modules.push_str(&generate(&path, &out.join(&name), &name, &manifest)?);
    }

    // The RainMaker spec's payload schemas, for its differential test (its bindings
    // are `rainmaker-types`' own).
    let spec = manifest.join("../../spec/rainmaker-node.asyncapi.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    let spec_schemas = write_schemas(&spec, &out.join("rainmaker"))?;
    writeln!(
        modules,
        "/// The payload schemas of the RainMaker spec (`rainmaker-types`' bindings).\n\
         #[cfg(test)]\n\
         pub const RAINMAKER_PAYLOAD_SCHEMAS: &str = include_str!({spec_schemas:?});\n"
    )?;

    let public = public_dir(&manifest);
    println!("cargo:rerun-if-changed={}", public.display());
    let mut public_modules = String::new();
    let mut refused = Vec::new();
    if public.is_dir() {
        for path in yaml_files(&public, true)? {
            let relative = path.strip_prefix(&public).unwrap_or(&path);
            if relative
                .components()
                .any(|part| part.as_os_str() == "common")
            {
                // `social-media/common/` holds fragments the services `$ref`.
                continue;
            }
            if let Some((_, reason)) = REFUSED
                .iter()
                .find(|(refused, _)| relative == Path::new(refused))
            {
                check_refused(&path, reason)?;
                refused.push(path);
                continue;
            }
            let name = format!("v{}", module_name(&path, &public));
            public_modules.push_str(&generate(&path, &out.join(&name), &name, &manifest)?);
        }
    } else if std::env::var_os("CI").is_some() {
        return Err(format!(
            "the public AsyncAPI documents are missing at {} (CI must have ../shared/)",
            public.display()
        )
        .into());
    } else {
        println!(
            "cargo:warning=public AsyncAPI documents not found at {}: their contract tests \
             are skipped (set RAINMAKER_ASYNCAPI_DIR or put ../shared/ beside the repository)",
            public.display()
        );
    }
    let found = public.is_dir().then(|| public.display().to_string());
    writeln!(
        modules,
        "/// The folder the public documents were read from, when it was there.\n\
         pub const PUBLIC_DOCUMENTS_DIR: ::core::option::Option<&str> = {found:?};\n\
         /// How many public documents were generated, and how many were refused as\n\
         /// expected.\n\
         pub const PUBLIC_DOCUMENTS: (usize, usize) = ({}, {});\n\
         /// The bindings of the public documents.\n\
         pub mod public {{\n{public_modules}}}",
        public_modules.matches("pub mod ").count(),
        refused.len(),
    )?;
    std::fs::write(out.join("documents.rs"), modules)?;
    Ok(())
}

/// Where the public documents are: `RAINMAKER_ASYNCAPI_DIR`, else `shared/asyncapi`
/// beside the repository.
fn public_dir(manifest: &Path) -> PathBuf {
    match std::env::var_os("RAINMAKER_ASYNCAPI_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let dir = manifest.join("../../../shared/asyncapi");
            dir.canonicalize().unwrap_or(dir)
        }
    }
}

/// Generates `path` into `dir` (with `schemas.json`, see [`write_schemas`]) and
/// returns the module that includes it.
fn generate(
    path: &Path,
    dir: &Path,
    module: &str,
    manifest: &Path,
) -> Result<String, Box<dyn Error>> {
    rainmaker_codegen::Builder::new()
        .spec(path)
        .out_dir(dir)
        .examples(true)
        .generate()
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let schemas = write_schemas(path, dir)?;
    Ok(format!(
        "/// Generated from `{}`.\npub mod {module} {{\n    include!({:?});\n\n    \
         /// The payload schema of each JSON message, for the differential test.\n    \
         #[cfg(test)]\n    const PAYLOAD_SCHEMAS: &str = include_str!({schemas:?});\n\n    \
         // A document without channels has empty `Channel` and `Topic` enums.\n    \
         #[cfg(test)]\n    #[allow(unreachable_code, unused_variables)]\n    mod contract {{\n        \
         crate::contract_tests!();\n    }}\n}}\n",
        path.strip_prefix(manifest).unwrap_or(path).display(),
        dir.join("mod.rs").display().to_string(),
    ))
}

/// Writes `dir/schemas.json`: the payload schema (`$ref`s inlined) of each JSON
/// message of the document at `path`, by message variant; returns its path.
fn write_schemas(path: &Path, dir: &Path) -> Result<String, Box<dyn Error>> {
    let sources = rainmaker_codegen::Sources::load(path)?;
    let schemas = rainmaker_codegen::payload_schemas(&sources)?;
    std::fs::create_dir_all(dir)?;
    let file = dir.join("schemas.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&schemas)?)?;
    Ok(file.display().to_string())
}

/// The document at `path` is refused, and the message holds `reason`.
fn check_refused(path: &Path, reason: &str) -> Result<(), Box<dyn Error>> {
    match rainmaker_codegen::Builder::new().spec(path).build() {
        Err(error) if error.to_string().contains(reason) => Ok(()),
        Err(error) => Err(format!(
            "{}: refused, but not because of \"{reason}\": {error}",
            path.display()
        )
        .into()),
        Ok(_) => Err(format!(
            "{}: expected to be refused (\"{reason}\") but it generates: take it off `REFUSED`",
            path.display()
        )
        .into()),
    }
}

/// A module name for `path` below `root`: its relative path without the extension,
/// every other character an `_`.
fn module_name(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path).with_extension("");
    relative
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The `.yml` and `.yaml` files of `dir` (and of its subfolders when `deep`),
/// sorted.
fn yaml_files(dir: &Path, deep: bool) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if deep {
                files.extend(yaml_files(&path, deep)?);
            }
        } else if path
            .extension()
            .is_some_and(|extension| extension == "yml" || extension == "yaml")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
