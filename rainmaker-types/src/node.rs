//! A sans-IO RainMaker node: feed it connection events and received messages, get
//! back what to subscribe and publish.
//!
//! [`Node`] holds the node's info and attributes, its devices and services (anything
//! that implements [`Device`], derived or built at run time) and the protocol state
//! (boot sequence, last reported params, the OTA job). It never does I/O: the
//! application owns the MQTT client, passes each [`Input`] to [`Node::handle`] and
//! carries out the returned [`Output`].
//!
//! The boot sequence follows the SDK (PROTOCOL.md section 3):
//!
//! 1. first connect: `config`, then `user/mapping` when a mapping is pending (params
//!    start only once the broker acknowledged it: [`Input::MappingAcknowledged`]);
//! 2. params start: subscribe `params/remote` (and the group topic), publish
//!    `params/local/init` with every param, one `tsdata` report per time-series param
//!    (only when the time is known, see [`Node::set_time`]), subscribe `otaurl` and
//!    publish `otafetch` (the SDK waits 5 s; a sans-IO node leaves timing to the
//!    caller and sends it right away);
//! 3. every connect: subscribe `to-node` and publish the get-pending frame on
//!    `from-node`. A reconnect re-sends no config and no init, but repeats every
//!    subscription (clean sessions forget them).
//!
//! ```
//! # #[cfg(feature = "derive")] {
//! use rainmaker_types::node::{Input, Node};
//! use rainmaker_types::messages::{NodeInfo, NodeInfoPlatform};
//! use rainmaker_types::{Device, NodeId};
//!
//! #[derive(Device)]
//! #[device(name = "Light", r#type = "esp.device.lightbulb")]
//! struct Light {
//!     #[param(standard = Power, primary)]
//!     power: bool,
//! }
//!
//! let info = NodeInfo {
//!     name: "ESP RainMaker Device".into(),
//!     fw_version: "1.0".into(),
//!     r#type: "Lightbulb".into(),
//!     subtype: None,
//!     readme: None,
//!     model: "led_light".into(),
//!     project_name: "led_light".into(),
//!     platform: NodeInfoPlatform::Esp32c3,
//!     secure_boot_digest: None,
//!     extra: Default::default(),
//! };
//! let mut node = Node::new(NodeId::new("7C9EBD4A1B2C")?, info);
//! node.add_device(Light { power: false })?;
//!
//! let boot = node.handle(Input::Connected)?;
//! let topics: Vec<&str> = boot.publish.iter().map(|p| p.topic.as_str()).collect();
//! assert_eq!(topics, [
//!     "node/7C9EBD4A1B2C/config",
//!     "node/7C9EBD4A1B2C/params/local/init",
//!     "node/7C9EBD4A1B2C/otafetch",
//!     "node/7C9EBD4A1B2C/from-node",
//! ]);
//!
//! let write = node.handle(Input::Received {
//!     topic: "node/7C9EBD4A1B2C/params/remote",
//!     payload: br#"{"Light":{"Power":true}}"#,
//! })?;
//! assert_eq!(write.publish[0].topic, "node/7C9EBD4A1B2C/params/local");
//! assert_eq!(write.publish[0].payload, br#"{"Light":{"Power":true}}"#);
//! assert!(node.device::<Light>("Light").is_some_and(|light| light.power));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::prelude::*;
use core::any::Any;
use core::fmt;

use rainmaker_tlv::{
    Command, Dispatch, GET_PENDING_FRAME, Handler, Outcome, Pending, Request, Router, Status,
    UserRole,
};
use serde::Serialize;

use crate::device::{DataKind, Device, TimeSeries, WriteError, WriteRejection};
use crate::generated::{Channel, Topic, TopicRef};
use crate::ids::{GroupId, NodeId};
use crate::messages::{
    Attribute, DeviceConfig, NodeConfig, NodeConfigVersion, NodeInfo, OtaFetch, OtaJobStatus,
    OtaStatus, OtaUrl, SetParamsRequest, SetParamsResponse, SetParamsResponseStatus, TsData,
    TsDataType, TsDataVersion, TsRecord, TsSeries, UserMapping,
};
use crate::runtime::TopicParam;
use crate::runtime::payload::decode_json;
use crate::runtime::{DecodeError, EncodeError, TopicError};
use crate::runtime::{Qos, TopicForm};
use crate::sdk_json;
use crate::value::ParamsDocument;

/// The roles allowed to call cmd 1 (set params), as the SDK registers it: super-admin,
/// primary and secondary users (mask 0x07).
const SET_PARAMS_ROLES: UserRole = UserRole(0x07);

/// Service types whose `GroupID` param moves the node into a group.
const GROUP_SERVICE_TYPES: [&str; 2] = ["esp.service.groups", "esp.service.rmaker-controller"];

/// The param of [`GROUP_SERVICE_TYPES`] that holds the group id.
const GROUP_ID_PARAM: &str = "GroupID";

/// The service type that carries the node's connection state (and its last will).
const CONNECTIVITY_SERVICE_TYPE: &str = "esp.service.connectivity";

/// The connectivity service's param.
const CONNECTED_PARAM: &str = "Connected";

/// The largest `params` object cmd 1 accepts (the SDK's 2048-byte buffer, NUL included).
pub const MAX_COMMAND_PARAMS_LEN: usize = 2047;

/// One MQTT publish for the application to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// The topic, plain or basic-ingest as configured.
    pub topic: String,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The QoS (always at-least-once in this protocol; retain is always false).
    pub qos: Qos,
}

/// Something that happened to the node's connection or arrived for it.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// The broker accepted the connection (CONNACK).
    Connected,
    /// The connection is gone.
    Disconnected,
    /// The broker acknowledged the `user/mapping` publish (its PUBACK): the mapping is
    /// done and params start.
    MappingAcknowledged,
    /// A message arrived on a subscribed topic.
    Received {
        /// The topic it arrived on.
        topic: &'a str,
        /// Its payload.
        payload: &'a [u8],
    },
}

/// What the application should do after an input, in order: subscribe, then publish.
#[derive(Debug, Default)]
#[must_use = "the node's subscriptions and publishes must be carried out"]
pub struct Output {
    /// Topic filters to unsubscribe, before anything else.
    pub unsubscribe: Vec<String>,
    /// Topic filters to subscribe (QoS 1), before making the publishes.
    pub subscribe: Vec<String>,
    /// Messages to publish, in order.
    pub publish: Vec<Publish>,
    /// What happened, for the application to react to.
    pub events: Vec<Event>,
}

/// Where a write to the node's params came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteSource {
    /// `params/remote`.
    Remote,
    /// `params/remote/<group_id>`.
    RemoteGroup,
    /// cmd 1 on `to-node` (reported in the command response, not on `params/local`).
    Command,
}

/// An application-level event from [`Node::handle`].
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A params write was applied: the accepted values and the refused ones.
    ParamsWritten {
        /// Where the write came from.
        source: WriteSource,
        /// The values stored.
        accepted: ParamsDocument,
        /// One error per refused value; none of them changed any state.
        rejected: Vec<WriteError>,
    },
    /// The cloud offered a firmware update. Download it, report progress with
    /// [`Node::report_ota_status`].
    OtaOffered(OtaUrl),
    /// An `otaurl` arrived while another job is running; the SDK ignores it too.
    OtaIgnored(OtaUrl),
    /// A `to-node` command was answered on `from-node` with this status.
    CommandAnswered {
        /// The command (0 when the frame named none).
        command: Command,
        /// The status sent.
        status: Status,
        /// Why the frame was refused, when it did not decode.
        error: Option<rainmaker_tlv::Error>,
    },
    /// A custom command handler deferred its answer; send it later with
    /// [`Node::respond_later`].
    CommandDeferred(Pending),
}

/// An input the node could not act on. Its state is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NodeError {
    /// The topic is not a topic of the protocol.
    #[error(transparent)]
    Topic(#[from] TopicError),
    /// The topic belongs to another node.
    #[error("topic `{topic}` is not for node {node_id}")]
    OtherNode {
        /// The topic received.
        topic: String,
        /// This node's id.
        node_id: NodeId,
    },
    /// A channel the node does not receive (for example its own `params/local`).
    #[error("the node does not receive {0} messages")]
    UnexpectedChannel(Channel),
    /// A group topic for a group the node is not in.
    #[error("the node is not in group `{0}`")]
    OtherGroup(GroupId),
    /// The payload does not decode as the channel's message.
    #[error("invalid {channel} payload: {error}")]
    Decode {
        /// The channel it arrived on.
        channel: Channel,
        /// What is wrong with it.
        error: DecodeError,
    },
    /// A message could not be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// Two devices or services with the same name.
    #[error("the node already has a device or service named `{0}`")]
    DuplicateName(String),
    /// An OTA status was reported with no job running.
    #[error("no OTA job is running")]
    NoOtaJob,
}

/// A device or service held by the node.
trait AnyDevice: Device + Any + Send {}

impl<T: Device + Any + Send> AnyDevice for T {}

struct Slot {
    device: Box<dyn AnyDevice>,
    service: bool,
}

struct CustomCommand {
    command: Command,
    roles: UserRole,
    handler: Box<dyn Handler + Send>,
}

/// Where the user-node mapping stands.
#[derive(Debug, Clone, PartialEq)]
enum Mapping {
    /// Nothing to send (an already provisioned node).
    Done,
    /// To be published on the next connect.
    Pending(UserMapping),
    /// Published; waiting for the broker's acknowledgement.
    AwaitingAck(UserMapping),
}

/// A sans-IO RainMaker node. See the [module documentation](self).
pub struct Node {
    node_id: NodeId,
    info: NodeInfo,
    attributes: Vec<Attribute>,
    slots: Vec<Slot>,
    commands: Vec<CustomCommand>,
    form: TopicForm,
    group: Option<GroupId>,
    mapping: Mapping,
    config_reported: bool,
    params_started: bool,
    reported: ParamsDocument,
    ota_job: Option<OtaUrl>,
    now: Option<i64>,
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("node_id", &self.node_id)
            .field(
                "devices",
                &self
                    .slots
                    .iter()
                    .map(|s| s.device.name())
                    .collect::<Vec<_>>(),
            )
            .field("form", &self.form)
            .field("group", &self.group)
            .field("mapping", &self.mapping)
            .field("params_started", &self.params_started)
            .field("ota_job", &self.ota_job.as_ref().map(|job| &job.ota_job_id))
            .finish_non_exhaustive()
    }
}

impl Node {
    /// A node with no devices, publishing plain topics, with the `cmd-resp`
    /// attribute the SDK adds when the command channel is enabled.
    pub fn new(node_id: NodeId, info: NodeInfo) -> Self {
        Self {
            node_id,
            info,
            attributes: vec![Attribute {
                name: "cmd-resp".into(),
                value: "1".into(),
            }],
            slots: Vec::new(),
            commands: Vec::new(),
            form: TopicForm::Plain,
            group: None,
            mapping: Mapping::Done,
            config_reported: false,
            params_started: false,
            reported: ParamsDocument::new(),
            ota_job: None,
            now: None,
        }
    }

    /// Publishes node-to-cloud messages on their basic-ingest aliases (the SDK's
    /// default) where the SDK does; group deltas always stay plain.
    #[must_use]
    pub fn with_ingest_topics(mut self, ingest: bool) -> Self {
        self.form = if ingest {
            TopicForm::Ingest
        } else {
            TopicForm::Plain
        };
        self
    }

    /// Adds a node attribute (`{"name": ..., "value": ...}` in the config).
    #[must_use]
    pub fn with_attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.push(Attribute {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    /// Starts in a group: deltas go to `params/local/<group_id>` and the node also
    /// listens on `params/remote/<group_id>`.
    #[must_use]
    pub fn with_group(mut self, group: GroupId) -> Self {
        self.group = Some(group);
        self
    }

    /// The node id.
    pub fn node_id(&self) -> &NodeId {
        &self.node_id
    }

    /// Sets the current time (epoch seconds), used for time-series records and OTA
    /// status. Until it is set, time-series reports are skipped, as the SDK does
    /// without a synced clock.
    pub fn set_time(&mut self, now: i64) {
        self.now = Some(now);
    }

    /// Adds a device. Names must be unique across devices and services.
    pub fn add_device<D: Device + Any + Send>(
        &mut self,
        device: D,
    ) -> Result<&mut Self, NodeError> {
        self.add(Box::new(device), false)
    }

    /// Adds a service (listed under `services` in the config).
    pub fn add_service<D: Device + Any + Send>(
        &mut self,
        service: D,
    ) -> Result<&mut Self, NodeError> {
        self.add(Box::new(service), true)
    }

    fn add(&mut self, device: Box<dyn AnyDevice>, service: bool) -> Result<&mut Self, NodeError> {
        if self.slot(device.name()).is_some() {
            return Err(NodeError::DuplicateName(device.name().to_owned()));
        }
        self.slots.push(Slot { device, service });
        Ok(self)
    }

    fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|slot| slot.device.name() == name)
    }

    /// The device (or service) called `name`, if it has type `D`.
    pub fn device<D: Device + Any>(&self, name: &str) -> Option<&D> {
        let device: &dyn Any = self.slot(name)?.device.as_ref();
        device.downcast_ref()
    }

    /// The device (or service) called `name` for local changes, if it has type `D`.
    /// Report the changes with [`Node::report_changes`].
    pub fn device_mut<D: Device + Any>(&mut self, name: &str) -> Option<&mut D> {
        let slot = self
            .slots
            .iter_mut()
            .find(|slot| slot.device.name() == name)?;
        let device: &mut dyn Any = slot.device.as_mut();
        device.downcast_mut()
    }

    /// Registers a handler for a custom (or other) command on `to-node`, callable by
    /// `roles`. The handler gets the request and a buffer for the response data.
    pub fn register_command<H: Handler + Send + 'static>(
        &mut self,
        command: Command,
        roles: UserRole,
        handler: H,
    ) {
        self.commands.push(CustomCommand {
            command,
            roles,
            handler: Box::new(handler),
        });
    }

    /// Makes the node report a user-node mapping on its next connect; params start
    /// once the broker acknowledges it.
    pub fn set_user_mapping(
        &mut self,
        user_id: impl Into<String>,
        secret_key: impl Into<String>,
        reset: bool,
    ) {
        self.mapping = Mapping::Pending(UserMapping {
            node_id: self.node_id.to_string(),
            user_id: user_id.into(),
            secret_key: secret_key.into(),
            reset: reset.then_some(true),
            extra: serde_json::Map::new(),
        });
    }

    /// The node config, as published on `node/<node_id>/config`.
    pub fn config(&self) -> Result<NodeConfig, NodeError> {
        let entries = |service: bool| -> Result<Vec<DeviceConfig>, NodeError> {
            Ok(self
                .slots
                .iter()
                .filter(|slot| slot.service == service)
                .map(|slot| slot.device.config_entry())
                .collect())
        };
        let has_entries = !self.slots.is_empty();
        Ok(NodeConfig {
            node_id: self.node_id.to_string(),
            config_version: NodeConfigVersion::V2020_03_20,
            info: self.info.clone(),
            attributes: (!self.attributes.is_empty()).then(|| self.attributes.clone()),
            devices: if has_entries {
                Some(entries(false)?)
            } else {
                None
            },
            services: if has_entries {
                Some(entries(true)?)
            } else {
                None
            },
            extra: serde_json::Map::new(),
        })
    }

    /// Every param of every device and service (the `params/local/init` document).
    pub fn params(&self) -> ParamsDocument {
        let mut doc = ParamsDocument::new();
        for slot in &self.slots {
            *doc.device_mut(slot.device.name()) = slot.device.params();
        }
        doc.prune_empty();
        doc
    }

    /// The topic filters the node needs now (what a reconnect re-subscribes).
    pub fn subscriptions(&self) -> Vec<String> {
        let mut topics = self.params_subscriptions();
        topics.push(
            Topic::ToNode {
                node_id: self.node_id.clone(),
            }
            .to_string(),
        );
        topics
    }

    /// The subscriptions that come with params starting: `params/remote` (and its
    /// group form) and `otaurl`.
    fn params_subscriptions(&self) -> Vec<String> {
        if !self.params_started {
            return Vec::new();
        }
        let node_id = || self.node_id.clone();
        let mut topics = vec![Topic::ParamsRemote { node_id: node_id() }];
        if let Some(group_id) = &self.group {
            topics.push(Topic::ParamsRemoteGroup {
                node_id: node_id(),
                group_id: group_id.clone(),
            });
        }
        topics.push(Topic::OtaUrl { node_id: node_id() });
        topics.iter().map(ToString::to_string).collect()
    }

    /// Acts on one input. On error nothing changed and nothing is to be published.
    pub fn handle(&mut self, input: Input<'_>) -> Result<Output, NodeError> {
        let mut out = Output::default();
        match input {
            Input::Connected => self.on_connect(&mut out)?,
            Input::Disconnected => {}
            Input::MappingAcknowledged => {
                if matches!(self.mapping, Mapping::AwaitingAck(_)) {
                    self.start_params(&mut out)?;
                    self.mapping = Mapping::Done;
                    out.subscribe = self.params_subscriptions();
                }
            }
            Input::Received { topic, payload } => self.on_message(topic, payload, &mut out)?,
        }
        Ok(out)
    }

    fn on_connect(&mut self, out: &mut Output) -> Result<(), NodeError> {
        let node_id = self.node_id.clone();
        if !self.config_reported {
            let config = self.config()?;
            let topic = Topic::NodeConfig {
                node_id: node_id.clone(),
            };
            self.publish_json(out, topic, &config)?;
        }
        match &self.mapping {
            // Sent again after a reconnect whose acknowledgement never came.
            Mapping::Pending(mapping) | Mapping::AwaitingAck(mapping) => {
                let mapping = mapping.clone();
                let topic = Topic::UserMapping {
                    node_id: node_id.clone(),
                };
                self.publish_json(out, topic, &mapping)?;
                self.mapping = Mapping::AwaitingAck(mapping);
            }
            Mapping::Done if !self.params_started => self.start_params(out)?,
            Mapping::Done => {}
        }
        self.config_reported = true;
        out.subscribe = self.subscriptions();
        let get_pending = self.publish(Topic::FromNode { node_id }, GET_PENDING_FRAME.to_vec());
        out.publish.push(get_pending);
        Ok(())
    }

    fn start_params(&mut self, out: &mut Output) -> Result<(), NodeError> {
        let init = self.params();
        self.publish_json(
            out,
            Topic::ParamsLocalInit {
                node_id: self.node_id.clone(),
            },
            &init,
        )?;
        self.time_series_reports(&init, out)?;
        let fetch = OtaFetch {
            node_id: self.node_id.to_string(),
            fw_version: self.info.fw_version.clone(),
            network_id: None,
            extra: serde_json::Map::new(),
        };
        self.publish_json(
            out,
            Topic::OtaFetch {
                node_id: self.node_id.clone(),
            },
            &fetch,
        )?;
        self.reported = init;
        self.params_started = true;
        Ok(())
    }

    fn on_message(
        &mut self,
        topic: &str,
        payload: &[u8],
        out: &mut Output,
    ) -> Result<(), NodeError> {
        let parsed = TopicRef::parse(topic)?;
        if parsed.node_id() != self.node_id.as_str() {
            return Err(NodeError::OtherNode {
                topic: topic.to_owned(),
                node_id: self.node_id.clone(),
            });
        }
        let channel = parsed.channel();
        let decode_error = |error| NodeError::Decode { channel, error };
        match parsed {
            TopicRef::ParamsRemote { .. } => {
                let doc: ParamsDocument = decode_json(payload).map_err(decode_error)?;
                self.remote_write(&doc, WriteSource::Remote, out)
            }
            TopicRef::ParamsRemoteGroup { group_id, .. } => {
                if self.group.as_ref().map(GroupId::as_str) != Some(group_id) {
                    return Err(NodeError::OtherGroup(GroupId::from_checked(group_id)));
                }
                let doc: ParamsDocument = decode_json(payload).map_err(decode_error)?;
                self.remote_write(&doc, WriteSource::RemoteGroup, out)
            }
            TopicRef::OtaUrl { .. } => {
                let job: OtaUrl = decode_json(payload).map_err(decode_error)?;
                if self.ota_job.is_some() {
                    out.events.push(Event::OtaIgnored(job));
                } else {
                    self.ota_job = Some(job.clone());
                    out.events.push(Event::OtaOffered(job));
                }
                Ok(())
            }
            TopicRef::ToNode { .. } => {
                self.on_command(payload, out);
                Ok(())
            }
            _ => Err(NodeError::UnexpectedChannel(channel)),
        }
    }

    fn remote_write(
        &mut self,
        doc: &ParamsDocument,
        source: WriteSource,
        out: &mut Output,
    ) -> Result<(), NodeError> {
        let (accepted, rejected) = apply_write(&mut self.slots, &mut self.reported, doc);
        if !accepted.is_empty() {
            self.publish_json(out, self.delta_topic(), &accepted)?;
            self.time_series_reports(&accepted, out)?;
        }
        if let Some(group) = self.group_written(&accepted) {
            let change = self.set_group(group);
            out.unsubscribe.extend(change.unsubscribe);
            out.subscribe.extend(change.subscribe);
        }
        out.events.push(Event::ParamsWritten {
            source,
            accepted,
            rejected,
        });
        Ok(())
    }

    /// The group a write moved the node to, if it set the `GroupID` param of a
    /// groups or controller service (as the SDK's groups service does). An empty
    /// string leaves the group; an id that is not a valid [`GroupId`] changes nothing.
    fn group_written(&self, accepted: &ParamsDocument) -> Option<Option<GroupId>> {
        self.slots.iter().find_map(|slot| {
            let kind = slot.device.descriptor().device_type?;
            if !GROUP_SERVICE_TYPES.contains(&kind) {
                return None;
            }
            let value = accepted.get(slot.device.name(), GROUP_ID_PARAM)?.as_str()?;
            if value.is_empty() {
                Some(None)
            } else {
                GroupId::new(value).ok().map(Some)
            }
        })
    }

    /// Moves the node into `group` (or out of any group with `None`): deltas then go to
    /// `params/local/<group_id>` and the node listens on `params/remote/<group_id>`.
    /// The output unsubscribes the old group topic and subscribes the new one once
    /// params have started. Re-arm the last will ([`Node::last_will`]) on the next
    /// connect, as the SDK does by reconnecting.
    pub fn set_group(&mut self, group: Option<GroupId>) -> Output {
        let mut out = Output::default();
        if self.group == group {
            return out;
        }
        let remote = |node_id: &NodeId, group_id: &GroupId| {
            Topic::ParamsRemoteGroup {
                node_id: node_id.clone(),
                group_id: group_id.clone(),
            }
            .to_string()
        };
        if self.params_started {
            if let Some(old) = &self.group {
                out.unsubscribe.push(remote(&self.node_id, old));
            }
            if let Some(new) = &group {
                out.subscribe.push(remote(&self.node_id, new));
            }
        }
        self.group = group;
        out
    }

    /// The group the node is in.
    pub fn group(&self) -> Option<&GroupId> {
        self.group.as_ref()
    }

    /// The last will to arm when connecting, if the node has a connectivity service:
    /// `{"<service>":{"Connected":false}}` on the plain delta topic (never basic
    /// ingest), QoS 1, not retained.
    pub fn last_will(&self) -> Option<Publish> {
        let slot = self
            .slots
            .iter()
            .find(|slot| slot.device.descriptor().device_type == Some(CONNECTIVITY_SERVICE_TYPE))?;
        let mut payload = ParamsDocument::new();
        payload.insert(slot.device.name(), CONNECTED_PARAM, false);
        let topic = self.delta_topic();
        Some(Publish {
            qos: topic.qos(),
            topic: topic.to_string(),
            payload: sdk_json::to_vec(&payload).ok()?,
        })
    }

    fn delta_topic(&self) -> Topic {
        let node_id = self.node_id.clone();
        match &self.group {
            Some(group_id) => Topic::ParamsLocalGroup {
                node_id,
                group_id: group_id.clone(),
            },
            None => Topic::ParamsLocal { node_id },
        }
    }

    fn on_command(&mut self, frame: &[u8], out: &mut Output) {
        let mut written: Option<(ParamsDocument, Vec<WriteError>)> = None;
        let dispatch = {
            let Node {
                slots,
                reported,
                commands,
                ..
            } = self;
            let written = &mut written;
            let set_params = move |request: &Request<'_>, data: &mut Vec<u8>| -> Outcome {
                let text = request.data.to_vec();
                let Ok(write) = decode_json::<SetParamsRequest>(&text) else {
                    return Outcome::Failed;
                };
                // The SDK copies `params` into its buffer as received: measure the
                // received text.
                if crate::json_span::member_len(&text, "params")
                    .is_none_or(|len| len > MAX_COMMAND_PARAMS_LEN)
                {
                    return Outcome::Failed;
                }
                let (accepted, rejected) = apply_write(slots, reported, &write.params);
                let response = SetParamsResponse {
                    status: SetParamsResponseStatus::Success,
                    params: (!accepted.is_empty()).then(|| accepted.clone()),
                    extra: serde_json::Map::new(),
                };
                match sdk_json::to_vec(&response) {
                    Ok(bytes) => {
                        data.extend_from_slice(&bytes);
                        *written = Some((accepted, rejected));
                        Outcome::Done
                    }
                    Err(_) => Outcome::Failed,
                }
            };
            let mut router = Router::new();
            router.register(Command::SET_PARAMS, SET_PARAMS_ROLES, set_params);
            for custom in commands.iter_mut() {
                let handler = &mut custom.handler;
                router.register(
                    custom.command,
                    custom.roles,
                    move |request: &Request<'_>, data: &mut Vec<u8>| handler.handle(request, data),
                );
            }
            router.handle(frame)
        };
        match dispatch {
            Dispatch::Respond(bytes) => {
                let (command, status) = rainmaker_tlv::Response::decode(&bytes)
                    .map_or((Command::GET_PENDING, Status::INVALID), |r| {
                        (r.command, r.status)
                    });
                let error = rainmaker_tlv::RawFrame::parse(frame).err();
                out.publish.push(self.publish(
                    Topic::FromNode {
                        node_id: self.node_id.clone(),
                    },
                    bytes,
                ));
                out.events.push(Event::CommandAnswered {
                    command,
                    status,
                    error,
                });
            }
            Dispatch::Deferred(pending) => out.events.push(Event::CommandDeferred(pending)),
        }
        if let Some((accepted, rejected)) = written {
            out.events.push(Event::ParamsWritten {
                source: WriteSource::Command,
                accepted,
                rejected,
            });
        }
    }

    /// The `from-node` publish answering a deferred command.
    pub fn respond_later(
        &self,
        pending: &Pending,
        status: Status,
        data: &[u8],
    ) -> Result<Publish, NodeError> {
        let bytes = pending.respond(status, data).map_err(EncodeError::from)?;
        Ok(self.publish(
            Topic::FromNode {
                node_id: self.node_id.clone(),
            },
            bytes,
        ))
    }

    /// Reports local changes: the params whose values differ from what was last
    /// reported go out on `params/local` (or the group topic), followed by a `tsdata`
    /// report per changed time-series param. Nothing is published when nothing
    /// changed.
    pub fn report_changes(&mut self) -> Result<Output, NodeError> {
        let mut out = Output::default();
        let mut delta = ParamsDocument::new();
        for slot in &self.slots {
            let name = slot.device.name();
            let last = self.reported.device(name).cloned().unwrap_or_default();
            let changed = slot.device.delta(&last);
            if !changed.is_empty() {
                *delta.device_mut(name) = changed;
            }
        }
        if delta.is_empty() {
            return Ok(out);
        }
        self.publish_json(&mut out, self.delta_topic(), &delta)?;
        self.time_series_reports(&delta, &mut out)?;
        for (device, params) in delta.iter() {
            let reported = self.reported.device_mut(device);
            for (param, value) in params.iter() {
                reported.insert(param, value.clone());
            }
        }
        Ok(out)
    }

    /// The running OTA job, if any.
    pub fn ota_job(&self) -> Option<&OtaUrl> {
        self.ota_job.as_ref()
    }

    /// Reports the running OTA job's progress on `otastatus`. A terminal status
    /// (`success`, `failed`, `rejected`) ends the job.
    pub fn report_ota_status(
        &mut self,
        status: OtaJobStatus,
        additional_info: impl Into<String>,
    ) -> Result<Publish, NodeError> {
        let job = self.ota_job.as_ref().ok_or(NodeError::NoOtaJob)?;
        let report = OtaStatus {
            ota_job_id: Some(job.ota_job_id.clone()),
            status,
            network_id: None,
            additional_info: additional_info.into(),
            ts: self.now.unwrap_or(0),
            extra: serde_json::Map::new(),
        };
        let payload = sdk_json::to_vec(&report)?;
        let publish = self.publish(
            Topic::OtaStatus {
                node_id: self.node_id.clone(),
            },
            payload,
        );
        if matches!(
            status,
            OtaJobStatus::Success | OtaJobStatus::Failed | OtaJobStatus::Rejected
        ) {
            self.ota_job = None;
        }
        Ok(publish)
    }

    /// One `tsdata` publish per time-series param in `doc` (none without a clock).
    fn time_series_reports(&self, doc: &ParamsDocument, out: &mut Output) -> Result<(), NodeError> {
        let Some(now) = self.now else {
            return Ok(());
        };
        for slot in &self.slots {
            let device = slot.device.name();
            let Some(values) = doc.device(device) else {
                continue;
            };
            for spec in slot.device.descriptor().params {
                let (TimeSeries::Full, Some(value)) =
                    (spec.properties.time_series, values.get(spec.name))
                else {
                    continue;
                };
                let Some(dt) = ts_data_type(spec.data_type) else {
                    continue;
                };
                let report = TsData {
                    ts_data_version: TsDataVersion::V2021_09_13,
                    ts_data: vec![TsSeries {
                        name: format!("{device}.{}", spec.name),
                        r#type: spec.param_type.map(str::to_owned),
                        dt,
                        records: vec![TsRecord {
                            t: now,
                            v: value.clone(),
                            extra: serde_json::Map::new(),
                        }],
                        extra: serde_json::Map::new(),
                    }],
                    extra: serde_json::Map::new(),
                };
                self.publish_json(
                    out,
                    Topic::TsData {
                        node_id: self.node_id.clone(),
                    },
                    &report,
                )?;
            }
        }
        Ok(())
    }

    fn publish_json<T: Serialize>(
        &self,
        out: &mut Output,
        topic: Topic,
        payload: &T,
    ) -> Result<(), NodeError> {
        let bytes = sdk_json::to_vec(payload)?;
        out.publish.push(self.publish(topic, bytes));
        Ok(())
    }

    fn publish(&self, topic: Topic, payload: Vec<u8>) -> Publish {
        let qos = topic.qos();
        let topic = match self.form {
            TopicForm::Ingest if topic.channel().sdk_uses_ingest() => {
                topic.ingest().unwrap_or_else(|| topic.to_string())
            }
            _ => topic.to_string(),
        };
        Publish {
            topic,
            payload,
            qos,
        }
    }
}

/// Applies a write to the devices it names, in node order, and records the accepted
/// values as reported. Params of unknown devices are refused one by one.
fn apply_write(
    slots: &mut [Slot],
    reported: &mut ParamsDocument,
    doc: &ParamsDocument,
) -> (ParamsDocument, Vec<WriteError>) {
    let mut accepted = ParamsDocument::new();
    let mut rejected = Vec::new();
    for (device, write) in doc.iter() {
        if !slots.iter().any(|slot| slot.device.name() == device) {
            rejected.extend(write.iter().map(|(param, _)| WriteError {
                device: device.to_owned(),
                param: param.to_owned(),
                reason: WriteRejection::UnknownDevice,
            }));
        }
    }
    for slot in slots.iter_mut() {
        let Some(write) = doc.device(slot.device.name()) else {
            continue;
        };
        let outcome = slot.device.apply(write);
        rejected.extend(outcome.errors);
        if !outcome.accepted.is_empty() {
            let last = reported.device_mut(slot.device.name());
            for (param, value) in outcome.accepted.iter() {
                last.insert(param, value.clone());
            }
            *accepted.device_mut(slot.device.name()) = outcome.accepted;
        }
    }
    (accepted, rejected)
}

/// The full time-series data type of a param (object and array params have none).
fn ts_data_type(kind: DataKind) -> Option<TsDataType> {
    match kind {
        DataKind::Bool => Some(TsDataType::Bool),
        DataKind::Int => Some(TsDataType::Int),
        DataKind::Float => Some(TsDataType::Float),
        DataKind::String => Some(TsDataType::String),
        DataKind::Object | DataKind::Array => None,
    }
}
