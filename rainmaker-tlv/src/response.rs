//! Command responses.

use crate::encode::Fields;
use crate::{Command, Error, RawFrame, Result, Status, Tag, Value};

/// The answer to a command: the echoed request id and command, a status and
/// the handler's data. Responses carry no role record.
///
/// ```
/// use rainmaker_tlv::{Command, Response, Status};
///
/// let resp = Response::new(Command(999), Status::NOT_FOUND).with_request_id(b"req-4");
/// assert_eq!(resp.to_vec()?, b"\x01\x05req-4\x03\x01\x04\x05\x02\xe7\x03");
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Response<'a> {
    /// Request id (tag 1); `None` when the frame has no request-id record.
    pub request_id: Option<&'a [u8]>,
    /// The status (tag 3).
    pub status: Status,
    /// The command answered (tag 5).
    pub command: Command,
    /// The data (tag 6); empty when absent.
    pub data: Value<'a>,
}

impl<'a> Response<'a> {
    /// A response with no request id and no data.
    pub const fn new(command: Command, status: Status) -> Self {
        Response {
            request_id: None,
            status,
            command,
            data: Value::EMPTY,
        }
    }

    crate::request::view_methods! {
        /// Decodes a response; the frame needs a status and a command record.
        ///
        /// Role and timestamp records, if present, are not part of a response
        /// and are ignored here (they stay visible through [`RawFrame`]; use
        /// [`Frame::decode`](crate::Frame::decode) to tell requests from responses).
    }

    /// The response view of a checked frame; fails with [`Error::Missing`]
    /// without a status or a command.
    #[inline]
    pub fn from_raw(raw: &RawFrame<'a>) -> Result<Self> {
        Ok(Response {
            request_id: raw.request_id(),
            status: raw.status().ok_or(Error::Missing { tag: Tag::STATUS })?,
            command: raw.command().ok_or(Error::Missing { tag: Tag::COMMAND })?,
            data: raw.data().unwrap_or_default(),
        })
    }

    #[inline(always)]
    fn fields(&self) -> Fields<'_, 'a> {
        Fields {
            request_id: self.request_id,
            role: None,
            status: Some(self.status),
            timestamp: None,
            command: self.command,
            data: &self.data,
        }
    }

    crate::encode::encoding_methods!(Response);
}
