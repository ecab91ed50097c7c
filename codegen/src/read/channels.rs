//! Channels, their messages, and the operations that say what the document's
//! application does on each channel (with MQTT QoS and retain from the bindings).

use serde_json::{Map, Value};

use super::names::Names;
use super::{Reader, description};
use crate::model::{Channel, Direction, Encoding, Message, TypeRef};
use crate::naming;
use crate::source::Location;

/// Names the generated `Message` enum uses for itself.
const RESERVED_MESSAGE_NAMES: &[&str] = &[];

impl<'a> Reader<'a> {
    pub(super) fn channels(&mut self) {
        let base = Location::root().join("channels");
        let mut variants = Names::default();
        for (key, at) in self.sources.entries(&base) {
            let Some((channel, at)) = self.resolve(&at) else {
                continue;
            };
            if !channel.is_object() {
                self.problems.error(&at, "a channel must be an object");
                continue;
            }
            let messages = self.channel_messages(channel, &at);
            let Some(address) = channel.get("address").and_then(Value::as_str) else {
                let message = "the channel has no address: no topic is generated for it, its \
                               messages are";
                self.error_if_rainmaker(&at.join("address"), message);
                continue;
            };
            let Some((segments, params)) = self.address(channel, &at, address) else {
                continue;
            };
            let preferred = naming::camel(&key).unwrap_or_else(|| "Channel".to_owned());
            let variant = variants.claim_or_warn(&preferred, &at, &mut self.problems);
            if let Some(same) = self
                .model
                .channels
                .iter()
                .find(|known| known.segments == segments)
            {
                self.problems.warning(
                    &at.join("address"),
                    format!(
                        "the address is the one of {}; topics parse as that channel",
                        same.at
                    ),
                );
            }
            let ingest = self.ingest(channel, &at, address);
            let (qos, retain) = mqtt_binding(channel).unwrap_or((None, None));
            self.model.channels.push(Channel {
                at,
                key,
                variant,
                address: address.to_owned(),
                segments,
                params,
                sends: false,
                receives: false,
                direction: None,
                qos: qos.unwrap_or(0),
                retain: retain.unwrap_or(false),
                ingest,
                messages,
                description: description(channel),
            });
        }
    }

    /// The messages of a channel, read (once each) into the model.
    fn channel_messages(&mut self, channel: &'a Value, at: &Location) -> Vec<usize> {
        let messages_at = at.join("messages");
        let mut indices = Vec::new();
        for (key, entry_at) in self.sources.entries(&messages_at) {
            let Some(entry) = channel
                .get("messages")
                .and_then(|messages| messages.get(&key))
            else {
                continue;
            };
            let Some((message, message_at)) = self.follow(entry, &entry_at) else {
                continue;
            };
            if let Some(index) = self.message(message, &message_at, &key) {
                indices.push(index);
            }
        }
        if indices.is_empty() {
            self.error_if_rainmaker(&messages_at, "the channel has no message");
        }
        indices
    }

    /// Reads the message at `at` (known by `key` in its channel), once.
    fn message(&mut self, message: &'a Value, at: &Location, key: &str) -> Option<usize> {
        if let Some(index) = self.message_at.get(at) {
            return Some(*index);
        }
        let Some(object) = message.as_object() else {
            self.problems.error(at, "a message must be an object");
            return None;
        };
        let message = self.with_traits(object, at);
        let name = message
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_owned();
        let stem = name
            .strip_suffix("Message")
            .filter(|stem| !stem.is_empty())
            .unwrap_or(&name);
        let preferred = message
            .get("x-rust-name")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| naming::camel(stem))
            .unwrap_or_else(|| "Message".to_owned());
        let known = self
            .model
            .messages
            .iter()
            .map(|m| (m.variant.as_str(), &m.at));
        let mut names = Names::with_known(RESERVED_MESSAGE_NAMES, known);
        let variant = names.claim_or_warn(&preferred, at, &mut self.problems);
        let content_type = message
            .get("contentType")
            .and_then(Value::as_str)
            .unwrap_or(&self.default_content_type)
            .to_owned();
        let payload_at = at.join("payload");
        let (payload, encoding) = match message.get("payload") {
            None => {
                self.error_if_rainmaker(
                    &payload_at,
                    "the message has no payload: it is carried as raw bytes",
                );
                (TypeRef::Bytes, Encoding::Bytes)
            }
            Some(payload) => self.payload(payload, &payload_at, &content_type, &variant),
        };
        let mut notes = Vec::new();
        if let Some(headers) = message.get("headers") {
            let hint = format!("{variant}Headers");
            let ty = self.type_of(headers, &at.join("headers"), &hint);
            notes.push(match ty {
                TypeRef::Named(name) => format!(
                    "Headers: [`{name}`](super::messages::{name}) (MQTT 5 user properties; \
                     not part of the payload, so the dispatch does not decode them)."
                ),
                _ => {
                    "Headers are described by the document but not part of the payload.".to_owned()
                }
            });
        }
        if let Some(correlation) = message.get("correlationId") {
            let correlation = self
                .sources
                .follow(correlation, &at.join("correlationId"))
                .map(|(value, _)| value.clone())
                .unwrap_or_else(|_| correlation.clone());
            if let Some(location) = correlation.get("location").and_then(Value::as_str) {
                notes.push(format!("Correlation id: `{location}`."));
            }
        }
        let mut text = description(&Value::Object(message.clone())).unwrap_or_default();
        for note in notes {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&note);
        }
        let examples = self.examples(&message, at, encoding);
        let borrow = self.flag(&message, at, "x-rust-borrow");
        let sdk_json = self.flag(&message, at, "x-rainmaker-sdk-json");
        let decoded_examples = self.decoded_examples(&message, at);
        let schema = (encoding == Encoding::Json)
            .then(|| message.get("payload"))
            .flatten()
            .and_then(|payload| json_schema_of(payload, &at.join("payload")))
            .map(|(schema, schema_at)| self.inline_refs(schema, &schema_at, 0));
        self.model.messages.push(Message {
            at: at.clone(),
            name,
            variant,
            payload,
            encoding,
            content_type,
            description: (!text.is_empty()).then_some(text),
            examples,
            borrow,
            sdk_json,
            decoded_examples,
            schema,
        });
        let index = self.model.messages.len() - 1;
        self.message_at.insert(at.clone(), index);
        Some(index)
    }

    /// A boolean extension of a message (`false` when absent).
    fn flag(&mut self, message: &Map<String, Value>, at: &Location, key: &str) -> bool {
        match message.get(key) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                self.problems
                    .error(&at.join(key), format!("`{key}` must be a boolean"));
                false
            }
        }
    }

    /// The payload type of a message and how it is encoded, by content type.
    fn payload(
        &mut self,
        payload: &Value,
        at: &Location,
        content_type: &str,
        variant: &str,
    ) -> (TypeRef, Encoding) {
        let Some((schema, schema_at)) = json_schema_of(payload, at) else {
            let format = payload.get("schemaFormat").and_then(Value::as_str);
            self.problems.warning(
                at,
                format!(
                    "schema format `{}` is not JSON Schema: the payload is typed as {}",
                    format.unwrap_or_default(),
                    if is_json(content_type) {
                        "any JSON value"
                    } else {
                        "raw bytes"
                    }
                ),
            );
            return if is_json(content_type) {
                (TypeRef::Json, Encoding::Json)
            } else {
                (TypeRef::Bytes, Encoding::Bytes)
            };
        };
        if is_json(content_type) {
            let hint = variant.to_owned();
            return (self.type_of(schema, &schema_at, &hint), Encoding::Json);
        }
        // A binary or text payload: a runtime type with its own codec, else text or
        // raw bytes.
        let external =
            self.sources
                .follow(schema, &schema_at)
                .ok()
                .and_then(|(target, target_at)| {
                    let rust = target.get("x-rust-type")?.as_str()?;
                    Some((target.clone(), target_at, rust.to_owned()))
                });
        if let Some((target, target_at, rust)) = external {
            return (self.external(&target, &target_at, &rust), Encoding::Custom);
        }
        if content_type.starts_with("text/") {
            (TypeRef::String, Encoding::Text)
        } else {
            (TypeRef::Bytes, Encoding::Bytes)
        }
    }

    /// `object` with its `traits` applied: each trait (resolved) fills in what the
    /// object does not say itself.
    fn with_traits(&mut self, object: &Map<String, Value>, at: &Location) -> Map<String, Value> {
        let mut merged = object.clone();
        let Some(traits) = object.get("traits").and_then(Value::as_array) else {
            return merged;
        };
        merged.remove("traits");
        for (index, item) in traits.iter().enumerate() {
            let item_at = at.join("traits").join(index);
            let Some((item, _)) = self.follow(item, &item_at) else {
                continue;
            };
            if let Some(item) = item.as_object() {
                fill(&mut merged, item);
            }
        }
        merged
    }

    pub(super) fn operations(&mut self) {
        let base = Location::root().join("operations");
        for (_, at) in self.sources.entries(&base) {
            let Some((operation, at)) = self.resolve(&at) else {
                continue;
            };
            let Some(object) = operation.as_object() else {
                self.problems.error(&at, "an operation must be an object");
                continue;
            };
            let operation = Value::Object(self.with_traits(object, &at));
            let action = operation.get("action").and_then(Value::as_str);
            let sends = match action {
                Some("send") => true,
                Some("receive") => false,
                _ => {
                    self.problems
                        .error(&at.join("action"), "`action` must be `send` or `receive`");
                    continue;
                }
            };
            let channel_at = at.join("channel");
            let Some(index) = operation
                .get("channel")
                .and_then(|channel| self.sources.follow(channel, &channel_at).ok())
                .and_then(|(_, target)| {
                    self.model
                        .channels
                        .iter()
                        .position(|channel| channel.at == target)
                })
            else {
                if operation.get("channel").is_none() {
                    self.problems
                        .error(&channel_at, "the operation names no channel");
                }
                continue;
            };
            let direction = self.direction(&operation, &at, action.unwrap_or_default());
            let binding = mqtt_binding(&operation);
            let message_binding = self.message_binding(index);
            self.operation_messages(&operation, &at, index);
            let Some(channel) = self.model.channels.get_mut(index) else {
                continue;
            };
            channel.sends |= sends;
            channel.receives |= !sends;
            if let Some(direction) = direction {
                channel.direction = Some(direction);
            }
            let (qos, retain) = binding.or(message_binding).unwrap_or((None, None));
            if let Some(qos) = qos {
                channel.qos = channel.qos.max(qos);
            }
            if let Some(retain) = retain {
                channel.retain |= retain;
            }
        }
        for channel in &mut self.model.channels {
            if self.rainmaker && !channel.sends && !channel.receives {
                self.problems
                    .error(&channel.at, "the channel has no operation");
            }
            // A RainMaker direction says who really publishes: the node (the
            // document's application) neither sends nor receives what the broker
            // publishes, although the operation says `send`.
            if let Some(direction) = channel.direction {
                channel.sends = direction == Direction::NodeToCloud;
                channel.receives = direction == Direction::CloudToNode;
            }
        }
    }

    /// The QoS and retain of the first message of channel `index` that has an MQTT
    /// binding stating them.
    fn message_binding(&self, index: usize) -> Option<(Option<u8>, Option<bool>)> {
        let channel = self.model.channels.get(index)?;
        channel.messages.iter().find_map(|message| {
            let at = &self.model.messages.get(*message)?.at;
            mqtt_binding(self.sources.get(at)?)
        })
    }

    /// Checks that every message an operation lists belongs to its channel.
    fn operation_messages(&mut self, operation: &Value, at: &Location, channel: usize) {
        let Some(list) = operation.get("messages").and_then(Value::as_array) else {
            return;
        };
        for (index, entry) in list.iter().enumerate() {
            let entry_at = at.join("messages").join(index);
            let Ok((_, target)) = self.sources.follow(entry, &entry_at) else {
                continue;
            };
            let belongs = self.message_at.get(&target).is_some_and(|message| {
                self.model
                    .channels
                    .get(channel)
                    .is_some_and(|channel| channel.messages.contains(message))
            });
            if !belongs {
                self.error_if_rainmaker(
                    &entry_at,
                    "an operation message must be a message of the operation's channel",
                );
            }
        }
    }

    /// `x-rainmaker-direction`, checked against the action.
    fn direction(&mut self, operation: &Value, at: &Location, action: &str) -> Option<Direction> {
        let value = operation.get("x-rainmaker-direction")?;
        let direction_at = at.join("x-rainmaker-direction");
        let Some(direction) = value
            .as_str()
            .and_then(|text| Direction::ALL.into_iter().find(|d| d.wire() == text))
        else {
            self.problems.error(
                &direction_at,
                "`x-rainmaker-direction` must be node-to-cloud, cloud-to-node or broker-to-cloud",
            );
            return None;
        };
        if direction.action() != action {
            self.problems.error(
                &at.join("action"),
                format!(
                    "direction {} needs `action: {}`",
                    direction.wire(),
                    direction.action()
                ),
            );
        }
        Some(direction)
    }
}

/// The QoS and retain flag an object's `bindings.mqtt` states.
fn mqtt_binding(object: &Value) -> Option<(Option<u8>, Option<bool>)> {
    let mqtt = object.get("bindings")?.get("mqtt")?;
    let qos = mqtt
        .get("qos")
        .and_then(Value::as_u64)
        .filter(|qos| *qos <= 2)
        .and_then(|qos| u8::try_from(qos).ok());
    let retain = mqtt.get("retain").and_then(Value::as_bool);
    (qos.is_some() || retain.is_some()).then_some((qos, retain))
}

/// Fills `target` with what `source` says and `target` does not (objects merged
/// key by key, the target's own values winning).
fn fill(target: &mut Map<String, Value>, source: &Map<String, Value>) {
    for (key, value) in source {
        match (target.get_mut(key), value) {
            (Some(Value::Object(mine)), Value::Object(theirs)) => fill(mine, theirs),
            (Some(_), _) => {}
            (None, _) => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Whether a content type is JSON.
pub(crate) fn is_json(content_type: &str) -> bool {
    let base = content_type.split(';').next().unwrap_or_default().trim();
    base == "application/json" || base == "text/json" || base.ends_with("+json")
}

/// The JSON Schema of a message `payload` found at `at`, with its location: the
/// payload itself, or the `schema` of a Multi Format Schema Object
/// (`{schemaFormat, schema}`) in a JSON Schema format; `None` for other formats
/// (Avro, Protobuf...).
pub(super) fn json_schema_of<'p>(
    payload: &'p Value,
    at: &Location,
) -> Option<(&'p Value, Location)> {
    match (payload.get("schemaFormat"), payload.get("schema")) {
        (Some(format), Some(schema)) => {
            let format = format.as_str().unwrap_or_default();
            let json_schema = format.is_empty()
                || format.contains("asyncapi")
                || format.contains("schema+json")
                || format.contains("schema+yaml")
                || format.contains("openapi");
            json_schema.then(|| (schema, at.join("schema")))
        }
        _ => Some((payload, at.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traits_fill_in_without_overriding() {
        let mut target = serde_json::json!({"contentType": "a", "bindings": {"mqtt": {"qos": 2}}})
            .as_object()
            .cloned()
            .expect("object");
        let source = serde_json::json!({"contentType": "b", "headers": {}, "bindings": {"mqtt": {"qos": 1, "retain": true}}});
        fill(&mut target, source.as_object().expect("object"));
        assert_eq!(
            Value::Object(target),
            serde_json::json!({"contentType": "a", "headers": {}, "bindings": {"mqtt": {"qos": 2, "retain": true}}})
        );
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/cloudevents+json; charset=utf-8"));
        assert!(!is_json("application/octet-stream"));
        assert!(!is_json("text/plain"));
    }

    #[test]
    fn bindings_give_qos_and_retain() {
        let op = serde_json::json!({"bindings": {"mqtt": {"qos": 2, "retain": true}}});
        assert_eq!(mqtt_binding(&op), Some((Some(2), Some(true))));
        assert_eq!(mqtt_binding(&serde_json::json!({})), None);
    }
}
