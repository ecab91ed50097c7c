//! Readable lines for the messages of a conversation: time, direction, topic,
//! decoded payload. JSON is shown as sent; TLV frames are decoded into their
//! fields, never shown as hex.

use std::io::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use rainmaker_tlv::{Frame, ShowBytes};
use rainmaker_types::{Channel, Message};

/// Who sent a message to whom, or who is talking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The node published; the cloud received it.
    NodeToCloud,
    /// The cloud published; the node is subscribed.
    CloudToNode,
    /// A note from the node (an event or error it handled).
    Node,
    /// A note from the cloud (a step passed, a check made).
    Cloud,
}

impl Direction {
    fn label(self) -> &'static str {
        match self {
            Direction::NodeToCloud => "node -> cloud",
            Direction::CloudToNode => "cloud -> node",
            Direction::Node => "node",
            Direction::Cloud => "cloud",
        }
    }
}

/// Where lines go: standard output (the demo) and/or a buffer tests inspect.
#[derive(Debug, Clone)]
pub struct Log {
    echo: bool,
    width: Option<usize>,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Log {
    /// A log that prints every line as it happens and keeps it.
    pub fn stdout() -> Self {
        Self {
            echo: true,
            width: None,
            lines: Arc::default(),
        }
    }

    /// A log that only keeps its lines.
    pub fn quiet() -> Self {
        Self {
            echo: false,
            width: None,
            lines: Arc::default(),
        }
    }

    /// The same log, printing at most `width` characters of a line (the rest is
    /// counted, and kept in [`Log::lines`]).
    #[must_use]
    pub fn cut_at(mut self, width: usize) -> Self {
        self.width = Some(width);
        self
    }

    /// Writes one line: wall-clock time (UTC), direction, text.
    pub fn line(&self, direction: Direction, text: impl AsRef<str>) {
        let line = format!(
            "{}  {:<13}  {}",
            wall_clock(SystemTime::now()),
            direction.label(),
            text.as_ref()
        );
        self.raw(line);
    }

    /// Writes a message line: time, direction, topic, decoded payload.
    pub fn message(&self, direction: Direction, topic: &str, payload: &[u8]) {
        self.line(direction, format!("{topic}  {}", describe(topic, payload)));
    }

    /// Writes a line as it is (no time, no direction): summaries.
    pub fn raw(&self, line: String) {
        if self.echo {
            // A closed stdout must not stop the run.
            let mut out = std::io::stdout().lock();
            match self.width.and_then(|width| line.char_indices().nth(width)) {
                Some((cut, _)) => {
                    let rest = line.get(cut..).map_or(0, |rest| rest.chars().count());
                    let shown = line.get(..cut).unwrap_or_default();
                    let _ = writeln!(out, "{shown} ... (+{rest} characters)");
                }
                None => {
                    let _ = writeln!(out, "{line}");
                }
            }
            let _ = out.flush();
        }
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// `HH:MM:SS.mmm` of a time, in UTC.
pub fn wall_clock(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let day = since.as_secs() % 86_400;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        day / 3600,
        day / 60 % 60,
        day % 60,
        since.subsec_millis()
    )
}

/// A payload as text: TLV frames on `to-node` / `from-node` decoded into
/// fields, JSON shown compactly as sent. The topic is parsed and the
/// payload decoded with the generated protocol types; a payload that is not
/// a valid message of its channel is flagged with the decoder's error.
pub fn describe(topic: &str, payload: &[u8]) -> String {
    let channel = match Channel::of_topic(topic) {
        Ok(channel) => channel,
        Err(e) => {
            // Not a protocol topic: whichever reading of the bytes works.
            let text = match Frame::decode(payload) {
                Ok(_) if serde_json::from_slice::<serde_json::Value>(payload).is_err() => {
                    describe_tlv(payload)
                }
                _ => describe_json(payload),
            };
            return format!("{text}  [not a protocol topic: {e}]");
        }
    };
    let text = match channel {
        Channel::ToNode | Channel::FromNode => describe_tlv(payload),
        _ => describe_json(payload),
    };
    match Message::decode(channel, payload) {
        Ok(_) => text,
        // The text already says what is wrong with the bytes.
        Err(_) if text.starts_with("invalid ") => text,
        Err(e) => format!("{text}  [not a valid {channel} message: {e}]"),
    }
}

fn describe_json(payload: &[u8]) -> String {
    match std::str::from_utf8(payload) {
        Ok(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) => text.to_owned(),
            Err(e) => format!("invalid JSON ({e}): {text}"),
        },
        Err(_) => format!("{} bytes, not UTF-8: {}", payload.len(), ShowBytes(payload)),
    }
}

/// A TLV frame as `TLV ` and the frame's line (`request request_id=.. user_role=..
/// command=.. data=..`, `response ...` or `get pending`).
pub fn describe_tlv(payload: &[u8]) -> String {
    match Frame::decode(payload) {
        Ok(frame) => format!("TLV {frame}"),
        Err(e) => format!("invalid TLV frame ({e}): {}", ShowBytes(payload)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn clock() {
        let t = UNIX_EPOCH + Duration::from_millis(((12 * 60 + 1) * 60 + 1) * 1000 + 234);
        assert_eq!(wall_clock(t), "12:01:01.234");
    }

    #[test]
    fn tlv_frames_are_decoded() {
        let request = b"\x01\x03abc\x02\x01\x02\x05\x02\x01\x00\x06\x02{}";
        assert_eq!(
            describe("node/AB/to-node", request),
            "TLV request request_id=abc user_role=primary-user command=1 (set-params) data={}"
        );
        let response = b"\x01\x03abc\x03\x01\x04\x05\x02\x34\x12";
        assert_eq!(
            describe("node/AB/from-node", response),
            "TLV response request_id=abc status=not-found command=4660"
        );
        assert_eq!(
            describe("node/AB/from-node", &rainmaker_tlv::GET_PENDING_FRAME),
            "TLV get pending"
        );
        assert!(describe("node/AB/to-node", b"\x05").starts_with("invalid TLV frame ("));
    }

    #[test]
    fn json_is_shown_as_sent() {
        assert_eq!(
            describe("node/AB/params/local", br#"{"Light":{"Power":false}}"#),
            r#"{"Light":{"Power":false}}"#
        );
        assert!(describe("node/AB/params/remote", b"{oops").starts_with("invalid JSON ("));
        let flagged = describe("node/AB/otastatus", br#"{"status":"done"}"#);
        assert!(
            flagged.starts_with(
                r#"{"status":"done"}  [not a valid node/{node_id}/otastatus message: "#
            ) && flagged.contains("$.status"),
            "{flagged}"
        );
        assert!(
            describe("elsewhere/x", b"{}").starts_with("{}  [not a protocol topic: "),
            "{}",
            describe("elsewhere/x", b"{}")
        );
    }
}
