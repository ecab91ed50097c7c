//! Devices: a static description of a device's params, and the [`Device`] trait that
//! turns remote writes into checked state changes.
//!
//! A device (or service) is described once, by a [`DeviceDescriptor`] holding one
//! [`ParamSpec`] per param. The descriptor is plain `'static` data with no
//! allocation, so `#[derive(Device)]` emits it as a `static`. Everything else is
//! implemented here, once, against that description:
//!
//! * [`DeviceDescriptor::config_json`] builds the device's entry of the node config
//!   (docs/protocol.md);
//! * [`Device::params`] and [`Device::delta`] report the current values;
//! * [`Device::apply`] checks a remote write (unknown param, write permission, data
//!   type, bounds, step, valid strings) with [`ParamSpec::validate`] before the
//!   device stores anything; a rejected value never changes the device's state.
//!
//! A device type only provides the glue: [`Device::descriptor`],
//! [`Device::param_value`] and [`Device::set_param`]. The derive writes that glue
//! for a struct; a device built at run time implements the three methods by hand
//! (leaking its descriptor once with `Box::leak` if it is not known at compile time).

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod field;
mod spec;
mod timer;

pub use field::ParamField;
pub use spec::{Bounds, ParamSpec, Properties, TimeSeries};
pub use timer::{Firing, Timer};

use crate::messages::DataType;

use serde_json::Value;

use crate::messages::{Attribute, DeviceConfig, DeviceConfigType};
use crate::prelude::*;
use crate::value::{DeviceParams, ParamValue};

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
    /// The descriptor of a service: a name, a service type and params, with no
    /// primary param (the standard services' shape).
    pub const fn service(
        name: &'static str,
        service_type: &'static str,
        attributes: &'static [(&'static str, &'static str)],
        params: &'static [ParamSpec],
    ) -> Self {
        Self {
            name,
            device_type: Some(service_type),
            subtype: None,
            model: None,
            attributes,
            primary: None,
            params,
        }
    }

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
        expected: DataType,
        /// The JSON kind of the value sent ([`ParamValue::kind`]).
        found: &'static str,
    },
    /// A float param was sent a NaN or an infinity.
    #[error("the number is not finite")]
    NotFinite,
    /// The value is below the param's minimum (or below what its Rust type holds).
    #[error("below the minimum {min}")]
    BelowMin {
        /// The minimum.
        min: Limit,
    },
    /// The value is above the param's maximum (or above what its Rust type holds).
    #[error("above the maximum {max}")]
    AboveMax {
        /// The maximum.
        max: Limit,
    },
    /// The value is within bounds but not `min` plus a multiple of `step`.
    #[error("not on a step of {step} from {min}")]
    OffStep {
        /// The minimum the steps count from.
        min: Limit,
        /// The step.
        step: Limit,
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

impl WriteRejection {
    /// [`BelowMin`](Self::BelowMin) or [`AboveMax`](Self::AboveMax) unless
    /// `min <= number <= max`; `limit` names the bound in the rejection.
    pub(crate) fn check_range<T: PartialOrd + Copy>(
        number: T,
        min: T,
        max: T,
        limit: fn(T) -> Limit,
    ) -> Result<(), Self> {
        if number < min {
            Err(Self::BelowMin { min: limit(min) })
        } else if number > max {
            Err(Self::AboveMax { max: limit(max) })
        } else {
            Ok(())
        }
    }
}

/// A bound of a number param (its minimum, maximum or step), as a rejection
/// names it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// A bound of an int param.
    Int(i64),
    /// A bound of a float param.
    Float(f64),
}

impl core::fmt::Display for Limit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::Int(value) => write!(f, "{value}"),
            Self::Float(value) => write!(f, "{}", serde_json::Value::from(value)),
        }
    }
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
/// use rainmaker_types::{Device, ParamValue};
/// use rainmaker_types::value::DeviceParams;
/// use rainmaker_types::device::{Limit, WriteRejection};
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
/// assert_eq!(outcome.errors[0].reason, WriteRejection::AboveMax { max: Limit::Int(100) });
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

    /// The timer of a device that acts on its own at set times (the
    /// [`Schedule`](crate::services::Schedule) service): the node gives it the time
    /// of every call, wakes it when it is due and applies what fired. `None` (the
    /// default) for the others.
    fn timer(&self) -> Option<&dyn Timer> {
        None
    }

    /// [`Device::timer`], to drive it.
    fn timer_mut(&mut self) -> Option<&mut dyn Timer> {
        None
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

    fn timer(&self) -> Option<&dyn Timer> {
        (**self).timer()
    }

    fn timer_mut(&mut self) -> Option<&mut dyn Timer> {
        (**self).timer_mut()
    }
}
