//! Reading `#[device(...)]` and `#[param(...)]` into the raw attribute AST.
//!
//! Every key is recorded with its span. Unknown keys, duplicate keys and malformed
//! values are reported to the [`Errors`] collector and parsing goes on with the next
//! key, so one compile shows every mistake.

use proc_macro2::{Span, TokenStream};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Token};

/// Collects errors; they are combined into one compile error at the end.
#[derive(Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records an error spanned on `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// All errors as one, if there are any.
    pub(crate) fn finish(self) -> Option<syn::Error> {
        let mut errors = self.errors.into_iter();
        let mut first = errors.next()?;
        for error in errors {
            first.combine(error);
        }
        Some(first)
    }
}

/// A value with the span of the key that set it.
#[derive(Clone)]
pub(crate) struct Keyed<T> {
    pub key: Span,
    pub value: T,
}

/// Sets `slot` once; a second occurrence of the key is an error on that occurrence.
fn set_once<T>(
    errors: &mut Errors,
    slot: &mut Option<Keyed<T>>,
    key: &Ident,
    name: &str,
    value: T,
) {
    if slot.is_some() {
        errors.at(key.span(), format_args!("duplicate key `{name}`"));
    } else {
        *slot = Some(Keyed {
            key: key.span(),
            value,
        });
    }
}

/// The key's name, without an `r#` prefix.
fn key_name(key: &Ident) -> String {
    let name = key.to_string();
    match name.strip_prefix("r#") {
        Some(stripped) => stripped.to_owned(),
        None => name,
    }
}

/// Reads the keys of `attr` with `read_key`; a syntax error is recorded rather
/// than returned, so the other attributes are still read.
fn each_key(
    attr: &syn::Attribute,
    errors: &mut Errors,
    mut read_key: impl FnMut(&mut Errors, syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    if let Err(error) = attr.parse_nested_meta(|meta| read_key(errors, meta)) {
        errors.push(error);
    }
}

/// The key of `meta` when it is a plain identifier; otherwise the error (naming
/// the `expected` keys of a `what` attribute) is recorded and the value skipped.
fn ident_key<'a>(
    errors: &mut Errors,
    meta: &'a syn::meta::ParseNestedMeta<'_>,
    what: &str,
    expected: &str,
) -> syn::Result<Option<&'a Ident>> {
    let key = meta.path.get_ident();
    if key.is_none() {
        errors.at(
            meta.path.span(),
            format_args!("unknown {what} key; expected one of: {expected}"),
        );
        skip_value(meta.input)?;
    }
    Ok(key)
}

/// Parses the value of `key` (`key = value`) into `slot`, reporting a repeated
/// key.
fn parse_once<T: syn::parse::Parse>(
    errors: &mut Errors,
    slot: &mut Option<Keyed<T>>,
    meta: &syn::meta::ParseNestedMeta<'_>,
    key: &Ident,
    name: &str,
) -> syn::Result<()> {
    let value = meta.value()?.parse()?;
    set_once(errors, slot, key, name, value);
    Ok(())
}

/// Sets the flag `key` (which takes no value), reporting a value or a repeat.
fn set_flag(
    errors: &mut Errors,
    slot: &mut Option<Keyed<()>>,
    meta: &syn::meta::ParseNestedMeta<'_>,
    key: &Ident,
    name: &str,
) -> syn::Result<()> {
    if has_value(meta.input) {
        errors.at(key.span(), format_args!("`{name}` takes no value"));
        skip_value(meta.input)?;
    }
    set_once(errors, slot, key, name, ());
    Ok(())
}

/// Skips the value of a key that is being rejected, so parsing can go on.
fn skip_value(input: ParseStream<'_>) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<syn::Expr>()?;
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

/// Whether the key at `input` is followed by a value (`= ...` or `(...)`).
fn has_value(input: ParseStream<'_>) -> bool {
    input.peek(Token![=]) || input.peek(syn::token::Paren)
}

/// A number literal in `bounds(...)`, with an optional minus sign.
#[derive(Clone, Copy)]
pub(crate) enum Number {
    Int(i64),
    Float(f64),
}

/// A number and where it was written.
#[derive(Clone, Copy)]
pub(crate) struct SpannedNumber {
    pub number: Number,
    pub span: Span,
}

fn parse_number(input: ParseStream<'_>) -> syn::Result<SpannedNumber> {
    let negative = input.parse::<Option<Token![-]>>()?.is_some();
    let lit: syn::Lit = input.parse()?;
    let span = lit.span();
    let number = match &lit {
        syn::Lit::Int(int) => {
            let digits = int.base10_digits();
            let text = if negative {
                format!("-{digits}")
            } else {
                digits.to_owned()
            };
            Number::Int(
                text.parse::<i64>()
                    .map_err(|_| syn::Error::new(span, "this integer does not fit an i64"))?,
            )
        }
        syn::Lit::Float(float) => {
            let value = float.base10_parse::<f64>()?;
            if !value.is_finite() {
                return Err(syn::Error::new(span, "this number is not finite"));
            }
            Number::Float(if negative { -value } else { value })
        }
        _ => return Err(syn::Error::new(span, "expected a number")),
    };
    Ok(SpannedNumber { number, span })
}

/// `#[device(...)]` on the struct.
#[derive(Default)]
pub(crate) struct DeviceAttrs {
    pub name: Option<Keyed<LitStr>>,
    pub device_type: Option<Keyed<LitStr>>,
    pub subtype: Option<Keyed<LitStr>>,
    pub model: Option<Keyed<LitStr>>,
    pub attributes: Option<Keyed<Vec<(LitStr, LitStr)>>>,
    pub no_primary: Option<Keyed<()>>,
    /// `crate = "path"`: where `rainmaker_types` is, for re-exporting crates.
    pub krate: Option<Keyed<syn::Path>>,
}

const DEVICE_KEYS: &str = "name, type (or kind), subtype, model, attributes, no_primary, crate";

impl DeviceAttrs {
    pub(crate) fn parse(attrs: &[syn::Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        for attr in attrs {
            if attr.path().is_ident("param") {
                errors.at(
                    attr.path().span(),
                    "`#[param(...)]` goes on fields; use `#[device(...)]` on the struct",
                );
                continue;
            }
            if !attr.path().is_ident("device") {
                continue;
            }
            each_key(attr, errors, |errors, meta| {
                let Some(key) = ident_key(errors, &meta, "device", DEVICE_KEYS)? else {
                    return Ok(());
                };
                let name = key_name(key);
                match name.as_str() {
                    "name" => parse_once(errors, &mut out.name, &meta, key, "name")?,
                    "type" | "kind" => {
                        parse_once(errors, &mut out.device_type, &meta, key, "type")?
                    }
                    "subtype" => parse_once(errors, &mut out.subtype, &meta, key, "subtype")?,
                    "model" => parse_once(errors, &mut out.model, &meta, key, "model")?,
                    "attributes" => {
                        let content;
                        syn::parenthesized!(content in meta.input);
                        let mut pairs = Vec::new();
                        while !content.is_empty() {
                            let attr_name: LitStr = content.parse()?;
                            content.parse::<Token![=]>()?;
                            let attr_value: LitStr = content.parse()?;
                            if pairs.iter().any(|(seen, _): &(LitStr, LitStr)| {
                                seen.value() == attr_name.value()
                            }) {
                                errors.at(
                                    attr_name.span(),
                                    format_args!(
                                        "duplicate device attribute `{}`",
                                        attr_name.value()
                                    ),
                                );
                            } else {
                                pairs.push((attr_name, attr_value));
                            }
                            if content.is_empty() {
                                break;
                            }
                            content.parse::<Token![,]>()?;
                        }
                        set_once(errors, &mut out.attributes, key, "attributes", pairs);
                    }
                    "crate" => {
                        let lit: LitStr = meta.value()?.parse()?;
                        match lit.parse::<syn::Path>() {
                            Ok(path) => set_once(errors, &mut out.krate, key, "crate", path),
                            Err(_) => errors.at(
                                lit.span(),
                                "`crate` must be a path to rainmaker_types, like \"::rainmaker_types\"",
                            ),
                        }
                    }
                    "no_primary" => {
                        set_flag(errors, &mut out.no_primary, &meta, key, "no_primary")?
                    }
                    _ => {
                        errors.at(
                            key.span(),
                            format_args!(
                                "unknown device key `{name}`; expected one of: {DEVICE_KEYS}"
                            ),
                        );
                        skip_value(meta.input)?;
                    }
                }
                Ok(())
            });
        }
        out
    }
}

/// `standard = Ident` or `standard = "esp.param.x"`.
#[derive(Clone)]
pub(crate) struct StandardRef {
    pub text: String,
    pub span: Span,
}

/// `bounds(min = .., max = .., step = ..)`.
#[derive(Default, Clone)]
pub(crate) struct BoundsAttr {
    pub min: Option<Keyed<SpannedNumber>>,
    pub max: Option<Keyed<SpannedNumber>>,
    pub step: Option<Keyed<SpannedNumber>>,
}

/// `#[param(...)]` on a field.
#[derive(Default)]
pub(crate) struct ParamAttrs {
    pub name: Option<Keyed<LitStr>>,
    pub standard: Option<Keyed<StandardRef>>,
    pub param_type: Option<Keyed<LitStr>>,
    pub data_type: Option<Keyed<LitStr>>,
    pub ui_type: Option<Keyed<LitStr>>,
    pub read_only: Option<Keyed<()>>,
    pub write_only: Option<Keyed<()>>,
    pub time_series: Option<Keyed<()>>,
    pub simple_ts: Option<Keyed<()>>,
    pub bounds: Option<Keyed<BoundsAttr>>,
    pub valid_strs: Option<Keyed<Vec<LitStr>>>,
    pub primary: Option<Keyed<()>>,
    pub on_write: Option<Keyed<syn::ExprPath>>,
    pub skip: Option<Keyed<()>>,
    /// `#[device(instance_name)]`: the field holds this instance's device name.
    pub instance_name: Option<Keyed<()>>,
    /// Span of the first `#[param]` key other than `skip`.
    pub first_key: Option<Span>,
}

const PARAM_KEYS: &str = "name, standard, type (or param_type), data_type, ui (or ui_type), \
     read_only, write_only, time_series, simple_ts, bounds, valid_strs, primary, on_write, skip";

const READ_WRITE_ONLY: &str = "a param cannot be both `read_only` and `write_only`";

const BOTH_TIME_SERIES: &str =
    "a param has at most one time-series kind: `time_series` or `simple_ts`, not both";

const BOUNDS_KEYS: &str = "min, max, step";

impl ParamAttrs {
    pub(crate) fn parse(attrs: &[syn::Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        for attr in attrs {
            if attr.path().is_ident("device") {
                // On a field, `#[device(instance_name)]` is the only device key.
                each_key(attr, errors, |errors, meta| {
                    match meta.path.get_ident() {
                        Some(key) if key == "instance_name" => {
                            set_flag(errors, &mut out.instance_name, &meta, key, "instance_name")?
                        }
                        _ => {
                            errors.at(
                                meta.path.span(),
                                "on a field, `#[device(...)]` only takes `instance_name`; \
                                 use `#[param(...)]` for params and put other device keys on the struct",
                            );
                            skip_value(meta.input)?;
                        }
                    }
                    Ok(())
                });
                continue;
            }
            if !attr.path().is_ident("param") {
                continue;
            }
            each_key(attr, errors, |errors, meta| {
                let Some(key) = ident_key(errors, &meta, "param", PARAM_KEYS)? else {
                    return Ok(());
                };
                let name = key_name(key);
                if name != "skip" && out.first_key.is_none() {
                    out.first_key = Some(key.span());
                }
                // Contradicting flags are reported on the later one.
                let conflict = match name.as_str() {
                    "read_only" if out.write_only.is_some() => Some(READ_WRITE_ONLY),
                    "write_only" if out.read_only.is_some() => Some(READ_WRITE_ONLY),
                    "time_series" if out.simple_ts.is_some() => Some(BOTH_TIME_SERIES),
                    "simple_ts" if out.time_series.is_some() => Some(BOTH_TIME_SERIES),
                    _ => None,
                };
                if let Some(message) = conflict {
                    errors.at(key.span(), message);
                }
                match name.as_str() {
                    "read_only" => set_flag(errors, &mut out.read_only, &meta, key, "read_only")?,
                    "write_only" => {
                        set_flag(errors, &mut out.write_only, &meta, key, "write_only")?
                    }
                    "time_series" => {
                        set_flag(errors, &mut out.time_series, &meta, key, "time_series")?
                    }
                    "simple_ts" => set_flag(errors, &mut out.simple_ts, &meta, key, "simple_ts")?,
                    "primary" => set_flag(errors, &mut out.primary, &meta, key, "primary")?,
                    "skip" => set_flag(errors, &mut out.skip, &meta, key, "skip")?,
                    "name" => parse_once(errors, &mut out.name, &meta, key, "name")?,
                    "type" | "param_type" => {
                        parse_once(errors, &mut out.param_type, &meta, key, "type")?
                    }
                    "data_type" => parse_once(errors, &mut out.data_type, &meta, key, "data_type")?,
                    "ui" | "ui_type" => parse_once(errors, &mut out.ui_type, &meta, key, "ui")?,
                    "standard" => {
                        let input = meta.value()?;
                        let value = if input.peek(LitStr) {
                            let lit: LitStr = input.parse()?;
                            StandardRef {
                                text: lit.value(),
                                span: lit.span(),
                            }
                        } else {
                            let ident: Ident = input.parse()?;
                            StandardRef {
                                text: key_name(&ident),
                                span: ident.span(),
                            }
                        };
                        set_once(errors, &mut out.standard, key, "standard", value);
                    }
                    "on_write" => parse_once(errors, &mut out.on_write, &meta, key, "on_write")?,
                    "valid_strs" => {
                        let content;
                        syn::parenthesized!(content in meta.input);
                        let list = content
                            .parse_terminated(<LitStr as syn::parse::Parse>::parse, Token![,])?;
                        let mut strs: Vec<LitStr> = Vec::new();
                        for lit in list {
                            if strs.iter().any(|seen| seen.value() == lit.value()) {
                                errors.at(
                                    lit.span(),
                                    format_args!("duplicate valid string \"{}\"", lit.value()),
                                );
                            } else {
                                strs.push(lit);
                            }
                        }
                        set_once(errors, &mut out.valid_strs, key, "valid_strs", strs);
                    }
                    "bounds" => {
                        let mut bounds = BoundsAttr::default();
                        meta.parse_nested_meta(|inner| {
                            let Some(inner_key) = inner.path.get_ident() else {
                                errors.at(inner.path.span(), format_args!("unknown bounds key; expected one of: {BOUNDS_KEYS}"));
                                return skip_value(inner.input);
                            };
                            let inner_name = key_name(inner_key);
                            let slot = match inner_name.as_str() {
                                "min" => &mut bounds.min,
                                "max" => &mut bounds.max,
                                "step" => &mut bounds.step,
                                _ => {
                                    errors.at(
                                        inner_key.span(),
                                        format_args!("unknown bounds key `{inner_name}`; expected one of: {BOUNDS_KEYS}"),
                                    );
                                    return skip_value(inner.input);
                                }
                            };
                            let number = parse_number(inner.value()?)?;
                            set_once(errors, slot, inner_key, &inner_name, number);
                            Ok(())
                        })?;
                        set_once(errors, &mut out.bounds, key, "bounds", bounds);
                    }
                    _ => {
                        errors.at(
                            key.span(),
                            format_args!(
                                "unknown param key `{name}`; expected one of: {PARAM_KEYS}"
                            ),
                        );
                        skip_value(meta.input)?;
                    }
                }
                Ok(())
            });
        }
        out
    }
}
