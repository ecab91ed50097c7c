//! JSON written the way the C SDK writes it, for byte-exact output.
//!
//! The SDK's `json_generator` emits compact JSON and prints every float with C's
//! `%.5f` (`25.5` becomes `25.50000`; no exponents). [`to_vec`] does the same for any
//! serde type; integers, strings and key order are unchanged. Non-finite floats
//! become `null` (the newer generator's behaviour; the old one printed invalid
//! `nan`).

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

use crate::runtime::EncodeError;

/// A compact formatter that prints floats with five decimals.
#[derive(Debug, Clone, Copy, Default)]
struct SdkFormatter;

impl Formatter for SdkFormatter {
    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        write!(writer, "{value:.5}")
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        write!(writer, "{value:.5}")
    }

    fn write_null<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        CompactFormatter.write_null(writer)
    }
}

/// Serializes `value` as the C SDK would: compact, floats as `%.5f`.
///
/// ```
/// use rainmaker_types::{ParamsDocument, sdk_json};
///
/// let mut doc = ParamsDocument::new();
/// doc.insert("Sensor", "Temperature", 25.5_f32);
/// doc.insert("Sensor", "Count", 3);
/// let bytes = sdk_json::to_vec(&doc)?;
/// assert_eq!(bytes, br#"{"Sensor":{"Temperature":25.50000,"Count":3}}"#);
/// # Ok::<(), rainmaker_types::EncodeError>(())
/// ```
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let mut bytes = Vec::with_capacity(128);
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, SdkFormatter);
    value
        .serialize(&mut serializer)
        .map_err(|error| EncodeError::Json(error.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_percent_5f() {
        let cases: [(f64, &str); 6] = [
            (15.5, "15.50000"),
            (0.1, "0.10000"),
            (-0.0, "-0.00000"),
            (1e10, "10000000000.00000"),
            (f64::from(0.1_f32), "0.10000"),
            (f64::NAN, "null"),
        ];
        for (value, text) in cases {
            assert_eq!(
                to_vec(&value).ok().as_deref(),
                Some(text.as_bytes()),
                "{value}"
            );
        }
    }

    #[test]
    fn everything_else_is_compact_json() {
        let value = serde_json::json!({"a": [1, "x", true, null], "b": {"c": -3}});
        assert_eq!(
            to_vec(&value).ok().as_deref(),
            Some(br#"{"a":[1,"x",true,null],"b":{"c":-3}}"#.as_slice())
        );
    }
}
