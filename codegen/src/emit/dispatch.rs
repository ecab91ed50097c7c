//! `dispatch.rs`: the `Message` enum, decoding a payload by its topic, and encoding a
//! message for a topic.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Scope, doc, file_attributes, ident, rust_type};
use crate::model::Model;

/// The tokens of `dispatch.rs`.
pub fn emit(model: &Model) -> TokenStream {
    let attributes = file_attributes(
        "Message dispatch: decode a `(topic, payload)` pair into a typed [`Message`], \
         and encode a message for a topic.",
    );
    let variants: Vec<_> = model.messages.iter().map(|m| ident(&m.variant)).collect();
    let definitions = model
        .messages
        .iter()
        .zip(&variants)
        .map(|(message, variant)| {
            let ty = rust_type(&message.payload, Scope::Sibling);
            let mut text = format!("`{}` ({}).", message.key, message.content_type);
            if let Some(description) = &message.description {
                text.push_str("\n\n");
                text.push_str(description);
            }
            let docs = doc(&text);
            quote! { #docs #variant(#ty), }
        });
    let names = model.messages.iter().map(|message| message.key.as_str());
    let channels = model.messages.iter().enumerate().map(|(index, _)| {
        let carriers = model
            .channels
            .iter()
            .filter(|channel| channel.messages.contains(&index))
            .map(|channel| ident(&channel.variant));
        quote!(&[ #( Channel::#carriers ),* ])
    });
    let decode_arms = model.channels.iter().map(|channel| {
        let channel_variant = ident(&channel.variant);
        let mut attempts = channel
            .messages
            .iter()
            .filter_map(|index| model.messages.get(*index))
            .map(|message| {
                let variant = ident(&message.variant);
                let ty = rust_type(&message.payload, Scope::Sibling);
                quote!(<#ty as crate::Payload>::decode(payload).map(Self::#variant))
            });
        let first = attempts.next().unwrap_or_default();
        let others: Vec<_> = attempts.collect();
        if others.is_empty() {
            quote! { Channel::#channel_variant => #first, }
        } else {
            // Several messages share the channel: the first that decodes wins; if none
            // does, the first message's error is reported.
            quote! {
                Channel::#channel_variant => #first
                    #( .or_else(|error| #others.map_err(|_| error)) )*,
            }
        }
    });
    quote! {
        #attributes
        use super::topics::{Channel, Topic, TopicForm};

        /// A message of the protocol with its typed payload: one variant per message of
        /// the spec.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Message { #( #definitions )* }

        impl Message {
            /// The message's name (its key in the spec).
            pub fn name(&self) -> &'static str {
                match self { #( Self::#variants(_) => #names, )* }
            }

            /// The channels that carry this message.
            pub fn channels(&self) -> &'static [Channel] {
                match self { #( Self::#variants(_) => #channels, )* }
            }

            /// Whether `channel` carries this message.
            pub fn fits(&self, channel: Channel) -> bool {
                self.channels().contains(&channel)
            }

            /// Decodes the payload of a publish on `topic`.
            ///
            /// # Errors
            ///
            /// A [`crate::DecodeError`] (with the JSON path or TLV offset) when the
            /// payload is not a message of the topic's channel.
            pub fn decode(topic: &Topic, payload: &[u8]) -> Result<Self, crate::DecodeError> {
                Self::decode_on(topic.channel(), payload)
            }

            /// Decodes the payload of a publish on a topic of `channel`.
            ///
            /// # Errors
            ///
            /// As [`Message::decode`].
            pub fn decode_on(channel: Channel, payload: &[u8]) -> Result<Self, crate::DecodeError> {
                match channel { #( #decode_arms )* }
            }

            /// Encodes the payload.
            ///
            /// # Errors
            ///
            /// A [`crate::EncodeError`] when the payload cannot be serialized.
            pub fn encode(&self) -> Result<Vec<u8>, crate::EncodeError> {
                match self { #( Self::#variants(payload) => crate::Payload::encode(payload), )* }
            }
        }

        /// Encodes `message` for `topic`: the plain topic string and the payload bytes.
        ///
        /// # Errors
        ///
        /// [`crate::EncodeError::WrongTopic`] when the topic's channel does not carry the
        /// message, or the payload's encoding error.
        pub fn encode(topic: &Topic, message: &Message) -> Result<(String, Vec<u8>), crate::EncodeError> {
            Envelope::check(topic, message)?;
            Ok((topic.to_string(), message.encode()?))
        }

        /// A message together with the topic it travels on; built only when the topic's
        /// channel carries the message.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Envelope {
            topic: Topic,
            message: Message,
        }

        impl Envelope {
            /// Pairs a topic with a message.
            ///
            /// # Errors
            ///
            /// [`crate::EncodeError::WrongTopic`] when the topic's channel does not carry
            /// the message.
            pub fn new(topic: Topic, message: Message) -> Result<Self, crate::EncodeError> {
                Self::check(&topic, &message)?;
                Ok(Self { topic, message })
            }

            fn check(topic: &Topic, message: &Message) -> Result<(), crate::EncodeError> {
                if message.fits(topic.channel()) {
                    Ok(())
                } else {
                    Err(crate::EncodeError::WrongTopic {
                        message: message.name(),
                        topic: topic.to_string(),
                    })
                }
            }

            /// Parses a topic (either form) and decodes its payload.
            ///
            /// # Errors
            ///
            /// [`DispatchError::Topic`] or [`DispatchError::Payload`].
            pub fn decode(topic: &str, payload: &[u8]) -> Result<(Self, TopicForm), DispatchError> {
                let (topic, form) = Topic::parse(topic).map_err(DispatchError::Topic)?;
                let message = Message::decode(&topic, payload).map_err(DispatchError::Payload)?;
                Ok((Self { topic, message }, form))
            }

            /// Encodes the envelope: the topic in `form` and the payload bytes. A channel
            /// without an ingest form is written in the plain form.
            ///
            /// # Errors
            ///
            /// The payload's encoding error.
            pub fn encode(&self, form: TopicForm) -> Result<(String, Vec<u8>), crate::EncodeError> {
                let topic = self
                    .topic
                    .to_string_in(form)
                    .unwrap_or_else(|| self.topic.to_string());
                Ok((topic, self.message.encode()?))
            }

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

        /// Why an inbound `(topic, payload)` pair was not understood.
        #[derive(Debug, Clone, PartialEq)]
        pub enum DispatchError {
            /// The topic is not a topic of the protocol.
            Topic(crate::TopicError),
            /// The payload is not a message of the topic's channel.
            Payload(crate::DecodeError),
        }

        impl std::fmt::Display for DispatchError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Topic(error) => error.fmt(f),
                    Self::Payload(error) => error.fmt(f),
                }
            }
        }

        impl std::error::Error for DispatchError {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::Topic(error) => Some(error),
                    Self::Payload(error) => Some(error),
                }
            }
        }
    }
}
