//! Error types: decoding payloads, encoding them, and parsing topics. Each says
//! where: the JSON path, the TLV offset and tag, or the topic segment.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use super::param::IdError;

/// A payload that could not be decoded. Says where: the JSON path (and line and
/// column) for JSON payloads, the byte offset and tag for TLV frames.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// A JSON payload is malformed or does not have the message's shape.
    #[error(transparent)]
    Json(#[from] JsonError),
    /// A TLV frame is malformed.
    #[error("invalid TLV frame: {0}")]
    Tlv(#[from] rainmaker_tlv::Error),
    /// The payload is on a channel that carries no message the document describes.
    #[error("the channel carries no message the document describes")]
    NoMessage,
    /// A text payload is not UTF-8.
    #[error("text payload is not UTF-8 at byte {offset}")]
    Text {
        /// The byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A JSON string holds a `"` its writer did not escape (the C SDK never escapes
    /// strings): where the string ends is ambiguous, so no decoder can read it.
    #[error(
        "unescaped quote inside a string at byte {offset} (the SDK's writer does not escape strings)"
    )]
    UnescapedQuote {
        /// The byte offset of the quote.
        offset: usize,
    },
    /// The payload has the message's shape but breaks a rule of its schema (a
    /// length, a bound, a pattern...): the JSON path, the keyword and its limit.
    #[error("payload breaks its schema: {0}")]
    Violation(#[from] super::validate::Violation),
    /// The payload is larger than the decoder accepts (checked before parsing).
    #[error("payload of {len} bytes is over the {max}-byte limit")]
    TooLarge {
        /// The payload's size.
        len: usize,
        /// The limit ([`DecodeOptions::max_len`](super::payload::DecodeOptions::max_len)).
        max: usize,
    },
}

/// What kind of JSON problem a [`JsonError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// Not JSON at all (a syntax error).
    Syntax,
    /// Valid JSON that does not fit the message type (wrong type, missing field...).
    Data,
    /// The payload ends in the middle of a value (for example a truncated buffer).
    Eof,
}

/// A JSON payload that could not be decoded, with the JSON path of the value at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    kind: JsonErrorKind,
    path: String,
    line: usize,
    column: usize,
    message: String,
}

impl JsonError {
    /// A JSON error found at `path` (serde_path_to_error's notation, `.` for the root).
    pub(crate) fn new(path: &str, inner: &serde_json::Error) -> Self {
        let kind = match inner.classify() {
            serde_json::error::Category::Eof => JsonErrorKind::Eof,
            serde_json::error::Category::Data => JsonErrorKind::Data,
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                JsonErrorKind::Syntax
            }
        };
        // serde_json appends " at line L column C"; the fields carry that already.
        // (Stripped as a known suffix: a substring search would link 1 KiB more into
        // a firmware.)
        let mut message = inner.to_string();
        let position = format!(" at line {} column {}", inner.line(), inner.column());
        if let Some(kept) = message.strip_suffix(&position) {
            message.truncate(kept.len());
        }
        Self {
            kind,
            path: if path == "." {
                "$".to_owned()
            } else {
                format!("$.{path}")
            },
            line: inner.line(),
            column: inner.column(),
            message,
        }
    }

    /// The payload is not UTF-8 from byte `offset` on (JSON is always UTF-8).
    pub(crate) fn invalid_utf8(bytes: &[u8], offset: usize) -> Self {
        let (line, column) = line_and_column(bytes, offset);
        Self {
            kind: JsonErrorKind::Syntax,
            path: "$".to_owned(),
            line,
            column,
            message: format!("invalid UTF-8 at byte {offset}"),
        }
    }

    /// The error placed at the first value of `bytes` when the decoder could not
    /// say where it was (a value that fits none of an untagged enum's shapes is
    /// refused after it was read whole): for the document itself, that is where it
    /// starts.
    pub(crate) fn placed(mut self, bytes: &[u8]) -> Self {
        if self.line != 0 || self.path != "$" {
            return self;
        }
        let start = bytes
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .unwrap_or(bytes.len());
        (self.line, self.column) = line_and_column(bytes, start);
        self
    }

    /// The kind of problem.
    pub fn kind(&self) -> JsonErrorKind {
        self.kind
    }

    /// The JSON path of the value at fault, such as `$.info.name` or `$.devices[0]`
    /// (`$` is the whole document).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The 1-based line of the payload where the problem was found (0 when the
    /// decoder could not tell, for a value inside the document that fits none of an
    /// untagged enum's shapes: the path still says which).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column of the payload where the problem was found.
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The 1-based line and column (in bytes) of `offset` in `bytes`.
fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = 1 + before.iter().filter(|byte| **byte == b'\n').count();
    let column = 1 + before
        .iter()
        .rev()
        .take_while(|byte| **byte != b'\n')
        .count();
    (line, column)
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid JSON at {} (line {}, column {}): {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl core::error::Error for JsonError {}

/// A message that cannot be put on the wire.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncodeError {
    /// A JSON payload could not be serialized (for example a map with non-string keys).
    #[error("cannot encode JSON: {0}")]
    Json(String),
    /// A TLV frame holds a value the protocol cannot carry.
    #[error("cannot encode TLV frame: {0}")]
    Tlv(#[from] rainmaker_tlv::Error),
    /// A text payload holds something other than a string.
    #[error("cannot encode text: {0}")]
    Text(String),
    /// The payload breaks a rule of its schema that decoding would refuse.
    #[error("payload breaks its schema: {0}")]
    Violation(#[from] super::validate::Violation),
    /// The message does not belong on the given topic.
    #[error("the message belongs on `{expected}`, not on `{topic}`")]
    WrongTopic {
        /// The address of the channel that carries the message (several joined
        /// by `` ` or ` `` when more than one does).
        expected: String,
        /// The topic it was meant for.
        topic: String,
    },
}

/// Why a topic string was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicErrorReason {
    /// No channel address starts like the topic: a literal segment before the first
    /// parameter differs.
    UnknownPrefix,
    /// A basic-ingest topic names a rule that no channel uses.
    UnknownRule(String),
    /// A basic-ingest topic's rule belongs to another channel.
    RuleMismatch {
        /// The rule the channel uses.
        expected: &'static str,
    },
    /// A literal segment after a parameter differs from every channel address, or the
    /// topic goes on after a complete address.
    UnknownSuffix,
    /// The topic ends where another segment is needed.
    MissingSegment,
    /// A parameter segment (a node or group id, ...) is not a valid value.
    InvalidId(IdError),
    /// A basic-ingest form of a channel that has no ingest alias.
    NotIngestible,
}

impl TopicErrorReason {
    /// Longest rule text kept in [`TopicErrorReason::UnknownRule`].
    pub const MAX_RULE_KEPT: usize = 64;

    /// [`TopicErrorReason::UnknownRule`], keeping at most
    /// [`TopicErrorReason::MAX_RULE_KEPT`] bytes of the rule (marked `...` when cut).
    pub fn unknown_rule(rule: &str) -> Self {
        Self::UnknownRule(shorten(rule, Self::MAX_RULE_KEPT))
    }
}

/// `text` cut to at most `max` bytes at a character boundary, marked `...` when cut.
fn shorten(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut kept = text.get(..end).unwrap_or_default().to_owned();
    if end < text.len() {
        kept.push_str("...");
    }
    kept
}

impl fmt::Display for TopicErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownPrefix => f.write_str("not a RainMaker topic"),
            Self::UnknownRule(rule) => write!(f, "unknown basic-ingest rule `{rule}`"),
            Self::RuleMismatch { expected } => {
                write!(
                    f,
                    "basic-ingest rule does not match the channel (expected `{expected}`)"
                )
            }
            Self::UnknownSuffix => f.write_str("unknown channel"),
            Self::MissingSegment => f.write_str("topic ends too early"),
            Self::InvalidId(error) => write!(f, "invalid id: {error}"),
            Self::NotIngestible => f.write_str("this channel has no basic-ingest form"),
        }
    }
}

/// A topic string that is not a topic of the protocol, with the segment at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicError {
    topic: String,
    segment: usize,
    reason: TopicErrorReason,
}

impl TopicError {
    /// Longest topic text kept in the error (longer topics are shortened, marked `...`).
    const MAX_KEPT: usize = 256;

    /// An error for `topic`, at the 0-based `/`-separated `segment`.
    pub fn new(topic: &str, segment: usize, reason: TopicErrorReason) -> Self {
        Self {
            topic: shorten(topic, Self::MAX_KEPT),
            segment,
            reason,
        }
    }

    /// The topic as given (shortened past 256 bytes).
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// The 0-based index of the `/`-separated segment at fault.
    pub fn segment(&self) -> usize {
        self.segment
    }

    /// What is wrong.
    pub fn reason(&self) -> &TopicErrorReason {
        &self.reason
    }
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "topic `{}`, segment {}: {}",
            self.topic, self.segment, self.reason
        )
    }
}

impl core::error::Error for TopicError {}

/// A string that is none of the values of a closed enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a value of {enum_name}")]
pub struct UnknownValue {
    enum_name: &'static str,
    value: String,
}

impl UnknownValue {
    /// `value` is not a value of the enum `enum_name` (at most 64 bytes of it are
    /// kept).
    pub fn new(enum_name: &'static str, value: &str) -> Self {
        Self {
            enum_name,
            value: shorten(value, 64),
        }
    }

    /// The enum's name.
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The value (shortened past 64 bytes).
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// Why an inbound `(topic, payload)` pair was not understood.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DispatchError {
    /// The topic is not a topic of the document.
    #[error(transparent)]
    Topic(#[from] TopicError),
    /// The payload is not a message of the topic's channel.
    #[error(transparent)]
    Payload(#[from] DecodeError),
    /// The payload repeats a parameter of its topic (`x-rainmaker-topic-parameter`,
    /// such as a config's `node_id`) with another value.
    #[error(
        "the payload's `{property}` is `{payload}` but the topic says `{topic}`: a node publishes \
         only under its own id"
    )]
    TopicMismatch {
        /// The payload's property.
        property: &'static str,
        /// Its value in the payload.
        payload: String,
        /// The topic parameter's value.
        topic: String,
    },
}
