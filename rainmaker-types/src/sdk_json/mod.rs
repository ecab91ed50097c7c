//! JSON written the way the C SDK writes it, for byte-exact output.
//!
//! The SDK's `json_generator` emits compact JSON and prints every float with C's
//! `%.5f` (`25.5` becomes `25.50000`; no exponents), cut at [`SDK_FLOAT_CHARS`]
//! characters. [`to_vec`] does the same for any
//! serde type; integers, strings and key order are unchanged. Non-finite floats
//! become `null` (the newer generator's behaviour; the old one printed invalid
//! `nan`).
//!
//! The writer is a serde serializer of its own (compact JSON with serde_json's
//! escaping), so it works without `std`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::{self, Write as _};

use serde::ser::{self, Serialize};

use crate::runtime::EncodeError;
use crate::value::RAW_VALUE;

mod decimals;

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
///
/// # Errors
///
/// [`EncodeError::Json`] when the value cannot be JSON (a map key that is not a
/// string or a number, or a `Serialize` impl that fails).
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let mut writer = Writer {
        out: String::with_capacity(128),
        verbatim: false,
    };
    value
        .serialize(&mut writer)
        .map_err(|Error(message)| EncodeError::Json(message))?;
    Ok(writer.out.into_bytes())
}

/// Why a value could not be written.
#[derive(Debug)]
struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self(message.to_string())
    }
}

/// The most characters the SDK's `json_generator` writes for one float (its
/// `snprintf` buffer is 30 bytes): `%.5f` of a float of 1e24 or more is cut, so the
/// text no longer says the value (`f32::MAX` becomes `34028234663852885981170418348`).
/// Where the cut would end the text with its decimal point (from 1e27 to 1e28),
/// which is no JSON number, the writer leaves the point out.
pub const SDK_FLOAT_CHARS: usize = 29;

/// The compact JSON writer.
struct Writer {
    out: String,
    /// The next string is a raw value's text: written as it is.
    verbatim: bool,
}

impl Writer {
    fn float(&mut self, value: f64) {
        if value.is_finite() {
            let start = self.out.len();
            decimals::push_fixed5(&mut self.out, value);
            // The SDK prints into a 30-byte buffer: longer text is cut (ASCII only,
            // so any length is a character boundary).
            self.out
                .truncate(start + (self.out.len() - start).min(SDK_FLOAT_CHARS));
            // A cut right after the point (a value from 1e27 to 1e28) leaves text
            // that is no JSON number, where the SDK would send it so; the point
            // goes too, and the text still says the number the SDK's does.
            if self.out.ends_with('.') {
                self.out.pop();
            }
        } else {
            self.out.push_str("null");
        }
    }

    fn integer(&mut self, value: impl fmt::Display) -> Result<(), Error> {
        let _ = write!(self.out, "{value}");
        Ok(())
    }

    /// A JSON string, escaped as serde_json escapes it.
    fn string(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push('"');
        // Runs without escapes are copied whole; every escaped character is ASCII,
        // so the runs start and end on character boundaries.
        let mut run = 0;
        for (at, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                0x0c => "\\f",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x00..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(text.get(run..at).unwrap_or_default());
            if escape.is_empty() {
                // The other control characters: `\u00XX`.
                self.out.push_str("\\u00");
                for nibble in [byte >> 4, byte & 0xf] {
                    self.out.push(char::from(HEX[usize::from(nibble)]));
                }
            } else {
                self.out.push_str(escape);
            }
            run = at + 1;
        }
        self.out.push_str(text.get(run..).unwrap_or_default());
        self.out.push('"');
    }
}

/// `serialize_<type>` methods of a `Serializer` that hand the value to one method of
/// `self` (`Writer::integer`, `KeyWriter::quoted`, ...).
macro_rules! forward_to {
    ($method:ident: $($serialize:ident($ty:ty)),* $(,)?) => {
        $(
            fn $serialize(self, value: $ty) -> Result<(), Error> {
                self.$method(value)
            }
        )*
    };
}

/// `serialize_<type>` methods of the key serializer for values no JSON key can be.
macro_rules! refuse_keys {
    ($($serialize:ident($ty:ty)),* $(,)?) => {
        $(
            fn $serialize(self, _value: $ty) -> Result<(), Error> {
                Err(key_must_be_a_string())
            }
        )*
    };
}

/// A sequence or map being written: whether an element was written yet.
struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    /// A raw JSON value (serde_json's raw-value protocol): its one field is its
    /// text, written as it is (the SDK embeds object and array values verbatim).
    raw: bool,
}

impl Compound<'_> {
    fn separator(&mut self) {
        if !self.first {
            self.writer.out.push(',');
        }
        self.first = false;
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }

    forward_to!(integer:
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_i128(i128), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_u128(u128),
    );

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        self.float(f64::from(value));
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        self.float(value);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        let mut buffer = [0; 4];
        self.string(value.encode_utf8(&mut buffer));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        if core::mem::take(&mut self.verbatim) {
            self.out.push_str(value);
        } else {
            self.string(value);
        }
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        let mut seq = ser::Serializer::serialize_seq(self, Some(value.len()))?;
        for byte in value {
            ser::SerializeSeq::serialize_element(&mut seq, byte)?;
        }
        ser::SerializeSeq::end(seq)
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push('[');
        Ok(Compound {
            writer: self,
            first: true,
            raw: false,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.out.push('{');
        self.string(variant);
        self.out.push_str(":[");
        Ok(Compound {
            writer: self,
            first: true,
            raw: false,
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push('{');
        Ok(Compound {
            writer: self,
            first: true,
            raw: false,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        if name == RAW_VALUE {
            return Ok(Compound {
                writer: self,
                first: true,
                raw: true,
            });
        }
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.out.push('{');
        self.string(variant);
        self.out.push_str(":{");
        Ok(Compound {
            writer: self,
            first: true,
            raw: false,
        })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.separator();
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.writer.out.push(']');
        Ok(())
    }
}

/// Tuples, tuple structs and tuple variants are written as sequences; `$close`
/// ends the array (and, for a variant, the object around it).
macro_rules! as_sequence {
    ($($kind:ident::$method:ident => $close:literal),*) => {
        $(
            impl ser::$kind for Compound<'_> {
                type Ok = ();
                type Error = Error;

                fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                    ser::SerializeSeq::serialize_element(self, value)
                }

                fn end(self) -> Result<(), Error> {
                    self.writer.out.push_str($close);
                    Ok(())
                }
            }
        )*
    };
}

as_sequence!(
    SerializeTuple::serialize_element => "]",
    SerializeTupleStruct::serialize_field => "]",
    SerializeTupleVariant::serialize_field => "]}"
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.separator();
        key.serialize(KeyWriter {
            writer: &mut *self.writer,
        })?;
        self.writer.out.push(':');
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.writer.out.push('}');
        Ok(())
    }
}

/// Structs and struct variants are written as maps; `$close` ends the object
/// (and, for a variant, the object around it).
macro_rules! as_map {
    ($($kind:ident => $close:literal),*) => {
        $(
            impl ser::$kind for Compound<'_> {
                type Ok = ();
                type Error = Error;

                fn serialize_field<T: ?Sized + Serialize>(
                    &mut self,
                    key: &'static str,
                    value: &T,
                ) -> Result<(), Error> {
                    if self.raw {
                        self.writer.verbatim = true;
                        let written = value.serialize(&mut *self.writer);
                        self.writer.verbatim = false;
                        return written;
                    }
                    ser::SerializeMap::serialize_entry(self, key, value)
                }

                fn end(self) -> Result<(), Error> {
                    if !self.raw {
                        self.writer.out.push_str($close);
                    }
                    Ok(())
                }
            }
        )*
    };
}

as_map!(SerializeStruct => "}", SerializeStructVariant => "}}");

/// Writes a map key: strings as they are, numbers and booleans quoted (as
/// serde_json does); anything else is an error.
struct KeyWriter<'a> {
    writer: &'a mut Writer,
}

impl KeyWriter<'_> {
    fn quoted(self, value: impl fmt::Display) -> Result<(), Error> {
        let _ = write!(self.writer.out, "\"{value}\"");
        Ok(())
    }
}

fn key_must_be_a_string() -> Error {
    Error("a JSON object key must be a string".into())
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.writer.string(value);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        let mut buffer = [0; 4];
        self.writer.string(value.encode_utf8(&mut buffer));
        Ok(())
    }

    forward_to!(quoted:
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64),
    );

    refuse_keys!(
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8])
    );

    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;
    use alloc::vec;

    #[test]
    fn floats_print_like_percent_5f() {
        let cases: [(f64, &str); 10] = [
            (15.5, "15.50000"),
            (0.1, "0.10000"),
            (-0.0, "-0.00000"),
            (1e10, "10000000000.00000"),
            (f64::from(0.1_f32), "0.10000"),
            (f64::NAN, "null"),
            // Cut at 29 characters, as the SDK's buffer cuts them.
            (1e24, "999999999999999983222784.0000"),
            (f64::from(f32::MAX), "34028234663852885981170418348"),
            // The cut would end on the point: it goes too, so the text is JSON.
            (9.999_999_762_023_526e27, "9999999762023525857561149440"),
            (-1e27, "-1000000000000000013287555072"),
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

    proptest::proptest! {
        #[test]
        fn any_string_escapes_as_serde_json_does(text in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(to_vec(&text).ok(), serde_json::to_vec(&text).ok());
        }
    }

    #[test]
    fn strings_escape_as_serde_json_does() {
        let text = "q\"b\\s/\n\t\u{1}\u{7f}é".to_owned();
        assert_eq!(
            to_vec(&text).ok(),
            serde_json::to_vec(&text).ok(),
            "{text:?}"
        );
    }

    #[test]
    fn enums_and_keys_as_serde_json_writes_them() {
        #[derive(serde::Serialize)]
        enum Shape {
            Dot,
            Size(u8),
            Pair(u8, u8),
            Box { w: u8 },
        }
        let shapes = vec![
            Shape::Dot,
            Shape::Size(1),
            Shape::Pair(1, 2),
            Shape::Box { w: 3 },
        ];
        assert_eq!(to_vec(&shapes).ok(), serde_json::to_vec(&shapes).ok());
        let keys: alloc::collections::BTreeMap<u8, bool> = [(1, true)].into_iter().collect();
        assert_eq!(to_vec(&keys).ok().as_deref(), Some(&br#"{"1":true}"#[..]));
        let bad: alloc::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        assert!(to_vec(&bad).is_err());
    }
}
