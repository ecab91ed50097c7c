//! Where the broker is and how to reach it: `mqtt://` or `mqtts://` with X.509
//! mutual TLS (rustls), keep-alive and session options, as rumqttc options.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rumqttc::{MqttOptions, TlsConfiguration, Transport};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::{Error, TlsError, UrlProblem};

/// The largest packet either side accepts: AWS IoT's 128 KiB publish limit plus the
/// topic and header.
pub const MAX_PACKET_SIZE: usize = 128 * 1024 + 1024;

/// The SDK's keep-alive.
pub const KEEP_ALIVE: Duration = Duration::from_secs(120);

/// The PEM files of a TLS client identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// CA certificate(s) the broker's certificate must chain to.
    pub ca: PathBuf,
    /// The client certificate (chain).
    pub cert: PathBuf,
    /// The client's private key.
    pub key: PathBuf,
}

/// TLS as a command line gives it (`--ca`, `--cert`, `--key`, `--server-name`,
/// `--alpn`): the CA alone for server-only TLS, with the client certificate and
/// key for mutual TLS.
///
/// ```
/// use rainmaker_mqtt::{Broker, TlsOptions};
///
/// let broker: Broker = "mqtt://localhost".parse()?;
/// // Without a CA the broker is left as it is.
/// let plain = TlsOptions::default().apply(broker)?;
/// assert!(!plain.is_tls());
/// # Ok::<(), rainmaker_mqtt::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// The CA certificate(s) the broker's certificate must chain to (PEM).
    pub ca: Option<PathBuf>,
    /// The client certificate (PEM), for mutual TLS; with `key`.
    pub cert: Option<PathBuf>,
    /// The client's private key (PEM), for mutual TLS; with `cert`.
    pub key: Option<PathBuf>,
    /// The name the broker's certificate must carry, when it is not the host
    /// connected to ([`TlsIdentity::with_server_name`]).
    pub server_name: Option<String>,
    /// ALPN protocols to offer ([`TlsIdentity::with_alpn`]).
    pub alpn: Vec<String>,
}

impl TlsOptions {
    /// `broker` over TLS with these settings; `broker` unchanged without a CA.
    ///
    /// # Errors
    ///
    /// [`Error::Tls`]: a file that cannot be read or parsed, a certificate
    /// without its key (or the reverse), a bad server name, or TLS settings
    /// without a CA.
    pub fn apply(&self, broker: Broker) -> Result<Broker, Error> {
        let Some(ca) = &self.ca else {
            if self.cert.is_some() || self.key.is_some() || self.server_name.is_some() {
                return Err(Error::Tls(TlsError::NoCaGiven));
            }
            return Ok(broker);
        };
        let mut tls = match (&self.cert, &self.key) {
            (Some(cert), Some(key)) => TlsIdentity::load(&TlsFiles {
                ca: ca.clone(),
                cert: cert.clone(),
                key: key.clone(),
            })?,
            (None, None) => TlsIdentity::load_ca(ca)?,
            _ => return Err(Error::Tls(TlsError::HalfIdentity)),
        };
        if let Some(name) = &self.server_name {
            tls = tls.with_server_name(name)?;
        }
        if !self.alpn.is_empty() {
            tls = tls.with_alpn(self.alpn.iter().map(String::as_bytes));
        }
        Ok(broker.with_tls(tls))
    }
}

/// A TLS client configuration: the CA to trust and, for mutual TLS, the client's
/// certificate and key; optionally the name the broker's certificate must carry
/// (when it differs from the host connected to) and the ALPN protocols to offer.
#[derive(Clone)]
pub struct TlsIdentity {
    config: Arc<rustls::ClientConfig>,
    roots: Arc<rustls::RootCertStore>,
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsIdentity").finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// Reads the three PEM files.
    ///
    /// # Errors
    ///
    /// A [`TlsError`] naming the file and what is wrong with it.
    pub fn load(files: &TlsFiles) -> Result<Self, TlsError> {
        let ca = read(&files.ca)?;
        let cert = read(&files.cert)?;
        let key = read(&files.key)?;
        Self::from_pem(&ca, Some((&cert, &key))).map_err(|source| TlsError::Files {
            ca: files.ca.clone(),
            cert: files.cert.clone(),
            key: files.key.clone(),
            source: Box::new(source),
        })
    }

    /// Server-only TLS: the broker's certificate is checked against the CA in
    /// this PEM file, and the client shows no certificate (it authenticates
    /// otherwise, or not at all).
    ///
    /// # Errors
    ///
    /// A [`TlsError`] naming the file and what is wrong with it.
    pub fn load_ca(ca: &Path) -> Result<Self, TlsError> {
        let pem = read(ca)?;
        Self::from_pem(&pem, None).map_err(|source| TlsError::CaFile {
            ca: ca.to_owned(),
            source: Box::new(source),
        })
    }

    /// A configuration from PEM text: the CA and, optionally, the client certificate
    /// and key.
    ///
    /// # Errors
    ///
    /// A [`TlsError`] saying what is wrong with the PEM text.
    pub fn from_pem(ca_pem: &[u8], client: Option<(&[u8], &[u8])>) -> Result<Self, TlsError> {
        let pem = |part| move |source| TlsError::Pem { part, source };
        let rustls = |part| move |source| TlsError::Rustls { part, source };
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(ca_pem) {
            roots
                .add(cert.map_err(pem("CA certificate"))?)
                .map_err(rustls("CA certificate"))?;
        }
        if roots.is_empty() {
            return Err(TlsError::NoCa);
        }
        let roots = Arc::new(roots);
        let builder = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(rustls("protocol versions"))?
            .with_root_certificates(roots.clone());
        let config = match client {
            Some((cert_pem, key_pem)) => {
                let chain = CertificateDer::pem_slice_iter(cert_pem)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(pem("client certificate"))?;
                match chain.first() {
                    None => return Err(TlsError::NoClientCertificate),
                    Some(first) if is_x509_v1(first) => {
                        return Err(TlsError::Version1Certificate);
                    }
                    Some(_) => {}
                }
                let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(pem("client key"))?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(rustls("client certificate and key"))?
            }
            None => builder.with_no_client_auth(),
        };
        Ok(Self {
            config: Arc::new(config),
            roots,
        })
    }

    /// The same configuration, checking the broker's certificate against
    /// `name` instead of the host connected to: for a broker reached by an
    /// address its certificate does not name (an IP without an IP SAN, a tunnel).
    /// Everything else is verified as usual.
    ///
    /// # Errors
    ///
    /// [`TlsError::ServerName`] for a name that is neither a DNS name nor an IP
    /// address.
    pub fn with_server_name(mut self, name: &str) -> Result<Self, TlsError> {
        let name = rustls::pki_types::ServerName::try_from(name.to_owned()).map_err(|_| {
            TlsError::ServerName {
                name: name.to_owned(),
            }
        })?;
        let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
            self.roots.clone(),
            provider(),
        )
        .build()
        .map_err(|source| TlsError::Verifier {
            reason: source.to_string(),
        })?;
        let mut config = (*self.config).clone();
        config
            .dangerous()
            .set_certificate_verifier(Arc::new(NamedServer { verifier, name }));
        self.config = Arc::new(config);
        Ok(self)
    }

    /// The same configuration, offering these ALPN protocols (AWS IoT Core takes
    /// MQTT with X.509 client certificates on port 443 with `x-amzn-mqtt-ca`).
    #[must_use]
    pub fn with_alpn<P: Into<Vec<u8>>>(mut self, protocols: impl IntoIterator<Item = P>) -> Self {
        let mut config = (*self.config).clone();
        config.alpn_protocols = protocols.into_iter().map(Into::into).collect();
        self.config = Arc::new(config);
        self
    }
}

/// The crypto provider of every TLS configuration here.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// A server certificate verifier that checks the chain as usual but against a
/// fixed name ([`TlsIdentity::with_server_name`]).
#[derive(Debug)]
struct NamedServer {
    verifier: Arc<rustls::client::WebPkiServerVerifier>,
    name: rustls::pki_types::ServerName<'static>,
}

impl rustls::client::danger::ServerCertVerifier for NamedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _connected_to: &rustls::pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        self.verifier
            .verify_server_cert(end_entity, intermediates, &self.name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.verifier.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.verifier.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.verifier.supported_verify_schemes()
    }
}

/// Whether a DER certificate is X.509 version 1: its `TBSCertificate` does not
/// start with the explicit `[0]` version field.
fn is_x509_v1(der: &[u8]) -> bool {
    /// The tag of a DER value and what follows its length octets.
    fn open(bytes: &[u8]) -> Option<(u8, &[u8])> {
        let (&tag, rest) = bytes.split_first()?;
        let (&length, rest) = rest.split_first()?;
        let long_form = if length < 0x80 {
            0
        } else {
            usize::from(length & 0x7f)
        };
        Some((tag, rest.get(long_form..)?))
    }
    const SEQUENCE: u8 = 0x30;
    const VERSION: u8 = 0xa0;
    match open(der) {
        Some((SEQUENCE, certificate)) => match open(certificate) {
            Some((SEQUENCE, tbs)) => tbs.first() != Some(&VERSION),
            _ => false,
        },
        _ => false,
    }
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.to_owned(),
        source,
    })
}

/// A broker and the connection options every client of this crate uses.
///
/// ```
/// use rainmaker_mqtt::Broker;
///
/// let broker: Broker = "mqtt://127.0.0.1:1883".parse()?;
/// assert_eq!(broker.to_string(), "mqtt://127.0.0.1:1883");
/// assert!(broker.persistent_session());
/// # Ok::<(), rainmaker_mqtt::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Broker {
    host: String,
    port: u16,
    tls: Option<TlsIdentity>,
    wants_tls: bool,
    keep_alive: Duration,
    persistent: bool,
    max_packet_size: usize,
}

impl Broker {
    /// A plain TCP broker.
    pub fn plain(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            tls: None,
            wants_tls: false,
            keep_alive: KEEP_ALIVE,
            persistent: true,
            max_packet_size: MAX_PACKET_SIZE,
        }
    }

    /// A TLS broker, with `identity` as the client's.
    pub fn tls(host: impl Into<String>, port: u16, identity: TlsIdentity) -> Self {
        Self {
            tls: Some(identity),
            wants_tls: true,
            ..Self::plain(host, port)
        }
    }

    /// The same broker with this TLS identity (an `mqtts://` URL needs one).
    #[must_use]
    pub fn with_tls(mut self, identity: TlsIdentity) -> Self {
        self.tls = Some(identity);
        self.wants_tls = true;
        self
    }

    /// Clean sessions (`false`, as the SDK connects) or persistent sessions
    /// (`true`, the default here): with a persistent session the broker keeps the
    /// subscriptions and the unacknowledged QoS 1 messages across reconnections.
    #[must_use]
    pub fn with_persistent_session(mut self, persistent: bool) -> Self {
        self.persistent = persistent;
        self
    }

    /// The same broker with another keep-alive (120 s by default, as the SDK).
    #[must_use]
    pub fn with_keep_alive(mut self, keep_alive: Duration) -> Self {
        self.keep_alive = keep_alive;
        self
    }

    /// The same broker with another packet limit, both ways ([`MAX_PACKET_SIZE`]
    /// by default). A message over it cannot be read: the connection drops and
    /// the next one starts a clean session so that the broker discards it (see
    /// [`RunnerEvent::MessageTooLarge`](crate::RunnerEvent::MessageTooLarge)).
    #[must_use]
    pub fn with_max_packet_size(mut self, bytes: usize) -> Self {
        self.max_packet_size = bytes;
        self
    }

    /// Whether the connection is TLS (`mqtts://`).
    pub fn is_tls(&self) -> bool {
        self.wants_tls
    }

    /// Whether clients ask for a persistent session.
    pub fn persistent_session(&self) -> bool {
        self.persistent
    }

    /// The host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The rumqttc options of a client with this id.
    ///
    /// # Errors
    ///
    /// [`Error::Tls`] for an `mqtts://` broker without a TLS identity.
    pub fn mqtt_options(&self, client_id: &str) -> Result<MqttOptions, Error> {
        let mut options = MqttOptions::new(client_id, self.host.clone(), self.port);
        options
            .set_keep_alive(self.keep_alive)
            .set_clean_session(!self.persistent)
            .set_max_packet_size(self.max_packet_size, self.max_packet_size);
        match (&self.tls, self.wants_tls) {
            (Some(tls), _) => {
                options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(
                    tls.config.clone(),
                )));
            }
            (None, true) => {
                return Err(Error::Tls(TlsError::MissingIdentity {
                    broker: self.to_string(),
                }));
            }
            (None, false) => {}
        }
        Ok(options)
    }
}

impl fmt::Display for Broker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.wants_tls { "mqtts" } else { "mqtt" };
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)
        }
    }
}

impl FromStr for Broker {
    type Err = Error;

    /// `mqtts://host:port` (TLS, port 8883 if omitted; add the identity with
    /// [`Broker::with_tls`]) or `mqtt://host:port` (plain TCP, port 1883 if omitted).
    fn from_str(url: &str) -> Result<Self, Error> {
        let bad = |problem| Error::Url {
            url: url.to_owned(),
            problem,
        };
        let (tls, rest) = if let Some(rest) = url.strip_prefix("mqtts://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("mqtt://") {
            (false, rest)
        } else {
            return Err(bad(UrlProblem::Scheme));
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let default_port = if tls { 8883 } else { 1883 };
        // `[::1]:8883` style IPv6 literals keep their brackets out of the host.
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6
                .split_once(']')
                .ok_or_else(|| bad(UrlProblem::UnclosedBracket))?;
            match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None if after.is_empty() => (host, None),
                None => return Err(bad(UrlProblem::AfterHost(after.to_owned()))),
            }
        } else {
            match rest.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            }
        };
        if host.is_empty() || host.contains('/') {
            return Err(bad(UrlProblem::Host(host.to_owned())));
        }
        let port = match port {
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| bad(UrlProblem::Port(port.to_owned())))?,
            None => default_port,
        };
        let mut broker = Self::plain(host, port);
        broker.wants_tls = tls;
        Ok(broker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_certificates_are_told_apart() {
        // SEQUENCE { SEQUENCE { [0] { INTEGER 2 } ... } }: version 3.
        let v3 = [
            0x30, 0x82, 0x01, 0x00, 0x30, 0x81, 0x80, 0xa0, 0x03, 0x02, 0x01, 0x02,
        ];
        assert!(!is_x509_v1(&v3));
        // SEQUENCE { SEQUENCE { INTEGER serial ... } }: version 1.
        assert!(is_x509_v1(&[0x30, 0x0a, 0x30, 0x08, 0x02, 0x01, 0x05]));
        assert!(!is_x509_v1(b"not DER"));
    }

    #[test]
    fn broker_urls() {
        let broker: Broker = "mqtts://broker.example:8884".parse().expect("valid");
        assert_eq!((broker.host(), broker.port()), ("broker.example", 8884));
        assert_eq!(broker.to_string(), "mqtts://broker.example:8884");
        assert!(matches!(
            broker.mqtt_options("n"),
            Err(Error::Tls(TlsError::MissingIdentity { .. }))
        ));
        let broker: Broker = "mqtt://127.0.0.1".parse().expect("valid");
        assert_eq!(broker.port(), 1883);
        assert!(broker.mqtt_options("n").is_ok());
        let broker: Broker = "mqtts://[::1]".parse().expect("valid");
        assert_eq!((broker.host(), broker.port()), ("::1", 8883));
        assert_eq!(broker.to_string(), "mqtts://[::1]:8883");
        for (bad, expected) in [
            ("http://x:1", UrlProblem::Scheme),
            ("mqtts://:1", UrlProblem::Host(String::new())),
            ("mqtts://x:0", UrlProblem::Port("0".into())),
            ("mqtts://x:99999", UrlProblem::Port("99999".into())),
            ("mqtts://x/y:1", UrlProblem::Host("x/y".into())),
            ("mqtts://[::1", UrlProblem::UnclosedBracket),
            ("mqtts://[::1]x", UrlProblem::AfterHost("x".into())),
        ] {
            match bad.parse::<Broker>() {
                Err(Error::Url { url, problem }) => {
                    assert_eq!((url.as_str(), problem), (bad, expected));
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_pem_is_a_clear_error() {
        let err = TlsIdentity::from_pem(b"not a certificate", None).expect_err("no CA");
        assert!(matches!(err, TlsError::NoCa), "{err}");
        assert!(
            err.to_string()
                .starts_with("no CA certificate in the CA file")
        );
    }

    #[test]
    fn sessions_are_persistent_by_default() {
        let broker = Broker::plain("localhost", 1883);
        let options = broker.mqtt_options("node").expect("plain");
        assert!(!options.clean_session());
        let clean = broker
            .with_persistent_session(false)
            .mqtt_options("node")
            .expect("plain");
        assert!(clean.clean_session());
    }
}
