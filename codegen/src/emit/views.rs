//! `views.rs`: borrowed views of the messages marked `x-rust-borrow`, for code that
//! decodes many payloads and keeps none of them.
//!
//! A view mirrors its owned type field for field, with three differences: strings
//! are [`Text`](https://docs.rs/rainmaker-types) (borrowed from the payload when
//! they need no unescaping), runtime types with an `x-rust-borrowed-type` are
//! replaced by that type, and properties the schema does not name are skipped
//! rather than kept. Types with nothing to borrow (enums, numbers) are used as they
//! are. `MessageRef<'a>` and `EnvelopeRef<'a>` (emitted into `dispatch.rs`) mirror
//! `Message` and `Envelope`: messages without a view keep their owned payload type.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deserialize::{self, Property, Unknown};
use super::dispatch::{
    Decoding, EnvelopeKind, decode_body, decode_match, decode_with_body, envelope_decoders,
    kind_of_variants, owned_decode_call, owned_payload_type, topic_check,
};
use super::{Ctx, Scope, doc, ident, skip_none, struct_field};
use crate::model::{Encoding, Extra, Field, Message, TypeKind, TypeRef};

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
    Some(quote! {
        #( #structs )*
        #( #payload_impls )*
    })
}

/// `MessageRef<'a>` and `EnvelopeRef<'a>`, for `dispatch.rs` beside `Message` and
/// `Envelope`; `None` when no message has a view that borrows.
pub fn emit_dispatch(ctx: &Ctx<'_>) -> Option<TokenStream> {
    let mut views = Views::new(ctx);
    views.path = quote!(super::views::);
    if !ctx
        .model
        .messages
        .iter()
        .any(|message| views.message_borrows(message))
    {
        return None;
    }
    let message = views.emit_message_ref();
    let envelope = views.emit_envelope_ref();
    Some(quote! {
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
    /// How view structs are named where the tokens go: nothing in `views.rs`,
    /// `super::views::` in `dispatch.rs`.
    path: TokenStream,
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
            path: TokenStream::new(),
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
        self.view_type_in(ty, &quote!('a))
    }

    /// The view type of `ty` with the lifetime `lifetime`.
    fn view_type_in(&self, ty: &TypeRef, lifetime: &TokenStream) -> TokenStream {
        let ctx = self.ctx;
        let rt = &ctx.rt;
        if !self.borrows(ty) {
            return ctx.rust_type(ty, Scope::Sibling);
        }
        match ty {
            TypeRef::String | TypeRef::Standard(_) => quote!(#rt::Text<#lifetime>),
            TypeRef::External(path) => {
                let borrowed = self
                    .ctx
                    .model
                    .borrowed_types
                    .get(path)
                    .map_or(path.as_str(), String::as_str);
                let borrowed = ctx.external(borrowed);
                quote!(#borrowed<#lifetime>)
            }
            TypeRef::Named(name) => match ctx.model.type_def(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { inner }) => self.view_type_in(inner, lifetime),
                _ => {
                    let (path, view) = (&self.path, format_ident!("{}", view_name(name)));
                    quote!(#path #view<#lifetime>)
                }
            },
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => ctx.holder(
                ty,
                &quote!(#rt::Text<#lifetime>),
                self.view_type_in(inner, lifetime),
            ),
            other => ctx.rust_type(other, Scope::Sibling),
        }
    }

    /// The expression that detaches `value`, a view of `ty`, from its payload: every
    /// borrowed string copied, so the result may have any lifetime.
    fn detach(&self, ty: &TypeRef, value: TokenStream) -> TokenStream {
        let rt = &self.ctx.rt;
        if !self.borrows(ty) {
            return value;
        }
        if let Some(function) = self.detach_fn(ty) {
            return quote!(#function(#value));
        }
        match ty {
            TypeRef::Named(name) => match self.ctx.model.type_def(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { inner }) => self.detach(inner, value),
                _ => value,
            },
            TypeRef::Vec(inner) => {
                let item = self.detach_with(inner);
                quote!(#value.into_iter().map(#item).collect())
            }
            TypeRef::Map(inner) => {
                let item = self.detach(inner, quote!(item));
                quote!(#value.into_iter().map(|(key, item)| (#rt::Text::detach(key), #item)).collect())
            }
            TypeRef::Nullable(inner) => {
                let item = self.detach_with(inner);
                quote!(#value.map(#item))
            }
            TypeRef::Boxed(inner) => {
                let item = self.detach(inner, quote!(*boxed));
                quote!({ let boxed = #value; #rt::Box::new(#item) })
            }
            _ => value,
        }
    }

    /// What detaches one view of `ty` in a `map`: a function path, or a closure.
    fn detach_with(&self, ty: &TypeRef) -> TokenStream {
        self.detach_fn(ty).unwrap_or_else(|| {
            let item = self.detach(ty, quote!(item));
            quote!(|item| #item)
        })
    }

    /// The function that detaches a view of `ty`, when one does (`Text::detach`,
    /// `FooRef::detach`).
    fn detach_fn(&self, ty: &TypeRef) -> Option<TokenStream> {
        let ctx = self.ctx;
        let rt = &ctx.rt;
        match ty {
            TypeRef::String | TypeRef::Standard(_) => Some(quote!(#rt::Text::detach)),
            TypeRef::External(path) => {
                let borrowed = ctx.model.borrowed_types.get(path)?;
                let borrowed = ctx.external(borrowed);
                Some(quote!(#borrowed::detach))
            }
            TypeRef::Named(name) => match ctx.model.type_def(name).map(|def| &def.kind) {
                Some(TypeKind::Alias { inner }) => self.detach_fn(inner),
                _ if self.structs.contains(name) => {
                    let (path, view) = (&self.path, format_ident!("{}", view_name(name)));
                    Some(quote!(#path #view::detach))
                }
                _ => None,
            },
            _ => None,
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
        let validate = super::validate::Checks::new(self.ctx).emit_impl(name, Some(&view));
        let detached = fields.iter().map(|field| {
            let name = ident(&field.rust);
            let value = if field.required || !self.borrows(&field.ty) {
                self.detach(&field.ty, quote!(self.#name))
            } else {
                let item = self.detach_with(&field.ty);
                quote!(self.#name.map(#item))
            };
            quote!(#name: #value,)
        });
        Some(quote! {
            #[doc = #summary]
            #[derive(Debug, Clone, PartialEq)]
            #[derive(#rt::serde::Serialize)]
            #[serde(crate = #path)]
            pub struct #view<'a> {
                #( #definitions )*
            }

            impl #view<'_> {
                /// The same view with every borrowed string copied, so it no longer
                /// borrows from the payload (and may be given any lifetime).
                pub fn detach<'b>(self) -> #view<'b> {
                    #view { #( #detached )* }
                }
            }

            #deserialize
            #validate
        })
    }

    fn emit_field(&self, field: &Field) -> TokenStream {
        let (docs, mut serde_args) = super::field_docs_and_rename(field);
        let inner = self.view_type(&field.ty);
        let ty = if field.required {
            inner
        } else {
            serde_args.push(skip_none());
            quote!(::core::option::Option<#inner>)
        };
        struct_field(&docs, &serde_args, &field.rust, &ty)
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
        let kind_match = kind_of_variants(ctx);
        let checks = super::validate::Checks::new(ctx);
        let decode_call = |message: &Message, decoding: Decoding| {
            let variant = ident(&message.variant);
            if !self.message_borrows(message) {
                return owned_decode_call(ctx, message, decoding);
            }
            let ty = self.payload_view(message);
            let any = self.view_type_in(&message.payload, &quote!('_));
            // The view is checked against the schema's rules as the owned payload is.
            let checked = checks.decoded_check(&message.payload, &ty, &any);
            match message.encoding {
                Encoding::Json if decoding == Decoding::Strict => quote! {
                    #rt::payload::decode_json_ref::<#ty>(payload) #checked .map(Self::#variant)
                },
                Encoding::Json => {
                    let detach = self.detach_with(&message.payload);
                    quote! {
                        #rt::payload::decode_json_view::<#ty>(payload, options, repairs, |repaired| {
                            #rt::payload::decode_json_ref::<#any>(repaired).map(#detach)
                        })
                        #checked
                        .map(Self::#variant)
                    }
                }
                Encoding::Custom => {
                    quote!(<#ty as #rt::PayloadRef<'a>>::decode_ref(payload).map(Self::#variant))
                }
                Encoding::Bytes | Encoding::Text => quote! {
                    ::core::result::Result::<Self, #rt::DecodeError>::Ok(Self::#variant(payload))
                },
            }
        };
        let decode = decode_body(
            ctx,
            &decode_match(ctx, |message| decode_call(message, Decoding::Strict)),
        );
        let decode_with = decode_with_body(
            ctx,
            &decode_match(ctx, |message| decode_call(message, Decoding::WithOptions)),
        );
        quote! {
            /// A message of the document, borrowing from its payload where the
            /// document asks for a view (`x-rust-borrow`): one variant per message,
            /// as in `Message`.
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum MessageRef<'a> { #( #definitions )* }

            impl<'a> MessageRef<'a> {
                /// Which message this is.
                pub fn kind(&self) -> MessageKind {
                    #kind_match
                }

                /// The message's Rust name (`NodeConfig`): [`MessageKind::name`].
                pub fn name(&self) -> &'static str {
                    self.kind().name()
                }

                /// Decodes the payload of a publish on a topic of `channel`, borrowing
                /// from `payload`, strictly: as [`MessageRef::decode_with`] with the
                /// default options, without the repair machinery on the path.
                ///
                /// # Errors
                ///
                /// As [`MessageRef::decode_with`].
                pub fn decode(channel: Channel, payload: &'a [u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                    #decode
                }

                /// Decodes the payload of a publish on a topic of `channel` with
                /// `options`, borrowing from `payload`; a payload the lenient mode
                /// repaired is decoded from the repaired copy into a view that owns
                /// its strings.
                ///
                /// # Errors
                ///
                /// The same `DecodeError` as `Message::decode_with`.
                pub fn decode_with(
                    channel: Channel,
                    payload: &'a [u8],
                    options: &#rt::DecodeOptions,
                ) -> ::core::result::Result<#rt::Decoded<Self>, #rt::DecodeError> {
                    #decode_with
                }
            }
        }
    }

    /// `EnvelopeRef<'a>`: a borrowed topic and a borrowed message.
    fn emit_envelope_ref(&self) -> TokenStream {
        let rt = &self.ctx.rt;
        let decoders = envelope_decoders(self.ctx, EnvelopeKind::Borrowed);
        let check = topic_check(self.ctx, false);
        quote! {
            #check

            /// A publish decoded without copying: the topic's segments and the
            /// payload's strings borrow from the input.
            #[derive(Debug, Clone, PartialEq)]
            pub struct EnvelopeRef<'a> {
                topic: TopicRef<'a>,
                message: MessageRef<'a>,
                form: #rt::TopicForm,
            }

            impl<'a> EnvelopeRef<'a> {
                #decoders

                /// The topic.
                pub fn topic(&self) -> &TopicRef<'a> {
                    &self.topic
                }

                /// The message.
                pub fn message(&self) -> &MessageRef<'a> {
                    &self.message
                }

                /// The form the topic arrived in.
                pub fn form(&self) -> #rt::TopicForm {
                    self.form
                }

                /// The topic and the message.
                pub fn into_parts(self) -> (TopicRef<'a>, MessageRef<'a>) {
                    (self.topic, self.message)
                }
            }
        }
    }
}
