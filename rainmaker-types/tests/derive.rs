//! `#[derive(Device)]`: node config entries equal to the C SDK's, remote writes
//! checked against the descriptor, write hooks, and a property test over random
//! write sequences.
#![cfg(feature = "derive")]

use proptest::prelude::*;
// The Light of docs/protocol.md, as `esp_rmaker_lightbulb_device_create` plus
// `esp_rmaker_brightness_param_create` build it.
use rainmaker_test_support::node::Light;
use rainmaker_types::device::{
    Bounds, DeviceDescriptor, Limit, ParamSpec, TimeSeries, WriteError, WriteRejection,
};
use rainmaker_types::messages::DataType;
use rainmaker_types::value::DeviceParams;
use rainmaker_types::{Device, ParamValue};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// `esp_rmaker_temp_sensor_device_create`: Name and a primary, read-only,
/// time-series Temperature.
#[derive(Device)]
#[device(name = "Temperature Sensor", kind = "esp.device.temperature-sensor")]
struct TemperatureSensor {
    #[param(standard = Name)]
    name: String,
    #[param(standard = Temperature, primary)]
    temperature: f32,
}

/// The params of the thermostat below, in declaration order.
const THERMOSTAT_PARAMS: [&str; 10] = [
    "Power",
    "Setpoint",
    "Level",
    "Mode",
    "Temperature",
    "RuntimeHours",
    "Code",
    "Schedules",
    "Calibration",
    "Raw",
];

#[test]
fn light_config_matches_the_sdk() {
    let light = Light {
        name: "Light".into(),
        power: true,
        brightness: 25,
    };
    let expected = json!({"name":"Light","type":"esp.device.lightbulb","primary":"Power","params":[
        {"name":"Name","type":"esp.param.name","data_type":"string","properties":["read","write"]},
        {"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"],"ui_type":"esp.ui.toggle"},
        {"name":"Brightness","type":"esp.param.brightness","data_type":"int","properties":["read","write"],
         "bounds":{"min":0,"max":100,"step":1},"ui_type":"esp.ui.slider"}]});
    assert_eq!(light.config_json(), expected);
    assert_eq!(light.descriptor().config_json(), expected);
}

#[test]
fn temperature_sensor_config_matches_the_sdk() {
    let sensor = TemperatureSensor {
        name: "Temperature Sensor".into(),
        temperature: 25.5,
    };
    let expected = json!({"name":"Temperature Sensor","type":"esp.device.temperature-sensor",
        "primary":"Temperature","params":[
        {"name":"Name","type":"esp.param.name","data_type":"string","properties":["read","write"]},
        {"name":"Temperature","type":"esp.param.temperature","data_type":"float",
         "properties":["read","time_series"],"ui_type":"esp.ui.text"}]});
    assert_eq!(sensor.config_json(), expected);
}

/// One schedule entry of the array param below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    at: u16,
    on: bool,
}

/// The object param below.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
struct Calibration {
    offset: f64,
    label: String,
}

/// A device exercising every data type, bounds kind, property and hook.
#[derive(Debug, Clone, Device)]
#[device(
    name = "Thermostat",
    r#type = "esp.device.thermostat",
    subtype = "wall",
    model = "T-1",
    attributes("serial" = "42", "hw" = "rev-b")
)]
struct Thermostat {
    #[param(standard = Power, primary)]
    power: bool,
    #[param(
        name = "Setpoint",
        ui = "esp.ui.slider",
        bounds(min = 10, max = 30.5, step = 0.5)
    )]
    setpoint: f32,
    #[param(name = "Level", bounds(min = -10, max = 10, step = 2), on_write = Self::on_level)]
    level: i8,
    #[param(
        r#type = "esp.param.mode",
        ui = "esp.ui.dropdown",
        valid_strs("Auto", "Cool", "Heat")
    )]
    mode: String,
    #[param(standard = Temperature, simple_ts)]
    temperature: f32,
    #[param(read_only, time_series)]
    runtime_hours: u16,
    #[param(write_only)]
    code: u8,
    #[param(name = "Schedules", bounds(max = 2), simple_ts)]
    schedules: Vec<Entry>,
    #[param(on_write = Self::on_calibration)]
    calibration: Calibration,
    #[param(name = "Raw", data_type = "array")]
    raw: serde_json::Value,
    #[param(skip)]
    hook_calls: u32,
}

impl Thermostat {
    fn new() -> Self {
        Self {
            power: false,
            setpoint: 20.0,
            level: 0,
            mode: "Auto".into(),
            temperature: 21.5,
            runtime_hours: 7,
            code: 0,
            schedules: Vec::new(),
            calibration: Calibration::default(),
            raw: json!([]),
            hook_calls: 0,
        }
    }

    /// Vetoes level 8 (say the hardware cannot do it); counts every call.
    fn on_level(&mut self, new: &i8) -> Result<(), String> {
        self.hook_calls += 1;
        if *new == 8 {
            Err(format!(
                "level {new} is not supported (current {})",
                self.level
            ))
        } else {
            Ok(())
        }
    }

    fn on_calibration(&mut self, new: &Calibration) -> Result<(), String> {
        self.hook_calls += 1;
        if new.label.is_empty() {
            Err("calibration needs a label".into())
        } else {
            Ok(())
        }
    }
}

#[test]
fn every_descriptor_field_reaches_the_config() {
    let expected = json!({
        "name":"Thermostat","type":"esp.device.thermostat","subtype":"wall","model":"T-1",
        "attributes":[{"name":"serial","value":"42"},{"name":"hw","value":"rev-b"}],
        "primary":"Power",
        "params":[
            {"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"],"ui_type":"esp.ui.toggle"},
            {"name":"Setpoint","data_type":"float","properties":["read","write"],
             "bounds":{"min":10.0,"max":30.5,"step":0.5},"ui_type":"esp.ui.slider"},
            {"name":"Level","data_type":"int","properties":["read","write"],"bounds":{"min":-10,"max":10,"step":2}},
            {"name":"Mode","type":"esp.param.mode","data_type":"string","properties":["read","write"],
             "valid_strs":["Auto","Cool","Heat"],"ui_type":"esp.ui.dropdown"},
            {"name":"Temperature","type":"esp.param.temperature","data_type":"float","properties":["read","simple_ts"],"ui_type":"esp.ui.text"},
            {"name":"RuntimeHours","data_type":"int","properties":["read","time_series"]},
            {"name":"Code","data_type":"int","properties":["write"]},
            {"name":"Schedules","data_type":"array","properties":["read","write","simple_ts"],"bounds":{"max":2}},
            {"name":"Calibration","data_type":"object","properties":["read","write"]},
            {"name":"Raw","data_type":"array","properties":["read","write"]}
        ]
    });
    let config = Thermostat::new().config_json();
    assert_eq!(config, expected);
    // Float bounds are floats even when written as integer literals.
    assert!(config["params"][1]["bounds"]["min"].is_f64());
    assert!(config["params"][2]["bounds"]["min"].is_i64());

    let descriptor = *Thermostat::new().descriptor();
    let (index, setpoint) = descriptor.param("Setpoint").expect("Setpoint");
    assert_eq!(index, 1);
    assert_eq!(setpoint.data_type, DataType::Float);
    assert_eq!(
        setpoint.bounds,
        Some(Bounds::Float {
            min: 10.0,
            max: 30.5,
            step: Some(0.5)
        })
    );
    assert_eq!(
        descriptor.params[4].properties.time_series,
        TimeSeries::Simple
    );
}

#[test]
fn params_report_every_value_in_descriptor_order() {
    let params = Thermostat::new().params();
    let names: Vec<&str> = params.iter().map(|(name, _)| name).collect();
    assert_eq!(names, THERMOSTAT_PARAMS);
    assert_eq!(
        serde_json::to_value(&params).expect("serializes"),
        json!({"Power":false,"Setpoint":20.0,"Level":0,"Mode":"Auto","Temperature":21.5,
               "RuntimeHours":7,"Code":0,"Schedules":[],"Calibration":{"offset":0.0,"label":""},"Raw":[]})
    );
}

#[test]
fn delta_holds_only_changed_params() {
    let mut device = Thermostat::new();
    let reported = device.params();
    assert!(device.delta(&reported).is_empty());
    device.temperature = 22.0;
    device.power = true;
    let delta = device.delta(&reported);
    assert_eq!(
        serde_json::to_value(&delta).expect("serializes"),
        json!({"Power":true,"Temperature":22.0})
    );
    // A param missing from the last report counts as changed.
    assert_eq!(device.delta(&DeviceParams::new()).len(), 10);
}

fn write(pairs: &[(&str, ParamValue)]) -> DeviceParams {
    pairs.iter().cloned().collect()
}

/// Applies a one-value write that must be refused, checks the error and that the
/// device did not change.
fn assert_refused(device: &mut Thermostat, param: &str, value: ParamValue, reason: WriteRejection) {
    let before = device.params();
    let outcome = device.apply(&write(&[(param, value)]));
    assert!(outcome.accepted.is_empty(), "{param}: {outcome:?}");
    assert_eq!(
        outcome.errors,
        [WriteError {
            device: "Thermostat".into(),
            param: param.into(),
            reason
        }]
    );
    assert_eq!(device.params(), before, "{param} changed state");
}

#[test]
fn valid_writes_update_the_struct_and_are_reported() {
    let mut device = Thermostat::new();
    let outcome = device.apply(&write(&[
        ("Power", ParamValue::Bool(true)),
        ("Setpoint", ParamValue::Int(25)),
        ("Level", ParamValue::Int(-4)),
        ("Mode", "Heat".into()),
        ("Code", ParamValue::Int(255)),
        (
            "Schedules",
            ParamValue::from(json!([{"at": 420, "on": true}])),
        ),
        (
            "Calibration",
            ParamValue::from(json!({"offset": -1.5, "label": "lab"})),
        ),
        ("Raw", ParamValue::from(json!([1, "x"]))),
    ]));
    assert!(outcome.is_ok(), "{:?}", outcome.errors);
    assert!(device.power);
    assert_eq!(device.setpoint, 25.0);
    assert_eq!(device.level, -4);
    assert_eq!(device.mode, "Heat");
    assert_eq!(device.code, 255);
    assert_eq!(device.schedules, [Entry { at: 420, on: true }]);
    assert_eq!(device.calibration.label, "lab");
    assert_eq!(device.raw, json!([1, "x"]));
    assert_eq!(device.hook_calls, 2);
    // The delta reports the stored values (an int sent for a float param is a float).
    assert_eq!(
        serde_json::to_value(&outcome.accepted).expect("serializes"),
        json!({"Power":true,"Setpoint":25.0,"Level":-4,"Mode":"Heat","Code":255,
               "Schedules":[{"at":420,"on":true}],"Calibration":{"offset":-1.5,"label":"lab"},
               "Raw":[1,"x"]})
    );
}

#[test]
fn each_rejection_names_device_param_and_reason_and_changes_nothing() {
    let mut device = Thermostat::new();
    assert_refused(
        &mut device,
        "Fan",
        ParamValue::Bool(true),
        WriteRejection::UnknownParam,
    );
    assert_refused(
        &mut device,
        "Temperature",
        ParamValue::Float(30.0),
        WriteRejection::ReadOnly,
    );
    assert_refused(
        &mut device,
        "RuntimeHours",
        ParamValue::Int(1),
        WriteRejection::ReadOnly,
    );
    assert_refused(
        &mut device,
        "Power",
        ParamValue::Int(2),
        WriteRejection::WrongType {
            expected: DataType::Bool,
            found: "int",
        },
    );
    assert_refused(
        &mut device,
        "Level",
        ParamValue::Float(2.0),
        WriteRejection::WrongType {
            expected: DataType::Int,
            found: "float",
        },
    );
    assert_refused(
        &mut device,
        "Calibration",
        ParamValue::from(json!([])),
        WriteRejection::WrongType {
            expected: DataType::Object,
            found: "array",
        },
    );
    assert_refused(
        &mut device,
        "Level",
        ParamValue::Int(-12),
        WriteRejection::BelowMin {
            min: Limit::Int(-10),
        },
    );
    assert_refused(
        &mut device,
        "Level",
        ParamValue::Int(12),
        WriteRejection::AboveMax {
            max: Limit::Int(10),
        },
    );
    assert_refused(
        &mut device,
        "Level",
        ParamValue::Int(3),
        WriteRejection::OffStep {
            min: Limit::Int(-10),
            step: Limit::Int(2),
        },
    );
    assert_refused(
        &mut device,
        "Setpoint",
        ParamValue::Float(9.5),
        WriteRejection::BelowMin {
            min: Limit::Float(10.0),
        },
    );
    assert_refused(
        &mut device,
        "Setpoint",
        ParamValue::Float(31.0),
        WriteRejection::AboveMax {
            max: Limit::Float(30.5),
        },
    );
    assert_refused(
        &mut device,
        "Setpoint",
        ParamValue::Float(20.25),
        WriteRejection::OffStep {
            min: Limit::Float(10.0),
            step: Limit::Float(0.5),
        },
    );
    assert_refused(
        &mut device,
        "Setpoint",
        ParamValue::Float(f64::NAN),
        WriteRejection::NotFinite,
    );
    assert_refused(
        &mut device,
        "Mode",
        "Dry".into(),
        WriteRejection::NotAValidString {
            valid: &["Auto", "Cool", "Heat"],
        },
    );
    // No bounds, but the field is a u8.
    assert_refused(
        &mut device,
        "Code",
        ParamValue::Int(256),
        WriteRejection::AboveMax {
            max: Limit::Int(255),
        },
    );
    assert_refused(
        &mut device,
        "Code",
        ParamValue::Int(-1),
        WriteRejection::BelowMin { min: Limit::Int(0) },
    );
    let three = vec![json!({"at": 1, "on": true}); 3];
    assert_refused(
        &mut device,
        "Schedules",
        ParamValue::from(serde_json::Value::Array(three)),
        WriteRejection::TooManyItems { max: 2, found: 3 },
    );
    let before = device.params();
    let outcome = device.apply(&write(&[(
        "Schedules",
        ParamValue::from(json!([{"at": "noon"}])),
    )]));
    assert!(
        matches!(outcome.errors[0].reason, WriteRejection::Malformed(_)),
        "{outcome:?}"
    );
    assert_eq!(device.params(), before);
    assert_eq!(
        device.hook_calls, 0,
        "hooks run only for values that passed every check"
    );
}

#[test]
fn hooks_can_veto() {
    let mut device = Thermostat::new();
    assert_refused(
        &mut device,
        "Level",
        ParamValue::Int(8),
        WriteRejection::Vetoed("level 8 is not supported (current 0)".into()),
    );
    assert_refused(
        &mut device,
        "Calibration",
        ParamValue::from(json!({"offset": 1.0, "label": ""})),
        WriteRejection::Vetoed("calibration needs a label".into()),
    );
    assert_eq!(device.hook_calls, 2);
    let outcome = device.apply(&write(&[("Level", ParamValue::Int(6))]));
    assert!(outcome.is_ok());
    assert_eq!(device.level, 6);
    assert_eq!(device.hook_calls, 3);
}

#[test]
fn a_mixed_write_keeps_the_good_values() {
    let mut device = Thermostat::new();
    let outcome = device.apply(&write(&[
        ("Power", ParamValue::Bool(true)),
        ("Level", ParamValue::Int(99)),
        ("Mode", "Cool".into()),
        ("Nope", ParamValue::Int(1)),
    ]));
    let accepted: Vec<&str> = outcome.accepted.iter().map(|(name, _)| name).collect();
    assert_eq!(accepted, ["Power", "Mode"]);
    let refused: Vec<&str> = outcome
        .errors
        .iter()
        .map(|error| error.param.as_str())
        .collect();
    assert_eq!(refused, ["Level", "Nope"]);
    assert_eq!(
        outcome.errors[0].to_string(),
        "cannot write Thermostat.Level: above the maximum 10"
    );
    assert_eq!(device.level, 0);
    assert!(device.power);
}

#[test]
fn devices_are_object_safe() {
    let mut devices: Vec<Box<dyn Device>> = vec![
        Box::new(Light {
            name: "Light".into(),
            power: false,
            brightness: 5,
        }),
        Box::new(TemperatureSensor {
            name: "T".into(),
            temperature: 1.0,
        }),
        Box::new(Thermostat::new()),
    ];
    let names: Vec<&str> = devices.iter().map(|device| device.name()).collect();
    assert_eq!(names, ["Light", "Temperature Sensor", "Thermostat"]);
    let outcome = devices[0].apply(&write(&[("Brightness", ParamValue::Int(70))]));
    assert!(outcome.is_ok());
    assert_eq!(
        devices[0].params().get("Brightness"),
        Some(&ParamValue::Int(70))
    );

    // Boxes are devices too, and forward overridden methods.
    fn name_of<D: Device>(device: &D) -> String {
        device.name().to_owned()
    }
    let named: Box<dyn Device> = Box::new(NamedLight {
        id: "Porch".into(),
        power: true,
    });
    assert_eq!(name_of(&named), "Porch");
    assert_eq!(named.config_json()["name"], "Porch");
}

/// A device whose params are only known at run time implements the trait by hand.
struct Dynamic {
    descriptor: &'static DeviceDescriptor,
    values: Vec<ParamValue>,
}

impl Device for Dynamic {
    fn descriptor(&self) -> &DeviceDescriptor {
        self.descriptor
    }
    fn param_value(&self, index: usize) -> Option<ParamValue> {
        self.values.get(index).cloned()
    }
    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection> {
        let slot = self
            .values
            .get_mut(index)
            .ok_or(WriteRejection::UnknownParam)?;
        *slot = value.clone();
        Ok(())
    }
}

#[test]
fn run_time_devices_implement_the_trait_by_hand() {
    let params: Vec<ParamSpec> = (1..=2)
        .map(|n| {
            let name: &'static str = Box::leak(format!("Relay {n}").into_boxed_str());
            ParamSpec {
                ui_type: Some("esp.ui.toggle"),
                ..ParamSpec::new(name, DataType::Bool)
            }
        })
        .collect();
    let descriptor = Box::leak(Box::new(DeviceDescriptor {
        name: "Relays",
        device_type: Some("esp.device.switch"),
        subtype: None,
        model: None,
        attributes: &[],
        primary: Some("Relay 1"),
        params: params.leak(),
    }));
    let mut device = Dynamic {
        descriptor,
        values: vec![ParamValue::Bool(false); 2],
    };
    assert_eq!(device.config_json()["params"][1]["name"], "Relay 2");
    let outcome = device.apply(&write(&[
        ("Relay 2", ParamValue::Bool(true)),
        ("Relay 1", "on".into()),
    ]));
    assert_eq!(
        outcome.accepted.get("Relay 2"),
        Some(&ParamValue::Bool(true))
    );
    assert_eq!(outcome.errors.len(), 1);
    assert_eq!(
        device.values,
        [ParamValue::Bool(false), ParamValue::Bool(true)]
    );
}

fn any_value() -> impl Strategy<Value = ParamValue> {
    prop_oneof![
        any::<bool>().prop_map(ParamValue::Bool),
        (-300_i64..300).prop_map(ParamValue::Int),
        any::<i64>().prop_map(ParamValue::Int),
        (-50.0_f64..50.0).prop_map(ParamValue::Float),
        (0_i32..80).prop_map(|half| ParamValue::Float(f64::from(half) / 2.0)),
        prop::sample::select(vec!["Auto", "Cool", "Heat", "Dry", ""]).prop_map(ParamValue::from),
        (0_usize..4).prop_map(|n| ParamValue::from(serde_json::Value::Array(vec![
            json!({"at": 1, "on": false});
            n
        ]))),
        Just(ParamValue::from(json!({"offset": 2.5, "label": "x"}))),
    ]
}

fn any_write() -> impl Strategy<Value = DeviceParams> {
    let names: Vec<&str> = THERMOSTAT_PARAMS.into_iter().chain(["Unknown"]).collect();
    prop::collection::vec((prop::sample::select(names), any_value()), 0..6)
        .prop_map(|pairs| pairs.into_iter().collect())
}

proptest! {
    #[test]
    fn remote_writes_keep_the_device_within_its_declared_limits(
        writes in prop::collection::vec(any_write(), 1..20)
    ) {
        let mut device = Thermostat::new();
        for write in &writes {
            let before = device.params();
            let outcome = device.apply(write);
            prop_assert_eq!(outcome.accepted.len() + outcome.errors.len(), write.len());
            // Every current value passes its own param's checks.
            let descriptor = device.descriptor();
            for (spec, (name, value)) in descriptor.params.iter().zip(device.params().iter()) {
                prop_assert_eq!(spec.name, name);
                prop_assert!(spec.validate(value).is_ok(), "{} = {:?}", name, value);
            }
            prop_assert!((10.0..=30.5).contains(&device.setpoint));
            prop_assert!((-10..=10).contains(&device.level) && device.level % 2 == 0);
            prop_assert!(["Auto", "Cool", "Heat"].contains(&device.mode.as_str()));
            prop_assert!(device.schedules.len() <= 2);
            prop_assert_ne!(device.level, 8);
            // Refused params keep their value.
            let after = device.params();
            for error in &outcome.errors {
                prop_assert_eq!(before.get(&error.param), after.get(&error.param));
            }
        }
    }
}

/// `type` may be written without the `r#` prefix; names default to the field name.
#[derive(Device)]
#[device(type = "esp.device.switch", no_primary)]
struct Switch {
    #[param(type = "esp.param.power", ui_type = "esp.ui.toggle")]
    power: bool,
    #[param(skip)]
    _pin: u8,
}

#[test]
fn plain_type_keys_and_defaults() {
    let switch = Switch {
        power: true,
        _pin: 4,
    };
    assert_eq!(
        switch.config_json(),
        json!({"name":"Switch","type":"esp.device.switch","params":[
            {"name":"Power","type":"esp.param.power","data_type":"bool","properties":["read","write"],"ui_type":"esp.ui.toggle"}]})
    );
}

/// Two lights on one node: the instance name comes from a field.
#[derive(Device)]
#[device(r#type = "esp.device.lightbulb")]
struct NamedLight {
    #[device(instance_name)]
    id: String,
    #[param(standard = Power, primary)]
    power: bool,
}

#[test]
fn instance_names_come_from_a_field() {
    let mut kitchen = NamedLight {
        id: "Kitchen".into(),
        power: false,
    };
    let hall = NamedLight {
        id: "Hall".into(),
        power: false,
    };
    assert_eq!(kitchen.descriptor().name, "NamedLight");
    assert_eq!(kitchen.name(), "Kitchen");
    assert_eq!(hall.config_json()["name"], "Hall");
    let outcome = kitchen.apply(&write(&[("Brightness", ParamValue::Int(1))]));
    assert_eq!(outcome.errors[0].device, "Kitchen");
    assert_eq!(kitchen.params().len(), 1, "the name field is not a param");
}

#[test]
fn bools_accept_one_and_zero_like_the_sdk_parser() {
    let mut device = Thermostat::new();
    let outcome = device.apply(&write(&[("Power", ParamValue::Int(1))]));
    assert!(device.power);
    assert_eq!(outcome.accepted.get("Power"), Some(&ParamValue::Bool(true)));
    device.apply(&write(&[("Power", ParamValue::Int(0))]));
    assert!(!device.power);
    let spec = ParamSpec::new("P", DataType::Bool);
    assert_eq!(
        spec.normalize(&ParamValue::Int(1)).map(|v| v.into_owned()),
        Ok(ParamValue::Bool(true))
    );
    let float = ParamSpec::new("F", DataType::Float);
    assert_eq!(
        float.normalize(&ParamValue::Int(3)).map(|v| v.into_owned()),
        Ok(ParamValue::Float(3.0))
    );
}

/// A crate that re-exports `rainmaker_types` under another path.
mod facade {
    pub use rainmaker_types as rm;
}

#[derive(Device)]
#[device(crate = "facade::rm", no_primary)]
struct ThroughFacade {
    #[param(data_type = "int")]
    level: Percent,
}

/// A newtype scalar param: `ParamField` by hand, `data_type` on the field.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Percent(u8);

impl rainmaker_types::device::ParamField for Percent {
    const KIND: DataType = DataType::Int;

    fn to_param_value(&self) -> ParamValue {
        ParamValue::Int(i64::from(self.0))
    }

    fn from_param_value(value: &ParamValue) -> Result<Self, WriteRejection> {
        match value.as_i64() {
            Some(n @ 0..=100) => Ok(Self(n as u8)),
            _ => Err(WriteRejection::AboveMax {
                max: Limit::Int(100),
            }),
        }
    }
}

#[test]
fn crate_path_and_newtype_params() {
    let mut device = ThroughFacade { level: Percent(5) };
    assert_eq!(device.config_json()["params"][0]["data_type"], "int");
    assert!(
        device
            .apply(&write(&[("Level", ParamValue::Int(50))]))
            .is_ok()
    );
    assert_eq!(device.level, Percent(50));
    let outcome = device.apply(&write(&[("Level", ParamValue::Int(101))]));
    assert_eq!(
        outcome.errors[0].reason,
        WriteRejection::AboveMax {
            max: Limit::Int(100)
        }
    );
    assert_eq!(device.level, Percent(50));
}
