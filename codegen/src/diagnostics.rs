//! Problems found in a spec, each located by file and JSON pointer. The reader
//! collects every problem before giving up, so one run reports them all.

use std::fmt;

use crate::source::Location;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Code is generated anyway; the note says what was done instead (a pattern not
    /// enforced, a name changed to avoid a clash, an example that does not match).
    Warning,
    /// No code is generated.
    Error,
}

/// One problem, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Where in the spec.
    pub at: Location,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    /// An error at `at`.
    pub fn error(at: &Location, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            at: at.clone(),
            message: message.into(),
        }
    }

    /// A warning at `at`.
    pub fn warning(at: &Location, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            at: at.clone(),
            message: message.into(),
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}: {}", self.at, self.message)
    }
}

/// Every problem found, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// A list of one.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Self {
            items: vec![diagnostic],
        }
    }

    /// Adds a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds an error at `at`.
    pub fn error(&mut self, at: &Location, message: impl Into<String>) {
        self.push(Diagnostic::error(at, message));
    }

    /// Adds a warning at `at`.
    pub fn warning(&mut self, at: &Location, message: impl Into<String>) {
        self.push(Diagnostic::warning(at, message));
    }

    /// Drops the problems after the first `len` (a pass that repeats one already
    /// reported).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.items.truncate(len);
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Self) {
        self.items.extend(other.items);
    }

    /// Every problem.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|item| item.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|item| !item.is_error())
    }

    /// Whether there is at least one error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Whether there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `Ok(value)` when there is no error (warnings are dropped), else the problems.
    ///
    /// # Errors
    ///
    /// `self`, when it holds an error.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(value)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, item) in self.items.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
