//! How a decoded message is shown: readable text for people, JSON for programs, in
//! the Rust API's words (message `NodeConfig`, status `success`, role
//! `primary-user`, TLV fields by their names in the spec).

use rainmaker_types::runtime::{Repair, TopicForm};
use rainmaker_types::tlv::{Frame, RawFrame, ShowBytes, Tag};
use rainmaker_types::{Envelope, Message, commands};
use serde_json::{Value, json};

/// A decoded publish, as `decode` and `sniff` show it.
pub struct Shown {
    /// The topic as received.
    pub topic: String,
    /// The message, with the form of its topic.
    pub envelope: Envelope,
    /// The lenient mode's repairs.
    pub repairs: Vec<Repair>,
}

impl Shown {
    /// The payload as JSON: the message's own JSON, or a TLV frame's fields.
    pub fn payload(&self) -> Value {
        match self.envelope.message() {
            Message::FromNode(frame) => frame_json(frame.as_bytes()),
            Message::ToNode(frame) => frame_json(frame.as_bytes()),
            message => message
                .encode()
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .unwrap_or(Value::Null),
        }
    }

    /// Everything, as one JSON object.
    pub fn json(&self) -> Value {
        let topic = self.envelope.topic();
        json!({
            "topic": self.topic,
            "form": form(self.envelope.form()),
            "channel": topic.channel().address(),
            "message": self.envelope.message().name(),
            "node_id": topic.node_id().as_str(),
            "payload": self.payload(),
            "repairs": self.repairs.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })
    }

    /// A readable block of lines.
    pub fn text(&self) -> String {
        let topic = self.envelope.topic();
        let form = match self.envelope.form() {
            TopicForm::Plain => "",
            TopicForm::Ingest => " (basic ingest)",
        };
        let payload = serde_json::to_string_pretty(&self.payload()).unwrap_or_default();
        let mut text = format!(
            "topic    {}{form}\nchannel  {}\nmessage  {}\nnode     {}\npayload  {}\n",
            self.topic,
            topic.channel().address(),
            self.envelope.message().name(),
            topic.node_id(),
            payload.replace('\n', "\n         "),
        );
        for repair in &self.repairs {
            text.push_str(&format!("repaired {repair}\n"));
        }
        text
    }

    /// One line: the topic, the message, its compact payload, and what the lenient
    /// mode repaired.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{}  {}  {}",
            self.topic,
            self.envelope.message().name(),
            self.payload()
        );
        if !self.repairs.is_empty() {
            let repairs: Vec<String> = self.repairs.iter().map(ToString::to_string).collect();
            line.push_str(&format!("  [repaired: {}]", repairs.join("; ")));
        }
        line
    }
}

/// The spelling of a topic form.
fn form(form: TopicForm) -> &'static str {
    match form {
        TopicForm::Plain => "plain",
        TopicForm::Ingest => "ingest",
    }
}

/// A TLV frame's fields as JSON, each under its tag's name in the spec: the request
/// id (text, or hex when it is not), the role and status in words, the timestamp,
/// the command (with its catalogue name) and the data (JSON when it is).
fn frame_json(bytes: &[u8]) -> Value {
    let Ok(raw) = RawFrame::parse(bytes) else {
        return json!({ "hex": hex::encode(bytes) });
    };
    let name = |tag: Tag| tag.name().unwrap_or("unknown").to_owned();
    let mut fields = serde_json::Map::new();
    if let Some(id) = raw.request_id() {
        fields.insert(name(Tag::REQUEST_ID), text_or_hex(id));
    }
    if let Some(role) = raw.role() {
        fields.insert(name(Tag::USER_ROLE), json!(role.to_string()));
    }
    if let Some(status) = raw.status() {
        fields.insert(name(Tag::STATUS), json!(status.to_string()));
    }
    if let Some(timestamp) = raw.timestamp() {
        fields.insert(name(Tag::TIMESTAMP), json!(timestamp));
    }
    if let Some(command) = raw.command() {
        fields.insert(name(Tag::COMMAND), json!(command.0));
        if let Some(info) = commands::info(command) {
            fields.insert("command_name".into(), json!(info.name));
        }
    }
    if let Ok(frame) = Frame::from_raw(&raw) {
        let data = frame.data().to_vec();
        if !data.is_empty() {
            let value =
                serde_json::from_slice::<Value>(&data).unwrap_or_else(|_| text_or_hex(&data));
            fields.insert(name(Tag::DATA), value);
        }
    }
    Value::Object(fields)
}

/// Bytes as text when the frame line would show them as text, else as hex.
fn text_or_hex(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) if ShowBytes(bytes).is_text() => json!(text),
        _ => json!({ "hex": hex::encode(bytes) }),
    }
}
