//! The standard param types and their defaults, as plain data.
//!
//! This table mirrors `x-rainmaker-standard-types` of
//! `spec/rainmaker-node.asyncapi.yaml` (docs/protocol.md: the C SDK's default param
//! name, data type, properties, UI type and bounds per `esp.param.*` type). It will be
//! produced by `rainmaker-codegen`; keep it plain data so the generator can take the
//! file over. `#[param(standard = Brightness)]` looks a row up by `ident` (or by
//! `param_type`, `standard = "esp.param.brightness"`).
//!
//! Properties never include `persist` (NVS persistence is not part of the protocol).

/// Default bounds of a standard param.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StandardBounds {
    /// `{"min":..,"max":..,"step":..}` of an int param.
    Int { min: i64, max: i64, step: i64 },
    /// `{"max":..}` of an array param: the most items it holds.
    ArrayMax(u32),
}

/// One standard param type with its defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StandardParam {
    /// The name used in `#[param(standard = ...)]`: the type's suffix in UpperCamelCase.
    pub ident: &'static str,
    /// The param type, `esp.param.*`.
    pub param_type: &'static str,
    /// The default param name.
    pub name: &'static str,
    /// The data type: `bool`, `int`, `float`, `string`, `object` or `array`.
    pub data_type: &'static str,
    /// The default properties, in SDK order (`read`, `write`, `time_series`, `simple_ts`).
    pub properties: &'static [&'static str],
    /// The default UI type.
    pub ui_type: Option<&'static str>,
    /// The default bounds.
    pub bounds: Option<StandardBounds>,
}

/// Every standard param type with a constructor in the C SDK.
pub(crate) const STANDARD_PARAMS: &[StandardParam] = &[
    StandardParam {
        ident: "Name",
        param_type: "esp.param.name",
        name: "Name",
        data_type: "string",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "Power",
        param_type: "esp.param.power",
        name: "Power",
        data_type: "bool",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.toggle"),
        bounds: None,
    },
    StandardParam {
        ident: "Brightness",
        param_type: "esp.param.brightness",
        name: "Brightness",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.slider"),
        bounds: Some(StandardBounds::Int {
            min: 0,
            max: 100,
            step: 1,
        }),
    },
    StandardParam {
        ident: "Hue",
        param_type: "esp.param.hue",
        name: "Hue",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.hue-slider"),
        bounds: Some(StandardBounds::Int {
            min: 0,
            max: 360,
            step: 1,
        }),
    },
    StandardParam {
        ident: "Saturation",
        param_type: "esp.param.saturation",
        name: "Saturation",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.slider"),
        bounds: Some(StandardBounds::Int {
            min: 0,
            max: 100,
            step: 1,
        }),
    },
    StandardParam {
        ident: "Intensity",
        param_type: "esp.param.intensity",
        name: "Intensity",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.slider"),
        bounds: Some(StandardBounds::Int {
            min: 0,
            max: 100,
            step: 1,
        }),
    },
    StandardParam {
        ident: "Cct",
        param_type: "esp.param.cct",
        name: "CCT",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.slider"),
        bounds: Some(StandardBounds::Int {
            min: 2700,
            max: 6500,
            step: 100,
        }),
    },
    StandardParam {
        ident: "Direction",
        param_type: "esp.param.direction",
        name: "Direction",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.dropdown"),
        bounds: Some(StandardBounds::Int {
            min: 0,
            max: 1,
            step: 1,
        }),
    },
    StandardParam {
        ident: "Speed",
        param_type: "esp.param.speed",
        name: "Speed",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: Some("esp.ui.slider"),
        bounds: Some(StandardBounds::Int {
            min: 0,
            max: 5,
            step: 1,
        }),
    },
    StandardParam {
        ident: "Temperature",
        param_type: "esp.param.temperature",
        name: "Temperature",
        data_type: "float",
        properties: &["read", "time_series"],
        ui_type: Some("esp.ui.text"),
        bounds: None,
    },
    StandardParam {
        ident: "OtaStatus",
        param_type: "esp.param.ota_status",
        name: "Status",
        data_type: "string",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "OtaInfo",
        param_type: "esp.param.ota_info",
        name: "Info",
        data_type: "string",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "OtaUrl",
        param_type: "esp.param.ota_url",
        name: "URL",
        data_type: "string",
        properties: &["write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "Tz",
        param_type: "esp.param.tz",
        name: "TZ",
        data_type: "string",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "TzPosix",
        param_type: "esp.param.tz_posix",
        name: "TZ-POSIX",
        data_type: "string",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "Timestamp",
        param_type: "esp.param.timestamp",
        name: "Timestamp",
        data_type: "int",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "Schedules",
        param_type: "esp.param.schedules",
        name: "Schedules",
        data_type: "array",
        properties: &["read", "write"],
        ui_type: None,
        bounds: Some(StandardBounds::ArrayMax(10)),
    },
    StandardParam {
        ident: "Scenes",
        param_type: "esp.param.scenes",
        name: "Scenes",
        data_type: "array",
        properties: &["read", "write"],
        ui_type: None,
        bounds: Some(StandardBounds::ArrayMax(10)),
    },
    StandardParam {
        ident: "Reboot",
        param_type: "esp.param.reboot",
        name: "Reboot",
        data_type: "bool",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "FactoryReset",
        param_type: "esp.param.factory-reset",
        name: "Factory-Reset",
        data_type: "bool",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "WifiReset",
        param_type: "esp.param.wifi-reset",
        name: "Wi-Fi-Reset",
        data_type: "bool",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "LocalControlPop",
        param_type: "esp.param.local_control_pop",
        name: "POP",
        data_type: "string",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "LocalControlType",
        param_type: "esp.param.local_control_type",
        name: "Type",
        data_type: "int",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "UserToken",
        param_type: "esp.param.user-token",
        name: "UserToken",
        data_type: "string",
        properties: &["write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "UserTokenStatus",
        param_type: "esp.param.user-token-status",
        name: "UserTokenStatus",
        data_type: "int",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "BaseUrl",
        param_type: "esp.param.base-url",
        name: "BaseURL",
        data_type: "string",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "GroupId",
        param_type: "esp.param.group-id",
        name: "GroupID",
        data_type: "string",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "Connected",
        param_type: "esp.param.connected",
        name: "Connected",
        data_type: "bool",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "TbrBorderAgentId",
        param_type: "esp.param.tbr-border-agent-id",
        name: "BorderAgentId",
        data_type: "string",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "TbrActiveDataset",
        param_type: "esp.param.tbr-active-dataset",
        name: "ActiveDataset",
        data_type: "string",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "TbrPendingDataset",
        param_type: "esp.param.tbr-pending-dataset",
        name: "PendingDataset",
        data_type: "string",
        properties: &["read", "write"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "TbrDeviceRole",
        param_type: "esp.param.tbr-device-role",
        name: "DeviceRole",
        data_type: "int",
        properties: &["read"],
        ui_type: None,
        bounds: None,
    },
    StandardParam {
        ident: "TbrCmd",
        param_type: "esp.param.tbr-cmd",
        name: "ThreadCmd",
        data_type: "int",
        properties: &["write"],
        ui_type: None,
        bounds: None,
    },
];
