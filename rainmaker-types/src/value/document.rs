//! Owned params documents: [`ParamsDocument`] and the params of one device,
//! [`DeviceParams`], in wire order, looked up through a sorted index once they are
//! large.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::ParamValue;
use super::keys::{Index, Seen};
use crate::prelude::*;

/// Named values in wire order, looked up through a sorted index once there are
/// many: what [`DeviceParams`] (param values) and [`ParamsDocument`] (devices) hold.
#[derive(Clone, PartialEq)]
struct Named<T> {
    entries: Vec<(String, T)>,
    index: Index,
}

impl<T> Default for Named<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            index: Index::default(),
        }
    }
}

impl<T> Named<T> {
    fn position(&self, name: &str) -> Option<usize> {
        self.index.find(&self.entries, name)
    }

    fn get(&self, name: &str) -> Option<&T> {
        self.entries
            .get(self.position(name)?)
            .map(|(_, value)| value)
    }

    /// The value of `name`, made by `make` (at the end) if missing.
    fn get_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> T) -> &mut T {
        let position = match self.position(name) {
            Some(position) => position,
            None => {
                self.entries.push((name.to_owned(), make()));
                self.index.pushed(&self.entries);
                self.entries.len() - 1
            }
        };
        &mut self.entries[position].1
    }

    fn insert(&mut self, name: String, value: T) -> Option<T> {
        match self.position(&name) {
            Some(position) => Some(core::mem::replace(&mut self.entries[position].1, value)),
            None => {
                self.entries.push((name, value));
                self.index.pushed(&self.entries);
                None
            }
        }
    }

    fn remove(&mut self, name: &str) -> Option<T> {
        let position = self.position(name)?;
        let (_, value) = self.entries.remove(position);
        self.index = Index::of(&self.entries);
        Some(value)
    }

    fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.entries.retain(|(_, value)| keep(value));
        self.index = Index::of(&self.entries);
    }

    fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &T)> {
        self.entries
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }
}

impl<T: fmt::Debug> fmt::Debug for Named<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// `iter`, `len` and `is_empty` of a public wrapper around `Named<$value>`, with
/// their doc comments.
macro_rules! named_accessors {
    ($value:ty, $iter:literal, $len:literal, $is_empty:literal) => {
        #[doc = $iter]
        pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &$value)> {
            self.0.iter()
        }

        #[doc = $len]
        pub fn len(&self) -> usize {
            self.0.entries.len()
        }

        #[doc = $is_empty]
        pub fn is_empty(&self) -> bool {
            self.0.entries.is_empty()
        }
    };
}

/// What the values of a [`Named`] are called, for decode errors.
trait NamedValue {
    /// One value (`param`), in "duplicate param `x`".
    const WHAT: &'static str;
    /// What the JSON object must be.
    const EXPECTING: &'static str;
}

impl NamedValue for ParamValue {
    const WHAT: &'static str = "param";
    const EXPECTING: &'static str = "an object of param values";
}

impl NamedValue for DeviceParams {
    const WHAT: &'static str = "device";
    const EXPECTING: &'static str = r#"a params document ({"<device>": {"<param>": value}})"#;
}

/// Reads a JSON object into ordered pairs, refusing duplicate keys (in n log n for
/// large objects).
impl<'de, T: Deserialize<'de> + NamedValue> Deserialize<'de> for Named<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + NamedValue> Visitor<'de> for NamedVisitor<T> {
            type Value = Named<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Named<T>, A::Error> {
                let mut entries: Vec<(String, T)> =
                    Vec::with_capacity(map.size_hint().unwrap_or(4).min(64));
                let mut seen = Seen::default();
                while let Some(key) = map.next_key::<String>()? {
                    if seen.repeats(&entries, &key) {
                        return Err(de::Error::custom(format_args!(
                            "duplicate {} `{key}`",
                            T::WHAT
                        )));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Named {
                    index: Index::of(&entries),
                    entries,
                })
            }
        }
        deserializer.deserialize_map(NamedVisitor(PhantomData))
    }
}

/// The params of one device (or service) in a [`ParamsDocument`], in wire order.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceParams(Named<ParamValue>);

impl DeviceParams {
    /// No params.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `param`, if present.
    pub fn get(&self, param: &str) -> Option<&ParamValue> {
        self.0.get(param)
    }

    /// Sets `param`, replacing its value in place or appending it; returns the old
    /// value.
    pub fn insert(
        &mut self,
        param: impl Into<String>,
        value: impl Into<ParamValue>,
    ) -> Option<ParamValue> {
        self.0.insert(param.into(), value.into())
    }

    /// Removes `param`, returning its value.
    pub fn remove(&mut self, param: &str) -> Option<ParamValue> {
        self.0.remove(param)
    }

    named_accessors!(
        ParamValue,
        "The `(param, value)` pairs in order.",
        "How many params there are.",
        "Whether there are no params."
    );
}

impl<K: Into<String>, V: Into<ParamValue>> FromIterator<(K, V)> for DeviceParams {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut params = Self::new();
        for (name, value) in iter {
            params.insert(name, value);
        }
        params
    }
}

/// A params document: `{"<device>": {"<param>": value}}`, in wire order.
///
/// ```
/// use rainmaker_types::{ParamValue, ParamsDocument};
///
/// let doc: ParamsDocument = serde_json::from_str(r#"{"Light":{"Power":true,"Brightness":60}}"#)?;
/// assert_eq!(doc.get("Light", "Brightness"), Some(&ParamValue::Int(60)));
/// assert_eq!(serde_json::to_string(&doc)?, r#"{"Light":{"Power":true,"Brightness":60}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ParamsDocument(Named<DeviceParams>);

impl ParamsDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// The params of `device`, if present.
    pub fn device(&self, device: &str) -> Option<&DeviceParams> {
        self.0.get(device)
    }

    /// The params of `device`, created empty (at the end) if missing.
    pub fn device_mut(&mut self, device: &str) -> &mut DeviceParams {
        self.0.get_or_insert_with(device, DeviceParams::new)
    }

    /// The value of `param` of `device`, if present.
    pub fn get(&self, device: &str, param: &str) -> Option<&ParamValue> {
        self.device(device)?.get(param)
    }

    /// Sets one value; returns the old one.
    pub fn insert(
        &mut self,
        device: &str,
        param: impl Into<String>,
        value: impl Into<ParamValue>,
    ) -> Option<ParamValue> {
        self.device_mut(device).insert(param, value)
    }

    /// Removes a device with all its params.
    pub fn remove_device(&mut self, device: &str) -> Option<DeviceParams> {
        self.0.remove(device)
    }

    named_accessors!(
        DeviceParams,
        "The `(device, params)` pairs in order.",
        "How many devices the document names.",
        "Whether the document names no device."
    );

    /// Drops devices that have no params (the SDK never publishes them).
    pub fn prune_empty(&mut self) {
        self.0.retain(|params| !params.is_empty());
    }
}

/// A JSON object that is not a params document: the member at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{device}` is not an object of param values")]
pub struct NotParamsDocument {
    /// The member whose value is not an object.
    pub device: String,
}

/// A params document from a JSON object (a schedule's or scene's `action`), member
/// order kept.
impl TryFrom<serde_json::Map<String, serde_json::Value>> for ParamsDocument {
    type Error = NotParamsDocument;

    fn try_from(object: serde_json::Map<String, serde_json::Value>) -> Result<Self, Self::Error> {
        let mut document = Self::new();
        for (device, params) in object {
            let serde_json::Value::Object(params) = params else {
                return Err(NotParamsDocument { device });
            };
            let target = document.device_mut(&device);
            for (param, value) in params {
                target.insert(param, ParamValue::from(value));
            }
        }
        Ok(document)
    }
}

impl fmt::Debug for DeviceParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Debug for ParamsDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Compact JSON: `{"Power":true,"Brightness":25}`.
impl fmt::Display for DeviceParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_json(f, self)
    }
}

/// Compact JSON, as on the wire.
///
/// ```
/// use rainmaker_types::ParamsDocument;
///
/// let mut doc = ParamsDocument::new();
/// doc.insert("Light", "Power", true);
/// assert_eq!(doc.to_string(), r#"{"Light":{"Power":true}}"#);
/// ```
impl fmt::Display for ParamsDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_json(f, self)
    }
}
