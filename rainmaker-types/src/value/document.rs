//! Owned params documents: [`ParamsDocument`] and the params of one device,
//! [`DeviceParams`], in wire order, looked up through a sorted index once they are
//! large.

use core::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::ParamValue;
use super::keys::{Index, Seen};
use crate::prelude::*;

/// The params of one device (or service) in a [`ParamsDocument`], in wire order.
#[derive(Clone, Default, PartialEq)]
pub struct DeviceParams {
    params: Vec<(String, ParamValue)>,
    index: Index,
}

impl DeviceParams {
    /// No params.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `param`, if present.
    pub fn get(&self, param: &str) -> Option<&ParamValue> {
        let position = self.index.find(&self.params, param)?;
        self.params.get(position).map(|(_, value)| value)
    }

    /// Sets `param`, replacing its value in place or appending it; returns the old
    /// value.
    pub fn insert(
        &mut self,
        param: impl Into<String>,
        value: impl Into<ParamValue>,
    ) -> Option<ParamValue> {
        let param = param.into();
        let value = value.into();
        match self
            .index
            .find(&self.params, &param)
            .and_then(|position| self.params.get_mut(position))
        {
            Some((_, slot)) => Some(core::mem::replace(slot, value)),
            None => {
                self.params.push((param, value));
                self.index.pushed(&self.params);
                None
            }
        }
    }

    /// Removes `param`, returning its value.
    pub fn remove(&mut self, param: &str) -> Option<ParamValue> {
        let position = self.index.find(&self.params, param)?;
        let (_, value) = self.params.remove(position);
        self.index = Index::of(&self.params);
        Some(value)
    }

    /// The `(param, value)` pairs in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &ParamValue)> {
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
#[derive(Clone, Default, PartialEq)]
pub struct ParamsDocument {
    devices: Vec<(String, DeviceParams)>,
    index: Index,
}

impl ParamsDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// The params of `device`, if present.
    pub fn device(&self, device: &str) -> Option<&DeviceParams> {
        let position = self.index.find(&self.devices, device)?;
        self.devices.get(position).map(|(_, params)| params)
    }

    /// The params of `device`, created empty (at the end) if missing.
    pub fn device_mut(&mut self, device: &str) -> &mut DeviceParams {
        let position = match self.index.find(&self.devices, device) {
            Some(position) => position,
            None => {
                self.devices.push((device.to_owned(), DeviceParams::new()));
                self.index.pushed(&self.devices);
                self.devices.len() - 1
            }
        };
        &mut self.devices[position].1
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
        let position = self.index.find(&self.devices, device)?;
        let (_, params) = self.devices.remove(position);
        self.index = Index::of(&self.devices);
        Some(params)
    }

    /// The `(device, params)` pairs in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &DeviceParams)> {
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

    /// Drops devices that have no params (the SDK never publishes them).
    pub fn prune_empty(&mut self) {
        self.devices.retain(|(_, params)| !params.is_empty());
        self.index = Index::of(&self.devices);
    }
}

impl fmt::Debug for DeviceParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl fmt::Debug for ParamsDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
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

impl Serialize for DeviceParams {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.params.len()))?;
        for (name, value) in &self.params {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl Serialize for ParamsDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.devices.len()))?;
        for (name, params) in &self.devices {
            map.serialize_entry(name, params)?;
        }
        map.end()
    }
}

/// Reads a JSON object into ordered pairs, refusing duplicate keys (in n log n for
/// large objects).
fn ordered_entries<'de, A, V>(mut map: A, what: &str) -> Result<Vec<(String, V)>, A::Error>
where
    A: MapAccess<'de>,
    V: Deserialize<'de>,
{
    let mut entries: Vec<(String, V)> = Vec::with_capacity(map.size_hint().unwrap_or(4).min(64));
    let mut seen = Seen::default();
    while let Some(key) = map.next_key::<String>()? {
        if seen.repeats(&entries, &key) {
            return Err(de::Error::custom(format_args!("duplicate {what} `{key}`")));
        }
        let value = map.next_value()?;
        entries.push((key, value));
    }
    Ok(entries)
}

impl<'de> Deserialize<'de> for DeviceParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DeviceParamsVisitor;
        impl<'de> Visitor<'de> for DeviceParamsVisitor {
            type Value = DeviceParams;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of param values")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DeviceParams, A::Error> {
                ordered_entries(map, "param").map(|params| DeviceParams {
                    index: Index::of(&params),
                    params,
                })
            }
        }
        deserializer.deserialize_map(DeviceParamsVisitor)
    }
}

impl<'de> Deserialize<'de> for ParamsDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocumentVisitor;
        impl<'de> Visitor<'de> for DocumentVisitor {
            type Value = ParamsDocument;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a params document ({"<device>": {"<param>": value}})"#)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ParamsDocument, A::Error> {
                ordered_entries(map, "device").map(|devices| ParamsDocument {
                    index: Index::of(&devices),
                    devices,
                })
            }
        }
        deserializer.deserialize_map(DocumentVisitor)
    }
}
