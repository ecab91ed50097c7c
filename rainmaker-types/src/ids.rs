//! Validated identifiers that appear as topic segments: [`NodeId`] and [`GroupId`].
//!
//! The spec maps its `node_id` and `group_id` channel parameters to these types
//! (`x-rust-type`); their limits (`MAX_LEN`, `RESERVED`) are the spec's, generated
//! from `x-rainmaker-max-length` and `x-rainmaker-reserved-values`.

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

pub use crate::runtime::IdError;
use crate::runtime::TopicParam;

fn check(id: &str, max: usize, reserved: &[&'static str]) -> Result<(), IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some(word) = reserved.iter().find(|word| **word == id) {
        return Err(IdError::Reserved(word));
    }
    if id.len() > max {
        return Err(IdError::TooLong { len: id.len(), max });
    }
    // Fast path: printable ASCII without the forbidden characters.
    if id
        .bytes()
        .all(|byte| matches!(byte, 0x20..=0x7e) && !matches!(byte, b'/' | b'+' | b'#'))
    {
        return Ok(());
    }
    match id
        .char_indices()
        .find(|&(_, c)| matches!(c, '/' | '+' | '#') || c.is_control())
    {
        Some((offset, found)) => Err(IdError::ForbiddenChar { found, offset }),
        None => Ok(()),
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $max:expr, $reserved:expr, $example:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The longest id accepted, in bytes.
            pub const MAX_LEN: usize = $max;

            /// Ids that are refused because topics reserve them.
            pub const RESERVED: &'static [&'static str] = $reserved;

            /// Checks and wraps an id.
            ///
            /// ```
            #[doc = concat!("use rainmaker_types::", stringify!($name), ";")]
            #[doc = concat!("assert!(", stringify!($name), "::new(\"", $example, "\").is_ok());")]
            #[doc = concat!("assert!(", stringify!($name), "::new(\"a/b\").is_err());")]
            /// ```
            pub fn new(id: impl Into<String>) -> Result<Self, IdError> {
                let id = id.into();
                check(&id, Self::MAX_LEN, Self::RESERVED)?;
                Ok(Self(id))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl TopicParam for $name {
            fn check(segment: &str) -> Result<(), IdError> {
                check(segment, Self::MAX_LEN, Self::RESERVED)
            }

            fn from_segment(segment: &str) -> Result<Self, IdError> {
                Self::new(segment)
            }

            fn from_checked(segment: &str) -> Self {
                Self(segment.into())
            }

            fn as_segment(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(id: &str) -> Result<Self, IdError> {
                Self::new(id)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(id: String) -> Result<Self, IdError> {
                Self::new(id)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;

            fn try_from(id: &str) -> Result<Self, IdError> {
                Self::new(id)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let id = String::deserialize(deserializer)?;
                Self::new(id).map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// A node id: the MQTT client id and the second segment of every `node/...` topic.
    ///
    /// Real ids are 12 upper-case hex digits (from the MAC) or ~22-character base62
    /// strings (cloud-assigned). Any non-empty string of at most [`NodeId::MAX_LEN`]
    /// bytes without `/`, `+`, `#` or control characters is accepted.
    NodeId,
    crate::generated::topics::NODE_ID_MAX_LEN,
    crate::generated::topics::NODE_ID_RESERVED,
    "7C9EBD4A1B2C"
);

id_type!(
    /// A group id: the last segment of the group topics
    /// (`node/<node_id>/params/local/<group_id>`, `node/<node_id>/params/remote/<group_id>`).
    ///
    /// At most 172 bytes: the longest that keeps every group topic within AWS IoT's
    /// 256-byte topic limit with the longest node id
    /// (`node/` + 64 + `/params/remote/` + 172 = 256). The SDK's own 32-byte limit is
    /// for its last-will topic only (see [`GroupId::fits_last_will`]). `init` is
    /// refused: a group of that name would make its delta topic read as
    /// `params/local/init`.
    GroupId,
    crate::generated::topics::GROUP_ID_MAX_LEN,
    crate::generated::topics::GROUP_ID_RESERVED,
    "kitchen"
);

impl GroupId {
    /// The longest group id the SDK arms its last will with (a node in a longer
    /// group has no last will on its group topic).
    pub const LAST_WILL_MAX_LEN: usize = 32;

    /// Whether the SDK would arm its last will on this group's delta topic.
    pub fn fits_last_will(&self) -> bool {
        self.as_str().len() <= Self::LAST_WILL_MAX_LEN
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn accepts_real_ids() {
        assert_eq!(
            NodeId::new("7C9EBD4A1B2C").map(|id| id.to_string()),
            Ok("7C9EBD4A1B2C".into())
        );
        assert!(NodeId::new("Socfz6jwKPv8wDw4AakTts").is_ok());
        assert!(GroupId::new("kitchen").is_ok());
        assert_eq!(GroupId::new("init"), Err(IdError::Reserved("init")));
        assert!(NodeId::new("init").is_ok());
    }

    #[test]
    fn rejects_topic_metacharacters_with_offset() {
        assert_eq!(NodeId::new(""), Err(IdError::Empty));
        for (id, found, offset) in [
            ("a/b", '/', 1),
            ("+", '+', 0),
            ("ab#", '#', 2),
            ("a\nb", '\n', 1),
        ] {
            assert_eq!(
                NodeId::new(id),
                Err(IdError::ForbiddenChar { found, offset }),
                "{id:?}"
            );
        }
        let long = "x".repeat(NodeId::MAX_LEN + 1);
        assert_eq!(
            NodeId::new(long),
            Err(IdError::TooLong {
                len: NodeId::MAX_LEN + 1,
                max: NodeId::MAX_LEN
            })
        );
    }

    #[test]
    fn serde_checks_ids() {
        let id: NodeId = serde_json::from_str("\"7C9EBD4A1B2C\"").expect("valid id");
        assert_eq!(id, "7C9EBD4A1B2C");
        assert!(serde_json::from_str::<GroupId>("\"a/b\"").is_err());
        assert_eq!(
            serde_json::to_string(&id).ok().as_deref(),
            Some("\"7C9EBD4A1B2C\"")
        );
    }
}
