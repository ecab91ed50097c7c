//! `topics.rs`: the `Topic` enum, its parser and formatter, and the `Channel` kinds.
//!
//! The parser is a trie over `/`-separated segments compiled into nested `match`es on
//! string slices: no regex and no allocation besides the ids. Where a literal segment
//! and a parameter compete (`params/local/init` against a group named `init`), the
//! literal is tried first, and the parameter only if the literal path fails.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc, doc_or, file_attributes, ident};
use crate::model::{Channel, Direction, Model, Segment};

/// The tokens of `topics.rs`.
pub fn emit(model: &Model) -> TokenStream {
    let attributes = file_attributes(
        "Topics: every channel of the spec as a [`Topic`] variant with typed parameters, \
         parsed from and formatted to both the plain and the basic-ingest form.",
    );
    let direction = emit_direction(model);
    let qos = quote! {
        /// MQTT quality of service. The protocol publishes and subscribes with QoS 1 only.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Qos {
            /// QoS 1: delivered at least once.
            AtLeastOnce = 1,
        }

        impl Qos {
            /// The QoS level as a number.
            pub const fn as_u8(self) -> u8 {
                self as u8
            }
        }

        /// The two forms of a node-to-cloud topic.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TopicForm {
            /// `node/<node_id>/...`: what subscribers see.
            Plain,
            /// `$aws/rules/<rule>/node/<node_id>/...`: the basic-ingest alias, delivered
            /// straight to an IoT rule (no subscriber ever sees it).
            Ingest,
        }

        /// The prefix of every basic-ingest topic.
        pub const INGEST_PREFIX: &str = "$aws/rules/";
    };
    let limits = emit_limits(model);
    let channel = emit_channel(model);
    let topic = emit_topic(model);
    let parser = emit_parser(model);
    quote! {
        #attributes
        use std::fmt;
        #direction
        #qos
        #limits
        #channel
        #topic
        #parser
    }
}

fn emit_direction(_model: &Model) -> TokenStream {
    let variants = [
        (
            Direction::NodeToCloud,
            "The node publishes, the cloud receives.",
        ),
        (
            Direction::CloudToNode,
            "The cloud publishes, the node receives.",
        ),
        (
            Direction::BrokerToCloud,
            "The broker (AWS IoT) publishes, the cloud receives; the node never does.",
        ),
    ];
    let definitions = variants.iter().map(|(direction, text)| {
        let variant = format_ident!("{}", direction.variant());
        let text = format!(" {text} (`{}`)", direction.wire());
        quote! { #[doc = #text] #variant, }
    });
    let arms = variants.iter().map(|(direction, _)| {
        let variant = format_ident!("{}", direction.variant());
        let wire = direction.wire();
        quote! { Self::#variant => #wire, }
    });
    quote! {
        /// Who publishes on a channel.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Direction { #( #definitions )* }

        impl Direction {
            /// The spec's spelling (`x-rainmaker-direction`).
            pub const fn as_str(self) -> &'static str {
                match self { #( #arms )* }
            }
        }
    }
}

/// `<PARAM>_MAX_LEN` and `<PARAM>_PATTERN` constants for the channel parameters that
/// declare them (`x-rainmaker-max-length`, `x-rainmaker-pattern`), once per parameter
/// name, so the id types can be checked against the spec.
fn emit_limits(model: &Model) -> TokenStream {
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    for param in model.channels.iter().flat_map(|channel| &channel.params) {
        if !seen.insert(param.name.clone()) {
            continue;
        }
        let Some(stem) = crate::naming::screaming(&param.name) else {
            continue;
        };
        if let Some(max) = param.max_length {
            let name = format_ident!("{}_MAX_LEN", stem);
            let max = Literal::u64_unsuffixed(max);
            let text = format!(
                " The longest `{{{}}}` the spec allows, in bytes.",
                param.name
            );
            items.push(quote! { #[doc = #text] pub const #name: usize = #max; });
        }
        if let Some(pattern) = &param.pattern {
            let name = format_ident!("{}_PATTERN", stem);
            let text = format!(" The regex every `{{{}}}` matches.", param.name);
            items.push(quote! { #[doc = #text] pub const #name: &str = #pattern; });
        }
    }
    quote! { #( #items )* }
}

fn channel_doc(channel: &Channel) -> TokenStream {
    let mut text = format!("`{}`", channel.address);
    if let Some(ingest) = &channel.ingest {
        text.push_str(&format!(
            " (basic ingest: `$aws/rules/{}/{}`)",
            ingest.rule, channel.address
        ));
    }
    text.push('.');
    if let Some(description) = &channel.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    doc(&text)
}

fn emit_channel(model: &Model) -> TokenStream {
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
    let keys = model.channels.iter().map(|channel| channel.key.as_str());
    let addresses = model
        .channels
        .iter()
        .map(|channel| channel.address.as_str());
    let directions = model.channels.iter().map(|channel| {
        let direction = format_ident!("{}", channel.direction.variant());
        quote!(Direction::#direction)
    });
    let rules = model.channels.iter().map(|channel| match &channel.ingest {
        Some(ingest) => {
            let rule = &ingest.rule;
            quote!(Some(#rule))
        }
        None => quote!(None),
    });
    let sdk_ingest = model.channels.iter().map(|channel| {
        channel
            .ingest
            .as_ref()
            .is_some_and(|ingest| ingest.sdk_publishes)
    });
    let messages = model.channels.iter().map(|channel| {
        let names = channel
            .messages
            .iter()
            .filter_map(|index| model.messages.get(*index))
            .map(|message| message.key.as_str());
        quote!(&[ #( #names ),* ])
    });
    let all_rules: BTreeSet<&str> = model
        .channels
        .iter()
        .filter_map(|channel| channel.ingest.as_ref().map(|ingest| ingest.rule.as_str()))
        .collect();
    let all_rules = all_rules.into_iter();
    quote! {
        /// The kinds of channel: a [`Topic`] without its parameters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Channel { #( #definitions )* }

        impl Channel {
            /// Every channel, in spec order.
            pub const ALL: [Self; #count] = [ #( Self::#variants ),* ];

            /// The channel's key in the spec.
            pub const fn key(self) -> &'static str {
                match self { #( Self::#variants => #keys, )* }
            }

            /// The address template, such as `node/{node_id}/config`.
            pub const fn address(self) -> &'static str {
                match self { #( Self::#variants => #addresses, )* }
            }

            /// Who publishes on the channel.
            pub const fn direction(self) -> Direction {
                match self { #( Self::#variants => #directions, )* }
            }

            /// The QoS of every publish and subscription on the channel.
            pub const fn qos(self) -> Qos {
                Qos::AtLeastOnce
            }

            /// The basic-ingest rule of the channel, if it has an ingest form.
            pub const fn ingest_rule(self) -> Option<&'static str> {
                match self { #( Self::#variants => #rules, )* }
            }

            /// Whether the SDK publishes on the ingest form (it always uses the plain
            /// form of some channels that have an alias, such as group deltas).
            pub const fn sdk_uses_ingest(self) -> bool {
                match self { #( Self::#variants => #sdk_ingest, )* }
            }

            /// The names (spec keys) of the messages the channel carries.
            pub const fn messages(self) -> &'static [&'static str] {
                match self { #( Self::#variants => #messages, )* }
            }
        }

        impl fmt::Display for Channel {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }

        /// Every basic-ingest rule name, sorted.
        pub const INGEST_RULES: &[&str] = &[ #( #all_rules ),* ];
    }
}

/// The format string and arguments that write a channel's plain topic.
fn format_parts(channel: &Channel) -> (String, Vec<proc_macro2::Ident>) {
    let mut text = String::new();
    let mut args = Vec::new();
    for (index, segment) in channel.segments.iter().enumerate() {
        if index > 0 {
            text.push('/');
        }
        match segment {
            Segment::Literal(literal) => {
                text.push_str(&literal.replace('{', "{{").replace('}', "}}"))
            }
            Segment::Param(param) => {
                let arg = format_ident!("p{}", param);
                text.push_str(&format!("{{{arg}}}"));
                args.push(arg);
            }
        }
    }
    (text, args)
}

fn emit_topic(model: &Model) -> TokenStream {
    let definitions = model.channels.iter().map(|channel| {
        let variant = ident(&channel.variant);
        let docs = channel_doc(channel);
        let fields = channel.params.iter().map(|param| {
            let field = ident(&param.field);
            let ty = ident(&param.rust_type);
            let docs = doc_or(
                param.description.as_deref(),
                &format!("The `{{{}}}` segment.", param.name),
            );
            quote! { #docs #field: crate::#ty, }
        });
        if channel.params.is_empty() {
            quote! { #docs #variant, }
        } else {
            quote! { #docs #variant { #( #fields )* }, }
        }
    });
    let channel_arms = model.channels.iter().map(|channel| {
        let variant = ident(&channel.variant);
        let pattern = pattern(channel, false);
        quote! { #pattern => Channel::#variant, }
    });
    let display_arms = model.channels.iter().map(|channel| {
        let pattern = pattern(channel, true);
        let (text, _) = format_parts(channel);
        quote! { #pattern => write!(f, #text), }
    });
    let accessors = emit_accessors(model);
    quote! {
        /// A topic of the protocol: a channel with its parameters.
        ///
        /// [`Display`](fmt::Display) writes the plain form; [`Topic::ingest`] the
        /// basic-ingest form. [`Topic::parse`] reads both.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Topic { #( #definitions )* }

        impl Topic {
            /// The kind of channel.
            pub fn channel(&self) -> Channel {
                match self { #( #channel_arms )* }
            }

            /// Who publishes on this topic.
            pub fn direction(&self) -> Direction {
                self.channel().direction()
            }

            /// The QoS of publishes on this topic.
            pub fn qos(&self) -> Qos {
                self.channel().qos()
            }

            /// The basic-ingest form (`$aws/rules/<rule>/...`), if the channel has one.
            pub fn ingest(&self) -> Option<String> {
                let rule = self.channel().ingest_rule()?;
                Some(format!("{INGEST_PREFIX}{rule}/{self}"))
            }

            /// The topic in `form`; `None` for the ingest form of a channel without one.
            pub fn to_string_in(&self, form: TopicForm) -> Option<String> {
                match form {
                    TopicForm::Plain => Some(self.to_string()),
                    TopicForm::Ingest => self.ingest(),
                }
            }

            #accessors
        }

        impl fmt::Display for Topic {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self { #( #display_arms )* }
            }
        }

        impl std::str::FromStr for Topic {
            type Err = crate::TopicError;

            /// Parses either form; see [`Topic::parse`].
            fn from_str(topic: &str) -> Result<Self, Self::Err> {
                Self::parse(topic).map(|(topic, _)| topic)
            }
        }
    }
}

/// A match pattern for a channel's variant, binding its parameters as `p0`, `p1`...
/// (or ignoring them).
fn pattern(channel: &Channel, bind: bool) -> TokenStream {
    let variant = ident(&channel.variant);
    if channel.params.is_empty() {
        return quote!(Self::#variant);
    }
    if !bind {
        return quote!(Self::#variant { .. });
    }
    let fields = channel.params.iter().enumerate().map(|(index, param)| {
        let field = ident(&param.field);
        let binding = format_ident!("p{}", index);
        quote!(#field: #binding)
    });
    quote!(Self::#variant { #( #fields ),* })
}

/// Accessors for parameters: `&T` when every channel has the parameter, else
/// `Option<&T>`.
fn emit_accessors(model: &Model) -> TokenStream {
    let mut names: Vec<(&str, &str, &str)> = Vec::new();
    for channel in &model.channels {
        for param in &channel.params {
            if !names.iter().any(|(name, _, _)| *name == param.name) {
                names.push((&param.name, &param.field, &param.rust_type));
            }
        }
    }
    let accessors = names.into_iter().map(|(name, field, rust_type)| {
        let field_ident = ident(field);
        let ty = ident(rust_type);
        let everywhere = model
            .channels
            .iter()
            .all(|channel| channel.params.iter().any(|param| param.name == name));
        let arms = model.channels.iter().map(|channel| {
            let variant = ident(&channel.variant);
            let has = channel.params.iter().any(|param| param.name == name);
            match (has, everywhere) {
                (true, true) => quote!(Self::#variant { #field_ident, .. } => #field_ident,),
                (true, false) => quote!(Self::#variant { #field_ident, .. } => Some(#field_ident),),
                (false, _) => {
                    let pattern = pattern(channel, false);
                    quote!(#pattern => None,)
                }
            }
        });
        if everywhere {
            let text = format!(" The `{{{name}}}` segment.");
            quote! {
                #[doc = #text]
                pub fn #field_ident(&self) -> &crate::#ty {
                    match self { #( #arms )* }
                }
            }
        } else {
            let text = format!(" The `{{{name}}}` segment, for the channels that have one.");
            quote! {
                #[doc = #text]
                pub fn #field_ident(&self) -> Option<&crate::#ty> {
                    match self { #( #arms )* }
                }
            }
        }
    });
    quote! { #( #accessors )* }
}

// ----- the parser ----------------------------------------------------------------------

/// A trie node over address segments.
#[derive(Default)]
struct Node {
    /// The channel whose address ends here.
    terminal: Option<usize>,
    /// Literal children, in spec order.
    literals: Vec<(String, Node)>,
    /// The parameter child.
    param: Option<Box<Node>>,
}

impl Node {
    fn insert(&mut self, segments: &[Segment], channel: usize) -> Result<(), usize> {
        let Some((first, rest)) = segments.split_first() else {
            return match self.terminal {
                Some(existing) => Err(existing),
                None => {
                    self.terminal = Some(channel);
                    Ok(())
                }
            };
        };
        let child = match first {
            Segment::Literal(literal) => {
                match self.literals.iter().position(|(text, _)| text == literal) {
                    Some(index) => &mut self.literals[index].1,
                    None => {
                        self.literals.push((literal.clone(), Node::default()));
                        let last = self.literals.len() - 1;
                        &mut self.literals[last].1
                    }
                }
            }
            Segment::Param(_) => self.param.get_or_insert_with(Box::default),
        };
        child.insert(rest, channel)
    }
}

/// Builds the trie of the channels' addresses; two channels with the same address
/// shape are reported by index.
fn trie(model: &Model) -> Result<Node, (usize, usize)> {
    let mut root = Node::default();
    for (index, channel) in model.channels.iter().enumerate() {
        root.insert(&channel.segments, index)
            .map_err(|existing| (existing, index))?;
    }
    Ok(root)
}

/// Checks that no two channels have the same address shape (which the parser could
/// not tell apart).
pub fn check_addresses(model: &Model) -> crate::error::Result<()> {
    match trie(model) {
        Ok(_) => Ok(()),
        Err((first, second)) => {
            let first = &model.channels[first];
            let second = &model.channels[second];
            Err(crate::error::Error::unsupported(
                &second.at.join("address"),
                format!(
                    "the address `{}` cannot be told apart from `{}` of {}",
                    second.address, first.address, first.at
                ),
            ))
        }
    }
}

fn emit_parser(model: &Model) -> TokenStream {
    let (body, classify_body) = match trie(model) {
        Ok(root) => (
            node_code(model, &root, 0, false, Mode::Build),
            node_code(model, &root, 0, false, Mode::Classify),
        ),
        // Unreachable: `check_addresses` runs before emitting.
        Err(_) => {
            let unknown = quote!(Err(error(
                topic,
                base,
                crate::TopicErrorReason::UnknownPrefix
            )));
            (unknown.clone(), unknown)
        }
    };
    quote! {
        impl Topic {
            /// Parses a topic in either form and says which form it was.
            ///
            /// Accepts `node/<node_id>/...` (and the other plain addresses of the spec)
            /// and `$aws/rules/<rule>/<plain topic>`, where the rule must be the
            /// channel's own. A group id that equals a literal segment of another
            /// channel loses to that channel: `node/<id>/params/local/init` is always
            /// the full-snapshot channel, never a group named `init`.
            ///
            /// # Errors
            ///
            /// A [`crate::TopicError`] naming the 0-based segment at fault and why.
            pub fn parse(topic: &str) -> Result<(Self, TopicForm), crate::TopicError> {
                let Some(rest) = topic.strip_prefix(INGEST_PREFIX) else {
                    return parse_plain(topic, topic, 0).map(|parsed| (parsed, TopicForm::Plain));
                };
                let (rule, rest) = split(rest);
                if INGEST_RULES.binary_search(&rule).is_err() {
                    return Err(error(topic, 2, crate::TopicErrorReason::UnknownRule(rule.to_owned())));
                }
                let Some(rest) = rest else {
                    return Err(error(topic, 3, crate::TopicErrorReason::MissingSegment));
                };
                let parsed = parse_plain(topic, rest, 3)?;
                match parsed.channel().ingest_rule() {
                    Some(expected) if expected == rule => Ok((parsed, TopicForm::Ingest)),
                    Some(expected) => Err(error(topic, 2, crate::TopicErrorReason::RuleMismatch { expected })),
                    None => Err(error(topic, 2, crate::TopicErrorReason::NotIngestible)),
                }
            }
        }

        impl Channel {
            /// The channel of a topic in either form, and the form, without allocating:
            /// the same grammar and errors as [`Topic::parse`], with each id checked in
            /// place (non-empty, at most the spec's `x-rainmaker-max-length` bytes, no
            /// `+`, `#` or control character). Use it to route before decoding.
            ///
            /// # Errors
            ///
            /// A [`crate::TopicError`] naming the 0-based segment at fault and why.
            pub fn of_topic(topic: &str) -> Result<(Self, TopicForm), crate::TopicError> {
                let Some(rest) = topic.strip_prefix(INGEST_PREFIX) else {
                    return classify_plain(topic, topic, 0).map(|channel| (channel, TopicForm::Plain));
                };
                let (rule, rest) = split(rest);
                if INGEST_RULES.binary_search(&rule).is_err() {
                    return Err(error(topic, 2, crate::TopicErrorReason::UnknownRule(rule.to_owned())));
                }
                let Some(rest) = rest else {
                    return Err(error(topic, 3, crate::TopicErrorReason::MissingSegment));
                };
                let channel = classify_plain(topic, rest, 3)?;
                match channel.ingest_rule() {
                    Some(expected) if expected == rule => Ok((channel, TopicForm::Ingest)),
                    Some(expected) => Err(error(topic, 2, crate::TopicErrorReason::RuleMismatch { expected })),
                    None => Err(error(topic, 2, crate::TopicErrorReason::NotIngestible)),
                }
            }
        }

        /// Classifies the plain form `text`, which starts at segment `base` of `topic`.
        fn classify_plain(topic: &str, text: &str, base: usize) -> Result<Channel, crate::TopicError> {
            let rest = Some(text);
            #classify_body
        }

        /// Checks an id segment in place.
        fn check_id(topic: &str, segment: usize, id: &str, max: usize) -> Result<(), crate::TopicError> {
            let reason = if id.is_empty() {
                crate::IdError::Empty
            } else if id.len() > max {
                crate::IdError::TooLong { len: id.len(), max }
            } else if let Some((offset, found)) = id
                .char_indices()
                .find(|&(_, c)| matches!(c, '+' | '#') || c.is_control())
            {
                crate::IdError::ForbiddenChar { found, offset }
            } else {
                return Ok(());
            };
            Err(error(topic, segment, crate::TopicErrorReason::InvalidId(reason)))
        }

        /// Splits off the first `/`-separated segment.
        #[inline]
        fn split(text: &str) -> (&str, Option<&str>) {
            match text.bytes().position(|byte| byte == b'/') {
                Some(slash) => (&text[..slash], Some(&text[slash + 1..])),
                None => (text, None),
            }
        }

        #[cold]
        fn error(topic: &str, segment: usize, reason: crate::TopicErrorReason) -> crate::TopicError {
            crate::TopicError::new(topic, segment, reason)
        }

        /// Parses the plain form `text`, which starts at segment `base` of `topic`.
        fn parse_plain(topic: &str, text: &str, base: usize) -> Result<Topic, crate::TopicError> {
            let rest = Some(text);
            #body
        }
    }
}

/// What the parser builds when a channel's address matches.
#[derive(Clone, Copy)]
enum Mode {
    /// The typed `Topic`, with owned ids.
    Build,
    /// Only the `Channel`, with the ids checked in place (no allocation).
    Classify,
}

/// The code matching the segments below `node`, at segment `depth` of the plain form;
/// `rest` holds the text from that segment on (`None` once the topic has ended).
/// `params_seen` says whether a parameter came before (which decides between
/// `UnknownPrefix` and `UnknownSuffix`).
fn node_code(
    model: &Model,
    node: &Node,
    depth: usize,
    params_seen: bool,
    mode: Mode,
) -> TokenStream {
    let at = segment_expr(depth);
    let on_end = match (node.terminal, mode) {
        (Some(channel), Mode::Build) => build_topic(model, channel),
        (Some(channel), Mode::Classify) => classify_channel(model, channel),
        (None, _) => quote!(Err(error(topic, #at, crate::TopicErrorReason::MissingSegment))),
    };
    let unknown = if params_seen {
        quote!(crate::TopicErrorReason::UnknownSuffix)
    } else {
        quote!(crate::TopicErrorReason::UnknownPrefix)
    };
    let param_code = node.param.as_ref().map(|child| {
        let binding = format_ident!("s{}", depth);
        let inner = node_code(model, child, depth + 1, true, mode);
        quote! {{ let #binding = segment; #inner }}
    });
    let fallback = match &param_code {
        Some(code) => code.clone(),
        None => quote!(Err(error(topic, #at, #unknown))),
    };
    let literal_arms = node.literals.iter().map(|(literal, child)| {
        let inner = node_code(model, child, depth + 1, params_seen, mode);
        match &param_code {
            Some(code) => quote! {
                #literal => match #inner {
                    Ok(parsed) => Ok(parsed),
                    Err(_) => #code,
                },
            },
            None => quote! { #literal => #inner, },
        }
    });
    if node.literals.is_empty() && node.param.is_none() {
        return quote! {
            match rest {
                None => #on_end,
                Some(_) => Err(error(topic, #at, #unknown)),
            }
        };
    }
    if node.literals.is_empty() {
        return quote! {
            match rest {
                None => #on_end,
                Some(text) => {
                    let (segment, rest) = split(text);
                    #fallback
                }
            }
        };
    }
    quote! {
        match rest {
            None => #on_end,
            Some(text) => {
                let (segment, rest) = split(text);
                match segment {
                    #( #literal_arms )*
                    _ => #fallback,
                }
            }
        }
    }
}

/// The index of segment `depth` of the plain form within the whole topic.
fn segment_expr(depth: usize) -> TokenStream {
    if depth == 0 {
        quote!(base)
    } else {
        let depth = Literal::usize_unsuffixed(depth);
        quote!(base + #depth)
    }
}

/// The code checking channel `index`'s captured id segments and returning the channel.
fn classify_channel(model: &Model, index: usize) -> TokenStream {
    let Some(channel) = model.channels.get(index) else {
        return TokenStream::new();
    };
    let variant = ident(&channel.variant);
    let checks = channel
        .params
        .iter()
        .enumerate()
        .map(|(param_index, param)| {
            let depth = channel
                .segments
                .iter()
                .position(|segment| *segment == Segment::Param(param_index))
                .unwrap_or_default();
            let binding = format_ident!("s{}", depth);
            let at = segment_expr(depth);
            let max = match param.max_length {
                Some(max) => {
                    let max = Literal::u64_unsuffixed(max);
                    quote!(#max)
                }
                None => quote!(usize::MAX),
            };
            quote! { check_id(topic, #at, #binding, #max)?; }
        });
    quote!({ #( #checks )* Ok(Channel::#variant) })
}

/// The code building channel `index`'s topic from the captured segments `s<depth>`.
fn build_topic(model: &Model, index: usize) -> TokenStream {
    let Some(channel) = model.channels.get(index) else {
        return TokenStream::new();
    };
    let variant = ident(&channel.variant);
    if channel.params.is_empty() {
        return quote!(Ok(Topic::#variant));
    }
    let fields = channel
        .params
        .iter()
        .enumerate()
        .map(|(param_index, param)| {
            let field = ident(&param.field);
            let ty = ident(&param.rust_type);
            let depth = channel
                .segments
                .iter()
                .position(|segment| *segment == Segment::Param(param_index))
                .unwrap_or_default();
            let binding = format_ident!("s{}", depth);
            let at = segment_expr(depth);
            quote! {
                #field: crate::#ty::new(#binding).map_err(|id_error| {
                    error(topic, #at, crate::TopicErrorReason::InvalidId(id_error))
                })?,
            }
        });
    quote!(Ok(Topic::#variant { #( #fields )* }))
}
