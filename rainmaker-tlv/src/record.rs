//! Tags and raw TLV8 records: one type byte, one length byte, the value.
//!
//! This is the only module that uses nom; its parsers stay private and their
//! failures are turned into [`Error`] values with the offset and tag.

use core::fmt;

use nom::Parser;
use nom::bytes::complete::take;
use nom::number::complete::u8 as byte;

use crate::display::{debug_named, display_named};
use crate::{Error, Result};

/// The type byte of a record.
///
/// The tags of the spec's `x-rainmaker-tlv` have named constants and names (their
/// `impl` block is generated); any other value is kept as is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(pub u8);

impl Tag {
    /// Whether the tag is one of those the protocol defines.
    pub const fn is_known(self) -> bool {
        self.name().is_some()
    }

    /// The value length a fixed-size tag requires.
    pub const fn fixed_len(self) -> Option<usize> {
        match self.0 {
            2 | 3 => Some(1),
            4 => Some(4),
            5 => Some(2),
            _ => None,
        }
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_named(f, "Tag", self.0, self.name())
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tag ")?;
        display_named(f, self.0, self.name())
    }
}

/// Longest value a single record carries; longer values are split into
/// consecutive records of this length (all but the last).
pub const MAX_RECORD_LEN: usize = 255;

/// One record as it appears on the wire, borrowed from the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// Offset of the type byte in the frame.
    pub offset: usize,
    /// The type byte.
    pub tag: Tag,
    /// The value bytes (0 to 255).
    pub value: &'a [u8],
}

impl Record<'_> {
    /// Bytes the record occupies in the frame (header included).
    pub const fn wire_len(&self) -> usize {
        2 + self.value.len()
    }
}

/// The parser input: the rest of the frame and its offset in the frame.
///
/// nom 8's `Input` impl for `&[u8]` leaves `take_from` out of line, which
/// costs a call per primitive (three per record); this wrapper implements
/// `Input` with everything inlined and tracks the offset errors report.
#[derive(Clone, Copy, Debug)]
struct Span<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> nom::Input for Span<'a> {
    type Item = u8;
    type Iter = core::iter::Copied<core::slice::Iter<'a, u8>>;
    type IterIndices = core::iter::Enumerate<Self::Iter>;

    #[inline(always)]
    fn input_len(&self) -> usize {
        self.bytes.len()
    }

    #[inline(always)]
    fn take(&self, index: usize) -> Self {
        Span {
            bytes: self.bytes.get(..index).unwrap_or_default(),
            offset: self.offset,
        }
    }

    #[inline(always)]
    fn take_from(&self, index: usize) -> Self {
        Span {
            bytes: self.bytes.get(index..).unwrap_or_default(),
            offset: self.offset + index,
        }
    }

    #[inline(always)]
    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    #[inline]
    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(u8) -> bool,
    {
        self.bytes.iter().position(|&b| predicate(b))
    }

    #[inline]
    fn iter_elements(&self) -> Self::Iter {
        self.bytes.iter().copied()
    }

    #[inline]
    fn iter_indices(&self) -> Self::IterIndices {
        self.iter_elements().enumerate()
    }

    #[inline(always)]
    fn slice_index(&self, count: usize) -> Result<usize, nom::Needed> {
        if self.bytes.len() >= count {
            Ok(count)
        } else {
            Err(nom::Needed::new(count - self.bytes.len()))
        }
    }
}

/// Splits one record off the front of `input`: `(rest, (tag, value))`.
#[inline(always)]
fn split_record(input: Span<'_>) -> nom::IResult<Span<'_>, (u8, Span<'_>), ()> {
    let (rest, (tag, len)) = (byte, byte).parse(input)?;
    let (rest, value) = take(len)(rest)?;
    Ok((rest, (tag, value)))
}

/// Reads the record starting at `offset` of `frame`.
///
/// Returns the record and the offset just after it. Never reads outside
/// `frame`: a missing length byte or a short value is an error.
#[inline(always)]
pub(crate) fn read_record(frame: &[u8], offset: usize) -> Result<(Record<'_>, usize)> {
    let input = Span {
        bytes: frame.get(offset..).unwrap_or_default(),
        offset,
    };
    match split_record(input) {
        Ok((rest, (tag, value))) => Ok((
            Record {
                offset,
                tag: Tag(tag),
                value: value.bytes,
            },
            rest.offset,
        )),
        Err(_) => Err(record_error(input.bytes, offset)),
    }
}

/// Describes why the record at `offset` could not be read.
#[cold]
fn record_error(input: &[u8], offset: usize) -> Error {
    match *input {
        [tag] => Error::DanglingHeader {
            offset,
            tag: Tag(tag),
        },
        [tag, len, ref value @ ..] => Error::Truncated {
            offset,
            tag: Tag(tag),
            len: usize::from(len),
            available: value.len(),
        },
        // Not reachable from `read_record` (it is only called on non-empty
        // input), but an empty input is a missing header all the same.
        [] => Error::DanglingHeader {
            offset,
            tag: Tag(0),
        },
    }
}

/// Iterator over the raw records of a frame, in wire order.
///
/// Yields `Err` once for a malformed record and then stops. Continuation
/// fragments are yielded as separate records; use
/// [`RawFrame::fields`](crate::RawFrame::fields) for reassembled fields.
///
/// ```
/// use rainmaker_tlv::{records, Tag};
///
/// let tags: Vec<Tag> = records(&rainmaker_tlv::GET_PENDING_FRAME)
///     .map(|r| r.map(|r| r.tag))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(tags, [Tag::REQUEST_ID, Tag::STATUS, Tag::COMMAND]);
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Records<'a> {
    frame: &'a [u8],
    offset: usize,
}

/// Walks the raw records of `frame` without copying.
pub fn records(frame: &[u8]) -> Records<'_> {
    Records { frame, offset: 0 }
}

impl<'a> Records<'a> {
    /// Offset of the next record to read.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.frame.len() {
            return None;
        }
        match read_record(self.frame, self.offset) {
            Ok((record, next)) => {
                self.offset = next;
                Some(Ok(record))
            }
            Err(error) => {
                self.offset = self.frame.len();
                Some(Err(error))
            }
        }
    }
}

impl core::iter::FusedIterator for Records<'_> {}
