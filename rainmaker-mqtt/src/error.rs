//! What can go wrong running a node or a consumer: each error keeps the error under
//! it ([`std::error::Error::source`]) and says what to check.

use std::path::PathBuf;
use std::time::Duration;

use rainmaker_types::EncodeError;
use rainmaker_types::node::NodeError;

/// What can go wrong running a node or a consumer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A broker URL that is not `mqtt://host[:port]` or `mqtts://host[:port]`.
    #[error("`{url}`: {problem}; write mqtt://host[:port] or mqtts://host[:port]")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        problem: UrlProblem,
    },
    /// TLS files or settings.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// The broker could not be reached, or refused the connection.
    #[error("cannot connect to {broker}: {source}")]
    Connect {
        /// The broker.
        broker: String,
        /// The client's error.
        #[source]
        source: Box<rumqttc::ConnectionError>,
    },
    /// The broker did not accept the connection (and subscriptions) in time.
    #[error(
        "{broker} did not accept the connection within {} s: is it running, and is the address \
         right?",
        waited.as_secs()
    )]
    Timeout {
        /// The broker.
        broker: String,
        /// How long the client waited.
        waited: Duration,
    },
    /// The client did not take a request in time: the broker is down and the
    /// client holds requests back until it is up again.
    #[error("the MQTT client did not take the request within {} s: is the broker up?", waited.as_secs())]
    NotTaken {
        /// How long the request waited.
        waited: Duration,
    },
    /// The MQTT client refused a request: its connection task has stopped.
    #[error("the MQTT client refused the request (its connection has stopped): {0}")]
    Client(#[from] rumqttc::ClientError),
    /// A payload could not be encoded.
    #[error("cannot encode the payload: {0}")]
    Encode(#[from] EncodeError),
    /// The node refused a change.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// The runner or consumer has stopped.
    #[error("the MQTT task has stopped")]
    Stopped,
}

/// What is wrong with a broker URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlProblem {
    /// It starts with neither `mqtt://` nor `mqtts://`.
    #[error("not an MQTT URL")]
    Scheme,
    /// An IPv6 host's `[` is not closed.
    #[error("unclosed `[` in the host")]
    UnclosedBracket,
    /// Something follows the host that is not a port.
    #[error("unexpected `{0}` after the host")]
    AfterHost(String),
    /// The host is empty or holds a `/`.
    #[error("bad host `{0}`")]
    Host(String),
    /// The port is not a number from 1 to 65535.
    #[error("bad port `{0}`")]
    Port(String),
}

/// What is wrong with a TLS set-up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// PEM text that does not parse.
    #[error("{part}: {source}")]
    Pem {
        /// Which part (`CA certificate`, `client certificate`, `client key`).
        part: &'static str,
        /// The PEM error.
        #[source]
        source: rustls::pki_types::pem::Error,
    },
    /// The CA file holds no certificate.
    #[error(
        "no CA certificate in the CA file: give the PEM of the CA that signed the broker's certificate"
    )]
    NoCa,
    /// The client certificate file holds no certificate.
    #[error("no certificate in the client certificate file")]
    NoClientCertificate,
    /// An X.509 version 1 client certificate, which TLS refuses during the handshake
    /// in words that seem to blame the broker.
    #[error(
        "client certificate: X.509 version 1; TLS needs a version 3 certificate (one with \
         extensions): make it again, e.g. `openssl x509 -req -extfile` with any extension"
    )]
    Version1Certificate,
    /// rustls refused part of the configuration.
    #[error("{part}: {source}")]
    Rustls {
        /// Which part (`CA certificate`, `protocol versions`, `client certificate and
        /// key`).
        part: &'static str,
        /// rustls's error.
        #[source]
        source: rustls::Error,
    },
    /// A problem with one of the files of an identity, with the files named.
    #[error("{source} (CA {}, certificate {}, key {})", ca.display(), cert.display(), key.display())]
    Files {
        /// The CA file.
        ca: PathBuf,
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// The problem.
        #[source]
        source: Box<TlsError>,
    },
    /// A client certificate without its key, or a key without its certificate.
    #[error("mutual TLS needs both the client certificate and its key")]
    HalfIdentity,
    /// TLS settings (a client certificate, a server name) without the CA to
    /// check the broker with.
    #[error("TLS settings need the CA that signed the broker's certificate (--ca)")]
    NoCaGiven,
    /// A problem with the CA file of a server-only TLS configuration.
    #[error("{source} (CA {})", ca.display())]
    CaFile {
        /// The CA file.
        ca: PathBuf,
        /// The problem.
        #[source]
        source: Box<TlsError>,
    },
    /// An `mqtts://` broker was given no TLS identity.
    #[error(
        "{broker} needs a TLS configuration: give the CA (and, for mutual TLS, the client \
         certificate and its key)"
    )]
    MissingIdentity {
        /// The broker.
        broker: String,
    },
    /// A server name to check the broker's certificate against that is neither a
    /// DNS name nor an IP address.
    #[error("`{name}` is not a DNS name or an IP address")]
    ServerName {
        /// The name as given.
        name: String,
    },
    /// The certificate verifier could not be built from the CA certificates.
    #[error("cannot verify servers with these CA certificates: {reason}")]
    Verifier {
        /// Why.
        reason: String,
    },
}
