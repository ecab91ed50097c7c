//! Intermediate model -> Rust tokens, one module per generated file.

pub mod dispatch;
pub mod messages;
pub mod root;
pub mod standard_types;
pub mod topics;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::TypeRef;

/// An identifier token for a Rust name from [`crate::naming`] (raw identifiers such
/// as `r#type` included).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `#[doc = "..."]` attributes for a description, one per line, made safe for
/// rustdoc (see [`doc_text`]).
pub fn doc(text: &str) -> TokenStream {
    let lines = doc_text(text);
    quote! { #( #[doc = #lines] )* }
}

/// `#[doc]` attributes for an optional description, with `fallback` when the spec
/// has none (every public item is documented).
pub fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    doc(text.unwrap_or(fallback))
}

/// The lines of a description as doc-comment text: each line is prefixed with a
/// space and stripped of indentation (so rustdoc never sees a code block), bare URLs
/// are wrapped in `<...>`, and `[`, `]`, `<`, `>` outside code spans are escaped so
/// they are read neither as links nor as HTML.
pub fn doc_text(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if let Some(info) = line.strip_prefix("```") {
            if !in_fence && info.trim().is_empty() {
                lines.push(" ```text".to_owned());
            } else {
                lines.push(format!(" {line}"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(format!(" {line}"));
        } else if line.is_empty() {
            lines.push(String::new());
        } else {
            lines.push(format!(" {}", escape_markdown(line)));
        }
    }
    if in_fence {
        lines.push(" ```".to_owned());
    }
    lines
}

fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '`' | '"' | ')'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '`' => in_code = !in_code,
            '[' | ']' | '<' | '>' if !in_code => out.push('\\'),
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if in_code {
        // An unbalanced backtick would swallow the rest of the doc comment.
        out.push('`');
    }
    out
}

/// Where a reference to a generated message type is written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside the messages module.
    Messages,
    /// Inside a sibling module of the messages module.
    Sibling,
}

/// The Rust type of a [`TypeRef`].
pub fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Messages => quote!(#name),
                Scope::Sibling => quote!(super::messages::#name),
            }
        }
        TypeRef::Runtime(name) => {
            let name = ident(name);
            quote!(crate::#name)
        }
        TypeRef::Bool => quote!(bool),
        TypeRef::Int(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::Number => quote!(serde_json::Number),
        TypeRef::String => quote!(String),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Vec(item) => {
            let item = rust_type(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, scope);
            quote!(Option<#inner>)
        }
    }
}

/// The attributes every generated file starts with: the module doc, the rustfmt
/// skip marker (generated files are formatted by prettyplease) and the lint
/// allowances generated code needs.
pub fn file_attributes(module_doc: &str) -> TokenStream {
    let lines = module_doc.lines().map(|line| format!(" {line}"));
    quote! {
        #( #![doc = #lines] )*
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(clippy::enum_variant_names, clippy::large_enum_variant)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_text_escapes_links_html_and_urls() {
        assert_eq!(
            doc_text("Array `ts_data[]` of [T] for <node_id>, see https://example.com/x."),
            [" Array `ts_data[]` of \\[T\\] for \\<node_id\\>, see <https://example.com/x>."]
        );
    }

    #[test]
    fn doc_text_unindents_and_marks_fences_as_text() {
        assert_eq!(
            doc_text("a\n    indented\n```\ncode\n```"),
            [" a", " indented", " ```text", " code", " ```"]
        );
    }

    #[test]
    fn raw_identifiers() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("node_id").to_string(), "node_id");
    }
}
