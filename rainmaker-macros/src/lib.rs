#![doc = include_str!("derive.md")]
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

#[doc = include_str!("derive.md")]
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
