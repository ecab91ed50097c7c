//! TLV8 codec for the ESP RainMaker command-response channel
//! (`node/<node_id>/to-node` and `node/<node_id>/from-node`).
//!
//! The crate decodes frames without copying, encodes them byte for byte like the
//! official C implementation, and routes commands to handlers on the node side.
//!
//! # Wire format
//!
//! A frame is a run of records: one type byte, one length byte (0 to 255),
//! the value. Tags: 1 request id, 2 role, 3 status, 4 timestamp
//! (little-endian `u32`), 5 command (little-endian `u16`), 6 data. A value
//! longer than 255 bytes is split into consecutive records of the same tag,
//! 255 bytes each but the last, with no empty record after an exact multiple
//! of 255 (one is accepted when decoding).
//!
//! # Decoding
//!
//! [`RawFrame::parse`] checks every record and extracts the known fields,
//! borrowing from the input; [`Request`], [`Response`] and [`Frame`] are the
//! typed views. Data is a [`Value`]: a slice, or a zero-copy walk over the
//! fragments. Nothing allocates.
//!
//! ```
//! use rainmaker_tlv::{Command, Request, UserRole};
//!
//! let frame = b"\x01\x03abc\x02\x01\x01\x05\x02\x01\x00\x06\x05hello";
//! let req = Request::decode(frame)?;
//! assert_eq!(req.request_id, Some(&b"abc"[..]));
//! assert_eq!(req.role, UserRole::SUPER_ADMIN);
//! assert_eq!(req.command, Command::SET_PARAMS);
//! assert_eq!(req.data.as_slice(), Some(&b"hello"[..]));
//! # Ok::<(), rainmaker_tlv::Error>(())
//! ```
//!
//! Malformed input gets a typed [`Error`] with the offset and tag:
//!
//! ```
//! use rainmaker_tlv::{Error, RawFrame, Tag};
//!
//! // A command record followed by a lone type byte.
//! let err = RawFrame::parse(b"\x05\x02\x01\x00\x06").unwrap_err();
//! assert_eq!(err, Error::DanglingHeader { offset: 4, tag: Tag::DATA });
//! ```
//!
//! # Encoding
//!
//! [`Request::encode`] and [`Response::encode`] write into a caller's buffer
//! (sized with `encoded_len`, which is exact) without allocating; with the
//! `alloc` feature `to_vec` and `encode_append` write into a `Vec<u8>`.
//!
//! ```
//! use rainmaker_tlv::{Command, Response, Status, GET_PENDING_FRAME};
//!
//! let pending = Response::new(Command::GET_PENDING, Status::SUCCESS).with_request_id(b"");
//! let mut buf = [0u8; 16];
//! let n = pending.encode(&mut buf)?;
//! assert_eq!(&buf[..n], &GET_PENDING_FRAME);
//! # Ok::<(), rainmaker_tlv::Error>(())
//! ```
//!
//! # Routing (feature `alloc`)
//!
//! [`Router`] is the node side: handlers registered per command with the
//! roles allowed to call them; a `to-node` frame in, the `from-node`
//! response frame out, with the C implementation's statuses.
//!
//! # Limits
//!
//! The request id is at most [`MAX_REQUEST_ID_LEN`] (31) bytes in both
//! directions: the C implementation keeps it in a 32-byte field with a
//! terminator, mangles a 32-byte id and drops a longer one. The decoder
//! rejects a longer id with [`Error::RequestIdTooLong`] and the encoder
//! refuses to write one. Data is at most [`MAX_DATA_LEN`] (64 KiB).
//!
//! # Features
//!
//! * `alloc`: owned frames ([`OwnedRequest`], [`OwnedResponse`],
//!   [`OwnedFrame`]), `Vec` encoding, [`Router`] and the [`oracle`].
//! * `std` (default): implements `std::error::Error` for [`Error`].
//!
//! Without features the crate is `no_std` and allocation-free.
//!
//! # Differences from the C implementation
//!
//! Encoding is byte-identical. Decoding and routing are stricter where the C
//! implementation reads out of bounds, guesses, or silently drops fields;
//! in each case the router answers status 2 (invalid) with the request id
//! and command it could read before the fault (empty id and command 0
//! otherwise), and runs no handler:
//!
//! 1. **Dangling type byte at the end.** C reads the missing length byte one
//!    byte past its buffer. We return [`Error::DanglingHeader`].
//! 2. **Record longer than the rest of the frame.** C treats that tag as
//!    absent (a truncated second data fragment drops all data, and the
//!    handler runs without data). We return [`Error::Truncated`].
//! 3. **32-byte request id.** C echoes it with the role byte appended
//!    (33 bytes). We reject ids over 31 bytes ([`Error::RequestIdTooLong`]);
//!    the router answers status 2 with an empty id, as C does for ids over
//!    32 bytes.
//! 4. **Command record of 1 byte.** C takes it as the low byte and runs the
//!    command. We return [`Error::WrongLength`].
//! 5. **Timestamp record not 4 bytes long.** C ignores it and runs the
//!    command with timestamp 0. We return [`Error::WrongLength`].
//!    (A role record not 1 byte long: C ignores it and answers status 2;
//!    we answer status 2 as well, from [`Error::WrongLength`].)
//! 6. **Duplicate tags** (other than continuation fragments). C keeps the
//!    first record and ignores the rest. We return [`Error::Duplicate`].
//! 7. **Handler data over 64 KiB.** C would send it; the router answers
//!    status 1 (failed) without data, since the frame could not be decoded.
//! 8. **Encoded size.** C's size estimate is 2 bytes too large for values of
//!    a multiple of 255 bytes; `encoded_len` is exact.
//! 9. **Unknown tags** are skipped by C; we keep them reachable
//!    ([`RawFrame::fields`]) while the router ignores them as C does.
#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod command;
mod display;
mod encode;
mod error;
mod frame;
#[cfg(feature = "alloc")]
pub mod oracle;
#[cfg(feature = "alloc")]
mod owned;
mod record;
mod request;
mod response;
mod role;
#[cfg(feature = "alloc")]
mod router;
mod status;
mod value;

pub use command::{Command, InAnswer};
pub use display::ShowBytes;
pub use error::{Error, Result};
pub use frame::{Field, Fields, Frame, RawFrame};
#[cfg(feature = "alloc")]
pub use owned::{OwnedFrame, OwnedRequest, OwnedResponse};
pub use record::{MAX_RECORD_LEN, Record, Records, Tag, records};
pub use request::Request;
pub use response::Response;
pub use role::UserRole;
#[cfg(feature = "alloc")]
pub use router::{Answer, Answered, Dispatch, Handler, Outcome, Pending, Router, Routes};
pub use status::Status;
pub use value::{Chunks, Value};

// The named tags, statuses, role flags and commands with their names, generated from
// the spec's `x-rainmaker-tlv` by `rainmaker-codegen`.
include!("generated/catalogue.rs");

/// Longest request id (tag 1), in bytes, that the codec decodes or encodes.
///
/// The C implementation stores the id in a 32-byte buffer with a terminator:
/// 31 bytes is the most it handles correctly.
pub const MAX_REQUEST_ID_LEN: usize = 31;

/// Longest data value (tag 6), in bytes: 64 KiB, the limit the RainMaker
/// apps enforce.
pub const MAX_DATA_LEN: usize = 65536;

/// The 9-byte "get pending commands" frame a node publishes on `from-node`
/// after every (re)connect: empty request id, status 0, command 0, no data. It
/// asks the cloud for queued commands, but it has no role record, so on the wire
/// it has the shape of a response (it decodes as a [`Response`];
/// [`Frame::is_get_pending`] recognises it).
pub const GET_PENDING_FRAME: [u8; 9] = [0x01, 0x00, 0x03, 0x01, 0x00, 0x05, 0x02, 0x00, 0x00];
