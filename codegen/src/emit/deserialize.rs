//! `Deserialize` of a generated struct (owned or borrowed view), written out rather
//! than derived: the known properties by name, the others kept, skipped or refused
//! as the schema says, and only a JSON object accepted.
//!
//! serde's derive would buffer every property of an object whose unknown
//! properties are kept (`flatten`), and would accept a JSON array for any struct;
//! the owned types and their views must accept and refuse the same documents.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::Ctx;
use crate::model::{Field, TypeRef};

/// What the struct does with properties it does not name.
pub enum Unknown {
    /// Skipped.
    Skip,
    /// Refused (`unknown field`).
    Refuse,
    /// Kept in the `extra` map of this type.
    Keep(TokenStream),
}

/// One property: the field and its Rust type as the struct declares it (without the
/// `Option` of an optional property).
pub struct Property<'f> {
    /// The field.
    pub field: &'f Field,
    /// Its type.
    pub ty: TokenStream,
}

/// The `impl Deserialize` of the struct `name`; `view` when it is a borrowed view
/// with one lifetime parameter `'a`.
pub fn emit(
    ctx: &Ctx<'_>,
    name: &Ident,
    view: bool,
    properties: &[Property<'_>],
    unknown: &Unknown,
) -> TokenStream {
    let rt = &ctx.rt;
    let expecting = format!("struct {name}");
    let slots: Vec<Ident> = (0..properties.len())
        .map(|index| format_ident!("field_{}", index))
        .collect();
    let declarations = properties.iter().zip(&slots).map(|(property, slot)| {
        let ty = &property.ty;
        if keeps_null(property.field) {
            quote!(let mut #slot: ::core::option::Option<::core::option::Option<#ty>> = ::core::option::Option::None;)
        } else {
            quote!(let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None;)
        }
    });
    let arms = properties.iter().zip(&slots).map(|(property, slot)| {
        let wire = &property.field.wire;
        let ty = &property.ty;
        // A present property is a value of its type (`null` only where the type is
        // nullable, as JSON Schema says); an optional nullable one is `Some(...)`,
        // so missing and `null` stay apart.
        let read = if keeps_null(property.field) {
            quote!(::core::option::Option::Some(map.next_value::<#ty>()?))
        } else {
            quote!(map.next_value::<#ty>()?)
        };
        quote! {
            #wire => {
                if #slot.is_some() {
                    return ::core::result::Result::Err(<A::Error as #rt::serde::de::Error>::duplicate_field(#wire));
                }
                #slot = ::core::option::Option::Some(#read);
            }
        }
    });
    let inits = properties.iter().zip(&slots).map(|(property, slot)| {
        let rust = super::ident(&property.field.rust);
        let wire = &property.field.wire;
        if property.field.required {
            quote! {
                #rust: #slot.ok_or_else(|| <A::Error as #rt::serde::de::Error>::missing_field(#wire))?,
            }
        } else if keeps_null(property.field) {
            quote!(#rust: #slot.flatten(),)
        } else {
            quote!(#rust: #slot,)
        }
    });
    let wires: Vec<&str> = properties
        .iter()
        .map(|property| property.field.wire.as_str())
        .collect();
    let (declare_extra, other, init_extra) = match unknown {
        Unknown::Skip => (
            TokenStream::new(),
            quote!(map.next_value::<#rt::Skipped>()?;),
            TokenStream::new(),
        ),
        Unknown::Refuse => (
            TokenStream::new(),
            quote! {
                return ::core::result::Result::Err(
                    <A::Error as #rt::serde::de::Error>::unknown_field(key.as_str(), &[ #( #wires ),* ]),
                );
            },
            TokenStream::new(),
        ),
        Unknown::Keep(map_ty) => (
            quote!(let mut extra: #map_ty = ::core::default::Default::default();),
            quote! {
                let value = map.next_value()?;
                extra.insert(key.into_owned(), value);
            },
            quote!(extra,),
        ),
    };
    let (impl_generics, value_ty, visitor, visitor_generics, visitor_value) = if view {
        (
            quote!(<'de: 'a, 'a>),
            quote!(#name<'a>),
            quote!(Properties(::core::marker::PhantomData)),
            quote!(<'a>),
            quote!(#name<'a>),
        )
    } else {
        (
            quote!(<'de>),
            quote!(#name),
            quote!(Properties(::core::marker::PhantomData)),
            quote!(<'a>),
            quote!(#name),
        )
    };
    let visitor_impl_generics = if view {
        quote!(<'de: 'a, 'a>)
    } else {
        quote!(<'de, 'a>)
    };
    quote! {
        impl #impl_generics #rt::serde::Deserialize<'de> for #value_ty {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct Properties #visitor_generics (::core::marker::PhantomData<&'a ()>);

                impl #visitor_impl_generics #rt::serde::de::Visitor<'de> for Properties<'a> {
                    type Value = #visitor_value;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Self::Value, A::Error> {
                        #( #declarations )*
                        #declare_extra
                        while let ::core::option::Option::Some(key) = map.next_key::<#rt::Text<'de>>()? {
                            match key.as_str() {
                                #( #arms )*
                                _ => { #other }
                            }
                        }
                        ::core::result::Result::Ok(#name {
                            #( #inits )*
                            #init_extra
                        })
                    }
                }

                deserializer.deserialize_map(#visitor)
            }
        }
    }
}

/// Whether an optional property keeps `null` apart from missing (`Some(None)`).
fn keeps_null(field: &Field) -> bool {
    !field.required
        && matches!(
            field.ty,
            TypeRef::Nullable(_) | TypeRef::Json | TypeRef::Unit
        )
}
