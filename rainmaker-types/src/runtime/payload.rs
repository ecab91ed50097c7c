//! Payload codecs: the [`Payload`] trait, and the JSON, text and byte codecs that
//! generated dispatch code calls by content type.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{DecodeError, EncodeError, JsonError};

/// A message payload: decoded from and encoded to the bytes of a publish.
///
/// Generated code implements it for every type a JSON message or a TLV command
/// carries, so `SetParamsResponse::decode(bytes)` works with the trait in scope; the
/// hand-written payload types of this crate implement it too.
pub trait Payload: Sized {
    /// Decodes a payload.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] that says where the payload is wrong.
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError>;

    /// Encodes the payload (JSON compactly, as the C SDK does).
    ///
    /// # Errors
    ///
    /// An [`EncodeError`] when the value cannot be put on the wire.
    fn encode(&self) -> Result<Vec<u8>, EncodeError>;
}

/// A borrowed view of a message payload: decoded from the payload bytes without
/// copying the strings it can borrow.
///
/// Generated code implements it for the views of messages marked `x-rust-borrow`
/// (`ParamsLocalRef<'a>`, ...); this crate implements it for its own borrowed
/// payload types.
pub trait PayloadRef<'a>: Sized {
    /// Decodes a view of `bytes`.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] that says where the payload is wrong, as the owned type's
    /// [`Payload::decode`] does.
    fn decode_ref(bytes: &'a [u8]) -> Result<Self, DecodeError>;
}

/// Decodes a JSON payload into `T`.
///
/// The input is decoded once with plain serde; only when that fails is it decoded
/// again with path tracking (feature `json-error-paths`, on by default), to build a
/// [`JsonError`] with the JSON path, line and column of the problem. Trailing
/// non-whitespace after the value is an error.
///
/// # Errors
///
/// [`DecodeError::Json`].
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_json_ref(bytes)
}

/// Decodes a JSON payload into `T`, which may borrow from `bytes`; errors as
/// [`decode_json`].
///
/// # Errors
///
/// [`DecodeError::Json`].
pub fn decode_json_ref<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, DecodeError> {
    // Checking the whole payload's UTF-8 once is much cheaper than serde_json's
    // check of every string read from a byte slice; invalid UTF-8 goes the slice way,
    // whose error says where.
    let decoded = match core::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    };
    decoded.map_err(|plain| {
        DecodeError::Json(locate::<T>(bytes).unwrap_or_else(|| JsonError::new(".", &plain)))
    })
}

/// Decodes `bytes` as `T` again, tracking the path: the error with the JSON path of
/// the value at fault, or `None` if this decode succeeds.
#[cfg(feature = "json-error-paths")]
fn locate<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<JsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => Some(JsonError::new(&error.path().to_string(), error.inner())),
        Ok(_) => deserializer
            .end()
            .err()
            .map(|error| JsonError::new(".", &error)),
    }
}

/// Without the `json-error-paths` feature, errors carry no JSON path. (Same
/// signature as with the feature, hence the unused type parameter.)
#[cfg(not(feature = "json-error-paths"))]
#[allow(clippy::extra_unused_type_parameters)]
fn locate<'a, T: Deserialize<'a>>(_bytes: &'a [u8]) -> Option<JsonError> {
    None
}

/// Decodes a JSON payload as `T` and gives it back as a JSON value: what the typed
/// decoder kept, for tools that print or compare data whose type they pick at run
/// time.
///
/// # Errors
///
/// [`DecodeError::Json`].
pub fn decode_to_value<T: DeserializeOwned + Serialize>(
    bytes: &[u8],
) -> Result<serde_json::Value, DecodeError> {
    let decoded: T = decode_json(bytes)?;
    serde_json::to_value(&decoded).map_err(|error| DecodeError::Json(JsonError::new(".", &error)))
}

/// Encodes `value` as compact JSON.
///
/// # Errors
///
/// [`EncodeError::Json`] when the value cannot be serialized (a map with non-string
/// keys, for example).
pub fn encode_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    serde_json::to_vec(value).map_err(|error| EncodeError::Json(error.to_string()))
}

/// Decodes a `text/plain` payload.
///
/// # Errors
///
/// [`DecodeError::Text`] with the offset of the first byte that is not UTF-8.
pub fn decode_text(bytes: &[u8]) -> Result<String, DecodeError> {
    core::str::from_utf8(bytes)
        .map(ToString::to_string)
        .map_err(|error| DecodeError::Text {
            offset: error.valid_up_to(),
        })
}

/// Encodes a `text/plain` payload.
pub fn encode_text(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// Deserializes a property that is present (possibly `null`) as `Some`, so that an
/// optional nullable property keeps "missing" (`None`) and `null` (`Some(None)`)
/// apart. Generated code names it in `#[serde(deserialize_with = "...")]`.
///
/// # Errors
///
/// The deserializer's error.
pub fn deserialize_present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::JsonErrorKind;

    #[derive(Debug, serde::Deserialize)]
    struct Outer {
        #[allow(dead_code)]
        items: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Inner {
        #[allow(dead_code)]
        n: u8,
    }

    fn json(bytes: &[u8]) -> JsonError {
        match decode_json::<Outer>(bytes) {
            Err(DecodeError::Json(error)) => error,
            other => panic!("expected a JSON error, got {other:?}"),
        }
    }

    #[cfg(feature = "json-error-paths")]
    #[test]
    fn errors_name_the_json_path() {
        let error = json(br#"{"items":[{"n":1},{"n":"x"}]}"#);
        assert_eq!(error.kind(), JsonErrorKind::Data);
        assert_eq!(error.path(), "$.items[1].n");
        assert!(
            error
                .to_string()
                .starts_with("invalid JSON at $.items[1].n (line 1, column"),
            "{error}"
        );
    }

    #[test]
    fn truncation_and_trailing_bytes_are_errors() {
        let error = json(br#"{"items":[{"n":1}"#);
        assert_eq!(error.kind(), JsonErrorKind::Eof);
        let error = json(br#"{"items":[]} x"#);
        assert_eq!((error.kind(), error.path()), (JsonErrorKind::Syntax, "$"));
        let error = json(br#"{"items":[}"#);
        assert_eq!(error.kind(), JsonErrorKind::Syntax);
    }

    #[test]
    fn text_must_be_utf8() {
        assert_eq!(decode_text(b"on").as_deref(), Ok("on"));
        assert_eq!(
            decode_text(b"ab\xffc"),
            Err(DecodeError::Text { offset: 2 })
        );
    }
}
