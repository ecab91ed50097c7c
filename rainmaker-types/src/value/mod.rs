//! Param values and params documents, the payload of every `params/*` topic.
//!
//! A params document is always two levels deep:
//! `{"<device or service>": {"<param>": <value>, ...}, ...}`. [`ParamsDocument`]
//! keeps both levels in wire order (the order matters for byte-exact comparisons
//! with the C SDK) and rejects duplicate keys instead of silently dropping one.

mod borrowed;
mod document;
mod keys;
mod raw;

pub use borrowed::{DeviceParamsRef, ParamValueRef, ParamsDocumentRef};
pub use document::{DeviceParams, NotParamsDocument, ParamsDocument};
pub(crate) use raw::RAW_VALUE;
pub use raw::RawJson;

use crate::prelude::*;

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One param value as it appears on the wire.
///
/// The variant follows the JSON kind: a JSON integer is [`ParamValue::Int`] even when
/// the param is a float param (cloud clients send `25` for `25.0`); use
/// [`ParamValue::as_f64`], which accepts both, to read float params.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// `true` / `false`.
    Bool(bool),
    /// A JSON integer. Node ints are 32-bit, but any integer that fits `i64` is kept.
    Int(i64),
    /// A JSON number with a fraction or exponent (or an integer beyond `i64`).
    Float(f64),
    /// A string.
    String(String),
    /// An object param's value, as the sender wrote it.
    Object(RawJson),
    /// An array param's value, as the sender wrote it.
    Array(RawJson),
    /// `null`: no usable value. Newer SDK writers print a non-finite float as
    /// `null`; the lenient decoder reads the older ones' `nan`/`inf` and an object
    /// param with no value (`"o":}`) as `null` too, naming each repair.
    Null,
}

/// The accessors of [`ParamValue`] and [`ParamValueRef`], which read the same
/// variants: `as_bool`, `as_i64`, `as_f64` (an integer too) and `as_str`.
macro_rules! scalar_accessors {
    () => {
        /// The boolean, if this is a bool.
        pub fn as_bool(&self) -> Option<bool> {
            match *self {
                Self::Bool(value) => Some(value),
                _ => None,
            }
        }

        /// The integer, if this is an integer.
        pub fn as_i64(&self) -> Option<i64> {
            match *self {
                Self::Int(value) => Some(value),
                _ => None,
            }
        }

        /// The number, if this is a float or an integer (integers are accepted for
        /// float params, as real clients send them).
        pub fn as_f64(&self) -> Option<f64> {
            match *self {
                Self::Float(value) => Some(value),
                // Precision loss above 2^53 is inherent to reading an int as a float.
                #[allow(clippy::cast_precision_loss)]
                Self::Int(value) => Some(value as f64),
                _ => None,
            }
        }

        /// The string, if this is a string.
        pub fn as_str(&self) -> Option<&str> {
            match self {
                Self::String(value) => Some(value),
                _ => None,
            }
        }
    };
}
use scalar_accessors;

impl ParamValue {
    scalar_accessors!();

    /// The JSON kind of this value, as the name used in error messages
    /// (`bool`, `int`, `float`, `string`, `object`, `array`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Bool(_) => "bool",
            Self::Int(_) => "int",
            Self::Float(_) => "float",
            Self::String(_) => "string",
            Self::Object(_) => "object",
            Self::Array(_) => "array",
            Self::Null => "null",
        }
    }

    /// This value as a [`serde_json::Value`].
    pub fn to_json(&self) -> Value {
        match self {
            Self::Bool(value) => Value::Bool(*value),
            Self::Int(value) => Value::from(*value),
            Self::Float(value) => Value::from(*value),
            Self::String(value) => Value::String(value.clone()),
            Self::Object(raw) | Self::Array(raw) => raw.to_value(),
            Self::Null => Value::Null,
        }
    }

    /// The JSON text of an object or array value, as the sender wrote it.
    pub fn as_raw(&self) -> Option<&RawJson> {
        match self {
            Self::Object(raw) | Self::Array(raw) => Some(raw),
            _ => None,
        }
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

macro_rules! from_int {
    ($($int:ty),*) => {$(
        impl From<$int> for ParamValue {
            fn from(value: $int) -> Self {
                Self::Int(i64::from(value))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<f32> for ParamValue {
    fn from(value: f32) -> Self {
        Self::Float(f64::from(value))
    }
}

impl From<f64> for ParamValue {
    fn from(value: f64) -> Self {
        Self::Float(value)
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<Value> for ParamValue {
    /// Converts any JSON value.
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(value) => Self::Bool(value),
            Value::Number(number) => match number.as_i64() {
                Some(int) => Self::Int(int),
                None => Self::Float(number.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(value) => Self::String(value),
            Value::Object(map) => Self::Object(RawJson::from_value(Value::Object(map))),
            Value::Array(items) => Self::Array(RawJson::from_value(Value::Array(items))),
        }
    }
}

/// Writes `value` as compact JSON, as it travels.
pub(crate) fn write_json<T: Serialize + ?Sized>(
    f: &mut core::fmt::Formatter<'_>,
    value: &T,
) -> core::fmt::Result {
    let text = serde_json::to_string(value).map_err(|_| core::fmt::Error)?;
    f.write_str(&text)
}

/// Compact JSON, as on the wire: `true`, `25`, `"Living room"`.
///
/// ```
/// use rainmaker_types::ParamValue;
///
/// assert_eq!(ParamValue::from("Living room").to_string(), r#""Living room""#);
/// assert_eq!(ParamValue::from(25).to_string(), "25");
/// ```
impl core::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write_json(f, self)
    }
}

impl Serialize for ParamValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Bool(value) => serializer.serialize_bool(*value),
            Self::Int(value) => serializer.serialize_i64(*value),
            Self::Float(value) => serializer.serialize_f64(*value),
            Self::String(value) => serializer.serialize_str(value),
            Self::Object(raw) | Self::Array(raw) => raw.serialize(serializer),
            Self::Null => serializer.serialize_unit(),
        }
    }
}

impl<'de> Deserialize<'de> for ParamValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ParamValueRef::deserialize(deserializer).map(ParamValueRef::into_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_json_kind() {
        let doc: ParamsDocument = serde_json::from_str(
            r#"{"D":{"b":true,"i":-5,"f":25.50000,"s":"x","o":{"k":1},"a":[1,"2"],"big":18446744073709551615}}"#,
        )
        .expect("valid document");
        let device = doc.device("D").expect("device D");
        assert_eq!(device.get("b"), Some(&ParamValue::Bool(true)));
        assert_eq!(device.get("i"), Some(&ParamValue::Int(-5)));
        assert_eq!(device.get("f"), Some(&ParamValue::Float(25.5)));
        assert_eq!(device.get("s").and_then(ParamValue::as_str), Some("x"));
        assert_eq!(device.get("o").map(ParamValue::kind), Some("object"));
        assert_eq!(device.get("a").map(ParamValue::kind), Some("array"));
        assert_eq!(device.get("big").map(ParamValue::kind), Some("float"));
    }

    #[test]
    fn ints_read_as_floats() {
        assert_eq!(ParamValue::Int(25).as_f64(), Some(25.0));
        assert_eq!(ParamValue::Bool(true).as_f64(), None);
    }

    #[test]
    fn order_is_kept_and_duplicates_refused() {
        let text = r#"{"Z":{"b":1,"a":2},"A":{"y":true}}"#;
        let doc: ParamsDocument = serde_json::from_str(text).expect("valid");
        assert_eq!(serde_json::to_string(&doc).expect("encodes"), text);

        let error = serde_json::from_str::<ParamsDocument>(r#"{"D":{"p":1,"p":2}}"#)
            .expect_err("duplicate param");
        assert!(error.to_string().contains("duplicate param `p`"), "{error}");
        assert!(serde_json::from_str::<ParamsDocument>(r#"{"D":{},"D":{}}"#).is_err());
    }

    #[test]
    fn null_is_a_value_and_wrong_shapes_are_errors() {
        let doc: ParamsDocument = serde_json::from_str(r#"{"D":{"p":null}}"#).expect("null");
        assert_eq!(doc.get("D", "p"), Some(&ParamValue::Null));
        assert_eq!(
            serde_json::to_string(&doc).ok().as_deref(),
            Some(r#"{"D":{"p":null}}"#)
        );
        assert!(serde_json::from_str::<ParamsDocument>(r#"{"D":5}"#).is_err());
        assert!(serde_json::from_str::<ParamsDocument>(r#"[]"#).is_err());
    }

    #[test]
    fn insert_replaces_in_place() {
        let mut doc = ParamsDocument::new();
        doc.insert("Light", "Power", true);
        doc.insert("Light", "Brightness", 10);
        assert_eq!(
            doc.insert("Light", "Power", false),
            Some(ParamValue::Bool(true))
        );
        assert_eq!(
            serde_json::to_string(&doc).expect("encodes"),
            r#"{"Light":{"Power":false,"Brightness":10}}"#
        );
        doc.device_mut("Empty");
        doc.prune_empty();
        assert_eq!(doc.len(), 1);
    }
}
