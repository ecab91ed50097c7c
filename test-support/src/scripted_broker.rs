//! A scripted MQTT 3.1.1 broker on a loopback port, for what a real broker will
//! not do on demand: refuse a subscription, withhold acknowledgements and close
//! the connection, then start every session new.
//!
//! It speaks just enough of the protocol for one client at a time: CONNECT
//! (answered with a CONNACK without a session), SUBSCRIBE, UNSUBSCRIBE, PUBLISH at
//! QoS 0 and 1, PINGREQ and DISCONNECT. It never sends a PUBLISH.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// What the broker does beyond answering every request.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Topic filters whose subscription it refuses (SUBACK return code 0x80).
    pub refuse: Vec<String>,
    /// On the first connection, it acknowledges no publish and closes the
    /// connection after this many QoS 1 publishes.
    pub drop_first_after: Option<usize>,
}

/// A running scripted broker; it stops when dropped.
#[derive(Debug)]
pub struct ScriptedBroker {
    addr: SocketAddr,
    acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl ScriptedBroker {
    /// Starts the broker on a free loopback port.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    pub fn start(script: Script) -> Self {
        let listener =
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback port for the broker");
        let addr = listener.local_addr().expect("its address");
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, stopped) = (acknowledged.clone(), stop.clone());
        thread::spawn(move || {
            for (index, stream) in listener.incoming().enumerate() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (script, log) = (script.clone(), log.clone());
                thread::spawn(move || {
                    let _ = serve(stream, &script, index == 0, &log);
                });
            }
        });
        Self {
            addr,
            acknowledged,
            stop,
        }
    }

    /// `mqtt://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("mqtt://{}", self.addr)
    }

    /// The topics of the publishes it acknowledged, in order.
    pub fn acknowledged(&self) -> Vec<String> {
        self.acknowledged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for ScriptedBroker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Serves one connection until the client leaves or the script closes it.
fn serve(
    mut stream: TcpStream,
    script: &Script,
    first: bool,
    acknowledged: &Mutex<Vec<String>>,
) -> io::Result<()> {
    let mut unacknowledged = 0;
    loop {
        let (header, body) = read_packet(&mut stream)?;
        match header >> 4 {
            // CONNECT: accepted, never with a session.
            1 => stream.write_all(&[0x20, 0x02, 0x00, 0x00])?,
            // PUBLISH
            3 => {
                let qos = (header >> 1) & 0x03;
                let (topic, rest) = string(&body)?;
                if qos == 0 {
                    continue;
                }
                let pkid = rest.get(..2).ok_or_else(malformed)?;
                if first && let Some(limit) = script.drop_first_after {
                    unacknowledged += 1;
                    if unacknowledged >= limit {
                        let _ = stream.shutdown(Shutdown::Both);
                        return Ok(());
                    }
                    continue;
                }
                acknowledged
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(topic);
                stream.write_all(&[0x40, 0x02, pkid[0], pkid[1]])?;
            }
            // SUBSCRIBE: each filter granted QoS 1 unless the script refuses it.
            8 => {
                let pkid = body.get(..2).ok_or_else(malformed)?;
                let mut codes = Vec::new();
                let mut rest = &body[2..];
                while !rest.is_empty() {
                    let (filter, after) = string(rest)?;
                    rest = after.get(1..).ok_or_else(malformed)?;
                    codes.push(if script.refuse.contains(&filter) {
                        0x80
                    } else {
                        0x01
                    });
                }
                let mut suback = vec![0x90];
                push_length(&mut suback, 2 + codes.len());
                suback.extend_from_slice(pkid);
                suback.extend(codes);
                stream.write_all(&suback)?;
            }
            // UNSUBSCRIBE
            10 => {
                let pkid = body.get(..2).ok_or_else(malformed)?;
                stream.write_all(&[0xb0, 0x02, pkid[0], pkid[1]])?;
            }
            // PINGREQ
            12 => stream.write_all(&[0xd0, 0x00])?,
            // DISCONNECT
            14 => return Ok(()),
            _ => {}
        }
    }
}

fn malformed() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "malformed MQTT packet")
}

/// One packet: its first header byte and the rest after the length.
fn read_packet(stream: &mut TcpStream) -> io::Result<(u8, Vec<u8>)> {
    let mut byte = [0u8; 1];
    stream.read_exact(&mut byte)?;
    let header = byte[0];
    let (mut length, mut shift) = (0usize, 0);
    loop {
        stream.read_exact(&mut byte)?;
        length |= usize::from(byte[0] & 0x7f) << shift;
        if byte[0] & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 21 {
            return Err(malformed());
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok((header, body))
}

/// A length-prefixed UTF-8 string and what follows it.
fn string(bytes: &[u8]) -> io::Result<(String, &[u8])> {
    let len = bytes
        .get(..2)
        .map(|len| usize::from(u16::from_be_bytes([len[0], len[1]])))
        .ok_or_else(malformed)?;
    let text = bytes.get(2..2 + len).ok_or_else(malformed)?;
    let text = String::from_utf8(text.to_vec()).map_err(|_| malformed())?;
    Ok((text, &bytes[2 + len..]))
}

/// Appends an MQTT remaining length.
fn push_length(out: &mut Vec<u8>, mut length: usize) {
    loop {
        let mut byte = (length % 128) as u8;
        length /= 128;
        if length > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if length == 0 {
            return;
        }
    }
}
