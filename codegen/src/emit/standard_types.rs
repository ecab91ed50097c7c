//! `standard_types.rs`: the catalogue of standard UI, device, service and param types.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::messages::emit_open_enum;
use super::{Ctx, doc_or, ident};
use crate::model::{Bounds, Literal as Wire, StandardType, StandardTypes, Variant};

/// The tokens of `standard_types.rs`.
pub fn emit(ctx: &Ctx<'_>, standard: &StandardTypes) -> TokenStream {
    let lists = StandardTypes::LISTS
        .iter()
        .map(|list| open_enum(ctx, list.rust, list.what, (list.values)(standard)));
    let data_type = ident(&standard.data_type_enum);
    let property = ident(&standard.property_enum);
    let default_names = standard.param_types.iter().filter_map(|ty| {
        let name = ty.default_name.as_deref()?;
        let variant = ident(&ty.rust);
        Some(quote! { Self::#variant => Some(#name), })
    });
    let defaults = standard.param_types.iter().filter_map(|ty| {
        let defaults = ty.defaults.as_ref()?;
        let variant = ident(&ty.rust);
        let name = ty.default_name.as_deref().unwrap_or_default();
        let data_type_variant = ident(&defaults.data_type);
        let properties = defaults.properties.iter().map(String::as_str).map(ident);
        let persist = defaults.persist;
        let ui_type = match &defaults.ui_type {
            Some(ui) => {
                let ui = ident(ui);
                quote!(Some(UiType::#ui))
            }
            None => quote!(None),
        };
        let bounds = match &defaults.bounds {
            Some(bounds) => bounds_tokens(bounds),
            None => quote!(None),
        };
        Some(quote! {
            Self::#variant => {
                static DEFAULTS: ParamDefaults = ParamDefaults {
                    name: #name,
                    data_type: super::messages::#data_type::#data_type_variant,
                    properties: &[ #( super::messages::#property::#properties ),* ],
                    persist: #persist,
                    ui_type: #ui_type,
                    bounds: #bounds,
                };
                Some(&DEFAULTS)
            }
        })
    });
    let constructors = standard.device_types.iter().filter_map(|ty| {
        let constructor = ty.constructor.as_ref()?;
        let variant = ident(&ty.rust);
        let params = &constructor.params;
        let primary = match &constructor.primary {
            Some(primary) => quote!(Some(#primary)),
            None => quote!(None),
        };
        Some(quote! {
            Self::#variant => {
                static CONSTRUCTOR: DeviceConstructor = DeviceConstructor {
                    params: &[ #( #params ),* ],
                    primary: #primary,
                };
                Some(&CONSTRUCTOR)
            }
        })
    });
    let services = standard.services.iter().map(|service| {
        let name = &service.name;
        let service_type = ident(&service.service_type);
        let params = &service.params;
        let attribute_names = service.attributes.iter().map(|(name, _)| name);
        let attribute_values = service.attributes.iter().map(|(_, value)| value);
        let description = service.description.as_deref().unwrap_or_default();
        quote! {
            StandardService {
                name: #name,
                service_type: ServiceType::#service_type,
                params: &[ #( #params ),* ],
                attributes: &[ #( (#attribute_names, #attribute_values) ),* ],
                description: #description,
            }
        }
    });
    quote! {
        #( #lists )*

        /// The defaults the SDK's constructor gives a standard param.
        #[derive(Debug, Clone, PartialEq)]
        pub struct ParamDefaults {
            /// The default param name.
            pub name: &'static str,
            /// The data type.
            pub data_type: super::messages::#data_type,
            /// The properties, in the SDK's order.
            pub properties: &'static [super::messages::#property],
            /// Whether the SDK persists the value in NVS (never visible on the wire).
            pub persist: bool,
            /// The UI type, if the constructor sets one.
            pub ui_type: Option<UiType>,
            /// The bounds, if the constructor sets them.
            pub bounds: Option<DefaultBounds>,
        }

        /// Default bounds of a standard param (`max` alone is the maximum count of an
        /// array param).
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct DefaultBounds {
            /// The minimum.
            pub min: Option<f64>,
            /// The maximum.
            pub max: Option<f64>,
            /// The step.
            pub step: Option<f64>,
        }

        impl ParamType {
            /// The SDK's default param name for this type, if it has one.
            pub fn default_name(&self) -> Option<&'static str> {
                match self {
                    #( #default_names )*
                    _ => None,
                }
            }

            /// The defaults of the SDK's constructor for this type, if it has one.
            pub fn defaults(&self) -> Option<&'static ParamDefaults> {
                match self {
                    #( #defaults )*
                    _ => None,
                }
            }
        }

        /// The params the SDK's constructor of a standard device type creates.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct DeviceConstructor {
            /// The param names, in order.
            pub params: &'static [&'static str],
            /// The primary param.
            pub primary: Option<&'static str>,
        }

        impl DeviceType {
            /// The SDK's constructor of this device type, if it has one.
            pub fn constructor(&self) -> Option<&'static DeviceConstructor> {
                match self {
                    #( #constructors )*
                    _ => None,
                }
            }
        }

        /// A standard service instance the SDK creates.
        #[derive(Debug, Clone, PartialEq)]
        pub struct StandardService {
            /// The service name (the first-level key of params documents).
            pub name: &'static str,
            /// The service type.
            pub service_type: ServiceType,
            /// The param names (some only with the matching SDK option).
            pub params: &'static [&'static str],
            /// The attributes, as (name, value).
            pub attributes: &'static [(&'static str, &'static str)],
            /// Notes from the spec.
            pub description: &'static str,
        }

        /// The standard service instances, in spec order.
        pub static STANDARD_SERVICES: &[StandardService] = &[ #( #services ),* ];
    }
}

fn open_enum(ctx: &Ctx<'_>, name: &str, fallback_doc: &str, types: &[StandardType]) -> TokenStream {
    let variants: Vec<Variant> = types
        .iter()
        .map(|ty| Variant {
            wire: Wire::String(ty.wire.clone()),
            rust: ty.rust.clone(),
        })
        .collect();
    emit_open_enum(ctx, name, &doc_or(None, fallback_doc), &variants)
}

fn bounds_tokens(bounds: &Bounds) -> TokenStream {
    let value = |value: Option<f64>| match value {
        Some(value) => {
            let value = Literal::f64_unsuffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    };
    let min = value(bounds.min);
    let max = value(bounds.max);
    let step = value(bounds.step);
    quote!(Some(DefaultBounds { min: #min, max: #max, step: #step }))
}
