//! A minimal stand-in for the hand-written runtime of `rainmaker-types`, so the golden
//! outputs compile (and run) inside the codegen test suite. Only what generated code
//! names is here: ids, errors, the payload traits and the `x-rust-type` types of the
//! fixtures.

use std::collections::BTreeMap;
use std::fmt;

/// Why an id is invalid (the same variants as the runtime's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    /// Empty.
    Empty,
    /// Too long.
    TooLong {
        /// The length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Holds `/`, `+`, `#` or a control character.
    ForbiddenChar {
        /// The character.
        found: char,
        /// Its byte offset.
        offset: usize,
    },
}

macro_rules! id {
    ($name:ident) => {
        /// A validated id.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps an id.
            pub fn new(id: impl Into<String>) -> Result<Self, IdError> {
                let id = id.into();
                if id.is_empty() {
                    return Err(IdError::Empty);
                }
                match id
                    .char_indices()
                    .find(|&(_, c)| matches!(c, '/' | '+' | '#') || c.is_control())
                {
                    Some((offset, found)) => Err(IdError::ForbiddenChar { found, offset }),
                    None => Ok(Self(id)),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id!(NodeId);
id!(GroupId);

/// Why a topic was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicErrorReason {
    /// Unknown prefix.
    UnknownPrefix,
    /// Unknown ingest rule.
    UnknownRule(String),
    /// Rule of another channel.
    RuleMismatch {
        /// The channel's rule.
        expected: &'static str,
    },
    /// Unknown suffix.
    UnknownSuffix,
    /// Missing segment.
    MissingSegment,
    /// Invalid id.
    InvalidId(IdError),
    /// No ingest form.
    NotIngestible,
}

/// A topic error with its segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicError {
    /// The topic.
    pub topic: String,
    /// The segment at fault.
    pub segment: usize,
    /// Why.
    pub reason: TopicErrorReason,
}

impl TopicError {
    /// A new error.
    pub fn new(topic: &str, segment: usize, reason: TopicErrorReason) -> Self {
        Self {
            topic: topic.to_owned(),
            segment,
            reason,
        }
    }
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: segment {}: {:?}",
            self.topic, self.segment, self.reason
        )
    }
}

impl std::error::Error for TopicError {}

/// A payload decoding error.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// A payload encoding error.
#[derive(Debug, Clone, PartialEq)]
pub enum EncodeError {
    /// JSON failure.
    Json(String),
    /// Wrong topic for the message.
    WrongTopic {
        /// The message name.
        message: &'static str,
        /// The topic.
        topic: String,
    },
}

/// A payload.
pub trait Payload: Sized {
    /// Decodes.
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError>;
    /// Encodes.
    fn encode(&self) -> Result<Vec<u8>, EncodeError>;
}

/// A JSON payload.
pub trait JsonPayload: serde::Serialize + serde::de::DeserializeOwned {}

impl<T: JsonPayload> Payload for T {
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        serde_json::from_slice(bytes).map_err(|error| DecodeError(error.to_string()))
    }

    fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        serde_json::to_vec(self).map_err(|error| EncodeError::Json(error.to_string()))
    }
}

/// Any param value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ParamValue(pub serde_json::Value);

/// A params document.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ParamsDocument(pub BTreeMap<String, BTreeMap<String, ParamValue>>);
