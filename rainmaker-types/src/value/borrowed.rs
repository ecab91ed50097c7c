//! Borrowed params documents: a view of the payload bytes, for code that reads
//! many documents (a cloud service ingesting node traffic).
//!
//! Keys and string values borrow from the payload when they need no unescaping;
//! object and array values stay as their raw JSON text; a document of a few devices
//! with a few params each (every delta a node sends) is held inline, so decoding it
//! allocates nothing. Large documents are looked up through a sorted index.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use smallvec::SmallVec;

use super::keys::{Index, Seen};
use super::{DeviceParams, ParamValue, ParamsDocument};
use crate::prelude::*;
use crate::runtime::payload::decode_json_ref;
use crate::runtime::{DecodeError, PayloadRef, Text};

/// A param value borrowed from the payload: a string borrows unless it had escapes;
/// object and array values (rare, and never on the hot path) are owned JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValueRef<'a> {
    /// `true` / `false`.
    Bool(bool),
    /// A JSON integer that fits `i64`.
    Int(i64),
    /// Any other JSON number.
    Float(f64),
    /// A string.
    String(Text<'a>),
    /// An object param's value.
    Object(Map<String, Value>),
    /// An array param's value.
    Array(Vec<Value>),
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
    pub fn into_owned(self) -> ParamValue {
        match self {
            Self::Bool(value) => ParamValue::Bool(value),
            Self::Int(value) => ParamValue::Int(value),
            Self::Float(value) => ParamValue::Float(value),
            Self::String(value) => ParamValue::String(value.into_owned()),
            Self::Object(map) => ParamValue::Object(map),
            Self::Array(items) => ParamValue::Array(items),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ParamValueRef<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ParamValueVisitor(PhantomData))
    }
}

/// Reads a param value; [`ParamValue`] is read through it too, so both accept and
/// refuse exactly the same input.
struct ParamValueVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ParamValueVisitor<'a> {
    type Value = ParamValueRef<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a param value (bool, number, string, object or array)")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        Ok(ParamValueRef::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        Ok(ParamValueRef::Int(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
        // Integers beyond i64 keep their magnitude as a float rather than wrapping.
        #[allow(clippy::cast_precision_loss)]
        Ok(i64::try_from(value).map_or(ParamValueRef::Float(value as f64), ParamValueRef::Int))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(ParamValueRef::Float(value))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(ParamValueRef::String(Text::from(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(ParamValueRef::String(Text::from(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
        Ok(ParamValueRef::String(Text::from(value)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(E::invalid_type(de::Unexpected::Unit, &self))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Vec::<Value>::deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(ParamValueRef::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Map::<String, Value>::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(ParamValueRef::Object)
    }
}

/// Ordered `(key, value)` pairs, held inline up to `N`.
type Entries<'a, V, const N: usize> = SmallVec<[(Text<'a>, V); N]>;

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
    while let Some(key) = map.next_key::<Text<'a>>()? {
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
    pub fn to_owned_params(&self) -> DeviceParams {
        let mut params = DeviceParams::new();
        for (name, value) in self.iter() {
            params.insert(name, value.clone().into_owned());
        }
        params
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
            .map(|(name, params)| (name.as_str(), params))
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
    pub fn to_owned_document(&self) -> ParamsDocument {
        let mut document = ParamsDocument::new();
        for (device, params) in self.iter() {
            *document.device_mut(device) = params.to_owned_params();
        }
        document
    }
}

impl Serialize for DeviceParamsRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl Serialize for ParamsDocumentRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'a> PayloadRef<'a> for ParamsDocumentRef<'a> {
    fn decode_ref(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        decode_json_ref(bytes)
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
        assert_eq!(borrowed.to_owned_document(), owned);
        assert!(matches!(
            borrowed.get("D", "s"),
            Some(ParamValueRef::String(text)) if text.is_borrowed() && *text == "x"
        ));
        assert!(matches!(
            borrowed.get("D", "e"),
            Some(ParamValueRef::String(text)) if !text.is_borrowed()
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
