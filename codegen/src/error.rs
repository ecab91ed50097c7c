//! The generator's error type: every error names the place in the spec at fault.

use std::path::PathBuf;

use crate::pointer::Pointer;
use crate::spec::SpecError;

/// Why the generator could not produce (or write, or check) the generated files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec could not be read, parsed, or one of its `$ref`s does not resolve.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The spec uses a construct the generator does not support.
    #[error("{at}: unsupported: {what}")]
    Unsupported {
        /// Where the construct is.
        at: Pointer,
        /// What is not supported.
        what: String,
    },
    /// Two spec items would get the same Rust name.
    #[error("{second}: the Rust name `{name}` is already used by {first}")]
    Collision {
        /// The Rust name both would get.
        name: String,
        /// The item that got the name first.
        first: Pointer,
        /// The item that would get it again.
        second: Pointer,
    },
    /// A generated file could not be formatted (a generator bug, not a spec problem).
    #[error("generated file {file} is not valid Rust: {message}")]
    Format {
        /// The file name.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// Reading or writing the output directory failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl Error {
    /// An [`Error::Unsupported`] at `at`.
    pub fn unsupported(at: &Pointer, what: impl Into<String>) -> Self {
        Self::Unsupported {
            at: at.clone(),
            what: what.into(),
        }
    }

    /// An invalid-spec error (a required field missing or of the wrong kind) at `at`.
    pub fn invalid(at: &Pointer, message: impl Into<String>) -> Self {
        Self::Spec(SpecError::invalid(at, message))
    }
}

/// The generator's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
