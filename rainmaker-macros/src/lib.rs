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
//! | `crate = "my_sdk::rainmaker"` | the path of `rainmaker_types`, for crates that re-export it (default `::rainmaker_types`) |
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
//! | `standard = Brightness` (or `= "esp.param.brightness"`) | a standard param type: supplies the type, default name, data type, properties, UI type and bounds of the standard param table; other keys override them |
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
//! `min > max`, a non-positive step, int bounds outside the field's integer type,
//! `valid_strs` on a non-string param, both time-series kinds, full time series on an
//! object or array param, no or two primary params, duplicate param names, a field
//! type that contradicts `data_type` or the standard type, `u64`-like field types,
//! more than 255 params: each is a compile error spanned on the offending token, and
//! all of them are reported at once. `rainmaker-types/tests/ui/` pins each message.

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
    derive(&input).into()
}

/// The derive on a parsed input: the impl, or the combined compile errors.
fn derive(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    let mut errors = attr::Errors::default();
    let device = model::Device::from_input(input, &mut errors);
    match (errors.finish(), device) {
        (None, Some(device)) => expand::expand(&device),
        (Some(error), _) => error.to_compile_error(),
        // `from_input` reports an error whenever it returns `None`.
        (None, None) => {
            syn::Error::new(input.ident.span(), "cannot derive Device").to_compile_error()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::derive;

    /// Runs the derive on `source`; returns the output and whether it is errors.
    fn run(source: &str) -> Option<(String, bool)> {
        let input: syn::DeriveInput = syn::parse_str(source).ok()?;
        let output = derive(&input);
        let text = output.to_string();
        let is_error = text.contains("compile_error");
        if !is_error {
            // The expansion must be valid Rust items.
            assert!(syn::parse2::<syn::File>(output).is_ok(), "{source}\n{text}");
        }
        Some((text, is_error))
    }

    #[test]
    fn the_light_expands_to_a_const_block() {
        let (text, is_error) = run(
            r#"#[device(name = "Light", r#type = "esp.device.lightbulb")]
            struct Light {
                #[param(standard = Power, primary)] power: bool,
                #[param(standard = Brightness)] brightness: i32,
                #[param(name = "Mode", valid_strs("Auto", "Cool"), on_write = Self::on_mode)] mode: String,
                #[param(simple_ts)] history: Vec<f32>,
                #[param(data_type = "int")] level: Level,
            }"#,
        )
        .expect("parses");
        assert!(!is_error, "{text}");
        assert!(text.starts_with("# [doc (hidden)] # [allow"), "{text}");
        assert!(text.contains("const _ : () ="));
        assert!(
            text.contains(":: rainmaker_types :: device :: __private :: assert_kind :: < Level >")
        );
        // Every absolute path goes into `rainmaker_types` (or `core`).
        let tokens: Vec<&str> = text.split_whitespace().collect();
        for window in tokens.windows(3) {
            let [before, "::", root] = window else {
                continue;
            };
            let after_path = before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '>');
            if !after_path {
                assert!(
                    ["rainmaker_types", "core"].contains(root),
                    "::{root} in {text}"
                );
            }
        }
    }

    #[test]
    fn malformed_attributes_are_errors_never_panics() {
        let fields = [
            "#[param] x: bool",
            "#[param = 5] x: bool",
            "#[param()] x: bool",
            "#[param(,)] x: bool",
            "#[param(primary,,)] x: bool",
            "#[param(name)] x: bool",
            "#[param(name = 5)] x: bool",
            "#[param(name = \"\")] x: bool",
            "#[param(standard = 5)] x: bool",
            "#[param(standard = \"esp.param.nope\")] x: bool",
            "#[param(standard = \"esp.param.power\", primary)] x: bool",
            "#[param(on_write = 5)] x: bool",
            "#[param(on_write)] x: bool",
            "#[param(bounds)] x: i32",
            "#[param(bounds = 5)] x: i32",
            "#[param(bounds())] x: i32",
            "#[param(bounds(min))] x: i32",
            "#[param(bounds(min = ))] x: i32",
            "#[param(bounds(min = -))] x: i32",
            "#[param(bounds(min = \"a\", max = 1))] x: i32",
            "#[param(bounds(min = 1e999, max = 2))] x: f32",
            "#[param(bounds(min = -1e999, max = 2))] x: f32",
            "#[param(bounds(min = 9223372036854775808, max = 1))] x: i64",
            "#[param(bounds(min = -9223372036854775808, max = 9223372036854775807, step = 9223372036854775807))] x: i64",
            "#[param(bounds(min = -9223372036854775808, max = 9223372036854775807, step = 1.5))] x: f64",
            "#[param(bounds(max = -1))] x: Vec<u8>",
            "#[param(bounds(max = 4294967296))] x: Vec<u8>",
            "#[param(bounds(max = 1.5))] x: Vec<u8>",
            "#[param(bounds(a::b = 1))] x: i32",
            "#[param(a::b = 1)] x: i32",
            "#[param(valid_strs)] x: String",
            "#[param(valid_strs())] x: String",
            "#[param(valid_strs(1, 2))] x: String",
            "#[param(data_type = int)] x: i32",
            "#[param(time_series)] x: serde_json::Value",
            "#[param(standard = Schedules, time_series)] x: Vec<u8>",
            "#[param(skip, skip)] x: bool",
            "#[device] x: String",
            "#[device(instance_name = 1)] x: String",
            "x: u128",
            "x: <T as Trait>::Assoc",
            "x: &'static str",
            "x: fn()",
            "x: (bool, i32)",
        ];
        for field in fields {
            for header in ["", "#[device(no_primary)]"] {
                let source = format!("{header} struct S {{ {field} }}");
                let _ = run(&source);
            }
        }
        let devices = [
            "#[device] struct S {}",
            "#[device = 1] struct S {}",
            "#[device(attributes)] struct S {}",
            "#[device(attributes(\"a\"))] struct S {}",
            "#[device(attributes(\"a\" = 1))] struct S {}",
            "#[device(attributes(a = \"b\"))] struct S {}",
            "#[device(attributes(\"a\" = \"b\",))] struct S {}",
            "#[device(no_primary = 1)] struct S {}",
            "#[device(name = r\"raw\", no_primary)] struct S {}",
            "#[device(type = \"x\", no_primary)] struct S;",
            "struct S<'a> { x: &'a str }",
            "struct S where u8: Copy { x: bool }",
            "union U { a: u8 }",
            "enum E {}",
            "struct T(u8);",
        ];
        for source in devices {
            let _ = run(source);
        }
    }

    #[test]
    fn each_rule_yields_an_error() {
        let cases = [
            "struct S { #[param(bounds(min = 0, max = 1))] x: String }",
            "struct S { #[param(primary, bounds(min = 2, max = 1))] x: i32 }",
            "struct S { #[param(primary, valid_strs(\"a\"))] x: i32 }",
            "struct S { #[param(primary, time_series, simple_ts)] x: i32 }",
            "struct S { #[param(primary, time_series)] x: Vec<i32> }",
            "struct S { x: i32 }",
            "struct S { #[param(primary)] x: i32, #[param(primary)] y: i32 }",
            "struct S { #[param(primary)] x: i32, #[param(name = \"X\")] y: i32 }",
            "struct S { #[param(primary, colour)] x: i32 }",
            "struct S { #[param(primary, primary)] x: i32 }",
        ];
        for source in cases {
            let (text, is_error) = run(source).expect("parses");
            assert!(is_error, "{source}: {text}");
        }
    }
}
