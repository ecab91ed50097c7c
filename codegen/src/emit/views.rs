//! `views.rs`: borrowed views of the messages marked `x-rust-borrow`, for code that
//! decodes many payloads and keeps none of them.
//!
//! A view mirrors its owned type field for field, with three differences: strings
//! are [`Text`](https://docs.rs/rainmaker-types) (borrowed from the payload when
//! they need no unescaping), runtime types with an `x-rust-borrowed-type` are
//! replaced by that type, and properties the schema does not name are skipped
//! rather than kept. Types with nothing to borrow (enums, numbers) are used as they
//! are. `MessageRef<'a>` and `EnvelopeRef<'a>` mirror `Message` and `Envelope`:
//! messages without a view keep their owned payload type.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deserialize::{self, Property, Unknown};
use super::dispatch::{decode_match, owned_decode_call, owned_payload_type};
use super::{Ctx, Scope, doc, doc_or, ident};
use crate::model::{Encoding, Extra, Field, Message, TypeKind, TypeRef};
use crate::naming;

/// The tokens of `views.rs`, or `None` when no message has a view that borrows.
pub fn emit(ctx: &Ctx<'_>) -> Option<TokenStream> {
    let views = Views::new(ctx);
    let borrowing: Vec<&Message> = ctx
        .model
        .messages
        .iter()
        .filter(|message| views.message_borrows(message))
        .collect();
    if borrowing.is_empty() {
        return None;
    }
    let structs = views
        .structs
        .iter()
        .filter_map(|name| views.emit_struct(name));
    let payload_impls = borrowing
        .iter()
        .filter(|message| message.encoding == Encoding::Json)
        .filter_map(|message| match &message.payload {
            TypeRef::Named(name) if views.structs.contains(name) => Some(view_name(name)),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|name| {
            let rt = &ctx.rt;
            let name = format_ident!("{}", name);
            quote! {
                impl<'a> #rt::PayloadRef<'a> for #name<'a> {
                    fn decode_ref(bytes: &'a [u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                        #rt::payload::decode_json_ref(bytes)
                    }
                }
            }
        });
    let message = views.emit_message_ref();
    let envelope = views.emit_envelope_ref();
    Some(quote! {
        use super::topics::{Channel, TopicRef};

        #( #structs )*
        #( #payload_impls )*
        #message
        #envelope
    })
}

/// The Rust name of the view of the named type `name`.
fn view_name(name: &str) -> String {
    format!("{name}Ref")
}

/// Which named types get a view, and the view type of any type.
struct Views<'c, 'm> {
    ctx: &'c Ctx<'m>,
    /// The named structs that get a view, in model order.
    structs: Vec<String>,
}

impl<'c, 'm> Views<'c, 'm> {
    /// The views the marked messages need: every struct reachable from their
    /// payloads that holds something to borrow, directly or through its fields.
    fn new(ctx: &'c Ctx<'m>) -> Self {
        let model = ctx.model;
        let mut reachable = BTreeSet::new();
        let mut pending: Vec<&TypeRef> = model
            .messages
            .iter()
            .filter(|message| message.borrow)
            .map(|message| &message.payload)
            .collect();
        while let Some(ty) = pending.pop() {
            match ty {
                TypeRef::Named(name) => {
                    if !reachable.insert(name.clone()) {
                        continue;
                    }
                    match model.type_def(name).map(|def| &def.kind) {
                        Some(TypeKind::Struct { fields, .. }) => {
                            pending.extend(fields.iter().map(|field| &field.ty));
                        }
                        Some(TypeKind::Alias { inner }) => pending.push(inner),
                        _ => {}
                    }
                }
                TypeRef::Vec(inner)
                | TypeRef::Map(inner)
                | TypeRef::Nullable(inner)
                | TypeRef::Boxed(inner) => pending.push(inner),
                _ => {}
            }
        }
        let mut views = Self {
            ctx,
            structs: Vec::new(),
        };
        // A struct borrows when a field does; grow the set until it settles (a
        // recursive struct borrows when a non-recursive field does).
        loop {
            let grown: Vec<String> = model
                .types
                .iter()
                .filter(|def| reachable.contains(&def.name) && !views.structs.contains(&def.name))
                .filter(|def| match &def.kind {
                    TypeKind::Struct { fields, .. } => {
                        fields.iter().any(|field| views.borrows(&field.ty))
                    }
                    _ => false,
                })
                .map(|def| def.name.clone())
                .collect();
            if grown.is_empty() {
                break;
            }
            views.structs.extend(grown);
        }
        let order: Vec<&str> = model.types.iter().map(|def| def.name.as_str()).collect();
        views
            .structs
            .sort_by_key(|name| order.iter().position(|known| known == name));
        views
    }

    /// Whether the view of `ty` borrows from the payload.
    fn borrows(&self, ty: &TypeRef) -> bool {
        match ty {
            // A catalogue value is viewed as its wire text: no lookup, no copy.
            TypeRef::String | TypeRef::Standard(_) => true,
            TypeRef::External(path) => self.ctx.model.borrowed_types.contains_key(path),
            TypeRef::Named(name) => {
                self.structs.contains(name)
                    || matches!(
                        self.ctx.model.type_def(name).map(|def| &def.kind),
                        Some(TypeKind::Alias { inner }) if self.borrows_alias(inner, 0)
                    )
            }
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => self.borrows(inner),
            _ => false,
        }
    }

    /// `borrows` through a chain of aliases (bounded, in case of a cycle).
    fn borrows_alias(&self, ty: &TypeRef, depth: usize) -> bool {
        if depth > self.ctx.model.types.len() {
            return false;
        }
        match ty {
            TypeRef::Named(name) => match self.ctx.model.type_def(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { inner }) => self.borrows_alias(inner, depth + 1),
                _ => self.structs.contains(name),
            },
            other => self.borrows(other),
        }
    }

    /// Whether `message` has a view that borrows (else `MessageRef` holds its owned
    /// payload).
    fn message_borrows(&self, message: &Message) -> bool {
        message.borrow
            && match message.encoding {
                Encoding::Json => self.borrows(&message.payload),
                Encoding::Custom => self.borrows(&message.payload),
                Encoding::Bytes => true,
                Encoding::Text => false,
            }
    }

    /// The view type of `ty`, written in the views module.
    fn view_type(&self, ty: &TypeRef) -> TokenStream {
        let ctx = self.ctx;
        let rt = &ctx.rt;
        if !self.borrows(ty) {
            return ctx.rust_type(ty, Scope::Sibling);
        }
        match ty {
            TypeRef::String | TypeRef::Standard(_) => quote!(#rt::Text<'a>),
            TypeRef::External(path) => {
                let borrowed = self
                    .ctx
                    .model
                    .borrowed_types
                    .get(path)
                    .map_or(path.as_str(), String::as_str);
                let borrowed = ctx.external(borrowed);
                quote!(#borrowed<'a>)
            }
            TypeRef::Named(name) => match ctx.model.type_def(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { inner }) => self.view_type(inner),
                _ => {
                    let view = format_ident!("{}", view_name(name));
                    quote!(#view<'a>)
                }
            },
            TypeRef::Vec(inner) => {
                let inner = self.view_type(inner);
                quote!(#rt::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.view_type(inner);
                quote!(#rt::BTreeMap<#rt::Text<'a>, #inner>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.view_type(inner);
                quote!(::core::option::Option<#inner>)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.view_type(inner);
                quote!(#rt::Box<#inner>)
            }
            other => ctx.rust_type(other, Scope::Sibling),
        }
    }

    /// The view type of a message's payload.
    fn payload_view(&self, message: &Message) -> TokenStream {
        if !self.message_borrows(message) {
            return owned_payload_type(self.ctx, message);
        }
        match message.encoding {
            Encoding::Bytes => quote!(&'a [u8]),
            _ => self.view_type(&message.payload),
        }
    }

    fn emit_struct(&self, name: &str) -> Option<TokenStream> {
        let def = self.ctx.model.type_def(name)?;
        let TypeKind::Struct { fields, extra } = &def.kind else {
            return None;
        };
        let view = format_ident!("{}", view_name(name));
        let summary = format!(
            " A borrowed view of [`{name}`](super::messages::{name}): strings borrow \
             from the payload; properties the schema does not name are skipped."
        );
        let rt = &self.ctx.rt;
        let path = format!("{}::serde", self.ctx.rt_text);
        let definitions = fields.iter().map(|field| self.emit_field(field));
        let properties: Vec<Property<'_>> = fields
            .iter()
            .map(|field| Property {
                field,
                ty: self.view_type(&field.ty),
            })
            .collect();
        let unknown = if *extra == Extra::Deny {
            Unknown::Refuse
        } else {
            Unknown::Skip
        };
        let deserialize = deserialize::emit(self.ctx, &view, true, &properties, &unknown);
        Some(quote! {
            #[doc = #summary]
            #[derive(Debug, Clone, PartialEq)]
            #[derive(#rt::serde::Serialize)]
            #[serde(crate = #path)]
            pub struct #view<'a> {
                #( #definitions )*
            }

            #deserialize
        })
    }

    fn emit_field(&self, field: &Field) -> TokenStream {
        let name = ident(&field.rust);
        let docs = doc_or(
            field.description.as_deref(),
            &format!("The `{}` property.", field.wire),
        );
        let mut serde_args = Vec::new();
        if naming::needs_rename(&field.rust, &field.wire) {
            let wire = &field.wire;
            serde_args.push(quote!(rename = #wire));
        }
        let inner = self.view_type(&field.ty);
        let ty = if field.required {
            inner
        } else {
            serde_args.push(quote!(
                skip_serializing_if = "::core::option::Option::is_none"
            ));
            quote!(::core::option::Option<#inner>)
        };
        let serde = (!serde_args.is_empty()).then(|| quote!(#[serde( #( #serde_args ),* )]));
        quote! {
            #docs
            #serde
            pub #name: #ty,
        }
    }

    /// `MessageRef<'a>`: `Message` with the views of the marked messages.
    fn emit_message_ref(&self) -> TokenStream {
        let ctx = self.ctx;
        let rt = &ctx.rt;
        let model = ctx.model;
        let definitions = model.messages.iter().map(|message| {
            let variant = ident(&message.variant);
            let ty = self.payload_view(message);
            let text = if self.message_borrows(message) {
                format!("`{}`, borrowed.", message.name)
            } else {
                format!("`{}` (owned: it has no view).", message.name)
            };
            let docs = doc(&text);
            quote! { #docs #variant(#ty), }
        });
        let names = model.messages.iter().map(|message| {
            let variant = ident(&message.variant);
            let name = &message.name;
            quote!(Self::#variant(_) => #name,)
        });
        let decode = decode_match(ctx, |message| {
            let variant = ident(&message.variant);
            if !self.message_borrows(message) {
                return owned_decode_call(ctx, message);
            }
            let ty = self.payload_view(message);
            match message.encoding {
                Encoding::Json => {
                    quote!(#rt::payload::decode_json_ref::<#ty>(payload).map(Self::#variant))
                }
                Encoding::Custom => {
                    quote!(<#ty as #rt::PayloadRef<'a>>::decode_ref(payload).map(Self::#variant))
                }
                Encoding::Bytes | Encoding::Text => quote! {
                    ::core::result::Result::<Self, #rt::DecodeError>::Ok(Self::#variant(payload))
                },
            }
        });
        quote! {
            /// A message of the document, borrowing from its payload where the
            /// document asks for a view (`x-rust-borrow`): one variant per message,
            /// as in `Message`.
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum MessageRef<'a> { #( #definitions )* }

            impl<'a> MessageRef<'a> {
                /// The message's name in the document.
                pub fn name(&self) -> &'static str {
                    match self { #( #names )* }
                }

                /// Decodes the payload of a publish on a topic of `channel`, borrowing
                /// from `payload`.
                ///
                /// # Errors
                ///
                /// The same `DecodeError` as `Message::decode_on`.
                pub fn decode_on(channel: Channel, payload: &'a [u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                    let options = &#rt::DecodeOptions::strict();
                    options.check_len(payload)?;
                    // Strict decoding repairs nothing; the list stays empty.
                    let repairs = &mut #rt::Vec::new();
                    #decode
                }
            }
        }
    }

    /// `EnvelopeRef<'a>`: a borrowed topic and a borrowed message.
    fn emit_envelope_ref(&self) -> TokenStream {
        let ctx = self.ctx;
        let rt = &ctx.rt;
        let ingest = ctx.model.has_ingest().then(|| {
            quote! {
                /// Classifies a topic (either form), decodes its payload, and says which
                /// form the topic was in.
                ///
                /// # Errors
                ///
                /// As [`EnvelopeRef::decode`].
                pub fn decode_form(topic: &'a str, payload: &'a [u8]) -> ::core::result::Result<(Self, #rt::TopicForm), #rt::DispatchError> {
                    let (topic, form) = TopicRef::parse_form(topic)?;
                    let message = MessageRef::decode_on(topic.channel(), payload)?;
                    ::core::result::Result::Ok((Self { topic, message }, form))
                }
            }
        });
        quote! {
            /// A publish decoded without copying: the topic's segments and the
            /// payload's strings borrow from the input.
            #[derive(Debug, Clone, PartialEq)]
            pub struct EnvelopeRef<'a> {
                topic: TopicRef<'a>,
                message: MessageRef<'a>,
            }

            impl<'a> EnvelopeRef<'a> {
                /// Classifies a topic and decodes its payload, borrowing from both.
                ///
                /// # Errors
                ///
                /// `DispatchError::Topic` or `DispatchError::Payload`, as
                /// `Envelope::decode`.
                pub fn decode(topic: &'a str, payload: &'a [u8]) -> ::core::result::Result<Self, #rt::DispatchError> {
                    let topic = TopicRef::parse(topic)?;
                    let message = MessageRef::decode_on(topic.channel(), payload)?;
                    ::core::result::Result::Ok(Self { topic, message })
                }

                #ingest

                /// The topic.
                pub fn topic(&self) -> &TopicRef<'a> {
                    &self.topic
                }

                /// The message.
                pub fn message(&self) -> &MessageRef<'a> {
                    &self.message
                }

                /// The topic and the message.
                pub fn into_parts(self) -> (TopicRef<'a>, MessageRef<'a>) {
                    (self.topic, self.message)
                }
            }
        }
    }
}
