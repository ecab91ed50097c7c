//! The MQTT 3.1.1 packets a node needs, encoded into and decoded from byte slices:
//! no allocation, no I/O.
//!
//! A node connects, subscribes, publishes at QoS 0 or 1, acknowledges what it
//! receives and pings. It never publishes at QoS 2 and never subscribes at QoS 2,
//! so the QoS 2 handshake (PUBREC, PUBREL, PUBCOMP) is not here: a broker sends a
//! subscriber at most the QoS it was granted.

use core::fmt;

/// The protocol level of MQTT 3.1.1 in CONNECT.
const LEVEL_3_1_1: u8 = 4;
/// The largest remaining length the four-byte encoding can hold.
pub const MAX_REMAINING_LENGTH: usize = 268_435_455;

/// Packet types, as the high nibble of a fixed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// CONNECT.
    Connect = 1,
    /// CONNACK.
    ConnAck = 2,
    /// PUBLISH.
    Publish = 3,
    /// PUBACK.
    PubAck = 4,
    /// SUBSCRIBE.
    Subscribe = 8,
    /// SUBACK.
    SubAck = 9,
    /// UNSUBSCRIBE.
    Unsubscribe = 10,
    /// UNSUBACK.
    UnsubAck = 11,
    /// PINGREQ.
    PingReq = 12,
    /// PINGRESP.
    PingResp = 13,
    /// DISCONNECT.
    Disconnect = 14,
}

/// A fixed header: the packet's first byte and how long the rest is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The first byte: type (high nibble) and flags (low nibble).
    pub first: u8,
    /// The length of the rest of the packet.
    pub remaining: usize,
    /// The length of the fixed header itself (2 to 5 bytes).
    pub len: usize,
}

impl Header {
    /// The whole packet's length.
    pub fn packet_len(&self) -> usize {
        self.len + self.remaining
    }

    /// Reads a fixed header from the start of `bytes`: `Ok(None)` when more bytes
    /// are needed.
    ///
    /// # Errors
    ///
    /// [`PacketError::Malformed`] for a remaining length longer than four bytes.
    pub fn parse(bytes: &[u8]) -> Result<Option<Self>, PacketError> {
        let Some(&first) = bytes.first() else {
            return Ok(None);
        };
        let mut remaining = 0usize;
        for index in 0..4 {
            let Some(&byte) = bytes.get(1 + index) else {
                return Ok(None);
            };
            remaining |= usize::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                return Ok(Some(Self {
                    first,
                    remaining,
                    len: 2 + index,
                }));
            }
        }
        Err(PacketError::Malformed {
            offset: 4,
            what: "a remaining length longer than four bytes",
        })
    }
}

/// A packet from the broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incoming<'a> {
    /// The broker's answer to CONNECT.
    ConnAck {
        /// Whether the broker kept the client's session.
        session_present: bool,
        /// 0 when accepted; the refusal's code otherwise.
        code: u8,
    },
    /// A message on a subscribed topic.
    Publish(IncomingPublish<'a>),
    /// The broker received a QoS 1 publish.
    PubAck(u16),
    /// The broker's answer to SUBSCRIBE: one code per filter (0x80 refused).
    SubAck {
        /// The SUBSCRIBE's packet id.
        packet_id: u16,
        /// The granted QoS, or 0x80, per filter.
        codes: &'a [u8],
    },
    /// The broker's answer to UNSUBSCRIBE.
    UnsubAck(u16),
    /// The broker's answer to PINGREQ.
    PingResp,
}

/// A PUBLISH received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingPublish<'a> {
    /// The topic.
    pub topic: &'a str,
    /// The packet id to acknowledge (QoS 1), `None` at QoS 0.
    pub packet_id: Option<u16>,
    /// The payload.
    pub payload: &'a [u8],
}

/// What is wrong with a packet, or why one cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketError {
    /// The bytes are not the packet their header says; `offset` counts from the
    /// packet's first byte.
    Malformed {
        /// Where in the packet.
        offset: usize,
        /// What is wrong there.
        what: &'static str,
    },
    /// A packet type a client does not receive (or QoS 2, which it never asks for).
    Unexpected {
        /// The packet's first byte.
        first: u8,
    },
    /// The packet does not fit the buffer it is written into.
    TooLarge {
        /// The bytes it needs.
        needed: usize,
        /// The buffer's size.
        capacity: usize,
    },
    /// A string longer than MQTT's 65,535 bytes.
    StringTooLong(usize),
}

impl fmt::Display for PacketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { offset, what } => {
                write!(f, "malformed packet at byte {offset}: {what}")
            }
            Self::Unexpected { first } => write!(f, "unexpected packet 0x{first:02x}"),
            Self::TooLarge { needed, capacity } => write!(
                f,
                "the packet needs {needed} bytes, the buffer holds {capacity}"
            ),
            Self::StringTooLong(len) => {
                write!(f, "a {len}-byte string is longer than MQTT's 65,535")
            }
        }
    }
}

impl core::error::Error for PacketError {}

impl<'a> Incoming<'a> {
    /// Decodes a whole packet (`bytes` from its fixed header to its end).
    ///
    /// # Errors
    ///
    /// [`PacketError`] for a malformed or unexpected packet.
    pub fn decode(header: &Header, bytes: &'a [u8]) -> Result<Self, PacketError> {
        let body = Reader {
            bytes: bytes
                .get(header.len..header.packet_len())
                .ok_or(PacketError::Malformed {
                    offset: header.len,
                    what: "shorter than its remaining length",
                })?,
            offset: header.len,
            position: 0,
        };
        let unexpected = PacketError::Unexpected {
            first: header.first,
        };
        match (header.first >> 4, header.first & 0x0f) {
            (2, 0) => {
                let mut body = body;
                let flags = body.u8()?;
                let code = body.u8()?;
                Ok(Self::ConnAck {
                    session_present: flags & 1 == 1,
                    code,
                })
            }
            (3, flags) => publish(flags, body).map(Self::Publish),
            (4, 0) => body.clone().u16().map(Self::PubAck),
            (9, 0) => {
                let mut body = body;
                let packet_id = body.u16()?;
                Ok(Self::SubAck {
                    packet_id,
                    codes: body.rest(),
                })
            }
            (11, 0) => body.clone().u16().map(Self::UnsubAck),
            (13, 0) => Ok(Self::PingResp),
            _ => Err(unexpected),
        }
    }
}

/// The start of a PUBLISH: its topic and packet id, read from the first bytes of
/// a packet too large to hold whole (`bytes` from its fixed header on). `None`
/// when the topic does not fit in `bytes` or the packet is not a PUBLISH.
pub fn publish_start<'a>(header: &Header, bytes: &'a [u8]) -> Option<(&'a str, Option<u16>)> {
    if header.first >> 4 != Kind::Publish as u8 {
        return None;
    }
    let mut body = Reader {
        bytes: bytes.get(header.len..)?,
        offset: header.len,
        position: 0,
    };
    let topic = body.string().ok()?;
    let packet_id = if (header.first >> 1) & 3 > 0 {
        Some(body.u16().ok()?)
    } else {
        None
    };
    Some((topic, packet_id))
}

fn publish(flags: u8, mut body: Reader<'_>) -> Result<IncomingPublish<'_>, PacketError> {
    let topic = body.string()?;
    let packet_id = match (flags >> 1) & 3 {
        0 => None,
        1 => Some(body.u16()?),
        _ => {
            return Err(PacketError::Unexpected {
                first: 0x30 | flags,
            });
        }
    };
    Ok(IncomingPublish {
        topic,
        packet_id,
        payload: body.rest(),
    })
}

/// Reads the body of a packet, knowing where it is in the packet for errors.
#[derive(Clone)]
struct Reader<'a> {
    bytes: &'a [u8],
    /// The body's offset in the packet.
    offset: usize,
    position: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], PacketError> {
        let taken =
            self.bytes
                .get(self.position..self.position + len)
                .ok_or(PacketError::Malformed {
                    offset: self.offset + self.position,
                    what,
                })?;
        self.position += len;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8, PacketError> {
        Ok(self.take(1, "ends before a one-byte field")?[0])
    }

    fn u16(&mut self) -> Result<u16, PacketError> {
        let bytes = self.take(2, "ends before a two-byte field")?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    fn string(&mut self) -> Result<&'a str, PacketError> {
        let at = self.offset + self.position;
        let len = self.u16()?;
        let bytes = self.take(usize::from(len), "a string longer than the packet")?;
        core::str::from_utf8(bytes).map_err(|_| PacketError::Malformed {
            offset: at,
            what: "a string that is not UTF-8",
        })
    }

    fn rest(&mut self) -> &'a [u8] {
        let rest = self.bytes.get(self.position..).unwrap_or_default();
        self.position = self.bytes.len();
        rest
    }
}

/// The Last Will: published by the broker when the connection is lost without a
/// DISCONNECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Will<'a> {
    /// Its topic.
    pub topic: &'a str,
    /// Its payload.
    pub payload: &'a [u8],
    /// Its QoS (0 or 1).
    pub qos: u8,
}

/// What a CONNECT says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connect<'a> {
    /// The client id (the node id).
    pub client_id: &'a str,
    /// Seconds of silence after which the broker drops the client.
    pub keep_alive: u16,
    /// Whether to start a new session (`false`: a persistent one).
    pub clean_session: bool,
    /// The Last Will, if any.
    pub will: Option<Will<'a>>,
    /// A user name, for brokers that ask for one.
    pub username: Option<&'a str>,
    /// A password, for brokers that ask for one.
    pub password: Option<&'a [u8]>,
}

/// Writes packets into a byte slice.
pub struct Writer<'b> {
    buffer: &'b mut [u8],
    len: usize,
}

impl<'b> Writer<'b> {
    /// A writer at the start of `buffer`.
    pub fn new(buffer: &'b mut [u8]) -> Self {
        Self { buffer, len: 0 }
    }

    /// The bytes written.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn put(&mut self, bytes: &[u8]) {
        // Every caller checked the whole packet's size first.
        if let Some(slot) = self.buffer.get_mut(self.len..self.len + bytes.len()) {
            slot.copy_from_slice(bytes);
        }
        self.len += bytes.len();
    }

    fn put_u16(&mut self, value: u16) {
        self.put(&value.to_be_bytes());
    }

    fn put_str(&mut self, value: &[u8]) {
        // Lengths were checked by `string_len`.
        self.put_u16(value.len() as u16);
        self.put(value);
    }

    /// Starts a packet: checks that `remaining` more bytes after its header fit and
    /// writes the header.
    fn header(&mut self, first: u8, remaining: usize) -> Result<(), PacketError> {
        let too_large = |needed| PacketError::TooLarge {
            needed,
            capacity: self.buffer.len(),
        };
        if remaining > MAX_REMAINING_LENGTH {
            return Err(too_large(remaining));
        }
        let mut encoded = [0u8; 4];
        let mut len = 0;
        let mut rest = remaining;
        loop {
            let mut byte = (rest % 128) as u8;
            rest /= 128;
            if rest > 0 {
                byte |= 0x80;
            }
            encoded[len] = byte;
            len += 1;
            if rest == 0 {
                break;
            }
        }
        let needed = self.len + 1 + len + remaining;
        if needed > self.buffer.len() {
            return Err(too_large(needed));
        }
        self.put(&[first]);
        self.put(&encoded[..len]);
        Ok(())
    }

    /// CONNECT.
    ///
    /// # Errors
    ///
    /// [`PacketError::TooLarge`] or [`PacketError::StringTooLong`].
    pub fn connect(&mut self, connect: &Connect<'_>) -> Result<(), PacketError> {
        let mut flags = 0u8;
        let mut remaining = 10 + string_len(connect.client_id.as_bytes())?;
        if connect.clean_session {
            flags |= 0x02;
        }
        if let Some(will) = &connect.will {
            flags |= 0x04 | ((will.qos & 3) << 3);
            remaining += string_len(will.topic.as_bytes())? + string_len(will.payload)?;
        }
        if let Some(username) = connect.username {
            flags |= 0x80;
            remaining += string_len(username.as_bytes())?;
        }
        if let Some(password) = connect.password {
            flags |= 0x40;
            remaining += string_len(password)?;
        }
        self.header((Kind::Connect as u8) << 4, remaining)?;
        self.put_str(b"MQTT");
        self.put(&[LEVEL_3_1_1, flags]);
        self.put_u16(connect.keep_alive);
        self.put_str(connect.client_id.as_bytes());
        if let Some(will) = &connect.will {
            self.put_str(will.topic.as_bytes());
            self.put_str(will.payload);
        }
        if let Some(username) = connect.username {
            self.put_str(username.as_bytes());
        }
        if let Some(password) = connect.password {
            self.put_str(password);
        }
        Ok(())
    }

    /// PUBLISH at QoS 0 (`packet_id` `None`) or QoS 1; `dup` on a resend.
    ///
    /// # Errors
    ///
    /// [`PacketError::TooLarge`] or [`PacketError::StringTooLong`].
    pub fn publish(
        &mut self,
        topic: &str,
        payload: &[u8],
        packet_id: Option<u16>,
        dup: bool,
    ) -> Result<(), PacketError> {
        let remaining =
            string_len(topic.as_bytes())? + if packet_id.is_some() { 2 } else { 0 } + payload.len();
        let mut first = (Kind::Publish as u8) << 4;
        if packet_id.is_some() {
            first |= 1 << 1;
        }
        if dup {
            first |= 1 << 3;
        }
        self.header(first, remaining)?;
        self.put_str(topic.as_bytes());
        if let Some(id) = packet_id {
            self.put_u16(id);
        }
        self.put(payload);
        Ok(())
    }

    /// PUBACK.
    ///
    /// # Errors
    ///
    /// [`PacketError::TooLarge`].
    pub fn puback(&mut self, packet_id: u16) -> Result<(), PacketError> {
        self.header((Kind::PubAck as u8) << 4, 2)?;
        self.put_u16(packet_id);
        Ok(())
    }

    /// SUBSCRIBE to `filters`, each at QoS 1.
    ///
    /// # Errors
    ///
    /// [`PacketError::TooLarge`] or [`PacketError::StringTooLong`].
    pub fn subscribe<S: AsRef<str>>(
        &mut self,
        packet_id: u16,
        filters: &[S],
    ) -> Result<(), PacketError> {
        let mut remaining = 2;
        for filter in filters {
            remaining += string_len(filter.as_ref().as_bytes())? + 1;
        }
        self.header(((Kind::Subscribe as u8) << 4) | 0x02, remaining)?;
        self.put_u16(packet_id);
        for filter in filters {
            self.put_str(filter.as_ref().as_bytes());
            self.put(&[1]);
        }
        Ok(())
    }

    /// UNSUBSCRIBE from `filter`.
    ///
    /// # Errors
    ///
    /// [`PacketError::TooLarge`] or [`PacketError::StringTooLong`].
    pub fn unsubscribe(&mut self, packet_id: u16, filter: &str) -> Result<(), PacketError> {
        let remaining = 2 + string_len(filter.as_bytes())?;
        self.header(((Kind::Unsubscribe as u8) << 4) | 0x02, remaining)?;
        self.put_u16(packet_id);
        self.put_str(filter.as_bytes());
        Ok(())
    }

    /// PINGREQ.
    ///
    /// # Errors
    ///
    /// [`PacketError::TooLarge`].
    pub fn pingreq(&mut self) -> Result<(), PacketError> {
        self.header((Kind::PingReq as u8) << 4, 0)
    }

    /// DISCONNECT.
    ///
    /// # Errors
    ///
    /// [`PacketError::TooLarge`].
    pub fn disconnect(&mut self) -> Result<(), PacketError> {
        self.header((Kind::Disconnect as u8) << 4, 0)
    }
}

/// The encoded length of an MQTT string (two length bytes and the bytes).
fn string_len(bytes: &[u8]) -> Result<usize, PacketError> {
    if bytes.len() > usize::from(u16::MAX) {
        return Err(PacketError::StringTooLong(bytes.len()));
    }
    Ok(2 + bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<Incoming<'_>, PacketError> {
        let header = Header::parse(bytes)?.expect("a whole header");
        Incoming::decode(&header, bytes)
    }

    #[test]
    fn connect_with_a_will_is_laid_out_as_mqtt_3_1_1_says() {
        let mut buffer = [0u8; 64];
        let mut writer = Writer::new(&mut buffer);
        writer
            .connect(&Connect {
                client_id: "N1",
                keep_alive: 120,
                clean_session: false,
                will: Some(Will {
                    topic: "t",
                    payload: b"{}",
                    qos: 1,
                }),
                username: None,
                password: None,
            })
            .unwrap();
        let len = writer.len();
        assert_eq!(
            &buffer[..len],
            [
                0x10, 21, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x0c, 0, 120, 0, 2, b'N', b'1', 0, 1,
                b't', 0, 2, b'{', b'}'
            ]
        );
    }

    #[test]
    fn publish_subscribe_and_acks_round_trip_their_fields() {
        let mut buffer = [0u8; 64];
        let mut writer = Writer::new(&mut buffer);
        writer.publish("a/b", b"xy", Some(7), true).unwrap();
        let len = writer.len();
        assert_eq!(buffer[0], 0x3a);
        assert_eq!(
            decode(&buffer[..len]).unwrap(),
            Incoming::Publish(IncomingPublish {
                topic: "a/b",
                packet_id: Some(7),
                payload: b"xy",
            })
        );

        let mut writer = Writer::new(&mut buffer);
        writer.subscribe(9, &["a/#", "b"]).unwrap();
        let len = writer.len();
        assert_eq!(
            &buffer[..len],
            [0x82, 12, 0, 9, 0, 3, b'a', b'/', b'#', 1, 0, 1, b'b', 1]
        );

        assert_eq!(
            decode(&[0x20, 2, 1, 0]).unwrap(),
            Incoming::ConnAck {
                session_present: true,
                code: 0
            }
        );
        assert_eq!(decode(&[0x40, 2, 1, 2]).unwrap(), Incoming::PubAck(258));
        assert_eq!(
            decode(&[0x90, 4, 0, 9, 1, 0x80]).unwrap(),
            Incoming::SubAck {
                packet_id: 9,
                codes: &[1, 0x80]
            }
        );
        assert_eq!(decode(&[0xd0, 0]).unwrap(), Incoming::PingResp);
    }

    #[test]
    fn long_remaining_lengths_take_more_header_bytes() {
        let payload = [b'x'; 200];
        let mut buffer = [0u8; 256];
        let mut writer = Writer::new(&mut buffer);
        writer.publish("t", &payload, None, false).unwrap();
        let written = writer.len();
        let header = Header::parse(&buffer).unwrap().unwrap();
        assert_eq!((header.len, header.remaining), (3, 203));
        assert_eq!(header.packet_len(), written);
        assert_eq!(Header::parse(&buffer[..2]).unwrap(), None);
    }

    #[test]
    fn a_packet_that_does_not_fit_is_refused_with_its_size() {
        let mut buffer = [0u8; 8];
        let mut writer = Writer::new(&mut buffer);
        assert_eq!(
            writer.publish("topic", b"payload", Some(1), false),
            Err(PacketError::TooLarge {
                needed: 18,
                capacity: 8
            })
        );
        assert!(writer.is_empty());
    }

    #[test]
    fn bad_packets_say_where_and_what() {
        // A topic length past the packet's end.
        assert_eq!(
            decode(&[0x30, 3, 0, 9, b'a']),
            Err(PacketError::Malformed {
                offset: 4,
                what: "a string longer than the packet"
            })
        );
        assert_eq!(
            decode(&[0x30, 3, 0, 1, 0xff]),
            Err(PacketError::Malformed {
                offset: 2,
                what: "a string that is not UTF-8"
            })
        );
        // QoS 2, never asked for.
        assert_eq!(
            decode(&[0x34, 5, 0, 1, b'a', 0, 1]),
            Err(PacketError::Unexpected { first: 0x34 })
        );
        assert_eq!(
            decode(&[0x10, 0]),
            Err(PacketError::Unexpected { first: 0x10 })
        );
        assert!(matches!(
            Header::parse(&[0x30, 0xff, 0xff, 0xff, 0xff, 1]),
            Err(PacketError::Malformed { offset: 4, .. })
        ));
    }

    #[test]
    fn the_start_of_an_oversized_publish_gives_its_topic_and_id() {
        let mut buffer = [0u8; 64];
        let mut writer = Writer::new(&mut buffer);
        writer
            .publish("node/N/params/remote", &[b'x'; 30], Some(5), false)
            .unwrap();
        let header = Header::parse(&buffer).unwrap().unwrap();
        assert_eq!(
            publish_start(&header, &buffer[..26]),
            Some(("node/N/params/remote", Some(5)))
        );
        assert_eq!(publish_start(&header, &buffer[..10]), None);
    }
}
