//! Shared helpers of the spec-driven tests: loading the spec once, listing its
//! messages and channels, building topics for a channel, and decoding hex examples.
//!
//! Each test file uses a different subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use rainmaker_codegen::{Location, Pointer, Sources};
use rainmaker_types::{Channel, GroupId, NodeId, Topic};
use serde_json::Value;

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(PathBuf::from)
        .expect("rainmaker-types lives inside the workspace")
}

/// The spec document (one file), read through the generator's reader.
pub struct Spec {
    sources: Sources,
}

impl Spec {
    /// The whole document.
    pub fn document(&self) -> &Value {
        self.sources.root()
    }

    /// The value at `at`, without following `$ref`s.
    pub fn get(&self, at: &Pointer) -> Option<&Value> {
        self.sources.get(&Location::in_root(at.clone()))
    }

    /// The value at `at` after following `$ref`s, and where it really lives.
    pub fn resolve(&self, at: &Pointer) -> Result<(&Value, Pointer), String> {
        self.sources
            .resolve(&Location::in_root(at.clone()))
            .map(|(value, at)| (value, at.pointer().clone()))
            .map_err(|error| error.to_string())
    }

    /// Follows `value` (found at `at`) through its `$ref`s.
    pub fn follow<'a>(
        &'a self,
        value: &'a Value,
        at: &Pointer,
    ) -> Result<(&'a Value, Pointer), String> {
        self.sources
            .follow(value, &Location::in_root(at.clone()))
            .map(|(value, at)| (value, at.pointer().clone()))
            .map_err(|error| error.to_string())
    }

    /// The keys of the mapping at `at`, in document order.
    pub fn ordered_keys(&self, at: &Pointer) -> Option<Vec<String>> {
        let at = Location::in_root(at.clone());
        self.sources.get(&at)?.as_object()?;
        Some(self.sources.keys(&at))
    }
}

/// The spec, loaded once per test binary.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = workspace_root().join(rainmaker_codegen::SPEC_PATH);
        let sources =
            Sources::load(&path).unwrap_or_else(|error| panic!("cannot load the spec: {error}"));
        Spec { sources }
    })
}

/// A pointer from its text (`/components/messages/...`).
pub fn pointer(text: &str) -> Pointer {
    Pointer::parse(text).unwrap_or_else(|| panic!("`{text}` is not a JSON pointer"))
}

/// The value at `at`, after following `$ref`s.
pub fn resolve(at: &Pointer) -> (&'static Value, Pointer) {
    spec()
        .resolve(at)
        .unwrap_or_else(|error| panic!("cannot resolve {at}: {error}"))
}

/// Follows `value` (found at `at`) through its `$ref`s.
pub fn follow(value: &'static Value, at: &Pointer) -> (&'static Value, Pointer) {
    spec()
        .follow(value, at)
        .unwrap_or_else(|error| panic!("cannot follow {at}: {error}"))
}

/// The keys of the mapping at `text`, in document order.
pub fn keys(text: &str) -> Vec<String> {
    spec()
        .ordered_keys(&pointer(text))
        .unwrap_or_else(|| panic!("no mapping at {text}"))
}

/// One message of `components/messages`.
#[derive(Debug, Clone)]
pub struct SpecMessage {
    /// The message's key (equal to its `name`).
    pub name: String,
    /// Where it lives in the spec.
    pub at: Pointer,
    /// Its `contentType`.
    pub content_type: String,
    /// The payload schema, `$ref`s followed, and where it lives.
    pub payload: (&'static Value, Pointer),
    /// The keys of the channels whose `messages` reference it.
    pub channels: Vec<String>,
}

impl SpecMessage {
    /// Whether the payload is a TLV frame (examples are hex).
    pub fn is_tlv(&self) -> bool {
        self.content_type == "application/octet-stream"
    }

    /// The message object itself.
    pub fn object(&self) -> &'static Value {
        spec()
            .get(&self.at)
            .unwrap_or_else(|| panic!("{} vanished", self.at))
    }

    /// The `(name, payload)` of every example.
    pub fn examples(&self) -> Vec<(String, &'static Value)> {
        let examples = self
            .object()
            .get("examples")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{}: no examples", self.at));
        examples
            .iter()
            .enumerate()
            .map(|(index, example)| {
                let name = example
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("#{index}"), str::to_owned);
                let payload = example
                    .get("payload")
                    .unwrap_or_else(|| panic!("{}/examples/{index}: no payload", self.at));
                (name, payload)
            })
            .collect()
    }

    /// The generated channels that carry this message (from the spec's channel keys).
    pub fn generated_channels(&self) -> Vec<Channel> {
        self.channels
            .iter()
            .map(|key| {
                channel_by_key(key)
                    .unwrap_or_else(|| panic!("spec channel `{key}` has no Channel variant"))
            })
            .collect()
    }
}

/// Every message of `components/messages`, in document order, with its channels.
pub fn messages() -> Vec<SpecMessage> {
    let channel_keys = keys("/channels");
    keys("/components/messages")
        .into_iter()
        .map(|name| {
            let at = pointer("/components/messages").join(&name);
            let (object, at) = resolve(&at);
            let content_type = object
                .get("contentType")
                .and_then(Value::as_str)
                .or_else(|| spec().document().get("defaultContentType")?.as_str())
                .unwrap_or_else(|| panic!("{at}: no contentType"))
                .to_owned();
            let payload = resolve(&at.join("payload"));
            let channels = channel_keys
                .iter()
                .filter(|channel| channel_message_pointers(channel).contains(&at))
                .cloned()
                .collect();
            SpecMessage {
                name,
                at,
                content_type,
                payload,
                channels,
            }
        })
        .collect()
}

/// The message a channel's `messages` entries resolve to.
pub fn channel_message_pointers(channel: &str) -> Vec<Pointer> {
    let at = pointer("/channels").join(channel).join("messages");
    let Some(entries) = spec().get(&at).and_then(Value::as_object) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|(key, entry)| follow(entry, &at.join(key)).1)
        .collect()
}

/// The generated channel whose key is `key`.
pub fn channel_by_key(key: &str) -> Option<Channel> {
    Channel::ALL
        .into_iter()
        .find(|channel| channel.info().key == key)
}

/// The node and group ids the example topics use.
pub use rainmaker_test_support::node::{GROUP_ID, NODE_ID};

/// The topic of `channel` for the given ids: its address with the ids put in,
/// parsed.
pub fn topic_for(channel: Channel, node: &NodeId, group: &GroupId) -> Topic {
    let address = expected_address(channel, node.as_str(), group.as_str());
    let topic = Topic::parse(&address).unwrap_or_else(|error| panic!("{address}: {error}"));
    assert_eq!(topic.channel(), channel, "{address}");
    topic
}

/// The topic of `channel` an example `payload` travels on: the node the payload
/// names (`node_id`, or `clientId` of presence events), else [`NODE_ID`]; group
/// [`GROUP_ID`].
pub fn example_topic(channel: Channel, payload: &serde_json::Value) -> Topic {
    let named = ["node_id", "clientId"]
        .iter()
        .find_map(|key| payload.get(key)?.as_str());
    let node = NodeId::new(named.unwrap_or(NODE_ID)).expect("valid node id");
    let group = GroupId::new(GROUP_ID).expect("valid group id");
    topic_for(channel, &node, &group)
}

/// The channel's address with its parameters substituted: what a topic string must be.
pub use rainmaker_test_support::node::address_of as expected_address;

/// Decodes hex (as the spec's TLV examples are written).
pub fn hex(text: &str) -> Result<Vec<u8>, hex::FromHexError> {
    hex::decode(text)
}

/// `bytes` as lower-case hex, for failure messages.
pub fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Parses encoded JSON back into a value, naming `what` on failure.
pub fn json(bytes: &[u8], what: &str) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|error| {
        panic!(
            "{what}: re-encoded bytes are not JSON ({error}): {}",
            String::from_utf8_lossy(bytes)
        )
    })
}
