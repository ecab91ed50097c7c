//! Frames as one readable line: ids and data as text when they are UTF-8, as
//! hex otherwise.
//!
//! ```
//! use rainmaker_tlv::{Command, Frame, OwnedRequest, UserRole};
//!
//! let mut request = OwnedRequest::new(Command::SET_PARAMS, UserRole::PRIMARY_USER);
//! request.request_id = Some(b"abc".to_vec());
//! request.data = br#"{"params":{}}"#.to_vec();
//! assert_eq!(
//!     request.to_string(),
//!     r#"request request_id=abc user_role=primary-user command=1 (set-params) data={"params":{}}"#
//! );
//! let bytes = request.to_vec()?;
//! assert_eq!(Frame::decode(&bytes)?.to_string(), request.to_string());
//! # Ok::<(), rainmaker_tlv::Error>(())
//! ```

use core::fmt;

use crate::{Frame, Request, Response, Tag, UserRole, Value};

/// How many bytes of binary data are shown (as hex) before `...`.
const HEX_SHOWN: usize = 48;

/// Bytes, possibly in fragments, printed as text when every fragment is UTF-8
/// (and holds no control characters), as hex otherwise.
pub(crate) struct Bytes<'a, I>(pub(crate) I)
where
    I: Iterator<Item = &'a [u8]> + Clone;

impl<'a, I> Bytes<'a, I>
where
    I: Iterator<Item = &'a [u8]> + Clone,
{
    fn is_text(&self) -> bool {
        self.0.clone().all(|chunk| {
            core::str::from_utf8(chunk).is_ok_and(|text| {
                !text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            })
        })
    }

    fn write_hex(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = 0;
        let mut total = 0;
        for chunk in self.0.clone() {
            total += chunk.len();
            for byte in chunk {
                if shown == HEX_SHOWN {
                    continue;
                }
                if shown > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{byte:02x}")?;
                shown += 1;
            }
        }
        if total > HEX_SHOWN {
            write!(f, " ... ({total} bytes)")?;
        }
        Ok(())
    }
}

impl<'a, I> fmt::Display for Bytes<'a, I>
where
    I: Iterator<Item = &'a [u8]> + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_text() {
            for chunk in self.0.clone() {
                f.write_str(core::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
            }
            Ok(())
        } else {
            f.write_str("0x")?;
            self.write_hex(f)
        }
    }
}

impl<'a, I> fmt::Debug for Bytes<'a, I>
where
    I: Iterator<Item = &'a [u8]> + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_text() {
            f.write_str("\"")?;
            for chunk in self.0.clone() {
                let text = core::str::from_utf8(chunk).map_err(|_| fmt::Error)?;
                write!(f, "{}", text.escape_debug())?;
            }
            f.write_str("\"")
        } else {
            f.write_str("[")?;
            self.write_hex(f)?;
            f.write_str("]")
        }
    }
}

/// Bytes for a log line: as text when they are UTF-8 (tabs and line breaks
/// allowed, no other control characters), as `0x` and hex otherwise, cut after
/// 48 bytes.
///
/// ```
/// use rainmaker_tlv::ShowBytes;
///
/// assert_eq!(ShowBytes(b"on").to_string(), "on");
/// assert_eq!(ShowBytes(&[0xa1, 0x00]).to_string(), "0xa1 00");
/// assert_eq!(format!("{:?}", ShowBytes(b"on")), "\"on\"");
/// assert!(ShowBytes(b"on").is_text() && !ShowBytes(&[0xa1]).is_text());
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ShowBytes<'a>(pub &'a [u8]);

impl ShowBytes<'_> {
    /// Whether the bytes are shown as text: UTF-8 with no control characters but
    /// tabs and line breaks.
    pub fn is_text(&self) -> bool {
        bytes(self.0).is_text()
    }
}

impl fmt::Display for ShowBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&bytes(self.0), f)
    }
}

impl fmt::Debug for ShowBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&bytes(self.0), f)
    }
}

/// One slice as [`Bytes`].
pub(crate) fn bytes(slice: &[u8]) -> Bytes<'_, core::iter::Once<&[u8]>> {
    Bytes(core::iter::once(slice))
}

/// An optional request id as [`Bytes`]' `Debug`, or `None`.
pub(crate) struct RequestId<'a>(pub(crate) Option<&'a [u8]>);

impl fmt::Debug for RequestId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, "Some({:?})", bytes(id)),
            None => f.write_str("None"),
        }
    }
}

/// Data as [`Bytes`].
pub(crate) fn data<'a>(value: &Value<'a>) -> Bytes<'a, crate::value::Chunks<'a>> {
    Bytes(value.chunks())
}

/// `Type(number name)` for a value the spec names, `Type(number)` otherwise:
/// the `Debug` form of the tag, status and command newtypes.
pub(crate) fn debug_named(
    f: &mut fmt::Formatter<'_>,
    type_name: &str,
    number: impl fmt::Display,
    name: Option<&str>,
) -> fmt::Result {
    write!(f, "{type_name}({number}")?;
    if let Some(name) = name {
        write!(f, " {name}")?;
    }
    f.write_str(")")
}

/// `number (name)` for a value the spec names, `number` otherwise.
pub(crate) fn display_named(
    f: &mut fmt::Formatter<'_>,
    number: impl fmt::Display,
    name: Option<&str>,
) -> fmt::Result {
    write!(f, "{number}")?;
    match name {
        Some(name) => write!(f, " ({name})"),
        None => Ok(()),
    }
}

/// The spec's names of the base roles (`primary-user`, `super-admin|primary-user`,
/// `node`), with `/sub-role N` when set; the raw byte when no base role is set.
impl fmt::Display for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut any = false;
        for (flag, name) in UserRole::FLAGS {
            if self.contains(flag) {
                if any {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                any = true;
            }
        }
        if !any {
            write!(f, "{:#04x}", self.bits())?;
        }
        if self.sub_role() != 0 {
            write!(f, "/sub-role {}", self.sub_role())?;
        }
        Ok(())
    }
}

/// ` name=value`, the name being the tag's name in the spec (`request_id`).
fn write_field(f: &mut fmt::Formatter<'_>, tag: Tag, value: impl fmt::Display) -> fmt::Result {
    write!(f, " {}={value}", tag.name().unwrap_or("unknown"))
}

fn write_id(f: &mut fmt::Formatter<'_>, id: Option<&[u8]>) -> fmt::Result {
    match id {
        Some(id) => write_field(f, Tag::REQUEST_ID, bytes(id)),
        None => Ok(()),
    }
}

fn write_data(f: &mut fmt::Formatter<'_>, value: &Value<'_>) -> fmt::Result {
    if value.is_empty() {
        Ok(())
    } else {
        write_field(f, Tag::DATA, data(value))
    }
}

/// `request request_id=.. user_role=.. [status=..] [timestamp=..] command=..
/// [data=..]`: the fields under their names in the spec.
impl fmt::Display for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("request")?;
        write_id(f, self.request_id)?;
        write_field(f, Tag::USER_ROLE, self.role)?;
        if let Some(status) = self.status {
            write_field(f, Tag::STATUS, status)?;
        }
        if let Some(timestamp) = self.timestamp {
            write_field(f, Tag::TIMESTAMP, timestamp)?;
        }
        write_field(f, Tag::COMMAND, self.command)?;
        write_data(f, &self.data)
    }
}

/// `response request_id=.. status=.. command=.. [data=..]`.
impl fmt::Display for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response")?;
        write_id(f, self.request_id)?;
        write_field(f, Tag::STATUS, self.status)?;
        write_field(f, Tag::COMMAND, self.command.in_answer())?;
        write_data(f, &self.data)
    }
}

/// As the request or response; the node's get-pending frame as `get pending`.
impl fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            _ if self.is_get_pending() => f.write_str("get pending"),
            Frame::Request(request) => fmt::Display::fmt(request, f),
            Frame::Response(response) => fmt::Display::fmt(response, f),
        }
    }
}

/// The fields of `request` as a struct named `name`.
fn debug_request(f: &mut fmt::Formatter<'_>, name: &str, request: &Request<'_>) -> fmt::Result {
    f.debug_struct(name)
        .field("request_id", &RequestId(request.request_id))
        .field("role", &request.role)
        .field("status", &request.status)
        .field("timestamp", &request.timestamp)
        .field("command", &request.command)
        .field("data", &data(&request.data))
        .finish()
}

/// The fields of `response` as a struct named `name`.
fn debug_response(f: &mut fmt::Formatter<'_>, name: &str, response: &Response<'_>) -> fmt::Result {
    f.debug_struct(name)
        .field("request_id", &RequestId(response.request_id))
        .field("status", &response.status)
        .field("command", &response.command)
        .field("data", &data(&response.data))
        .finish()
}

/// `Request { request_id: Some("abc"), role: .., data: "{..}" }`: ids and data
/// as text or hex, not as decimal byte arrays.
impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_request(f, "Request", self)
    }
}

/// As [`Request`]'s `Debug`.
impl fmt::Debug for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_response(f, "Response", self)
    }
}

#[cfg(feature = "alloc")]
mod owned {
    use super::*;
    use crate::{OwnedFrame, OwnedRequest, OwnedResponse};

    /// As [`Request`]'s `Display`.
    impl fmt::Display for OwnedRequest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(&self.as_request(), f)
        }
    }

    /// As [`Response`]'s `Display`.
    impl fmt::Display for OwnedResponse {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(&self.as_response(), f)
        }
    }

    /// As [`Frame`]'s `Display`.
    impl fmt::Display for OwnedFrame {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(&self.as_frame(), f)
        }
    }

    /// As [`Request`]'s `Debug`, named `OwnedRequest`.
    impl fmt::Debug for OwnedRequest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_request(f, "OwnedRequest", &self.as_request())
        }
    }

    /// As [`Response`]'s `Debug`, named `OwnedResponse`.
    impl fmt::Debug for OwnedResponse {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_response(f, "OwnedResponse", &self.as_response())
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::{Command, Status};
    use std::format;
    use std::string::ToString;

    #[test]
    fn text_is_shown_as_text_and_binary_as_hex() {
        let response = Response {
            request_id: Some(b"\x01\xff"),
            status: Status::NOT_FOUND,
            command: Command(0x1234),
            data: Value::from(b"cbor\x00"),
        };
        assert_eq!(
            response.to_string(),
            "response request_id=0x01 ff status=not-found command=4660 data=0x63 62 6f 72 00"
        );
    }

    #[test]
    fn long_binary_data_is_cut() {
        let data = [0u8; 100];
        let shown = bytes(&data).to_string();
        assert!(shown.ends_with("00 ... (100 bytes)"), "{shown}");
        let bytes_shown = shown
            .trim_start_matches("0x")
            .split(' ')
            .take_while(|byte| *byte == "00")
            .count();
        assert_eq!(bytes_shown, HEX_SHOWN);
    }

    #[test]
    fn debug_shows_ids_and_data_as_text() {
        let request = Request {
            request_id: Some(b"abc"),
            role: UserRole::PRIMARY_USER,
            status: None,
            timestamp: None,
            command: Command::SET_PARAMS,
            data: Value::from(b"{}"),
        };
        let shown = format!("{request:?}");
        assert!(shown.contains(r#"request_id: Some("abc")"#), "{shown}");
        assert!(shown.contains(r#"data: "{}""#), "{shown}");
    }

    #[test]
    fn roles_are_named() {
        assert_eq!(UserRole::PRIMARY_USER.to_string(), "primary-user");
        assert_eq!(
            UserRole(0x23).to_string(),
            "super-admin|primary-user/sub-role 2"
        );
        assert_eq!(UserRole(0).to_string(), "0x00");
        assert_eq!(UserRole(0x10).to_string(), "0x10/sub-role 1");
    }
}
