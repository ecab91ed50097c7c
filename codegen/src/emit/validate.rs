//! `Validate` of the generated types (and of their borrowed views): the schema's
//! validation keywords ([`Rules`]) checked on a value, each value handed with a
//! `static` table of its rules to one routine of the runtime
//! (`runtime::validate`), so a field costs a call, not a copy of the check.
//!
//! A type whose schema and parts have no rule validates to `Ok` and is never called
//! by the dispatch; the others are checked after decoding and before encoding.

use std::cell::Cell;
use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, ident};
use crate::model::{Extra, Field, Model, Rules, TypeKind, TypeRef};

/// Where a checked value is: a binding of type `&Path` (`at`) or `Path` (a step
/// below it).
#[derive(Clone)]
struct Place {
    name: proc_macro2::Ident,
    owned: bool,
}

impl Place {
    /// The `at` parameter (a `&Path`).
    fn at() -> Self {
        Self {
            name: format_ident!("at"),
            owned: false,
        }
    }

    /// The place as a `&Path` argument.
    fn arg(&self) -> TokenStream {
        let name = &self.name;
        if self.owned {
            quote!(&#name)
        } else {
            quote!(#name)
        }
    }

    /// `let <new> = <self>.<step>;` and the new place.
    fn step(&self, checks: &Checks<'_>, step: TokenStream) -> (TokenStream, Self) {
        let name = &self.name;
        let child = checks.fresh_ident("path");
        (
            quote!(let #child = #name.#step;),
            Self {
                name: child,
                owned: true,
            },
        )
    }
}

/// Which types have something to check, and how to write the checks.
pub struct Checks<'c> {
    ctx: &'c Ctx<'c>,
    /// The named types whose `validate_at` checks something.
    checked: &'c BTreeSet<String>,
    /// A counter for the names of bindings in nested checks.
    fresh: Cell<usize>,
}

impl<'c> Checks<'c> {
    /// The checks of `ctx`'s model.
    pub fn new(ctx: &'c Ctx<'c>) -> Self {
        Self {
            ctx,
            checked: &ctx.checked_types,
            fresh: Cell::new(0),
        }
    }

    /// Whether a value of `ty` has anything to check (besides `rules` of its own).
    pub fn type_needs(&self, ty: &TypeRef) -> bool {
        needs(self.checked, ty)
    }

    /// An expression that checks `value` (a `&T`, `T` written `ty_tokens`), a
    /// payload of type `ty`: a `Result<(), Violation>`, or `None` when there is
    /// nothing to check.
    pub fn payload_check(
        &self,
        ty: &TypeRef,
        ty_tokens: &TokenStream,
        value: &TokenStream,
    ) -> Option<TokenStream> {
        if !self.type_needs(ty) {
            return None;
        }
        let rt = &self.ctx.rt;
        self.fresh.set(0);
        if let TypeRef::Named(name) = ty
            && self.checked.contains(name)
            && !matches!(
                self.ctx.model.type_def(name).map(|def| &def.kind),
                Some(TypeKind::Alias { .. })
            )
        {
            return Some(quote!(#rt::validate::Validate::validate(#value)));
        }
        let check = self.value(ty, &Rules::default(), &quote!(value), &Place::at());
        Some(quote!({
            fn check(value: &#ty_tokens) -> ::core::result::Result<(), #rt::validate::Violation> {
                let at = &#rt::validate::Path::root();
                #check
                ::core::result::Result::Ok(())
            }
            check(#value)
        }))
    }

    /// `.and_then(...)` that checks a decoded payload of type `ty` (written
    /// `ty_tokens`, `decoded` in the closure), for the end of a decoding expression;
    /// `None` when there is nothing to check.
    pub fn decoded_check(
        &self,
        ty: &TypeRef,
        ty_tokens: &TokenStream,
        check_ty: &TokenStream,
    ) -> Option<TokenStream> {
        let check = self.payload_check(ty, check_ty, &quote!(&value))?;
        Some(quote! {
            .and_then(|value: #ty_tokens| {
                #check?;
                ::core::result::Result::Ok(value)
            })
        })
    }

    /// `impl Validate` for the struct or enum `name` (its view `view_ident` when
    /// given: a view has no `extra` map), with the inherent `validate`.
    pub fn emit_impl(&self, name: &str, view: Option<&proc_macro2::Ident>) -> TokenStream {
        let rt = &self.ctx.rt;
        let Some(def) = self.ctx.model.type_def(name) else {
            return TokenStream::new();
        };
        self.fresh.set(0);
        let body = if self.checked.contains(name) {
            match &def.kind {
                TypeKind::Struct { fields, extra } => {
                    let extra = if view.is_some() { &Extra::Deny } else { extra };
                    self.struct_body(fields, extra, &def.rules)
                }
                TypeKind::Untagged { variants } => {
                    let arms = variants.iter().map(|(variant, ty)| {
                        let variant = ident(variant);
                        let check = self.value(ty, &def.rules, &quote!(value), &Place::at());
                        quote!(Self::#variant(value) => { #check })
                    });
                    quote!(match self { #( #arms )* })
                }
                _ => TokenStream::new(),
            }
        } else {
            TokenStream::new()
        };
        let (header, target) = match view {
            Some(view) => (
                quote!(impl #rt::validate::Validate for #view<'_>),
                quote!(#view<'_>),
            ),
            None => {
                let name = ident(name);
                (
                    quote!(impl #rt::validate::Validate for #name),
                    quote!(#name),
                )
            }
        };
        let unused = body.is_empty().then(|| quote!(let _ = at;));
        quote! {
            #header {
                fn validate_at(&self, at: &#rt::validate::Path<'_>) -> ::core::result::Result<(), #rt::validate::Violation> {
                    #unused
                    #body
                    ::core::result::Result::Ok(())
                }
            }

            impl #target {
                /// Checks the rules of the schema (lengths, bounds, patterns...) that
                /// the type itself does not carry, as decoding does.
                ///
                /// # Errors
                ///
                /// The first rule broken, with the JSON path of the value, the keyword
                /// and its limit.
                pub fn validate(&self) -> ::core::result::Result<(), #rt::validate::Violation> {
                    #rt::validate::Validate::validate_at(self, &#rt::validate::Path::root())
                }
            }
        }
    }

    /// The checks of a struct's object rules, fields and `extra` values.
    fn struct_body(&self, fields: &[Field], extra: &Extra, rules: &Rules) -> TokenStream {
        let rt = &self.ctx.rt;
        let mut out = TokenStream::new();
        let object = &rules.object;
        if object.min_properties.is_some() || object.max_properties.is_some() {
            // The properties present: the required ones, the optional ones set, and
            // the others kept.
            let required = fields.iter().filter(|f| f.required).count();
            let mut terms: Vec<TokenStream> = Vec::new();
            if required > 0 {
                let required = Literal::usize_unsuffixed(required);
                terms.push(quote!(#required));
            }
            terms.extend(fields.iter().filter(|f| !f.required).map(|field| {
                let name = ident(&field.rust);
                quote!(usize::from(self.#name.is_some()))
            }));
            if *extra != Extra::Deny {
                terms.push(quote!(self.extra.len()));
            }
            let count = if terms.is_empty() {
                quote!(0)
            } else {
                quote!(#( #terms )+*)
            };
            let table = self.object_rules(rules);
            out.extend(quote! {
                #table.check(#count, at)?;
            });
        }
        for (property, dependents) in &rules.dependent_required {
            // Whether the property is present (`None`: always) or absent (`None`:
            // never), as code.
            let field = |wire: &str| fields.iter().find(|field| field.wire == wire);
            let present = match field(property) {
                Some(field) if field.required => None,
                Some(field) => {
                    let name = ident(&field.rust);
                    Some(quote!(self.#name.is_some()))
                }
                None if *extra != Extra::Deny => Some(quote!(self.extra.contains_key(#property))),
                None => continue,
            };
            for dependent in dependents {
                let absent = match field(dependent) {
                    Some(field) if field.required => continue,
                    Some(field) => {
                        let name = ident(&field.rust);
                        quote!(self.#name.is_none())
                    }
                    None if *extra != Extra::Deny => {
                        quote!(!self.extra.contains_key(#dependent))
                    }
                    None => quote!(true),
                };
                let condition = match &present {
                    Some(present) => quote!(#present && #absent),
                    None => absent,
                };
                out.extend(quote! {
                    if #condition {
                        return ::core::result::Result::Err(#rt::validate::Violation::new(
                            at,
                            #rt::validate::Keyword::DependentRequired,
                            #rt::validate::Limit::Property(#rt::ToOwned::to_owned(#dependent)),
                        ));
                    }
                });
            }
        }
        for field in fields {
            if field.rules.is_empty() && !self.type_needs(&field.ty) {
                continue;
            }
            let name = ident(&field.rust);
            let wire = &field.wire;
            let value = self.fresh_ident("field");
            let (path, place) = Place::at().step(self, quote!(key(#wire)));
            let check = self.value(&field.ty, &field.rules, &quote!(#value), &place);
            out.extend(if field.required {
                quote! { { let #value = &self.#name; #path #check } }
            } else {
                quote! { if let ::core::option::Option::Some(#value) = &self.#name { #path #check } }
            });
        }
        if let Extra::Typed(ty) = extra {
            let values = rules.values.as_deref().cloned().unwrap_or_default();
            if !values.is_empty() || self.type_needs(ty) {
                let item = self.fresh_ident("value");
                let (path, place) = Place::at().step(
                    self,
                    quote!(key(::core::convert::AsRef::<str>::as_ref(key))),
                );
                let check = self.value(ty, &values, &quote!(#item), &place);
                out.extend(quote! {
                    for (key, #item) in &self.extra {
                        #path
                        #check
                    }
                });
            }
        }
        out
    }

    /// The statements that check `value` (an expression of `&T` for `ty`) found at
    /// `place` against `rules` and its type's own checks.
    fn value(
        &self,
        ty: &TypeRef,
        rules: &Rules,
        value: &TokenStream,
        place: &Place,
    ) -> TokenStream {
        let rt = &self.ctx.rt;
        let at = &place.arg();
        match ty {
            TypeRef::String => self.string_rules(rules).map_or_else(
                TokenStream::new,
                |table| quote!(#table.check(::core::convert::AsRef::<str>::as_ref(#value), #at)?;),
            ),
            TypeRef::Int(_) | TypeRef::Float(_) => {
                let number = match ty {
                    TypeRef::Float("f64") => quote!(*#value),
                    TypeRef::Float(_) => quote!(f64::from(*#value)),
                    _ => quote!(*#value as f64),
                };
                self.number_rules(rules).map_or_else(
                    TokenStream::new,
                    |table| quote!(#table.check(#number, #at)?;),
                )
            }
            TypeRef::Vec(inner) => {
                let mut out = TokenStream::new();
                let array = &rules.array;
                if array.min_items.is_some() || array.max_items.is_some() || array.unique_items {
                    let table = self.array_rules(rules);
                    let same = if array.unique_items {
                        quote!(|a, b| a == b)
                    } else {
                        quote!(|_, _| false)
                    };
                    out.extend(quote!(#table.check(#value, #same, #at)?;));
                }
                let items = rules.items.as_deref().cloned().unwrap_or_default();
                if !items.is_empty() || self.type_needs(inner) {
                    let (index, item) = (self.fresh_ident("index"), self.fresh_ident("item"));
                    let (path, item_place) = place.step(self, quote!(index(#index)));
                    let check = self.value(inner, &items, &quote!(#item), &item_place);
                    out.extend(quote! {
                        for (#index, #item) in #value.iter().enumerate() { #path #check }
                    });
                }
                out
            }
            TypeRef::Map(_) | TypeRef::JsonObject => {
                let mut out = TokenStream::new();
                let object = &rules.object;
                if object.min_properties.is_some() || object.max_properties.is_some() {
                    let table = self.object_rules(rules);
                    out.extend(quote!(#table.check(#value.len(), #at)?;));
                }
                if let TypeRef::Map(inner) = ty {
                    let values = rules.values.as_deref().cloned().unwrap_or_default();
                    if !values.is_empty() || self.type_needs(inner) {
                        let (key, item) = (self.fresh_ident("key"), self.fresh_ident("item"));
                        let (path, item_place) = place.step(
                            self,
                            quote!(key(::core::convert::AsRef::<str>::as_ref(#key))),
                        );
                        let check = self.value(inner, &values, &quote!(#item), &item_place);
                        out.extend(quote!(for (#key, #item) in #value.iter() { #path #check }));
                    }
                }
                out
            }
            TypeRef::Nullable(inner) => {
                let item = self.fresh_ident("present");
                let check = self.value(inner, rules, &quote!(#item), place);
                if check.is_empty() {
                    return check;
                }
                quote!(if let ::core::option::Option::Some(#item) = #value { #check })
            }
            TypeRef::Boxed(inner) => self.value(inner, rules, &quote!(&**#value), place),
            TypeRef::Named(name) => match self.ctx.model.type_def(name) {
                Some(def) if matches!(def.kind, TypeKind::Alias { .. }) => {
                    let TypeKind::Alias { inner } = &def.kind else {
                        return TokenStream::new();
                    };
                    // An alias is the same value: its schema's rules and the field's.
                    let mut out = self.value(inner, &def.rules, value, place);
                    if !rules.is_empty() {
                        out.extend(self.value(inner, rules, value, place));
                    }
                    out
                }
                _ if self.checked.contains(name) => {
                    quote!(#rt::validate::Validate::validate_at(#value, #at)?;)
                }
                _ => TokenStream::new(),
            },
            TypeRef::External(_)
            | TypeRef::Standard(_)
            | TypeRef::Bool
            | TypeRef::Bytes
            | TypeRef::Unit
            | TypeRef::Json => TokenStream::new(),
        }
    }

    /// A binding name not used by an enclosing check.
    fn fresh_ident(&self, stem: &str) -> proc_macro2::Ident {
        let n = self.fresh.get();
        self.fresh.set(n + 1);
        format_ident!("{stem}_{n}")
    }

    /// A block that defines the `StringRules` of `rules` and evaluates to it, or
    /// `None` when there is none.
    fn string_rules(&self, rules: &Rules) -> Option<TokenStream> {
        let rt = &self.ctx.rt;
        let string = &rules.string;
        if string == &Default::default() {
            return None;
        }
        let min = option_usize(string.min_chars);
        let max = option_usize(string.max_chars);
        let (pattern_static, pattern) = match &string.pattern {
            Some(compiled) => (
                super::pattern_static(self.ctx, &format_ident!("PATTERN"), compiled),
                quote!(::core::option::Option::Some(&PATTERN)),
            ),
            None => (TokenStream::new(), quote!(::core::option::Option::None)),
        };
        let format = match string.format.as_deref().and_then(format_variant) {
            Some(variant) => {
                let variant = format_ident!("{variant}");
                quote!(::core::option::Option::Some(#rt::validate::Format::#variant))
            }
            None => quote!(::core::option::Option::None),
        };
        Some(quote!({
            #pattern_static
            static RULES: #rt::validate::StringRules = #rt::validate::StringRules {
                min_chars: #min,
                max_chars: #max,
                pattern: #pattern,
                format: #format,
            };
            &RULES
        }))
    }

    /// A block that evaluates to the `NumberRules` of `rules`, or `None`.
    fn number_rules(&self, rules: &Rules) -> Option<TokenStream> {
        let rt = &self.ctx.rt;
        let number = &rules.number;
        if number == &Default::default() {
            return None;
        }
        let [
            minimum,
            maximum,
            exclusive_minimum,
            exclusive_maximum,
            multiple_of,
        ] = [
            number.minimum,
            number.maximum,
            number.exclusive_minimum,
            number.exclusive_maximum,
            number.multiple_of,
        ]
        .map(option_f64);
        Some(quote!({
            static RULES: #rt::validate::NumberRules = #rt::validate::NumberRules {
                minimum: #minimum,
                maximum: #maximum,
                exclusive_minimum: #exclusive_minimum,
                exclusive_maximum: #exclusive_maximum,
                multiple_of: #multiple_of,
            };
            &RULES
        }))
    }

    /// A block that evaluates to the `ArrayRules` of `rules`.
    fn array_rules(&self, rules: &Rules) -> TokenStream {
        let rt = &self.ctx.rt;
        let (min, max) = (
            option_usize(rules.array.min_items),
            option_usize(rules.array.max_items),
        );
        let unique = rules.array.unique_items;
        quote!({
            static RULES: #rt::validate::ArrayRules = #rt::validate::ArrayRules {
                min_items: #min,
                max_items: #max,
                unique_items: #unique,
            };
            &RULES
        })
    }

    /// A block that evaluates to the `ObjectRules` of `rules`.
    fn object_rules(&self, rules: &Rules) -> TokenStream {
        let rt = &self.ctx.rt;
        let min = option_usize(rules.object.min_properties);
        let max = option_usize(rules.object.max_properties);
        quote!({
            static RULES: #rt::validate::ObjectRules = #rt::validate::ObjectRules {
                min_properties: #min,
                max_properties: #max,
            };
            &RULES
        })
    }
}

/// The runtime's `Format` variant of a checked format.
fn format_variant(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "DateTime",
        "date" => "Date",
        "email" => "Email",
        "uri" => "Uri",
        "uuid" => "Uuid",
        "ipv4" => "Ipv4",
        _ => return None,
    })
}

fn option_usize(value: Option<u64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = Literal::usize_unsuffixed(usize::try_from(value).unwrap_or(usize::MAX));
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = Literal::f64_suffixed(value);
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// The named types with something to check: their rules, their fields' rules, or
/// a part that is itself checked (to a fixed point, so recursion is covered).
pub(crate) fn checked_types(model: &Model) -> BTreeSet<String> {
    let mut checked = BTreeSet::new();
    loop {
        let before = checked.len();
        for def in &model.types {
            if checked.contains(&def.name) {
                continue;
            }
            let has_rules = !def.rules.is_empty();
            let needed = match &def.kind {
                TypeKind::Struct { fields, extra } => {
                    has_rules
                        || fields
                            .iter()
                            .any(|field| !field.rules.is_empty() || needs(&checked, &field.ty))
                        || matches!(extra, Extra::Typed(ty) if needs(&checked, ty))
                }
                TypeKind::Untagged { variants } => {
                    has_rules || variants.iter().any(|(_, ty)| needs(&checked, ty))
                }
                TypeKind::Alias { inner } => has_rules || needs(&checked, inner),
                TypeKind::Enum { .. }
                | TypeKind::OpenEnum { .. }
                | TypeKind::StandardUnion { .. } => false,
            };
            if needed {
                checked.insert(def.name.clone());
            }
        }
        if checked.len() == before {
            return checked;
        }
    }
}

/// Whether a value of `ty` has a part to check, given the `checked` named types.
fn needs(checked: &BTreeSet<String>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(name) => checked.contains(name),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Nullable(inner)
        | TypeRef::Boxed(inner) => needs(checked, inner),
        _ => false,
    }
}
