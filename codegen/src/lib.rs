//! Compiles `spec/rainmaker-node.asyncapi.yaml` into the generated modules of
//! `rainmaker-types`.
//!
//! The generator is a library (spec -> intermediate model -> Rust tokens, formatted
//! by prettyplease) with a thin binary, `rainmaker-codegen`, on top:
//!
//! - [`load()`] turns a [`Spec`] into the intermediate [`model::Model`] (names chosen
//!   by [`naming`], everything unsupported rejected with its JSON pointer);
//! - [`emit`] turns the model into tokens, one module per generated file;
//! - [`generate`] does both and returns the formatted [`GeneratedFiles`] without
//!   touching the disk; [`GeneratedFiles::write`] writes them all or nothing and
//!   [`GeneratedFiles::diff`] compares them with a directory.

pub mod emit;
pub mod error;
pub mod files;
pub mod load;
pub mod load_standard;
pub mod model;
pub mod naming;
pub mod pointer;
pub mod spec;
pub mod validate;

pub use error::{Error, Result};
pub use files::{GeneratedFile, GeneratedFiles};
pub use load::load;
pub use pointer::Pointer;
pub use spec::{Spec, SpecError};

/// The spec, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/rainmaker-node.asyncapi.yaml";

/// The output directory, relative to the workspace root.
pub const OUT_DIR: &str = "rainmaker-types/src/generated";

/// Generates every file from `spec`, in memory.
///
/// # Errors
///
/// An [`Error`] naming the spec location (JSON pointer) of the first problem.
pub fn generate(spec: &Spec) -> Result<GeneratedFiles> {
    let model = load(spec)?;
    generate_model(&model)
}

/// Generates every file from an already loaded model.
///
/// # Errors
///
/// An [`Error`] when two channels cannot be told apart or a file does not format.
pub fn generate_model(model: &model::Model) -> Result<GeneratedFiles> {
    emit::topics::check_addresses(model)?;
    let spec_name = model.spec_name.as_str();
    let mut files = GeneratedFiles::default();
    files.add("mod.rs", spec_name, emit::root::emit(model))?;
    files.add("messages.rs", spec_name, emit::messages::emit(model))?;
    files.add("topics.rs", spec_name, emit::topics::emit(model))?;
    files.add("dispatch.rs", spec_name, emit::dispatch::emit(model))?;
    if let Some(standard) = &model.standard_types {
        files.add(
            "standard_types.rs",
            spec_name,
            emit::standard_types::emit(standard),
        )?;
    }
    Ok(files)
}
