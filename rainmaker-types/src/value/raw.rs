//! [`RawJson`]: an object or array param value as the sender wrote it.

use alloc::borrow::Cow;
use core::fmt;

use serde::ser::SerializeStruct as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::prelude::*;

/// The name serde_json gives its raw values: its deserializer, asked for a newtype
/// struct of this name, hands over the value's text instead of parsing it, and its
/// serializers write a struct of this name (one field, the text) verbatim.
pub(crate) const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// An object or array param value: as the sender wrote it when it was received
/// (its text, checked when it was read and written back byte for byte: `2.50`
/// stays `2.50`, `1e3` stays `1e3`, in both JSON flavours, as the SDK embeds such
/// values verbatim), or as the node made it (its own schedule list, written by
/// whichever writer publishes it: the SDK writer's `%.5f` floats, for one).
///
/// ```
/// use rainmaker_types::ParamsDocument;
///
/// let doc: ParamsDocument = serde_json::from_str(r#"{"D":{"o":{"offset":-1.5,"x":2.50}}}"#)?;
/// let raw = doc.get("D", "o").and_then(|value| value.as_raw()).expect("an object");
/// assert_eq!(raw.text(), r#"{"offset":-1.5,"x":2.50}"#);
/// assert_eq!(raw.to_value()["x"], 2.5);
/// assert_eq!(serde_json::to_string(&doc)?, r#"{"D":{"o":{"offset":-1.5,"x":2.50}}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct RawJson(Repr);

#[derive(Clone)]
enum Repr {
    /// Received: the sender's text, checked.
    Text(Box<str>),
    /// Made here.
    Value(Value),
}

impl RawJson {
    /// Checks `text` as one JSON value and keeps it as it is.
    ///
    /// # Errors
    ///
    /// serde_json's error when `text` is not one JSON value.
    pub fn from_text(text: String) -> Result<Self, serde_json::Error> {
        serde_json::from_str::<serde::de::IgnoredAny>(&text)?;
        Ok(Self::checked(text))
    }

    /// Text serde_json has already checked (a raw value it handed over).
    pub(crate) fn checked(text: String) -> Self {
        Self(Repr::Text(text.into_boxed_str()))
    }

    /// A value made here, written by whichever writer publishes it.
    pub fn from_value(value: Value) -> Self {
        Self(Repr::Value(value))
    }

    /// The JSON text: as received, or compact for a value made here.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Text(raw) => Cow::Borrowed(raw),
            Repr::Value(value) => Cow::Owned(value.to_string()),
        }
    }

    /// The value, parsed (received text was checked when it was read).
    pub fn to_value(&self) -> Value {
        match &self.0 {
            Repr::Text(raw) => serde_json::from_str(raw).unwrap_or(Value::Null),
            Repr::Value(value) => value.clone(),
        }
    }

    /// How many elements an array has (0 for an object).
    pub fn array_len(&self) -> usize {
        match &self.0 {
            Repr::Text(_) => self.to_value().as_array().map_or(0, Vec::len),
            Repr::Value(value) => value.as_array().map_or(0, Vec::len),
        }
    }
}

impl PartialEq for RawJson {
    /// Received values compare by text (`{"a":1}` and `{"a": 1}` differ, as on the
    /// wire); a value made here compares by value.
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Text(left), Repr::Text(right)) => left == right,
            (Repr::Value(left), Repr::Value(right)) => left == right,
            (Repr::Text(raw), Repr::Value(value)) | (Repr::Value(value), Repr::Text(raw)) => {
                serde_json::from_str::<Value>(raw).is_ok_and(|parsed| parsed == *value)
            }
        }
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for RawJson {
    /// Received text verbatim, through serde_json's raw-value protocol (which
    /// serde_json's serializers and the SDK writer, [`crate::sdk_json`], honour); a
    /// value made here as the serializer writes values.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Text(raw) => {
                // serde_json's raw-value protocol: one field, the text.
                let mut raw_value = serializer.serialize_struct(RAW_VALUE, 1)?;
                raw_value.serialize_field(RAW_VALUE, raw)?;
                raw_value.end()
            }
            Repr::Value(value) => value.serialize(serializer),
        }
    }
}
