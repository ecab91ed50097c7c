//! The demo node's devices, declared with `#[derive(Device)]` as a firmware
//! author would: the SDK example's dimmable lightbulb (shared with the firmware
//! and the tests) and a temperature sensor.

use rainmaker_types::Device;

pub use rainmaker_example_devices::Light;

/// A temperature sensor: a read-only, time-series temperature.
#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Temperature Sensor", r#type = "esp.device.temperature-sensor")]
pub struct TemperatureSensor {
    /// The name shown in the phone app.
    #[param(standard = Name)]
    pub name: String,
    /// Degrees Celsius.
    #[param(standard = Temperature, primary)]
    pub temperature: f32,
}

impl Default for TemperatureSensor {
    fn default() -> Self {
        Self {
            name: "Temperature Sensor".into(),
            temperature: 21.5,
        }
    }
}
