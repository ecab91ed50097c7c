//! The standard-type catalogue (`x-rainmaker-standard-types`).
//!
//! Each list (`ui-types`, `device-types`, `service-types`, `param-types` and
//! `other-param-types`) becomes an open enum, with variants named by rule 7 of
//! [`crate::naming`] (`esp.param.tz_posix` -> `TzPosix`, `esp.device.other` ->
//! `DeviceOther`). Param defaults name values of the `DataType` and `ParamProperty`
//! enums of the messages module.

use std::collections::HashMap;

use serde_json::Value;

use super::{Reader, description};
use crate::model::{
    Bounds, DeviceConstructor, ParamDefaults, StandardService, StandardType, StandardTypes,
    TypeKind,
};
use crate::naming;
use crate::source::Location;

impl Reader<'_> {
    pub(super) fn standard_types(&mut self) {
        let at = Location::root().join("x-rainmaker-standard-types");
        let Some(catalogue) = self.sources.get(&at) else {
            for used in std::mem::take(&mut self.standard_type_uses) {
                self.problems.error(
                    &used,
                    "names a list of the standard-type catalogue, but the document has no \
                     `x-rainmaker-standard-types`",
                );
            }
            return;
        };
        let data_types = self.closed_enum_variants("DataType", &at);
        let properties = self.closed_enum_variants("ParamProperty", &at);
        let ui_types = self.type_list(catalogue, &at, &["ui-types"]);
        let device_types = self.type_list(catalogue, &at, &["device-types"]);
        let service_types = self.type_list(catalogue, &at, &["service-types"]);
        // One joint list, so both parts share one prefix.
        let param_types = self.type_list(catalogue, &at, &["param-types", "other-param-types"]);

        let mut standard = StandardTypes {
            at: Some(at.clone()),
            description: description(catalogue),
            data_type_enum: "DataType".to_owned(),
            property_enum: "ParamProperty".to_owned(),
            ..StandardTypes::default()
        };
        standard.ui_types = ui_types.into_iter().map(|(_, _, _, ty)| ty).collect();
        // A param type without its default name makes every name that refers to it
        // look wrong: then only that one problem is reported.
        let mut unnamed = false;
        for (list, entry, entry_at, mut ty) in param_types {
            ty.default_name = entry
                .get("default-name")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if list == "param-types" && ty.default_name.is_none() {
                unnamed = true;
                self.problems.error(
                    &entry_at.join("default-name"),
                    "a param type needs a `default-name` (types without one are \
                     `other-param-types`)",
                );
            }
            if entry.get("data-type").is_some() {
                ty.defaults =
                    self.param_defaults(entry, &entry_at, &data_types, &properties, &standard);
            }
            standard.param_types.push(ty);
        }
        for (_, entry, entry_at, mut ty) in device_types {
            if let Some(constructor) = entry.get("constructor") {
                let names = strings(constructor.get("params"));
                if !unnamed {
                    let names_at = entry_at.join("constructor").join("params");
                    self.default_names(&standard, &names, &names_at);
                }
                ty.constructor = Some(DeviceConstructor {
                    params: names,
                    primary: constructor
                        .get("primary")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
            }
            standard.device_types.push(ty);
        }
        standard.service_types = service_types.into_iter().map(|(_, _, _, ty)| ty).collect();
        let services_at = at.join("services");
        for (index, service) in catalogue
            .get("services")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let service_at = services_at.join(index);
            let wire = service.get("type").and_then(Value::as_str);
            let service_type = standard
                .service_types
                .iter()
                .find(|ty| Some(ty.wire.as_str()) == wire)
                .map(|ty| ty.rust.clone());
            let (Some(service_type), Some(name)) =
                (service_type, service.get("name").and_then(Value::as_str))
            else {
                self.problems.error(
                    &service_at,
                    "a service needs a `name` and a `type` that is one of `service-types`",
                );
                continue;
            };
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
            let params = strings(service.get("params"));
            if !unnamed {
                self.default_names(&standard, &params, &service_at.join("params"));
            }
            standard.services.push(StandardService {
                name: name.to_owned(),
                service_type,
                params,
                attributes,
                description: description(service),
            });
        }
        self.model.standard_types = Some(standard);
    }

    /// The defaults of a param type entry: its data type, properties, UI type and
    /// bounds; `None` (with each problem reported) when one is not usable.
    fn param_defaults(
        &mut self,
        entry: &Value,
        entry_at: &Location,
        data_types: &HashMap<String, String>,
        properties: &HashMap<String, String>,
        standard: &StandardTypes,
    ) -> Option<ParamDefaults> {
        let data_type = entry
            .get("data-type")
            .and_then(Value::as_str)
            .and_then(|wire| data_types.get(wire))
            .cloned();
        if data_type.is_none() {
            self.problems.error(
                &entry_at.join("data-type"),
                "`data-type` must be a value of DataType",
            );
        }
        let props: Option<Vec<String>> = entry
            .get("properties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|property| {
                property
                    .as_str()
                    .and_then(|wire| properties.get(wire))
                    .cloned()
            })
            .collect();
        if props.is_none() {
            self.problems.error(
                &entry_at.join("properties"),
                "`properties` must list values of ParamProperty",
            );
        }
        let ui_type = entry.get("ui-type").map(|wire| {
            let found = standard
                .ui_types
                .iter()
                .find(|ui| Some(ui.wire.as_str()) == wire.as_str())
                .map(|ui| ui.rust.clone());
            if found.is_none() {
                self.problems.error(
                    &entry_at.join("ui-type"),
                    "`ui-type` must be one of `ui-types`",
                );
            }
            found
        });
        let bounds = entry.get("bounds").map(|bounds| Bounds {
            min: bounds.get("min").and_then(Value::as_f64),
            max: bounds.get("max").and_then(Value::as_f64),
            step: bounds.get("step").and_then(Value::as_f64),
        });
        Some(ParamDefaults {
            data_type: data_type?,
            properties: props?,
            persist: entry
                .get("persist")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            ui_type: ui_type.flatten(),
            bounds,
        })
    }

    /// Reports each of `names` (at `at`, by index) that is not the default name of a
    /// param type of `standard`.
    fn default_names(&mut self, standard: &StandardTypes, names: &[String], at: &Location) {
        for (index, name) in names.iter().enumerate() {
            let known = standard
                .param_types
                .iter()
                .any(|ty| ty.default_name.as_deref() == Some(name.as_str()));
            if !known {
                self.problems.error(
                    &at.join(index),
                    format!("\"{name}\" is not the default name of a param type"),
                );
            }
        }
    }

    /// Wire value -> Rust variant of the closed string enum `name` of the messages
    /// module.
    fn closed_enum_variants(&mut self, name: &str, at: &Location) -> HashMap<String, String> {
        let variants = self.model.type_def(name).and_then(|def| match &def.kind {
            TypeKind::Enum { variants } => Some(variants),
            _ => None,
        });
        let Some(variants) = variants else {
            self.problems.error(
                at,
                format!("the standard types need a `components/schemas/{name}` string enum"),
            );
            return HashMap::new();
        };
        variants
            .iter()
            .filter_map(|variant| Some((variant.wire_str()?.to_owned(), variant.rust.clone())))
            .collect()
    }

    /// The entries of the lists `keys` of the catalogue, as one open enum: each with
    /// the key of its list, its location and its named type.
    fn type_list<'v>(
        &mut self,
        catalogue: &'v Value,
        at: &Location,
        keys: &[&'static str],
    ) -> Vec<(&'static str, &'v Value, Location, StandardType)> {
        let mut entries = Vec::new();
        for key in keys {
            let list_at = at.join(key);
            let Some(list) = catalogue.get(*key) else {
                continue;
            };
            let Some(list) = list.as_array() else {
                self.problems.error(&list_at, "must be a list");
                continue;
            };
            for (index, entry) in list.iter().enumerate() {
                let entry_at = list_at.join(index);
                let Some(wire) = entry.get("type").and_then(Value::as_str) else {
                    self.problems
                        .error(&entry_at.join("type"), "an entry needs a `type`");
                    continue;
                };
                entries.push((
                    *key,
                    entry,
                    entry_at,
                    StandardType {
                        wire: wire.to_owned(),
                        rust: String::new(),
                        description: description(entry),
                        default_name: None,
                        defaults: None,
                        constructor: None,
                    },
                ));
            }
        }
        let prefix =
            naming::common_dotted_prefix(entries.iter().map(|(_, _, _, ty)| ty.wire.as_str()));
        let mut names = super::names::Names::with_reserved(&["Other"]);
        for (_, _, entry_at, ty) in &mut entries {
            let preferred = naming::enum_variant(&ty.wire, &prefix, true)
                .unwrap_or_else(|| "Unnamed".to_owned());
            let claimed = names.claim(&preferred, entry_at);
            if let Some(note) = claimed.note(&preferred) {
                self.problems.error(entry_at, note);
            }
            ty.rust = claimed.name;
        }
        entries
    }
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
