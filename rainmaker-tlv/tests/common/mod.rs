//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rainmaker_tlv::{Command, Outcome, Request, Router, UserRole};
use serde_json::Value as Json;

/// The vector file, copied unchanged from the C-implementation run.
pub const VECTORS: &str = include_str!("../data/tlv-c-sdk.json");

/// One vector of the file.
pub struct Vector {
    pub kind: String,
    pub name: String,
    pub json: Json,
}

impl Vector {
    pub fn str(&self, key: &str) -> &str {
        self.json[key]
            .as_str()
            .unwrap_or_else(|| panic!("{}: {key} is not a string", self.name))
    }

    pub fn u64(&self, key: &str) -> u64 {
        self.json[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{}: {key} is not an integer", self.name))
    }

    pub fn hex(&self, key: &str) -> Vec<u8> {
        hex::decode(self.str(key)).unwrap_or_else(|e| panic!("{}: {key}: {e}", self.name))
    }
}

/// Every vector in the file.
pub fn vectors() -> Vec<Vector> {
    let doc: Json = serde_json::from_str(VECTORS).expect("vector file is JSON");
    doc["vectors"]
        .as_array()
        .expect("vectors array")
        .iter()
        .map(|v| Vector {
            kind: v["kind"].as_str().expect("kind").to_owned(),
            name: v["name"].as_str().expect("name").to_owned(),
            json: v.clone(),
        })
        .collect()
}

/// The request id of the set-params example in PROTOCOL 11.7.
pub const EXAMPLE_REQUEST_ID: &[u8] = b"EQPf7Rj7HFiBhFhvNMjLaB";

/// The set-params request of PROTOCOL 11.7, encoded: a primary user turns
/// `Light` off (36 bytes of data, timestamp 1748871366).
pub fn example_request() -> Vec<u8> {
    Request::new(Command::SET_PARAMS, UserRole::PRIMARY_USER)
        .with_request_id(EXAMPLE_REQUEST_ID)
        .with_timestamp(1_748_871_366)
        .with_data(&br#"{"params":{"Light":{"Power":false}}}"#[..])
        .to_vec()
        .unwrap()
}

/// The handler the `handle` vectors were produced with: command 1, roles
/// admin|primary; fails on the data `fail`, otherwise answers
/// `{"echo_len":<data length>,"ts":<timestamp or 0>}`.
pub fn vector_handler(req: &Request<'_>, out: &mut Vec<u8>) -> Outcome {
    if req.data.eq_bytes(b"fail") {
        return Outcome::Failed;
    }
    let text = format!(
        "{{\"echo_len\":{},\"ts\":{}}}",
        req.data.len(),
        req.timestamp.unwrap_or(0)
    );
    out.extend_from_slice(text.as_bytes());
    Outcome::Done
}

/// A router configured as the vector file describes.
pub fn vector_router() -> Router<'static> {
    let mut router = Router::new();
    router.register(
        Command::SET_PARAMS,
        UserRole::SUPER_ADMIN | UserRole::PRIMARY_USER,
        vector_handler,
    );
    router
}
