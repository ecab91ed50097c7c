//! What the node's config promises: its devices, services and params with their
//! types and bounds; the config's own rules; and whether a reported or written
//! value keeps those promises.

use std::collections::HashSet;

use rainmaker_types::messages::{
    DataType, DeviceConfig, DeviceConfigType, NodeConfig, ParamDescriptor, ParamProperty,
};
use rainmaker_types::standard_types::{STANDARD_SERVICES, ServiceType};
use serde_json::Value;

use super::report::Findings;
use super::rules;

/// How far a float may be from a step (the SDK prints five decimals).
const FLOAT_TOLERANCE: f64 = 1e-4;

/// A param as the config declares it.
#[derive(Debug, Clone)]
pub struct Param {
    /// Its device or service.
    pub device: String,
    /// Its name.
    pub name: String,
    /// Its data type.
    pub data_type: DataType,
    /// `read` is among its properties.
    pub readable: bool,
    /// `write` is among its properties.
    pub writable: bool,
    /// The type of the service it belongs to; `None` for a device's param.
    pub service: Option<ServiceType>,
    /// Number bounds.
    pub min: Option<f64>,
    /// Number bounds, or an array's largest count.
    pub max: Option<f64>,
    /// The step of a number param.
    pub step: Option<f64>,
    /// The strings a string param may take.
    pub valid_strs: Option<Vec<String>>,
}

/// The node as its config declares it.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Every param, devices first, in config order.
    pub params: Vec<Param>,
    /// Device and service names.
    pub devices: Vec<String>,
    /// The node declares the `cmd-resp` attribute: it takes commands on `to-node`.
    pub cmd_resp: bool,
    /// The firmware version of its info.
    pub fw_version: String,
}

impl Model {
    /// The model of a config.
    pub fn new(config: &NodeConfig) -> Self {
        let mut model = Model {
            cmd_resp: config
                .attributes
                .iter()
                .flatten()
                .any(|attribute| attribute.name == "cmd-resp" && attribute.value == "1"),
            fw_version: config.info.fw_version.clone(),
            ..Model::default()
        };
        let devices = config
            .devices
            .iter()
            .flatten()
            .map(|device| (device, false));
        let services = config
            .services
            .iter()
            .flatten()
            .map(|service| (service, true));
        for (device, is_service) in devices.chain(services) {
            model.devices.push(device.name.clone());
            let service = match &device.r#type {
                Some(DeviceConfigType::Service(service)) if is_service => Some(service.clone()),
                _ => None,
            };
            for param in device.params.iter().flatten() {
                model
                    .params
                    .push(Param::new(&device.name, param, service.clone()));
            }
        }
        model
    }

    /// A param by device and name.
    pub fn param(&self, device: &str, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|param| param.device == device && param.name == name)
    }

    /// The readable, writable params of devices (not services): those a write
    /// must bring a report of.
    pub fn read_write_device_params(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|param| param.service.is_none() && param.readable && param.writable)
    }

    /// The param `name` of a service of this type.
    pub fn service_param(&self, service: &ServiceType, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|param| param.service.as_ref() == Some(service) && param.name == name)
    }

    /// Whether a device or service of this name is declared.
    pub fn has_device(&self, name: &str) -> bool {
        self.devices.iter().any(|device| device == name)
    }
}

impl Param {
    fn new(device: &str, descriptor: &ParamDescriptor, service: Option<ServiceType>) -> Self {
        let bound = |number: &Option<serde_json::Number>| {
            number.as_ref().and_then(serde_json::Number::as_f64)
        };
        let bounds = descriptor.bounds.as_ref();
        Param {
            device: device.to_owned(),
            name: descriptor.name.clone(),
            data_type: descriptor.data_type,
            readable: descriptor.properties.contains(&ParamProperty::Read),
            writable: descriptor.properties.contains(&ParamProperty::Write),
            service,
            min: bounds.and_then(|bounds| bound(&bounds.min)),
            max: bounds.and_then(|bounds| bound(&bounds.max)),
            step: bounds
                .and_then(|bounds| bound(&bounds.step))
                .filter(|step| *step != 0.0),
            valid_strs: descriptor.valid_strs.clone(),
        }
    }

    /// `Device.Param`, for messages.
    pub fn path(&self) -> String {
        format!("{}.{}", self.device, self.name)
    }

    /// Why `value` is not of this param's data type, if it is not.
    pub fn type_error(&self, value: &Value) -> Option<String> {
        let fits = match self.data_type {
            DataType::Bool => value.is_boolean(),
            DataType::Int => value.is_i64() || value.is_u64(),
            DataType::Float => value.is_number(),
            DataType::String => value.is_string(),
            DataType::Object => value.is_object(),
            DataType::Array => value.is_array(),
            _ => true,
        };
        (!fits).then(|| {
            format!(
                "{} of data type {}",
                self.path(),
                data_type_name(&self.data_type)
            )
        })
    }

    /// Why `value` (of the right type) is outside what the config allows, if it is.
    pub fn range_error(&self, value: &Value) -> Option<String> {
        match (&self.data_type, value) {
            (DataType::Int | DataType::Float, Value::Number(number)) => {
                let number = number.as_f64()?;
                let integer = self.data_type == DataType::Int;
                let tolerance = if integer { 0.0 } else { FLOAT_TOLERANCE };
                let below = self.min.is_some_and(|min| number < min - tolerance);
                let above = self.max.is_some_and(|max| number > max + tolerance);
                let off_step = match (self.min, self.step) {
                    (Some(min), Some(step)) => {
                        let steps = (number - min) / step;
                        (steps - steps.round()).abs() * step.abs() > tolerance
                    }
                    _ => false,
                };
                (below || above || off_step)
                    .then(|| format!("{} within {}", self.path(), self.bounds_text()))
            }
            (DataType::String, Value::String(text)) => {
                let valid = self.valid_strs.as_ref()?;
                (!valid.contains(text)).then(|| format!("{} one of {valid:?}", self.path()))
            }
            (DataType::Array, Value::Array(items)) => {
                let max = self.max?;
                (items.len() as f64 > max)
                    .then(|| format!("{} with at most {max} elements", self.path()))
            }
            _ => None,
        }
    }

    /// The bounds as a person reads them: `0..100 step 1`.
    pub fn bounds_text(&self) -> String {
        let end = |bound: Option<f64>| bound.map_or_else(String::new, |bound| bound.to_string());
        let mut text = format!("{}..{}", end(self.min), end(self.max));
        if let Some(step) = self.step {
            text.push_str(&format!(" step {step}"));
        }
        text
    }
}

/// A data type's name as the config writes it.
pub fn data_type_name(data_type: &DataType) -> String {
    serde_json::to_value(data_type)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{data_type:?}"))
}

/// Checks the config's own rules (names, types, bounds, properties, primary,
/// service params); `topic` is where it came.
pub fn check_config(config: &NodeConfig, topic: &str, findings: &mut Findings) {
    for rule in [
        &rules::UNIQUE_NAMES,
        &rules::STANDARD_TYPES,
        &rules::STANDARD_PARAMS,
        &rules::BOUNDS,
        &rules::PROPERTIES,
        &rules::PRIMARY,
        &rules::SERVICE_PARAMS,
    ] {
        findings.checked(rule);
    }
    let devices: Vec<&DeviceConfig> = config
        .devices
        .iter()
        .flatten()
        .chain(config.services.iter().flatten())
        .collect();
    let unique = |what: &str, names: &mut dyn Iterator<Item = &str>, findings: &mut Findings| {
        let mut seen = HashSet::new();
        for name in names {
            if !seen.insert(name.to_owned()) {
                findings.deviate(
                    &rules::UNIQUE_NAMES,
                    topic,
                    format!("one {what} named {name:?}"),
                    format!("{name:?} twice"),
                );
            }
        }
    };
    unique(
        "device or service",
        &mut devices.iter().map(|device| device.name.as_str()),
        findings,
    );
    unique(
        "node attribute",
        &mut config
            .attributes
            .iter()
            .flatten()
            .map(|attribute| attribute.name.as_str()),
        findings,
    );
    for device in &devices {
        let params = device.params.as_deref().unwrap_or_default();
        unique(
            &format!("param of {}", device.name),
            &mut params.iter().map(|param| param.name.as_str()),
            findings,
        );
        unique(
            &format!("attribute of {}", device.name),
            &mut device
                .attributes
                .iter()
                .flatten()
                .map(|attribute| attribute.name.as_str()),
            findings,
        );
        check_device(device, topic, findings);
    }
}

/// The rules of one device or service and its params.
fn check_device(device: &DeviceConfig, topic: &str, findings: &mut Findings) {
    let params = device.params.as_deref().unwrap_or_default();
    if let Some(DeviceConfigType::Other(other)) = &device.r#type
        && (other.starts_with("esp.device.") || other.starts_with("esp.service."))
    {
        findings.deviate(
            &rules::STANDARD_TYPES,
            topic,
            format!("{}: a device or service type of the catalogue", device.name),
            other.clone(),
        );
    }
    if let Some(primary) = &device.primary
        && !params.iter().any(|param| &param.name == primary)
    {
        findings.deviate(
            &rules::PRIMARY,
            topic,
            format!("{}: a primary among its params", device.name),
            primary.clone(),
        );
    }
    if let Some(DeviceConfigType::Service(service)) = &device.r#type {
        let standard: Vec<&str> = STANDARD_SERVICES
            .iter()
            .filter(|standard| &standard.service_type == service)
            .flat_map(|standard| standard.params.iter().copied())
            .collect();
        let foreign: Vec<&str> = params
            .iter()
            .map(|param| param.name.as_str())
            .filter(|name| !standard.contains(name))
            .collect();
        if !standard.is_empty() && (params.is_empty() || !foreign.is_empty()) {
            findings.deviate(
                &rules::SERVICE_PARAMS,
                topic,
                format!(
                    "{} ({}): params among {standard:?}",
                    device.name,
                    service.as_str()
                ),
                format!(
                    "{:?}",
                    params
                        .iter()
                        .map(|param| param.name.as_str())
                        .collect::<Vec<_>>()
                ),
            );
        }
    }
    for param in params {
        check_param(&device.name, param, topic, findings);
    }
}

/// The rules of one param descriptor.
fn check_param(device: &str, param: &ParamDescriptor, topic: &str, findings: &mut Findings) {
    let path = format!("{device}.{}", param.name);
    let data_type = data_type_name(&param.data_type);
    if let Some(kind) = &param.r#type {
        match kind.defaults() {
            None if kind.as_str().starts_with("esp.param.") && !kind.is_known() => {
                findings.deviate(
                    &rules::STANDARD_TYPES,
                    topic,
                    format!("{path}: a param type of the catalogue"),
                    kind.as_str().to_owned(),
                );
            }
            Some(defaults) if defaults.data_type != param.data_type => {
                findings.deviate(
                    &rules::STANDARD_PARAMS,
                    topic,
                    format!(
                        "{path} ({}): data type {}",
                        kind.as_str(),
                        data_type_name(&defaults.data_type)
                    ),
                    data_type.clone(),
                );
            }
            _ => {}
        }
    }
    if let Some(ui) = &param.ui_type
        && ui.as_str().starts_with("esp.ui.")
        && !ui.is_known()
    {
        findings.deviate(
            &rules::STANDARD_TYPES,
            topic,
            format!("{path}: a UI type of the catalogue"),
            ui.as_str().to_owned(),
        );
    }
    let properties = &param.properties;
    let time_series = properties.contains(&ParamProperty::TimeSeries);
    if time_series && properties.contains(&ParamProperty::SimpleTs) {
        findings.deviate(
            &rules::PROPERTIES,
            topic,
            format!("{path}: time_series or simple_ts, not both"),
            "both",
        );
    }
    if time_series && matches!(param.data_type, DataType::Object | DataType::Array) {
        findings.deviate(
            &rules::PROPERTIES,
            topic,
            format!("{path}: no time_series on a {data_type} param"),
            "time_series",
        );
    }
    if param.valid_strs.is_some() && param.data_type != DataType::String {
        findings.deviate(
            &rules::BOUNDS,
            topic,
            format!("{path}: valid_strs only on a string param"),
            format!("valid_strs on a {data_type} param"),
        );
    }
    let Some(bounds) = &param.bounds else {
        return;
    };
    let number = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let (min, max, step) = (
        number(&bounds.min),
        number(&bounds.max),
        number(&bounds.step),
    );
    let got = serde_json::to_string(bounds).unwrap_or_default();
    match param.data_type {
        DataType::Int | DataType::Float => {
            let range = match (min, max) {
                (Some(min), Some(max)) => Some(max - min),
                _ => None,
            };
            let sound = range.is_some_and(|range| range >= 0.0)
                && step.is_none_or(|step| {
                    step > 0.0 && range.is_some_and(|range| step <= range || range == 0.0)
                });
            if !sound {
                findings.deviate(
                    &rules::BOUNDS,
                    topic,
                    format!("{path}: min <= max, and a positive step no larger than max - min"),
                    got,
                );
            }
        }
        DataType::Array => {
            if min.is_some() || step.is_some() || max.is_none_or(|max| max < 0.0) {
                findings.deviate(
                    &rules::BOUNDS,
                    topic,
                    format!("{path}: {{\"max\":<count>}} on an array param"),
                    got,
                );
            }
        }
        _ => {
            findings.deviate(
                &rules::BOUNDS,
                topic,
                format!("{path}: no bounds on a {data_type} param"),
                got,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> NodeConfig {
        serde_json::from_str(json).expect("a config")
    }

    fn rules_broken(json: &str) -> Vec<&'static str> {
        let mut findings = Findings::default();
        check_config(&config(json), "node/N/config", &mut findings);
        findings
            .deviations()
            .iter()
            .map(|deviation| deviation.rule)
            .collect()
    }

    const HEAD: &str = r#"{"node_id":"N","config_version":"2020-03-20","info":{"name":"n","fw_version":"1.0","type":"t","model":"m","project_name":"p","platform":"esp32"},"attributes":[{"name":"cmd-resp","value":"1"}],"#;

    #[test]
    fn a_config_as_the_sdk_writes_it_keeps_every_rule() {
        let json = format!(
            r#"{HEAD}"devices":[{{"name":"Light","type":"esp.device.lightbulb","primary":"Power","params":[{{"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"],"ui_type":"esp.ui.toggle"}},{{"name":"Brightness","type":"esp.param.brightness","data_type":"int","properties":["read","write"],"bounds":{{"min":0,"max":100,"step":1}}}}]}}],"services":[{{"name":"Schedule","type":"esp.service.schedule","params":[{{"name":"Schedules","type":"esp.param.schedules","data_type":"array","properties":["read","write"],"bounds":{{"max":10}}}}]}}]}}"#
        );
        assert_eq!(rules_broken(&json), Vec::<&str>::new());
        let model = Model::new(&config(&json));
        assert!(model.cmd_resp);
        let brightness = model.param("Light", "Brightness").expect("declared");
        assert_eq!(brightness.range_error(&serde_json::json!(50)), None);
        assert!(brightness.range_error(&serde_json::json!(101)).is_some());
        assert!(brightness.type_error(&serde_json::json!(2.5)).is_some());
    }

    #[test]
    fn each_broken_config_rule_is_named() {
        let device = |params: &str, extra: &str| {
            format!(
                r#"{HEAD}"devices":[{{"name":"D","type":"esp.device.switch"{extra},"params":[{params}]}}],"services":[]}}"#
            )
        };
        let power = r#"{"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"]}"#;
        let cases = [
            (
                device(&format!("{power},{power}"), ""),
                "config.unique-names",
            ),
            (device(power, r#","primary":"Nope""#), "config.primary"),
            (
                device(
                    r#"{"name":"Power","type":"esp.param.power","data_type":"int","properties":["read"]}"#,
                    "",
                ),
                "config.standard-params",
            ),
            (
                device(
                    r#"{"name":"X","type":"esp.param.xyz","data_type":"int","properties":["read"]}"#,
                    "",
                ),
                "config.standard-types",
            ),
            (
                device(
                    r#"{"name":"L","data_type":"int","properties":["read"],"bounds":{"min":10,"max":0}}"#,
                    "",
                ),
                "config.bounds",
            ),
            (
                device(
                    r#"{"name":"L","data_type":"int","properties":["read"],"bounds":{"min":0,"max":10,"step":20}}"#,
                    "",
                ),
                "config.bounds",
            ),
            (
                device(
                    r#"{"name":"L","data_type":"float","properties":["read"],"bounds":{"min":0,"max":10,"step":0.5}}"#,
                    "",
                ),
                "",
            ),
            (
                device(
                    r#"{"name":"S","data_type":"bool","properties":["read"],"valid_strs":["a"]}"#,
                    "",
                ),
                "config.bounds",
            ),
            (
                device(
                    r#"{"name":"T","data_type":"float","properties":["read","time_series","simple_ts"]}"#,
                    "",
                ),
                "config.properties",
            ),
        ];
        for (json, rule) in cases {
            let expected: Vec<&str> = if rule.is_empty() { vec![] } else { vec![rule] };
            assert_eq!(rules_broken(&json), expected, "{json}");
        }
        let services = format!(
            r#"{HEAD}"devices":[],"services":[{{"name":"Schedule","type":"esp.service.schedule","params":[{{"name":"List","data_type":"array","properties":["read","write"]}}]}}]}}"#
        );
        assert_eq!(rules_broken(&services), ["config.service-params"]);
    }
}
