//! Data helpers for command 1 (set params).
//!
//! The request data is `{"params":<params document>}`; the node answers
//! `{"status":"success","params":<changed params>}`, or `{"status":"success"}`
//! when nothing changed. The params document is passed through as JSON text,
//! unchecked.
//!
//! ```
//! use rainmaker_tlv::set_params;
//!
//! let mut buf = [0u8; 64];
//! let n = set_params::write_request_data(br#"{"Light":{"Power":false}}"#, &mut buf)?;
//! assert_eq!(&buf[..n], br#"{"params":{"Light":{"Power":false}}}"#);
//! # Ok::<(), rainmaker_tlv::Error>(())
//! ```

use crate::{Error, Result};

const REQUEST_HEAD: &[u8] = br#"{"params":"#;
const RESPONSE_HEAD: &[u8] = br#"{"status":"success","params":"#;
const RESPONSE_EMPTY: &[u8] = br#"{"status":"success"}"#;
const TAIL: &[u8] = b"}";

/// Writes the parts one after the other into the front of `out`.
fn write_parts(parts: &[&[u8]], out: &mut [u8]) -> Result<usize> {
    let needed: usize = parts.iter().map(|p| p.len()).sum();
    if out.len() < needed {
        return Err(Error::BufferTooSmall {
            needed,
            available: out.len(),
        });
    }
    let mut at = 0;
    for part in parts {
        let end = at + part.len();
        if let Some(dst) = out.get_mut(at..end) {
            dst.copy_from_slice(part);
        }
        at = end;
    }
    Ok(at)
}

/// Length of the request data for `params`.
pub const fn request_data_len(params: &[u8]) -> usize {
    REQUEST_HEAD.len() + params.len() + TAIL.len()
}

/// Writes `{"params":<params>}` into the front of `out`; returns its length.
pub fn write_request_data(params: &[u8], out: &mut [u8]) -> Result<usize> {
    write_parts(&[REQUEST_HEAD, params, TAIL], out)
}

/// Length of the response data for `changed` (`None`: nothing changed).
pub const fn response_data_len(changed: Option<&[u8]>) -> usize {
    match changed {
        Some(params) => RESPONSE_HEAD.len() + params.len() + TAIL.len(),
        None => RESPONSE_EMPTY.len(),
    }
}

/// Writes `{"status":"success","params":<changed>}` (or `{"status":"success"}`
/// when `changed` is `None`) into the front of `out`; returns its length.
pub fn write_response_data(changed: Option<&[u8]>, out: &mut [u8]) -> Result<usize> {
    match changed {
        Some(params) => write_parts(&[RESPONSE_HEAD, params, TAIL], out),
        None => write_parts(&[RESPONSE_EMPTY], out),
    }
}

/// `{"params":<params>}` as a new vector.
#[cfg(feature = "alloc")]
pub fn request_data(params: &[u8]) -> alloc::vec::Vec<u8> {
    [REQUEST_HEAD, params, TAIL].concat()
}

/// `{"status":"success","params":<changed>}` (or `{"status":"success"}`) as a
/// new vector.
#[cfg(feature = "alloc")]
pub fn response_data(changed: Option<&[u8]>) -> alloc::vec::Vec<u8> {
    match changed {
        Some(params) => [RESPONSE_HEAD, params, TAIL].concat(),
        None => RESPONSE_EMPTY.to_vec(),
    }
}
