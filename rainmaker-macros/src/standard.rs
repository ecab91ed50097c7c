//! The standard param types and their defaults, as plain data: the table of
//! `generated/standard.rs`, which `rainmaker-codegen` writes from
//! `x-rainmaker-standard-types` of `spec/rainmaker-node.asyncapi.yaml` (the C SDK's
//! default param name, data type, properties, UI type and bounds per `esp.param.*`
//! type), drift-checked with the rest of the generated code.
//!
//! `#[param(standard = Brightness)]` looks a row up by `ident` (or by `param_type`,
//! `standard = "esp.param.brightness"`). Properties never include `persist` (NVS
//! persistence is not part of the protocol).

/// Default bounds of a standard param.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum StandardBounds {
    /// `{"min":..,"max":..,"step":..}` of an int param.
    Int {
        min: i64,
        max: i64,
        step: Option<i64>,
    },
    /// `{"min":..,"max":..,"step":..}` of a float param (the catalogue has none
    /// today; the generator writes one for a float param type with bounds).
    #[allow(dead_code)]
    Float {
        min: f64,
        max: f64,
        step: Option<f64>,
    },
    /// `{"max":..}` of an array param: the most items it holds.
    ArrayMax(u32),
}

/// One standard param type with its defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StandardParam {
    /// The name used in `#[param(standard = ...)]`: the type's suffix in UpperCamelCase.
    pub ident: &'static str,
    /// The param type, `esp.param.*`.
    pub param_type: &'static str,
    /// The default param name.
    pub name: &'static str,
    /// The data type.
    pub data_type: DataType,
    /// The default properties, in SDK order (`read`, `write`, `time_series`, `simple_ts`).
    pub properties: &'static [&'static str],
    /// The default UI type.
    pub ui_type: Option<&'static str>,
    /// The default bounds.
    pub bounds: Option<StandardBounds>,
}

include!("generated/standard.rs");

/// The row `text` names: by `ident` (`Brightness`) or by type (`esp.param.brightness`).
pub(crate) fn find(text: &str) -> Option<&'static StandardParam> {
    STANDARD_PARAMS
        .iter()
        .find(|row| row.ident == text || row.param_type == text)
}

/// Every `ident`, for an error message.
pub(crate) fn idents() -> String {
    STANDARD_PARAMS
        .iter()
        .map(|row| row.ident)
        .collect::<Vec<_>>()
        .join(", ")
}
