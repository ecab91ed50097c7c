//! Unique Rust names within one namespace (a module, an enum, a struct).

use std::collections::HashMap;

use crate::diagnostics::Diagnostics;
use crate::source::Location;

/// The names taken in one namespace, with where each was taken.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    taken: HashMap<String, Option<Location>>,
}

/// The name a [`Names::claim`] gave.
pub(crate) struct Claimed {
    /// The name.
    pub(crate) name: String,
    /// The item that already had the preferred name, when a suffix was added.
    pub(crate) clash: Option<Option<Location>>,
}

impl Names {
    /// A namespace where `reserved` are taken (by generated items).
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved
                .iter()
                .map(|name| ((*name).to_owned(), None))
                .collect(),
        }
    }

    /// A namespace where `reserved` are taken (by generated items), and so is each
    /// name of `known`, where it stands.
    pub(crate) fn with_known<'k>(
        reserved: &[&str],
        known: impl IntoIterator<Item = (&'k str, &'k Location)>,
    ) -> Self {
        let mut names = Self::with_reserved(reserved);
        for (name, at) in known {
            names.claim(name, at);
        }
        names
    }

    /// Takes a name as [`Names::claim`] does and returns it, with a warning in
    /// `problems` when it needed a suffix.
    pub(crate) fn claim_or_warn(
        &mut self,
        preferred: &str,
        at: &Location,
        problems: &mut Diagnostics,
    ) -> String {
        let claimed = self.claim(preferred, at);
        if let Some(note) = claimed.note(preferred) {
            problems.warning(at, note);
        }
        claimed.name
    }

    /// Takes `preferred`, or `preferred2`, `preferred3`... when it is taken.
    pub(crate) fn claim(&mut self, preferred: &str, at: &Location) -> Claimed {
        if !self.taken.contains_key(preferred) {
            self.taken.insert(preferred.to_owned(), Some(at.clone()));
            return Claimed {
                name: preferred.to_owned(),
                clash: None,
            };
        }
        let clash = self.taken.get(preferred).cloned();
        // `Self_` (a keyword escaped) continues as `Self2`, not `Self_2`.
        let stem = preferred.trim_end_matches('_');
        let name = (2..)
            .map(|n| {
                if stem.ends_with(|c: char| c.is_ascii_digit()) {
                    format!("{stem}_{n}")
                } else {
                    format!("{stem}{n}")
                }
            })
            .find(|name| !self.taken.contains_key(name))
            .unwrap_or_else(|| preferred.to_owned());
        self.taken.insert(name.clone(), Some(at.clone()));
        Claimed { name, clash }
    }
}

impl Claimed {
    /// The warning text for a name that got a suffix.
    pub(crate) fn note(&self, preferred: &str) -> Option<String> {
        let clash = self.clash.as_ref()?;
        Some(match clash {
            Some(first) => format!(
                "the Rust name `{preferred}` is already used by {first}; this item is named `{}`",
                self.name
            ),
            None => format!(
                "the Rust name `{preferred}` is reserved for a generated item; this item is \
                 named `{}`",
                self.name
            ),
        })
    }
}
