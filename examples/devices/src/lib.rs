//! The devices of the ESP RainMaker SDK's examples, declared with
//! `#[derive(Device)]` once for the demo node, the bare-metal firmware and the
//! tests, with the `led_light` example's node info. `no_std`: the firmware builds it for RISC-V.

#![no_std]

extern crate alloc;

use alloc::string::String;

use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform, OtaJobStatus};
use rainmaker_types::node::{Node, NodeError, Output};
use rainmaker_types::{Device, NodeId};

/// The node info of the SDK's `led_light` example.
pub fn led_light_info() -> NodeInfo {
    // Name, firmware version, type, model, project name, platform.
    NodeInfo::new(
        "ESP RainMaker Device",
        "1.0",
        "Lightbulb",
        "led_light",
        "led_light",
        NodeInfoPlatform::Esp32c3,
    )
}

/// The `led_light` node as the networked examples run it: one [`Light`] with its
/// defaults, OTA over topics.
///
/// # Errors
///
/// None in practice: the node has one device.
pub fn led_light_node(node_id: NodeId) -> Result<Node, NodeError> {
    let mut node = Node::new(node_id, led_light_info()).with_ota_over_topics();
    node.add_device(Light::default())?;
    Ok(node)
}

/// Answers an OTA offer with `failed`, for the examples, which download no
/// firmware (every offer gets a status, as on an SDK node).
///
/// # Errors
///
/// [`NodeError::NoOtaJob`] when no offer is pending.
pub fn decline_ota(node: &mut Node, now: i64) -> Result<Output, NodeError> {
    node.report_ota_status(
        now,
        OtaJobStatus::Failed,
        "this example downloads no firmware",
    )
    .map(Output::from)
}

/// The node info of the SDK's `temperature_sensor` example.
pub fn temperature_sensor_info() -> NodeInfo {
    NodeInfo::new(
        "ESP RainMaker Device",
        "1.0",
        "Temperature Sensor",
        "temperature_sensor",
        "temperature_sensor",
        NodeInfoPlatform::Esp32,
    )
}

/// The light of the SDK's `led_light` example, as
/// `esp_rmaker_lightbulb_device_create` plus `esp_rmaker_brightness_param_create`
/// build it: Name, Power (primary) and Brightness.
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

impl Light {
    /// A light called "Light".
    pub fn new(power: bool, brightness: i32) -> Self {
        Self {
            name: String::from("Light"),
            power,
            brightness,
        }
    }
}

/// Off, at 25 %, as the SDK's example starts.
impl Default for Light {
    fn default() -> Self {
        Self::new(false, 25)
    }
}

/// The light of the SDK's `led_light` example with every param the example
/// gives it: Name, Power (primary), Brightness, Hue and Saturation. The corpus
/// tests and `check-node`'s SDK example node use it.
#[derive(Debug, Clone, PartialEq, Device)]
#[device(name = "Light", r#type = "esp.device.lightbulb")]
pub struct LedLight {
    /// The name shown in the phone app.
    #[param(standard = Name)]
    pub name: String,
    /// On or off.
    #[param(standard = Power, primary)]
    pub power: bool,
    /// 0 to 100 %.
    #[param(standard = Brightness)]
    pub brightness: i32,
    /// 0 to 360 degrees.
    #[param(standard = Hue)]
    pub hue: i32,
    /// 0 to 100 %.
    #[param(standard = Saturation)]
    pub saturation: i32,
}

/// On, at 25 %, hue 180 and full saturation, as the SDK's example starts.
impl Default for LedLight {
    fn default() -> Self {
        Self {
            name: String::from("Light"),
            power: true,
            brightness: 25,
            hue: 180,
            saturation: 100,
        }
    }
}
