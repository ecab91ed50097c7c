//! The generator's error type.

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

/// Why the generator could not produce (or write, or check) the generated files.
///
/// `Debug` prints the same text as `Display`, so a build script whose `main` returns
/// this error (or a `Box<dyn Error>` of it) shows one readable line per problem.
#[derive(thiserror::Error)]
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

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl From<Diagnostics> for Error {
    fn from(problems: Diagnostics) -> Self {
        Self::Spec(problems)
    }
}

/// The generator's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Location;

    /// A build script's `main` returning the error prints it with `Debug`: the same
    /// lines as `Display`, one per problem with its location.
    #[test]
    fn debug_prints_what_display_prints() {
        let mut problems = Diagnostics::default();
        problems.error(&Location::root().join("channels"), "first problem");
        problems.warning(&Location::root().join("info"), "second problem");
        let error = Error::Spec(problems);
        let text = error.to_string();
        assert_eq!(format!("{error:?}"), text);
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "2 problem(s) in the spec:",
                "error: #/channels: first problem",
                "warning: #/info: second problem",
            ]
        );
    }
}
