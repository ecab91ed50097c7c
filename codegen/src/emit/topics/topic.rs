//! The owned `Topic` and the borrowed `TopicRef`: one variant per channel with its
//! parameters, written back with `Display`, parsed by the parser of `parser.rs`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::channel_doc;
use super::params::{borrowed_type, first_sentence, owned_type};
use crate::emit::{Ctx, doc_or, ident, match_self};
use crate::model::{Channel, ParamTypeRef, Parameter, Segment};

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

/// The variants of a topic enum: one per channel with the doc attributes `docs`
/// gives, and a field per parameter (`field` gives its doc attributes and type).
fn definitions(
    channels: &[Channel],
    docs: impl Fn(&Channel) -> TokenStream,
    field: impl Fn(&Parameter) -> (TokenStream, TokenStream),
) -> Vec<TokenStream> {
    channels
        .iter()
        .map(|channel| {
            let variant = ident(&channel.variant);
            let docs = docs(channel);
            if channel.params.is_empty() {
                return quote! { #docs #variant, };
            }
            let fields = channel.params.iter().map(|param| {
                let name = ident(&param.field);
                let (docs, ty) = field(param);
                quote! { #docs #name: #ty, }
            });
            quote! { #docs #variant { #( #fields )* }, }
        })
        .collect()
}

/// One match arm per channel: what `arm` makes of the channel and the pattern of
/// its variant of `owner` (which binds the parameters by name when `bind`).
fn arms(
    owner: &TokenStream,
    channels: &[Channel],
    bind: bool,
    arm: impl Fn(&Channel, TokenStream) -> TokenStream,
) -> Vec<TokenStream> {
    channels
        .iter()
        .map(|channel| arm(channel, pattern(owner, channel, bind)))
        .collect()
}

/// The arms of `channel()`: each variant of `owner` gives its `Channel`.
fn channel_arms(owner: &TokenStream, channels: &[Channel]) -> Vec<TokenStream> {
    arms(owner, channels, false, |channel, pattern| {
        let variant = ident(&channel.variant);
        quote! { #pattern => Channel::#variant, }
    })
}

/// The arms of `Display::fmt`: each variant of `owner` written by [`write_topic`],
/// its parameters turned into `&str` by `text`.
fn display_arms(
    owner: &TokenStream,
    channels: &[Channel],
    text: &dyn Fn(&Parameter) -> TokenStream,
) -> Vec<TokenStream> {
    arms(owner, channels, true, |channel, pattern| {
        let body = write_topic(channel, text);
        quote! { #pattern => { #body } }
    })
}

/// The arms that turn each variant of `owner` into the variant of the same channel
/// of `target` (`Topic`, `TopicRef`), each field set to what `value` makes of the
/// parameter bound by its name.
fn conversion_arms(
    owner: &TokenStream,
    channels: &[Channel],
    target: &TokenStream,
    value: &dyn Fn(&Parameter) -> TokenStream,
) -> Vec<TokenStream> {
    arms(owner, channels, true, |channel, pattern| {
        let variant = ident(&channel.variant);
        if channel.params.is_empty() {
            return quote! { #pattern => #target::#variant, };
        }
        let fields = channel.params.iter().map(|param| {
            let field = ident(&param.field);
            let value = value(param);
            quote!(#field: #value)
        });
        quote! { #pattern => #target::#variant { #( #fields ),* }, }
    })
}

pub(super) fn emit_topic(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let owner = quote!(Self);
    let definitions = definitions(&model.channels, channel_doc, |param| {
        // The first sentence only: the whole description is on the type.
        let docs = doc_or(
            param.description.as_deref().map(first_sentence),
            &format!("The `{{{}}}` segment.", param.name),
        );
        (docs, owned_type(ctx, &param.ty))
    });
    // A parameter's segment as `&str`.
    let segment = |param: &Parameter| {
        let field = ident(&param.field);
        match param.ty {
            ParamTypeRef::AnySegment | ParamTypeRef::AnyLevels => quote!(#field.as_str()),
            _ => quote!(#rt::TopicParam::as_segment(#field)),
        }
    };
    let channel_arms = channel_arms(&owner, &model.channels);
    let display_arms = display_arms(&owner, &model.channels, &segment);
    let to_ref_arms = conversion_arms(&owner, &model.channels, &quote!(TopicRef), &segment);
    let accessors = accessors(ctx, &owner, &|param| owned_type(ctx, &param.ty), true);
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
    let channel_match = match_self(&channel_arms, true);
    let display_match = match_self(&display_arms, true);
    let to_ref_match = match_self(&to_ref_arms, true);
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

            fn from_str(topic: &str) -> ::core::result::Result<Self, #rt::TopicError> {
                Self::parse(topic)
            }
        }
    }
}

pub(super) fn emit_topic_ref(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let owner = quote!(Self);
    let text_doc = |text: String| quote!(#[doc = #text]);
    let definitions = definitions(
        &model.channels,
        |channel| text_doc(format!(" `{}`.", channel.address)),
        |param| {
            let docs = text_doc(format!(" The `{{{}}}` segment.", param.name));
            (docs, borrowed_type())
        },
    );
    let channel_arms = channel_arms(&owner, &model.channels);
    let display_arms = display_arms(&owner, &model.channels, &|param| {
        let field = ident(&param.field);
        quote!(#field)
    });
    let to_topic_arms = conversion_arms(&owner, &model.channels, &quote!(Topic), &|param| {
        let field = ident(&param.field);
        match &param.ty {
            ParamTypeRef::AnySegment | ParamTypeRef::AnyLevels => {
                quote!(#rt::ToOwned::to_owned(*#field))
            }
            _ => {
                let ty = owned_type(ctx, &param.ty);
                quote!(<#ty as #rt::TopicParam>::from_checked(#field))
            }
        }
    });
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
