//! The crate's error type: every failure says what went wrong, and where.

use core::fmt;

use crate::Tag;

/// Result of the codec's operations.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// A decoding or encoding failure.
///
/// Decoding errors carry the byte offset of the offending record (the
/// offset of its type byte in the frame) and its tag; [`Error::offset`] and
/// [`Error::tag`] give uniform access to both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A record declares a value longer than the bytes left in the frame.
    Truncated {
        /// Offset of the record's type byte.
        offset: usize,
        /// The record's tag.
        tag: Tag,
        /// Declared value length.
        len: usize,
        /// Value bytes actually present after the two header bytes.
        available: usize,
    },
    /// The frame ends with a lone type byte whose length byte is missing.
    DanglingHeader {
        /// Offset of the dangling type byte (the last byte of the frame).
        offset: usize,
        /// The dangling byte, read as a tag.
        tag: Tag,
    },
    /// A fixed-size field (role 1, status 1, command 2, timestamp 4 bytes)
    /// has another length.
    WrongLength {
        /// Offset of the record's type byte.
        offset: usize,
        /// The record's tag.
        tag: Tag,
        /// The length the tag requires.
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// A tag appears a second time without being a continuation fragment
    /// (a continuation directly follows a 255-byte record of the same tag).
    Duplicate {
        /// Offset of the second occurrence.
        offset: usize,
        /// The repeated tag.
        tag: Tag,
        /// Offset of the first occurrence.
        first: usize,
    },
    /// A request id longer than [`MAX_REQUEST_ID_LEN`](crate::MAX_REQUEST_ID_LEN).
    RequestIdTooLong {
        /// Offset of the record when decoding; `None` when encoding.
        offset: Option<usize>,
        /// Length of the request id.
        len: usize,
    },
    /// A data value longer than [`MAX_DATA_LEN`](crate::MAX_DATA_LEN).
    DataTooLong {
        /// Offset of the fragment that crossed the limit when decoding;
        /// `None` when encoding.
        offset: Option<usize>,
        /// Length reached (when decoding, the length up to and including
        /// that fragment).
        len: usize,
    },
    /// A field the typed message requires is absent from the frame.
    Missing {
        /// The absent tag.
        tag: Tag,
    },
    /// The output buffer cannot hold the encoded frame (nothing was written
    /// that should be used).
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
}

impl Error {
    /// Byte offset in the frame where the problem was found, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match *self {
            Error::Truncated { offset, .. }
            | Error::DanglingHeader { offset, .. }
            | Error::WrongLength { offset, .. }
            | Error::Duplicate { offset, .. } => Some(offset),
            Error::RequestIdTooLong { offset, .. } | Error::DataTooLong { offset, .. } => offset,
            Error::Missing { .. } | Error::BufferTooSmall { .. } => None,
        }
    }

    /// The tag of the record concerned, when there is one.
    pub fn tag(&self) -> Option<Tag> {
        match *self {
            Error::Truncated { tag, .. }
            | Error::DanglingHeader { tag, .. }
            | Error::WrongLength { tag, .. }
            | Error::Duplicate { tag, .. }
            | Error::Missing { tag } => Some(tag),
            Error::RequestIdTooLong { .. } => Some(Tag::REQUEST_ID),
            Error::DataTooLong { .. } => Some(Tag::DATA),
            Error::BufferTooSmall { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::Truncated {
                offset,
                tag,
                len,
                available,
            } => write!(
                f,
                "record {tag} at offset {offset} declares {len} bytes but only {available} remain"
            ),
            Error::DanglingHeader { offset, tag } => write!(
                f,
                "frame ends with a type byte ({tag}) at offset {offset} and no length byte"
            ),
            Error::WrongLength {
                offset,
                tag,
                expected,
                actual,
            } => write!(
                f,
                "record {tag} at offset {offset} is {actual} bytes long, expected {expected}"
            ),
            Error::Duplicate { offset, tag, first } => write!(
                f,
                "record {tag} at offset {offset} repeats the one at offset {first}"
            ),
            Error::RequestIdTooLong { offset, len } => write_too_long(
                f,
                "request id",
                len,
                crate::MAX_REQUEST_ID_LEN,
                offset.map(|offset| ("record", offset)),
            ),
            Error::DataTooLong { offset, len } => write_too_long(
                f,
                "data",
                len,
                crate::MAX_DATA_LEN,
                offset.map(|offset| ("fragment", offset)),
            ),
            Error::Missing { tag } => write!(f, "required record {tag} is missing"),
            Error::BufferTooSmall { needed, available } => write!(
                f,
                "output buffer of {available} bytes cannot hold {needed} bytes"
            ),
        }
    }
}

/// `<what> of <len> bytes exceeds <max> bytes`, followed by
/// ` (<where> at offset <offset>)` when the value was found in a frame.
fn write_too_long(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    len: usize,
    max: usize,
    found: Option<(&str, usize)>,
) -> fmt::Result {
    write!(f, "{what} of {len} bytes exceeds {max} bytes")?;
    match found {
        Some((place, offset)) => write!(f, " ({place} at offset {offset})"),
        None => Ok(()),
    }
}

impl core::error::Error for Error {}
