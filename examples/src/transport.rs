//! Where the MQTT clients connect and how: plain TCP to the embedded broker, or
//! TLS with an X.509 client certificate (mutual TLS, as AWS IoT requires) to an
//! external broker.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rumqttc::{MqttOptions, TlsConfiguration, Transport};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::{Error, Result};

/// Largest publish the clients send or accept: AWS IoT's 128 KiB plus headers.
pub const MAX_PACKET_SIZE: usize = 128 * 1024 + 1024;

/// Keep-alive of every client: the SDK's default, 120 s.
pub const KEEP_ALIVE: Duration = Duration::from_secs(120);

/// PEM files of a client's TLS identity and of the CA it trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// CA certificate(s) that signed the broker's certificate.
    pub ca: PathBuf,
    /// The client's certificate (chain).
    pub cert: PathBuf,
    /// The client's private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// The TLS material a client presents, already loaded.
#[derive(Clone)]
pub struct TlsIdentity {
    config: Arc<rustls::ClientConfig>,
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsIdentity").finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// Loads PEM files into a rustls client configuration with the `ring`
    /// provider. Every problem is reported with the file it came from.
    pub fn load(files: &TlsFiles) -> Result<Self> {
        let ca = read(&files.ca)?;
        let cert = read(&files.cert)?;
        let key = read(&files.key)?;
        Self::from_pem(&ca, Some((&cert, &key))).map_err(|reason| {
            Error::Tls(format!(
                "{reason} (ca {}, cert {}, key {})",
                files.ca.display(),
                files.cert.display(),
                files.key.display()
            ))
        })
    }

    /// Builds the configuration from PEM text: the CA to trust and,
    /// optionally, the client's certificate chain and key. Without a client
    /// identity the client offers no certificate (which a mutual-TLS broker
    /// refuses; the tests use that).
    pub fn from_pem(ca_pem: &[u8], client: Option<(&[u8], &[u8])>) -> Result<Self, String> {
        let mut roots = rustls::RootCertStore::empty();
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(ca_pem) {
            let cert = cert.map_err(|e| format!("CA certificate: {e}"))?;
            roots
                .add(cert)
                .map_err(|e| format!("CA certificate: {e}"))?;
            found += 1;
        }
        if found == 0 {
            return Err("no CA certificate in the CA file".into());
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots);
        let config = match client {
            Some((cert_pem, key_pem)) => {
                let chain = CertificateDer::pem_slice_iter(cert_pem)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("client certificate: {e}"))?;
                if chain.is_empty() {
                    return Err("no certificate in the client certificate file".into());
                }
                let key = PrivateKeyDer::from_pem_slice(key_pem)
                    .map_err(|e| format!("client key: {e}"))?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| format!("client certificate and key: {e}"))?
            }
            None => builder.with_no_client_auth(),
        };
        Ok(Self {
            config: Arc::new(config),
        })
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))
}

/// A broker address with its transport.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Host name or IP address; with TLS, the name the broker's certificate
    /// must carry.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// TLS identity, or `None` for plain TCP.
    pub tls: Option<TlsIdentity>,
}

impl Endpoint {
    /// A plain-TCP endpoint.
    pub fn plain(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            tls: None,
        }
    }

    /// A TLS endpoint.
    pub fn tls(host: impl Into<String>, port: u16, identity: TlsIdentity) -> Self {
        Self {
            host: host.into(),
            port,
            tls: Some(identity),
        }
    }

    /// MQTT options for a client with this id: clean session, the SDK's
    /// keep-alive, AWS IoT's packet size limit.
    pub fn mqtt_options(&self, client_id: &str) -> MqttOptions {
        let mut options = MqttOptions::new(client_id, self.host.clone(), self.port);
        options
            .set_keep_alive(KEEP_ALIVE)
            .set_clean_session(true)
            .set_max_packet_size(MAX_PACKET_SIZE, MAX_PACKET_SIZE);
        if let Some(tls) = &self.tls {
            options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(
                tls.config.clone(),
            )));
        }
        options
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls.is_some() { "mqtts" } else { "mqtt" };
        write!(f, "{scheme}://{}:{}", self.host, self.port)
    }
}

/// A broker URL from the command line: `mqtts://host:port` (TLS, port 8883 if
/// omitted) or `mqtt://host:port` (plain TCP, port 1883 if omitted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    /// Whether the URL asks for TLS.
    pub tls: bool,
    /// Host name or IP address.
    pub host: String,
    /// TCP port.
    pub port: u16,
}

impl std::str::FromStr for BrokerUrl {
    type Err = String;

    fn from_str(url: &str) -> Result<Self, String> {
        let (tls, rest) = if let Some(rest) = url.strip_prefix("mqtts://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("mqtt://") {
            (false, rest)
        } else {
            return Err(format!(
                "`{url}` is not an MQTT URL (mqtts://host:port or mqtt://host:port)"
            ));
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let default_port = if tls { 8883 } else { 1883 };
        // `[::1]:8883` style IPv6 literals keep their brackets out of the host.
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6
                .split_once(']')
                .ok_or_else(|| format!("`{url}`: unclosed `[` in the host"))?;
            match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None if after.is_empty() => (host, None),
                None => return Err(format!("`{url}`: unexpected `{after}` after the host")),
            }
        } else {
            match rest.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            }
        };
        if host.is_empty() || host.contains('/') {
            return Err(format!("`{url}`: bad host `{host}`"));
        }
        let port = match port {
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("`{url}`: bad port `{port}`"))?,
            None => default_port,
        };
        Ok(Self {
            tls,
            host: host.to_owned(),
            port,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_urls() {
        let url: BrokerUrl = "mqtts://broker.example:8884".parse().unwrap();
        assert_eq!(
            url,
            BrokerUrl {
                tls: true,
                host: "broker.example".into(),
                port: 8884
            }
        );
        let url: BrokerUrl = "mqtt://127.0.0.1".parse().unwrap();
        assert_eq!((url.tls, url.port), (false, 1883));
        let url: BrokerUrl = "mqtts://[::1]".parse().unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", 8883));
        for bad in [
            "http://x:1",
            "mqtts://:1",
            "mqtts://x:0",
            "mqtts://x:99999",
            "mqtts://x/y:1",
            "mqtts://[::1",
        ] {
            assert!(bad.parse::<BrokerUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_pem_is_a_clear_error() {
        let err = TlsIdentity::from_pem(b"not a certificate", None).unwrap_err();
        assert_eq!(err, "no CA certificate in the CA file");
    }
}
