//! `dispatch.rs`: the `Message` enum, decoding a payload by its topic, and encoding a
//! message for a topic.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Ctx, Scope, doc, ident, match_self, variants};
use crate::model::{Encoding, Extra, Message, Model, TypeKind, TypeRef};

/// The tokens of `dispatch.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let definition = |message: &Message, variant: &Ident| {
        let ty = owned_payload_type(ctx, message);
        let mut text = format!(
            "{} ({}).",
            super::code_span(&message.name),
            message.content_type
        );
        if let Some(description) = &message.description {
            text.push_str("\n\n");
            text.push_str(description);
        }
        let docs = doc(&text);
        quote! { #docs #variant(#ty), }
    };
    let (variants, definitions) = variants(&model.messages, |m| &m.variant, definition);
    let kind = message_kind(ctx);
    let checks = super::validate::Checks::new(ctx);
    let encode_arms = model
        .messages
        .iter()
        .zip(&variants)
        .map(|(message, variant)| {
            // What decoding refuses, encoding refuses too.
            let value = if boxed(ctx, message) {
                quote!(&**payload)
            } else {
                quote!(payload)
            };
            let ty = ctx.rust_type(&message.payload, Scope::Sibling);
            let check = (message.encoding == Encoding::Json)
                .then(|| checks.payload_check(&message.payload, &ty, &value))
                .flatten()
                .map(|check| quote!(#check?;));
            let encode = match message.encoding {
                Encoding::Json if message.sdk_json => {
                    quote!(#rt::payload::encode_sdk_json(payload))
                }
                Encoding::Json => quote!(#rt::payload::encode_json(payload)),
                Encoding::Text => {
                    quote!(::core::result::Result::Ok(#rt::payload::encode_text(payload)))
                }
                Encoding::Bytes => quote!(::core::result::Result::Ok(::core::clone::Clone::clone(
                    payload
                ))),
                Encoding::Custom if boxed(ctx, message) => quote!(#rt::Payload::encode(&**payload)),
                Encoding::Custom => quote!(#rt::Payload::encode(payload)),
            };
            quote! { Self::#variant(payload) => { #check #encode } }
        });
    let display_arms: Vec<TokenStream> = model
        .messages
        .iter()
        .zip(&variants)
        .map(|(message, variant)| match message.encoding {
            Encoding::Custom if boxed(ctx, message) => {
                quote! { Self::#variant(payload) => ::core::fmt::Display::fmt(&**payload, f), }
            }
            Encoding::Custom => {
                quote! { Self::#variant(payload) => ::core::fmt::Display::fmt(payload, f), }
            }
            Encoding::Json | Encoding::Text | Encoding::Bytes => quote! {
                Self::#variant(_) => match self.encode() {
                    ::core::result::Result::Ok(bytes) => #rt::payload::write_payload(f, &bytes),
                    ::core::result::Result::Err(_) => ::core::result::Result::Err(::core::fmt::Error),
                },
            },
        })
        .collect();
    let kind_match = kind_of_variants(ctx);
    let encode_match = match_self(&encode_arms.collect::<Vec<_>>(), true);
    let display_match = match_self(&display_arms, true);
    // Each channel tries its messages through `decode_as`, which holds the one
    // decoding expression of each message.
    let decode = decode_body(
        ctx,
        &decode_match(ctx, |message| {
            let kind = ident(&message.variant);
            quote!(Self::decode_as(MessageKind::#kind, payload))
        }),
    );
    let decode_with = decode_with_body(
        ctx,
        &decode_match(ctx, |message| {
            owned_decode_call(ctx, message, Decoding::WithOptions)
        }),
    );
    let decode_as_arms = model.messages.iter().map(|message| {
        let kind = ident(&message.variant);
        let call = owned_decode_call(ctx, message, Decoding::Strict);
        quote!(MessageKind::#kind => #call,)
    });
    let envelope_decoders = envelope_decoders(ctx, EnvelopeKind::Owned);
    let (_, topic_in_form) = topic_forms(ctx);
    let check = topic_check(ctx, true);
    quote! {
        use super::topics::{Channel, Topic, TopicRef};

        #kind

        #check

        /// A message of the document with its typed payload: one variant per message.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Message { #( #definitions )* }

        impl Message {
            /// Which message this is.
            pub fn kind(&self) -> MessageKind {
                #kind_match
            }

            /// The message's Rust name (`NodeConfig`): [`MessageKind::name`].
            pub fn name(&self) -> &'static str {
                self.kind().name()
            }

            /// The channels that carry this message.
            pub fn channels(&self) -> &'static [Channel] {
                self.kind().channels()
            }

            /// Whether `channel` carries this message.
            pub fn fits(&self, channel: Channel) -> bool {
                self.channels().contains(&channel)
            }

            /// Decodes the payload of a publish on a topic of `channel`, strictly:
            /// as [`Message::decode_with`] with the default options, without the
            /// repair machinery on the path.
            ///
            /// # Errors
            ///
            /// As [`Message::decode_with`].
            pub fn decode(channel: Channel, payload: &[u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                #decode
            }

            /// Decodes `payload` as the message `kind`, strictly, whatever channel
            /// it came on (for a payload known to be of that kind).
            ///
            /// # Errors
            ///
            /// As [`Message::decode`].
            pub fn decode_as(kind: MessageKind, payload: &[u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                match kind { #( #decode_as_arms )* }
            }

            /// Decodes the payload of a publish on a topic of `channel` with
            /// `options` (size limit, lenient repairs), with the repairs made.
            ///
            /// # Errors
            ///
            /// A `DecodeError` (with the JSON path or TLV offset) when the payload is
            /// not a message of the channel, `DecodeError::TooLarge` over the limit.
            pub fn decode_with(
                channel: Channel,
                payload: &[u8],
                options: &#rt::DecodeOptions,
            ) -> ::core::result::Result<#rt::Decoded<Self>, #rt::DecodeError> {
                #decode_with
            }

            /// Encodes the payload.
            ///
            /// # Errors
            ///
            /// An `EncodeError` when the payload cannot be
            /// serialized.
            pub fn encode(&self) -> ::core::result::Result<#rt::Vec<u8>, #rt::EncodeError> {
                #encode_match
            }
        }

        /// The payload as it travels: JSON and text as encoded, bytes as text when
        /// they are UTF-8 and as hex otherwise, runtime payload types (`x-rust-type`)
        /// by their own `Display`.
        impl ::core::fmt::Display for Message {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #display_match
            }
        }

        /// A message together with the topic it travels on and the form of that
        /// topic; built only when the topic's channel carries the message.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Envelope {
            topic: Topic,
            message: Message,
            form: #rt::TopicForm,
        }

        /// The topic (plain form), two spaces, then the message.
        impl ::core::fmt::Display for Envelope {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::write!(f, "{}  {}", self.topic, self.message)
            }
        }

        impl Envelope {
            /// Pairs a topic with a message, the topic in the plain form.
            ///
            /// # Errors
            ///
            /// `EncodeError::WrongTopic` when the
            /// topic's channel does not carry the message.
            pub fn new(topic: Topic, message: Message) -> ::core::result::Result<Self, #rt::EncodeError> {
                if !message.fits(topic.channel()) {
                    let addresses: #rt::Vec<&str> =
                        message.channels().iter().map(|channel| channel.address()).collect();
                    return ::core::result::Result::Err(#rt::EncodeError::WrongTopic {
                        expected: addresses.join("` or `"),
                        topic: #rt::ToString::to_string(&topic),
                    });
                }
                ::core::result::Result::Ok(Self { topic, message, form: #rt::TopicForm::Plain })
            }

            /// The same envelope with its topic written in `form` by
            /// [`Envelope::encode`] (a channel without an ingest form stays plain).
            #[must_use]
            pub fn with_form(self, form: #rt::TopicForm) -> Self {
                Self { form, ..self }
            }

            #envelope_decoders

            /// Encodes the envelope: the topic string, in the envelope's form, and the
            /// payload bytes.
            ///
            /// # Errors
            ///
            /// The payload's encoding error.
            pub fn encode(&self) -> ::core::result::Result<(#rt::String, #rt::Vec<u8>), #rt::EncodeError> {
                let topic = #topic_in_form;
                ::core::result::Result::Ok((topic, self.message.encode()?))
            }

            /// The topic.
            pub fn topic(&self) -> &Topic {
                &self.topic
            }

            /// The message.
            pub fn message(&self) -> &Message {
                &self.message
            }

            /// The form the topic arrived in (or is to be written in).
            pub fn form(&self) -> #rt::TopicForm {
                self.form
            }

            /// The topic and the message.
            pub fn into_parts(self) -> (Topic, Message) {
                (self.topic, self.message)
            }
        }
    }
}

/// A payload property that repeats a parameter of its topic
/// (`x-rainmaker-topic-parameter`), on one channel.
struct TopicCheck<'m> {
    /// The message's variant.
    message: Ident,
    /// The channel's variant.
    channel: Ident,
    /// The topic parameter's field in `TopicRef`.
    param: Ident,
    /// The payload's field.
    property: Ident,
    /// The property's wire name.
    wire: &'m str,
}

/// Every property of a message payload that repeats a parameter of a channel
/// carrying it.
fn topic_checks(model: &Model) -> Vec<TopicCheck<'_>> {
    let mut checks = Vec::new();
    for (index, message) in model.messages.iter().enumerate() {
        let TypeRef::Named(name) = &message.payload else {
            continue;
        };
        let Some(TypeKind::Struct { fields, .. }) = model.type_def(name).map(|def| &def.kind)
        else {
            continue;
        };
        for field in fields.iter().filter(|field| field.required) {
            let Some(parameter) = &field.topic_parameter else {
                continue;
            };
            for channel in model
                .channels
                .iter()
                .filter(|c| c.messages.contains(&index))
            {
                let Some(param) = channel.params.iter().find(|p| p.name == *parameter) else {
                    continue;
                };
                checks.push(TopicCheck {
                    message: ident(&message.variant),
                    channel: ident(&channel.variant),
                    param: ident(&param.field),
                    property: ident(&field.rust),
                    wire: &field.wire,
                });
            }
        }
    }
    checks
}

/// `check_topic` (over `Message`) or `check_topic_ref` (over `MessageRef`): what a
/// payload says about its topic (`x-rainmaker-topic-parameter`) agrees with the
/// topic. Always emitted (it accepts everything when no property repeats a
/// parameter), so the decoders call it whatever the document.
pub(super) fn topic_check(ctx: &Ctx<'_>, owned: bool) -> TokenStream {
    let rt = &ctx.rt;
    let (name, message, lifetime) = if owned {
        (quote!(check_topic), quote!(Message), TokenStream::new())
    } else {
        (quote!(check_topic_ref), quote!(MessageRef), quote!(<'_>))
    };
    let arms: Vec<TokenStream> = topic_checks(ctx.model)
        .into_iter()
        .map(|TopicCheck { message: variant, channel, param, property, wire }| {
            quote! {
                (#message::#variant(payload), TopicRef::#channel { #param: topic, .. })
                    if ::core::convert::AsRef::<str>::as_ref(&payload.#property) != *topic =>
                {
                    ::core::result::Result::Err(#rt::DispatchError::TopicMismatch {
                        property: #wire,
                        payload: #rt::ToString::to_string(::core::convert::AsRef::<str>::as_ref(&payload.#property)),
                        topic: #rt::ToString::to_string(*topic),
                    })
                }
            }
        })
        .collect();
    let body = if arms.is_empty() {
        quote!(let _ = (topic, message); ::core::result::Result::Ok(()))
    } else {
        quote! {
            match (message, topic) {
                #( #arms )*
                _ => ::core::result::Result::Ok(()),
            }
        }
    };
    quote! {
        /// Checks that what the payload says about its topic agrees with the topic.
        fn #name(topic: &TopicRef<'_>, message: &#message #lifetime) -> ::core::result::Result<(), #rt::DispatchError> {
            #body
        }
    }
}

/// The expressions that parse `topic` into `(TopicRef, TopicForm)`, and that write
/// `self.topic` in `self.form`.
fn topic_forms(ctx: &Ctx<'_>) -> (TokenStream, TokenStream) {
    let rt = &ctx.rt;
    if ctx.model.has_ingest() {
        (
            quote!(TopicRef::parse_form(topic)?),
            quote! {
                self.topic
                    .to_string_in(self.form)
                    .unwrap_or_else(|| #rt::ToString::to_string(&self.topic))
            },
        )
    } else {
        (
            quote!((TopicRef::parse(topic)?, #rt::TopicForm::Plain)),
            quote!(#rt::ToString::to_string(&self.topic)),
        )
    }
}

/// The body of `decode` of `Message` and `MessageRef`: the default size check, then
/// `decode` (the strict decoding expression).
pub(super) fn decode_body(ctx: &Ctx<'_>, decode: &TokenStream) -> TokenStream {
    let rt = &ctx.rt;
    quote! {
        #rt::DecodeOptions::strict().check_len(payload)?;
        #decode
    }
}

/// Which envelope [`envelope_decoders`] writes the decoders of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EnvelopeKind {
    /// `Envelope`: owns its topic and message.
    Owned,
    /// `EnvelopeRef<'a>`: borrows both from the input.
    Borrowed,
}

/// `decode` (strict) and `decode_with` (by options) of `Envelope` or
/// `EnvelopeRef`: parse the topic (either form), decode the payload on its
/// channel, check what the payload says about the topic.
pub(super) fn envelope_decoders(ctx: &Ctx<'_>, kind: EnvelopeKind) -> TokenStream {
    let rt = &ctx.rt;
    let (parse_form, _) = topic_forms(ctx);
    let (name, message, check, lifetime, topic, borrowing) = match kind {
        EnvelopeKind::Owned => (
            "Envelope",
            quote!(Message),
            quote!(check_topic),
            quote!(),
            quote!(parsed.to_topic()),
            "",
        ),
        EnvelopeKind::Borrowed => (
            "EnvelopeRef",
            quote!(MessageRef),
            quote!(check_topic_ref),
            quote!('a),
            quote!(parsed),
            ", borrowing from both",
        ),
    };
    let topic_lifetime = if kind == EnvelopeKind::Owned {
        quote!('_)
    } else {
        quote!('a)
    };
    // The channels whose payloads repeat a topic parameter are decoded apart, so
    // that the check (which pins the message in memory) stays off the fast path.
    let mut checked: Vec<Ident> = Vec::new();
    for check in topic_checks(ctx.model) {
        if !checked.contains(&check.channel) {
            checked.push(check.channel);
        }
    }
    let (route, decode_checked) = if checked.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        (
            quote! {
                if ::core::matches!(parsed.channel(), #( Channel::#checked )|*) {
                    return Self::decode_checked(parsed, form, payload);
                }
            },
            quote! {
                /// `decode` of a channel whose payload repeats a topic parameter.
                #[inline(never)]
                fn decode_checked(
                    parsed: TopicRef<#topic_lifetime>,
                    form: #rt::TopicForm,
                    payload: & #lifetime [u8],
                ) -> ::core::result::Result<Self, #rt::DispatchError> {
                    let message = #message::decode(parsed.channel(), payload)?;
                    #check(&parsed, &message)?;
                    ::core::result::Result::Ok(Self { topic: #topic, message, form })
                }
            },
        )
    };
    let either_form = if ctx.model.has_ingest() {
        " (either form, which the envelope keeps)"
    } else {
        ""
    };
    let decode_doc = format!(
        " Parses a topic{either_form} and decodes its payload{borrowing}, strictly: as \
         [`{name}::decode_with`] with the default options."
    );
    let errors_doc = format!(" As [`{name}::decode_with`].");
    let decode_with_doc = format!(
        " Parses a topic and decodes its payload{borrowing} with `options` (size \
         limit, lenient repairs), with the repairs made."
    );
    quote! {
        #[doc = #decode_doc]
        ///
        /// # Errors
        ///
        #[doc = #errors_doc]
        pub fn decode(topic: & #lifetime str, payload: & #lifetime [u8]) -> ::core::result::Result<Self, #rt::DispatchError> {
            let (parsed, form) = #parse_form;
            #route
            let message = #message::decode(parsed.channel(), payload)?;
            ::core::result::Result::Ok(Self { topic: #topic, message, form })
        }

        #decode_checked

        #[doc = #decode_with_doc]
        ///
        /// # Errors
        ///
        /// `DispatchError::Topic` naming the segment at fault,
        /// `DispatchError::Payload`, or `DispatchError::TopicMismatch` when the
        /// payload names another node than the topic.
        pub fn decode_with(
            topic: & #lifetime str,
            payload: & #lifetime [u8],
            options: &#rt::DecodeOptions,
        ) -> ::core::result::Result<#rt::Decoded<Self>, #rt::DispatchError> {
            let (parsed, form) = #parse_form;
            let decoded = #message::decode_with(parsed.channel(), payload, options)?;
            #check(&parsed, &decoded.value)?;
            ::core::result::Result::Ok(#rt::Decoded {
                value: Self { topic: #topic, message: decoded.value, form },
                repairs: decoded.repairs,
            })
        }
    }
}

/// The body of `decode_with` of `Message` and `MessageRef`: the size check, then
/// `decode` (the decoding expression, which records its repairs in `repairs`), and
/// the value with the repairs made.
pub(super) fn decode_with_body(ctx: &Ctx<'_>, decode: &TokenStream) -> TokenStream {
    let rt = &ctx.rt;
    quote! {
        options.check_len(payload)?;
        let mut made = #rt::Vec::new();
        let repairs = &mut made;
        // Typed first: a document without channels decodes with `match channel {}`.
        let value: ::core::result::Result<_, #rt::DecodeError> = #decode;
        ::core::result::Result::Ok(#rt::Decoded { value: value?, repairs: made })
    }
}

/// `match self { Self::X(_) => MessageKind::X, ... }`.
pub(super) fn kind_of_variants(ctx: &Ctx<'_>) -> TokenStream {
    let arms = ctx
        .model
        .messages
        .iter()
        .map(|message| {
            let variant = ident(&message.variant);
            quote!(Self::#variant(_) => MessageKind::#variant,)
        })
        .collect::<Vec<_>>();
    match_self(&arms, true)
}

/// `MessageKind`: the messages without their payloads.
fn message_kind(ctx: &Ctx<'_>) -> TokenStream {
    let model = ctx.model;
    let (variants, definitions) = variants(
        &model.messages,
        |m| &m.variant,
        |message, variant| {
            let text = format!(
                " `{}` ({}): [`Message::{}`].",
                message.name, message.content_type, message.variant
            );
            quote! { #[doc = #text] #variant, }
        },
    );
    let count = proc_macro2::Literal::usize_unsuffixed(variants.len());
    let table = |value: &dyn Fn(usize, &Message) -> TokenStream| -> TokenStream {
        let arms = model
            .messages
            .iter()
            .enumerate()
            .zip(&variants)
            .map(|((index, message), variant)| {
                let value = value(index, message);
                quote!(Self::#variant => #value,)
            })
            .collect::<Vec<_>>();
        match_self(&arms, false)
    };
    let names = table(&|_, message| {
        let name = &message.variant;
        quote!(#name)
    });
    let document_names = table(&|_, message| {
        let name = &message.name;
        quote!(#name)
    });
    let channels = table(&|index, _| {
        let carriers = model
            .channels
            .iter()
            .filter(|channel| channel.messages.contains(&index))
            .map(|channel| ident(&channel.variant));
        quote!(&[ #( Channel::#carriers ),* ])
    });
    let payload_schema = ctx.schemars.as_ref().map(|feature| {
        let arms = model
            .messages
            .iter()
            .zip(&variants)
            .map(|(message, variant)| {
                if message.encoding == Encoding::Json {
                    let ty = ctx.rust_type(&message.payload, Scope::Sibling);
                    quote!(Self::#variant => ::core::option::Option::Some(::schemars::schema_for!(#ty)),)
                } else {
                    quote!(Self::#variant => ::core::option::Option::None,)
                }
            })
            .collect::<Vec<_>>();
        let body = match_self(&arms, false);
        quote! {
            /// The JSON Schema derived from the payload type, for a JSON message.
            #[cfg(feature = #feature)]
            pub fn payload_schema(self) -> ::core::option::Option<::schemars::Schema> {
                #body
            }
        }
    });
    quote! {
        /// The messages of the document, without their payloads: what a [`Message`]
        /// is ([`Message::kind`]) and what a channel carries ([`Channel::messages`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum MessageKind { #( #definitions )* }

        impl MessageKind {
            /// Every message, in document order.
            pub const ALL: [Self; #count] = [ #( Self::#variants ),* ];

            /// The Rust name, as in [`Message`] (`NodeConfig`).
            pub const fn name(self) -> &'static str {
                #names
            }

            /// The message's name in the document (`configMessage`).
            pub const fn document_name(self) -> &'static str {
                #document_names
            }

            /// The channels that carry the message.
            pub const fn channels(self) -> &'static [Channel] {
                #channels
            }

            #payload_schema
        }

        /// The Rust name.
        impl ::core::fmt::Display for MessageKind {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.name())
            }
        }
    }
}

/// `match channel { ... }` that decodes `payload` as the messages of each channel,
/// each with the expression `call` gives (a `Result<Self, DecodeError>`).
pub(super) fn decode_match(ctx: &Ctx<'_>, call: impl Fn(&Message) -> TokenStream) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    if model.channels.is_empty() {
        return quote!(match channel {});
    }
    let arms = model.channels.iter().map(|channel| {
        let channel_variant = ident(&channel.variant);
        // Channels that share an address cannot be told apart by the topic (it parses
        // as the first of them): each tries its own messages, then theirs.
        let mut messages: Vec<usize> = channel.messages.clone();
        let shared = model.channels.iter().filter(|other| other.address == channel.address);
        for message in shared.flat_map(|other| &other.messages) {
            if !messages.contains(message) {
                messages.push(*message);
            }
        }
        let mut attempts = messages
            .iter()
            .filter_map(|index| model.messages.get(*index))
            .map(&call);
        let Some(first) = attempts.next() else {
            return quote! {
                Channel::#channel_variant => ::core::result::Result::Err(#rt::DecodeError::NoMessage),
            };
        };
        let others: Vec<_> = attempts.collect();
        // Several messages share the channel: the first that decodes wins; if none
        // does, the first message's error is reported.
        quote! {
            Channel::#channel_variant => #first
                #( .or_else(|error| #others.map_err(|_| error)) )*,
        }
    });
    quote!(match channel { #( #arms )* })
}

/// Payloads estimated to take more than this many bytes are boxed in `Message` and
/// `MessageRef`: the enum is moved on every decode, and one large variant would make
/// every message as large.
const BOX_ABOVE: usize = 128;

/// Whether `message`'s owned payload is boxed in the message enums.
pub(super) fn boxed(ctx: &Ctx<'_>, message: &Message) -> bool {
    matches!(message.encoding, Encoding::Json | Encoding::Custom)
        && estimated_size(ctx, &message.payload, 0) > BOX_ABOVE
}

/// The owned payload type as the message enums hold it (boxed when large).
pub(super) fn owned_payload_type(ctx: &Ctx<'_>, message: &Message) -> TokenStream {
    let rt = &ctx.rt;
    let ty = ctx.rust_type(&message.payload, Scope::Sibling);
    if boxed(ctx, message) {
        quote!(#rt::Box<#ty>)
    } else {
        ty
    }
}

/// A rough size in bytes of a value of `ty` on a 64-bit target: enough to tell a
/// large struct from a small one.
fn estimated_size(ctx: &Ctx<'_>, ty: &TypeRef, depth: usize) -> usize {
    const WORD: usize = 8;
    if depth > 8 {
        return 3 * WORD;
    }
    match ty {
        TypeRef::Bool | TypeRef::Unit => 1,
        TypeRef::Int(_) | TypeRef::Float(_) | TypeRef::Boxed(_) => WORD,
        TypeRef::String
        | TypeRef::Bytes
        | TypeRef::Vec(_)
        | TypeRef::Map(_)
        | TypeRef::JsonObject
        | TypeRef::Standard(_) => 3 * WORD,
        TypeRef::Json | TypeRef::External(_) => 4 * WORD,
        TypeRef::Nullable(inner) => estimated_size(ctx, inner, depth + 1) + WORD,
        TypeRef::Named(name) => match ctx.model.type_def(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { fields, extra }) => {
                let fields: usize = fields
                    .iter()
                    .map(|field| {
                        let size = estimated_size(ctx, &field.ty, depth + 1);
                        if field.required { size } else { size + WORD }
                    })
                    .sum();
                let extra = match extra {
                    Extra::Json | Extra::Typed(_) => 3 * WORD,
                    Extra::Deny => 0,
                };
                fields + extra
            }
            Some(TypeKind::Enum { .. }) => 1,
            Some(TypeKind::OpenEnum { .. } | TypeKind::StandardUnion { .. }) => 3 * WORD,
            Some(TypeKind::Untagged { variants }) => {
                variants
                    .iter()
                    .map(|(_, ty)| estimated_size(ctx, ty, depth + 1))
                    .max()
                    .unwrap_or(0)
                    + WORD
            }
            Some(TypeKind::Alias { inner }) => estimated_size(ctx, inner, depth + 1),
            None => 4 * WORD,
        },
    }
}

/// Which decoder a generated `decode` calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decoding {
    /// `decode`: strict, no repair machinery on the path (the fast path).
    Strict,
    /// `decode_with`: by `options`, the repairs recorded in `repairs`.
    WithOptions,
}

/// The expression that decodes `payload` as `message` into its owned payload type
/// (a `Result<Self, _>` of an enum with the message's variant).
pub(super) fn owned_decode_call(
    ctx: &Ctx<'_>,
    message: &Message,
    decoding: Decoding,
) -> TokenStream {
    let rt = &ctx.rt;
    let variant = ident(&message.variant);
    let ty = ctx.rust_type(&message.payload, Scope::Sibling);
    let wrap = if boxed(ctx, message) {
        quote!(|payload| Self::#variant(#rt::Box::new(payload)))
    } else {
        quote!(Self::#variant)
    };
    // A decoded JSON payload is checked against its schema's rules.
    let checked = super::validate::Checks::new(ctx).decoded_check(&message.payload, &ty, &ty);
    match message.encoding {
        Encoding::Json if decoding == Decoding::Strict => {
            quote!(#rt::payload::decode_json::<#ty>(payload) #checked .map(#wrap))
        }
        Encoding::Json => {
            quote!(#rt::payload::decode_json_with::<#ty>(payload, options, repairs) #checked .map(#wrap))
        }
        Encoding::Text => quote!(#rt::payload::decode_text(payload).map(Self::#variant)),
        Encoding::Bytes => quote! {
            ::core::result::Result::<Self, #rt::DecodeError>::Ok(Self::#variant(#rt::ToOwned::to_owned(payload)))
        },
        Encoding::Custom => quote!(<#ty as #rt::Payload>::decode(payload).map(#wrap)),
    }
}
