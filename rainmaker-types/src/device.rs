//! Devices: a static description of a device's params, and the [`Device`] trait that
//! turns remote writes into checked state changes.
//!
//! A device (or service) is described once, by a [`DeviceDescriptor`] holding one
//! [`ParamSpec`] per param. The descriptor is plain `'static` data with no
//! allocation, so `#[derive(Device)]` emits it as a `static`. Everything else is
//! implemented here, once, against that description:
//!
//! * [`DeviceDescriptor::config_json`] builds the device's entry of the node config
//!   (PROTOCOL.md 4.3 and 4.4);
//! * [`Device::params`] and [`Device::delta`] report the current values;
//! * [`Device::apply`] checks a remote write (unknown param, write permission, data
//!   type, bounds, step, valid strings) with [`ParamSpec::validate`] before the
//!   device stores anything; a rejected value never changes the device's state.
//!
//! A device type only provides the glue: [`Device::descriptor`],
//! [`Device::param_value`] and [`Device::set_param`]. The derive writes that glue
//! for a struct; a device built at run time implements the three methods by hand
//! (leaking its descriptor once with `Box::leak` if it is not known at compile time).

use crate::prelude::*;
use alloc::borrow::Cow;
use core::fmt;

use serde_json::{Number, Value};

use crate::messages::{
    Attribute, DataType, DeviceConfig, DeviceConfigType, ParamBounds, ParamDescriptor,
    ParamDescriptorType, ParamDescriptorUiType, ParamProperty,
};

use crate::value::{DeviceParams, ParamValue};

/// The data type of a param, as `data_type` in the node config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataKind {
    /// `bool`: `true` / `false`.
    Bool,
    /// `int`: a 32-bit signed integer on the node (any `i64` is carried here).
    Int,
    /// `float`: a number; integers are accepted on input.
    Float,
    /// `string`.
    String,
    /// `object`: any JSON object, stored and reported verbatim.
    Object,
    /// `array`: any JSON array, stored and reported verbatim.
    Array,
}

impl DataKind {
    /// The wire name: `bool`, `int`, `float`, `string`, `object` or `array`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bool => "bool",
            Self::Int => "int",
            Self::Float => "float",
            Self::String => "string",
            Self::Object => "object",
            Self::Array => "array",
        }
    }

    /// Whether `value` has this data type's JSON kind (an integer counts as a float).
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

impl fmt::Display for DataKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    /// `write`: the cloud may write the param; [`Device::apply`] refuses writes
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
    pub data_type: DataKind,
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
    pub const fn new(name: &'static str, data_type: DataKind) -> Self {
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

    /// Checks a value against this param's data type, bounds, step and valid
    /// strings. Write permission is not checked here (see [`Device::apply`]).
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
            (DataKind::Bool, ParamValue::Int(number @ (0 | 1))) => {
                Cow::Owned(ParamValue::Bool(*number == 1))
            }
            // Precision loss above 2^53 is inherent to reading an int as a float.
            #[allow(clippy::cast_precision_loss)]
            (DataKind::Float, ParamValue::Int(number)) => {
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
        if self.data_type == DataKind::Float
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
            (Some(Bounds::ArrayMax(max)), ParamValue::Array(items))
                if items.len() > max as usize =>
            {
                return Err(WriteRejection::TooManyItems {
                    max,
                    found: items.len(),
                });
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
        let data_type = match self.data_type {
            DataKind::Bool => DataType::Bool,
            DataKind::Int => DataType::Int,
            DataKind::Float => DataType::Float,
            DataKind::String => DataType::String,
            DataKind::Object => DataType::Object,
            DataKind::Array => DataType::Array,
        };
        let mut descriptor = ParamDescriptor::new(
            self.name,
            data_type,
            self.properties
                .names()
                .filter_map(ParamProperty::known)
                .collect(),
        );
        descriptor.r#type = self.param_type.map(ParamDescriptorType::from);
        descriptor.bounds = self.bounds.map(Bounds::to_param_bounds);
        if !self.valid_strs.is_empty() {
            descriptor.valid_strs =
                Some(self.valid_strs.iter().copied().map(String::from).collect());
        }
        descriptor.ui_type = self.ui_type.map(ParamDescriptorUiType::from);
        descriptor
    }
}

fn check_int(number: i64, min: i64, max: i64, step: Option<i64>) -> Result<(), WriteRejection> {
    if number < min {
        return Err(WriteRejection::BelowMin {
            min: ParamValue::Int(min),
        });
    }
    if number > max {
        return Err(WriteRejection::AboveMax {
            max: ParamValue::Int(max),
        });
    }
    if let Some(step) = step.filter(|step| *step != 0) {
        // i128 so that `number - min` cannot overflow for any pair of i64.
        if (i128::from(number) - i128::from(min)) % i128::from(step) != 0 {
            return Err(WriteRejection::OffStep {
                min: ParamValue::Int(min),
                step: ParamValue::Int(step),
            });
        }
    }
    Ok(())
}

fn check_float(number: f64, min: f64, max: f64, step: Option<f64>) -> Result<(), WriteRejection> {
    if number < min {
        return Err(WriteRejection::BelowMin {
            min: ParamValue::Float(min),
        });
    }
    if number > max {
        return Err(WriteRejection::AboveMax {
            max: ParamValue::Float(max),
        });
    }
    if let Some(step) = step.filter(|step| *step != 0.0 && step.is_finite()) {
        let steps = (number - min) / step;
        let off = steps - nearest_integer(steps);
        if !(-1e-4..=1e-4).contains(&off) {
            return Err(WriteRejection::OffStep {
                min: ParamValue::Float(min),
                step: ParamValue::Float(step),
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

/// The static description of a device (or service): its node-config entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeviceDescriptor {
    /// The device name, unique within the node; the key in params documents.
    pub name: &'static str,
    /// The device type (`esp.device.*`, `esp.service.*` or custom), if any.
    pub device_type: Option<&'static str>,
    /// The subtype, if any.
    pub subtype: Option<&'static str>,
    /// The model, if any.
    pub model: Option<&'static str>,
    /// The device attributes, `(name, value)`, in order.
    pub attributes: &'static [(&'static str, &'static str)],
    /// The name of the primary param, if any.
    pub primary: Option<&'static str>,
    /// The params, in node-config (and params document) order.
    pub params: &'static [ParamSpec],
}

impl DeviceDescriptor {
    /// The param called `name` and its index in [`DeviceDescriptor::params`].
    pub fn param(&self, name: &str) -> Option<(usize, &'static ParamSpec)> {
        let params: &'static [ParamSpec] = self.params;
        params
            .iter()
            .enumerate()
            .find(|(_, spec)| spec.name == name)
    }

    /// The device's entry of the node config (`devices[i]` or `services[i]`), with
    /// keys name, type, subtype, model, attributes, primary, params; optional keys
    /// appear only when set, as the C SDK writes them.
    pub fn config_json(&self) -> Value {
        self.config_json_named(self.name)
    }

    /// [`DeviceDescriptor::config_json`] for an instance called `name` (a node with
    /// two devices of the same type gives them different names).
    pub fn config_json_named(&self, name: &str) -> Value {
        serde_json::to_value(self.config_entry(name)).unwrap_or_default()
    }

    /// The device's entry of the node config for an instance called `name`, typed:
    /// built straight from the descriptor, keys in the SDK's order.
    pub fn config_entry(&self, name: &str) -> DeviceConfig {
        let mut entry = DeviceConfig::new(name);
        entry.r#type = self.device_type.map(DeviceConfigType::from);
        entry.subtype = self.subtype.map(String::from);
        entry.model = self.model.map(String::from);
        if !self.attributes.is_empty() {
            entry.attributes = Some(
                self.attributes
                    .iter()
                    .map(|(name, value)| Attribute::new(*name, *value))
                    .collect(),
            );
        }
        entry.primary = self.primary.map(String::from);
        if !self.params.is_empty() {
            entry.params = Some(self.params.iter().map(ParamSpec::descriptor).collect());
        }
        entry
    }
}

/// Why one value of a remote write was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WriteRejection {
    /// The node has no device (or service) of that name.
    #[error("no such device")]
    UnknownDevice,
    /// The device has no param of that name.
    #[error("no such param")]
    UnknownParam,
    /// The param lacks the `write` property.
    #[error("the param is not writable")]
    ReadOnly,
    /// The value's JSON kind does not match the param's data type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The param's data type.
        expected: DataKind,
        /// The JSON kind of the value sent ([`ParamValue::kind`]).
        found: &'static str,
    },
    /// A float param was sent a NaN or an infinity.
    #[error("the number is not finite")]
    NotFinite,
    /// The value is below the param's minimum (or below what its Rust type holds).
    #[error("below the minimum {}", min.to_json())]
    BelowMin {
        /// The minimum.
        min: ParamValue,
    },
    /// The value is above the param's maximum (or above what its Rust type holds).
    #[error("above the maximum {}", max.to_json())]
    AboveMax {
        /// The maximum.
        max: ParamValue,
    },
    /// The value is within bounds but not `min` plus a multiple of `step`.
    #[error("not on a step of {} from {}", step.to_json(), min.to_json())]
    OffStep {
        /// The minimum the steps count from.
        min: ParamValue,
        /// The step.
        step: ParamValue,
    },
    /// An array param was sent more items than its bounds allow.
    #[error("{found} items, at most {max} allowed")]
    TooManyItems {
        /// The most items allowed.
        max: u32,
        /// How many were sent.
        found: usize,
    },
    /// A string param was sent a string outside its `valid_strs`.
    #[error("not one of {valid:?}")]
    NotAValidString {
        /// The strings the param accepts.
        valid: &'static [&'static str],
    },
    /// An object or array value that the param's Rust type cannot hold.
    #[error("the value does not fit the param: {0}")]
    Malformed(String),
    /// The device's write hook refused the value, with its reason.
    #[error("refused by the device: {0}")]
    Vetoed(String),
}

/// A rejected value of a remote write: which device, which param, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("cannot write {device}.{param}: {reason}")]
pub struct WriteError {
    /// The device name.
    pub device: String,
    /// The param name as sent.
    pub param: String,
    /// Why the value was refused.
    pub reason: WriteRejection,
}

/// The result of [`Device::apply`]: the accepted values and the rejected ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteOutcome {
    /// The values stored, as the device now reports them, in the order of the
    /// write: the delta to report on `params/local`.
    pub accepted: DeviceParams,
    /// One error per refused value, in the order of the write.
    pub errors: Vec<WriteError>,
}

impl WriteOutcome {
    /// Whether every value was accepted.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// A device (or service) of a node: a [`DeviceDescriptor`] plus the current values of
/// its params.
///
/// Implement it with `#[derive(Device)]` (feature `derive`), or by hand for devices
/// built at run time. Only [`Device::descriptor`], [`Device::param_value`] and
/// [`Device::set_param`] are required; the checks live in the provided methods and
/// [`ParamSpec::validate`]. The trait is object safe, so a node can hold
/// `Box<dyn Device>`.
///
/// ```
/// # #[cfg(feature = "derive")] {
/// use rainmaker_types::{Device, DeviceParams, ParamValue};
/// use rainmaker_types::device::WriteRejection;
///
/// #[derive(Device)]
/// #[device(name = "Light", r#type = "esp.device.lightbulb")]
/// struct Light {
///     #[param(standard = Name)]
///     name: String,
///     #[param(standard = Power, primary)]
///     power: bool,
///     #[param(standard = Brightness)]
///     brightness: i32,
/// }
///
/// let mut light = Light { name: "Light".into(), power: false, brightness: 50 };
/// let config = light.config_json();
/// assert_eq!(config["primary"], "Power");
/// assert_eq!(config["params"][2]["bounds"], serde_json::json!({"min": 0, "max": 100, "step": 1}));
///
/// let write: DeviceParams = [("Power", ParamValue::Bool(true)), ("Brightness", ParamValue::Int(150))]
///     .into_iter()
///     .collect();
/// let outcome = light.apply(&write);
/// assert!(light.power);
/// assert_eq!(light.brightness, 50); // refused, unchanged
/// assert_eq!(outcome.accepted.get("Power"), Some(&ParamValue::Bool(true)));
/// assert_eq!(outcome.errors[0].reason, WriteRejection::AboveMax { max: ParamValue::Int(100) });
/// # }
/// ```
pub trait Device {
    /// The static description of this device.
    fn descriptor(&self) -> &DeviceDescriptor;

    /// The current value of the param at `index` in [`DeviceDescriptor::params`];
    /// `None` for an index out of range (or a value that cannot be represented).
    fn param_value(&self, index: usize) -> Option<ParamValue>;

    /// Stores `value`, already validated by [`ParamSpec::validate`], in the param at
    /// `index`. Returns an error, and leaves the device unchanged, when the Rust
    /// type cannot hold the value or the device vetoes it.
    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection>;

    /// This instance's name; the descriptor's name unless overridden.
    fn name(&self) -> &str {
        self.descriptor().name
    }

    /// The device's entry of the node config, as JSON.
    fn config_json(&self) -> Value {
        serde_json::to_value(self.config_entry()).unwrap_or_default()
    }

    /// The device's entry of the node config, typed.
    fn config_entry(&self) -> DeviceConfig {
        self.descriptor().config_entry(self.name())
    }

    /// Every param's current value, in descriptor order (the device's part of
    /// `params/local/init`).
    fn params(&self) -> DeviceParams {
        let mut params = DeviceParams::new();
        for (index, spec) in self.descriptor().params.iter().enumerate() {
            if let Some(value) = self.param_value(index) {
                params.insert(spec.name, value);
            }
        }
        params
    }

    /// The params whose current value differs from (or is missing in)
    /// `last_reported`, in descriptor order: the changed-only delta.
    fn delta(&self, last_reported: &DeviceParams) -> DeviceParams {
        let mut params = DeviceParams::new();
        for (index, spec) in self.descriptor().params.iter().enumerate() {
            if let Some(value) = self.param_value(index)
                && last_reported.get(spec.name) != Some(&value)
            {
                params.insert(spec.name, value);
            }
        }
        params
    }

    /// Applies a remote write (this device's part of `params/remote`).
    ///
    /// Each value is checked on its own: the param must exist and be writable, and
    /// the value must pass [`ParamSpec::validate`] and [`Device::set_param`]
    /// (conversion and write hooks). Accepted values are stored and returned as the
    /// delta to report; each refused value yields a [`WriteError`] and changes
    /// nothing.
    fn apply(&mut self, write: &DeviceParams) -> WriteOutcome {
        let mut outcome = WriteOutcome::default();
        for (name, value) in write.iter() {
            let descriptor = self.descriptor();
            let checked = match descriptor.param(name) {
                None => Err(WriteRejection::UnknownParam),
                Some((_, spec)) if !spec.properties.write => Err(WriteRejection::ReadOnly),
                Some((index, spec)) => spec.normalize(value).map(|value| (index, value)),
            };
            let stored = checked.and_then(|(index, value)| {
                self.set_param(index, &value)?;
                Ok(self
                    .param_value(index)
                    .unwrap_or_else(|| value.into_owned()))
            });
            match stored {
                Ok(stored) => {
                    outcome.accepted.insert(name, stored);
                }
                Err(reason) => outcome.errors.push(WriteError {
                    device: self.name().to_owned(),
                    param: name.to_owned(),
                    reason,
                }),
            }
        }
        outcome
    }
}

/// A boxed device is a device, so generic code over `D: Device` also takes
/// `Box<dyn Device>`. Every method forwards, overrides included.
impl<D: Device + ?Sized> Device for Box<D> {
    fn descriptor(&self) -> &DeviceDescriptor {
        (**self).descriptor()
    }

    fn param_value(&self, index: usize) -> Option<ParamValue> {
        (**self).param_value(index)
    }

    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection> {
        (**self).set_param(index, value)
    }

    fn name(&self) -> &str {
        (**self).name()
    }

    fn config_json(&self) -> Value {
        (**self).config_json()
    }

    fn config_entry(&self) -> DeviceConfig {
        (**self).config_entry()
    }

    fn params(&self) -> DeviceParams {
        (**self).params()
    }

    fn delta(&self, last_reported: &DeviceParams) -> DeviceParams {
        (**self).delta(last_reported)
    }

    fn apply(&mut self, write: &DeviceParams) -> WriteOutcome {
        (**self).apply(write)
    }
}

/// A Rust type that holds a bool, int, float or string param.
///
/// Implemented for `bool`, `i8` to `i64`, `u8` to `u32`, `f32`, `f64` and `String`.
/// Implement it for a newtype to use it as a scalar param (with
/// `#[param(data_type = "...")]`, which must equal [`ParamField::KIND`] or the derive
/// fails to compile). Object and array params use serde instead (any
/// `Serialize + DeserializeOwned` type, or `serde_json::Value`).
pub trait ParamField: Sized {
    /// The data type of params of this Rust type.
    const KIND: DataKind;

    /// The value to report.
    fn to_param_value(&self) -> ParamValue;

    /// The field value for an already validated `value`; an error if this type cannot
    /// hold it (for example 300 for a `u8`).
    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection>;
}

fn wrong_type(expected: DataKind, value: &ParamValue) -> WriteRejection {
    WriteRejection::WrongType {
        expected,
        found: value.kind(),
    }
}

impl ParamField for bool {
    const KIND: DataKind = DataKind::Bool;

    fn to_param_value(&self) -> ParamValue {
        ParamValue::Bool(*self)
    }

    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
        value.as_bool().ok_or_else(|| wrong_type(Self::KIND, value))
    }
}

macro_rules! int_param_field {
    ($($int:ty),*) => {$(
        impl ParamField for $int {
            const KIND: DataKind = DataKind::Int;

            fn to_param_value(&self) -> ParamValue {
                ParamValue::Int(i64::from(*self))
            }

            fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
                let number = value.as_i64().ok_or_else(|| wrong_type(Self::KIND, value))?;
                Self::try_from(number).map_err(|_| {
                    if number < 0 {
                        WriteRejection::BelowMin { min: ParamValue::Int(i64::from(Self::MIN)) }
                    } else {
                        WriteRejection::AboveMax { max: ParamValue::Int(i64::from(Self::MAX)) }
                    }
                })
            }
        }
    )*};
}
int_param_field!(i8, i16, i32, i64, u8, u16, u32);

impl ParamField for f64 {
    const KIND: DataKind = DataKind::Float;

    fn to_param_value(&self) -> ParamValue {
        ParamValue::Float(*self)
    }

    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
        value.as_f64().ok_or_else(|| wrong_type(Self::KIND, value))
    }
}

impl ParamField for f32 {
    const KIND: DataKind = DataKind::Float;

    fn to_param_value(&self) -> ParamValue {
        ParamValue::Float(f64::from(*self))
    }

    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
        let number = value
            .as_f64()
            .ok_or_else(|| wrong_type(Self::KIND, value))?;
        // Beyond f32's range the conversion would give an infinity.
        if number < f64::from(f32::MIN) {
            return Err(WriteRejection::BelowMin {
                min: ParamValue::Float(f64::from(f32::MIN)),
            });
        }
        if number > f64::from(f32::MAX) {
            return Err(WriteRejection::AboveMax {
                max: ParamValue::Float(f64::from(f32::MAX)),
            });
        }
        #[allow(clippy::cast_possible_truncation)]
        let narrowed = number as f32;
        Ok(narrowed)
    }
}

impl ParamField for String {
    const KIND: DataKind = DataKind::String;

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

/// Support code for `#[derive(Device)]`; not a public API.
#[doc(hidden)]
pub mod __private {
    use super::{DataKind, ParamField, WriteRejection};
    use crate::prelude::*;
    use crate::value::ParamValue;

    pub use alloc::string::String;
    pub use core::option::Option::{self, None, Some};
    pub use core::result::Result::{self, Err, Ok};

    /// Fails compilation (in a `const`) when `T` is not a param type of `kind`.
    pub const fn assert_kind<T: ParamField>(kind: DataKind) {
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
}
