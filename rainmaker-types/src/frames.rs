//! The payloads of the binary command channels, `to-node` and `from-node`.
//!
//! Both keep the exact bytes they were decoded from next to the decoded frame, so
//! re-encoding loses nothing (not even records with unknown tags, which stay
//! reachable through [`rainmaker_tlv::RawFrame::parse`] on [`ToNodeFrame::as_bytes`]).

use crate::prelude::*;
use rainmaker_tlv::{Command, OwnedFrame, OwnedRequest, UserRole};

use crate::messages::{SetParamsRequest, SetParamsResponse};
use crate::runtime::payload::{decode_json, encode_json};
use crate::runtime::{DecodeError, EncodeError};
use crate::runtime::{Payload, PayloadRef};
use crate::value::ParamsDocument;

/// What a frame payload type has besides its own methods: its bytes
/// (`as_bytes`), `Display` as the decoded frame shows itself, and `Payload`, which
/// decodes the frame and keeps the bytes it came from.
macro_rules! decoded_with_bytes {
    ($payload:ident, $decoded:ident: $frame:ty) => {
        impl $payload {
            /// The frame's bytes, exactly as received or encoded.
            pub fn as_bytes(&self) -> &[u8] {
                &self.bytes
            }
        }

        /// The decoded frame's line.
        impl core::fmt::Display for $payload {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(&self.$decoded, f)
            }
        }

        impl Payload for $payload {
            fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
                Ok(Self {
                    $decoded: <$frame>::decode(bytes)?,
                    bytes: bytes.to_vec(),
                })
            }

            fn encode(&self) -> Result<Vec<u8>, EncodeError> {
                Ok(self.bytes.clone())
            }
        }
    };
}

/// A frame on `node/<node_id>/to-node`: a command the cloud sends to the node.
///
/// Command 1 (set params) round trip, the cloud's half and the node's answer:
///
/// ```
/// use rainmaker_types::messages::{SetParamsResponse, SetParamsResponseStatus};
/// use rainmaker_types::tlv::{Command, OwnedResponse, Status, UserRole};
/// use rainmaker_types::{FromNodeFrame, ParamsDocument, Payload, ToNodeFrame};
///
/// let mut params = ParamsDocument::new();
/// params.insert("Light", "Power", false);
/// let frame = ToNodeFrame::set_params("EQPf7Rj7HFiBhFhvNMjLaB", UserRole::PRIMARY_USER, &params)?;
/// let bytes = frame.encode()?; // publish on node/<node_id>/to-node
///
/// // The node's answer on node/<node_id>/from-node, decoded:
/// let mut answer = OwnedResponse::new(Command::SET_PARAMS, Status::SUCCESS);
/// answer.request_id = Some(b"EQPf7Rj7HFiBhFhvNMjLaB".to_vec());
/// answer.data = SetParamsResponse {
///     status: SetParamsResponseStatus::Success,
///     params: Some(params.clone()),
///     extra: Default::default(),
/// }
/// .encode()?;
/// let answer = FromNodeFrame::decode(&FromNodeFrame::new(answer)?.encode()?)?;
/// let response = answer.set_params_response().expect("an answer to cmd 1")?;
/// assert_eq!(response.params, Some(params));
/// # let _ = bytes;
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

    /// A command 1 (set params) request writing `params`, as the cloud sends it:
    /// data `{"params":<params>}`.
    ///
    /// # Errors
    ///
    /// [`EncodeError::Tlv`] when the request id is longer than a TLV record
    /// carries.
    pub fn set_params(
        request_id: impl AsRef<[u8]>,
        role: UserRole,
        params: &ParamsDocument,
    ) -> Result<Self, EncodeError> {
        let data = SetParamsRequest {
            params: params.clone(),
            extra: serde_json::Map::new(),
        };
        let mut request = OwnedRequest::new(Command::SET_PARAMS, role);
        request.request_id = Some(request_id.as_ref().to_vec());
        request.data = encode_json(&data)?;
        Self::new(request)
    }

    /// The typed data of a command 1 request; `None` for another command.
    pub fn set_params_request(&self) -> Option<Result<SetParamsRequest, DecodeError>> {
        (self.request.command == Command::SET_PARAMS).then(|| decode_json(&self.request.data))
    }

    /// The decoded command request.
    pub fn request(&self) -> &OwnedRequest {
        &self.request
    }
}

decoded_with_bytes!(ToNodeFrame, request: OwnedRequest);

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

    /// The typed data of an answer to command 1 (set params); `None` when the
    /// frame is a request or answers another command.
    pub fn set_params_response(&self) -> Option<Result<SetParamsResponse, DecodeError>> {
        match &self.frame {
            OwnedFrame::Response(response) if response.command == Command::SET_PARAMS => {
                Some(decode_json(&response.data))
            }
            _ => None,
        }
    }

    /// The decoded frame.
    pub fn frame(&self) -> &OwnedFrame {
        &self.frame
    }
}

decoded_with_bytes!(FromNodeFrame, frame: OwnedFrame);

/// The borrowed view of a frame on `from-node` or `to-node`: the decoded fields
/// point into the payload.
impl<'a> PayloadRef<'a> for rainmaker_tlv::Frame<'a> {
    fn decode_ref(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(rainmaker_tlv::Frame::decode(bytes)?)
    }
}
