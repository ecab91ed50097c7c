//! Support code for `#[derive(Device)]`; not a public API.

use super::{ParamField, WriteRejection};
use crate::messages::DataType;
use crate::prelude::*;
use crate::value::ParamValue;

pub use alloc::string::String;
pub use core::option::Option::{self, None, Some};
pub use core::result::Result::{self, Err, Ok};

/// Fails compilation (in a `const`) when `T` is not a param type of `kind`.
pub const fn assert_kind<T: ParamField>(kind: DataType) {
    assert!(
        T::KIND as u8 == kind as u8,
        "the field's Rust type does not have the param's data type"
    );
}

/// The value of a bool, int, float or string field.
pub fn get_scalar<T: ParamField>(field: &T) -> Option<ParamValue> {
    Some(field.to_param_value())
}

/// A bool, int, float or string field's new value.
pub fn convert_scalar<T: ParamField>(value: &ParamValue) -> Result<T, WriteRejection> {
    T::from_param_value(value)
}

/// The value of an object or array field, through serde.
pub fn get_serde<T: serde::Serialize>(field: &T) -> Option<ParamValue> {
    serde_json::to_value(field).ok().map(ParamValue::from)
}

/// An object or array field's new value, through serde.
pub fn convert_serde<T: serde::de::DeserializeOwned>(
    value: &ParamValue,
) -> Result<T, WriteRejection> {
    serde_json::from_value(value.to_json())
        .map_err(|error| WriteRejection::Malformed(error.to_string()))
}

/// Runs a write hook and turns its refusal into [`WriteRejection::Vetoed`].
pub fn hook_result(result: Result<(), String>) -> Result<(), WriteRejection> {
    result.map_err(WriteRejection::Vetoed)
}
