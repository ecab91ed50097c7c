//! Everything the node publishes, as the checker receives it: each message is
//! checked as it arrives (topic, QoS, JSON, schema, the params it reports) and kept
//! for the steps that wait for an answer.

use std::time::Duration;

use rainmaker_mqtt::{Consumer, ConsumerEvent, Delivery};
use rainmaker_types::runtime::{DecodeOptions, Direction, Qos};
use rainmaker_types::{Channel, DispatchError, Envelope, Message, TopicRef};
use serde_json::{Map, Value};
use tokio::time::Instant;

use super::model::{self, Model};
use super::report::{Findings, excerpt};
use super::rules;

/// One message the node published.
#[derive(Debug, Clone)]
pub struct Seen {
    /// When it arrived.
    pub at: Instant,
    /// Its topic as published.
    pub topic: String,
    /// Its channel, when the topic is one of the protocol's.
    pub channel: Option<Channel>,
    /// Its payload.
    pub payload: Vec<u8>,
    /// The message, when it decodes (leniently, if it had to).
    pub message: Option<Message>,
    /// The params document it carries (init and reports), as JSON: read once,
    /// looked at by every step that waits.
    params: Option<Value>,
}

impl Seen {
    /// The params document it carries (init and reports), as JSON.
    pub fn params(&self) -> Option<&Value> {
        self.params.as_ref()
    }

    /// The value it reports for `device`'s `param`, if any.
    pub fn reported(&self, device: &str, param: &str) -> Option<&Value> {
        self.params.as_ref()?.get(device)?.get(param)
    }

    /// Whether it is a params report (`params/local` or its group form).
    pub fn is_report(&self) -> bool {
        matches!(
            self.channel,
            Some(Channel::ParamsLocal | Channel::ParamsLocalGroup)
        )
    }
}

/// The node's traffic, checked as it comes.
pub struct Observer {
    consumer: Consumer,
    node_id: String,
    /// What was seen, in order.
    pub seen: Vec<Seen>,
    /// The node as its (first) config declares it.
    pub model: Option<Model>,
    /// The params as last reported.
    pub state: Map<String, Value>,
    /// When the config came.
    pub booted_at: Option<Instant>,
    /// What the checks found.
    pub findings: Findings,
    /// The group the node reports in, once known.
    pub group: Option<String>,
    init_seen: bool,
    qos_flagged: Vec<String>,
}

impl Observer {
    /// Watches `node_id`'s messages through `consumer`.
    pub fn new(consumer: Consumer, node_id: &str) -> Self {
        Observer {
            consumer,
            node_id: node_id.to_owned(),
            seen: Vec::new(),
            model: None,
            state: Map::new(),
            booted_at: None,
            findings: Findings::default(),
            group: None,
            init_seen: false,
            qos_flagged: Vec::new(),
        }
    }

    /// The consumer, to publish through.
    pub fn consumer(&self) -> &Consumer {
        &self.consumer
    }

    /// The value last reported for `device`'s `param`.
    pub fn reported(&self, device: &str, param: &str) -> Option<&Value> {
        self.state.get(device)?.get(param)
    }

    /// A plain topic of the node: `node/<id>/<suffix>`.
    pub fn topic(&self, suffix: &str) -> String {
        format!("node/{}/{suffix}", self.node_id)
    }

    /// Reads until the first message after `from` that `wanted` accepts, or until
    /// `timeout` passes; its index in [`Observer::seen`].
    pub async fn wait_for(
        &mut self,
        from: usize,
        timeout: Duration,
        mut wanted: impl FnMut(&Seen) -> bool,
    ) -> Option<usize> {
        let deadline = Instant::now() + timeout;
        let mut next = from;
        loop {
            while next < self.seen.len() {
                if wanted(&self.seen[next]) {
                    return Some(next);
                }
                next += 1;
            }
            if !self.read_until(deadline).await {
                return None;
            }
        }
    }

    /// Reads everything that arrives for `duration`.
    pub async fn listen(&mut self, duration: Duration) {
        let deadline = Instant::now() + duration;
        while self.read_until(deadline).await {}
    }

    /// Reads one message of the node, if one comes before `deadline`; false when
    /// none did (or the consumer stopped).
    async fn read_until(&mut self, deadline: Instant) -> bool {
        loop {
            let event = match tokio::time::timeout_at(deadline, self.consumer.next_event()).await {
                Ok(Some(event)) => event,
                Ok(None) | Err(_) => return false,
            };
            match event {
                ConsumerEvent::Delivery(delivery) => {
                    if self.ingest(&delivery) {
                        return true;
                    }
                }
                other => self.findings.note(other.to_string()),
            }
        }
    }

    /// Checks and keeps a delivery if it is the node's; false when it is not.
    fn ingest(&mut self, delivery: &Delivery) -> bool {
        let topic = delivery.topic.as_str();
        if !self.is_ours(topic) {
            return false;
        }
        let mut seen = Seen {
            at: Instant::now(),
            topic: topic.to_owned(),
            channel: None,
            payload: delivery.payload.clone(),
            message: None,
            params: None,
        };
        match TopicRef::parse(topic) {
            // What the checker itself sends the node comes back: not the node's.
            Ok(parsed) if parsed.channel().direction() == Some(Direction::CloudToNode) => {
                return false;
            }
            Ok(parsed) => seen.channel = Some(parsed.channel()),
            Err(error) => {
                self.findings.deviate(
                    &rules::TOPIC,
                    topic,
                    "a node-to-cloud topic of the protocol",
                    error.to_string(),
                );
            }
        }
        self.findings.checked(&rules::QOS);
        self.findings.checked(&rules::TOPIC);
        if delivery.qos() == Qos::AtMostOnce && !self.qos_flagged.contains(&seen.topic) {
            self.qos_flagged.push(seen.topic.clone());
            self.findings.deviate(&rules::QOS, topic, "QoS 1", "QoS 0");
        }
        if seen.channel.is_some() {
            seen.message = self.decode(topic, &delivery.payload);
            seen.params = match &seen.message {
                Some(
                    Message::ParamsLocalInit(params)
                    | Message::ParamsLocal(params)
                    | Message::ParamsLocalGroup(params),
                ) => serde_json::to_value(params).ok(),
                _ => None,
            };
        }
        self.check(&seen);
        self.seen.push(seen);
        true
    }

    /// Whether a topic is under this node's id, plain or basic-ingest.
    fn is_ours(&self, topic: &str) -> bool {
        let tail = match topic.strip_prefix("$aws/rules/") {
            Some(ingest) => ingest.split_once('/').map_or("", |(_, tail)| tail),
            None => topic,
        };
        tail.strip_prefix("node/")
            .and_then(|rest| rest.strip_prefix(self.node_id.as_str()))
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Decodes strictly; failing that, leniently (a `transport.json` deviation
    /// with the repairs); failing that, a `transport.schema` deviation.
    fn decode(&mut self, topic: &str, payload: &[u8]) -> Option<Message> {
        self.findings.checked(&rules::SCHEMA);
        let strict = Envelope::decode(topic, payload);
        let error = match strict {
            Ok(envelope) => return Some(envelope.into_parts().1),
            Err(error) => error,
        };
        if let DispatchError::TopicMismatch {
            property,
            payload: named,
            topic: expected,
        } = &error
        {
            self.findings.deviate(
                &rules::NODE_ID,
                topic,
                format!("{property} {expected:?}"),
                format!("{property} {named:?}"),
            );
            // Checked on, as the message it is.
            let channel = TopicRef::parse(topic).ok()?.channel();
            return Message::decode_with(channel, payload, &DecodeOptions::sdk_lenient())
                .ok()
                .map(|decoded| decoded.value);
        }
        // The lenient decoder names what it had to repair.
        if let Ok(decoded) = Envelope::decode_with(topic, payload, &DecodeOptions::sdk_lenient())
            && !decoded.repairs.is_empty()
        {
            self.findings.checked(&rules::JSON);
            let deviation =
                self.findings
                    .deviate(&rules::JSON, topic, "valid JSON", excerpt(payload));
            deviation.repairs = decoded.repairs.iter().map(ToString::to_string).collect();
            return Some(decoded.value.into_parts().1);
        }
        self.findings.deviate(
            &rules::SCHEMA,
            topic,
            "a message of the channel's schema",
            format!("{error}: {}", excerpt(payload)),
        );
        None
    }

    /// The checks every message gets: order, the config's rules, reported params.
    fn check(&mut self, seen: &Seen) {
        let topic = seen.topic.as_str();
        match &seen.message {
            Some(Message::NodeConfig(config)) => {
                self.findings.checked(&rules::ORDER);
                if self.model.is_none() {
                    if self.init_seen {
                        self.findings.deviate(
                            &rules::ORDER,
                            topic,
                            "the config before params/local/init",
                            "the config after params/local/init",
                        );
                    }
                    self.booted_at = Some(seen.at);
                    model::check_config(config, topic, &mut self.findings);
                    self.model = Some(Model::new(config));
                }
            }
            Some(Message::ParamsLocalInit(_)) => {
                self.findings.checked(&rules::ORDER);
                if self.model.is_none() {
                    self.findings.deviate(
                        &rules::ORDER,
                        topic,
                        "the config before params/local/init",
                        "params/local/init first",
                    );
                }
                self.init_seen = true;
                if let Some(params) = seen.params() {
                    self.check_complete(topic, params);
                    self.check_values(topic, params);
                    self.state = params.as_object().cloned().unwrap_or_default();
                    self.group = self.reported_group();
                }
            }
            Some(Message::ParamsLocal(_) | Message::ParamsLocalGroup(_)) => {
                self.findings.checked(&rules::ORDER);
                if !self.init_seen {
                    self.findings.deviate(
                        &rules::ORDER,
                        topic,
                        "params/local/init before any params/local report",
                        format!("a report first: {}", excerpt(&seen.payload)),
                    );
                }
                if let Some(group) = &self.group {
                    self.findings.checked(&rules::GROUP);
                    let expected = self.topic(&format!("params/local/{group}"));
                    if seen.channel == Some(Channel::ParamsLocal) {
                        self.findings.deviate(
                            &rules::GROUP,
                            topic,
                            format!("reports on {expected} while in group {group}"),
                            format!("a report on {topic}"),
                        );
                    }
                }
                if let Some(params) = seen.params() {
                    self.check_values(topic, params);
                    merge(&mut self.state, params);
                    self.group = self.reported_group();
                }
            }
            Some(Message::OtaFetch(fetch)) => {
                self.findings.checked(&rules::OTA_FETCH);
                if let Some(model) = &self.model
                    && fetch.fw_version != model.fw_version
                {
                    self.findings.deviate(
                        &rules::OTA_FETCH,
                        topic,
                        format!("fw_version {:?}, as in the config", model.fw_version),
                        format!("fw_version {:?}", fetch.fw_version),
                    );
                }
            }
            _ => {}
        }
    }

    /// `params.complete`: init holds every declared param.
    fn check_complete(&mut self, topic: &str, params: &Value) {
        let Some(model) = &self.model else {
            return;
        };
        self.findings.checked(&rules::COMPLETE);
        let missing: Vec<String> = model
            .params
            .iter()
            .filter(|param| {
                params
                    .get(&param.device)
                    .and_then(|device| device.get(&param.name))
                    .is_none()
            })
            .map(model::Param::path)
            .collect();
        if !missing.is_empty() {
            self.findings.deviate(
                &rules::COMPLETE,
                topic,
                "every declared param",
                format!("no {}", missing.join(", ")),
            );
        }
    }

    /// `params.declared`, `params.types`, `params.in-bounds` for every value.
    fn check_values(&mut self, topic: &str, params: &Value) {
        let Some(model) = &self.model else {
            return;
        };
        for rule in [&rules::DECLARED, &rules::TYPES, &rules::IN_BOUNDS] {
            self.findings.checked(rule);
        }
        let devices = params.as_object().into_iter().flatten();
        for (device, values) in devices {
            let values = values.as_object().into_iter().flatten();
            for (name, value) in values {
                let Some(param) = model.param(device, name) else {
                    let what = if model.has_device(device) {
                        "param"
                    } else {
                        "device"
                    };
                    self.findings.deviate(
                        &rules::DECLARED,
                        topic,
                        "only declared devices and params",
                        format!("{device}.{name} (an undeclared {what})"),
                    );
                    continue;
                };
                if let Some(expected) = param.type_error(value) {
                    self.findings
                        .deviate(&rules::TYPES, topic, expected, value.to_string());
                } else if let Some(expected) = param.range_error(value) {
                    self.findings
                        .deviate(&rules::IN_BOUNDS, topic, expected, value.to_string());
                }
            }
        }
    }

    /// The group id the node reports, when it is in one (a non-empty `GroupID` of
    /// a groups or controller service).
    fn reported_group(&self) -> Option<String> {
        let model = self.model.as_ref()?;
        model
            .params
            .iter()
            .filter(|param| param.service.is_some() && param.name == "GroupID")
            .find_map(|param| {
                let value = self.reported(&param.device, &param.name)?.as_str()?;
                (!value.is_empty()).then(|| value.to_owned())
            })
    }
}

/// Merges a report into the state.
fn merge(state: &mut Map<String, Value>, report: &Value) {
    for (device, values) in report.as_object().into_iter().flatten() {
        let entry = state
            .entry(device.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let (Some(entry), Some(values)) = (entry.as_object_mut(), values.as_object()) {
            for (name, value) in values {
                entry.insert(name.clone(), value.clone());
            }
        }
    }
}
