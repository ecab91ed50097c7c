//! Intermediate model -> Rust tokens, one module per generated file.

pub mod commands;
pub mod derive_table;
pub mod deserialize;
pub mod dispatch;
pub mod examples;
pub mod messages;
pub mod root;
pub mod standard_types;
pub mod tlv_catalogue;
pub mod topics;
pub mod validate;
pub mod views;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Model, TypeRef};

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
/// they are read neither as links nor as HTML. A code span may run over several
/// lines of a paragraph; one left open at the end of a paragraph is closed there.
pub fn doc_text(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut in_code = false;
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
            close_code_span(&mut lines, &mut in_code);
            lines.push(String::new());
        } else {
            lines.push(format!(" {}", escape_markdown(line, &mut in_code)));
        }
    }
    close_code_span(&mut lines, &mut in_code);
    if in_fence {
        lines.push(" ```".to_owned());
    }
    lines
}

/// Closes a code span left open at the end of a paragraph: an unbalanced backtick
/// would swallow the rest of the doc comment.
fn close_code_span(lines: &mut [String], in_code: &mut bool) {
    if *in_code {
        if let Some(last) = lines.last_mut() {
            last.push('`');
        }
        *in_code = false;
    }
}

fn escape_markdown(line: &str, in_code: &mut bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if !*in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
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
            '`' => *in_code = !*in_code,
            '[' | ']' | '<' | '>' if !*in_code => out.push('\\'),
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `static NAME: Pattern = Pattern::from_tables(...);` for a compiled pattern (the
/// caller adds docs and visibility).
pub fn pattern_static(
    ctx: &Ctx<'_>,
    name: &Ident,
    compiled: &crate::pattern::CompiledPattern,
) -> TokenStream {
    use proc_macro2::Literal;
    let rt = &ctx.rt;
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
    quote! {
        static #name: #rt::Pattern = #rt::Pattern::from_tables(
            #source,
            &[ #( #classes ),* ],
            #count,
            &[ #( #transitions ),* ],
            &[ #( #kinds ),* ],
            &[ #( #accepts ),* ],
            #start,
        );
    }
}

/// A struct field's doc attributes and its serde `rename` argument (when the Rust
/// name differs from the wire name), shared by the owned types and their views.
pub fn field_docs_and_rename(field: &crate::model::Field) -> (TokenStream, Vec<TokenStream>) {
    let renamed = crate::naming::needs_rename(&field.rust, &field.wire);
    let docs = match &field.description {
        // A described field that is renamed says its wire name too.
        Some(description) if renamed => doc(&format!(
            "{description}\n\nWire name: {}.",
            code_span(&field.wire)
        )),
        description => doc_or(
            description.as_deref(),
            &format!("The {} property.", code_span(&field.wire)),
        ),
    };
    let mut serde_args = Vec::new();
    if renamed {
        let wire = &field.wire;
        serde_args.push(quote!(rename = #wire));
    }
    (docs, serde_args)
}

/// `text` as a Markdown code span that shows it exactly: `` `a` ``, `` `a`b` `` with
/// longer fences when it holds backticks, and `""` for the empty string.
pub fn code_span(text: &str) -> String {
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    if longest > 0 || text.starts_with(' ') || text.ends_with(' ') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// The serde argument that leaves an optional field out when it is `None`.
pub(crate) fn skip_none() -> TokenStream {
    quote!(skip_serializing_if = "::core::option::Option::is_none")
}

/// A public struct field `rust: ty` with its doc attributes and, when there are any,
/// its serde arguments in one `#[serde(...)]`.
pub(crate) fn struct_field(
    docs: &TokenStream,
    serde_args: &[TokenStream],
    rust: &str,
    ty: &TokenStream,
) -> TokenStream {
    let name = ident(rust);
    let serde = (!serde_args.is_empty()).then(|| quote!(#[serde( #( #serde_args ),* )]));
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

/// The variants of a generated enum with one variant per item: the identifier of
/// each (its Rust name, given by `name`) and its definition (`define` gets the item
/// and the identifier).
pub(crate) fn variants<T>(
    items: &[T],
    name: impl Fn(&T) -> &str,
    define: impl Fn(&T, &Ident) -> TokenStream,
) -> (Vec<Ident>, Vec<TokenStream>) {
    let idents: Vec<Ident> = items.iter().map(|item| ident(name(item))).collect();
    let definitions = items
        .iter()
        .zip(&idents)
        .map(|(item, variant)| define(item, variant))
        .collect();
    (idents, definitions)
}

/// `match self { arms }` with one arm per variant of a generated enum. An enum
/// without variants has no arms and is matched as `match self {}`, or as
/// `match *self {}` where `self` is a reference (`by_ref`).
pub(crate) fn match_self(arms: &[TokenStream], by_ref: bool) -> TokenStream {
    match (arms.is_empty(), by_ref) {
        (false, _) => quote!(match self { #( #arms )* }),
        (true, true) => quote!(match *self {}),
        (true, false) => quote!(match self {}),
    }
}

/// What every emitter needs: the model, and how to name the runtime.
pub struct Ctx<'m> {
    /// The model.
    pub model: &'m Model,
    /// The runtime crate's path (`::rainmaker_types`).
    pub krate: TokenStream,
    /// The runtime module's path (`::rainmaker_types::runtime`).
    pub rt: TokenStream,
    /// The runtime module's path as text, for serde attributes.
    pub rt_text: String,
    /// The cargo feature that turns on `schemars` derives, if any.
    pub schemars: Option<String>,
    /// Whether to emit the `examples` module.
    pub examples: bool,
    /// The named types whose `validate` checks something (see [`validate`]).
    pub checked_types: std::collections::BTreeSet<String>,
}

impl<'m> Ctx<'m> {
    /// A context for `model`, with the runtime crate at `crate_path`.
    ///
    /// # Errors
    ///
    /// A message when `crate_path` is not a Rust path.
    pub fn new(
        model: &'m Model,
        crate_path: &str,
        schemars: Option<String>,
        examples: bool,
    ) -> Result<Self, String> {
        let path: syn::Path = syn::parse_str(crate_path)
            .map_err(|error| format!("crate path `{crate_path}`: {error}"))?;
        let krate = quote!(#path);
        let rt_text = format!("{}::runtime", crate_path.trim_end_matches("::"));
        Ok(Self {
            model,
            rt: quote!(#krate::runtime),
            krate,
            rt_text,
            schemars,
            examples,
            checked_types: validate::checked_types(model),
        })
    }

    /// A path given by `x-rust-type`: absolute when it starts with `::`, else
    /// relative to the runtime crate.
    pub fn external(&self, path: &str) -> TokenStream {
        let parsed: syn::Path = match syn::parse_str(path) {
            Ok(parsed) => parsed,
            Err(_) => return quote!(#path),
        };
        if path.starts_with("::") || path.starts_with("crate::") {
            quote!(#parsed)
        } else {
            let krate = &self.krate;
            quote!(#krate::#parsed)
        }
    }

    /// The Rust type of a [`TypeRef`], written from `scope`.
    pub fn rust_type(&self, ty: &TypeRef, scope: Scope) -> TokenStream {
        let rt = &self.rt;
        match ty {
            TypeRef::Named(name) => {
                let name = ident(name);
                match scope {
                    Scope::Messages => quote!(#name),
                    Scope::Sibling => quote!(super::messages::#name),
                }
            }
            TypeRef::External(path) => self.external(path),
            TypeRef::Standard(name) => {
                let name = ident(name);
                quote!(super::standard_types::#name)
            }
            TypeRef::Bool => quote!(bool),
            TypeRef::Int(name) | TypeRef::Float(name) => {
                let name = ident(name);
                quote!(#name)
            }
            TypeRef::String => quote!(#rt::String),
            TypeRef::Bytes => quote!(#rt::Vec<u8>),
            TypeRef::Unit => quote!(()),
            TypeRef::Json => quote!(#rt::serde_json::Value),
            TypeRef::JsonObject => {
                quote!(#rt::serde_json::Map<#rt::String, #rt::serde_json::Value>)
            }
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => {
                self.holder(ty, &quote!(#rt::String), self.rust_type(inner, scope))
            }
        }
    }

    /// The Rust type of `ty`, a type that holds another (`Vec`, `Map`, `Nullable`,
    /// `Boxed`), around `inner`, the Rust type of what it holds; a map's keys are
    /// `key`. Any other `ty` is `inner` itself.
    pub(crate) fn holder(
        &self,
        ty: &TypeRef,
        key: &TokenStream,
        inner: TokenStream,
    ) -> TokenStream {
        let rt = &self.rt;
        match ty {
            TypeRef::Vec(_) => quote!(#rt::Vec<#inner>),
            TypeRef::Map(_) => quote!(#rt::BTreeMap<#key, #inner>),
            TypeRef::Nullable(_) => quote!(::core::option::Option<#inner>),
            TypeRef::Boxed(_) => quote!(#rt::Box<#inner>),
            _ => inner,
        }
    }

    /// The serde derives and attributes of a generated type.
    pub fn serde_derives(&self) -> TokenStream {
        let rt = &self.rt;
        let path = format!("{}::serde", self.rt_text);
        quote! {
            #[derive(#rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #path)]
        }
    }

    /// The `schemars` derive, behind its feature, when enabled.
    pub fn schemars_derive(&self) -> TokenStream {
        match &self.schemars {
            Some(feature) => quote! {
                #[cfg_attr(feature = #feature, derive(::schemars::JsonSchema))]
            },
            None => TokenStream::new(),
        }
    }

    /// The `JsonSchema` impl of a hand-serialized type (as the JSON kind `kind`),
    /// behind the `schemars` feature, when enabled.
    pub fn schemars_as(&self, name: &str, kind: TokenStream) -> TokenStream {
        let Some(feature) = &self.schemars else {
            return TokenStream::new();
        };
        let rt = &self.rt;
        let ident = ident(name);
        quote! {
            #[cfg(feature = #feature)]
            impl ::schemars::JsonSchema for #ident {
                fn schema_name() -> #rt::Cow<'static, str> {
                    #name.into()
                }

                fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    <#kind as ::schemars::JsonSchema>::json_schema(generator)
                }
            }
        }
    }
}

/// Where a reference to a generated message type is written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside the messages module.
    Messages,
    /// Inside a sibling module of the messages module.
    Sibling,
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
