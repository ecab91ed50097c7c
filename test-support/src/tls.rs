//! Certificates made at test time: a CA, the broker's certificate (for
//! `localhost` and 127.0.0.1) and client certificates whose CN is the client's
//! identity (mosquitto takes it as the user name, and as the client id with
//! `use_username_as_clientid`).

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use crate::mosquitto::{Mosquitto, Settings, TlsListener};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};

/// A certificate authority made at test time.
pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate, PEM.
    pub cert_pem: String,
}

/// A certificate and its key, PEM.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The certificate.
    pub cert_pem: String,
    /// Its private key.
    pub key_pem: String,
}

impl Ca {
    /// A new self-signed CA called `name`.
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

    /// Starts mosquitto with a TLS listener that takes this CA's client
    /// certificates (the CN is the user name and the client id) and the ACL
    /// `acl` (`user` sections and `pattern ... %u` lines).
    ///
    /// # Panics
    ///
    /// If mosquitto does not start.
    pub fn start_broker(&self, binary: &Path, acl: &str) -> Mosquitto {
        self.start(binary, Some(acl), true)
    }

    /// Starts mosquitto with a server-only TLS listener (this CA's server
    /// certificate, anonymous clients without certificates).
    ///
    /// # Panics
    ///
    /// If mosquitto does not start.
    pub fn start_server_only_broker(&self, binary: &Path) -> Mosquitto {
        self.start(binary, None, false)
    }

    fn start(&self, binary: &Path, acl: Option<&str>, client_certificates: bool) -> Mosquitto {
        let server = self.server();
        Mosquitto::start_with(
            binary,
            &Settings {
                acl,
                tls: Some(TlsListener {
                    client_certificates,
                    ca_pem: &self.cert_pem,
                    cert_pem: &server.cert_pem,
                    key_pem: &server.key_pem,
                }),
                ..Settings::default()
            },
        )
    }
}
