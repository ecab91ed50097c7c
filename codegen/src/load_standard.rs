//! Spec -> standard-type catalogue (`x-rainmaker-standard-types`).
//!
//! Each list (`ui-types`, `device-types`, `service-types`, `param-types` and
//! `other-param-types`) becomes an open enum, with variants named by rule 7 of
//! [`crate::naming`] (`esp.param.tz_posix` -> `TzPosix`, `esp.device.other` ->
//! `DeviceOther`).

use std::collections::HashMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::load::{description, required_str};
use crate::model::{
    Bounds, DeviceConstructor, Model, ParamDefaults, StandardService, StandardType, StandardTypes,
    TypeKind,
};
use crate::naming;
use crate::pointer::Pointer;
use crate::spec::Spec;

/// Reads the standard-type catalogue, if the spec has one. The data types and
/// properties of param defaults are checked against the `DataType` and
/// `ParamProperty` enums of `model`.
pub fn load(spec: &Spec, model: &Model) -> Result<Option<StandardTypes>> {
    let at = Pointer::root().join("x-rainmaker-standard-types");
    let Some(catalogue) = spec.get(&at) else {
        return Ok(None);
    };
    let data_types = closed_enum(model, "DataType", &at)?;
    let properties = closed_enum(model, "ParamProperty", &at)?;
    let ui_types = type_list(catalogue, &at, "ui-types")?;
    let device_types = type_list(catalogue, &at, "device-types")?;
    let service_types = type_list(catalogue, &at, "service-types")?;
    let mut param_types = type_list(catalogue, &at, "param-types")?;
    let others = type_list(catalogue, &at, "other-param-types")?;
    param_types.extend(others);
    // Name the param types from the joint list, so both parts share one prefix.
    name_variants(&mut param_types)?;

    let mut standard = StandardTypes {
        at: at.clone(),
        description: description(catalogue),
        data_type_enum: "DataType".to_owned(),
        property_enum: "ParamProperty".to_owned(),
        ..StandardTypes::default()
    };
    let mut ui = Vec::new();
    for (entry, entry_at, mut ty) in ui_types {
        ty.description = description(entry);
        let _ = entry_at;
        ui.push(ty);
    }
    let ui_variant = |wire: &str, at: &Pointer| -> Result<String> {
        ui.iter()
            .find(|ty| ty.wire == wire)
            .map(|ty| ty.rust.clone())
            .ok_or_else(|| Error::invalid(at, format!("`{wire}` is not a listed UI type")))
    };
    for (entry, entry_at, mut ty) in param_types {
        ty.description = description(entry);
        ty.default_name = entry
            .get("default-name")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if entry.get("data-type").is_some() {
            let data_type = required_str(entry, &entry_at, "data-type")?;
            let data_type = data_types.get(data_type).cloned().ok_or_else(|| {
                Error::invalid(
                    &entry_at.join("data-type"),
                    format!("`{data_type}` is not a value of DataType"),
                )
            })?;
            let mut props = Vec::new();
            if let Some(list) = entry.get("properties").and_then(Value::as_array) {
                for (index, property) in list.iter().enumerate() {
                    let property_at = entry_at.join("properties").join(index);
                    let wire = property.as_str().unwrap_or_default();
                    let rust = properties.get(wire).cloned().ok_or_else(|| {
                        Error::invalid(&property_at, format!("`{wire}` is not a ParamProperty"))
                    })?;
                    props.push(rust);
                }
            }
            let ui_type = match entry.get("ui-type").and_then(Value::as_str) {
                Some(wire) => Some(ui_variant(wire, &entry_at.join("ui-type"))?),
                None => None,
            };
            let bounds = entry.get("bounds").map(|bounds| Bounds {
                min: bounds.get("min").and_then(Value::as_f64),
                max: bounds.get("max").and_then(Value::as_f64),
                step: bounds.get("step").and_then(Value::as_f64),
            });
            ty.defaults = Some(ParamDefaults {
                data_type,
                properties: props,
                persist: entry
                    .get("persist")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                ui_type,
                bounds,
            });
        }
        standard.param_types.push(ty);
    }
    standard.ui_types = ui;
    for (entry, _, mut ty) in device_types {
        ty.description = description(entry);
        if let Some(constructor) = entry.get("constructor") {
            ty.constructor = Some(DeviceConstructor {
                params: strings(constructor.get("params")),
                primary: constructor
                    .get("primary")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
        }
        standard.device_types.push(ty);
    }
    for (entry, _, mut ty) in service_types {
        ty.description = description(entry);
        standard.service_types.push(ty);
    }
    let services_at = at.join("services");
    if let Some(services) = catalogue.get("services").and_then(Value::as_array) {
        for (index, service) in services.iter().enumerate() {
            let service_at = services_at.join(index);
            let wire = required_str(service, &service_at, "type")?;
            let service_type = standard
                .service_types
                .iter()
                .find(|ty| ty.wire == wire)
                .map(|ty| ty.rust.clone())
                .ok_or_else(|| {
                    Error::invalid(
                        &service_at.join("type"),
                        format!("`{wire}` is not a listed service type"),
                    )
                })?;
            let attributes = service
                .get("attributes")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|attribute| {
                            Some((
                                attribute.get("name")?.as_str()?.to_owned(),
                                attribute.get("value")?.as_str()?.to_owned(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            standard.services.push(StandardService {
                name: required_str(service, &service_at, "name")?.to_owned(),
                service_type,
                params: strings(service.get("params")),
                attributes,
                description: description(service),
            });
        }
    }
    Ok(Some(standard))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Wire value -> Rust variant of the closed enum `name` of the messages module.
fn closed_enum(model: &Model, name: &str, at: &Pointer) -> Result<HashMap<String, String>> {
    let def = model
        .types
        .iter()
        .find(|def| def.name == name)
        .ok_or_else(|| {
            Error::invalid(
                at,
                format!("the standard types need a `components/schemas/{name}` enum"),
            )
        })?;
    match &def.kind {
        TypeKind::Enum { variants } => Ok(variants
            .iter()
            .map(|variant| (variant.wire.clone(), variant.rust.clone()))
            .collect()),
        _ => Err(Error::unsupported(
            &def.at,
            format!("`{name}` must be a closed `enum`"),
        )),
    }
}

/// The entries of one list, with their pointers and named types.
fn type_list<'a>(
    catalogue: &'a Value,
    at: &Pointer,
    key: &str,
) -> Result<Vec<(&'a Value, Pointer, StandardType)>> {
    let list_at = at.join(key);
    let Some(list) = catalogue.get(key) else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| Error::invalid(&list_at, "must be a list"))?;
    let mut entries = Vec::new();
    for (index, entry) in list.iter().enumerate() {
        let entry_at = list_at.join(index);
        let wire = required_str(entry, &entry_at, "type")?.to_owned();
        entries.push((
            entry,
            entry_at,
            StandardType {
                wire,
                rust: String::new(),
                description: None,
                default_name: None,
                defaults: None,
                constructor: None,
            },
        ));
    }
    name_variants(&mut entries)?;
    Ok(entries)
}

/// Names the variants of one open enum (rule 7 of [`naming`]); a collision names
/// both entries.
fn name_variants(entries: &mut [(&Value, Pointer, StandardType)]) -> Result<()> {
    let prefix = naming::common_dotted_prefix(entries.iter().map(|(_, _, ty)| ty.wire.as_str()));
    let mut seen: HashMap<String, Pointer> = HashMap::new();
    for (_, entry_at, ty) in entries.iter_mut() {
        let rust = naming::enum_variant(&ty.wire, &prefix, true).ok_or_else(|| {
            Error::invalid(entry_at, format!("`{}` gives no usable Rust name", ty.wire))
        })?;
        if let Some(first) = seen.insert(rust.clone(), entry_at.clone()) {
            return Err(Error::Collision {
                name: rust,
                first,
                second: entry_at.clone(),
            });
        }
        ty.rust = rust;
    }
    Ok(())
}
