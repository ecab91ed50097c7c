//! A sans-IO RainMaker node: feed it connection events and received messages, get
//! back what to subscribe and publish.
//!
//! [`Node`] holds the node's info and attributes, its devices and services (anything
//! that implements [`Device`], derived or built at run time) and the protocol state
//! (boot sequence, last reported params, the OTA job). It never does I/O: the
//! application owns the MQTT client, passes each [`Input`] to [`Node::handle`] and
//! carries out the returned [`Output`].
//!
//! The boot sequence follows the SDK (docs/protocol.md):
//!
//! 1. first connect: `config`, then `user/mapping` when a mapping is pending (params
//!    start only once the broker acknowledged it: [`Input::MappingAcknowledged`]);
//! 2. params start: subscribe `params/remote` (and the group topic), publish
//!    `params/local/init` with every param, one `tsdata` report per time-series param
//!    or `simple_tsdata` report per time-series param (only when the time is known,
//!    see [Time](#time)) and, with OTA over topics
//!    ([`Node::with_ota_over_topics`]), subscribe `otaurl` and publish `otafetch`
//!    (the SDK waits 5 s; a sans-IO node leaves timing to the caller and sends it
//!    right away);
//! 3. every connect: subscribe `to-node` and publish the get-pending frame on
//!    `from-node`. A reconnect re-sends no config and no init, but repeats every
//!    subscription (clean sessions forget them).
//!
//! # Time
//!
//! Every call that may need the time takes it: `now`, Unix seconds from the
//! driver's wall clock ([`Node::handle`], [`Node::handle_timeout`],
//! [`Node::report_changes`], ...). As in the SDK, a time at or before 2019-01-01
//! ([`crate::clock::SYNCED_AFTER`]) counts as not known yet (the
//! clock has not been synchronised): time-series reports are skipped and
//! schedules wait. Schedules run in the node's time zone: the `TZ-POSIX` of its
//! [`Time`] service, else [`Node::with_time_zone`]'s (UTC
//! by default). The node says when it next needs to be woken
//! ([`Node::poll_timeout`]); the driver sleeps until then and calls
//! [`Node::handle_timeout`], which fires the schedules due (their actions are
//! applied as writes from [`WriteSource::Schedule`] and reported).
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
//! // Name, firmware version, type, model, project name, platform.
//! let info = NodeInfo::new(
//!     "ESP RainMaker Device", "1.0", "Lightbulb", "led_light", "led_light",
//!     NodeInfoPlatform::Esp32c3,
//! );
//! let mut node = Node::new(NodeId::new("7C9EBD4A1B2C")?, info).with_ota_over_topics();
//! node.add_device(Light { power: false })?;
//!
//! let now = 1_700_000_000; // Unix seconds, from the driver's clock
//! let boot = node.handle(now, Input::Connected)?;
//! let topics: Vec<&str> = boot.publish.iter().map(|p| p.topic.as_str()).collect();
//! assert_eq!(topics, [
//!     "node/7C9EBD4A1B2C/config",
//!     "node/7C9EBD4A1B2C/params/local/init",
//!     "node/7C9EBD4A1B2C/otafetch",
//!     "node/7C9EBD4A1B2C/from-node",
//! ]);
//!
//! let write = node.handle(now, Input::Received {
//!     topic: "node/7C9EBD4A1B2C/params/remote",
//!     payload: br#"{"Light":{"Power":true}}"#,
//! })?;
//! assert_eq!(write.publish[0].topic, "node/7C9EBD4A1B2C/params/local");
//! assert_eq!(write.publish[0].payload, br#"{"Light":{"Power":true}}"#);
//! assert!(node.device::<Light>("Light").is_some_and(|light| light.power));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod boot;
mod commands;
mod ota;
mod params;
mod time_series;

use crate::prelude::*;
use core::any::Any;
use core::fmt;

use rainmaker_tlv::{
    Command, GET_PENDING_FRAME, Handler, Outcome, Pending, Request, Routes, Status, UserRole,
};

use commands::CommandRoute;
use serde::Serialize;

use crate::clock::{Clock, PosixTz, SYNCED_AFTER};
use crate::device::{Device, TimeSeries, WriteError, WriteRejection};
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
use crate::services::{Scenes, Time};
use crate::value::ParamsDocument;

/// Service types whose `GroupID` param moves the node into a group.
const GROUP_SERVICE_TYPES: [&str; 2] = ["esp.service.groups", "esp.service.rmaker-controller"];

/// The param of [`GROUP_SERVICE_TYPES`] that holds the group id.
const GROUP_ID_PARAM: &str = "GroupID";

/// The service type that carries the node's connection state (and its last will).
const CONNECTIVITY_SERVICE_TYPE: &str = "esp.service.connectivity";

/// The connectivity service's param.
const CONNECTED_PARAM: &str = "Connected";

/// Seconds after each connect at which a node with the connectivity service
/// reports `Connected: true` (the SDK's `ESP_RMAKER_CONNECTIVITY_REPORT_DELAY`,
/// 5 by default).
pub const CONNECTED_REPORT_DELAY: i64 = 5;

/// The largest `params` object cmd 1 accepts (the SDK's 2048-byte buffer, NUL included).
pub const MAX_COMMAND_PARAMS_LEN: usize = 2047;

/// Which publish of the node an acknowledgement is for: every [`Publish`] has its
/// own, and [`Input::Acknowledged`] hands it back when the broker's PUBACK arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublishId(pub u64);

/// One MQTT publish for the application to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// The topic, plain or basic-ingest as configured.
    pub topic: String,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The QoS (always at-least-once in this protocol; retain is always false).
    pub qos: Qos,
    /// This publish's id, for matching its acknowledgement.
    pub id: PublishId,
}

/// Something that happened to the node's connection or arrived for it.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// The broker accepted the connection (CONNACK), as the SDK sees every connect:
    /// the first sends config, init and the rest of the boot sequence; later ones
    /// repeat the subscriptions and the get-pending request.
    Connected,
    /// The broker accepted a reconnection and says whether it kept the session
    /// (persistent sessions). With the session kept, the subscriptions are still in
    /// place and only the get-pending request is sent; without it, the node
    /// subscribes again and re-announces its config and params (`params/local/init`),
    /// which the other side may have missed while the session was gone.
    Reconnected {
        /// The CONNACK's session-present flag.
        session_present: bool,
    },
    /// The connection is gone.
    Disconnected,
    /// The broker acknowledged the publish with this id (its PUBACK). The
    /// acknowledgement of the `user/mapping` publish completes the mapping and starts
    /// params; others change nothing.
    Acknowledged(PublishId),
    /// The broker acknowledged the `user/mapping` publish, for applications that do
    /// not track publish ids ([`Input::Acknowledged`] does the same).
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

impl From<Publish> for Output {
    /// One publish and nothing else (what [`Node::report_ota_status`] makes), for
    /// a driver that carries out outputs.
    fn from(publish: Publish) -> Self {
        Self {
            publish: vec![publish],
            ..Self::default()
        }
    }
}

/// Where a write to the node's params came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteSource {
    /// `params/remote`.
    Remote,
    /// `params/remote/<group_id>`.
    RemoteGroup,
    /// cmd 1 on `to-node` (reported in the command response, not on `params/local`).
    Command,
    /// A schedule's action, when it fired.
    Schedule,
    /// A scene's action, when the cloud activated it.
    SceneActivate,
    /// A scene's action, when the cloud deactivated it.
    SceneDeactivate,
}

/// An application-level event from [`Node::handle`] or [`Node::handle_timeout`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
        /// The request id the answer echoes (empty when the request had none).
        request_id: Vec<u8>,
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
    /// A schedule fired (its action follows as a write from
    /// [`WriteSource::Schedule`]). `action_error` says why its action was not
    /// applied, when it is not a params document.
    ScheduleFired {
        /// The schedule's id.
        id: String,
        /// Why the action was not applied, if it was not.
        action_error: Option<String>,
    },
}

/// Where a write came from: `params/remote`, `params/remote/<group>`, `cmd 1`.
impl fmt::Display for WriteSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WriteSource::Remote => "params/remote",
            WriteSource::RemoteGroup => "params/remote/<group>",
            WriteSource::Command => "cmd 1",
            WriteSource::Schedule => "a schedule",
            WriteSource::SceneActivate => "a scene activation",
            WriteSource::SceneDeactivate => "a scene deactivation",
        })
    }
}

/// One line per event, for logs.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::ParamsWritten {
                source,
                accepted,
                rejected,
            } => {
                write!(f, "write from {source}: applied {accepted}")?;
                for (index, error) in rejected.iter().enumerate() {
                    let lead = if index == 0 { "; refused " } else { ", " };
                    write!(f, "{lead}{error}")?;
                }
                Ok(())
            }
            Event::OtaOffered(job) => write!(
                f,
                "OTA job {} offered (firmware {})",
                job.ota_job_id,
                job.fw_version.as_deref().unwrap_or("?")
            ),
            Event::OtaIgnored(job) => write!(
                f,
                "OTA job {} ignored: another job is running",
                job.ota_job_id
            ),
            Event::CommandAnswered {
                request_id,
                command,
                status,
                error,
            } => {
                write!(
                    f,
                    "answered cmd {} (request {}) with {status}",
                    command.in_answer(),
                    rainmaker_tlv::ShowBytes(request_id)
                )?;
                match error {
                    Some(error) => write!(f, ": {error}"),
                    None => Ok(()),
                }
            }
            Event::CommandDeferred(pending) => write!(
                f,
                "cmd {} (request {}) deferred",
                pending.command(),
                rainmaker_tlv::ShowBytes(pending.request_id())
            ),
            Event::ScheduleFired { id, action_error } => {
                write!(f, "schedule {id} fired")?;
                match action_error {
                    Some(error) => write!(f, "; its action is not a params document: {error}"),
                    None => Ok(()),
                }
            }
        }
    }
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
    /// The node has no device of that name and type.
    #[error("no device {0} of the type asked for")]
    NoSuchDevice(String),
    /// The node has no such device or param.
    #[error("no param {param} on device {device}")]
    NoSuchParam {
        /// The device name asked for.
        device: String,
        /// The param name asked for.
        param: String,
    },
    /// A message or acknowledgement arrived while the node is not connected (before
    /// `Input::Connected`, or after `Input::Disconnected`).
    #[error("the node is not connected")]
    NotConnected,
    /// A device's initial value is outside what its param declares (bounds, step,
    /// valid strings, data type).
    #[error("initial value of {device}.{param}: {reason}")]
    InvalidInitialValue {
        /// The device name.
        device: String,
        /// The param name.
        param: String,
        /// What is wrong with the value.
        reason: WriteRejection,
    },
}

/// A device or service held by the node.
trait AnyDevice: Device + Any + Send {}

impl<T: Device + Any + Send> AnyDevice for T {}

struct Slot {
    device: Box<dyn AnyDevice>,
    service: bool,
}

/// Where the user-node mapping stands.
#[derive(Debug, Clone, PartialEq)]
enum Mapping {
    /// Nothing to send (an already provisioned node).
    Done,
    /// To be published on the next connect.
    Pending(UserMapping),
    /// Published; waiting for the broker's acknowledgement of that publish.
    AwaitingAck(UserMapping, PublishId),
}

/// A sans-IO RainMaker node. See the [module documentation](self).
pub struct Node {
    node_id: NodeId,
    info: NodeInfo,
    attributes: Vec<Attribute>,
    slots: Vec<Slot>,
    commands: Routes<CommandRoute>,
    form: TopicForm,
    group: Option<GroupId>,
    mapping: Mapping,
    config_reported: bool,
    params_started: bool,
    reported: ParamsDocument,
    ota_job: Option<OtaUrl>,
    /// Whether OTA runs over topics (`otafetch`, `otaurl`).
    ota_topics: bool,
    /// Whether the connection is up (between `Connected` and `Disconnected`).
    connected: bool,
    /// The id of the next publish.
    next_publish: core::cell::Cell<u64>,
    /// The time of the current call (Unix seconds).
    now: i64,
    /// The time zone without a Time service (or with an empty or invalid
    /// `TZ-POSIX`).
    time_zone: PosixTz,
    /// When the connectivity service reports `Connected: true` (after a connect).
    connected_report_at: Option<i64>,
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
    /// A node with no devices, publishing plain topics, without OTA, with the
    /// `cmd-resp` attribute the SDK adds when the command channel is enabled (last
    /// in the config, after those of [`Node::with_attribute`]).
    pub fn new(node_id: NodeId, info: NodeInfo) -> Self {
        Self {
            node_id,
            info,
            attributes: Vec::new(),
            slots: Vec::new(),
            commands: commands::routes(),
            form: TopicForm::Plain,
            group: None,
            mapping: Mapping::Done,
            config_reported: false,
            params_started: false,
            reported: ParamsDocument::new(),
            ota_job: None,
            ota_topics: false,
            connected: false,
            next_publish: core::cell::Cell::new(0),
            now: 0,
            time_zone: PosixTz::UTC,
            connected_report_at: None,
        }
    }

    /// Runs OTA over topics, as the SDK's `esp_rmaker_ota_enable` with
    /// `OTA_USING_TOPICS` does: the node subscribes `otaurl` and publishes
    /// `otafetch` once params have started. Without it, the node publishes no
    /// `otafetch` and refuses `otaurl` messages.
    #[must_use]
    pub fn with_ota_over_topics(mut self) -> Self {
        self.ota_topics = true;
        self
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

    /// The time zone schedules run in when the node has no
    /// [`Time`] service, or its `TZ-POSIX` is empty or not a
    /// POSIX time zone (the SDK's default time zone, `CONFIG_ESP_RMAKER_DEF_TIMEZONE`).
    /// UTC unless set.
    #[must_use]
    pub fn with_time_zone(mut self, tz: PosixTz) -> Self {
        self.time_zone = tz;
        self
    }

    /// The time zone schedules run in: the Time service's `TZ-POSIX` when it is a
    /// POSIX time zone, else [`Node::with_time_zone`]'s.
    pub fn time_zone(&self) -> PosixTz {
        self.slots
            .iter()
            .find_map(|slot| {
                let device: &dyn Any = slot.device.as_ref();
                let time: &Time = device.downcast_ref()?;
                time.zone()
            })
            .unwrap_or(self.time_zone)
    }

    /// The time of the last call, when it is known (after 2019-01-01).
    pub(super) fn synced_now(&self) -> Option<i64> {
        (self.now > SYNCED_AFTER).then_some(self.now)
    }

    /// The service of type `S`, if the node has one.
    fn service_mut<S: Device + Any>(&mut self) -> Option<&mut S> {
        self.slots.iter_mut().find_map(|slot| {
            let device: &mut dyn Any = slot.device.as_mut();
            device.downcast_mut()
        })
    }

    /// Takes the time of a call and gives it to the devices with a timer (the
    /// schedule service arms its schedules the first time the time is known).
    pub(super) fn observe(&mut self, now: i64) {
        self.now = now;
        if !self.slots.iter().any(|slot| slot.device.timer().is_some()) {
            return;
        }
        let clock = Clock {
            now,
            tz: self.time_zone(),
        };
        for slot in &mut self.slots {
            if let Some(timer) = slot.device.timer_mut() {
                timer.set_clock(clock);
            }
        }
    }

    /// Publishes the params of devices with a timer that changed on their own (a
    /// schedule disabled because it will not fire again), as the SDK reports
    /// them then. A change not reported yet (the node was offline, or a call
    /// failed) goes out with the next successful call.
    fn report_timer_changes(&mut self, out: &mut Output) -> Result<(), NodeError> {
        if !self.params_started || !self.connected {
            return Ok(());
        }
        let mut delta = ParamsDocument::new();
        for slot in self
            .slots
            .iter()
            .filter(|slot| slot.device.timer().is_some())
        {
            let name = slot.device.name();
            let last = self.reported.device(name).cloned().unwrap_or_default();
            let changed = slot.device.delta(&last);
            if !changed.is_empty() {
                *delta.device_mut(name) = changed;
            }
        }
        if delta.is_empty() {
            return Ok(());
        }
        self.publish_json(out, self.delta_topic(), &delta)?;
        self.mark_reported(&delta);
        Ok(())
    }

    /// When the node next needs to be woken with [`Node::handle_timeout`]: the
    /// earliest time a device's timer is due (a schedule), or the connectivity
    /// service's report is (after a connect), if any.
    pub fn poll_timeout(&self) -> Option<i64> {
        self.slots
            .iter()
            .filter_map(|slot| slot.device.timer()?.next_due())
            .chain(self.connected_report_at)
            .min()
    }

    /// Wakes the node at `now` (at or after [`Node::poll_timeout`]): fires what is
    /// due, once each however late (the schedules), applies each action as a
    /// write from [`WriteSource::Schedule`] (reported on `params/local` as the SDK
    /// reports it) and then reports the device's params if they changed (a
    /// schedule that will not fire again is disabled).
    ///
    /// # Errors
    ///
    /// [`NodeError::Encode`] when a report cannot be written.
    pub fn handle_timeout(&mut self, now: i64) -> Result<Output, NodeError> {
        let mut out = Output::default();
        self.observe(now);
        self.report_connected(now, &mut out)?;
        for index in 0..self.slots.len() {
            let firings = self
                .slots
                .get_mut(index)
                .and_then(|slot| slot.device.timer_mut())
                .map(|timer| timer.fire_due())
                .unwrap_or_default();
            for firing in firings {
                let action = ParamsDocument::try_from(firing.action);
                out.events.push(Event::ScheduleFired {
                    id: firing.id.clone(),
                    action_error: action.as_ref().err().map(ToString::to_string),
                });
                if let Ok(action) = action {
                    self.remote_write(&action, WriteSource::Schedule, &mut out)?;
                }
                let changed = self
                    .slots
                    .get_mut(index)
                    .and_then(|slot| slot.device.timer_mut())
                    .is_some_and(|timer| timer.retire(&firing.id));
                if changed {
                    self.report_timer_changes(&mut out)?;
                }
            }
        }
        self.report_timer_changes(&mut out)?;
        Ok(out)
    }

    /// Applies the scene activations the last write asked for, each as a write
    /// from [`WriteSource::SceneActivate`] or [`WriteSource::SceneDeactivate`].
    pub(super) fn run_scene_activations(&mut self, out: &mut Output) -> Result<(), NodeError> {
        let activations = self
            .service_mut::<Scenes>()
            .map(Scenes::take_activations)
            .unwrap_or_default();
        for activation in activations {
            let Ok(action) = ParamsDocument::try_from(activation.action) else {
                continue;
            };
            let source = if activation.activate {
                WriteSource::SceneActivate
            } else {
                WriteSource::SceneDeactivate
            };
            self.remote_write(&action, source, out)?;
        }
        Ok(())
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
        // Initial values are checked as writes are: a node never reports a value
        // outside what it declares.
        for (index, spec) in device.descriptor().params.iter().enumerate() {
            if let Some(value) = device.param_value(index)
                && let Err(reason) = spec.validate(&value)
            {
                return Err(NodeError::InvalidInitialValue {
                    device: device.name().to_owned(),
                    param: spec.name.to_owned(),
                    reason,
                });
            }
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
        let mut attributes = self.attributes.clone();
        attributes.push(Attribute {
            name: "cmd-resp".into(),
            value: "1".into(),
        });
        Ok(NodeConfig {
            node_id: self.node_id.clone(),
            config_version: NodeConfigVersion::V2020_03_20,
            info: self.info.clone(),
            attributes: Some(attributes),
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

    /// Acts on one input at `now` (Unix seconds; see [Time](self#time)). On error
    /// nothing changed and nothing is to be published.
    pub fn handle(&mut self, now: i64, input: Input<'_>) -> Result<Output, NodeError> {
        let mut out = Output::default();
        if !self.connected
            && !matches!(
                input,
                Input::Connected | Input::Reconnected { .. } | Input::Disconnected
            )
        {
            return Err(NodeError::NotConnected);
        }
        self.observe(now);
        match input {
            Input::Connected => {
                self.on_connect(&mut out, Session::AsTheSdk)?;
                self.connected = true;
                self.connected_report_at = self
                    .connectivity_service()
                    .map(|_| now + CONNECTED_REPORT_DELAY);
            }
            Input::Reconnected { session_present } => {
                let session = if session_present {
                    Session::Kept
                } else {
                    Session::Lost
                };
                self.on_connect(&mut out, session)?;
                self.connected = true;
                self.connected_report_at = self
                    .connectivity_service()
                    .map(|_| now + CONNECTED_REPORT_DELAY);
                // Changes made while the connection was down follow the
                // announcements (after a lost session, `init` carried them).
                self.report_unreported(&mut out)?;
            }
            Input::Disconnected => {
                self.connected = false;
                self.connected_report_at = None;
            }
            Input::Acknowledged(id) => {
                if matches!(self.mapping, Mapping::AwaitingAck(_, awaited) if awaited == id) {
                    self.mapping_done(&mut out)?;
                }
            }
            Input::MappingAcknowledged => {
                if matches!(self.mapping, Mapping::AwaitingAck(..)) {
                    self.mapping_done(&mut out)?;
                }
            }
            Input::Received { topic, payload } => self.on_message(topic, payload, &mut out)?,
        }
        self.report_timer_changes(&mut out)?;
        Ok(out)
    }

    /// A message on one of the node's topics.
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
        // The spec says which channels the node receives (`action: receive`).
        if !channel.info().receives {
            return Err(NodeError::UnexpectedChannel(channel));
        }
        if let TopicRef::ParamsRemoteGroup { group_id, .. } = parsed
            && self.group.as_ref().map(GroupId::as_str) != Some(group_id)
        {
            return Err(NodeError::OtherGroup(GroupId::from_checked(group_id)));
        }
        // The command channel answers every frame, even one that does not decode
        // (with status 2), so it reads the bytes itself.
        if channel == Channel::ToNode {
            return self.on_command(payload, out);
        }
        // Each payload is decoded with its own type, not through `Message`: the
        // dispatch would link every message's decoder into a firmware (over 100 KiB
        // of flash for decoders the node never uses).
        let decode_error = |error| NodeError::Decode { channel, error };
        match channel {
            Channel::ParamsRemote | Channel::ParamsRemoteGroup => {
                let doc: ParamsDocument = decode_json(payload).map_err(decode_error)?;
                let source = if channel == Channel::ParamsRemote {
                    WriteSource::Remote
                } else {
                    WriteSource::RemoteGroup
                };
                self.remote_write(&doc, source, out)
            }
            Channel::OtaUrl if self.ota_topics => {
                let job: OtaUrl = decode_json(payload).map_err(decode_error)?;
                self.on_ota_offer(job, out);
                Ok(())
            }
            _ => Err(NodeError::UnexpectedChannel(channel)),
        }
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
        let id = PublishId(self.next_publish.get());
        self.next_publish.set(id.0.wrapping_add(1));
        let qos = topic.qos();
        let topic = match self.form {
            TopicForm::Ingest
                if topic
                    .channel()
                    .info()
                    .ingest
                    .is_some_and(|ingest| ingest.sdk_publishes) =>
            {
                topic.ingest().unwrap_or_else(|| topic.to_string())
            }
            _ => topic.to_string(),
        };
        Publish {
            topic,
            payload,
            qos,
            id,
        }
    }
}

/// What a connect means for the session the broker keeps for the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Session {
    /// Every connect as the SDK handles it (clean sessions).
    AsTheSdk,
    /// A reconnection whose session the broker kept.
    Kept,
    /// A reconnection whose session was lost: announce everything again.
    Lost,
}
