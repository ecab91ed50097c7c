//! `messages.rs`: one Rust type per schema, with serde derives.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Scope, doc_or, file_attributes, ident, rust_type};
use crate::model::{Field, Model, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming;

/// The tokens of `messages.rs`.
pub fn emit(model: &Model) -> TokenStream {
    let attributes = file_attributes(
        "Message payloads: one type per schema of the spec, with serde derives.\n\n\
         Struct fields keep the schema's property order, which is the order the SDK \
         writes keys in.",
    );
    let types = model.types.iter().map(emit_type);
    let payloads = json_payloads(model).into_iter().map(|ty| {
        let ty = rust_type(&ty, Scope::Messages);
        quote! { impl crate::JsonPayload for #ty {} }
    });
    let helper = needs_present_helper(model).then(present_helper);
    quote! {
        #attributes
        #( #types )*
        #( #payloads )*
        #helper
    }
}

/// The payload types of JSON messages, which get `impl JsonPayload` (and so
/// `Payload`), each once, in order of first use. Runtime (`x-rust-type`) types of JSON
/// messages are included; binary payloads implement `Payload` themselves.
fn json_payloads(model: &Model) -> Vec<TypeRef> {
    let mut seen = BTreeSet::new();
    let mut types = Vec::new();
    for message in &model.messages {
        if !is_json(&message.content_type) {
            continue;
        }
        let Some(ty) = json_payload_type(model, &message.payload) else {
            continue;
        };
        if seen.insert(format!("{ty:?}")) {
            types.push(ty);
        }
    }
    types
}

/// Whether a content type is JSON.
fn is_json(content_type: &str) -> bool {
    content_type == "application/json" || content_type.ends_with("+json")
}

/// The type that implements `JsonPayload` for a payload, following aliases; `None` for
/// raw bytes.
fn json_payload_type(model: &Model, payload: &TypeRef) -> Option<TypeRef> {
    let mut current = payload;
    for _ in 0..=model.types.len() {
        let TypeRef::Named(name) = current else {
            return matches!(current, TypeRef::Runtime(_)).then(|| current.clone());
        };
        let def = model.types.iter().find(|def| &def.name == name)?;
        match &def.kind {
            TypeKind::Alias { inner } => current = inner,
            TypeKind::RawBytes => return None,
            _ => return Some(current.clone()),
        }
    }
    None
}

fn emit_type(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_or(
        def.description.as_deref(),
        &format!("The `{}` schema of the spec.", def.name),
    );
    match &def.kind {
        TypeKind::Struct { fields, extra } => emit_struct(&name, &docs, fields, *extra),
        TypeKind::Enum { variants } => emit_enum(&name, &docs, variants),
        TypeKind::OpenEnum { variants } => emit_open_enum(&def.name, &docs, variants),
        TypeKind::Untagged { variants } => {
            let variants = variants.iter().map(|(variant, ty)| {
                let variant = ident(variant);
                let ty_tokens = rust_type(ty, Scope::Messages);
                let text = format!("A `{}` payload.", type_label(ty));
                quote! { #[doc = #text] #variant(#ty_tokens), }
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
                #[serde(untagged)]
                pub enum #name { #( #variants )* }
            }
        }
        TypeKind::Alias { inner } => {
            let inner = rust_type(inner, Scope::Messages);
            quote! { #docs pub type #name = #inner; }
        }
        TypeKind::RawBytes => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Eq, Default)]
            pub struct #name(pub Vec<u8>);

            impl crate::Payload for #name {
                fn decode(bytes: &[u8]) -> Result<Self, crate::DecodeError> {
                    Ok(Self(bytes.to_vec()))
                }

                fn encode(&self) -> Result<Vec<u8>, crate::EncodeError> {
                    Ok(self.0.clone())
                }
            }
        },
    }
}

fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) | TypeRef::Runtime(name) => name.clone(),
        _ => "value".to_owned(),
    }
}

fn emit_struct(name: &Ident, docs: &TokenStream, fields: &[Field], extra: bool) -> TokenStream {
    let fields = fields.iter().map(emit_field);
    let extra = extra.then(|| {
        quote! {
            /// Properties the spec does not name, kept so that decoding then encoding
            /// loses nothing.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub struct #name {
            #( #fields )*
            #extra
        }
    }
}

fn emit_field(field: &Field) -> TokenStream {
    let name = ident(&field.rust);
    let mut docs = doc_or(
        field.description.as_deref(),
        &format!("The `{}` property.", field.wire),
    );
    let mut serde_args = Vec::new();
    if naming::needs_rename(&field.rust, &field.wire) {
        let wire = &field.wire;
        serde_args.push(quote!(rename = #wire));
    }
    let inner = rust_type(&field.ty, Scope::Messages);
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    let ty = if field.required {
        inner
    } else {
        serde_args.push(quote!(default));
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
        if nullable {
            // Missing (`None`) and `null` (`Some(None)`) stay apart.
            serde_args.push(quote!(deserialize_with = "deserialize_present"));
            let note = " `None` when the property is missing, `Some(None)` when it is `null`.";
            docs = quote! { #docs #[doc = ""] #[doc = #note] };
        }
        quote!(Option<#inner>)
    };
    let serde = (!serde_args.is_empty()).then(|| quote!(#[serde( #( #serde_args ),* )]));
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

fn emit_enum(name: &Ident, docs: &TokenStream, variants: &[Variant]) -> TokenStream {
    let definitions = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let text = format!(" `{}`.", variant.wire);
        let rename = naming::needs_rename(&variant.rust, &variant.wire).then(|| {
            let wire = &variant.wire;
            quote!(#[serde(rename = #wire)])
        });
        quote! { #[doc = #text] #rename #rust, }
    });
    let arms = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let wire = &variant.wire;
        quote! { Self::#rust => #wire, }
    });
    let all = variants.iter().map(|variant| ident(&variant.rust));
    let count = proc_macro2::Literal::usize_unsuffixed(variants.len());
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub enum #name { #( #definitions )* }

        impl #name {
            /// Every value, in spec order.
            pub const ALL: [Self; #count] = [ #( Self::#all ),* ];

            /// The wire string.
            pub const fn as_str(&self) -> &'static str {
                match self { #( #arms )* }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// An enum over an open set of strings: the known values and `Other(String)`, with
/// serde as the plain wire string. Shared with the standard-type catalogue.
pub(crate) fn emit_open_enum(name: &str, docs: &TokenStream, variants: &[Variant]) -> TokenStream {
    let name_ident = ident(name);
    let definitions = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let text = format!(" `{}`.", variant.wire);
        quote! { #[doc = #text] #rust, }
    });
    let to_wire = variants.iter().map(|variant| {
        let rust = ident(&variant.rust);
        let wire = &variant.wire;
        quote! { Self::#rust => #wire, }
    });
    let from_wire: Vec<TokenStream> = variants
        .iter()
        .map(|variant| {
            let rust = ident(&variant.rust);
            let wire = &variant.wire;
            quote! { #wire => Self::#rust, }
        })
        .collect();
    let known = variants.iter().map(|variant| ident(&variant.rust));
    let count = proc_macro2::Literal::usize_unsuffixed(variants.len());
    let open_note = " The set is open: values the spec does not list are kept in [`Self::Other`]. \
                     Build values with `From<&str>` so that a listed value never ends up in \
                     `Other`.";
    quote! {
        #docs
        #[doc = ""]
        #[doc = #open_note]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name_ident {
            #( #definitions )*
            /// A value the spec does not list, as it is on the wire.
            Other(String),
        }

        impl #name_ident {
            /// The values the spec lists, in spec order.
            pub const KNOWN: [Self; #count] = [ #( Self::#known ),* ];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #to_wire )*
                    Self::Other(other) => other,
                }
            }

            /// Whether this is one of the values the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl From<&str> for #name_ident {
            fn from(wire: &str) -> Self {
                match wire {
                    #( #from_wire )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for #name_ident {
            fn from(wire: String) -> Self {
                match wire.as_str() {
                    #( #from_wire )*
                    _ => Self::Other(wire),
                }
            }
        }

        impl std::str::FromStr for #name_ident {
            type Err = std::convert::Infallible;

            fn from_str(wire: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(wire))
            }
        }

        impl std::fmt::Display for #name_ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name_ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for #name_ident {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #name.into()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <String as schemars::JsonSchema>::json_schema(generator)
            }
        }
    }
}

fn needs_present_helper(model: &Model) -> bool {
    model.types.iter().any(|def| match &def.kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .any(|field| !field.required && matches!(field.ty, TypeRef::Nullable(_))),
        _ => false,
    })
}

fn present_helper() -> TokenStream {
    quote! {
        /// Deserializes a property that is present (possibly `null`) as `Some`, so that
        /// an optional nullable property keeps missing and `null` apart.
        fn deserialize_present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
        where
            D: serde::Deserializer<'de>,
            T: serde::Deserialize<'de>,
        {
            T::deserialize(deserializer).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Field;

    #[test]
    fn optional_nullable_fields_keep_missing_and_null_apart() {
        let field = Field {
            wire: "k0".into(),
            rust: "k0".into(),
            ty: TypeRef::Nullable(Box::new(TypeRef::String)),
            required: false,
            description: None,
        };
        let text = emit_field(&field).to_string();
        assert!(
            text.contains("deserialize_with = \"deserialize_present\""),
            "{text}"
        );
        assert!(text.contains("Option < Option < String > >"), "{text}");
    }

    #[test]
    fn renamed_fields_keep_their_wire_name() {
        let field = Field {
            wire: "clientId".into(),
            rust: "client_id".into(),
            ty: TypeRef::String,
            required: true,
            description: Some("The client.".into()),
        };
        let text = emit_field(&field).to_string();
        assert!(text.contains("rename = \"clientId\""), "{text}");
        assert!(text.contains("pub client_id : String"), "{text}");
    }
}
