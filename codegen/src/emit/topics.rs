//! `topics.rs`: the parameter types, the `Channel` kinds, the owned `Topic` and the
//! borrowed `TopicRef`, and the one parser both use.
//!
//! The parser is a trie over `/`-separated segments compiled into one function per
//! node, each a `match` on the segment: no regex and no allocation. Where a literal
//! and a parameter compete (`params/local/init` against a group named `init`), the
//! literal is tried first and the parameter only if the literal path fails; of the
//! failed paths, the one that got furthest names the segment at fault.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, doc, doc_or, ident};
use crate::model::{Channel, Direction, ParamRules, ParamType, ParamTypeRef, Parameter, Segment};

/// The tokens of `topics.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let params = ctx.model.params.iter().map(|param| emit_param(ctx, param));
    let direction = ctx.model.has_direction().then(emit_direction);
    let channel = emit_channel(ctx);
    let topic = emit_topic(ctx);
    let topic_ref = emit_topic_ref(ctx);
    let parser = emit_parser(ctx);
    quote! {
        #( #params )*
        #direction
        #channel
        #topic
        #topic_ref
        #parser
    }
}

// ----- parameter types -------------------------------------------------------------

/// The first sentence of a description (up to the first full stop followed by a
/// space, `e.g.` and `i.e.` excepted), or all of it.
fn first_sentence(text: &str) -> &str {
    text.char_indices()
        .find(|&(at, c)| {
            let before = text.get(..at).unwrap_or_default();
            c == '.'
                && !before.ends_with("e.g")
                && !before.ends_with("i.e")
                && text
                    .get(at + 1..)
                    .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        })
        .and_then(|(at, _)| text.get(..=at))
        .unwrap_or(text)
}

fn emit_param(ctx: &Ctx<'_>, param: &ParamType) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&param.name);
    let wire = &param.wire;
    let docs = doc_or(
        param.description.as_deref(),
        &format!("The `{{{wire}}}` parameter of a channel address."),
    );
    match &param.rules {
        ParamRules::OneOf(variants) => {
            let definitions = variants.iter().map(|variant| {
                let rust = ident(&variant.rust);
                let text = format!(" `{}`.", variant.wire_str().unwrap_or_default());
                quote! { #[doc = #text] #rust, }
            });
            let to_wire = variants.iter().map(|variant| {
                let rust = ident(&variant.rust);
                let wire = variant.wire_str().unwrap_or_default();
                quote! { Self::#rust => #wire, }
            });
            let from_wire = variants.iter().map(|variant| {
                let rust = ident(&variant.rust);
                let wire = variant.wire_str().unwrap_or_default();
                quote! { #wire => Self::#rust, }
            });
            let all = variants.iter().map(|variant| ident(&variant.rust));
            let count = Literal::usize_unsuffixed(variants.len());
            let type_name = &param.name;
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name { #( #definitions )* }

                impl #name {
                    /// Every value, in document order.
                    pub const ALL: [Self; #count] = [ #( Self::#all ),* ];

                    /// The segment text.
                    pub const fn as_str(&self) -> &'static str {
                        match self { #( #to_wire )* }
                    }

                    /// The value whose segment text is `wire`.
                    pub fn known(wire: &str) -> ::core::option::Option<Self> {
                        ::core::option::Option::Some(match wire {
                            #( #from_wire )*
                            _ => return ::core::option::Option::None,
                        })
                    }
                }

                impl #rt::TopicParam for #name {
                    fn check(segment: &str) -> ::core::result::Result<(), #rt::IdError> {
                        Self::known(segment).map(|_| ()).ok_or(#rt::IdError::NotListed)
                    }

                    fn from_segment(segment: &str) -> ::core::result::Result<Self, #rt::IdError> {
                        Self::known(segment).ok_or(#rt::IdError::NotListed)
                    }

                    fn from_checked(segment: &str) -> Self {
                        Self::known(segment).unwrap_or(Self::ALL[0])
                    }

                    fn as_segment(&self) -> &str {
                        self.as_str()
                    }
                }

                impl ::core::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::core::str::FromStr for #name {
                    type Err = #rt::UnknownValue;

                    fn from_str(wire: &str) -> ::core::result::Result<Self, Self::Err> {
                        Self::known(wire).ok_or_else(|| #rt::UnknownValue::new(#type_name, wire))
                    }
                }

                impl #rt::serde::Serialize for #name {
                    fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                impl<'de> #rt::serde::Deserialize<'de> for #name {
                    fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                        let wire = <#rt::String as #rt::serde::Deserialize>::deserialize(deserializer)?;
                        Self::known(&wire).ok_or_else(|| {
                            <D::Error as #rt::serde::de::Error>::custom(#rt::UnknownValue::new(#type_name, &wire))
                        })
                    }
                }
            }
        }
        ParamRules::Text {
            min_chars,
            max_bytes,
            pattern,
            reserved,
        } => {
            let rule = format_ident!("{}Rule", param.name);
            let min = Literal::usize_unsuffixed(*min_chars);
            let max = match max_bytes {
                Some(max) => {
                    let max = Literal::usize_unsuffixed(*max);
                    quote!(::core::option::Option::Some(#max))
                }
                None => quote!(::core::option::Option::None),
            };
            let (pattern_static, pattern_arg) = match pattern {
                Some(compiled) => {
                    let static_name = format_ident!(
                        "{}_PATTERN",
                        crate::naming::screaming(&param.name).unwrap_or_default()
                    );
                    let source = &compiled.source;
                    let classes = compiled.classes.iter().map(|c| Literal::u8_unsuffixed(*c));
                    let count = Literal::usize_unsuffixed(compiled.class_count);
                    let transitions = compiled
                        .transitions
                        .iter()
                        .map(|t| Literal::u16_unsuffixed(*t));
                    let kinds = compiled.kinds.iter().map(|k| Literal::u8_unsuffixed(*k));
                    let accepts = &compiled.accepts_at_end;
                    let start = Literal::u16_unsuffixed(compiled.start);
                    let text = format!(" The pattern of `{{{wire}}}`: `{source}`.");
                    (
                        quote! {
                            #[doc = #text]
                            pub static #static_name: #rt::Pattern = #rt::Pattern::from_tables(
                                #source,
                                &[ #( #classes ),* ],
                                #count,
                                &[ #( #transitions ),* ],
                                &[ #( #kinds ),* ],
                                &[ #( #accepts ),* ],
                                #start,
                            );
                        },
                        quote!(::core::option::Option::Some(&#static_name)),
                    )
                }
                None => (TokenStream::new(), quote!(::core::option::Option::None)),
            };
            let reserved_check = (!reserved.is_empty()).then(|| {
                quote! {
                    if let ::core::option::Option::Some(word) = [ #( #reserved ),* ].into_iter().find(|word| *word == value) {
                        return ::core::result::Result::Err(#rt::IdError::Reserved(word));
                    }
                }
            });
            let mut rules = Vec::new();
            if *min_chars == 0 {
                rules.push("may be empty".to_owned());
            } else if *min_chars > 1 {
                rules.push(format!("at least {min_chars} characters"));
            }
            if let Some(max) = max_bytes {
                rules.push(format!("at most {max} bytes"));
            }
            if let Some(compiled) = pattern {
                rules.push(format!("matches `{}`", compiled.source));
            }
            if !reserved.is_empty() {
                let words: Vec<String> = reserved.iter().map(|word| format!("`{word}`")).collect();
                rules.push(format!("not {}", words.join(" or ")));
            }
            let rules_text = if rules.is_empty() {
                " Any non-empty segment without `/`, `+`, `#` or NUL.".to_owned()
            } else {
                format!(
                    " A segment without `/`, `+`, `#` or NUL that {}.",
                    rules.join(", ")
                )
            };
            let rule_doc = format!(" The rules of [`{}`].", param.name);
            quote! {
                #pattern_static

                #[doc = #rule_doc]
                #[doc = ""]
                #[doc = #rules_text]
                #[derive(Debug)]
                pub enum #rule {}

                impl #rt::ParamRule for #rule {
                    const NAME: &'static str = #wire;

                    fn check(value: &str) -> ::core::result::Result<(), #rt::IdError> {
                        #reserved_check
                        #rt::param::check_text(value, #min, #max, #pattern_arg)
                    }
                }

                #docs
                #[doc = ""]
                #[doc = #rules_text]
                pub type #name = #rt::Param<#rule>;
            }
        }
    }
}

/// The Rust type of a parameter in the owned `Topic`.
fn owned_type(ctx: &Ctx<'_>, param: &Parameter) -> TokenStream {
    let rt = &ctx.rt;
    match &param.ty {
        ParamTypeRef::Generated(index) => {
            let name = ctx
                .model
                .params
                .get(*index)
                .map_or("Unknown", |p| p.name.as_str());
            let name = ident(name);
            quote!(#name)
        }
        ParamTypeRef::External(path) => ctx.external(path),
        ParamTypeRef::AnySegment | ParamTypeRef::AnyLevels => quote!(#rt::String),
    }
}

/// The Rust type of a parameter in `TopicRef<'a>`: the segment, checked.
fn borrowed_type() -> TokenStream {
    quote!(&'a str)
}

// ----- directions and channels -----------------------------------------------------

fn emit_direction() -> TokenStream {
    let definitions = Direction::ALL.iter().map(|direction| {
        let variant = format_ident!("{}", direction.variant());
        let text = match direction {
            Direction::NodeToCloud => "The node publishes, the cloud receives.",
            Direction::CloudToNode => "The cloud publishes, the node receives.",
            Direction::BrokerToCloud => {
                "The broker (AWS IoT) publishes, the cloud receives; the node never does."
            }
        };
        let text = format!(" {text} (`{}`)", direction.wire());
        quote! { #[doc = #text] #variant, }
    });
    let arms = Direction::ALL.iter().map(|direction| {
        let variant = format_ident!("{}", direction.variant());
        let wire = direction.wire();
        quote! { Self::#variant => #wire, }
    });
    quote! {
        /// Who publishes on a channel (`x-rainmaker-direction`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Direction { #( #definitions )* }

        impl Direction {
            /// The document's spelling.
            pub const fn as_str(self) -> &'static str {
                match self { #( #arms )* }
            }
        }
    }
}

fn channel_doc(channel: &Channel) -> TokenStream {
    let mut text = format!("`{}`", channel.address);
    if let Some(ingest) = &channel.ingest {
        text.push_str(&format!(
            " (basic ingest: `{}`)",
            ingest.alias(&channel.address)
        ));
    }
    text.push('.');
    if let Some(description) = &channel.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    doc(&text)
}

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

fn emit_channel(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let variants: Vec<_> = model.channels.iter().map(|c| ident(&c.variant)).collect();
    let definitions = model
        .channels
        .iter()
        .zip(&variants)
        .map(|(channel, variant)| {
            let docs = channel_doc(channel);
            quote! { #docs #variant, }
        });
    let count = Literal::usize_unsuffixed(model.channels.len());
    let table = |f: &dyn Fn(&Channel) -> TokenStream| -> Vec<TokenStream> {
        model
            .channels
            .iter()
            .zip(&variants)
            .map(|(channel, variant)| {
                let value = f(channel);
                quote!(Self::#variant => #value,)
            })
            .collect()
    };
    let keys = table(&|c| {
        let key = &c.key;
        quote!(#key)
    });
    let addresses = table(&|c| {
        let address = &c.address;
        quote!(#address)
    });
    let filters = table(&|c| {
        let filter = filter(c);
        quote!(#filter)
    });
    let sends = table(&|c| {
        let sends = c.sends;
        quote!(#sends)
    });
    let receives = table(&|c| {
        let receives = c.receives;
        quote!(#receives)
    });
    let qos = table(&|c| match c.qos {
        2 => quote!(#rt::Qos::ExactlyOnce),
        1 => quote!(#rt::Qos::AtLeastOnce),
        _ => quote!(#rt::Qos::AtMostOnce),
    });
    let retain = table(&|c| {
        let retain = c.retain;
        quote!(#retain)
    });
    let messages = table(&|c| {
        let names = c
            .messages
            .iter()
            .filter_map(|index| model.messages.get(*index))
            .map(|message| message.name.as_str());
        quote!(&[ #( #names ),* ])
    });
    let direction = model.has_direction().then(|| {
        let everywhere = model.channels.iter().all(|c| c.direction.is_some());
        let arms = table(&|c| {
            let variant = c.direction.map(|d| format_ident!("{}", d.variant()));
            match (variant, everywhere) {
                (Some(variant), true) => quote!(Direction::#variant),
                (Some(variant), false) => quote!(::core::option::Option::Some(Direction::#variant)),
                (None, _) => quote!(::core::option::Option::None),
            }
        });
        let ty = if everywhere {
            quote!(Direction)
        } else {
            quote!(::core::option::Option<Direction>)
        };
        quote! {
            /// Who publishes on the channel.
            pub const fn direction(self) -> #ty {
                match self { #( #arms )* }
            }
        }
    });
    let ingest = model.has_ingest().then(|| {
        let rules = table(&|c| match &c.ingest {
            Some(ingest) => {
                let rule = &ingest.rule;
                quote!(::core::option::Option::Some(#rule))
            }
            None => quote!(::core::option::Option::None),
        });
        let sdk = table(&|c| {
            let flag = c.ingest.as_ref().is_some_and(|ingest| ingest.sdk_publishes);
            quote!(#flag)
        });
        quote! {
            /// The basic-ingest rule of the channel, if it has an ingest form.
            pub const fn ingest_rule(self) -> ::core::option::Option<&'static str> {
                match self { #( #rules )* }
            }

            /// Whether the SDK publishes on the ingest form (it always uses the plain
            /// form of some channels that have an alias, such as group deltas).
            pub const fn sdk_uses_ingest(self) -> bool {
                match self { #( #sdk )* }
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
            pub const INGEST_RULES: &[&str] = &[ #( #rules ),* ];
        }
    });
    let empty = model.channels.is_empty();
    let match_or_never = |arms: &[TokenStream]| {
        if empty {
            quote!(match self {})
        } else {
            quote!(match self { #( #arms )* })
        }
    };
    let keys = match_or_never(&keys);
    let addresses = match_or_never(&addresses);
    let filters = match_or_never(&filters);
    let sends = match_or_never(&sends);
    let receives = match_or_never(&receives);
    let qos = match_or_never(&qos);
    let retain = match_or_never(&retain);
    let messages = match_or_never(&messages);
    quote! {
        /// The channels of the document: a [`Topic`] without its parameters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Channel { #( #definitions )* }

        impl Channel {
            /// Every channel, in document order.
            pub const ALL: [Self; #count] = [ #( Self::#variants ),* ];

            /// The channel's key in the document.
            pub const fn key(self) -> &'static str {
                #keys
            }

            /// The address, such as `node/{node_id}/config`.
            pub const fn address(self) -> &'static str {
                #addresses
            }

            /// The MQTT topic filter that matches every topic of the channel (each
            /// parameter is `+`), for subscriptions.
            pub const fn filter(self) -> &'static str {
                #filters
            }

            /// Whether the document's application publishes on the channel (an
            /// operation with `action: send`).
            pub const fn sends(self) -> bool {
                #sends
            }

            /// Whether the document's application subscribes to the channel (an
            /// operation with `action: receive`).
            pub const fn receives(self) -> bool {
                #receives
            }

            /// The MQTT QoS of the channel's publishes and subscriptions.
            pub const fn qos(self) -> #rt::Qos {
                #qos
            }

            /// Whether publishes on the channel set the MQTT retain flag.
            pub const fn retain(self) -> bool {
                #retain
            }

            /// The names of the messages the channel carries.
            pub const fn messages(self) -> &'static [&'static str] {
                #messages
            }

            #direction
            #ingest

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

// ----- topics ----------------------------------------------------------------------

/// A match pattern for a channel's variant, binding its parameters by field name.
fn pattern(owner: &TokenStream, channel: &Channel, bind: bool) -> TokenStream {
    let variant = ident(&channel.variant);
    if channel.params.is_empty() {
        return quote!(#owner::#variant);
    }
    if !bind {
        return quote!(#owner::#variant { .. });
    }
    let fields = channel.params.iter().map(|param| ident(&param.field));
    quote!(#owner::#variant { #( #fields ),* })
}

/// The statements that write a channel's topic with `f`, the parameter values bound
/// by field name and turned into `&str` by `text`.
fn write_topic(channel: &Channel, text: &dyn Fn(&Parameter) -> TokenStream) -> TokenStream {
    let mut statements = Vec::new();
    let mut pending = String::new();
    let flush = |pending: &mut String, statements: &mut Vec<TokenStream>| {
        if !pending.is_empty() {
            let literal = std::mem::take(pending);
            statements.push(quote!(f.write_str(#literal)?;));
        }
    };
    for (index, segment) in channel.segments.iter().enumerate() {
        let separator = if index > 0 { "/" } else { "" };
        match segment {
            Segment::Literal(literal) => {
                pending.push_str(separator);
                pending.push_str(literal);
            }
            Segment::Param {
                prefix,
                param,
                suffix,
            } => {
                pending.push_str(separator);
                pending.push_str(prefix);
                flush(&mut pending, &mut statements);
                if let Some(param) = channel.params.get(*param) {
                    let value = text(param);
                    statements.push(quote!(f.write_str(#value)?;));
                }
                pending.push_str(suffix);
            }
            Segment::Rest(param) => {
                flush(&mut pending, &mut statements);
                if let Some(param) = channel.params.get(*param) {
                    let value = text(param);
                    statements.push(quote! {
                        let rest: &str = #value;
                        if !rest.is_empty() {
                            f.write_str(#separator)?;
                            f.write_str(rest)?;
                        }
                    });
                }
            }
        }
    }
    flush(&mut pending, &mut statements);
    quote! { #( #statements )* ::core::result::Result::Ok(()) }
}

/// Accessors for parameters: the value when every channel has the parameter with the
/// same type, else an `Option`.
fn accessors(
    ctx: &Ctx<'_>,
    owner: &TokenStream,
    ty: &dyn Fn(&Parameter) -> TokenStream,
    by_ref: bool,
) -> TokenStream {
    let model = ctx.model;
    let mut seen: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut order = Vec::new();
    for (index, channel) in model.channels.iter().enumerate() {
        for (p, param) in channel.params.iter().enumerate() {
            let key = ty(param).to_string();
            match seen.get(&param.field) {
                None => {
                    seen.insert(param.field.clone(), (index, key));
                    order.push((index, p));
                }
                Some((_, known)) if *known != key => {
                    // Two types for one field name: no accessor.
                    seen.insert(param.field.clone(), (usize::MAX, String::new()));
                }
                Some(_) => {}
            }
        }
    }
    let methods = order.into_iter().filter_map(|(index, p)| {
        let param = model.channels.get(index)?.params.get(p)?;
        if seen
            .get(&param.field)
            .is_some_and(|(i, _)| *i == usize::MAX)
        {
            return None;
        }
        let field = ident(&param.field);
        let param_ty = ty(param);
        let holders: Vec<&Channel> = model
            .channels
            .iter()
            .filter(|c| c.params.iter().any(|q| q.field == param.field))
            .collect();
        let everywhere = holders.len() == model.channels.len();
        let patterns = holders.iter().map(|c| {
            let variant = ident(&c.variant);
            quote!(#owner::#variant { #field, .. })
        });
        let returned = if by_ref {
            quote!(&#param_ty)
        } else {
            quote!(#param_ty)
        };
        let value = quote!(#field);
        // The borrowed topic is `Copy`: matching on a copy binds the segments by value.
        let scrutinee = if by_ref { quote!(self) } else { quote!(*self) };
        let text = format!(" The `{{{}}}` segment.", param.name);
        Some(if everywhere {
            quote! {
                #[doc = #text]
                pub fn #field(&self) -> #returned {
                    match #scrutinee { #( #patterns )|* => #value }
                }
            }
        } else {
            quote! {
                #[doc = #text]
                #[doc = ""]
                #[doc = " `None` for the channels that have no such segment."]
                pub fn #field(&self) -> ::core::option::Option<#returned> {
                    match #scrutinee {
                        #( #patterns )|* => ::core::option::Option::Some(#value),
                        #[allow(unreachable_patterns)]
                        _ => ::core::option::Option::None,
                    }
                }
            }
        })
    });
    quote! { #( #methods )* }
}

fn emit_topic(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let owner = quote!(Self);
    let definitions = model.channels.iter().map(|channel| {
        let variant = ident(&channel.variant);
        let docs = channel_doc(channel);
        if channel.params.is_empty() {
            return quote! { #docs #variant, };
        }
        let fields = channel.params.iter().map(|param| {
            let field = ident(&param.field);
            let ty = owned_type(ctx, param);
            // The first sentence only: the whole description is on the type.
            let docs = doc_or(
                param.description.as_deref().map(first_sentence),
                &format!("The `{{{}}}` segment.", param.name),
            );
            quote! { #docs #field: #ty, }
        });
        quote! { #docs #variant { #( #fields )* }, }
    });
    let channel_arms = model.channels.iter().map(|channel| {
        let variant = ident(&channel.variant);
        let pattern = pattern(&owner, channel, false);
        quote! { #pattern => Channel::#variant, }
    });
    let display_arms = model.channels.iter().map(|channel| {
        let pattern = pattern(&owner, channel, true);
        let body = write_topic(channel, &|param| {
            let field = ident(&param.field);
            match param.ty {
                ParamTypeRef::AnySegment | ParamTypeRef::AnyLevels => quote!(#field.as_str()),
                _ => quote!(#rt::TopicParam::as_segment(#field)),
            }
        });
        quote! { #pattern => { #body } }
    });
    let to_ref_arms = model.channels.iter().map(|channel| {
        let pattern = pattern(&owner, channel, true);
        let variant = ident(&channel.variant);
        let fields = channel.params.iter().map(|param| {
            let field = ident(&param.field);
            match param.ty {
                ParamTypeRef::AnySegment | ParamTypeRef::AnyLevels => {
                    quote!(#field: #field.as_str())
                }
                _ => quote!(#field: #rt::TopicParam::as_segment(#field)),
            }
        });
        if channel.params.is_empty() {
            quote! { #pattern => TopicRef::#variant, }
        } else {
            quote! { #pattern => TopicRef::#variant { #( #fields ),* }, }
        }
    });
    let accessors = accessors(ctx, &owner, &|param| owned_type(ctx, param), true);
    let ingest = model.has_ingest().then(|| {
        quote! {
            /// Parses a topic in either form, and says which.
            ///
            /// # Errors
            ///
            /// As [`Topic::parse`].
            pub fn parse_form(topic: &str) -> ::core::result::Result<(Self, #rt::TopicForm), #rt::TopicError> {
                TopicRef::parse_form(topic).map(|(parsed, form)| (parsed.to_topic(), form))
            }

            /// The basic-ingest form (`$aws/rules/<rule>/...`), if the channel has one.
            pub fn ingest(&self) -> ::core::option::Option<#rt::String> {
                let rule = self.channel().ingest_rule()?;
                ::core::option::Option::Some(#rt::format!("{}{rule}/{self}", #rt::INGEST_PREFIX))
            }

            /// The topic in `form`; `None` for the ingest form of a channel without one.
            pub fn to_string_in(&self, form: #rt::TopicForm) -> ::core::option::Option<#rt::String> {
                match form {
                    #rt::TopicForm::Plain => ::core::option::Option::Some(#rt::ToString::to_string(self)),
                    #rt::TopicForm::Ingest => self.ingest(),
                }
            }
        }
    });
    let forms = if model.has_ingest() {
        " Either form (plain or basic-ingest) is accepted; [`Topic::parse_form`] also says which."
    } else {
        ""
    };
    let parse_doc = format!(" Parses a topic.{forms}");
    let match_self = |arms: Vec<TokenStream>| {
        if model.channels.is_empty() {
            quote!(match *self {})
        } else {
            quote!(match self { #( #arms )* })
        }
    };
    let channel_match = match_self(channel_arms.collect());
    let display_match = match_self(display_arms.collect());
    let to_ref_match = match_self(to_ref_arms.collect());
    quote! {
        /// A topic of the document: a channel with its parameters.
        ///
        /// [`Display`](::core::fmt::Display) writes it; [`Topic::parse`] reads it.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Topic { #( #definitions )* }

        impl Topic {
            #[doc = #parse_doc]
            ///
            /// # Errors
            ///
            /// A `TopicError` naming the segment at fault.
            pub fn parse(topic: &str) -> ::core::result::Result<Self, #rt::TopicError> {
                TopicRef::parse(topic).map(|parsed| parsed.to_topic())
            }

            /// The channel.
            pub fn channel(&self) -> Channel {
                #channel_match
            }

            /// The MQTT QoS of publishes on this topic.
            pub fn qos(&self) -> #rt::Qos {
                self.channel().qos()
            }

            /// The topic, borrowed.
            pub fn to_ref(&self) -> TopicRef<'_> {
                #to_ref_match
            }

            #accessors
            #ingest
        }

        impl ::core::fmt::Display for Topic {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #display_match
            }
        }

        impl ::core::str::FromStr for Topic {
            type Err = #rt::TopicError;

            fn from_str(topic: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::parse(topic)
            }
        }
    }
}

fn emit_topic_ref(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let owner = quote!(Self);
    let definitions = model.channels.iter().map(|channel| {
        let variant = ident(&channel.variant);
        let text = format!(" `{}`.", channel.address);
        if channel.params.is_empty() {
            return quote! { #[doc = #text] #variant, };
        }
        let fields = channel.params.iter().map(|param| {
            let field = ident(&param.field);
            let ty = borrowed_type();
            let text = format!(" The `{{{}}}` segment.", param.name);
            quote! { #[doc = #text] #field: #ty, }
        });
        quote! { #[doc = #text] #variant { #( #fields )* }, }
    });
    let channel_arms: Vec<_> = model
        .channels
        .iter()
        .map(|channel| {
            let variant = ident(&channel.variant);
            let pattern = pattern(&owner, channel, false);
            quote! { #pattern => Channel::#variant, }
        })
        .collect();
    let display_arms: Vec<_> = model
        .channels
        .iter()
        .map(|channel| {
            let pattern = pattern(&owner, channel, true);
            let body = write_topic(channel, &|param| {
                let field = ident(&param.field);
                quote!(#field)
            });
            quote! { #pattern => { #body } }
        })
        .collect();
    let to_topic_arms: Vec<_> = model
        .channels
        .iter()
        .map(|channel| {
            let pattern = pattern(&owner, channel, true);
            let variant = ident(&channel.variant);
            let fields = channel.params.iter().map(|param| {
                let field = ident(&param.field);
                match &param.ty {
                    ParamTypeRef::AnySegment | ParamTypeRef::AnyLevels => {
                        quote!(#field: #rt::ToOwned::to_owned(*#field))
                    }
                    _ => {
                        let ty = owned_type(ctx, param);
                        quote!(#field: <#ty as #rt::TopicParam>::from_checked(#field))
                    }
                }
            });
            if channel.params.is_empty() {
                quote! { #pattern => Topic::#variant, }
            } else {
                quote! { #pattern => Topic::#variant { #( #fields ),* }, }
            }
        })
        .collect();
    let accessors = accessors(ctx, &owner, &|_| borrowed_type(), false);
    let ingest = model.has_ingest().then(|| {
        quote! {
            /// Parses a topic in either form, and says which.
            ///
            /// # Errors
            ///
            /// As [`TopicRef::parse`].
            pub fn parse_form(topic: &'a str) -> ::core::result::Result<(Self, #rt::TopicForm), #rt::TopicError> {
                classify(topic).map_err(|miss| miss.into_error(topic))
            }
        }
    });
    let parse_body = if model.has_ingest() {
        quote!(
            classify(topic)
                .map(|(parsed, _)| parsed)
                .map_err(|miss| miss.into_error(topic))
        )
    } else {
        quote!(classify(topic).map_err(|miss| miss.into_error(topic)))
    };
    let lifetime_use = model
        .channels
        .iter()
        .all(|channel| channel.params.is_empty())
        .then(|| {
            quote! {
                #[doc(hidden)]
                #[allow(dead_code)]
                __Borrowed(::core::marker::PhantomData<&'a str>, ::core::convert::Infallible),
            }
        });
    let hidden_arm = lifetime_use
        .as_ref()
        .map(|_| quote!(Self::__Borrowed(_, never) => match *never {},));
    let channel_match = quote!(match self { #( #channel_arms )* #hidden_arm });
    let display_match = quote!(match self { #( #display_arms )* #hidden_arm });
    let to_topic_match = quote!(match self { #( #to_topic_arms )* #hidden_arm });
    quote! {
        /// A topic of the document borrowed from the topic string: the segments of its
        /// parameters are `&str` slices of the input (checked by the same rules as the
        /// owned types), so parsing allocates nothing.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum TopicRef<'a> { #( #definitions )* #lifetime_use }

        impl<'a> TopicRef<'a> {
            /// Parses a topic without allocating.
            ///
            /// # Errors
            ///
            /// A `TopicError` naming the segment at fault.
            pub fn parse(topic: &'a str) -> ::core::result::Result<Self, #rt::TopicError> {
                #parse_body
            }

            /// The channel.
            pub fn channel(&self) -> Channel {
                #channel_match
            }

            /// The owned topic.
            pub fn to_topic(&self) -> Topic {
                #to_topic_match
            }

            #accessors
            #ingest
        }

        impl ::core::fmt::Display for TopicRef<'_> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #display_match
            }
        }
    }
}

// ----- the parser ------------------------------------------------------------------

/// A trie of channel addresses over segments.
#[derive(Default)]
struct Node {
    /// Literal children, tried first, in insertion order.
    literals: Vec<(String, Node)>,
    /// Parameter children: (prefix, suffix, type key, capture index, child).
    params: Vec<(String, String, String, usize, Node)>,
    /// A `#` wildcard here: (channel, capture index).
    rest: Option<(usize, usize)>,
    /// The channel whose address ends here.
    terminal: Option<usize>,
}

fn build_trie(ctx: &Ctx<'_>) -> Node {
    let mut root = Node::default();
    for (index, channel) in ctx.model.channels.iter().enumerate() {
        let mut node = &mut root;
        for segment in &channel.segments {
            node = match segment {
                Segment::Literal(text) => {
                    let position = node.literals.iter().position(|(known, _)| known == text);
                    let position = position.unwrap_or_else(|| {
                        node.literals.push((text.clone(), Node::default()));
                        node.literals.len() - 1
                    });
                    &mut node.literals[position].1
                }
                Segment::Param {
                    prefix,
                    param,
                    suffix,
                } => {
                    let key = channel
                        .params
                        .get(*param)
                        .map(|p| owned_type(ctx, p).to_string())
                        .unwrap_or_default();
                    let position = node.params.iter().position(|(p, s, k, i, _)| {
                        p == prefix && s == suffix && *k == key && i == param
                    });
                    let position = position.unwrap_or_else(|| {
                        node.params.push((
                            prefix.clone(),
                            suffix.clone(),
                            key.clone(),
                            *param,
                            Node::default(),
                        ));
                        node.params.len() - 1
                    });
                    &mut node.params[position].4
                }
                Segment::Rest(param) => {
                    if node.rest.is_none() {
                        node.rest = Some((index, *param));
                    }
                    break;
                }
            };
        }
        if !matches!(channel.segments.last(), Some(Segment::Rest(_))) && node.terminal.is_none() {
            node.terminal = Some(index);
        }
    }
    // Longer prefixes and suffixes first, so `params-{g}` is tried before `{g}`.
    fn order(node: &mut Node) {
        node.params
            .sort_by_key(|(prefix, suffix, ..)| std::cmp::Reverse(prefix.len() + suffix.len()));
        for (_, child) in &mut node.literals {
            order(child);
        }
        for (.., child) in &mut node.params {
            order(child);
        }
    }
    order(&mut root);
    root
}

fn emit_parser(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let captures = model
        .channels
        .iter()
        .map(|channel| channel.params.len())
        .max()
        .unwrap_or(0);
    let capture_count = Literal::usize_unsuffixed(captures);
    let root = build_trie(ctx);
    let mut functions = Vec::new();
    let mut next_id = 0;
    emit_node(ctx, &root, 0, false, &mut next_id, &mut functions);
    let ingest = if model.has_ingest() {
        quote! {
            /// Classifies a topic in either form.
            fn classify(topic: &str) -> ::core::result::Result<(TopicRef<'_>, #rt::TopicForm), #rt::topic::Miss> {
                let ::core::option::Option::Some(split) = #rt::topic::split_ingest(topic) else {
                    return classify_plain(topic).map(|parsed| (parsed, #rt::TopicForm::Plain));
                };
                let (rule, plain) = split?;
                // The rule is checked against the list only when something is wrong:
                // an unknown rule is the error whatever follows it.
                let unknown = || #rt::topic::Miss::new(2, #rt::TopicErrorReason::unknown_rule(rule));
                let parsed = match classify_plain(plain) {
                    ::core::result::Result::Ok(parsed) => parsed,
                    ::core::result::Result::Err(_) if !INGEST_RULES.contains(&rule) => {
                        return ::core::result::Result::Err(unknown());
                    }
                    ::core::result::Result::Err(miss) => return ::core::result::Result::Err(miss.shifted(3)),
                };
                match parsed.channel().ingest_rule() {
                    ::core::option::Option::Some(expected) if expected == rule => {
                        ::core::result::Result::Ok((parsed, #rt::TopicForm::Ingest))
                    }
                    _ if !INGEST_RULES.contains(&rule) => ::core::result::Result::Err(unknown()),
                    ::core::option::Option::Some(expected) => ::core::result::Result::Err(#rt::topic::Miss::new(
                        2,
                        #rt::TopicErrorReason::RuleMismatch { expected },
                    )),
                    ::core::option::Option::None => ::core::result::Result::Err(#rt::topic::Miss::new(
                        2,
                        #rt::TopicErrorReason::NotIngestible,
                    )),
                }
            }
        }
    } else {
        quote! {
            /// Classifies a topic.
            fn classify(topic: &str) -> ::core::result::Result<TopicRef<'_>, #rt::topic::Miss> {
                classify_plain(topic)
            }
        }
    };
    quote! {
        /// The captured parameter segments of a topic being parsed.
        type Captures<'a> = [&'a str; #capture_count];

        #ingest

        /// Classifies a topic in the plain form (the channel address).
        fn classify_plain(topic: &str) -> ::core::result::Result<TopicRef<'_>, #rt::topic::Miss> {
            let mut captures: Captures<'_> = [""; #capture_count];
            node_0(::core::option::Option::Some(topic), &mut captures)
        }

        #( #functions )*
    }
}

/// Emits the function of `node`, whose next segment is at index `depth`; returns its
/// name.
fn emit_node(
    ctx: &Ctx<'_>,
    node: &Node,
    depth: usize,
    after_param: bool,
    next_id: &mut usize,
    functions: &mut Vec<TokenStream>,
) -> proc_macro2::Ident {
    let rt = &ctx.rt;
    let name = format_ident!("node_{}", *next_id);
    *next_id += 1;
    let depth_lit = Literal::usize_unsuffixed(depth);
    let miss_reason = if after_param {
        quote!(#rt::TopicErrorReason::UnknownSuffix)
    } else {
        quote!(#rt::TopicErrorReason::UnknownPrefix)
    };
    let at_end = match (node.terminal, node.rest) {
        (Some(channel), _) => build(ctx, channel, None),
        (None, Some((channel, capture))) => build(ctx, channel, Some((capture, quote!("")))),
        (None, None) => quote! {
            ::core::result::Result::Err(#rt::topic::Miss::new(#depth_lit, #rt::TopicErrorReason::MissingSegment))
        },
    };
    let literal_children: Vec<proc_macro2::Ident> = node
        .literals
        .iter()
        .map(|(_, child)| emit_node(ctx, child, depth + 1, after_param, next_id, functions))
        .collect();
    let literal_arms: Vec<TokenStream> = node
        .literals
        .iter()
        .zip(&literal_children)
        .map(|((text, _), child)| {
            quote! {
                #text => match #child(next, captures) {
                    ::core::result::Result::Ok(topic) => return ::core::result::Result::Ok(topic),
                    ::core::result::Result::Err(deeper) => miss = miss.or(deeper),
                },
            }
        })
        .collect();
    let literal_match = match node.literals.as_slice() {
        [] => None,
        [(text, _)] => {
            let child = literal_children.first();
            let test = if text.is_empty() {
                quote!(segment.is_empty())
            } else {
                quote!(segment == #text)
            };
            Some(quote! {
                if #test {
                    match #child(next, captures) {
                        ::core::result::Result::Ok(topic) => return ::core::result::Result::Ok(topic),
                        ::core::result::Result::Err(deeper) => miss = miss.or(deeper),
                    }
                }
            })
        }
        _ => Some(quote! {
            match segment {
                #( #literal_arms )*
                _ => {}
            }
        }),
    };
    let param_attempts: Vec<TokenStream> = node
        .params
        .iter()
        .map(|(prefix, suffix, _, capture, child)| {
            let child = emit_node(ctx, child, depth + 1, true, next_id, functions);
            let check = check_tokens(ctx, node, *capture, prefix, suffix);
            let capture = Literal::usize_unsuffixed(*capture);
            let value = if prefix.is_empty() && suffix.is_empty() {
                quote!(::core::option::Option::Some(segment))
            } else {
                quote!(#rt::topic::strip(segment, #prefix, #suffix))
            };
            quote! {
                if let ::core::option::Option::Some(value) = #value {
                    match #check(value, #depth_lit) {
                        ::core::result::Result::Ok(()) => {
                            captures[#capture] = value;
                            match #child(next, captures) {
                                ::core::result::Result::Ok(topic) => return ::core::result::Result::Ok(topic),
                                ::core::result::Result::Err(deeper) => miss = miss.or(deeper),
                            }
                        }
                        // At this segment, why the parameter failed says more than
                        // that nothing matched.
                        ::core::result::Result::Err(bad) => miss = bad.or(miss),
                    }
                }
            }
        })
        .collect();
    let rest_attempt = node.rest.map(|(channel, capture)| {
        let built = build(ctx, channel, Some((capture, quote!(rest))));
        quote! {
            match #rt::topic::check_levels(rest) {
                ::core::result::Result::Ok(()) => return #built,
                ::core::result::Result::Err(bad) => {
                    miss = #rt::topic::Miss::new(#depth_lit, #rt::TopicErrorReason::InvalidId(bad)).or(miss);
                }
            }
        }
    });
    let uses_split = literal_match.is_some() || !param_attempts.is_empty();
    let split = uses_split.then(|| quote!(let (segment, next) = #rt::topic::split(rest);));
    let captures_name = if uses_split || node.rest.is_some() || node.terminal.is_some() {
        quote!(captures)
    } else {
        quote!(_captures)
    };
    let rest_name = if uses_split || node.rest.is_some() {
        quote!(rest)
    } else {
        quote!(_rest)
    };
    let mutable = if literal_arms.is_empty() && param_attempts.is_empty() && rest_attempt.is_none()
    {
        TokenStream::new()
    } else {
        quote!(mut)
    };
    functions.push(quote! {
        #[inline]
        #[allow(unused_variables, clippy::needless_return)]
        fn #name<'a>(
            rest: ::core::option::Option<&'a str>,
            #captures_name: &mut Captures<'a>,
        ) -> ::core::result::Result<TopicRef<'a>, #rt::topic::Miss> {
            let ::core::option::Option::Some(#rest_name) = rest else {
                return #at_end;
            };
            let #mutable miss = #rt::topic::Miss::new(#depth_lit, #miss_reason);
            #split
            #literal_match
            #( #param_attempts )*
            #rest_attempt
            ::core::result::Result::Err(miss)
        }
    });
    name
}

/// The check function of the parameter captured at `capture` below `node`.
fn check_tokens(
    ctx: &Ctx<'_>,
    node: &Node,
    capture: usize,
    prefix: &str,
    suffix: &str,
) -> TokenStream {
    let rt = &ctx.rt;
    let key = node
        .params
        .iter()
        .find(|(p, s, _, c, _)| *c == capture && p == prefix && s == suffix)
        .map(|(_, _, key, ..)| key.clone())
        .unwrap_or_default();
    let ty: TokenStream = key.parse().unwrap_or_else(|_| quote!(#rt::String));
    quote!(#rt::topic::check::<#ty>)
}

/// The expression that builds the `TopicRef` of `channel` from the captures (and, for
/// a `#` wildcard, `rest` as the capture at its index).
fn build(ctx: &Ctx<'_>, channel: usize, rest: Option<(usize, TokenStream)>) -> TokenStream {
    let rt = &ctx.rt;
    let Some(channel) = ctx.model.channels.get(channel) else {
        return quote!(::core::result::Result::Err(#rt::topic::Miss::new(0, #rt::TopicErrorReason::UnknownPrefix)));
    };
    let variant = ident(&channel.variant);
    if channel.params.is_empty() {
        return quote!(::core::result::Result::Ok(TopicRef::#variant));
    }
    let fields = channel.params.iter().enumerate().map(|(index, param)| {
        let field = ident(&param.field);
        let capture = Literal::usize_unsuffixed(index);
        match &rest {
            Some((rest_index, rest_value)) if *rest_index == index => {
                if field == rest_value.to_string() {
                    quote!(#field)
                } else {
                    quote!(#field: #rest_value)
                }
            }
            _ => quote!(#field: captures[#capture]),
        }
    });
    quote!(::core::result::Result::Ok(TopicRef::#variant { #( #fields ),* }))
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("The id. More."), "The id.");
        assert_eq!(
            first_sentence("An id, e.g. `a.b`. More."),
            "An id, e.g. `a.b`."
        );
        assert_eq!(first_sentence("No stop"), "No stop");
    }
}
