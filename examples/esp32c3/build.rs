//! Takes the node's configuration from the build's environment (see README.md)
//! and writes it to `OUT_DIR/config.rs`: Wi-Fi credentials, the broker, the node
//! id, and the DER files of the CA, the node's certificate and its key, which the
//! firmware embeds.

use std::fmt::Write as _;
use std::path::PathBuf;

/// (variable, what it is, default).
const SETTINGS: &[(&str, &str, Option<&str>)] = &[
    ("WIFI_SSID", "the Wi-Fi network's name", None),
    (
        "WIFI_PASSWORD",
        "its password (empty for an open network)",
        Some(""),
    ),
    (
        "RAINMAKER_BROKER_HOST",
        "the MQTT broker's host name or IPv4 address",
        None,
    ),
    ("RAINMAKER_BROKER_PORT", "its TLS port", Some("8883")),
    (
        "RAINMAKER_NODE_ID",
        "the node id (the client id and the CN of the certificate)",
        None,
    ),
    (
        "RAINMAKER_SERVER_NAME",
        "the name the broker's certificate carries (default: the host)",
        Some(""),
    ),
];

/// (variable, what the DER file holds).
const FILES: &[(&str, &str)] = &[
    (
        "RAINMAKER_CA",
        "the CA certificate the broker's certificate chains to",
    ),
    ("RAINMAKER_CERT", "the node's certificate"),
    (
        "RAINMAKER_KEY",
        "the node's P-256 private key (PKCS#8 or SEC1)",
    ),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = String::from("// Written by build.rs from the build's environment.\n");
    let mut missing = Vec::new();
    for (name, what, default) in SETTINGS {
        println!("cargo:rerun-if-env-changed={name}");
        let value = match (std::env::var(name), default) {
            (Ok(value), _) => value,
            (Err(_), Some(default)) => (*default).to_owned(),
            (Err(_), None) => {
                missing.push(format!("  {name}: {what}"));
                continue;
            }
        };
        writeln!(config, "pub const {name}: &str = {value:?};")?;
    }
    for (name, what) in FILES {
        println!("cargo:rerun-if-env-changed={name}");
        match std::env::var(name) {
            Ok(path) => {
                let path = std::fs::canonicalize(PathBuf::from(&path))
                    .map_err(|error| format!("{name}={path}: {error}"))?;
                println!("cargo:rerun-if-changed={}", path.display());
                writeln!(
                    config,
                    "pub static {name}: &[u8] = include_bytes!({:?});",
                    path.display().to_string()
                )?;
            }
            Err(_) => missing.push(format!("  {name}: the DER file of {what}")),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "the node is configured at build time; set these variables (README.md):\n{}",
            missing.join("\n")
        )
        .into());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("config.rs"), config)?;
    Ok(())
}
