//! The [`Payload`] trait: how a message type turns into bytes and back.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, EncodeError, JsonError};

/// A message payload: decoded from and encoded to the bytes of an MQTT publish.
pub trait Payload: Sized {
    /// Decodes a payload.
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError>;

    /// Encodes the payload (JSON payloads compactly, as the SDK does).
    fn encode(&self) -> Result<Vec<u8>, EncodeError>;
}

/// Marks a serde type as a JSON payload; it then implements [`Payload`].
pub trait JsonPayload: Serialize + DeserializeOwned {}

impl<T: JsonPayload> Payload for T {
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        decode_json(bytes).map_err(DecodeError::Json)
    }

    fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        serde_json::to_vec(self).map_err(|error| EncodeError::Json(error.to_string()))
    }
}

/// Decodes JSON into `T`, reporting the JSON path of any problem. Trailing
/// non-whitespace after the value is an error.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| JsonError::new(&error.path().to_string(), error.inner()))?;
    deserializer
        .end()
        .map_err(|error| JsonError::new(".", &error))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::JsonErrorKind;

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

    #[test]
    fn errors_name_the_json_path() {
        let error =
            decode_json::<Outer>(br#"{"items":[{"n":1},{"n":"x"}]}"#).expect_err("wrong type");
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
        let error = decode_json::<Outer>(br#"{"items":[{"n":1}"#).expect_err("truncated");
        assert_eq!(error.kind(), JsonErrorKind::Eof);
        let error = decode_json::<Outer>(br#"{"items":[]} x"#).expect_err("trailing");
        assert_eq!((error.kind(), error.path()), (JsonErrorKind::Syntax, "$"));
        let error = decode_json::<Outer>(br#"{"items":[}"#).expect_err("syntax");
        assert_eq!(error.kind(), JsonErrorKind::Syntax);
    }
}
