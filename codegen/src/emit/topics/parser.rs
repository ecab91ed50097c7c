//! The topic parser: the [`TopicTree`] of the channel addresses compiled into one
//! function per node, each a `match` on the segment: no regex and no allocation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::params::owned_type;
use crate::emit::{Ctx, ident};
use crate::topic_tree::{Node, TopicTree};

/// The parser's tokens: `classify`, `classify_plain` and one function per node of the
/// tree.
pub(super) fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let model = ctx.model;
    let tree = TopicTree::build(model);
    let capture_count = Literal::usize_unsuffixed(tree.captures);
    let mut functions = Vec::new();
    let mut next_id = 0;
    emit_node(ctx, &tree.root, 0, false, &mut next_id, &mut functions);
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
        .map(|edge| {
            let child = emit_node(ctx, &edge.child, depth + 1, true, next_id, functions);
            let ty = owned_type(ctx, &edge.ty);
            let check = quote!(#rt::topic::check::<#ty>);
            let capture = Literal::usize_unsuffixed(edge.capture);
            let (prefix, suffix) = (&edge.prefix, &edge.suffix);
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
