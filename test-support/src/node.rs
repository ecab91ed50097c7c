//! The node most tests drive: the SDK's `led_light` example, whose light the demo
//! and the fuzzed node also have.

use rainmaker_types::{Channel, NodeId};

/// The node id the tests use.
pub const NODE_ID: &str = "7C9EBD4A1B2C";

/// The group id the tests use.
pub const GROUP_ID: &str = "kitchen";

/// The address of `channel` with its parameters (`{node_id}`, `{group_id}`) filled
/// in: the topic string a node or the cloud publishes on.
pub fn address_of(channel: Channel, node: &str, group: &str) -> String {
    channel
        .address()
        .replace("{node_id}", node)
        .replace("{group_id}", group)
}

/// [`NODE_ID`], checked.
pub fn node_id() -> NodeId {
    NodeId::new(NODE_ID).expect("NODE_ID is a valid node id")
}

/// The light of the SDK's `led_light` example (Name, Power, Brightness; with Hue
/// and Saturation as the example builds it: `LedLight`), and the example's node
/// info (and the `temperature_sensor` example's).
pub use rainmaker_example_devices::{LedLight, Light, led_light_info, temperature_sensor_info};
