//! The embedded broker: rumqttd in this process, on a free loopback port.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use rumqttd::{Broker, Config, ConnectionSettings, RouterConfig, ServerSettings};

use crate::error::{Error, Result};
use rainmaker_mqtt::MAX_PACKET_SIZE;

/// How long the broker gets to accept connections.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A running rumqttd broker (MQTT 3.1.1, plain TCP, no authentication) on
/// `127.0.0.1`.
///
/// rumqttd has no shutdown: its threads end with the process, which is what
/// the demo wants.
#[derive(Debug)]
pub struct EmbeddedBroker {
    addr: SocketAddr,
}

impl EmbeddedBroker {
    /// Starts the broker on a free loopback port and waits (at most
    /// [`START_TIMEOUT`]) until it accepts connections. A port taken by
    /// another process in the meantime costs a retry on a new port.
    pub fn start() -> Result<Self> {
        let mut last = None;
        for _ in 0..3 {
            match Self::start_once() {
                Ok(broker) => return Ok(broker),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::Embedded("did not start".into())))
    }

    fn start_once() -> Result<Self> {
        let port = free_port().map_err(|e| Error::Embedded(format!("no free port: {e}")))?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let mut broker = Broker::new(config(addr));
        // `start` blocks while the listener threads run; when it returns, the
        // broker is gone (rumqttd only logs a failed bind).
        let (ended_tx, ended_rx) = mpsc::channel();
        thread::Builder::new()
            .name("rumqttd".into())
            .spawn(move || {
                let outcome = broker.start();
                let _ = ended_tx.send(outcome.map_err(|e| e.to_string()));
            })
            .map_err(|e| Error::Embedded(format!("cannot start its thread: {e}")))?;
        wait_until_listening(addr, START_TIMEOUT, || match ended_rx.try_recv() {
            Ok(Err(reason)) => Some(reason),
            Ok(Ok(())) | Err(mpsc::TryRecvError::Disconnected) => {
                Some(format!("stopped before listening on {addr}"))
            }
            Err(mpsc::TryRecvError::Empty) => None,
        })?;
        Ok(Self { addr })
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

fn config(addr: SocketAddr) -> Config {
    let connections = ConnectionSettings {
        connection_timeout_ms: 10_000,
        max_payload_size: MAX_PACKET_SIZE,
        max_inflight_count: 100,
        auth: None,
        external_auth: None,
        dynamic_filters: true,
    };
    let server = ServerSettings {
        name: "demo".into(),
        listen: addr,
        tls: None,
        next_connection_delay_ms: 1,
        connections,
    };
    Config {
        id: 0,
        router: RouterConfig {
            max_connections: 64,
            max_outgoing_packet_count: 200,
            max_segment_size: 1024 * 1024,
            max_segment_count: 10,
            ..RouterConfig::default()
        },
        v4: Some(HashMap::from([("demo".to_owned(), server)])),
        ..Config::default()
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago: bound to port 0, read
/// back, released. Another process could take it before it is used again;
/// callers detect that when their server fails to listen.
pub fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Polls `addr` until a TCP connection succeeds, `failed` reports why the
/// server cannot come up, or `timeout` passes. Nothing tells a client when
/// another thread or process has bound its socket, so this is a bounded poll.
pub fn wait_until_listening(
    addr: SocketAddr,
    timeout: Duration,
    mut failed: impl FnMut() -> Option<String>,
) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(reason) = failed() {
            return Err(Error::Embedded(reason));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Error::Embedded(format!(
                "not listening on {addr} after {} s",
                timeout.as_secs()
            )));
        }
        thread::sleep(Duration::from_millis(20));
    }
}
