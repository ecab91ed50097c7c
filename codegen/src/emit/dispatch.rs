//! `dispatch.rs`: the `Message` enum, decoding a payload by its topic, and encoding a
//! message for a topic.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, Scope, doc, ident};
use crate::model::{Encoding, Extra, Message, TypeKind, TypeRef};

/// The tokens of `dispatch.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let variants: Vec<_> = model.messages.iter().map(|m| ident(&m.variant)).collect();
    let definitions = model
        .messages
        .iter()
        .zip(&variants)
        .map(|(message, variant)| {
            let ty = owned_payload_type(ctx, message);
            let mut text = format!("`{}` ({}).", message.name, message.content_type);
            if let Some(description) = &message.description {
                text.push_str("\n\n");
                text.push_str(description);
            }
            let docs = doc(&text);
            quote! { #docs #variant(#ty), }
        });
    let names = model.messages.iter().map(|message| message.name.as_str());
    let channels = model.messages.iter().enumerate().map(|(index, _)| {
        let carriers = model
            .channels
            .iter()
            .filter(|channel| channel.messages.contains(&index))
            .map(|channel| ident(&channel.variant));
        quote!(&[ #( Channel::#carriers ),* ])
    });
    let encode_arms = model
        .messages
        .iter()
        .zip(&variants)
        .map(|(message, variant)| {
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
            quote! { Self::#variant(payload) => #encode, }
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
    let empty_messages = model.messages.is_empty();
    let match_messages = |arms: Vec<TokenStream>| {
        if empty_messages {
            quote!(match *self {})
        } else {
            quote!(match self { #( #arms )* })
        }
    };
    let name_match = match_messages(
        variants
            .iter()
            .zip(names)
            .map(|(variant, name)| quote!(Self::#variant(_) => #name,))
            .collect(),
    );
    let channels_match = match_messages(
        variants
            .iter()
            .zip(channels)
            .map(|(variant, channels)| quote!(Self::#variant(_) => #channels,))
            .collect(),
    );
    let encode_match = match_messages(encode_arms.collect());
    let display_match = match_messages(display_arms);
    let decode_match = decode_match(ctx, |message| owned_decode_call(ctx, message));
    let ingest = model.has_ingest().then(|| {
        quote! {
            /// Parses a topic (either form), decodes its payload, and says which form
            /// the topic was in.
            ///
            /// # Errors
            ///
            /// As [`Envelope::decode`].
            pub fn decode_form(topic: &str, payload: &[u8]) -> ::core::result::Result<(Self, #rt::TopicForm), #rt::DispatchError> {
                let (parsed, form) = TopicRef::parse_form(topic)?;
                let message = Message::decode_on(parsed.channel(), payload)?;
                ::core::result::Result::Ok((Self { topic: parsed.to_topic(), message }, form))
            }

            /// Encodes the envelope with its topic in `form`; a channel without an
            /// ingest form is written in the plain form.
            ///
            /// # Errors
            ///
            /// The payload's encoding error.
            pub fn encode_in(&self, form: #rt::TopicForm) -> ::core::result::Result<(#rt::String, #rt::Vec<u8>), #rt::EncodeError> {
                let topic = self
                    .topic
                    .to_string_in(form)
                    .unwrap_or_else(|| #rt::ToString::to_string(&self.topic));
                ::core::result::Result::Ok((topic, self.message.encode()?))
            }
        }
    });
    let payload_schema = ctx.schemars.as_ref().map(|feature| {
        let arms = model
            .messages
            .iter()
            .filter(|message| message.encoding == Encoding::Json)
            .map(|message| {
                let name = &message.name;
                let ty = ctx.rust_type(&message.payload, Scope::Sibling);
                quote!(#name => ::schemars::schema_for!(#ty),)
            });
        quote! {
            #[cfg(feature = #feature)]
            impl Message {
                /// The JSON Schema derived from the payload type of the JSON message
                /// called `name`.
                pub fn payload_schema(name: &str) -> ::core::option::Option<::schemars::Schema> {
                    ::core::option::Option::Some(match name {
                        #( #arms )*
                        _ => return ::core::option::Option::None,
                    })
                }
            }
        }
    });
    let either_form = if model.has_ingest() {
        " (either form)"
    } else {
        ""
    };
    let decode_doc = format!(" Parses a topic{either_form} and decodes its payload.");
    quote! {
        use super::topics::{Channel, Topic, TopicRef};

        /// A message of the document with its typed payload: one variant per message.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Message { #( #definitions )* }

        impl Message {
            /// The message's name in the document.
            pub fn name(&self) -> &'static str {
                #name_match
            }

            /// The channels that carry this message.
            pub fn channels(&self) -> &'static [Channel] {
                #channels_match
            }

            /// Whether `channel` carries this message.
            pub fn fits(&self, channel: Channel) -> bool {
                self.channels().contains(&channel)
            }

            /// Decodes the payload of a publish on `topic`.
            ///
            /// # Errors
            ///
            /// A `DecodeError` (with the JSON path or TLV offset)
            /// when the payload is not a message of the topic's channel.
            pub fn decode(topic: &Topic, payload: &[u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                Self::decode_on(topic.channel(), payload)
            }

            /// Decodes the payload of a publish on a topic of `channel`.
            ///
            /// # Errors
            ///
            /// As [`Message::decode`].
            pub fn decode_on(channel: Channel, payload: &[u8]) -> ::core::result::Result<Self, #rt::DecodeError> {
                Self::decode_with(channel, payload, &#rt::DecodeOptions::strict()).map(|decoded| decoded.value)
            }

            /// Decodes the payload of a publish on a topic of `channel` with
            /// `options` (size limit, lenient repairs), with the repairs made.
            ///
            /// # Errors
            ///
            /// As [`Message::decode`], and `DecodeError::TooLarge` over the limit.
            pub fn decode_with(
                channel: Channel,
                payload: &[u8],
                options: &#rt::DecodeOptions,
            ) -> ::core::result::Result<#rt::Decoded<Self>, #rt::DecodeError> {
                options.check_len(payload)?;
                let mut made = #rt::Vec::new();
                let repairs = &mut made;
                let value = #decode_match?;
                ::core::result::Result::Ok(#rt::Decoded { value, repairs: made })
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

        #payload_schema

        /// Encodes `message` for `topic`: the topic string and the payload bytes.
        ///
        /// # Errors
        ///
        /// `EncodeError::WrongTopic` when the topic's
        /// channel does not carry the message, or the payload's encoding error.
        pub fn encode(topic: &Topic, message: &Message) -> ::core::result::Result<(#rt::String, #rt::Vec<u8>), #rt::EncodeError> {
            Envelope::check(topic, message)?;
            ::core::result::Result::Ok((#rt::ToString::to_string(topic), message.encode()?))
        }

        /// A message together with the topic it travels on; built only when the
        /// topic's channel carries the message.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Envelope {
            topic: Topic,
            message: Message,
        }

        /// The topic, two spaces, then the message.
        impl ::core::fmt::Display for Envelope {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::write!(f, "{}  {}", self.topic, self.message)
            }
        }

        impl Envelope {
            /// Pairs a topic with a message.
            ///
            /// # Errors
            ///
            /// `EncodeError::WrongTopic` when the
            /// topic's channel does not carry the message.
            pub fn new(topic: Topic, message: Message) -> ::core::result::Result<Self, #rt::EncodeError> {
                Self::check(&topic, &message)?;
                ::core::result::Result::Ok(Self { topic, message })
            }

            fn check(topic: &Topic, message: &Message) -> ::core::result::Result<(), #rt::EncodeError> {
                if message.fits(topic.channel()) {
                    ::core::result::Result::Ok(())
                } else {
                    let addresses: #rt::Vec<&str> =
                        message.channels().iter().map(|channel| channel.address()).collect();
                    ::core::result::Result::Err(#rt::EncodeError::WrongTopic {
                        expected: addresses.join("` or `"),
                        topic: #rt::ToString::to_string(topic),
                    })
                }
            }

            #[doc = #decode_doc]
            ///
            /// # Errors
            ///
            /// `DispatchError::Topic` or
            /// `DispatchError::Payload`.
            pub fn decode(topic: &str, payload: &[u8]) -> ::core::result::Result<Self, #rt::DispatchError> {
                let parsed = TopicRef::parse(topic)?;
                let message = Message::decode_on(parsed.channel(), payload)?;
                ::core::result::Result::Ok(Self { topic: parsed.to_topic(), message })
            }

            /// Parses a topic and decodes its payload with `options` (size limit,
            /// lenient repairs), with the repairs made.
            ///
            /// # Errors
            ///
            /// As [`Envelope::decode`].
            pub fn decode_with(
                topic: &str,
                payload: &[u8],
                options: &#rt::DecodeOptions,
            ) -> ::core::result::Result<#rt::Decoded<Self>, #rt::DispatchError> {
                let parsed = TopicRef::parse(topic)?;
                let decoded = Message::decode_with(parsed.channel(), payload, options)?;
                ::core::result::Result::Ok(#rt::Decoded {
                    value: Self { topic: parsed.to_topic(), message: decoded.value },
                    repairs: decoded.repairs,
                })
            }

            /// Encodes the envelope: the topic string and the payload bytes.
            ///
            /// # Errors
            ///
            /// The payload's encoding error.
            pub fn encode(&self) -> ::core::result::Result<(#rt::String, #rt::Vec<u8>), #rt::EncodeError> {
                ::core::result::Result::Ok((#rt::ToString::to_string(&self.topic), self.message.encode()?))
            }

            #ingest

            /// The topic.
            pub fn topic(&self) -> &Topic {
                &self.topic
            }

            /// The message.
            pub fn message(&self) -> &Message {
                &self.message
            }

            /// The topic and the message.
            pub fn into_parts(self) -> (Topic, Message) {
                (self.topic, self.message)
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
        let mut attempts = channel
            .messages
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
                    Extra::Ignore | Extra::Deny => 0,
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

/// The expression that decodes `payload` as `message` into its owned payload type
/// (a `Result<Self, _>` of an enum with the message's variant).
pub(super) fn owned_decode_call(ctx: &Ctx<'_>, message: &Message) -> TokenStream {
    let rt = &ctx.rt;
    let variant = ident(&message.variant);
    let ty = ctx.rust_type(&message.payload, Scope::Sibling);
    let wrap = if boxed(ctx, message) {
        quote!(|payload| Self::#variant(#rt::Box::new(payload)))
    } else {
        quote!(Self::#variant)
    };
    match message.encoding {
        Encoding::Json => {
            quote!(#rt::payload::decode_json_with::<#ty>(payload, options, repairs).map(#wrap))
        }
        Encoding::Text => quote!(#rt::payload::decode_text(payload).map(Self::#variant)),
        Encoding::Bytes => quote! {
            ::core::result::Result::<Self, #rt::DecodeError>::Ok(Self::#variant(#rt::ToOwned::to_owned(payload)))
        },
        Encoding::Custom => quote!(<#ty as #rt::Payload>::decode(payload).map(#wrap)),
    }
}
