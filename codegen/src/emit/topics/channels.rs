//! The `Channel` enum and its table: what the document says about each channel
//! (address, filter, who publishes, QoS, retain, basic-ingest rule, messages) in one
//! `ChannelInfo` per channel, read by a few accessors.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::channel_doc;
use crate::emit::{Ctx, ident, variants};
use crate::model::{Channel, Segment};

/// The MQTT topic filter of a channel: each parameter segment becomes `+`.
fn filter(channel: &Channel) -> String {
    channel
        .segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => text.as_str(),
            Segment::Param { .. } => "+",
            Segment::Rest(_) => "#",
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The `ChannelInfo` of one channel.
fn info(ctx: &Ctx<'_>, channel: &Channel) -> TokenStream {
    let rt = &ctx.rt;
    let (key, address, filter) = (&channel.key, &channel.address, filter(channel));
    let (sends, receives, retain) = (channel.sends, channel.receives, channel.retain);
    let direction = match channel.direction {
        Some(direction) => {
            let variant = format_ident!("{}", direction.variant());
            quote!(::core::option::Option::Some(#rt::Direction::#variant))
        }
        None => quote!(::core::option::Option::None),
    };
    let qos = match channel.qos {
        2 => quote!(#rt::Qos::ExactlyOnce),
        1 => quote!(#rt::Qos::AtLeastOnce),
        _ => quote!(#rt::Qos::AtMostOnce),
    };
    let ingest = match &channel.ingest {
        Some(ingest) => {
            let (rule, sdk_publishes) = (&ingest.rule, ingest.sdk_publishes);
            quote!(::core::option::Option::Some(#rt::IngestRule { rule: #rule, sdk_publishes: #sdk_publishes }))
        }
        None => quote!(::core::option::Option::None),
    };
    let messages = channel
        .messages
        .iter()
        .filter_map(|index| ctx.model.messages.get(*index))
        .map(|message| ident(&message.variant));
    quote! {
        #rt::ChannelInfo {
            key: #key,
            address: #address,
            filter: #filter,
            sends: #sends,
            receives: #receives,
            direction: #direction,
            qos: #qos,
            retain: #retain,
            ingest: #ingest,
            messages: &[ #( super::dispatch::MessageKind::#messages ),* ],
        }
    }
}

/// The tokens of `Channel`, its table and `INGEST_RULES`.
pub(super) fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let (variants, definitions) = variants(
        &model.channels,
        |c| &c.variant,
        |channel, variant| {
            let docs = channel_doc(channel);
            quote! { #docs #variant, }
        },
    );
    let count = Literal::usize_unsuffixed(model.channels.len());
    let infos = model.channels.iter().map(|channel| info(ctx, channel));
    let lookup = if model.channels.is_empty() {
        quote!(match self {})
    } else {
        quote!(&CHANNELS[self as usize])
    };
    let ingest_filter = model.has_ingest().then(|| {
        quote! {
            /// The MQTT topic filter of the channel's basic-ingest form
            /// (`$aws/rules/<rule>/...`), if it has one.
            pub fn ingest_filter(self) -> ::core::option::Option<#rt::String> {
                let rule = self.ingest_rule()?;
                ::core::option::Option::Some(#rt::format!("{}{rule}/{}", #rt::INGEST_PREFIX, self.filter()))
            }
        }
    });
    let all_rules = model.has_ingest().then(|| {
        let mut rules: Vec<&str> = model
            .channels
            .iter()
            .filter_map(|c| c.ingest.as_ref().map(|ingest| ingest.rule.as_str()))
            .collect();
        rules.sort_unstable();
        rules.dedup();
        quote! {
            /// Every basic-ingest rule name, sorted.
            const INGEST_RULES: &[&str] = &[ #( #rules ),* ];
        }
    });
    quote! {
        /// The channels of the document: a [`Topic`] without its parameters.
        ///
        /// What the document says about a channel is in its `ChannelInfo`
        /// ([`Channel::info`]); the accessors read it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Channel { #( #definitions )* }

        /// One entry per channel, in the order of [`Channel::ALL`].
        static CHANNELS: [#rt::ChannelInfo<super::dispatch::MessageKind>; #count] = [ #( #infos ),* ];

        impl Channel {
            /// Every channel, in document order.
            pub const ALL: [Self; #count] = [ #( Self::#variants ),* ];

            /// What the document says about the channel.
            pub fn info(self) -> &'static #rt::ChannelInfo<super::dispatch::MessageKind> {
                #lookup
            }

            /// The address, such as `node/{node_id}/config`.
            pub fn address(self) -> &'static str {
                self.info().address
            }

            /// The MQTT topic filter that matches every topic of the channel (each
            /// parameter is `+`), for subscriptions.
            pub fn filter(self) -> &'static str {
                self.info().filter
            }

            /// The MQTT QoS of the channel's publishes and subscriptions.
            pub fn qos(self) -> #rt::Qos {
                self.info().qos
            }

            /// Who publishes on the channel, when the document says
            /// (`x-rainmaker-direction`).
            pub fn direction(self) -> ::core::option::Option<#rt::Direction> {
                self.info().direction
            }

            /// The messages the channel carries.
            pub fn messages(self) -> &'static [super::dispatch::MessageKind] {
                self.info().messages
            }

            /// The basic-ingest rule of the channel, if it has an ingest form.
            pub fn ingest_rule(self) -> ::core::option::Option<&'static str> {
                self.info().ingest.map(|ingest| ingest.rule)
            }

            #ingest_filter

            /// The topic of this channel with its parameters filled in from `values`,
            /// in address order (`Channel::ParamsRemote.topic(&[node_id])`).
            ///
            /// # Errors
            ///
            /// A `TopicError` naming the segment at fault when a value does not fit
            /// its parameter, or a value is missing or left over.
            pub fn topic(self, values: &[&str]) -> ::core::result::Result<Topic, #rt::TopicError> {
                Topic::parse(&#rt::topic::fill_address(self.address(), values))
            }

            /// The channel of a topic (either form), without building the topic.
            ///
            /// # Errors
            ///
            /// A `TopicError` naming the segment at fault.
            pub fn of_topic(topic: &str) -> ::core::result::Result<Self, #rt::TopicError> {
                TopicRef::parse(topic).map(|topic| topic.channel())
            }
        }

        impl ::core::fmt::Display for Channel {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.address())
            }
        }

        #all_rules
    }
}
