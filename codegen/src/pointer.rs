//! JSON pointers (RFC 6901) that name a place in the spec, for error messages.

use std::fmt;

/// A JSON pointer into the spec document, such as `/components/schemas/NodeConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the document root (the empty string).
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Parses a pointer written as `/a/b` or as a local reference `#/a/b`.
    ///
    /// Returns `None` when the text is neither empty nor starts with `/` (or `#/`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix('#').unwrap_or(text);
        (text.is_empty() || text.starts_with('/')).then(|| Self(text.to_owned()))
    }

    /// This pointer extended by one reference token (escaped as RFC 6901 requires).
    #[must_use]
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{token}", self.0))
    }

    /// The pointer text, usable with [`serde_json::Value::pointer`].
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped reference tokens of this pointer.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
    }

    /// The last reference token, if any.
    pub fn last(&self) -> Option<String> {
        self.tokens().last()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_escapes_slash_and_tilde() {
        let pointer = Pointer::root().join("channels").join("node/{node_id}~x");
        assert_eq!(pointer.as_str(), "/channels/node~1{node_id}~0x");
        assert_eq!(pointer.last().as_deref(), Some("node/{node_id}~x"));
        assert_eq!(pointer.to_string(), "#/channels/node~1{node_id}~0x");
    }

    #[test]
    fn parse_accepts_local_refs_only() {
        assert_eq!(
            Pointer::parse("#/components/schemas/A").map(|p| p.as_str().to_owned()),
            Some("/components/schemas/A".to_owned())
        );
        assert_eq!(Pointer::parse("#"), Some(Pointer::root()));
        assert_eq!(Pointer::parse("other.yaml#/a"), None);
    }
}
