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

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use smallvec::SmallVec;

use super::keys::{self, Index, Seen};
use super::{DeviceParams, ParamValue, ParamsDocument, RAW_VALUE, RawJson};
use crate::prelude::*;
use crate::runtime::payload::decode_json_ref;
use crate::runtime::{DecodeError, PayloadRef, Text};

/// `Debug` (a map) and `Serialize` (a JSON object) of a type whose `iter()` gives
/// its `(name, value)` entries in order.
macro_rules! map_of_entries {
    ($ty:ty) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map().entries(self.iter()).finish()
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.iter())
            }
        }
    };
}

/// A param value borrowed from the payload: a string borrows unless it had escapes;
/// object and array values (rare, and never on the hot path) keep their text.
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
    /// An object param's value, as the sender wrote it.
    Object(RawJson),
    /// An array param's value, as the sender wrote it.
    Array(RawJson),
    /// `null`: no usable value (see [`ParamValue::Null`]).
    Null,
}

impl ParamValueRef<'_> {
    super::scalar_accessors!();

    /// The same value, owned, so it no longer borrows from the payload.
    pub fn detach<'b>(self) -> ParamValueRef<'b> {
        match self {
            Self::Bool(value) => ParamValueRef::Bool(value),
            Self::Int(value) => ParamValueRef::Int(value),
            Self::Float(value) => ParamValueRef::Float(value),
            Self::String(value) => ParamValueRef::String(value.detach()),
            Self::Object(map) => ParamValueRef::Object(map),
            Self::Array(items) => ParamValueRef::Array(items),
            Self::Null => ParamValueRef::Null,
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
            Self::Null => ParamValue::Null,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ParamValueRef<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE, RawOrParsed(PhantomData))
    }
}

/// Reads a param value from its text when the deserializer is serde_json's (which
/// then hands over the text), else as the deserializer parses it (a
/// `serde_json::Value`, for instance).
struct RawOrParsed<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for RawOrParsed<'a> {
    type Value = ParamValueRef<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a param value (bool, number, string, object or array)")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(ParamValueVisitor(PhantomData))
    }

    /// serde_json's raw value: one entry, the value's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some(RawKey) = map.next_key()? else {
            return Err(de::Error::custom("a raw JSON value without its text"));
        };
        let text: Text<'de> = map.next_value()?;
        from_text(text).map_err(de::Error::custom)
    }
}

/// The key of serde_json's raw-value map (its name is not checked: only
/// serde_json calls `visit_map` on [`RawOrParsed`]).
struct RawKey;

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::IgnoredAny::deserialize(deserializer).map(|_| Self)
    }
}

/// A param value from its JSON text, which serde_json has checked: strings borrow
/// unless they have escapes, numbers are read as serde_json reads them (an integer
/// that fits `i64`, else a float), objects and arrays keep their text.
fn from_text(text: Text<'_>) -> Result<ParamValueRef<'_>, serde_json::Error> {
    let value = match text.as_bytes().first() {
        Some(b'{') => ParamValueRef::Object(RawJson::checked(text.into_owned())),
        Some(b'[') => ParamValueRef::Array(RawJson::checked(text.into_owned())),
        Some(b'"') if text.contains('\\') => {
            ParamValueRef::String(serde_json::from_str::<String>(&text)?.into())
        }
        Some(b'"') => ParamValueRef::String(match text.into_cow() {
            Cow::Borrowed(raw) => Text::from(raw.get(1..raw.len() - 1).unwrap_or_default()),
            Cow::Owned(raw) => Text::from(raw.get(1..raw.len() - 1).unwrap_or_default().to_owned()),
        }),
        Some(b't') => ParamValueRef::Bool(true),
        Some(b'f') => ParamValueRef::Bool(false),
        Some(b'n') => ParamValueRef::Null,
        _ => {
            let number: serde_json::Number = serde_json::from_str(&text)?;
            match number.as_i64() {
                Some(int) => ParamValueRef::Int(int),
                None => ParamValueRef::Float(number.as_f64().unwrap_or(f64::NAN)),
            }
        }
    };
    Ok(value)
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
        Ok(ParamValueRef::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Vec::<Value>::deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(|items| ParamValueRef::Array(RawJson::from_value(Value::Array(items))))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Map::<String, Value>::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|map| ParamValueRef::Object(RawJson::from_value(Value::Object(map))))
    }
}

/// The params of one device, viewed in a [`ParamsDocumentRef`], in wire order.
#[derive(Clone, Copy)]
pub struct DeviceParamsRef<'d, 'a> {
    params: &'d [(Text<'a>, ParamValueRef<'a>)],
    /// The positions of `params` sorted by name, for a large device.
    sorted: Option<&'d [u32]>,
}

impl<'d, 'a> DeviceParamsRef<'d, 'a> {
    /// The value of `param`, if present.
    pub fn get(&self, param: &str) -> Option<&'d ParamValueRef<'a>> {
        let position = match self.sorted {
            None => self
                .params
                .iter()
                .position(|(name, _)| name.as_str() == param)?,
            Some(sorted) => {
                let found = sorted
                    .binary_search_by(|at| self.name_at(*at).cmp(param))
                    .ok()?;
                *sorted.get(found)? as usize
            }
        };
        self.params.get(position).map(|(_, value)| value)
    }

    fn name_at(&self, position: u32) -> &'d str {
        self.params
            .get(position as usize)
            .map_or("", |(name, _)| name.as_str())
    }

    /// The `(param, value)` pairs in order.
    pub fn iter(
        &self,
    ) -> impl ExactSizeIterator<Item = (&'d str, &'d ParamValueRef<'a>)> + use<'d, 'a> {
        self.params
            .iter()
            .map(|(name, value)| (name.as_str(), value))
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

impl PartialEq for DeviceParamsRef<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
    }
}

map_of_entries!(DeviceParamsRef<'_, '_>);

/// A params document borrowed from the payload: `{"<device>": {"<param>": value}}`,
/// in wire order.
///
/// Every param of every device is held in one list, inline for a document of one
/// device with up to three params (the delta a node sends after a local change), so
/// decoding one allocates nothing; larger documents spill to the heap and, once
/// large, are looked up through sorted indexes. The inline part is kept small
/// because the document is moved on its way out of the decoder.
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
    /// Every device's params, device after device.
    params: Params<'a>,
    /// Each device's name and the range of its params in `params`.
    devices: SmallVec<[(Text<'a>, (u32, u32)); 1]>,
    /// Sorted indexes, for a large document only (boxed: the document stays small
    /// enough to move cheaply).
    lookup: Option<Box<Lookup>>,
}

/// How many more params a document makes room for when it outgrows the inline part.
const SPILL: usize = 29;

/// How many more devices a document makes room for when it names more than one.
const SPILL_DEVICES: usize = 7;

/// A document's params, inline up to a delta's usual few.
type Params<'a> = SmallVec<[(Text<'a>, ParamValueRef<'a>); 3]>;

/// The sorted indexes of a large [`ParamsDocumentRef`].
#[derive(Debug, Clone, PartialEq)]
struct Lookup {
    /// The devices by name.
    devices: Index,
    /// When some device has many params: the positions of `params` sorted by device,
    /// then name (so each device's range of this list is its params by name).
    params: Option<Vec<u32>>,
}

impl<'a> ParamsDocumentRef<'a> {
    /// The params of `device`, if present.
    pub fn device(&self, device: &str) -> Option<DeviceParamsRef<'_, 'a>> {
        let (_, range) = self.devices.get(self.device_position(device)?)?;
        Some(self.view(*range))
    }

    fn device_position(&self, device: &str) -> Option<usize> {
        match &self.lookup {
            Some(lookup) => lookup.devices.find(&self.devices, device),
            None => self
                .devices
                .iter()
                .position(|(name, _)| name.as_str() == device),
        }
    }

    fn view(&self, (start, end): (u32, u32)) -> DeviceParamsRef<'_, 'a> {
        let range = start as usize..end as usize;
        DeviceParamsRef {
            params: self.params.get(range.clone()).unwrap_or_default(),
            sorted: self
                .lookup
                .as_ref()
                .and_then(|lookup| lookup.params.as_ref())
                .and_then(|sorted| sorted.get(range)),
        }
    }

    /// The value of `param` of `device`, if present.
    pub fn get(&self, device: &str, param: &str) -> Option<&ParamValueRef<'a>> {
        self.device(device)?.get(param)
    }

    /// The `(device, params)` pairs in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, DeviceParamsRef<'_, 'a>)> {
        self.devices
            .iter()
            .map(|(name, range)| (name.as_str(), self.view(*range)))
    }

    /// How many devices the document names.
    pub fn len(&self) -> usize {
        self.devices.len()
    }

    /// Whether the document names no device.
    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// The same document with every name and string copied, so it no longer
    /// borrows from the payload (and may be given any lifetime).
    pub fn detach<'b>(self) -> ParamsDocumentRef<'b> {
        ParamsDocumentRef {
            params: self
                .params
                .into_iter()
                .map(|(name, value)| (name.detach(), value.detach()))
                .collect(),
            devices: self
                .devices
                .into_iter()
                .map(|(name, range)| (name.detach(), range))
                .collect(),
            lookup: self.lookup,
        }
    }

    /// The owned document.
    pub fn to_owned_document(&self) -> ParamsDocument {
        let mut document = ParamsDocument::new();
        for (device, params) in self.iter() {
            *document.device_mut(device) = params.to_owned_params();
        }
        document
    }

    /// Indexes a large document once it is read: its devices by name, and each large
    /// device's params by name.
    fn index(&mut self) {
        let devices = Index::of(&self.devices);
        let large = self
            .devices
            .iter()
            .any(|(_, (start, end))| (end - start) as usize > keys::SMALL);
        let params = large.then(|| {
            // Each device's block holds positions within the device (what
            // `DeviceParamsRef::get` indexes its own params with), sorted by name.
            let mut sorted = vec![0u32; self.params.len()];
            for (_, (start, end)) in &self.devices {
                let range = *start as usize..*end as usize;
                let device = self.params.get(range.clone()).unwrap_or_default();
                let name = |at: u32| device.get(at as usize).map_or("", |(n, _)| n.as_str());
                if let Some(block) = sorted.get_mut(range) {
                    for (slot, position) in block.iter_mut().zip(0u32..) {
                        *slot = position;
                    }
                    keys::sort_by_key_text(block, &name);
                }
            }
            sorted
        });
        if devices.is_indexed() || params.is_some() {
            self.lookup = Some(Box::new(Lookup { devices, params }));
        }
    }
}

map_of_entries!(ParamsDocumentRef<'_>);

impl<'a> PayloadRef<'a> for ParamsDocumentRef<'a> {
    fn decode_ref(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        decode_json_ref(bytes)
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
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut document = ParamsDocumentRef {
                    params: SmallVec::new(),
                    devices: SmallVec::new(),
                    lookup: None,
                };
                let mut seen = Seen::default();
                while let Some(device) = map.next_key::<Text<'a>>()? {
                    if seen.repeats(&document.devices, &device) {
                        return Err(de::Error::custom(format_args!(
                            "duplicate device `{device}`"
                        )));
                    }
                    let start = position(document.params.len())?;
                    map.next_value_seed(DeviceSeed(&mut document.params))?;
                    let end = position(document.params.len())?;
                    if document.devices.len() == document.devices.inline_size() {
                        document.devices.reserve(SPILL_DEVICES);
                    }
                    document.devices.push((device, (start, end)));
                }
                document.index();
                Ok(document)
            }
        }
        deserializer.deserialize_map(DocumentVisitor(PhantomData))
    }
}

/// A position in a document's lists (a document of more than 2^32 params cannot
/// arrive in one payload, but is refused rather than wrapped).
fn position<E: de::Error>(len: usize) -> Result<u32, E> {
    u32::try_from(len).map_err(|_| E::custom("too many params"))
}

/// Reads one device's params, appending them to the document's list.
struct DeviceSeed<'v, 'a>(&'v mut Params<'a>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for DeviceSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for DeviceSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of param values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let start = self.0.len();
        let mut seen = Seen::default();
        while let Some(param) = map.next_key::<Text<'a>>()? {
            if seen.repeats(self.0.get(start..).unwrap_or_default(), &param) {
                return Err(de::Error::custom(format_args!("duplicate param `{param}`")));
            }
            let value = map.next_value::<ParamValueRef<'a>>()?;
            if self.0.len() == self.0.inline_size() {
                // Leaving the inline part: room for a whole document at once rather
                // than doubling from three.
                self.0.reserve(SPILL);
            }
            self.0.push((param, value));
        }
        Ok(())
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
    fn duplicates_and_bad_values_are_refused_as_in_the_owned_document() {
        for text in [
            r#"{"D":{"p":1,"p":2}}"#,
            r#"{"D":{},"D":{}}"#,
            r#"{"D":{"p":[}}"#,
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
