//! `messages.rs`: one Rust type per schema, with serde derives.

use proc_macro2::{Ident, Literal as LitToken, TokenStream};
use quote::quote;

use super::deserialize::{self, Property, Unknown};
use super::{Ctx, Scope, doc_or, ident, skip_none, struct_field};
use crate::model::{Extra, Field, Literal, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming;

/// The tokens of `messages.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let payloads = payload_types(ctx);
    let sdk_written: Vec<&str> = ctx
        .model
        .messages
        .iter()
        .filter(|message| message.sdk_json)
        .filter_map(|message| match &message.payload {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let checks = super::validate::Checks::new(ctx);
    let types = ctx.model.types.iter().map(|def| {
        let name = def.name.as_str();
        let payload = payloads.contains(&name).then(|| {
            if sdk_written.contains(&name) {
                PayloadEncoding::Sdk
            } else {
                PayloadEncoding::Json
            }
        });
        emit_type(ctx, &checks, def, payload)
    });
    let schemas = json_schema_lookup(ctx);
    quote! {
        #( #types )*
        #schemas
    }
}

/// `json_schema(name)`: the JSON Schema schemars derives for the named type, behind
/// the `schemars` feature (for tests that compare it with the document's schema).
fn json_schema_lookup(ctx: &Ctx<'_>) -> TokenStream {
    let Some(feature) = &ctx.schemars else {
        return TokenStream::new();
    };
    let arms = ctx
        .model
        .types
        .iter()
        .filter(|def| !matches!(def.kind, TypeKind::Alias { .. }))
        .map(|def| {
            let name = &def.name;
            let ty = ident(name);
            quote!(#name => ::schemars::schema_for!(#ty),)
        });
    quote! {
        /// The JSON Schema derived from the Rust type called `name`, if it is a struct
        /// or an enum of this module.
        #[cfg(feature = #feature)]
        pub fn json_schema(name: &str) -> ::core::option::Option<::schemars::Schema> {
            ::core::option::Option::Some(match name {
                #( #arms )*
                _ => return ::core::option::Option::None,
            })
        }
    }
}

/// The named types that are the payload of a JSON message or the data of a command:
/// they implement the runtime's `Payload`.
fn payload_types<'m>(ctx: &Ctx<'m>) -> Vec<&'m str> {
    let model = ctx.model;
    let messages = model
        .messages
        .iter()
        .filter(|message| message.encoding == crate::model::Encoding::Json)
        .map(|message| &message.payload);
    let commands = model
        .commands()
        .iter()
        .flat_map(|command| command.data.iter().map(|(_, ty)| ty));
    messages
        .chain(commands)
        .filter_map(|ty| match ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        })
        .filter(|name| {
            model
                .type_def(name)
                .is_some_and(|def| !matches!(def.kind, TypeKind::Alias { .. }))
        })
        .collect()
}

/// How a payload type's `Payload::encode` writes JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PayloadEncoding {
    /// Compact JSON (serde_json).
    Json,
    /// As the RainMaker C SDK writes it (`x-rainmaker-sdk-json`).
    Sdk,
}

fn emit_type(
    ctx: &Ctx<'_>,
    checks: &super::validate::Checks<'_>,
    def: &TypeDef,
    payload: Option<PayloadEncoding>,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_or(
        def.description.as_deref(),
        &format!("The `{}` schema of the document.", def.name),
    );
    let body = match &def.kind {
        TypeKind::Struct { fields, extra } => emit_struct(ctx, &name, &docs, fields, extra),
        TypeKind::Enum { variants } if variants.iter().all(|v| v.wire_str().is_some()) => {
            emit_string_enum(ctx, &def.name, &docs, variants)
        }
        TypeKind::Enum { variants } => emit_value_enum(ctx, &def.name, &docs, variants),
        TypeKind::OpenEnum { variants } => emit_open_enum(ctx, &def.name, &docs, variants),
        TypeKind::StandardUnion { members } => emit_standard_union(ctx, &def.name, &docs, members),
        TypeKind::Untagged { variants } => {
            let serde = ctx.serde_derives();
            let schemars = ctx.schemars_derive();
            let variants = variants.iter().map(|(variant, ty)| {
                let variant = ident(variant);
                let ty_tokens = ctx.rust_type(ty, Scope::Messages);
                let text = format!(" A `{}` value.", type_label(ty));
                quote! { #[doc = #text] #variant(#ty_tokens), }
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq)]
                #serde
                #schemars
                #[serde(untagged)]
                pub enum #name { #( #variants )* }
            }
        }
        TypeKind::Alias { inner } => {
            let inner = ctx.rust_type(inner, Scope::Messages);
            return quote! { #docs pub type #name = #inner; };
        }
    };
    let validate = match def.kind {
        TypeKind::Struct { .. } | TypeKind::Untagged { .. } => checks.emit_impl(&def.name, None),
        _ => TokenStream::new(),
    };
    let Some(encoding) = payload else {
        return quote!(#body #validate);
    };
    let rt = &ctx.rt;
    let encode = match encoding {
        PayloadEncoding::Json => quote!(#rt::payload::encode_json(self)),
        PayloadEncoding::Sdk => quote!(#rt::payload::encode_sdk_json(self)),
    };
    let ty = TypeRef::Named(def.name.clone());
    let (decode, encode) = match checks.payload_check(&ty, &quote!(Self), &quote!(self)) {
        Some(check) => (
            quote! {
                let value: Self = #rt::payload::decode_json(bytes)?;
                #rt::validate::Validate::validate(&value)?;
                ::core::result::Result::Ok(value)
            },
            quote! {
                #check?;
                #encode
            },
        ),
        None => (quote!(#rt::payload::decode_json(bytes)), encode),
    };
    quote! {
        #body
        #validate

        impl #rt::Payload for #name {
            fn decode(bytes: &[u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                #decode
            }

            fn encode(&self) -> ::core::result::Result<#rt::Vec<u8>, #rt::EncodeError> {
                #encode
            }
        }
    }
}

fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) | TypeRef::External(name) | TypeRef::Standard(name) => name.clone(),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => type_label(inner),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Int(name) | TypeRef::Float(name) => (*name).to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Vec(_) => "Vec".to_owned(),
        TypeRef::Map(_) | TypeRef::JsonObject => "map".to_owned(),
        TypeRef::Unit => "null".to_owned(),
        TypeRef::Bytes | TypeRef::Json => "JSON".to_owned(),
    }
}

fn emit_struct(
    ctx: &Ctx<'_>,
    name: &Ident,
    docs: &TokenStream,
    fields: &[Field],
    extra: &Extra,
) -> TokenStream {
    let rt = &ctx.rt;
    let schemars = ctx.schemars_derive();
    let definitions = fields.iter().map(|field| emit_field(ctx, field));
    let extra_ty = match extra {
        Extra::Deny => None,
        Extra::Json => Some(quote!(#rt::serde_json::Map<#rt::String, #rt::serde_json::Value>)),
        Extra::Typed(ty) => {
            let ty = ctx.rust_type(ty, Scope::Messages);
            Some(quote!(#rt::BTreeMap<#rt::String, #ty>))
        }
    };
    let extra_field = extra_ty.as_ref().map(|ty| {
        quote! {
            /// Properties the schema does not name, kept so that decoding then
            /// encoding loses nothing.
            #[serde(flatten)]
            pub extra: #ty,
        }
    });
    // `deny_unknown_fields` is for schemars (`additionalProperties: false`); the
    // written-out `Deserialize` refuses unknown properties itself.
    let deny = (*extra == Extra::Deny).then(|| quote!(#[serde(deny_unknown_fields)]));
    let path = format!("{}::serde", ctx.rt_text);
    let serde = quote! {
        #[derive(#rt::serde::Serialize)]
        #[serde(crate = #path)]
    };
    let properties: Vec<Property<'_>> = fields
        .iter()
        .map(|field| Property {
            field,
            ty: ctx.rust_type(&field.ty, Scope::Messages),
        })
        .collect();
    let unknown = match (&extra_ty, extra) {
        (Some(map), _) => Unknown::Keep(map.clone()),
        (None, Extra::Deny) => Unknown::Refuse,
        (None, _) => Unknown::Skip,
    };
    let deserialize = deserialize::emit(ctx, name, false, &properties, &unknown);
    let required: Vec<&Field> = fields.iter().filter(|field| field.required).collect();
    let default = required.is_empty().then(|| quote!(Default,));
    let constructor = (!required.is_empty()).then(|| {
        let params = required.iter().map(|field| {
            let arg = ident(&field.rust);
            if is_string(ctx, &field.ty) {
                quote!(#arg: impl ::core::convert::Into<#rt::String>)
            } else {
                let ty = ctx.rust_type(&field.ty, Scope::Messages);
                quote!(#arg: #ty)
            }
        });
        let inits = fields.iter().map(|field| {
            let field_name = ident(&field.rust);
            if !field.required {
                quote!(#field_name: ::core::option::Option::None,)
            } else if is_string(ctx, &field.ty) {
                quote!(#field_name: #field_name.into(),)
            } else {
                quote!(#field_name,)
            }
        });
        let extra_init = extra_ty
            .as_ref()
            .map(|_| quote!(extra: ::core::default::Default::default(),));
        let names: Vec<String> = required
            .iter()
            .map(|field| super::code_span(&field.wire))
            .collect();
        let text = format!(
            " A value with the required properties ({}); every optional one is `None`.",
            names.join(", ")
        );
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            impl #name {
                #[doc = #text]
                #many
                pub fn new( #( #params ),* ) -> Self {
                    Self { #( #inits )* #extra_init }
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        #serde
        #schemars
        #deny
        pub struct #name {
            #( #definitions )*
            #extra_field
        }

        #deserialize

        #constructor
    }
}

/// Whether `ty` is `String`, directly or through type aliases.
fn is_string(ctx: &Ctx<'_>, ty: &TypeRef) -> bool {
    let mut current = ty;
    for _ in 0..=ctx.model.types.len() {
        match current {
            TypeRef::String => return true,
            TypeRef::Named(name) => match ctx.model.type_def(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { inner }) => current = inner,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

fn emit_field(ctx: &Ctx<'_>, field: &Field) -> TokenStream {
    let (mut docs, mut serde_args) = super::field_docs_and_rename(field);
    let inner = ctx.rust_type(&field.ty, Scope::Messages);
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    let holds_null = nullable || matches!(field.ty, TypeRef::Json | TypeRef::Unit);
    let ty = if field.required {
        inner
    } else {
        serde_args.push(quote!(default));
        serde_args.push(skip_none());
        if holds_null {
            // Missing (`None`) and `null` (`Some(null)`) stay apart.
            let present = format!("{}::payload::deserialize_present", ctx.rt_text);
            serde_args.push(quote!(deserialize_with = #present));
        }
        if nullable {
            let note = " `None` when the property is missing, `Some(None)` when it is `null`.";
            docs = quote! { #docs #[doc = ""] #[doc = #note] };
        }
        quote!(::core::option::Option<#inner>)
    };
    struct_field(&docs, &serde_args, &field.rust, &ty)
}

/// `FromStr` and `TryFrom<&str>` of an enum with `known(&str) -> Option<Self>`. The
/// signatures name the error type, not `Self::Err`: a variant named `Err` or `Error`
/// would make that path ambiguous.
fn from_str_impls(ctx: &Ctx<'_>, name: &str) -> TokenStream {
    let rt = &ctx.rt;
    let ident = ident(name);
    quote! {
        impl ::core::str::FromStr for #ident {
            type Err = #rt::UnknownValue;

            fn from_str(wire: &str) -> ::core::result::Result<Self, #rt::UnknownValue> {
                Self::known(wire).ok_or_else(|| #rt::UnknownValue::new(#name, wire))
            }
        }

        impl ::core::convert::TryFrom<&str> for #ident {
            type Error = #rt::UnknownValue;

            fn try_from(wire: &str) -> ::core::result::Result<Self, #rt::UnknownValue> {
                wire.parse()
            }
        }
    }
}

fn emit_string_enum(
    ctx: &Ctx<'_>,
    name: &str,
    docs: &TokenStream,
    variants: &[Variant],
) -> TokenStream {
    let name_ident = ident(name);
    let serde = ctx.serde_derives();
    let schemars = ctx.schemars_derive();
    let definitions = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let wire = variant.wire_str().unwrap_or_default();
        let text = format!(" {}.", super::code_span(wire));
        let rename =
            naming::needs_rename(&variant.rust, wire).then(|| quote!(#[serde(rename = #wire)]));
        quote! { #[doc = #text] #rename #rust, }
    });
    let items = closed_string_items(variants, "wire string", &known_body(ctx, variants));
    let from_str = from_str_impls(ctx, name);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #serde
        #schemars
        #[non_exhaustive]
        pub enum #name_ident { #( #definitions )* }

        impl #name_ident {
            #items
        }

        impl ::core::fmt::Display for #name_ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #from_str
    }
}

/// The `as_str` arms of string variants: `Self::Variant => "wire",`.
fn as_str_arms(variants: &[Variant]) -> impl Iterator<Item = TokenStream> + '_ {
    variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let wire = variant.wire_str().unwrap_or_default();
        quote! { Self::#rust => #wire, }
    })
}

/// The inherent items of a closed enum of strings: `ALL`, `as_str` and `known` (whose
/// body is `known`). `text` is what the docs call a value's string (`wire string`).
/// Shared with the enums of channel parameters.
pub(crate) fn closed_string_items(
    variants: &[Variant],
    text: &str,
    known: &TokenStream,
) -> TokenStream {
    let to_wire = as_str_arms(variants);
    let all = variants.iter().map(|variant| ident(&variant.rust));
    let count = LitToken::usize_unsuffixed(variants.len());
    let as_str_doc = format!(" The {text}.");
    let known_doc = format!(" The value whose {text} is `wire`.");
    quote! {
        /// Every value, in document order.
        pub const ALL: [Self; #count] = [ #( Self::#all ),* ];

        #[doc = #as_str_doc]
        pub const fn as_str(&self) -> &'static str {
            match self { #( #to_wire )* }
        }

        #[doc = #known_doc]
        pub fn known(wire: &str) -> ::core::option::Option<Self> {
            #known
        }
    }
}

/// A closed enum whose values are not all strings: serde through a JSON value.
fn emit_value_enum(
    ctx: &Ctx<'_>,
    name: &str,
    docs: &TokenStream,
    variants: &[Variant],
) -> TokenStream {
    let rt = &ctx.rt;
    let name_ident = ident(name);
    let definitions = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let text = format!(" `{}`.", variant.wire.json());
        quote! { #[doc = #text] #rust, }
    });
    let serialize = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let call = match &variant.wire {
            Literal::String(text) => quote!(serializer.serialize_str(#text)),
            Literal::Int(value) => quote!(serializer.serialize_i64(#value)),
            Literal::UInt(value) => quote!(serializer.serialize_u64(#value)),
            Literal::Float(value) => quote!(serializer.serialize_f64(#value)),
            Literal::Bool(value) => quote!(serializer.serialize_bool(#value)),
            Literal::Null => quote!(serializer.serialize_unit()),
        };
        quote! { Self::#rust => #call, }
    });
    let matches = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let test = match &variant.wire {
            Literal::String(text) => quote!(value.as_str() == ::core::option::Option::Some(#text)),
            Literal::Int(int) => quote!(value.as_i64() == ::core::option::Option::Some(#int)),
            Literal::UInt(uint) => quote!(value.as_u64() == ::core::option::Option::Some(#uint)),
            Literal::Float(float) => quote!(value.as_f64() == ::core::option::Option::Some(#float)),
            Literal::Bool(flag) => quote!(value.as_bool() == ::core::option::Option::Some(#flag)),
            Literal::Null => quote!(value.is_null()),
        };
        quote! { if #test { return ::core::result::Result::Ok(Self::#rust); } }
    });
    let listed: Vec<String> = variants.iter().map(|variant| variant.wire.json()).collect();
    let expected = format!("one of {}", listed.join(", "));
    let all = variants.iter().map(|variant| ident(&variant.rust));
    let count = LitToken::usize_unsuffixed(variants.len());
    let schemars = ctx.schemars_as(name, quote!(#rt::serde_json::Value));
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name_ident { #( #definitions )* }

        impl #name_ident {
            /// Every value, in document order.
            pub const ALL: [Self; #count] = [ #( Self::#all ),* ];
        }

        impl #rt::serde::Serialize for #name_ident {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self { #( #serialize )* }
            }
        }

        impl<'de> #rt::serde::Deserialize<'de> for #name_ident {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <#rt::serde_json::Value as #rt::serde::Deserialize>::deserialize(deserializer)?;
                #( #matches )*
                ::core::result::Result::Err(<D::Error as #rt::serde::de::Error>::custom(
                    #rt::format!("expected {}, found {}", #expected, value),
                ))
            }
        }

        #schemars
    }
}

/// An enum over an open set of strings: the known values and `Other(String)`, with
/// serde as the plain wire string. Shared with the standard-type catalogue.
pub(crate) fn emit_open_enum(
    ctx: &Ctx<'_>,
    name: &str,
    docs: &TokenStream,
    variants: &[Variant],
) -> TokenStream {
    let definitions = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let text = format!(
            " {}.",
            super::code_span(variant.wire_str().unwrap_or_default())
        );
        quote! { #[doc = #text] #rust, }
    });
    let to_wire = as_str_arms(variants);
    let known = variants.iter().map(|variant| ident(&variant.rust));
    let count = LitToken::usize_unsuffixed(variants.len());
    OpenSet {
        lister: "the document",
        definitions: quote!( #( #definitions )* ),
        as_str: quote!( #( #to_wire )* ),
        known: known_body(ctx, variants),
        items: quote! {
            /// The values the document lists, in document order.
            pub const KNOWN: [Self; #count] = [ #( Self::#known ),* ];
        },
    }
    .emit(ctx, name, docs)
}

/// A value of one of several catalogue lists, each held by the list's own enum, or
/// `Other(String)` for a value no list names.
fn emit_standard_union(
    ctx: &Ctx<'_>,
    name: &str,
    docs: &TokenStream,
    members: &[(String, String)],
) -> TokenStream {
    let name_ident = ident(name);
    let list = |list: &str| {
        let list = ident(list);
        quote!(super::standard_types::#list)
    };
    let definitions = members.iter().map(|(member, ty)| {
        let text = format!(" A value [`{ty}`](super::standard_types::{ty}) lists.");
        let (member, ty) = (ident(member), list(ty));
        quote! { #[doc = #text] #member(#ty), }
    });
    let to_wire = members.iter().map(|(member, _)| {
        let member = ident(member);
        quote! { Self::#member(value) => value.as_str(), }
    });
    let from_wire = members.iter().map(|(member, ty)| {
        let (member, ty) = (ident(member), list(ty));
        quote! {
            if let ::core::option::Option::Some(value) = #ty::known(wire) {
                return ::core::option::Option::Some(Self::#member(value));
            }
        }
    });
    let conversions = members.iter().map(|(member, ty)| {
        let (member, ty) = (ident(member), list(ty));
        quote! {
            impl ::core::convert::From<#ty> for #name_ident {
                fn from(value: #ty) -> Self {
                    match value {
                        #ty::Other(wire) => Self::from(wire),
                        listed => Self::#member(listed),
                    }
                }
            }
        }
    });
    let set = OpenSet {
        lister: "the catalogue",
        definitions: quote!( #( #definitions )* ),
        as_str: quote!( #( #to_wire )* ),
        known: quote! {
            #( #from_wire )*
            ::core::option::Option::None
        },
        items: TokenStream::new(),
    }
    .emit(ctx, name, docs);
    quote! {
        #set
        #( #conversions )*
    }
}

/// The body of `known(wire)` for string values: the rank of `wire` among the wire
/// strings sorted by length, then bytes (the runtime's `rank_of`, one routine for
/// every enum, comparing only the strings of `wire`'s length), then the variant of
/// that rank.
fn known_body(ctx: &Ctx<'_>, variants: &[Variant]) -> TokenStream {
    let rt = &ctx.rt;
    let mut sorted: Vec<(&str, &str)> = variants
        .iter()
        .map(|variant| {
            (
                variant.wire_str().unwrap_or_default(),
                variant.rust.as_str(),
            )
        })
        .collect();
    sorted.sort_unstable_by(|(a, _), (b, _)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    let longest = sorted.last().map_or(0, |(wire, _)| wire.len());
    // starts[n]: how many strings are shorter than n.
    let starts = (0..=longest).map(|len| {
        let shorter = sorted.iter().filter(|(wire, _)| wire.len() < len).count();
        LitToken::u16_unsuffixed(u16::try_from(shorter).unwrap_or(u16::MAX))
    });
    let wires = sorted.iter().map(|(wire, _)| wire);
    let (count, lengths) = (
        LitToken::usize_unsuffixed(sorted.len()),
        LitToken::usize_unsuffixed(longest + 1),
    );
    let arms = sorted.iter().enumerate().map(|(rank, (_, rust))| {
        let (rank, rust) = (LitToken::usize_unsuffixed(rank), ident(rust));
        quote! { #rank => Self::#rust, }
    });
    quote! {
        const SORTED: [&str; #count] = [ #( #wires ),* ];
        const STARTS: [u16; #lengths] = [ #( #starts ),* ];
        ::core::option::Option::Some(match #rt::rank_of(&SORTED, &STARTS, wire)? {
            #( #arms )*
            _ => return ::core::option::Option::None,
        })
    }
}

/// What distinguishes one open set of strings from another.
struct OpenSet {
    /// Who lists the known values, for the docs ("the document").
    lister: &'static str,
    /// The variants before `Other`.
    definitions: TokenStream,
    /// The `as_str` arms of those variants.
    as_str: TokenStream,
    /// The body of `known(wire: &str) -> Option<Self>`.
    known: TokenStream,
    /// More items of the inherent impl.
    items: TokenStream,
}

impl OpenSet {
    /// The enum `name` of this open set of strings: its variants, `Other(String)`,
    /// `as_str`, `is_known`, `known` and the impls of [`open_string_impls`].
    fn emit(self, ctx: &Ctx<'_>, name: &str, docs: &TokenStream) -> TokenStream {
        let rt = &ctx.rt;
        let name_ident = ident(name);
        let Self {
            lister,
            definitions,
            as_str,
            known,
            items,
        } = self;
        let open_note = format!(
            " The set is open: a value {lister} does not list is kept in [`Self::Other`]. \
             Build values with `From` so that a listed value never ends up in `Other`."
        );
        let other_doc = format!(" A value {lister} does not list, as it is on the wire.");
        let is_known_doc = format!(" Whether {lister} lists this value.");
        let impls = open_string_impls(ctx, name);
        quote! {
            #docs
            #[doc = ""]
            #[doc = #open_note]
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum #name_ident {
                #definitions
                #[doc = #other_doc]
                Other(#rt::String),
            }

            impl #name_ident {
                #items

                /// The wire string.
                pub fn as_str(&self) -> &str {
                    match self {
                        #as_str
                        Self::Other(other) => other,
                    }
                }

                #[doc = #is_known_doc]
                pub fn is_known(&self) -> bool {
                    !matches!(self, Self::Other(_))
                }

                /// The listed value whose wire string is `wire`.
                pub fn known(wire: &str) -> ::core::option::Option<Self> {
                    #known
                }
            }

            #impls
        }
    }
}

/// The string conversions, `Display`, serde and schema of an open set of strings:
/// the type has `known`, `as_str` and `Other(String)`.
fn open_string_impls(ctx: &Ctx<'_>, name: &str) -> TokenStream {
    let rt = &ctx.rt;
    let name_ident = ident(name);
    let schemars = ctx.schemars_as(name, quote!(#rt::String));
    quote! {
        impl ::core::convert::From<&str> for #name_ident {
            fn from(wire: &str) -> Self {
                Self::known(wire).unwrap_or_else(|| Self::Other(#rt::ToOwned::to_owned(wire)))
            }
        }

        impl ::core::convert::From<#rt::String> for #name_ident {
            fn from(wire: #rt::String) -> Self {
                Self::known(&wire).unwrap_or(Self::Other(wire))
            }
        }

        impl ::core::str::FromStr for #name_ident {
            type Err = ::core::convert::Infallible;

            fn from_str(wire: &str) -> ::core::result::Result<Self, ::core::convert::Infallible> {
                ::core::result::Result::Ok(Self::from(wire))
            }
        }

        impl ::core::fmt::Display for #name_ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::serde::Serialize for #name_ident {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> #rt::serde::Deserialize<'de> for #name_ident {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                // A listed value is matched on the borrowed string: only a value
                // the document does not list is copied.
                struct Wire;

                impl #rt::serde::de::Visitor<'_> for Wire {
                    type Value = #name_ident;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E>(self, wire: &str) -> ::core::result::Result<Self::Value, E> {
                        ::core::result::Result::Ok(#name_ident::from(wire))
                    }

                    fn visit_string<E>(self, wire: #rt::String) -> ::core::result::Result<Self::Value, E> {
                        ::core::result::Result::Ok(#name_ident::from(wire))
                    }
                }

                deserializer.deserialize_str(Wire)
            }
        }

        #schemars
    }
}
