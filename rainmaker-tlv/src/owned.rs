//! Owned frames (feature `alloc`), for storing or passing messages around.

use alloc::vec::Vec;

use crate::{Command, Frame, Request, Response, Result, Status, UserRole, Value};

/// The methods an owned type `$owned` hands over to its borrowed view `$view`
/// (reached with `$as_view`, converted back with `From<&$view>`): `decode`,
/// `encoded_len`, `encode` and `to_vec`; and `From<$view>`.
macro_rules! owned_methods {
    ($owned:ident, $view:ident, $as_view:ident, $what:literal) => {
        impl $owned {
            #[doc = concat!("Decodes a ", $what, " (see [`", stringify!($view), "::decode`]).")]
            pub fn decode(bytes: &[u8]) -> Result<Self> {
                $view::decode(bytes).map(|view| $owned::from(&view))
            }

            /// Exact encoded length.
            pub fn encoded_len(&self) -> usize {
                self.$as_view().encoded_len()
            }

            /// Encodes into the front of `buf`; returns the length written.
            pub fn encode(&self, buf: &mut [u8]) -> Result<usize> {
                self.$as_view().encode(buf)
            }

            /// Encodes into a new vector.
            pub fn to_vec(&self) -> Result<Vec<u8>> {
                self.$as_view().to_vec()
            }
        }

        impl From<$view<'_>> for $owned {
            fn from(view: $view<'_>) -> Self {
                $owned::from(&view)
            }
        }
    };
}

/// The owned twin `$owned` of a borrowed view `$view` that has the same
/// fields: `request_id` and `data` (owned as vectors) and the `$copied` ones
/// (`Copy` values). Writes the conversions both ways (`$as_view` and
/// `From<&$view>`) and then `owned_methods!`.
macro_rules! owned_view {
    ($owned:ident, $view:ident, $as_view:ident, $what:literal, [$($copied:ident),*]) => {
        impl $owned {
            /// The borrowed view.
            pub fn $as_view(&self) -> $view<'_> {
                $view {
                    request_id: self.request_id.as_deref(),
                    $($copied: self.$copied,)*
                    data: Value::new(&self.data),
                }
            }
        }

        impl From<&$view<'_>> for $owned {
            fn from(view: &$view<'_>) -> Self {
                $owned {
                    request_id: view.request_id.map(<[u8]>::to_vec),
                    $($copied: view.$copied,)*
                    data: view.data.to_vec(),
                }
            }
        }

        owned_methods!($owned, $view, $as_view, $what);
    };
}

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
}

owned_view!(
    OwnedRequest,
    Request,
    as_request,
    "request",
    [role, status, timestamp, command]
);

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
}

owned_view!(
    OwnedResponse,
    Response,
    as_response,
    "response",
    [status, command]
);

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
    /// The borrowed view.
    pub fn as_frame(&self) -> Frame<'_> {
        match self {
            OwnedFrame::Request(r) => Frame::Request(r.as_request()),
            OwnedFrame::Response(r) => Frame::Response(r.as_response()),
        }
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

owned_methods!(OwnedFrame, Frame, as_frame, "frame");

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
