//! The demo node's devices, declared with `#[derive(Device)]` as a firmware
//! author would: a dimmable lightbulb and a temperature sensor.

use rainmaker_types::Device;

/// A lightbulb as the SDK's `esp_rmaker_lightbulb_device_create` plus a
/// brightness param builds it.
#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Light", r#type = "esp.device.lightbulb")]
pub struct Light {
    /// The name shown in the phone app.
    #[param(standard = Name)]
    pub name: String,
    /// On or off.
    #[param(standard = Power, primary)]
    pub power: bool,
    /// 0 to 100 %.
    #[param(standard = Brightness)]
    pub brightness: i32,
}

impl Default for Light {
    fn default() -> Self {
        Self {
            name: "Light".into(),
            power: false,
            brightness: 25,
        }
    }
}

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
