//! How a decoded message is shown: readable text for people, JSON for programs.

use rainmaker_types::runtime::{Repair, TopicForm};
use rainmaker_types::tlv::{Frame, RawFrame};
use rainmaker_types::{Envelope, Message, commands};
use serde_json::{Value, json};

/// A decoded publish, as `decode` and `sniff` show it.
pub struct Shown {
    /// The topic as received.
    pub topic: String,
    /// Its form.
    pub form: TopicForm,
    /// The message.
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
            "form": match self.form { TopicForm::Plain => "plain", TopicForm::Ingest => "ingest" },
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
        let form = match self.form {
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

    /// One line: the topic, the message and its compact payload.
    pub fn line(&self) -> String {
        format!(
            "{}  {}  {}",
            self.topic,
            self.envelope.message().name(),
            self.payload()
        )
    }
}

/// A TLV frame's fields as JSON: request id (text when printable, else hex), role,
/// status, timestamp, command (with its catalogue name) and data (JSON when it is).
fn frame_json(bytes: &[u8]) -> Value {
    let Ok(raw) = RawFrame::parse(bytes) else {
        return json!({ "hex": hex::encode(bytes) });
    };
    let mut fields = serde_json::Map::new();
    if let Some(id) = raw.request_id() {
        fields.insert("request_id".into(), text_or_hex(id));
    }
    if let Some(role) = raw.role() {
        fields.insert("role".into(), json!(role.0));
    }
    if let Some(status) = raw.status() {
        fields.insert("status".into(), json!(status.0));
    }
    if let Some(timestamp) = raw.timestamp() {
        fields.insert("timestamp".into(), json!(timestamp));
    }
    if let Some(command) = raw.command() {
        fields.insert("command".into(), json!(command.0));
        if let Some(info) = commands::info(command) {
            fields.insert("command_name".into(), json!(info.name));
        }
    }
    if let Ok(frame) = Frame::from_raw(&raw) {
        let data = frame.data().to_vec();
        if !data.is_empty() {
            let value =
                serde_json::from_slice::<Value>(&data).unwrap_or_else(|_| text_or_hex(&data));
            fields.insert("data".into(), value);
        }
    }
    Value::Object(fields)
}

fn text_or_hex(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.chars().all(|c| !c.is_control()) => json!(text),
        _ => json!({ "hex": hex::encode(bytes) }),
    }
}
