//! Test support: a mosquitto broker with a mutual-TLS listener and an
//! AWS-IoT-like ACL (certificates made at test time by
//! `rainmaker_test_support::tls`), stopped with its files removed on drop.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use rainmaker_mqtt::{Broker, TlsIdentity};
pub use rainmaker_test_support::tls::{Ca, Identity};

/// The client id and certificate CN of the simulated cloud.
pub const CLOUD_ID: &str = "cloud";

/// A directory under the system temp dir, removed with everything in it on
/// drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        let path = rainmaker_test_support::unique_temp_path(prefix);
        fs::create_dir_all(&path).expect("create a temp dir");
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, contents).expect("write a temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The ACL: the cloud may touch every node's topics; each node only its own
/// (the user name is its certificate's CN) and its basic-ingest topics, publish
/// only.
pub const ACL: &str = "# The cloud service.\n\
                       user cloud\n\
                       topic readwrite node/#\n\
                       topic read $aws/rules/#\n\
                       \n\
                       # Every node: its own topics only (the user name is the CN).\n\
                       pattern readwrite node/%u/#\n\
                       pattern write $aws/rules/+/node/%u/#\n";

/// A mosquitto 2.x broker on a free loopback port with one TLS listener that
/// requires a client certificate from the test CA. The certificate's CN is the
/// user name and replaces the client id (as AWS IoT's policy ties the client id
/// to the certificate's thing), and [`ACL`] applies.
pub struct Mosquitto {
    broker: rainmaker_test_support::mosquitto::Mosquitto,
    ca: Ca,
}

impl Mosquitto {
    pub fn start(binary: &Path) -> Self {
        let ca = Ca::new("rainmaker test CA");
        let broker = ca.start_broker(binary, ACL);
        Self { broker, ca }
    }

    pub fn port(&self) -> u16 {
        self.broker.port()
    }

    /// The broker's CA.
    pub fn ca(&self) -> &Ca {
        &self.ca
    }

    /// A TLS endpoint presenting `identity` (or no certificate), trusting
    /// the test CA.
    pub fn endpoint(&self, identity: Option<&Identity>) -> Broker {
        let client = identity.map(|id| (id.cert_pem.as_bytes(), id.key_pem.as_bytes()));
        let tls = TlsIdentity::from_pem(self.ca.cert_pem.as_bytes(), client).expect("TLS config");
        Broker::tls("127.0.0.1", self.port(), tls).with_persistent_session(false)
    }

    /// An endpoint for a client with a certificate from the test CA and CN `id`.
    pub fn endpoint_for(&self, id: &str) -> Broker {
        self.endpoint(Some(&self.ca.client(id)))
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        self.broker.log()
    }

    /// The temp dir holding the configuration, certificates and log.
    pub fn dir(&self) -> &Path {
        self.broker.dir()
    }
}
