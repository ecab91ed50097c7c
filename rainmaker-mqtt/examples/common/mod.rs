//! The broker arguments both examples take: the URL, then TLS as a deployment
//! needs it.

use std::path::PathBuf;

use rainmaker_mqtt::{Broker, TlsOptions};

/// Where the broker is and how to reach it.
#[derive(Debug, clap::Args)]
pub struct BrokerArgs {
    /// mqtt://HOST:PORT or mqtts://HOST:PORT.
    #[arg(default_value = "mqtt://localhost:1883")]
    pub broker: String,
    /// CA certificate (PEM): TLS. Alone, server-only TLS; with --cert and --key,
    /// mutual TLS.
    #[arg(long)]
    pub ca: Option<PathBuf>,
    /// Client certificate (PEM).
    #[arg(long, requires_all = ["ca", "key"])]
    pub cert: Option<PathBuf>,
    /// Client key (PEM).
    #[arg(long, requires_all = ["ca", "cert"])]
    pub key: Option<PathBuf>,
    /// The name the broker's certificate must carry, if not the host connected to.
    #[arg(long, requires = "ca")]
    pub server_name: Option<String>,
    /// ALPN protocol to offer (repeatable; `x-amzn-mqtt-ca` for AWS IoT on 443).
    #[arg(long, requires = "ca")]
    pub alpn: Vec<String>,
}

impl BrokerArgs {
    /// The broker with its TLS settings.
    pub fn broker(&self) -> Result<Broker, rainmaker_mqtt::Error> {
        let tls = TlsOptions {
            ca: self.ca.clone(),
            cert: self.cert.clone(),
            key: self.key.clone(),
            server_name: self.server_name.clone(),
            alpn: self.alpn.clone(),
        };
        tls.apply(self.broker.parse()?)
    }
}
