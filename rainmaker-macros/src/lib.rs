//! `#[derive(Device)]` for ESP RainMaker devices.
//!
//! Use it through `rainmaker-types` with the `derive` feature, as with serde: the
//! generated code names only `::rainmaker_types::...` items. Each named field of the
//! struct is a param of the device; the derive emits a `static`
//! `rainmaker_types::device::DeviceDescriptor` and an impl of
//! `rainmaker_types::Device` that reads and writes the fields. Checking remote
//! writes (write permission, data type, bounds, step, valid strings) is done by
//! `rainmaker_types`, against the descriptor.
//!
//! ```
//! use rainmaker_types::{Device, DeviceParams, ParamValue};
//!
//! #[derive(Device)]
//! #[device(name = "Light", r#type = "esp.device.lightbulb")]
//! struct Light {
//!     #[param(standard = Name)]
//!     name: String,
//!     #[param(standard = Power, primary)]
//!     power: bool,
//!     #[param(standard = Brightness)]
//!     brightness: i32,
//!     #[param(name = "Mode", ui = "esp.ui.dropdown", valid_strs("Auto", "Cool", "Heat"))]
//!     mode: String,
//! }
//!
//! let mut light = Light { name: "Light".into(), power: false, brightness: 50, mode: "Auto".into() };
//! assert_eq!(light.config_json()["params"][3]["valid_strs"][2], "Heat");
//! let write: DeviceParams = [("Mode", "Dry")].into_iter().collect();
//! assert!(!light.apply(&write).is_ok());
//! assert_eq!(light.mode, "Auto");
//! ```
//!
//! # `#[device(...)]` on the struct
//!
//! | key | meaning |
//! |---|---|
//! | `name = "Light"` | the device name (default: the struct's name) |
//! | `r#type = "esp.device.lightbulb"` (or `kind = ...`) | the device type |
//! | `subtype = "..."`, `model = "..."` | subtype and model |
//! | `attributes("serial" = "42", ...)` | device attributes, in order |
//! | `no_primary` | the device has no primary param (services); otherwise exactly one param must be `primary` |
//!
//! A node with several devices of one type names each instance: mark a field
//! (`String` or anything `AsRef<str>`) `#[device(instance_name)]` and
//! `Device::name` returns it; that field is not a param. Without it every instance is
//! called by the descriptor's name.
//!
//! # `#[param(...)]` on a field
//!
//! | key | meaning |
//! |---|---|
//! | `standard = Brightness` (or `= "esp.param.brightness"`) | a standard param type: supplies the type, default name, data type, properties, UI type and bounds of PROTOCOL.md 4.6; other keys override them |
//! | `name = "Mode"` | the param name (default: the standard name, else the field name in `UpperCamelCase`) |
//! | `r#type = "esp.param.mode"` (or `param_type = ...`) | the param type |
//! | `data_type = "object"` | the data type, when the field type does not say it (see below) |
//! | `ui = "esp.ui.slider"` (or `ui_type = ...`) | the UI type |
//! | `read_only`, `write_only` | properties (default: `read` and `write`) |
//! | `time_series`, `simple_ts` | the time-series kind (at most one; full time series not for object or array params) |
//! | `bounds(min = 0, max = 100, step = 1)` | int or float bounds, `step` optional; `bounds(max = 10)` on an array param is its most items |
//! | `valid_strs("Auto", "Cool")` | the only strings a string param accepts |
//! | `primary` | the primary param |
//! | `on_write = Self::on_mode` | a write hook, see below |
//! | `skip` | the field is not a param |
//!
//! The data type follows the field type: `bool`; `i8`..`i64`, `u8`..`u32` are `int`;
//! `f32`, `f64` are `float`; `String`; `Vec<T>`, `VecDeque<T>` and arrays are
//! `array`; any other type is an `object` param through serde (`Serialize +
//! DeserializeOwned`, for example a struct or `serde_json::Value`), unless
//! `data_type` says otherwise.
//!
//! # Write hooks
//!
//! `on_write = path` names a function `fn(&mut Self, new: &T) -> Result<(), String>`
//! (`T` the field type), called by `Device::apply` after the value passed every check
//! and before the field is updated: the field still holds the old value. `Ok(())`
//! stores the value; `Err(reason)` vetoes it (the write is reported as
//! `WriteRejection::Vetoed(reason)` and the field is unchanged).
//!
//! # Compile errors
//!
//! Unknown and duplicate keys, bounds on a param that is not int, float or array,
//! `min > max`, a non-positive step, `valid_strs` on a non-string param, both
//! time-series kinds, full time series on an object or array param, no or two primary
//! params, duplicate param names, a field type that contradicts `data_type` or the
//! standard type: each is a compile error spanned on the offending token, and all of
//! them are reported at once.

// The macro never panics: every problem is a spanned compile error.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::unimplemented
    )
)]

mod attr;
mod expand;
mod model;
mod standard;

use proc_macro::TokenStream;

/// Derives `rainmaker_types::Device` for a struct whose fields are the device's params.
///
/// See the [crate documentation](crate) for the attribute keys.
#[proc_macro_derive(Device, attributes(device, param))]
pub fn derive_device(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let mut errors = attr::Errors::default();
    let device = model::Device::from_input(&input, &mut errors);
    match (errors.finish(), device) {
        (None, Some(device)) => expand::expand(&device).into(),
        (Some(error), _) => error.to_compile_error().into(),
        // `from_input` reports an error whenever it returns `None`.
        (None, None) => syn::Error::new(input.ident.span(), "cannot derive Device")
            .to_compile_error()
            .into(),
    }
}
