//! Code generation: the static descriptor and the get / set glue of the `Device`
//! impl. Validation is not generated; it lives in `rainmaker_types::device`.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::{Bounds, Device, Kind, Param, TimeSeries};

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}

fn kind_tokens(kind: Kind) -> TokenStream {
    let variant = match kind {
        Kind::Bool => quote!(Bool),
        Kind::Int => quote!(Int),
        Kind::Float => quote!(Float),
        Kind::String => quote!(String),
        Kind::Object => quote!(Object),
        Kind::Array => quote!(Array),
    };
    quote!(::rainmaker_types::device::DataKind::#variant)
}

fn bounds_tokens(bounds: Option<Bounds>) -> TokenStream {
    let bounds = match bounds {
        None => return quote!(::core::option::Option::None),
        Some(Bounds::Int { min, max, step }) => {
            let (min, max) = (Literal::i64_suffixed(min), Literal::i64_suffixed(max));
            let step = match step {
                Some(step) => {
                    let step = Literal::i64_suffixed(step);
                    quote!(::core::option::Option::Some(#step))
                }
                None => quote!(::core::option::Option::None),
            };
            quote!(::rainmaker_types::device::Bounds::Int { min: #min, max: #max, step: #step })
        }
        Some(Bounds::Float { min, max, step }) => {
            // The model only holds finite numbers, which `f64_suffixed` accepts.
            let (min, max) = (Literal::f64_suffixed(min), Literal::f64_suffixed(max));
            let step = match step {
                Some(step) => {
                    let step = Literal::f64_suffixed(step);
                    quote!(::core::option::Option::Some(#step))
                }
                None => quote!(::core::option::Option::None),
            };
            quote!(::rainmaker_types::device::Bounds::Float { min: #min, max: #max, step: #step })
        }
        Some(Bounds::ArrayMax(max)) => {
            let max = Literal::u32_suffixed(max);
            quote!(::rainmaker_types::device::Bounds::ArrayMax(#max))
        }
    };
    quote!(::core::option::Option::Some(#bounds))
}

fn spec_tokens(param: &Param) -> TokenStream {
    let name = &param.name;
    let param_type = opt_str(param.param_type.as_deref());
    let data_type = kind_tokens(param.kind);
    let (read, write) = (param.props.read, param.props.write);
    let time_series = match param.props.time_series {
        TimeSeries::None => quote!(None),
        TimeSeries::Full => quote!(Full),
        TimeSeries::Simple => quote!(Simple),
    };
    let bounds = bounds_tokens(param.bounds);
    let valid_strs = &param.valid_strs;
    let ui_type = opt_str(param.ui_type.as_deref());
    quote! {
        ::rainmaker_types::device::ParamSpec {
            name: #name,
            param_type: #param_type,
            data_type: #data_type,
            properties: ::rainmaker_types::device::Properties {
                read: #read,
                write: #write,
                time_series: ::rainmaker_types::device::TimeSeries::#time_series,
            },
            bounds: #bounds,
            valid_strs: &[#(#valid_strs),*],
            ui_type: #ui_type,
        }
    }
}

/// The whole derive output, wrapped in `const _: () = { ... };`.
pub(crate) fn expand(device: &Device) -> TokenStream {
    let ident = &device.ident;
    let private = quote!(::rainmaker_types::device::__private);
    let name = &device.name;
    let device_type = opt_str(device.device_type.as_deref());
    let subtype = opt_str(device.subtype.as_deref());
    let model = opt_str(device.model.as_deref());
    let attributes = device
        .attributes
        .iter()
        .map(|(name, value)| quote!((#name, #value)));
    let primary = opt_str(device.primary.as_deref());
    let specs = device.params.iter().map(spec_tokens);

    let mut asserts = Vec::new();
    let mut getters = Vec::new();
    let mut setters = Vec::new();
    for (index, param) in device.params.iter().enumerate() {
        let member = &param.member;
        let ty = &param.ty;
        let span = ty.span();
        if param.assert_kind {
            let kind = kind_tokens(param.kind);
            // Spanned on the field type, so a mismatch points at it.
            asserts.push(quote_spanned! {span=>
                const _: () = ::rainmaker_types::device::__private::assert_kind::<#ty>(#kind);
            });
        }
        let (get, convert) = if param.kind.is_scalar() {
            (
                quote_spanned!(span=> #private::get_scalar::<#ty>),
                quote_spanned!(span=> #private::convert_scalar::<#ty>),
            )
        } else {
            (
                quote_spanned!(span=> #private::get_serde::<#ty>),
                quote_spanned!(span=> #private::convert_serde::<#ty>),
            )
        };
        getters.push(quote!(#index => #get(&self.#member),));
        let hook = param.on_write.as_ref().map(|path| {
            let hook_span = path.span();
            quote_spanned! {hook_span=>
                #private::hook_result((#path)(self, &__new))?;
            }
        });
        setters.push(quote! {
            #index => {
                let __new: #ty = #convert(__value)?;
                #hook
                self.#member = __new;
                #private::Ok(())
            }
        });
    }

    let name_fn = device.instance_name.as_ref().map(|field| {
        quote! {
            fn name(&self) -> &str {
                ::core::convert::AsRef::<str>::as_ref(&self.#field)
            }
        }
    });

    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #(#asserts)*

            static __DESCRIPTOR: ::rainmaker_types::device::DeviceDescriptor =
                ::rainmaker_types::device::DeviceDescriptor {
                    name: #name,
                    device_type: #device_type,
                    subtype: #subtype,
                    model: #model,
                    attributes: &[#(#attributes),*],
                    primary: #primary,
                    params: &[#(#specs),*],
                };

            #[automatically_derived]
            impl ::rainmaker_types::device::Device for #ident {
                fn descriptor(&self) -> &::rainmaker_types::device::DeviceDescriptor {
                    &__DESCRIPTOR
                }

                #name_fn

                fn param_value(
                    &self,
                    __index: usize,
                ) -> #private::Option<::rainmaker_types::ParamValue> {
                    match __index {
                        #(#getters)*
                        _ => #private::None,
                    }
                }

                fn set_param(
                    &mut self,
                    __index: usize,
                    __value: &::rainmaker_types::ParamValue,
                ) -> #private::Result<(), ::rainmaker_types::device::WriteRejection> {
                    match __index {
                        #(#setters)*
                        _ => #private::Err(::rainmaker_types::device::WriteRejection::UnknownParam),
                    }
                }
            }
        };
    }
}
