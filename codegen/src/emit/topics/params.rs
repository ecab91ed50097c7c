//! The checked string types of channel parameters, and the Rust type each parameter
//! has in `Topic` and `TopicRef`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::messages::closed_string_items;
use crate::emit::{Ctx, doc_or, ident};
use crate::model::{ParamRules, ParamType, ParamTypeRef};

/// The first sentence of a description (up to the first full stop followed by a
/// space, `e.g.` and `i.e.` excepted), or all of it.
pub(super) fn first_sentence(text: &str) -> &str {
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

pub(super) fn emit_param(ctx: &Ctx<'_>, param: &ParamType) -> TokenStream {
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
            let from_wire = variants.iter().map(|variant| {
                let rust = ident(&variant.rust);
                let wire = variant.wire_str().unwrap_or_default();
                quote! { #wire => Self::#rust, }
            });
            let known = quote! {
                ::core::option::Option::Some(match wire {
                    #( #from_wire )*
                    _ => return ::core::option::Option::None,
                })
            };
            let items = closed_string_items(variants, "segment text", &known);
            let type_name = &param.name;
            quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name { #( #definitions )* }

                impl #name {
                    #items
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

                    fn from_str(wire: &str) -> ::core::result::Result<Self, #rt::UnknownValue> {
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
            let rule = format_ident!("{}Rule", param.name.trim_end_matches('_'));
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
                    let text = format!(" The pattern of `{{{wire}}}`: `{}`.", compiled.source);
                    let table = crate::emit::pattern_static(ctx, &static_name, compiled);
                    (
                        quote! {
                            #[doc = #text]
                            pub #table
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

/// The Rust type of a parameter of this type in the owned `Topic`.
pub(super) fn owned_type(ctx: &Ctx<'_>, ty: &ParamTypeRef) -> TokenStream {
    let rt = &ctx.rt;
    match ty {
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
pub(super) fn borrowed_type() -> TokenStream {
    quote!(&'a str)
}

/// The limits the document states for parameters typed by `x-rust-type`
/// (`{node_id}` as `NodeId`), as constants the type can take them from:
/// `<PARAM>_MAX_LEN` (bytes) when the document gives one, and `<PARAM>_RESERVED`.
/// One pair per parameter name, however many channels use it.
pub(super) fn emit_external_rules(ctx: &Ctx<'_>) -> TokenStream {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = TokenStream::new();
    let external = ctx
        .model
        .channels
        .iter()
        .flat_map(|channel| &channel.params);
    for param in external {
        let (
            ParamTypeRef::External(rust),
            Some(ParamRules::Text {
                max_bytes,
                reserved,
                ..
            }),
        ) = (&param.ty, &param.external_rules)
        else {
            continue;
        };
        if !seen.insert(param.name.clone()) {
            continue;
        }
        let stem = crate::naming::screaming(&param.name).unwrap_or_default();
        if let Some(max) = max_bytes {
            let name = format_ident!("{stem}_MAX_LEN");
            let max = Literal::usize_unsuffixed(*max);
            let text = format!(
                " The longest `{{{}}}` the document allows, in bytes (`{rust}` enforces it).",
                param.name
            );
            out.extend(quote! { #[doc = #text] pub const #name: usize = #max; });
        }
        let name = format_ident!("{stem}_RESERVED");
        let text = format!(
            " The values the document refuses for `{{{}}}` (`{rust}` enforces it).",
            param.name
        );
        out.extend(quote! { #[doc = #text] pub const #name: &[&str] = &[ #( #reserved ),* ]; });
    }
    out
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
