//! The payloads of the binary command channels, `to-node` and `from-node`.
//!
//! Both keep the exact bytes they were decoded from next to the decoded frame, so
//! re-encoding loses nothing (not even records with unknown tags, which stay
//! reachable through [`rainmaker_tlv::RawFrame::parse`] on [`ToNodeFrame::as_bytes`]).

use crate::prelude::*;
use rainmaker_tlv::{OwnedFrame, OwnedRequest};

use crate::runtime::{DecodeError, EncodeError};
use crate::runtime::{Payload, PayloadRef};

/// A frame on `node/<node_id>/to-node`: a command the cloud sends to the node.
///
/// ```
/// use rainmaker_tlv::{Command, OwnedRequest, UserRole};
/// use rainmaker_types::{Payload, ToNodeFrame};
///
/// let mut request = OwnedRequest::new(Command::SET_PARAMS, UserRole::PRIMARY);
/// request.request_id = Some(b"EQPf7Rj7HFiBhFhvNMjLaB".to_vec());
/// request.data = br#"{"params":{"Light":{"Power":false}}}"#.to_vec();
/// let frame = ToNodeFrame::new(request)?;
/// assert_eq!(ToNodeFrame::decode(&frame.encode()?)?, frame);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToNodeFrame {
    request: OwnedRequest,
    bytes: Vec<u8>,
}

impl ToNodeFrame {
    /// Encodes a command request.
    pub fn new(request: OwnedRequest) -> Result<Self, EncodeError> {
        let bytes = request.to_vec()?;
        Ok(Self { request, bytes })
    }

    /// The decoded command request.
    pub fn request(&self) -> &OwnedRequest {
        &self.request
    }

    /// The frame's bytes, exactly as received or encoded.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl Payload for ToNodeFrame {
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let request = OwnedRequest::decode(bytes)?;
        Ok(Self {
            request,
            bytes: bytes.to_vec(),
        })
    }

    fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(self.bytes.clone())
    }
}

/// A frame on `node/<node_id>/from-node`: the node's answer to a command, or a
/// command the node starts itself (role 8, such as the get-pending request).
///
/// ```
/// use rainmaker_types::{FromNodeFrame, Payload};
///
/// let frame = FromNodeFrame::decode(&rainmaker_tlv::GET_PENDING_FRAME)?;
/// assert!(frame.frame().as_frame().is_get_pending());
/// # Ok::<(), rainmaker_types::DecodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromNodeFrame {
    frame: OwnedFrame,
    bytes: Vec<u8>,
}

impl FromNodeFrame {
    /// Encodes a response or a node-initiated request.
    pub fn new(frame: impl Into<OwnedFrame>) -> Result<Self, EncodeError> {
        let frame = frame.into();
        let bytes = frame.to_vec()?;
        Ok(Self { frame, bytes })
    }

    /// The decoded frame.
    pub fn frame(&self) -> &OwnedFrame {
        &self.frame
    }

    /// The frame's bytes, exactly as received or encoded.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl Payload for FromNodeFrame {
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let frame = OwnedFrame::decode(bytes)?;
        Ok(Self {
            frame,
            bytes: bytes.to_vec(),
        })
    }

    fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(self.bytes.clone())
    }
}

/// The borrowed view of a frame on `from-node` or `to-node`: the decoded fields
/// point into the payload.
impl<'a> PayloadRef<'a> for rainmaker_tlv::Frame<'a> {
    fn decode_ref(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(rainmaker_tlv::Frame::decode(bytes)?)
    }
}
