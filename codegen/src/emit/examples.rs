//! `examples.rs` (optional): every message example of the document with a topic of
//! its channel, as test fixtures.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Ctx, ident};
use crate::model::{Channel, Model, ParamRules, ParamTypeRef, Parameter, Segment};

/// The tokens of `examples.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let model = ctx.model;
    let mut entries = Vec::new();
    for channel in &model.channels {
        let Some(topic) = example_topic(model, channel) else {
            continue;
        };
        let variant = ident(&channel.variant);
        for message in channel
            .messages
            .iter()
            .filter_map(|index| model.messages.get(*index))
        {
            for (name, payload) in &message.examples {
                let kind = ident(&message.variant);
                let payload = Literal::byte_string(payload);
                entries.push(quote! {
                    Example {
                        channel: super::topics::Channel::#variant,
                        message: super::dispatch::MessageKind::#kind,
                        name: #name,
                        topic: #topic,
                        payload: #payload,
                    }
                });
            }
        }
    }
    let topics = model.channels.iter().filter_map(|channel| {
        let topic = example_topic(model, channel)?;
        let variant = ident(&channel.variant);
        Some(quote!((super::topics::Channel::#variant, #topic)))
    });
    quote! {
        /// A message example of the document, on a topic of its channel.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Example {
            /// The channel.
            pub channel: super::topics::Channel,
            /// The message.
            pub message: super::dispatch::MessageKind,
            /// The example's name.
            pub name: &'static str,
            /// A topic of the channel, its parameters taken from their examples.
            pub topic: &'static str,
            /// The payload, as bytes on the wire.
            pub payload: &'static [u8],
        }

        /// Every message example, by channel in document order.
        pub static EXAMPLES: &[Example] = &[ #( #entries ),* ];

        /// A topic of each channel whose parameters have a usable example.
        pub static TOPICS: &[(super::topics::Channel, &str)] = &[ #( #topics ),* ];
    }
}

/// A topic of `channel` built from its parameters' examples; `None` when a parameter
/// has no value known to pass its rules.
pub(crate) fn example_topic(model: &Model, channel: &Channel) -> Option<String> {
    let mut parts = Vec::new();
    for segment in &channel.segments {
        parts.push(match segment {
            Segment::Literal(text) => text.clone(),
            Segment::Param {
                prefix,
                param,
                suffix,
            } => {
                let value = example_value(model, channel.params.get(*param)?)?;
                format!("{prefix}{value}{suffix}")
            }
            Segment::Rest(param) => example_value(model, channel.params.get(*param)?)?,
        });
    }
    Some(parts.join("/"))
}

fn example_value(model: &Model, param: &Parameter) -> Option<String> {
    let rules = match param.ty {
        ParamTypeRef::Generated(index) => model.params.get(index).map(|p| &p.rules),
        _ => None,
    };
    let mut candidates: Vec<String> = param.example.iter().cloned().collect();
    if let Some(ParamRules::OneOf(variants)) = rules {
        candidates.extend(
            variants
                .iter()
                .filter_map(|v| v.wire_str().map(str::to_owned)),
        );
    }
    candidates.extend(["x", "example", "1", "a1", "A"].map(str::to_owned));
    candidates.into_iter().find(|candidate| match rules {
        Some(ParamRules::OneOf(variants)) => variants
            .iter()
            .any(|variant| variant.wire_str() == Some(candidate.as_str())),
        Some(ParamRules::Text {
            min_chars,
            max_bytes,
            pattern,
            reserved,
        }) => {
            candidate.chars().count() >= *min_chars
                && max_bytes.is_none_or(|max| candidate.len() <= max)
                && !candidate.contains(['/', '+', '#', '\0'])
                && !reserved.contains(candidate)
                && pattern
                    .as_ref()
                    .is_none_or(|pattern| pattern.is_match(candidate))
        }
        None => !candidate.contains(['+', '#', '\0']),
    })
}
