//! What a document says about its channels and commands, as generated tables hold
//! it: one [`ChannelInfo`] per channel (`Channel::info`), one [`CommandInfo`] per
//! command of a TLV catalogue (`commands::ALL`).

use serde_json::Value;

use super::{DecodeError, Qos};
use crate::tlv::{Command, UserRole};

/// What a document says about one channel.
///
/// `M` is the generated message kind (`MessageKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelInfo<M: 'static> {
    /// The channel's key in the document (`nodeConfig`).
    pub key: &'static str,
    /// The address, such as `node/{node_id}/config`.
    pub address: &'static str,
    /// The MQTT topic filter that matches every topic of the channel (each parameter
    /// is `+`), for subscriptions.
    pub filter: &'static str,
    /// Whether the document's application publishes on the channel (an operation
    /// with `action: send`; with a RainMaker direction, whether it is node-to-cloud).
    pub sends: bool,
    /// Whether the document's application subscribes to the channel (an operation
    /// with `action: receive`; with a RainMaker direction, whether it is
    /// cloud-to-node).
    pub receives: bool,
    /// Who publishes, when the document says (`x-rainmaker-direction`).
    pub direction: Option<Direction>,
    /// The MQTT QoS of the channel's publishes and subscriptions.
    pub qos: Qos,
    /// Whether publishes set the MQTT retain flag.
    pub retain: bool,
    /// The basic-ingest alias, if the channel has one (`x-rainmaker-ingest`).
    pub ingest: Option<IngestRule>,
    /// The messages the channel carries.
    pub messages: &'static [M],
}

/// Who publishes on a channel (`x-rainmaker-direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The node publishes, the cloud receives (`node-to-cloud`).
    NodeToCloud,
    /// The cloud publishes, the node receives (`cloud-to-node`).
    CloudToNode,
    /// The broker (AWS IoT) publishes, the cloud receives; the node never does
    /// (`broker-to-cloud`).
    BrokerToCloud,
}

impl Direction {
    /// The document's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NodeToCloud => "node-to-cloud",
            Self::CloudToNode => "cloud-to-node",
            Self::BrokerToCloud => "broker-to-cloud",
        }
    }
}

/// The basic-ingest alias of a channel: its topics may also be written
/// `$aws/rules/<rule>/<address>` ([`INGEST_PREFIX`](super::INGEST_PREFIX)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IngestRule {
    /// The AWS IoT rule (`esp_node_config`).
    pub rule: &'static str,
    /// Whether the C SDK publishes on the alias (it uses the plain form for some
    /// channels that have one, such as group deltas).
    pub sdk_publishes: bool,
}

/// A command of a TLV command catalogue (`x-rainmaker-tlv`), as generated code lists
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandInfo {
    /// The command number.
    pub command: Command,
    /// The catalogue's name (`set-params`).
    pub name: &'static str,
    /// Who sends the request.
    pub direction: CommandDirection,
    /// The roles allowed to send it, when the catalogue states them.
    pub allowed_roles: Option<UserRole>,
    /// The catalogue's description.
    pub description: &'static str,
    /// The typed data the command carries, in catalogue order.
    pub data: &'static [CommandData],
}

impl CommandInfo {
    /// The command's data of kind `what` (`request`, `response`, ...), if the
    /// catalogue types it.
    pub fn data(&self, what: &str) -> Option<&'static CommandData> {
        self.data.iter().find(|data| data.what == what)
    }
}

/// Who sends a command's request (`direction` of a catalogue entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandDirection {
    /// The node sends it.
    NodeToCloud,
    /// The cloud sends it.
    CloudToNode,
    /// Either side sends it.
    Both,
    /// The catalogue does not know.
    Unknown,
}

impl CommandDirection {
    /// The catalogue's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NodeToCloud => "node-to-cloud",
            Self::CloudToNode => "cloud-to-node",
            Self::Both => "both",
            Self::Unknown => "unknown",
        }
    }
}

/// One kind of data a command carries, with the generated type that holds it.
#[derive(Debug, Clone, Copy)]
pub struct CommandData {
    /// What the data is (`request`, `response`, `reply`, `confirm`, `error`): the
    /// catalogue's `<what>-data` key.
    pub what: &'static str,
    /// The generated type's name (`SetParamsRequest`).
    pub type_name: &'static str,
    /// Decodes data as that type and gives back what it kept, as JSON: for tools that
    /// print or compare data whose type they learn at run time.
    pub to_json: fn(&[u8]) -> Result<Value, DecodeError>,
}

/// Two entries are equal when they name the same data of the same type.
impl PartialEq for CommandData {
    fn eq(&self, other: &Self) -> bool {
        (self.what, self.type_name) == (other.what, other.type_name)
    }
}

impl Eq for CommandData {}
