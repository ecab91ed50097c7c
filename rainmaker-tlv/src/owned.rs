//! Owned frames (feature `alloc`), for storing or passing messages around.

use alloc::vec::Vec;

use crate::{Command, Frame, Request, Response, Result, Status, UserRole, Value};

/// An owned [`Request`].
///
/// ```
/// use rainmaker_tlv::{Command, OwnedRequest, UserRole};
///
/// let req = OwnedRequest {
///     request_id: Some(b"abc".to_vec()),
///     data: b"hello".to_vec(),
///     ..OwnedRequest::new(Command::SET_PARAMS, UserRole::SUPER_ADMIN)
/// };
/// let bytes = req.to_vec()?;
/// assert_eq!(OwnedRequest::decode(&bytes)?, req);
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnedRequest {
    /// Request id; `None` when there is no request-id record.
    pub request_id: Option<Vec<u8>>,
    /// The caller's role.
    pub role: UserRole,
    /// Status record (node-initiated commands carry status 0).
    pub status: Option<Status>,
    /// Timestamp in epoch seconds.
    pub timestamp: Option<u32>,
    /// The command.
    pub command: Command,
    /// The data, reassembled.
    pub data: Vec<u8>,
}

impl OwnedRequest {
    /// A request with no request id, status, timestamp or data.
    pub fn new(command: Command, role: UserRole) -> Self {
        OwnedRequest {
            request_id: None,
            role,
            status: None,
            timestamp: None,
            command,
            data: Vec::new(),
        }
    }

    /// Decodes a request (see [`Request::decode`]).
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        Request::decode(bytes).map(|r| OwnedRequest::from(&r))
    }

    /// The borrowed view.
    pub fn as_request(&self) -> Request<'_> {
        Request {
            request_id: self.request_id.as_deref(),
            role: self.role,
            status: self.status,
            timestamp: self.timestamp,
            command: self.command,
            data: Value::new(&self.data),
        }
    }

    /// Exact encoded length.
    pub fn encoded_len(&self) -> usize {
        self.as_request().encoded_len()
    }

    /// Encodes into the front of `buf`; returns the length written.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        self.as_request().encode(buf)
    }

    /// Encodes into a new vector.
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        self.as_request().to_vec()
    }
}

impl From<&Request<'_>> for OwnedRequest {
    fn from(r: &Request<'_>) -> Self {
        OwnedRequest {
            request_id: r.request_id.map(<[u8]>::to_vec),
            role: r.role,
            status: r.status,
            timestamp: r.timestamp,
            command: r.command,
            data: r.data.to_vec(),
        }
    }
}

impl From<Request<'_>> for OwnedRequest {
    fn from(r: Request<'_>) -> Self {
        OwnedRequest::from(&r)
    }
}

/// An owned [`Response`].
///
/// ```
/// use rainmaker_tlv::{Command, OwnedResponse, Status};
///
/// let resp = OwnedResponse {
///     request_id: Some(b"abc".to_vec()),
///     ..OwnedResponse::new(Command::SET_PARAMS, Status::AUTH_FAILED)
/// };
/// assert_eq!(resp.to_vec()?, b"\x01\x03abc\x03\x01\x03\x05\x02\x01\x00");
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnedResponse {
    /// Request id; `None` when there is no request-id record.
    pub request_id: Option<Vec<u8>>,
    /// The status.
    pub status: Status,
    /// The command answered.
    pub command: Command,
    /// The data, reassembled.
    pub data: Vec<u8>,
}

impl OwnedResponse {
    /// A response with no request id and no data.
    pub fn new(command: Command, status: Status) -> Self {
        OwnedResponse {
            request_id: None,
            status,
            command,
            data: Vec::new(),
        }
    }

    /// Decodes a response (see [`Response::decode`]).
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        Response::decode(bytes).map(|r| OwnedResponse::from(&r))
    }

    /// The borrowed view.
    pub fn as_response(&self) -> Response<'_> {
        Response {
            request_id: self.request_id.as_deref(),
            status: self.status,
            command: self.command,
            data: Value::new(&self.data),
        }
    }

    /// Exact encoded length.
    pub fn encoded_len(&self) -> usize {
        self.as_response().encoded_len()
    }

    /// Encodes into the front of `buf`; returns the length written.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        self.as_response().encode(buf)
    }

    /// Encodes into a new vector.
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        self.as_response().to_vec()
    }
}

impl From<&Response<'_>> for OwnedResponse {
    fn from(r: &Response<'_>) -> Self {
        OwnedResponse {
            request_id: r.request_id.map(<[u8]>::to_vec),
            status: r.status,
            command: r.command,
            data: r.data.to_vec(),
        }
    }
}

impl From<Response<'_>> for OwnedResponse {
    fn from(r: Response<'_>) -> Self {
        OwnedResponse::from(&r)
    }
}

/// An owned [`Frame`]: a request or a response.
///
/// ```
/// use rainmaker_tlv::{OwnedFrame, GET_PENDING_FRAME};
///
/// let frame = OwnedFrame::decode(&GET_PENDING_FRAME)?;
/// assert!(frame.as_frame().is_get_pending());
/// assert_eq!(frame.to_vec()?, GET_PENDING_FRAME);
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OwnedFrame {
    /// A command (has a role record).
    Request(OwnedRequest),
    /// An answer (no role record).
    Response(OwnedResponse),
}

impl OwnedFrame {
    /// Decodes a frame (see [`Frame::decode`]).
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        Frame::decode(bytes).map(|f| OwnedFrame::from(&f))
    }

    /// The borrowed view.
    pub fn as_frame(&self) -> Frame<'_> {
        match self {
            OwnedFrame::Request(r) => Frame::Request(r.as_request()),
            OwnedFrame::Response(r) => Frame::Response(r.as_response()),
        }
    }

    /// Exact encoded length.
    pub fn encoded_len(&self) -> usize {
        self.as_frame().encoded_len()
    }

    /// Encodes into the front of `buf`; returns the length written.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        self.as_frame().encode(buf)
    }

    /// Encodes into a new vector.
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        self.as_frame().to_vec()
    }
}

impl From<&Frame<'_>> for OwnedFrame {
    fn from(f: &Frame<'_>) -> Self {
        match f {
            Frame::Request(r) => OwnedFrame::Request(r.into()),
            Frame::Response(r) => OwnedFrame::Response(r.into()),
        }
    }
}

impl From<Frame<'_>> for OwnedFrame {
    fn from(f: Frame<'_>) -> Self {
        OwnedFrame::from(&f)
    }
}

impl From<OwnedRequest> for OwnedFrame {
    fn from(r: OwnedRequest) -> Self {
        OwnedFrame::Request(r)
    }
}

impl From<OwnedResponse> for OwnedFrame {
    fn from(r: OwnedResponse) -> Self {
        OwnedFrame::Response(r)
    }
}
