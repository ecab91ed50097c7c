//! The round-trip oracle (feature `alloc`), shared by the property tests,
//! the fuzz targets and the regression tests.
//!
//! For a frame that decodes: its `encoded_len` is exact, its encoding decodes
//! to an equal frame, and re-encoding that gives the same bytes (the encoding
//! is canonical). Owned and borrowed forms agree, and a value's chunks add up
//! to its length.
//!
//! ```
//! use rainmaker_tlv::oracle::{check_round_trip, Checked};
//!
//! assert!(matches!(check_round_trip(&rainmaker_tlv::GET_PENDING_FRAME), Ok(Checked::RoundTripped(_))));
//! assert!(matches!(check_round_trip(&[0x06]), Ok(Checked::Rejected(_))));
//! ```

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::{Error, Frame, OwnedFrame, RawFrame, Value};

/// What the oracle found for an input that broke no property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Checked {
    /// The input does not decode; nothing to round-trip.
    Rejected(Error),
    /// The input decodes and round-trips; the canonical encoding.
    RoundTripped(Vec<u8>),
}

/// A broken round-trip property: a bug in the codec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoundTripError {
    /// A decoded frame failed to encode.
    Encode(Error),
    /// `encoded_len` disagreed with the bytes written.
    LengthMismatch {
        /// What `encoded_len` said.
        predicted: usize,
        /// What `encode` wrote.
        written: usize,
    },
    /// Encoding into a buffer one byte short did not fail as it must.
    ShortBufferAccepted,
    /// The encoding did not decode.
    Redecode(Error),
    /// The encoding decoded to a different frame.
    Changed,
    /// Re-encoding the re-decoded frame gave different bytes.
    NotCanonical,
    /// The owned form differs from the borrowed one.
    OwnedMismatch,
    /// A value's chunks do not add up to its length.
    ChunkMismatch,
}

impl fmt::Display for RoundTripError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoundTripError::Encode(e) => write!(f, "decoded frame failed to encode: {e}"),
            RoundTripError::LengthMismatch { predicted, written } => write!(
                f,
                "encoded_len said {predicted} bytes but encode wrote {written}"
            ),
            RoundTripError::ShortBufferAccepted => {
                f.write_str("encoding into a too-short buffer did not fail")
            }
            RoundTripError::Redecode(e) => write!(f, "encoded frame does not decode: {e}"),
            RoundTripError::Changed => f.write_str("encoded frame decodes to a different frame"),
            RoundTripError::NotCanonical => f.write_str("re-encoding gave different bytes"),
            RoundTripError::OwnedMismatch => f.write_str("owned and borrowed forms differ"),
            RoundTripError::ChunkMismatch => f.write_str("value chunks do not add up"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for RoundTripError {}

/// Checks every round-trip property on `bytes`.
///
/// Returns [`Checked::Rejected`] for input that does not decode (the decoder
/// itself must not panic on it, which calling this also exercises).
pub fn check_round_trip(bytes: &[u8]) -> Result<Checked, RoundTripError> {
    let raw = match RawFrame::parse(bytes) {
        Ok(raw) => raw,
        Err(e) => return Ok(Checked::Rejected(e)),
    };
    for field in raw.fields() {
        check_value(&field.value)?;
    }
    match Frame::from_raw(&raw) {
        Ok(frame) => check_frame(&frame).map(Checked::RoundTripped),
        Err(e) => Ok(Checked::Rejected(e)),
    }
}

/// Checks the round-trip properties of a frame built in memory; returns its
/// encoding.
pub fn check_frame(frame: &Frame<'_>) -> Result<Vec<u8>, RoundTripError> {
    check_value(&frame.data())?;
    let predicted = frame.encoded_len();
    let mut buf = vec![0u8; predicted];
    let written = frame.encode(&mut buf).map_err(RoundTripError::Encode)?;
    if written != predicted {
        return Err(RoundTripError::LengthMismatch { predicted, written });
    }
    if let Some(short) = buf.get_mut(..predicted.saturating_sub(1))
        && frame.encode(short).is_ok()
    {
        return Err(RoundTripError::ShortBufferAccepted);
    }
    let again = Frame::decode(&buf).map_err(RoundTripError::Redecode)?;
    if again != *frame {
        return Err(RoundTripError::Changed);
    }
    let bytes = again.to_vec().map_err(RoundTripError::Encode)?;
    if bytes != buf {
        return Err(RoundTripError::NotCanonical);
    }
    let owned = OwnedFrame::from(frame);
    if owned.as_frame() != *frame || owned.to_vec().ok().as_ref() != Some(&buf) {
        return Err(RoundTripError::OwnedMismatch);
    }
    Ok(buf)
}

fn check_value(value: &Value<'_>) -> Result<(), RoundTripError> {
    let total: usize = value.chunks().map(<[u8]>::len).sum();
    let copy = value.to_vec();
    if total != value.len() || copy.len() != value.len() || !value.eq_bytes(&copy) {
        return Err(RoundTripError::ChunkMismatch);
    }
    Ok(())
}
