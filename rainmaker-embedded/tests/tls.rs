//! The driver over TLS 1.3 with a client certificate (P-256), against a mosquitto
//! that requires client certificates: the node boots and takes a write; a broker
//! whose certificate another CA signed is refused.
#![cfg(feature = "tls")]

mod common;

use rainmaker_embedded::tls::{Identity, TlsTransport};
use rainmaker_embedded::{Config, Event, LinkError};
use rainmaker_mqtt::{Broker, Consumer, TlsIdentity};
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::tls::Ca;
use rainmaker_types::{Channel, Message, NodeId, ParamValue, ParamsDocument, Topic};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::time::timeout;

use common::{Tcp, WAIT, next_on, node, spawn_over};

const NODE: &str = "E7";
const ACL: &str = "user cloud\ntopic readwrite node/#\nuser E7\ntopic readwrite node/E7/#\n";

/// DER of a PEM certificate, kept for the test's whole run.
fn cert_der(pem: &str) -> &'static [u8] {
    let der = CertificateDer::from_pem_slice(pem.as_bytes()).expect("a PEM certificate");
    Box::leak(der.as_ref().to_vec().into_boxed_slice())
}

fn key_der(pem: &str) -> Vec<u8> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .expect("a PEM key")
        .secret_der()
        .to_vec()
}

/// The node over TLS to the broker on `port`, trusting `trusted` and proving the
/// certificate `ca` made for it.
fn tls_node(port: u16, trusted: &Ca, ca: &Ca) -> common::Running {
    let identity = ca.client(NODE);
    let ca_der = cert_der(&trusted.cert_pem);
    let node_cert = cert_der(&identity.cert_pem);
    let node_key = key_der(&identity.key_pem);
    let config = Config {
        backoff: rainmaker_embedded::Backoff::new(200, 1_000, 5),
        ..Config::default()
    };
    spawn_over(
        node(NODE),
        move || {
            let identity = Identity::new(ca_der, node_cert, &node_key).expect("a P-256 key");
            TlsTransport::new(Tcp::new(port), identity, "localhost", rand_core::OsRng)
        },
        config,
        4096,
        4096,
    )
}

async fn cloud(ca: &Ca, port: u16) -> Consumer {
    let identity = ca.client("cloud");
    let tls = TlsIdentity::from_pem(
        ca.cert_pem.as_bytes(),
        Some((identity.cert_pem.as_bytes(), identity.key_pem.as_bytes())),
    )
    .expect("a TLS configuration")
    .with_server_name("localhost")
    .expect("a valid name");
    Consumer::connect(&Broker::tls("127.0.0.1", port, tls), "cloud", None)
        .await
        .expect("the cloud connects")
}

#[tokio::test]
async fn a_node_with_a_client_certificate_boots_and_takes_a_write_over_tls() {
    let binary = mosquitto_or_return!();
    let ca = Ca::new("embedded TLS CA");
    let broker = ca.start_broker(&binary, ACL);
    let mut cloud = cloud(&ca, broker.port()).await;
    let mut running = tls_node(broker.port(), &ca, &ca);
    let connected = timeout(
        WAIT,
        running.next(|event| match event {
            Event::Connected { .. } => Some(Ok(())),
            Event::Disconnected { error, .. } => Some(Err(*error)),
            _ => None,
        }),
    )
    .await
    .expect("an answer");
    assert_eq!(connected, Ok(()), "{}", broker.log());
    next_on(&mut cloud, Channel::NodeConfig).await;
    next_on(&mut cloud, Channel::ParamsLocalInit).await;
    next_on(&mut cloud, Channel::FromNode).await;

    let mut write = ParamsDocument::new();
    write.insert("Light", "Brightness", 64);
    let topic = Topic::ParamsRemote {
        node_id: NodeId::new(NODE).expect("a valid id"),
    };
    cloud.write_params(&topic, &write).await.expect("published");
    let delta = next_on(&mut cloud, Channel::ParamsLocal).await;
    let Ok((_, Message::ParamsLocal(delta))) = delta.decode().map(|envelope| envelope.into_parts())
    else {
        panic!("not a params document");
    };
    assert_eq!(
        delta
            .get("Light", "Brightness")
            .and_then(ParamValue::as_i64),
        Some(64)
    );
}

#[tokio::test]
async fn a_broker_whose_certificate_another_ca_signed_is_refused() {
    let binary = mosquitto_or_return!();
    let ca = Ca::new("the broker's CA");
    let other = Ca::new("a CA the node trusts");
    let broker = ca.start_broker(&binary, ACL);
    let mut running = tls_node(broker.port(), &other, &ca);
    let error = running
        .next(|event| match event {
            Event::Disconnected { error, .. } => Some(*error),
            Event::Connected { .. } => panic!("connected to a broker it does not trust"),
            _ => None,
        })
        .await;
    assert!(
        matches!(
            error,
            LinkError::Connect(embedded_io_async::ErrorKind::PermissionDenied)
        ),
        "{error:?}"
    );
    assert!(!running.link.borrow().connected);
    assert_eq!(running.link.borrow().last_error, Some(error));
}

#[tokio::test]
async fn a_node_whose_certificate_another_ca_signed_is_refused_by_the_broker() {
    let binary = mosquitto_or_return!();
    let ca = Ca::new("the broker's CA");
    let other = Ca::new("a CA the broker does not know");
    let broker = ca.start_broker(&binary, ACL);
    let mut running = tls_node(broker.port(), &ca, &other);
    let error = running
        .next(|event| match event {
            Event::Disconnected { error, .. } => Some(*error),
            Event::Connected { .. } => panic!("the broker took a certificate it cannot verify"),
            _ => None,
        })
        .await;
    // TLS 1.3 checks the client's certificate after the client's side of the
    // handshake: the refusal arrives as the answer to CONNECT.
    assert!(
        matches!(
            error,
            LinkError::Connect(_) | LinkError::Io(_) | LinkError::Closed
        ),
        "{error:?}"
    );
}
