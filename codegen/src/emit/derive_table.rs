//! The standard param table of `#[derive(Device)]` (`rainmaker-macros`), from
//! `x-rainmaker-standard-types`: the spec's data types, and every standard param type
//! with the C SDK's defaults, as plain data the macro looks up by name. The macro
//! crate defines `StandardParam` and `StandardBounds` and includes this file.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Bounds, Model, StandardTypes, TypeKind, Variant};

/// The tokens of the derive's `standard.rs`.
pub fn emit(model: &Model, standard: &StandardTypes) -> TokenStream {
    let data_types = enum_variants(model, &standard.data_type_enum);
    let properties = enum_variants(model, &standard.property_enum);
    let wire_of = |variants: &[Variant], rust: &str| -> String {
        variants
            .iter()
            .find(|variant| variant.rust == rust)
            .and_then(Variant::wire_str)
            .unwrap_or(rust)
            .to_owned()
    };
    let variants: Vec<_> = data_types
        .iter()
        .map(|variant| format_ident!("{}", variant.rust))
        .collect();
    let count = Literal::usize_unsuffixed(variants.len());
    let wires = data_types.iter().filter_map(Variant::wire_str);
    let names = data_types.iter().map(|variant| variant.rust.as_str());
    let rows = standard.param_types.iter().filter_map(|ty| {
        let defaults = ty.defaults.as_ref()?;
        let name = ty.default_name.as_deref()?;
        let (ident, param_type) = (&ty.rust, &ty.wire);
        let data_type = format_ident!("{}", defaults.data_type);
        let props = defaults
            .properties
            .iter()
            .map(|property| wire_of(&properties, property));
        let ui_type = match &defaults.ui_type {
            Some(rust) => {
                let wire = standard
                    .ui_types
                    .iter()
                    .find(|ui| ui.rust == *rust)
                    .map_or(rust.as_str(), |ui| ui.wire.as_str());
                quote!(Some(#wire))
            }
            None => quote!(None),
        };
        let bounds = match &defaults.bounds {
            Some(bounds) => {
                let bounds = bounds_tokens(&wire_of(&data_types, &defaults.data_type), bounds);
                quote!(Some(#bounds))
            }
            None => quote!(None),
        };
        Some(quote! {
            StandardParam {
                ident: #ident,
                param_type: #param_type,
                name: #name,
                data_type: DataType::#data_type,
                properties: &[ #( #props ),* ],
                ui_type: #ui_type,
                bounds: #bounds,
            }
        })
    });
    quote! {
        /// The data type of a param: the spec's `DataType`, whose variants
        /// `rainmaker_types::messages::DataType` has too.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum DataType { #( #variants, )* }

        impl DataType {
            /// Every data type, in the spec's order.
            pub(crate) const ALL: [Self; #count] = [ #( Self::#variants ),* ];

            /// The spec's spelling (`bool`).
            pub(crate) const fn wire(self) -> &'static str {
                match self { #( Self::#variants => #wires, )* }
            }

            /// The variant's name, here and in `rainmaker_types::messages::DataType`.
            pub(crate) const fn variant(self) -> &'static str {
                match self { #( Self::#variants => #names, )* }
            }
        }

        /// Every standard param type the C SDK has a constructor for, with its
        /// defaults, in the spec's order.
        pub(crate) const STANDARD_PARAMS: &[StandardParam] = &[ #( #rows ),* ];
    }
}

/// The variants of the closed enum `name` of the model (none when it is not one).
fn enum_variants(model: &Model, name: &str) -> Vec<Variant> {
    match model.type_def(name).map(|def| &def.kind) {
        Some(TypeKind::Enum { variants }) => variants.clone(),
        _ => Vec::new(),
    }
}

/// The `StandardBounds` of a param of data type `data_type` (the spec's spelling).
fn bounds_tokens(data_type: &str, bounds: &Bounds) -> TokenStream {
    let number = |value: Option<f64>| value.unwrap_or_default();
    match data_type {
        "array" => {
            // A count: whole and non-negative in the catalogue.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let max = Literal::u32_unsuffixed(number(bounds.max) as u32);
            quote!(StandardBounds::ArrayMax(#max))
        }
        "int" => {
            // Whole numbers in the catalogue.
            #[allow(clippy::cast_possible_truncation)]
            let whole = |value: f64| Literal::i64_unsuffixed(value as i64);
            let (min, max) = (whole(number(bounds.min)), whole(number(bounds.max)));
            let step = match bounds.step {
                Some(step) => {
                    let step = whole(step);
                    quote!(Some(#step))
                }
                None => quote!(None),
            };
            quote!(StandardBounds::Int { min: #min, max: #max, step: #step })
        }
        _ => {
            let [min, max] =
                [bounds.min, bounds.max].map(|value| Literal::f64_unsuffixed(number(value)));
            let step = match bounds.step {
                Some(step) => {
                    let step = Literal::f64_unsuffixed(step);
                    quote!(Some(#step))
                }
                None => quote!(None),
            };
            quote!(StandardBounds::Float { min: #min, max: #max, step: #step })
        }
    }
}
