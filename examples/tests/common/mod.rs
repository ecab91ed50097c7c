//! Test support: certificates made at test time, and a mosquitto broker with a
//! mutual-TLS listener and an AWS-IoT-like ACL, started as a child process
//! and stopped (with its files removed) on drop.
#![allow(dead_code)]

use std::fs;
use std::io::Read as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rainmaker_examples::broker::{free_port, wait_until_listening};
use rainmaker_mqtt::{Broker, TlsIdentity};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};

/// How long mosquitto gets to listen.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);

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

/// A certificate authority made at test time.
pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate, PEM.
    pub cert_pem: String,
}

/// A certificate and its key, PEM.
#[derive(Debug, Clone)]
pub struct Identity {
    pub cert_pem: String,
    pub key_pem: String,
}

impl Ca {
    pub fn new(name: &str) -> Self {
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let cert = params.self_signed(&key).expect("self-signed CA");
        Self {
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
        }
    }

    /// The broker's certificate: `localhost` and 127.0.0.1.
    pub fn server(&self) -> Identity {
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.sign(params)
    }

    /// A client certificate whose CN (the identity mosquitto takes as the
    /// user name) is `id`.
    pub fn client(&self, id: &str) -> Identity {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, id);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.sign(params)
    }

    fn sign(&self, params: CertificateParams) -> Identity {
        let key = KeyPair::generate().expect("key");
        let cert = params.signed_by(&key, &self.issuer).expect("sign");
        Identity {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

/// A mosquitto 2.x broker on a free loopback port with one TLS listener that
/// requires a client certificate from the test CA. The certificate's CN is
/// the user name and replaces the client id (as AWS IoT's policy ties the
/// client id to the certificate's thing); the ACL gives each node `node/<its id>/...` (and its
/// basic-ingest topics, publish only) and the cloud everything under
/// `node/` and `$aws/rules/`.
pub struct Mosquitto {
    child: Child,
    port: u16,
    ca: Ca,
    dir: TempDir,
}

impl Mosquitto {
    pub fn start(binary: &Path) -> Self {
        let ca = Ca::new("rainmaker test CA");
        let dir = TempDir::new("rainmaker-mosquitto");
        let server = ca.server();
        let ca_file = dir.write("ca.pem", &ca.cert_pem);
        let cert_file = dir.write("server.pem", &server.cert_pem);
        let key_file = dir.write("server.key", &server.key_pem);
        let acl_file = dir.write(
            "acl",
            format!(
                "# The cloud service.\n\
                 user {CLOUD_ID}\n\
                 topic readwrite node/#\n\
                 topic read $aws/rules/#\n\
                 \n\
                 # Every node: its own topics only (the user name is the CN).\n\
                 pattern readwrite node/%u/#\n\
                 pattern write $aws/rules/+/node/%u/#\n"
            ),
        );
        // A port taken between `free_port` and mosquitto's bind shows up as
        // an early exit: try again with another port.
        let mut last_log = String::new();
        for _ in 0..3 {
            let port = free_port().expect("a free port");
            let conf = dir.write(
                "mosquitto.conf",
                format!(
                    "persistence false\n\
                     log_dest stderr\n\
                     log_type error\nlog_type warning\nlog_type notice\nlog_type information\n\
                     connection_messages true\n\
                     per_listener_settings false\n\
                     allow_anonymous false\n\
                     acl_file {acl}\n\
                     \n\
                     listener {port} 127.0.0.1\n\
                     cafile {ca}\n\
                     certfile {cert}\n\
                     keyfile {key}\n\
                     require_certificate true\n\
                     use_identity_as_username true\n\
                     use_username_as_clientid true\n",
                    acl = acl_file.display(),
                    ca = ca_file.display(),
                    cert = cert_file.display(),
                    key = key_file.display(),
                ),
            );
            let log = fs::File::create(dir.path().join("mosquitto.log")).expect("log file");
            let mut child = Command::new(binary)
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log file"))
                .stderr(log)
                .spawn()
                .expect("start mosquitto");
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            let log_dir = dir.path().to_owned();
            let ready = wait_until_listening(addr, START_TIMEOUT, || match child.try_wait() {
                Ok(Some(status)) => Some(format!("mosquitto exited: {status}")),
                Ok(None) => None,
                Err(e) => Some(e.to_string()),
            })
            .and_then(|()| {
                // Another test's broker may answer on a port this one failed to
                // bind: only this broker's own log says the port is its own.
                let opened = format!("listen socket on port {port}");
                let deadline = std::time::Instant::now() + START_TIMEOUT;
                while !read_log(&log_dir).contains(&opened) {
                    if let Ok(Some(status)) = child.try_wait() {
                        return Err(rainmaker_examples::Error::Embedded(format!(
                            "mosquitto exited: {status}"
                        )));
                    }
                    if std::time::Instant::now() > deadline {
                        return Err(rainmaker_examples::Error::Embedded(format!(
                            "mosquitto did not open port {port}"
                        )));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Ok(())
            });
            match ready {
                Ok(()) => {
                    return Self {
                        child,
                        port,
                        ca,
                        dir,
                    };
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    last_log = format!("{e}\n{}", read_log(dir.path()));
                }
            }
        }
        panic!("mosquitto did not start:\n{last_log}");
    }

    pub fn port(&self) -> u16 {
        self.port
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
        Broker::tls("127.0.0.1", self.port, tls).with_persistent_session(false)
    }

    /// An endpoint for a client with a certificate from the test CA and CN `id`.
    pub fn endpoint_for(&self, id: &str) -> Broker {
        self.endpoint(Some(&self.ca.client(id)))
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        read_log(self.dir.path())
    }

    /// The temp dir holding the configuration, certificates and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn read_log(dir: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = fs::File::open(dir.join("mosquitto.log")) {
        let _ = file.read_to_string(&mut text);
    }
    text
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
