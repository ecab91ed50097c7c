//! The generator's error type.

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

/// Why the generator could not produce (or write, or check) the generated files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has errors; every problem found is listed, each with its location.
    #[error("{count} problem(s) in the spec:\n{0}", count = .0.len())]
    Spec(Diagnostics),
    /// A generated file could not be formatted (a generator bug, not a spec problem).
    #[error("generated file {file} is not valid Rust: {message}")]
    Format {
        /// The file name.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// An option of the [`crate::Builder`] is not usable.
    #[error("invalid option: {0}")]
    Option(String),
    /// Reading or writing the output directory failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl From<Diagnostics> for Error {
    fn from(problems: Diagnostics) -> Self {
        Self::Spec(problems)
    }
}

/// The generator's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
