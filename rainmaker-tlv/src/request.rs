//! Command requests: cloud -> node commands and node-initiated commands.

use crate::encode::Fields;
use crate::{Command, Error, RawFrame, Result, Status, Tag, UserRole, Value};

/// The methods [`Request`] and [`Response`] share, for a type with the fields
/// `request_id` and `data` and a `from_raw` constructor: the `with_request_id`
/// and `with_data` setters, and `decode` with the documentation given.
macro_rules! view_methods {
    ($(#[$decode_doc:meta])*) => {
        /// Sets the request id.
        pub const fn with_request_id(mut self, id: &'a [u8]) -> Self {
            self.request_id = Some(id);
            self
        }

        /// Sets the data.
        pub fn with_data(mut self, data: impl Into<crate::Value<'a>>) -> Self {
            self.data = data.into();
            self
        }

        $(#[$decode_doc])*
        #[inline(always)]
        pub fn decode(bytes: &'a [u8]) -> crate::Result<Self> {
            Self::from_raw(&crate::RawFrame::parse(bytes)?)
        }
    };
}
pub(crate) use view_methods;

/// A command request.
///
/// Cloud commands (on `to-node`) carry a request id, the caller's role, an
/// optional timestamp, the command and its data. Node-initiated commands (on
/// `from-node`) carry role [`UserRole::NODE`], status 0 (the C implementation
/// always writes a status record) and an optional request id; see
/// [`Request::node_initiated`].
///
/// ```
/// use rainmaker_tlv::{Command, Request, UserRole};
///
/// let req = Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
///     .with_request_id(b"EQPf7Rj7HFiBhFhvNMjLaB")
///     .with_timestamp(1748871366)
///     .with_data(br#"{"params":{"Light":{"Power":false}}}"#);
/// let mut buf = [0u8; 128];
/// let n = req.encode(&mut buf)?;
/// assert_eq!(n, req.encoded_len());
/// assert_eq!(Request::decode(&buf[..n])?, req);
/// # Ok::<(), rainmaker_tlv::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// Request id (tag 1); `None` when the frame has no request-id record.
    pub request_id: Option<&'a [u8]>,
    /// The caller's role (tag 2).
    pub role: UserRole,
    /// Status (tag 3): present on node-initiated commands (value 0), absent on
    /// cloud commands.
    pub status: Option<Status>,
    /// Timestamp in epoch seconds (tag 4), optional.
    pub timestamp: Option<u32>,
    /// The command (tag 5).
    pub command: Command,
    /// The data (tag 6); empty when absent.
    pub data: Value<'a>,
}

impl<'a> Request<'a> {
    /// A request with no request id, status, timestamp or data.
    pub const fn new(command: Command, role: UserRole) -> Self {
        Request {
            request_id: None,
            role,
            status: None,
            timestamp: None,
            command,
            data: Value::EMPTY,
        }
    }

    /// A node-initiated request as the C implementation writes it: role
    /// [`UserRole::NODE`], status 0.
    pub const fn node_initiated(command: Command) -> Self {
        Request {
            status: Some(Status::SUCCESS),
            ..Request::new(command, UserRole::NODE)
        }
    }

    /// Sets the timestamp.
    pub const fn with_timestamp(mut self, ts: u32) -> Self {
        self.timestamp = Some(ts);
        self
    }

    /// Sets the status record.
    pub const fn with_status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }

    view_methods! {
        /// Decodes a request; the frame needs a role and a command record.
    }

    /// The request view of a checked frame; fails with [`Error::Missing`]
    /// without a role or a command.
    #[inline(always)]
    pub fn from_raw(raw: &RawFrame<'a>) -> Result<Self> {
        Ok(Request {
            request_id: raw.request_id(),
            role: raw.role().ok_or(Error::Missing {
                tag: Tag::USER_ROLE,
            })?,
            status: raw.status(),
            timestamp: raw.timestamp(),
            command: raw.command().ok_or(Error::Missing { tag: Tag::COMMAND })?,
            data: raw.data().unwrap_or_default(),
        })
    }

    #[inline(always)]
    fn fields(&self) -> Fields<'_, 'a> {
        Fields {
            request_id: self.request_id,
            role: Some(self.role),
            status: self.status,
            timestamp: self.timestamp,
            command: self.command,
            data: &self.data,
        }
    }

    crate::encode::encoding_methods!(Request);
}
