//! Payload codecs: the [`Payload`] trait, and the JSON, text and byte codecs that
//! generated dispatch code calls by content type.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{DecodeError, EncodeError, JsonError};
use super::lenient::{self, Repair};

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

/// How a payload is decoded: its size limit, and whether what the C SDK's JSON
/// writer really sends is repaired first.
///
/// ```
/// use rainmaker_types::runtime::payload::DecodeOptions;
/// use rainmaker_types::{Channel, Message, ParamValue};
///
/// let sent = br#"{"Sensor":{"Temperature":nan}}"#;
/// assert!(Message::decode(Channel::ParamsLocal, sent).is_err());
/// let decoded = Message::decode_with(Channel::ParamsLocal, sent, &DecodeOptions::sdk_lenient())?;
/// let Message::ParamsLocal(doc) = &decoded.value else { unreachable!() };
/// assert_eq!(doc.get("Sensor", "Temperature"), Some(&ParamValue::Null));
/// assert_eq!(decoded.repairs.len(), 1);
/// # Ok::<(), rainmaker_types::DecodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    max_len: usize,
    lenient: bool,
}

impl DecodeOptions {
    /// The default size limit: AWS IoT's largest publish, 128 KiB.
    pub const DEFAULT_MAX_LEN: usize = 128 * 1024;

    /// Strict decoding of payloads up to [`Self::DEFAULT_MAX_LEN`] bytes.
    pub const fn strict() -> Self {
        Self {
            max_len: Self::DEFAULT_MAX_LEN,
            lenient: false,
        }
    }

    /// Lenient decoding of what the C SDK's writer really sends (see
    /// [`lenient`]): a payload that is not JSON is repaired
    /// (`nan`/`inf` and empty values read as `null`, raw control characters
    /// escaped, documents cut by the SDK's buffers closed after their last complete
    /// member) and each repair is reported. Payloads that are JSON decode exactly as
    /// in strict mode.
    pub const fn sdk_lenient() -> Self {
        Self {
            max_len: Self::DEFAULT_MAX_LEN,
            lenient: true,
        }
    }

    /// The same options with another size limit.
    #[must_use]
    pub const fn with_max_len(self, max_len: usize) -> Self {
        Self { max_len, ..self }
    }

    /// The size limit in bytes.
    pub const fn max_len(&self) -> usize {
        self.max_len
    }

    /// Whether the SDK's defects are repaired.
    pub const fn is_lenient(&self) -> bool {
        self.lenient
    }

    /// Checks a payload's size against the limit.
    ///
    /// # Errors
    ///
    /// [`DecodeError::TooLarge`].
    pub const fn check_len(&self, bytes: &[u8]) -> Result<(), DecodeError> {
        if bytes.len() > self.max_len {
            Err(DecodeError::TooLarge {
                len: bytes.len(),
                max: self.max_len,
            })
        } else {
            Ok(())
        }
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::strict()
    }
}

/// A decoded value and the repairs the lenient mode made to its payload (none in
/// strict mode).
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    /// The value.
    pub value: T,
    /// What was repaired, in payload order.
    pub repairs: Vec<Repair>,
}

/// Decodes a JSON payload into `T`.
///
/// The input is decoded once with plain serde; only when that fails is it decoded
/// again with path tracking (feature `json-error-paths`, on by default), to build a
/// [`JsonError`] with the JSON path, line and column of the problem. Trailing
/// non-whitespace after the value is an error, and so is a payload over
/// [`DecodeOptions::DEFAULT_MAX_LEN`].
///
/// # Errors
///
/// [`DecodeError::Json`], [`DecodeError::UnescapedQuote`] or
/// [`DecodeError::TooLarge`].
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_json_ref(bytes)
}

/// Decodes a JSON payload into `T` with `options`, adding the repairs made to
/// `repairs` when it succeeds.
///
/// # Errors
///
/// As [`decode_json`].
pub fn decode_json_with<T: DeserializeOwned>(
    bytes: &[u8],
    options: &DecodeOptions,
    repairs: &mut Vec<Repair>,
) -> Result<T, DecodeError> {
    decode_json_view(bytes, options, repairs, |repaired| parse::<T>(repaired))
}

/// Decodes a JSON payload into the borrowed view `T` with `options`, adding the
/// repairs made to `repairs` when it succeeds.
///
/// A payload that decodes as it is gives a view that borrows from it. One that the
/// lenient mode had to repair is decoded from the repaired copy by `from_repaired`,
/// which must give a view that no longer borrows (generated code passes the view's
/// `detach`): the rare repaired payload costs a copy, the others nothing.
///
/// # Errors
///
/// As [`decode_json`].
pub fn decode_json_view<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    options: &DecodeOptions,
    repairs: &mut Vec<Repair>,
    from_repaired: impl FnOnce(&[u8]) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    options.check_len(bytes)?;
    let failed = match parse::<T>(bytes) {
        Ok(value) => return Ok(value),
        Err(failed) => failed,
    };
    let (repaired, made) = repair(bytes, failed, options)?;
    let value = from_repaired(&repaired)?;
    repairs.extend(made);
    Ok(value)
}

/// What the lenient mode makes of a payload that failed to decode with `failed`: the
/// repaired payload and the repairs, or the error to report (`failed` itself in
/// strict mode or when nothing could be repaired).
fn repair(
    bytes: &[u8],
    failed: DecodeError,
    options: &DecodeOptions,
) -> Result<(Vec<u8>, Vec<Repair>), DecodeError> {
    if !options.is_lenient() {
        return Err(failed);
    }
    match lenient::repair(bytes) {
        Ok(repaired) => Ok(repaired),
        Err(lenient::Unrepairable::UnescapedQuote { offset }) => {
            Err(DecodeError::UnescapedQuote { offset })
        }
        Err(lenient::Unrepairable::Other { .. }) => Err(failed),
    }
}

/// Decodes a JSON payload into `T`, which may borrow from `bytes`; errors as
/// [`decode_json`].
///
/// # Errors
///
/// As [`decode_json`].
pub fn decode_json_ref<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, DecodeError> {
    DecodeOptions::strict().check_len(bytes)?;
    parse(bytes)
}

/// One plain serde pass, and the located error when it fails. The whole payload's
/// UTF-8 is checked first, once (much cheaper than serde_json's check of every
/// string, and a decoder that skips a value would not check it at all).
fn parse<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, DecodeError> {
    let text = core::str::from_utf8(bytes)
        .map_err(|error| DecodeError::Json(JsonError::invalid_utf8(bytes, error.valid_up_to())))?;
    serde_json::from_str(text).map_err(|plain| located::<T>(bytes, &plain))
}

/// The error of a failed decode: an unescaped quote when that is what broke the
/// payload (with the feature `json-error-paths`: telling one apart takes a scan of
/// the payload, which a firmware, that never receives the SDK writer's output, does
/// without), else the JSON error with its path.
fn located<'a, T: Deserialize<'a>>(bytes: &'a [u8], plain: &serde_json::Error) -> DecodeError {
    #[cfg(feature = "json-error-paths")]
    if (plain.is_syntax() || plain.is_eof())
        && let Some(offset) = lenient::unescaped_quote(bytes)
    {
        return DecodeError::UnescapedQuote { offset };
    }
    DecodeError::Json(
        locate::<T>(bytes)
            .unwrap_or_else(|| JsonError::new(".", plain))
            .placed(bytes),
    )
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

/// Encodes `value` as the RainMaker C SDK's JSON writer does: compact, floats as
/// `%.5f` (see [`crate::sdk_json`]). Generated code uses it for messages marked
/// `x-rainmaker-sdk-json`, so that re-encoding what a node sent gives its bytes.
///
/// # Errors
///
/// [`EncodeError::Json`] when the value cannot be serialized.
pub fn encode_sdk_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    crate::sdk_json::to_vec(value)
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

/// Writes a payload for a person: as text when it is UTF-8, as hex otherwise
/// ([`rainmaker_tlv::ShowBytes`]); generated `Display` implementations call it.
///
/// # Errors
///
/// The formatter's.
pub fn write_payload(f: &mut core::fmt::Formatter<'_>, bytes: &[u8]) -> core::fmt::Result {
    core::fmt::Display::fmt(&rainmaker_tlv::ShowBytes(bytes), f)
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
