//! The checked model of a device: attributes resolved against the field types and the
//! standard param table, with every rule of docs/protocol.md checked.

use proc_macro2::Span;
use syn::spanned::Spanned;

use crate::attr::{BoundsAttr, DeviceAttrs, Errors, Keyed, Number, ParamAttrs, SpannedNumber};
use crate::standard::{self, DataType, StandardBounds, StandardParam};

impl DataType {
    /// The data types a param may be declared with (`invalid` only marks a broken
    /// param on the wire).
    fn declarable() -> impl Iterator<Item = Self> {
        Self::ALL.into_iter().filter(|kind| *kind != Self::Invalid)
    }

    /// The declarable data type spelled `text` (`int`).
    fn parse(text: &str) -> Option<Self> {
        Self::declarable().find(|kind| kind.wire() == text)
    }

    /// "a bool", "an int"...
    fn with_article(self) -> String {
        let wire = self.wire();
        let article = if wire.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {wire}")
    }

    /// Whether values go through `ParamField` (scalars) rather than serde.
    pub(crate) fn is_scalar(self) -> bool {
        !matches!(self, Self::Object | Self::Array)
    }
}

/// What the field's Rust type says about the data type.
enum TypeKind {
    /// A type the macro recognises.
    Known(DataType),
    /// A type that cannot be a param, with the reason.
    Unsupported(&'static str),
    /// Any other type: an object or array through serde, or a scalar through
    /// `ParamField` when `data_type` (or a standard type) says so.
    Other,
}

fn classify(ty: &syn::Type) -> TypeKind {
    match ty {
        syn::Type::Paren(inner) => classify(&inner.elem),
        syn::Type::Group(inner) => classify(&inner.elem),
        syn::Type::Array(_) | syn::Type::Slice(_) => TypeKind::Known(DataType::Array),
        syn::Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return TypeKind::Other;
            };
            match last.ident.to_string().as_str() {
                "bool" => TypeKind::Known(DataType::Bool),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" => {
                    TypeKind::Known(DataType::Int)
                }
                "u64" | "u128" | "i128" | "usize" | "isize" => TypeKind::Unsupported(
                    "int params are 32-bit on the node; use i8..i64 or u8..u32",
                ),
                "f32" | "f64" => TypeKind::Known(DataType::Float),
                "String" => TypeKind::Known(DataType::String),
                "Vec" | "VecDeque" => TypeKind::Known(DataType::Array),
                _ => TypeKind::Other,
            }
        }
        _ => TypeKind::Other,
    }
}

/// The name and value range of a recognised integer field type.
fn int_range(ty: &syn::Type) -> Option<(&'static str, i64, i64)> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let range = match last.ident.to_string().as_str() {
        "i8" => ("i8", i64::from(i8::MIN), i64::from(i8::MAX)),
        "i16" => ("i16", i64::from(i16::MIN), i64::from(i16::MAX)),
        "i32" => ("i32", i64::from(i32::MIN), i64::from(i32::MAX)),
        "i64" => ("i64", i64::MIN, i64::MAX),
        "u8" => ("u8", 0, i64::from(u8::MAX)),
        "u16" => ("u16", 0, i64::from(u16::MAX)),
        "u32" => ("u32", 0, i64::from(u32::MAX)),
        _ => return None,
    };
    Some(range)
}

/// A param's properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Props {
    pub read: bool,
    pub write: bool,
    pub time_series: TimeSeries,
}

/// The time-series marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeSeries {
    None,
    Full,
    Simple,
}

/// Checked bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Bounds {
    Int {
        min: i64,
        max: i64,
        step: Option<i64>,
    },
    Float {
        min: f64,
        max: f64,
        step: Option<f64>,
    },
    ArrayMax(u32),
}

/// One checked param.
pub(crate) struct Param {
    pub member: syn::Ident,
    pub ty: syn::Type,
    pub name: String,
    pub param_type: Option<String>,
    pub kind: DataType,
    /// Whether the field type was not recognised, so the kind must be asserted.
    pub assert_kind: bool,
    pub props: Props,
    pub bounds: Option<Bounds>,
    pub valid_strs: Vec<String>,
    pub ui_type: Option<String>,
    pub on_write: Option<syn::ExprPath>,
}

/// The checked device.
pub(crate) struct Device {
    pub ident: syn::Ident,
    /// The path of the `rainmaker_types` crate, `::rainmaker_types` by default.
    pub krate: proc_macro2::TokenStream,
    /// The field holding the instance's name, if any.
    pub instance_name: Option<syn::Ident>,
    pub name: String,
    pub device_type: Option<String>,
    pub subtype: Option<String>,
    pub model: Option<String>,
    pub attributes: Vec<(String, String)>,
    pub primary: Option<String>,
    pub params: Vec<Param>,
}

/// The most params a device has: the C SDK counts them in a `uint8_t`.
const MAX_PARAMS: usize = 255;

/// `snake_case` field name to the SDK's `UpperCamelCase` param name style.
pub(crate) fn default_param_name(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut name = String::with_capacity(field.len());
    for word in field.split('_').filter(|word| !word.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if name.is_empty() {
        field.to_owned()
    } else {
        name
    }
}

impl Device {
    /// Builds the model from the derive input; every problem goes to `errors`.
    pub(crate) fn from_input(input: &syn::DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = DeviceAttrs::parse(&input.attrs, errors);
        if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
            errors.at(
                input.generics.span(),
                "#[derive(Device)] does not support generic structs",
            );
        }
        let fields = match &input.data {
            syn::Data::Struct(data) => match &data.fields {
                syn::Fields::Named(named) => Some(&named.named),
                syn::Fields::Unit => None,
                syn::Fields::Unnamed(_) => {
                    errors.at(
                        input.ident.span(),
                        "#[derive(Device)] needs named fields: each field is a param",
                    );
                    return None;
                }
            },
            syn::Data::Enum(data) => {
                errors.at(
                    data.enum_token.span,
                    "#[derive(Device)] works on structs only, not enums",
                );
                return None;
            }
            syn::Data::Union(data) => {
                errors.at(
                    data.union_token.span,
                    "#[derive(Device)] works on structs only, not unions",
                );
                return None;
            }
        };

        let mut params: Vec<Param> = Vec::new();
        let mut name_spans: Vec<(String, Span)> = Vec::new();
        let mut primary: Option<(String, Span)> = None;
        let mut primary_failed = false;
        let mut instance_name: Option<syn::Ident> = None;
        for field in fields.into_iter().flatten() {
            let Some(member) = field.ident.clone() else {
                continue;
            };
            let attrs = ParamAttrs::parse(&field.attrs, errors);
            if let Some(key) = &attrs.instance_name {
                if let Some(span) = attrs.first_key.or(attrs.skip.as_ref().map(|skip| skip.key)) {
                    errors.at(
                        span,
                        "the `instance_name` field is not a param and takes no param keys",
                    );
                }
                if instance_name.is_some() {
                    errors.at(key.key, "only one field can be the `instance_name`");
                } else {
                    instance_name = Some(member);
                }
                continue;
            }
            if attrs.skip.is_some() {
                if let Some(span) = attrs.first_key {
                    errors.at(
                        span,
                        "a `skip` field is not a param and takes no other param keys",
                    );
                }
                continue;
            }
            let Some(param) = Param::check(&member, &field.ty, &attrs, errors) else {
                // The field's error is reported; do not add "no primary param" to it.
                primary_failed |= attrs.primary.is_some();
                continue;
            };
            let name_span = attrs
                .name
                .as_ref()
                .map_or_else(|| member.span(), |name| name.value.span());
            if name_spans.iter().any(|(seen, _)| *seen == param.name) {
                errors.at(
                    name_span,
                    format_args!("duplicate param name \"{}\"", param.name),
                );
            } else {
                name_spans.push((param.name.clone(), name_span));
            }
            if let Some(key) = &attrs.primary {
                match &primary {
                    Some((first, _)) => errors.at(
                        key.key,
                        format_args!(
                            "a device has one primary param, and \"{first}\" is already primary"
                        ),
                    ),
                    None => primary = Some((param.name.clone(), key.key)),
                }
            }
            params.push(param);
        }

        if attrs.no_primary.is_some() {
            if let Some((_, span)) = &primary {
                errors.at(*span, "`primary` contradicts `#[device(no_primary)]`");
            }
        } else if primary.is_none() && !primary_failed {
            errors.at(
                input.ident.span(),
                "no primary param: mark one field `#[param(primary)]` (or add `#[device(no_primary)]`)",
            );
        }

        if params.len() > MAX_PARAMS {
            errors.at(
                input.ident.span(),
                format_args!(
                    "a device has at most {MAX_PARAMS} params (the C SDK counts them in a u8); this one has {}",
                    params.len()
                ),
            );
        }
        if let Some(lit) = &attrs.name
            && lit.value.value().is_empty()
        {
            errors.at(lit.value.span(), "a device name cannot be empty");
        }

        let text = |lit: &Option<Keyed<syn::LitStr>>| lit.as_ref().map(|lit| lit.value.value());
        let krate = match &attrs.krate {
            Some(path) => quote::ToTokens::to_token_stream(&path.value),
            None => quote::quote!(::rainmaker_types),
        };
        Some(Self {
            ident: input.ident.clone(),
            krate,
            instance_name,
            name: text(&attrs.name).unwrap_or_else(|| input.ident.to_string()),
            device_type: text(&attrs.device_type),
            subtype: text(&attrs.subtype),
            model: text(&attrs.model),
            attributes: attrs
                .attributes
                .map(|pairs| {
                    pairs
                        .value
                        .iter()
                        .map(|(name, value)| (name.value(), value.value()))
                        .collect()
                })
                .unwrap_or_default(),
            primary: primary.map(|(name, _)| name),
            params,
        })
    }
}

impl Param {
    fn check(
        member: &syn::Ident,
        ty: &syn::Type,
        attrs: &ParamAttrs,
        errors: &mut Errors,
    ) -> Option<Self> {
        let standard = match &attrs.standard {
            Some(standard) => match standard::find(&standard.value.text) {
                Some(row) => Some(row),
                None => {
                    errors.at(
                        standard.value.span,
                        format_args!(
                            "unknown standard param `{}`; expected one of: {}",
                            standard.value.text,
                            standard::idents()
                        ),
                    );
                    return None;
                }
            },
            None => None,
        };

        // The data type: `data_type`, else the standard type's, else the field type's.
        let type_kind = classify(ty);
        if let TypeKind::Unsupported(reason) = type_kind {
            errors.at(ty.span(), format_args!("unsupported param type: {reason}"));
            return None;
        }
        let declared = match &attrs.data_type {
            Some(lit) => match DataType::parse(&lit.value.value()) {
                Some(kind) => Some((kind, lit.value.span(), "`data_type`")),
                None => {
                    errors.at(
                        lit.value.span(),
                        "unknown data_type; expected one of: bool, int, float, string, object, array",
                    );
                    return None;
                }
            },
            None => None,
        };
        let from_standard = standard.map(|row| row.data_type);
        if let (Some((kind, span, _)), Some(std_kind)) = (declared, from_standard)
            && kind != std_kind
        {
            errors.at(
                span,
                format_args!(
                    "the standard param is {} param, not {}",
                    std_kind.with_article(),
                    kind.wire()
                ),
            );
            return None;
        }
        let wanted = declared.or_else(|| {
            let std_span = attrs.standard.as_ref().map(|s| s.value.span)?;
            from_standard.map(|kind| (kind, std_span, "the standard param"))
        });
        let (kind, assert_kind) = match (type_kind, wanted) {
            (TypeKind::Known(found), Some((kind, _, what))) => {
                if found != kind {
                    errors.at(
                        ty.span(),
                        format_args!(
                            "{what} makes this {} param, but the field type holds {}",
                            kind.with_article(),
                            found.with_article()
                        ),
                    );
                    return None;
                }
                (kind, false)
            }
            (TypeKind::Known(found), None) => (found, false),
            (_, Some((kind, _, _))) => (kind, kind.is_scalar()),
            (_, None) => (DataType::Object, false),
        };

        let name = attrs
            .name
            .as_ref()
            .map(|lit| lit.value.value())
            .or_else(|| standard.map(|row| row.name.to_owned()))
            .unwrap_or_else(|| default_param_name(&member.to_string()));
        if name.is_empty()
            && let Some(lit) = &attrs.name
        {
            errors.at(lit.value.span(), "a param name cannot be empty");
        }

        let props = check_props(attrs, standard, kind, errors);
        let bounds = match &attrs.bounds {
            Some(bounds) => check_bounds(bounds, kind, member, errors),
            None => standard.and_then(|row| match row.bounds {
                Some(StandardBounds::Int { min, max, step }) => {
                    Some(Bounds::Int { min, max, step })
                }
                Some(StandardBounds::Float { min, max, step }) => {
                    Some(Bounds::Float { min, max, step })
                }
                Some(StandardBounds::ArrayMax(max)) => Some(Bounds::ArrayMax(max)),
                None => None,
            }),
        };
        if let Some(Bounds::Int { min, max, .. }) = bounds
            && let Some((type_name, low, high)) = int_range(ty)
            && (min < low || max > high)
        {
            let span = attrs
                .bounds
                .as_ref()
                .map_or_else(|| ty.span(), |bounds| bounds.key);
            errors.at(
                span,
                format_args!(
                    "bounds {min}..={max} do not fit the field type `{type_name}` ({low}..={high})"
                ),
            );
        }

        let mut valid_strs = Vec::new();
        if let Some(strs) = &attrs.valid_strs {
            if kind == DataType::String {
                valid_strs = strs.value.iter().map(syn::LitStr::value).collect();
                if valid_strs.is_empty() {
                    errors.at(strs.key, "`valid_strs` needs at least one string");
                }
            } else {
                errors.at(
                    strs.key,
                    format_args!(
                        "`valid_strs` needs a string param, but `{member}` is {} param",
                        kind.with_article()
                    ),
                );
            }
        }

        let text = |lit: &Option<Keyed<syn::LitStr>>| lit.as_ref().map(|lit| lit.value.value());
        Some(Self {
            member: member.clone(),
            ty: ty.clone(),
            name,
            param_type: text(&attrs.param_type)
                .or_else(|| standard.map(|row| row.param_type.to_owned())),
            kind,
            assert_kind,
            props,
            bounds,
            valid_strs,
            ui_type: text(&attrs.ui_type)
                .or_else(|| standard.and_then(|row| row.ui_type.map(str::to_owned))),
            on_write: attrs.on_write.as_ref().map(|path| path.value.clone()),
        })
    }
}

fn check_props(
    attrs: &ParamAttrs,
    standard: Option<&StandardParam>,
    kind: DataType,
    errors: &mut Errors,
) -> Props {
    let mut props = match standard {
        Some(row) => Props {
            read: row.properties.contains(&"read"),
            write: row.properties.contains(&"write"),
            time_series: if row.properties.contains(&"time_series") {
                TimeSeries::Full
            } else if row.properties.contains(&"simple_ts") {
                TimeSeries::Simple
            } else {
                TimeSeries::None
            },
        },
        None => Props {
            read: true,
            write: true,
            time_series: TimeSeries::None,
        },
    };
    // Contradictions (`read_only` with `write_only`, both time-series kinds) were
    // reported while parsing, so compilation fails whatever is picked here.
    if attrs.read_only.is_some() {
        props.read = true;
        props.write = false;
    } else if attrs.write_only.is_some() {
        props.read = false;
        props.write = true;
    }
    if attrs.time_series.is_some() {
        props.time_series = TimeSeries::Full;
    } else if attrs.simple_ts.is_some() {
        props.time_series = TimeSeries::Simple;
    }
    if props.time_series == TimeSeries::Full && !kind.is_scalar() {
        let span = attrs
            .time_series
            .as_ref()
            .map(|key| key.key)
            .or_else(|| attrs.standard.as_ref().map(|key| key.key));
        if let Some(span) = span {
            errors.at(
                span,
                format_args!(
                    "full time series is not supported for {} params; use `simple_ts`",
                    kind.wire()
                ),
            );
        }
    }
    props
}

fn check_bounds(
    bounds: &Keyed<BoundsAttr>,
    kind: DataType,
    member: &syn::Ident,
    errors: &mut Errors,
) -> Option<Bounds> {
    let attr = &bounds.value;
    match kind {
        DataType::Int | DataType::Float => {
            let (Some(min), Some(max)) = (&attr.min, &attr.max) else {
                errors.at(bounds.key, "`bounds` needs both `min` and `max`");
                return None;
            };
            if kind == DataType::Int {
                let int = |errors: &mut Errors, number: &SpannedNumber| match number.number {
                    Number::Int(value) => Some(value),
                    Number::Float(_) => {
                        errors.at(
                            number.span,
                            format_args!("`{member}` is an int param; its bounds must be integers"),
                        );
                        None
                    }
                };
                let min_value = int(errors, &min.value);
                let max_value = int(errors, &max.value);
                let step = match &attr.step {
                    Some(step) => Some(int(errors, &step.value)?),
                    None => None,
                };
                let (min_value, max_value) = (min_value?, max_value?);
                if min_value > max_value {
                    errors.at(
                        max.value.span,
                        format_args!("`max` ({max_value:?}) is less than `min` ({min_value:?})"),
                    );
                    return None;
                }
                if let (Some(value), Some(step_attr)) = (step, &attr.step)
                    && value <= 0
                {
                    errors.at(step_attr.value.span, "`step` must be positive");
                    return None;
                }
                Some(Bounds::Int {
                    min: min_value,
                    max: max_value,
                    step,
                })
            } else {
                let float = |number: &SpannedNumber| match number.number {
                    // Float bounds are printed as floats whatever literal was written.
                    #[allow(clippy::cast_precision_loss)]
                    Number::Int(value) => value as f64,
                    Number::Float(value) => value,
                };
                let (min_value, max_value) = (float(&min.value), float(&max.value));
                if min_value > max_value {
                    errors.at(
                        max.value.span,
                        format_args!("`max` ({max_value:?}) is less than `min` ({min_value:?})"),
                    );
                    return None;
                }
                let step = attr
                    .step
                    .as_ref()
                    .map(|step| (float(&step.value), step.value.span));
                if let Some((value, span)) = step
                    && value <= 0.0
                {
                    errors.at(span, "`step` must be positive");
                    return None;
                }
                Some(Bounds::Float {
                    min: min_value,
                    max: max_value,
                    step: step.map(|(value, _)| value),
                })
            }
        }
        DataType::Array => {
            for extra in [&attr.min, &attr.step].into_iter().flatten() {
                errors.at(extra.key, "array bounds take only `max` (the most items)");
            }
            let Some(max) = &attr.max else {
                errors.at(bounds.key, "array bounds need `max` (the most items)");
                return None;
            };
            match max.value.number {
                Number::Int(value) => match u32::try_from(value) {
                    Ok(count) => Some(Bounds::ArrayMax(count)),
                    Err(_) => {
                        errors.at(max.value.span, "`max` must be a count (0 to 4294967295)");
                        None
                    }
                },
                Number::Float(_) => {
                    errors.at(max.value.span, "`max` must be an integer count");
                    None
                }
            }
        }
        DataType::Bool | DataType::String | DataType::Object | DataType::Invalid => {
            errors.at(
                bounds.key,
                format_args!(
                    "`bounds` needs an int, float or array param, but `{member}` is {} param",
                    kind.with_article()
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_names_default_to_upper_camel_case() {
        assert_eq!(default_param_name("power"), "Power");
        assert_eq!(default_param_name("user_token"), "UserToken");
        assert_eq!(default_param_name("r#type"), "Type");
        assert_eq!(default_param_name("_x"), "X");
    }

    #[test]
    fn standard_table_is_consistent() {
        for row in standard::STANDARD_PARAMS {
            assert!(DataType::declarable().any(|kind| kind == row.data_type));
            assert!(standard::find(row.ident).is_some());
            assert_eq!(
                standard::STANDARD_PARAMS
                    .iter()
                    .filter(|other| other.ident == row.ident)
                    .count(),
                1,
                "{}",
                row.ident
            );
        }
    }
}
