//! [`ParamField`]: the Rust types a derived device's fields may have, and how each
//! turns into a param value and back.

use super::{Limit, WriteRejection};
use crate::messages::DataType;
use crate::prelude::*;
use crate::value::ParamValue;

/// A Rust type that holds a bool, int, float or string param.
///
/// Implemented for `bool`, `i8` to `i64`, `u8` to `u32`, `f32`, `f64` and `String`.
/// Implement it for a newtype to use it as a scalar param (with
/// `#[param(data_type = "...")]`, which must equal [`ParamField::KIND`] or the derive
/// fails to compile). Object and array params use serde instead (any
/// `Serialize + DeserializeOwned` type, or `serde_json::Value`).
pub trait ParamField: Sized {
    /// The data type of params of this Rust type.
    const KIND: DataType;

    /// The value to report.
    fn to_param_value(&self) -> ParamValue;

    /// The field value for an already validated `value`; an error if this type cannot
    /// hold it (for example 300 for a `u8`).
    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection>;
}

fn wrong_type(expected: DataType, value: &ParamValue) -> WriteRejection {
    WriteRejection::WrongType {
        expected,
        found: value.kind(),
    }
}

/// Types a [`ParamValue`] variant holds as they are.
macro_rules! plain_param_field {
    ($($ty:ty => $variant:ident, $accessor:ident);*) => {$(
        impl ParamField for $ty {
            const KIND: DataType = DataType::$variant;

            fn to_param_value(&self) -> ParamValue {
                ParamValue::$variant(*self)
            }

            fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
                value.$accessor().ok_or_else(|| wrong_type(Self::KIND, value))
            }
        }
    )*};
}
plain_param_field!(bool => Bool, as_bool; f64 => Float, as_f64);

macro_rules! int_param_field {
    ($($int:ty),*) => {$(
        impl ParamField for $int {
            const KIND: DataType = DataType::Int;

            fn to_param_value(&self) -> ParamValue {
                ParamValue::Int(i64::from(*self))
            }

            fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
                let number = value.as_i64().ok_or_else(|| wrong_type(Self::KIND, value))?;
                Self::try_from(number).map_err(|_| {
                    if number < 0 {
                        WriteRejection::BelowMin { min: Limit::Int(i64::from(Self::MIN)) }
                    } else {
                        WriteRejection::AboveMax { max: Limit::Int(i64::from(Self::MAX)) }
                    }
                })
            }
        }
    )*};
}
int_param_field!(i8, i16, i32, i64, u8, u16, u32);

impl ParamField for f32 {
    const KIND: DataType = DataType::Float;

    fn to_param_value(&self) -> ParamValue {
        ParamValue::Float(f64::from(*self))
    }

    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
        let number = value
            .as_f64()
            .ok_or_else(|| wrong_type(Self::KIND, value))?;
        // Beyond f32's range the conversion would give an infinity.
        WriteRejection::check_range(
            number,
            f64::from(f32::MIN),
            f64::from(f32::MAX),
            Limit::Float,
        )?;
        #[allow(clippy::cast_possible_truncation)]
        let narrowed = number as f32;
        Ok(narrowed)
    }
}

impl ParamField for String {
    const KIND: DataType = DataType::String;

    fn to_param_value(&self) -> ParamValue {
        ParamValue::String(self.clone())
    }

    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| wrong_type(Self::KIND, value))
    }
}
