//! Borrowed params documents: a view of the payload bytes, for code that reads
//! many documents (a cloud service ingesting node traffic).
//!
//! Keys and string values borrow from the payload when they need no unescaping;
//! object and array values stay as their raw JSON text; a document of a few devices
//! with a few params each (every delta a node sends) is held inline, so decoding it
//! allocates nothing. Large documents are looked up through a sorted index.

use alloc::borrow::Cow;
use core::fmt;
use core::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use smallvec::SmallVec;

use super::keys::{Index, Seen};
use super::{DeviceParams, ParamValue, ParamsDocument};
use crate::prelude::*;

/// A param value borrowed from the payload.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValueRef<'a> {
    /// `true` / `false`.
    Bool(bool),
    /// A JSON integer that fits `i64`.
    Int(i64),
    /// Any other JSON number.
    Float(f64),
    /// A string: borrowed unless it had escapes.
    String(Cow<'a, str>),
    /// An object param's value, as its JSON text (`{...}`).
    Object(&'a str),
    /// An array param's value, as its JSON text (`[...]`).
    Array(&'a str),
}

impl ParamValueRef<'_> {
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

    /// The number, if this is a float or an integer.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Self::Float(value) => Some(value),
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

    /// The owned value.
    ///
    /// # Errors
    ///
    /// The JSON error of an object or array value that does not decode (it cannot
    /// happen for a value read from a payload: its text was checked).
    pub fn to_owned_value(&self) -> Result<ParamValue, serde_json::Error> {
        Ok(match self {
            Self::Bool(value) => ParamValue::Bool(*value),
            Self::Int(value) => ParamValue::Int(*value),
            Self::Float(value) => ParamValue::Float(*value),
            Self::String(value) => ParamValue::String(value.clone().into_owned()),
            Self::Object(text) | Self::Array(text) => serde_json::from_str(text)?,
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ParamValueRef<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        Ok(match text.as_bytes().first() {
            Some(b'{') => Self::Object(text),
            Some(b'[') => Self::Array(text),
            Some(b't') => Self::Bool(true),
            Some(b'f') => Self::Bool(false),
            Some(b'n') => {
                return Err(de::Error::invalid_type(
                    de::Unexpected::Unit,
                    &"a param value (bool, number, string, object or array)",
                ));
            }
            Some(b'"') => Self::String(string(text).map_err(de::Error::custom)?),
            _ => match text.parse::<i64>() {
                Ok(int) => Self::Int(int),
                Err(_) => Self::Float(text.parse::<f64>().map_err(de::Error::custom)?),
            },
        })
    }
}

/// The contents of a JSON string literal (already checked by the JSON reader):
/// borrowed when it has no escape.
fn string(literal: &str) -> Result<Cow<'_, str>, serde_json::Error> {
    match literal
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) if !inner.contains('\\') => Ok(Cow::Borrowed(inner)),
        _ => serde_json::from_str::<String>(literal).map(Cow::Owned),
    }
}

/// A key borrowed from the payload unless it had escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value))
    }
}

/// Ordered `(key, value)` pairs, held inline up to `N`.
type Entries<'a, V, const N: usize> = SmallVec<[(Cow<'a, str>, V); N]>;

/// Reads a JSON object into ordered pairs with borrowed keys, refusing duplicates.
fn entries<'de: 'a, 'a, A, V, const N: usize>(
    mut map: A,
    what: &str,
) -> Result<Entries<'a, V, N>, A::Error>
where
    A: MapAccess<'de>,
    V: Deserialize<'de>,
{
    let mut entries: Entries<'a, V, N> = SmallVec::new();
    let mut seen = Seen::default();
    while let Some(key) = map.next_key_seed(Key)? {
        if seen.repeats(&entries, &key) {
            return Err(de::Error::custom(format_args!("duplicate {what} `{key}`")));
        }
        let value = map.next_value()?;
        entries.push((key, value));
    }
    Ok(entries)
}

/// The params of one device, borrowed.
#[derive(Clone, PartialEq)]
pub struct DeviceParamsRef<'a> {
    params: Entries<'a, ParamValueRef<'a>, 6>,
    index: Index,
}

impl<'a> DeviceParamsRef<'a> {
    /// The value of `param`, if present.
    pub fn get(&self, param: &str) -> Option<&ParamValueRef<'a>> {
        let position = self.index.find(&self.params, param)?;
        self.params.get(position).map(|(_, value)| value)
    }

    /// The `(param, value)` pairs in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &ParamValueRef<'a>)> {
        self.params
            .iter()
            .map(|(name, value)| (name.as_ref(), value))
    }

    /// How many params there are.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Whether there are no params.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// The owned params.
    ///
    /// # Errors
    ///
    /// As [`ParamValueRef::to_owned_value`].
    pub fn to_owned_params(&self) -> Result<DeviceParams, serde_json::Error> {
        let mut params = DeviceParams::new();
        for (name, value) in self.iter() {
            params.insert(name, value.to_owned_value()?);
        }
        Ok(params)
    }
}

impl fmt::Debug for DeviceParamsRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for DeviceParamsRef<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // SmallVec is invariant in its item type, so the visitor names `'a`.
        struct ParamsVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for ParamsVisitor<'a> {
            type Value = DeviceParamsRef<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of param values")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let params = entries(map, "param")?;
                Ok(DeviceParamsRef {
                    index: Index::of(&params),
                    params,
                })
            }
        }
        deserializer.deserialize_map(ParamsVisitor(PhantomData))
    }
}

/// A params document borrowed from the payload: `{"<device>": {"<param>": value}}`,
/// in wire order.
///
/// ```
/// use rainmaker_types::value::ParamsDocumentRef;
///
/// let payload = br#"{"Light":{"Power":true,"Name":"Hall"}}"#;
/// let doc: ParamsDocumentRef<'_> = serde_json::from_slice(payload)?;
/// assert_eq!(doc.get("Light", "Power").and_then(|v| v.as_bool()), Some(true));
/// assert_eq!(doc.get("Light", "Name").and_then(|v| v.as_str()), Some("Hall"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct ParamsDocumentRef<'a> {
    devices: Entries<'a, DeviceParamsRef<'a>, 2>,
    index: Index,
}

impl<'a> ParamsDocumentRef<'a> {
    /// The params of `device`, if present.
    pub fn device(&self, device: &str) -> Option<&DeviceParamsRef<'a>> {
        let position = self.index.find(&self.devices, device)?;
        self.devices.get(position).map(|(_, params)| params)
    }

    /// The value of `param` of `device`, if present.
    pub fn get(&self, device: &str, param: &str) -> Option<&ParamValueRef<'a>> {
        self.device(device)?.get(param)
    }

    /// The `(device, params)` pairs in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &DeviceParamsRef<'a>)> {
        self.devices
            .iter()
            .map(|(name, params)| (name.as_ref(), params))
    }

    /// How many devices the document names.
    pub fn len(&self) -> usize {
        self.devices.len()
    }

    /// Whether the document names no device.
    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// The owned document.
    ///
    /// # Errors
    ///
    /// As [`ParamValueRef::to_owned_value`].
    pub fn to_owned_document(&self) -> Result<ParamsDocument, serde_json::Error> {
        let mut document = ParamsDocument::new();
        for (device, params) in self.iter() {
            *document.device_mut(device) = params.to_owned_params()?;
        }
        Ok(document)
    }
}

impl fmt::Debug for ParamsDocumentRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ParamsDocumentRef<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // SmallVec is invariant in its item type, so the visitor names `'a`.
        struct DocumentVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for DocumentVisitor<'a> {
            type Value = ParamsDocumentRef<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a params document ({"<device>": {"<param>": value}})"#)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let devices = entries(map, "device")?;
                Ok(ParamsDocumentRef {
                    index: Index::of(&devices),
                    devices,
                })
            }
        }
        deserializer.deserialize_map(DocumentVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_borrowed_document_reads_as_the_owned_one() {
        let text = r#"{"D":{"b":true,"i":-5,"f":25.50000,"s":"x","e":"a\"b","o":{"k":[1]},"a":[1,"2"],"big":18446744073709551615},"E":{}}"#;
        let borrowed: ParamsDocumentRef<'_> = serde_json::from_str(text).expect("valid");
        let owned: ParamsDocument = serde_json::from_str(text).expect("valid");
        assert_eq!(borrowed.to_owned_document().expect("converts"), owned);
        assert!(matches!(
            borrowed.get("D", "s"),
            Some(ParamValueRef::String(Cow::Borrowed("x")))
        ));
        assert!(matches!(
            borrowed.get("D", "e"),
            Some(ParamValueRef::String(Cow::Owned(_)))
        ));
        assert_eq!(
            borrowed.get("D", "f").and_then(ParamValueRef::as_f64),
            Some(25.5)
        );
        assert_eq!(
            borrowed.get("D", "big").and_then(ParamValueRef::as_f64),
            Some(18446744073709551615.0)
        );
        assert_eq!(
            borrowed.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            ["D", "E"]
        );
    }

    #[test]
    fn duplicates_and_null_are_refused_as_in_the_owned_document() {
        for text in [
            r#"{"D":{"p":1,"p":2}}"#,
            r#"{"D":{},"D":{}}"#,
            r#"{"D":{"p":null}}"#,
            "[]",
        ] {
            assert!(
                serde_json::from_str::<ParamsDocumentRef<'_>>(text).is_err(),
                "{text}"
            );
            assert!(
                serde_json::from_str::<ParamsDocument>(text).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn large_documents_are_looked_up_by_index() {
        let params: Vec<String> = (0..500).map(|n| format!(r#""p{n}":{n}"#)).collect();
        let text = format!(r#"{{"D":{{{}}}}}"#, params.join(","));
        let doc: ParamsDocumentRef<'_> = serde_json::from_str(&text).expect("valid");
        assert_eq!(
            doc.get("D", "p499").and_then(ParamValueRef::as_i64),
            Some(499)
        );
        assert_eq!(doc.get("D", "p500"), None);
    }
}
