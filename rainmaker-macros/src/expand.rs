//! Code generation: the static descriptor and the get / set glue of the `Device`
//! impl. Validation is not generated; it lives in `rainmaker_types::device`.
//! Every path into `rainmaker_types` starts with the crate path (`::rainmaker_types`
//! unless `#[device(crate = "...")]` says otherwise).

use proc_macro2::{Literal, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::{Bounds, Device, Param, TimeSeries};
use crate::standard::DataType;

/// `tokens` with every span set to `span`.
fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(&group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

fn kind_tokens(krate: &TokenStream, kind: DataType) -> TokenStream {
    let variant = quote::format_ident!("{}", kind.variant());
    quote!(#krate::messages::DataType::#variant)
}

/// `Some(value)` or `None`, spelled out.
fn option_tokens(value: Option<impl quote::ToTokens>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

fn bounds_tokens(krate: &TokenStream, bounds: Option<Bounds>) -> TokenStream {
    option_tokens(bounds.map(|bounds| match bounds {
        Bounds::Int { min, max, step } => {
            let (min, max) = (Literal::i64_suffixed(min), Literal::i64_suffixed(max));
            let step = option_tokens(step.map(Literal::i64_suffixed));
            quote!(#krate::device::Bounds::Int { min: #min, max: #max, step: #step })
        }
        Bounds::Float { min, max, step } => {
            // The model only holds finite numbers, which `f64_suffixed` accepts.
            let (min, max) = (Literal::f64_suffixed(min), Literal::f64_suffixed(max));
            let step = option_tokens(step.map(Literal::f64_suffixed));
            quote!(#krate::device::Bounds::Float { min: #min, max: #max, step: #step })
        }
        Bounds::ArrayMax(max) => {
            let max = Literal::u32_suffixed(max);
            quote!(#krate::device::Bounds::ArrayMax(#max))
        }
    }))
}

fn spec_tokens(krate: &TokenStream, param: &Param) -> TokenStream {
    let name = &param.name;
    let param_type = option_tokens(param.param_type.as_deref());
    let data_type = kind_tokens(krate, param.kind);
    let (read, write) = (param.props.read, param.props.write);
    let time_series = match param.props.time_series {
        TimeSeries::None => quote!(None),
        TimeSeries::Full => quote!(Full),
        TimeSeries::Simple => quote!(Simple),
    };
    let bounds = bounds_tokens(krate, param.bounds);
    let valid_strs = &param.valid_strs;
    let ui_type = option_tokens(param.ui_type.as_deref());
    quote! {
        #krate::device::ParamSpec {
            name: #name,
            param_type: #param_type,
            data_type: #data_type,
            properties: #krate::device::Properties {
                read: #read,
                write: #write,
                time_series: #krate::device::TimeSeries::#time_series,
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
    let krate = &device.krate;
    let private = quote!(#krate::device::__private);
    let name = &device.name;
    let device_type = option_tokens(device.device_type.as_deref());
    let subtype = option_tokens(device.subtype.as_deref());
    let model = option_tokens(device.model.as_deref());
    let attributes = device
        .attributes
        .iter()
        .map(|(name, value)| quote!((#name, #value)));
    let primary = option_tokens(device.primary.as_deref());
    let specs = device.params.iter().map(|param| spec_tokens(krate, param));

    let mut asserts = Vec::new();
    let mut getters = Vec::new();
    let mut setters = Vec::new();
    for (index, param) in device.params.iter().enumerate() {
        let member = &param.member;
        let ty = &param.ty;
        let span = ty.span();
        if param.assert_kind {
            let kind = kind_tokens(krate, param.kind);
            // Spanned on the field type, so a mismatch points at it.
            let krate = respan(krate, span);
            asserts.push(quote_spanned! {span=>
                const _: () = #krate::device::__private::assert_kind::<#ty>(#kind);
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

    let param_consts = device.params.iter().map(|param| {
        let member = param.member.to_string();
        let member = member.strip_prefix("r#").unwrap_or(&member);
        let constant = quote::format_ident!("PARAM_{}", member.to_uppercase());
        let wire = &param.name;
        let doc = format!(" The name of the `{wire}` param (field `{member}`).");
        quote! {
            #[doc = #doc]
            pub const #constant: &'static str = #wire;
        }
    });
    let name_doc = format!(" The device's name, `{name}`.");
    let consts = quote! {
        #[automatically_derived]
        impl #ident {
            #[doc = #name_doc]
            pub const NAME: &'static str = #name;
            #(#param_consts)*
        }
    };

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

            static __DESCRIPTOR: #krate::device::DeviceDescriptor =
                #krate::device::DeviceDescriptor {
                    name: #name,
                    device_type: #device_type,
                    subtype: #subtype,
                    model: #model,
                    attributes: &[#(#attributes),*],
                    primary: #primary,
                    params: &[#(#specs),*],
                };

            #consts

            #[automatically_derived]
            impl #krate::device::Device for #ident {
                fn descriptor(&self) -> &#krate::device::DeviceDescriptor {
                    &__DESCRIPTOR
                }

                #name_fn

                fn param_value(
                    &self,
                    __index: usize,
                ) -> #private::Option<#krate::ParamValue> {
                    match __index {
                        #(#getters)*
                        _ => #private::None,
                    }
                }

                fn set_param(
                    &mut self,
                    __index: usize,
                    __value: &#krate::ParamValue,
                ) -> #private::Result<(), #krate::device::WriteRejection> {
                    match __index {
                        #(#setters)*
                        _ => #private::Err(#krate::device::WriteRejection::UnknownParam),
                    }
                }
            }
        };
    }
}
