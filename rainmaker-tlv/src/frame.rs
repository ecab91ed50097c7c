//! Whole frames: the checked record-level view ([`RawFrame`]) and the typed
//! one ([`Frame`]: a request or a response).

use crate::record::{MAX_RECORD_LEN, read_record};
use crate::{
    Command, Error, MAX_DATA_LEN, MAX_REQUEST_ID_LEN, Request, Response, Result, Status, Tag,
    UserRole, Value,
};

/// A frame whose records were all checked, with the known fields extracted.
///
/// Parsing walks the records once, borrowing everything from the input:
///
/// * every record lies inside the frame (no dangling header, no overrun);
/// * a value longer than 255 bytes is a run of consecutive same-tag records,
///   255 bytes each but the last; a run of exactly `255 * k` bytes may end
///   with an empty record;
/// * no tag appears twice otherwise;
/// * fixed-size fields have their size, the request id and data their limits.
///
/// Unknown tags pass these checks too and stay reachable through
/// [`RawFrame::fields`] and [`RawFrame::unknown_fields`].
///
/// ```
/// use rainmaker_tlv::{Command, RawFrame, Tag};
///
/// let frame = RawFrame::parse(&[0x05, 0x02, 0x01, 0x00, 0x09, 0x01, 0xaa])?;
/// assert_eq!(frame.command(), Some(Command::SET_PARAMS));
/// let unknown = frame.unknown_fields().next().unwrap();
/// assert_eq!((unknown.tag, unknown.offset), (Tag(9), 4));
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawFrame<'a> {
    bytes: &'a [u8],
    request_id: Option<&'a [u8]>,
    role: Option<UserRole>,
    status: Option<Status>,
    timestamp: Option<u32>,
    command: Option<Command>,
    data: Option<Value<'a>>,
    unknown: usize,
}

/// Set of tags seen so far in a frame: the low 64 tags (all the known ones)
/// in a word that stays in a register, the others in a small array.
struct TagSet {
    low: u64,
    high: [u64; 3],
}

impl TagSet {
    /// Adds `tag`; returns `false` if it was already present.
    #[inline(always)]
    fn insert(&mut self, tag: u8) -> bool {
        let bit = 1u64 << (tag & 63);
        let word = match tag >> 6 {
            0 => &mut self.low,
            n => match self.high.get_mut(usize::from(n) - 1) {
                Some(word) => word,
                None => return true,
            },
        };
        let fresh = *word & bit == 0;
        *word |= bit;
        fresh
    }
}

impl<'a> RawFrame<'a> {
    /// Walks and checks every record of `bytes`.
    ///
    /// No allocation; the result borrows `bytes`.
    #[inline(always)]
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        let mut frame = RawFrame {
            bytes,
            request_id: None,
            role: None,
            status: None,
            timestamp: None,
            command: None,
            data: None,
            unknown: 0,
        };
        let mut seen = TagSet {
            low: 0,
            high: [0; 3],
        };
        let mut offset = 0;
        while offset < bytes.len() {
            let (record, mut next) = read_record(bytes, offset)?;
            frame.start_field(record.tag, offset, record.value, &mut seen)?;
            if record.value.len() == MAX_RECORD_LEN {
                next = frame.continue_run(record.tag, offset, next)?;
            }
            offset = next;
        }
        Ok(frame)
    }

    /// Stores the first record of a field; a known tag already stored, or an
    /// unknown tag already in `seen`, is a duplicate.
    #[inline(always)]
    fn start_field(
        &mut self,
        tag: Tag,
        offset: usize,
        value: &'a [u8],
        seen: &mut TagSet,
    ) -> Result<()> {
        let wrong = |expected: usize| Error::WrongLength {
            offset,
            tag,
            expected,
            actual: value.len(),
        };
        let fresh = match tag {
            Tag::REQUEST_ID => {
                if value.len() > MAX_REQUEST_ID_LEN {
                    return Err(Error::RequestIdTooLong {
                        offset: Some(offset),
                        len: value.len(),
                    });
                }
                self.request_id.replace(value).is_none()
            }
            Tag::USER_ROLE => match *value {
                [role] => self.role.replace(UserRole(role)).is_none(),
                _ => return Err(wrong(1)),
            },
            Tag::STATUS => match *value {
                [status] => self.status.replace(Status(status)).is_none(),
                _ => return Err(wrong(1)),
            },
            Tag::TIMESTAMP => match *value {
                [a, b, c, d] => self
                    .timestamp
                    .replace(u32::from_le_bytes([a, b, c, d]))
                    .is_none(),
                _ => return Err(wrong(4)),
            },
            Tag::COMMAND => match *value {
                [lo, hi] => self
                    .command
                    .replace(Command(u16::from_le_bytes([lo, hi])))
                    .is_none(),
                _ => return Err(wrong(2)),
            },
            Tag::DATA => self.data.replace(Value::new(value)).is_none(),
            _ => {
                self.unknown += 1;
                seen.insert(tag.0)
            }
        };
        if fresh {
            Ok(())
        } else {
            Err(duplicate(self.bytes, offset, tag))
        }
    }

    /// Reads the continuation fragments of the field whose first, full
    /// record starts at `start`; `next` is the offset after that record.
    /// Returns the offset after the run.
    #[inline]
    fn continue_run(&mut self, tag: Tag, start: usize, mut next: usize) -> Result<usize> {
        let mut total = MAX_RECORD_LEN;
        // A run goes on while the previous fragment was full and the next
        // record has the same tag.
        while self.bytes.get(next) == Some(&tag.0) {
            let (record, after) = read_record(self.bytes, next)?;
            total += record.value.len();
            if tag == Tag::DATA && total > MAX_DATA_LEN {
                return Err(Error::DataTooLong {
                    offset: Some(next),
                    len: total,
                });
            }
            next = after;
            if record.value.len() != MAX_RECORD_LEN {
                break;
            }
        }
        // Only data and unknown tags get here: every other known tag
        // rejects a 255-byte first record.
        if tag == Tag::DATA && next - start > MAX_RECORD_LEN + 2 {
            let records = self.bytes.get(start..next).unwrap_or_default();
            self.data = Some(Value::fragmented(records, total));
        }
        Ok(next)
    }

    /// The bytes the frame was parsed from.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The request id (tag 1), if present.
    pub fn request_id(&self) -> Option<&'a [u8]> {
        self.request_id
    }

    /// The role (tag 2), if present.
    pub fn role(&self) -> Option<UserRole> {
        self.role
    }

    /// The status (tag 3), if present.
    pub fn status(&self) -> Option<Status> {
        self.status
    }

    /// The timestamp (tag 4, epoch seconds), if present.
    pub fn timestamp(&self) -> Option<u32> {
        self.timestamp
    }

    /// The command (tag 5), if present.
    pub fn command(&self) -> Option<Command> {
        self.command
    }

    /// The data (tag 6), if present (possibly empty).
    pub fn data(&self) -> Option<Value<'a>> {
        self.data
    }

    /// Number of fields with an unknown tag.
    pub fn unknown_count(&self) -> usize {
        self.unknown
    }

    /// Every field in wire order, fragments reassembled into one [`Value`].
    pub fn fields(&self) -> Fields<'a> {
        Fields {
            bytes: self.bytes,
            offset: 0,
        }
    }

    /// The fields with an unknown tag, in wire order.
    pub fn unknown_fields(&self) -> impl Iterator<Item = Field<'a>> + use<'a> {
        self.fields().filter(|f| !f.tag.is_known())
    }
}

/// Builds the duplicate-tag error, looking up the first occurrence.
#[cold]
fn duplicate(bytes: &[u8], offset: usize, tag: Tag) -> Error {
    let first = crate::records(bytes)
        .filter_map(|r| r.ok())
        .find(|r| r.tag == tag)
        .map_or(offset, |r| r.offset);
    Error::Duplicate { offset, tag, first }
}

/// One field of a frame: a tag and its (possibly reassembled) value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// Offset of the field's first record.
    pub offset: usize,
    /// The tag.
    pub tag: Tag,
    /// The value, spanning all of the field's fragments.
    pub value: Value<'a>,
}

/// Iterator over the fields of a [`RawFrame`], see [`RawFrame::fields`].
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        // The frame was checked by `RawFrame::parse`; a read error cannot
        // happen here and simply ends the walk.
        let start = self.offset;
        let (first, mut end) = read_record(self.bytes, start).ok()?;
        let mut len = first.value.len();
        let mut last_full = len == MAX_RECORD_LEN;
        while last_full {
            match read_record(self.bytes, end) {
                Ok((next, after)) if next.tag == first.tag => {
                    len += next.value.len();
                    last_full = next.value.len() == MAX_RECORD_LEN;
                    end = after;
                }
                _ => break,
            }
        }
        self.offset = end;
        let value = if end - start == first.wire_len() {
            Value::new(first.value)
        } else {
            Value::fragmented(self.bytes.get(start..end).unwrap_or_default(), len)
        };
        Some(Field {
            offset: start,
            tag: first.tag,
            value,
        })
    }
}

impl core::iter::FusedIterator for Fields<'_> {}

/// A decoded frame: a request or a response.
///
/// A frame with a role record is a [`Request`] (cloud commands on `to-node`,
/// node-initiated commands on `from-node`); a frame without one is a
/// [`Response`]. The get-pending frame has no role record and so decodes as a
/// response with command 0 (see [`Frame::is_get_pending`]).
///
/// ```
/// use rainmaker_tlv::{Command, Frame, UserRole};
///
/// // A node-initiated file-upload request (role 8, status 0), as the C SDK writes it.
/// let bytes = b"\x02\x01\x08\x03\x01\x00\x05\x02\x10\x00\x06\x02{}";
/// match Frame::decode(bytes)? {
///     Frame::Request(req) => {
///         assert_eq!(req.role, UserRole::NODE);
///         assert_eq!(req.command, Command::FILE_UPLOAD_URL);
///     }
///     Frame::Response(_) => unreachable!(),
/// }
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame<'a> {
    /// A command (has a role record).
    Request(Request<'a>),
    /// An answer to a command (no role record).
    Response(Response<'a>),
}

impl<'a> Frame<'a> {
    /// Decodes a frame and tells a request from a response.
    pub fn decode(bytes: &'a [u8]) -> Result<Self> {
        Self::from_raw(&RawFrame::parse(bytes)?)
    }

    /// The typed view of a checked frame.
    pub fn from_raw(raw: &RawFrame<'a>) -> Result<Self> {
        if raw.role().is_some() {
            Request::from_raw(raw).map(Frame::Request)
        } else {
            Response::from_raw(raw).map(Frame::Response)
        }
    }

    /// Whether this is the get-pending request (empty or absent request id,
    /// status 0, command 0, no data).
    pub fn is_get_pending(&self) -> bool {
        match self {
            Frame::Response(r) => {
                r.command == Command::GET_PENDING
                    && r.status == Status::SUCCESS
                    && r.request_id.is_none_or(<[u8]>::is_empty)
                    && r.data.is_empty()
            }
            Frame::Request(_) => false,
        }
    }

    /// The request id, if present.
    pub fn request_id(&self) -> Option<&'a [u8]> {
        match self {
            Frame::Request(r) => r.request_id,
            Frame::Response(r) => r.request_id,
        }
    }

    /// The command.
    pub fn command(&self) -> Command {
        match self {
            Frame::Request(r) => r.command,
            Frame::Response(r) => r.command,
        }
    }

    /// The data (empty when absent).
    pub fn data(&self) -> Value<'a> {
        match self {
            Frame::Request(r) => r.data,
            Frame::Response(r) => r.data,
        }
    }

    /// Exact length of [`Frame::encode`]'s output.
    pub fn encoded_len(&self) -> usize {
        match self {
            Frame::Request(r) => r.encoded_len(),
            Frame::Response(r) => r.encoded_len(),
        }
    }

    /// Encodes into the front of `buf`, returning the length written.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        match self {
            Frame::Request(r) => r.encode(buf),
            Frame::Response(r) => r.encode(buf),
        }
    }

    /// Encodes into a new vector.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<alloc::vec::Vec<u8>> {
        match self {
            Frame::Request(r) => r.to_vec(),
            Frame::Response(r) => r.to_vec(),
        }
    }
}
