//! Why a command failed, with the error under it kept, and the exit status it
//! gives: 1 when a payload does not decode or a simulation lost messages, 2 for bad
//! arguments, 3 when the broker cannot be reached, the input cannot be read or
//! the node to check never booted.

use std::path::PathBuf;

use rainmaker_cli::check::CheckError;
use rainmaker_mqtt::TlsError;
use rainmaker_types::DispatchError;
use rainmaker_types::ids::IdError;
use rainmaker_types::node::NodeError;
use serde_json::{Value, json};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A payload file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Standard input cannot be read.
    #[error("cannot read standard input: {0}")]
    Stdin(#[source] std::io::Error),
    /// `--hex` input that is not hex.
    #[error("the input is not hex: {0}")]
    Hex(#[from] hex::FromHexError),
    /// The payload is not a message of its topic.
    #[error("{topic}: {source}{}", if *repairable {
        " (the C SDK writes payloads like this one: `--lenient` repairs it)"
    } else {
        ""
    })]
    Decode {
        /// The topic.
        topic: String,
        /// Why it does not decode.
        #[source]
        source: DispatchError,
        /// Whether the lenient mode would repair and decode it.
        repairable: bool,
    },
    /// The broker URL, the connection or the MQTT client.
    #[error(transparent)]
    Broker(#[from] rainmaker_mqtt::Error),
    /// The TLS files.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// The certificate folder holds fewer node identities than nodes asked for.
    #[error(
        "{}: {found} node identities (<node id>.pem with <node id>.key) for {nodes} nodes",
        dir.display()
    )]
    CertDir {
        /// The folder.
        dir: PathBuf,
        /// How many identities it holds.
        found: usize,
        /// How many nodes were asked for.
        nodes: usize,
    },
    /// A simulated node could not be built.
    #[error("simulated node {node}: {source}")]
    SimNode {
        /// The node id.
        node: String,
        /// Why.
        #[source]
        source: NodeError,
    },
    /// A simulated node's id is not a valid node id.
    #[error("simulated node id {id:?}: {source}")]
    SimNodeId {
        /// The id.
        id: String,
        /// Why.
        #[source]
        source: IdError,
    },
    /// The summary file cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The async runtime cannot start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// Not every simulated node booted.
    #[error("only {booted} of {nodes} nodes booted within {} s", waited.as_secs())]
    Boot {
        /// How many booted.
        booted: usize,
        /// How many were started.
        nodes: usize,
        /// How long they had.
        waited: std::time::Duration,
    },
    /// `--trigger` is not JSON.
    #[error("the trigger is not JSON: {0}")]
    Trigger(#[source] serde_json::Error),
    /// `--tz` is not a POSIX time zone.
    #[error("`{tz}` is not a POSIX time zone: {source}")]
    Zone {
        /// The zone given.
        tz: String,
        /// Where and why.
        #[source]
        source: rainmaker_types::clock::TzError,
    },
    /// `check-node` could not check the node.
    #[error(transparent)]
    Check(#[from] rainmaker_cli::check::CheckError),
    /// `--node-id` is not a node id.
    #[error("node id {id:?}: {source}")]
    NodeId {
        /// The id given.
        id: String,
        /// Why it is not one.
        #[source]
        source: IdError,
    },
    /// A simulation lost, duplicated or could not decode messages.
    #[error("{lost} lost, {late} late, {duplicates} duplicated, {undecodable} undecodable")]
    Lost {
        /// Messages sent and never received.
        lost: u64,
        /// Messages received after their round was settled as lost.
        late: u64,
        /// Messages received twice.
        duplicates: u64,
        /// Messages that did not decode.
        undecodable: u64,
    },
}

impl Error {
    /// The exit status.
    pub fn status(&self) -> u8 {
        match self {
            Self::Decode { .. } | Self::Boot { .. } | Self::Lost { .. } => 1,
            Self::Broker(rainmaker_mqtt::Error::Url { .. })
            | Self::Check(CheckError::Broker(rainmaker_mqtt::Error::Url { .. }))
            | Self::NodeId { .. }
            | Self::Trigger(_)
            | Self::Zone { .. } => 2,
            Self::Read { .. }
            | Self::Stdin(_)
            | Self::Hex(_)
            | Self::Broker(_)
            | Self::Tls(_)
            | Self::CertDir { .. }
            | Self::SimNode { .. }
            | Self::SimNodeId { .. }
            | Self::Write { .. }
            | Self::Check(_)
            | Self::Runtime(_) => 3,
        }
    }

    /// What kind of failure, in one word, for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Decode { .. } => "decode",
            Self::Boot { .. } | Self::Lost { .. } => "lost",
            Self::Broker(rainmaker_mqtt::Error::Url { .. })
            | Self::Check(CheckError::Broker(rainmaker_mqtt::Error::Url { .. }))
            | Self::NodeId { .. }
            | Self::Trigger(_)
            | Self::Zone { .. } => "usage",
            Self::Broker(_) | Self::Tls(_) | Self::Check(CheckError::Broker(_)) => "broker",
            Self::Check(CheckError::NeverBooted { .. }) => "no-boot",
            Self::Read { .. }
            | Self::Stdin(_)
            | Self::Hex(_)
            | Self::CertDir { .. }
            | Self::SimNode { .. }
            | Self::SimNodeId { .. }
            | Self::Write { .. }
            | Self::Runtime(_) => "input",
        }
    }

    /// The error as `--json` prints it: kind, message, exit status, and the chain
    /// of causes.
    pub fn json(&self) -> Value {
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            causes.push(cause.to_string());
            source = cause.source();
        }
        let mut error = json!({
            "kind": self.kind(),
            "message": self.to_string(),
            "status": self.status(),
            "causes": causes,
        });
        if let Self::Decode { repairable, .. } = self {
            error["repairable"] = json!(repairable);
        }
        json!({ "error": error })
    }
}
