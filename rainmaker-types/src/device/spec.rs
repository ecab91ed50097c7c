//! What a param is: its data type, properties and bounds ([`ParamSpec`]), the checks
//! a written value must pass, and its entry of the node config.

use alloc::borrow::Cow;

use serde_json::{Number, Value};

use super::{Limit, WriteRejection};
use crate::messages::{DataType, ParamBounds, ParamDescriptor, ParamProperty};
use crate::prelude::*;
use crate::standard_types::{ParamType, UiType};
use crate::value::ParamValue;

impl DataType {
    /// Whether `value` has this data type's JSON kind (an integer counts as a float);
    /// nothing is of the `invalid` data type.
    pub fn matches(self, value: &ParamValue) -> bool {
        matches!(
            (self, value),
            (Self::Bool, ParamValue::Bool(_))
                | (Self::Int, ParamValue::Int(_))
                | (Self::Float, ParamValue::Float(_) | ParamValue::Int(_))
                | (Self::String, ParamValue::String(_))
                | (Self::Object, ParamValue::Object(_))
                | (Self::Array, ParamValue::Array(_))
        )
    }
}

/// Which time series a param feeds, if any. A param has at most one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TimeSeries {
    /// No time series.
    #[default]
    None,
    /// Full time series (`time_series`, reported on `tsdata`); not for object or
    /// array params.
    Full,
    /// Simple time series (`simple_ts`, reported on `simple_tsdata`).
    Simple,
}

/// The `properties` of a param.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Properties {
    /// `read`: the cloud may read the param.
    pub read: bool,
    /// `write`: the cloud may write the param; [`Device::apply`](super::Device::apply) refuses writes
    /// otherwise.
    pub write: bool,
    /// The time-series marker.
    pub time_series: TimeSeries,
}

impl Properties {
    /// `read` and `write`, no time series: the usual properties.
    pub const READ_WRITE: Self = Self {
        read: true,
        write: true,
        time_series: TimeSeries::None,
    };

    /// `read` only.
    pub const READ_ONLY: Self = Self {
        read: true,
        write: false,
        time_series: TimeSeries::None,
    };

    /// The property names in the SDK's order: read, write, then the time-series
    /// marker.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        let marker = match self.time_series {
            TimeSeries::None => None,
            TimeSeries::Full => Some("time_series"),
            TimeSeries::Simple => Some("simple_ts"),
        };
        [
            self.read.then_some("read"),
            self.write.then_some("write"),
            marker,
        ]
        .into_iter()
        .flatten()
    }
}

impl Default for Properties {
    fn default() -> Self {
        Self::READ_WRITE
    }
}

/// The `bounds` of a param.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    /// Bounds of an int param: `min <= value <= max`, and `value - min` a multiple of
    /// `step` when there is one.
    Int {
        /// The smallest value.
        min: i64,
        /// The largest value.
        max: i64,
        /// The step, if any (a zero step is the same as none).
        step: Option<i64>,
    },
    /// Bounds of a float param: `min <= value <= max`, and `(value - min) / step`
    /// within 1e-4 of an integer when there is a step (float rounding tolerance).
    /// Values are checked as `f64`; an `f32` field then rounds the value to the
    /// nearest `f32`, which may lie just outside bounds that `f32` cannot represent
    /// exactly (such as `0.1`).
    Float {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
        /// The step, if any (a zero step is the same as none).
        step: Option<f64>,
    },
    /// The most items an array param may hold (`{"max": n}`, for example
    /// Schedules).
    ArrayMax(u32),
}

impl Bounds {
    /// The `bounds` object of the node config, numbers in the param's own format.
    /// The node config's `bounds` object.
    fn to_param_bounds(self) -> ParamBounds {
        let mut bounds = ParamBounds::default();
        match self {
            Self::Int { min, max, step } => {
                bounds.min = Some(min.into());
                bounds.max = Some(max.into());
                bounds.step = step.filter(|step| *step != 0).map(Number::from);
            }
            Self::Float { min, max, step } => {
                bounds.min = Number::from_f64(min);
                bounds.max = Number::from_f64(max);
                // The SDK omits a step whose bit pattern is zero; -0.0 is printed.
                bounds.step = step
                    .filter(|step| step.to_bits() != 0)
                    .and_then(Number::from_f64);
            }
            Self::ArrayMax(max) => bounds.max = Some(max.into()),
        }
        bounds
    }
}

/// The static description of one param: everything its node-config descriptor
/// says, which is also everything a remote write is checked against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// The param name, unique within the device; the key in params documents.
    pub name: &'static str,
    /// The param type (`esp.param.*` or custom), if any.
    pub param_type: Option<&'static str>,
    /// The data type.
    pub data_type: DataType,
    /// Read / write permission and time series.
    pub properties: Properties,
    /// The bounds, if any.
    pub bounds: Option<Bounds>,
    /// The only values a string param accepts; empty means any string.
    pub valid_strs: &'static [&'static str],
    /// The UI type (`esp.ui.*` or custom), if any.
    pub ui_type: Option<&'static str>,
}

impl ParamSpec {
    /// A read-write param of `data_type` with nothing else set.
    pub const fn new(name: &'static str, data_type: DataType) -> Self {
        Self {
            name,
            param_type: None,
            data_type,
            properties: Properties::READ_WRITE,
            bounds: None,
            valid_strs: &[],
            ui_type: None,
        }
    }

    /// The same param with the type `param_type` (`esp.param.*`).
    #[must_use]
    pub const fn with_type(self, param_type: &'static str) -> Self {
        Self {
            param_type: Some(param_type),
            ..self
        }
    }

    /// Checks a value against this param's data type, bounds, step and valid
    /// strings. Write permission is not checked here (see [`Device::apply`](super::Device::apply)).
    ///
    /// Lenient like the C SDK's parser: `1` / `0` count as booleans and integers as
    /// floats; [`ParamSpec::normalize`] turns them into the param's own kind.
    pub fn validate(&self, value: &ParamValue) -> Result<(), WriteRejection> {
        self.normalize(value).map(drop)
    }

    /// [`ParamSpec::validate`], returning the value in the param's own kind: `1` /
    /// `0` as `true` / `false` for a bool param, an integer as a float for a float
    /// param, anything else unchanged (borrowed).
    ///
    /// This is the one place remote writes are validated.
    pub fn normalize<'a>(
        &self,
        value: &'a ParamValue,
    ) -> Result<Cow<'a, ParamValue>, WriteRejection> {
        let value = match (self.data_type, value) {
            (DataType::Bool, ParamValue::Int(number @ (0 | 1))) => {
                Cow::Owned(ParamValue::Bool(*number == 1))
            }
            // Precision loss above 2^53 is inherent to reading an int as a float.
            #[allow(clippy::cast_precision_loss)]
            (DataType::Float, ParamValue::Int(number)) => {
                Cow::Owned(ParamValue::Float(*number as f64))
            }
            _ => Cow::Borrowed(value),
        };
        self.check_kind_and_limits(&value)?;
        Ok(value)
    }

    fn check_kind_and_limits(&self, value: &ParamValue) -> Result<(), WriteRejection> {
        if !self.data_type.matches(value) {
            return Err(WriteRejection::WrongType {
                expected: self.data_type,
                found: value.kind(),
            });
        }
        if self.data_type == DataType::Float
            && let Some(number) = value.as_f64()
            && !number.is_finite()
        {
            return Err(WriteRejection::NotFinite);
        }
        match (self.bounds, value) {
            (Some(Bounds::Int { min, max, step }), ParamValue::Int(number)) => {
                check_int(*number, min, max, step)?;
            }
            (Some(Bounds::Float { min, max, step }), _) => {
                if let Some(number) = value.as_f64() {
                    check_float(number, min, max, step)?;
                }
            }
            (Some(Bounds::ArrayMax(max)), ParamValue::Array(items)) => {
                let found = items.array_len();
                if found > max as usize {
                    return Err(WriteRejection::TooManyItems { max, found });
                }
            }
            _ => {}
        }
        if let ParamValue::String(text) = value
            && !self.valid_strs.is_empty()
            && !self.valid_strs.contains(&text.as_str())
        {
            return Err(WriteRejection::NotAValidString {
                valid: self.valid_strs,
            });
        }
        Ok(())
    }

    /// This param's descriptor in the node config: keys name, type, data_type,
    /// properties, bounds, valid_strs, ui_type (optional ones only when set).
    pub fn config_json(&self) -> Value {
        serde_json::to_value(self.descriptor()).unwrap_or_default()
    }

    /// The param's entry of the node config (`params[i]` of a device), typed; keys
    /// in the SDK's order, optional ones only when set.
    pub fn descriptor(&self) -> ParamDescriptor {
        let mut descriptor = ParamDescriptor::new(
            self.name,
            self.data_type,
            self.properties
                .names()
                .filter_map(ParamProperty::known)
                .collect(),
        );
        descriptor.r#type = self.param_type.map(ParamType::from);
        descriptor.bounds = self.bounds.map(Bounds::to_param_bounds);
        if !self.valid_strs.is_empty() {
            descriptor.valid_strs =
                Some(self.valid_strs.iter().copied().map(String::from).collect());
        }
        descriptor.ui_type = self.ui_type.map(UiType::from);
        descriptor
    }
}

fn check_int(number: i64, min: i64, max: i64, step: Option<i64>) -> Result<(), WriteRejection> {
    WriteRejection::check_range(number, min, max, Limit::Int)?;
    if let Some(step) = step.filter(|step| *step != 0) {
        // i128 so that `number - min` cannot overflow for any pair of i64.
        if (i128::from(number) - i128::from(min)) % i128::from(step) != 0 {
            return Err(WriteRejection::OffStep {
                min: Limit::Int(min),
                step: Limit::Int(step),
            });
        }
    }
    Ok(())
}

fn check_float(number: f64, min: f64, max: f64, step: Option<f64>) -> Result<(), WriteRejection> {
    WriteRejection::check_range(number, min, max, Limit::Float)?;
    if let Some(step) = step.filter(|step| *step != 0.0 && step.is_finite()) {
        let steps = (number - min) / step;
        let off = steps - nearest_integer(steps);
        if !(-1e-4..=1e-4).contains(&off) {
            return Err(WriteRejection::OffStep {
                min: Limit::Float(min),
                step: Limit::Float(step),
            });
        }
    }
    Ok(())
}

/// The integer nearest to `value` (halves away from zero), without `std`'s float
/// functions. Values of 2^52 and beyond have no fraction and come back unchanged.
fn nearest_integer(value: f64) -> f64 {
    const EXACT: f64 = 4_503_599_627_370_496.0; // 2^52
    if !(value.is_finite() && value > -EXACT && value < EXACT) {
        return value;
    }
    let shifted = if value < 0.0 {
        value - 0.5
    } else {
        value + 0.5
    };
    // |shifted| < 2^52 + 1 fits an i64, and the cast truncates toward zero.
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let nearest = shifted as i64 as f64;
    nearest
}
