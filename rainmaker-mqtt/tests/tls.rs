//! TLS as deployments need it, against mosquitto with mutual TLS: the broker's
//! certificate checked against a name other than the host connected to, and
//! server-only TLS from the CA alone.

use rainmaker_mqtt::{Broker, Consumer, Error, TlsIdentity};
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::tls::Ca;

const ACL: &str = "user cloud\ntopic readwrite node/#\ntopic read $aws/rules/#\n";

fn broker_as(ca: &Ca, port: u16, server_name: &str) -> Broker {
    let cloud = ca.client("cloud");
    let tls = TlsIdentity::from_pem(
        ca.cert_pem.as_bytes(),
        Some((cloud.cert_pem.as_bytes(), cloud.key_pem.as_bytes())),
    )
    .expect("a TLS configuration")
    .with_server_name(server_name)
    .expect("a valid name")
    .with_alpn(["mqtt"]);
    Broker::tls("127.0.0.1", port, tls)
}

#[tokio::test]
async fn the_broker_certificate_is_checked_against_the_server_name_given() {
    let binary = mosquitto_or_return!();
    let ca = Ca::new("server name CA");
    let broker = ca.start_broker(&binary, ACL);
    // Reached at 127.0.0.1, checked as `localhost`: the certificate names it.
    let named = broker_as(&ca, broker.port(), "localhost");
    let consumer = Consumer::connect(&named, "cloud", None).await;
    assert!(consumer.is_ok(), "{:?}\n{}", consumer.err(), broker.log());
    // Checked as a name the certificate does not carry: refused.
    let wrong = broker_as(&ca, broker.port(), "broker.example");
    match Consumer::connect(&wrong, "cloud", None).await {
        Err(Error::Connect { source, .. }) => {
            assert!(source.to_string().contains("certificate"), "{source}");
        }
        other => panic!("connected to a broker under the wrong name: {other:?}"),
    }
    assert!(matches!(
        TlsIdentity::from_pem(ca.cert_pem.as_bytes(), None)
            .expect("server-only")
            .with_server_name("not a name!"),
        Err(rainmaker_mqtt::TlsError::ServerName { .. })
    ));
}

#[tokio::test]
async fn server_only_tls_takes_the_ca_alone() {
    let binary = mosquitto_or_return!();
    let ca = Ca::new("server-only CA");
    let broker = ca.start_server_only_broker(&binary);
    let dir = rainmaker_test_support::unique_temp_path("rainmaker-server-only");
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, &ca.cert_pem).expect("written");
    let options = rainmaker_mqtt::TlsOptions {
        ca: Some(ca_file),
        ..rainmaker_mqtt::TlsOptions::default()
    };
    let url: Broker = broker.url().parse().expect("an mqtts:// URL");
    let url = options.apply(url).expect("server-only TLS");
    let consumer = Consumer::connect(&url, "cloud-anonymous", None).await;
    let _ = std::fs::remove_dir_all(&dir);
    assert!(consumer.is_ok(), "{:?}\n{}", consumer.err(), broker.log());
}
