//! The network side: a [`Transport`] over embassy-net's TCP socket (the host
//! looked up again for every connection: a broker's address may change), the
//! driver's [`Clock`] over embassy-time, and the wall clock from SNTP.

use core::cell::Cell;
use core::fmt;
use core::net::Ipv4Addr;

use critical_section::Mutex;
use embassy_net::dns::DnsQueryType;
use embassy_net::tcp::{self, TcpSocket};
use embassy_net::udp::{PacketMetadata, UdpSocket};
use embassy_net::{IpAddress, Stack};
use embassy_time::{Duration, Instant, Timer, with_timeout};
use embedded_io_async::ErrorKind;
use rainmaker_embedded::{Clock, Transport};

/// A TCP connection to the broker, reusing one socket and its buffers.
pub struct Tcp<'a> {
    stack: Stack<'a>,
    socket: TcpSocket<'a>,
    host: &'static str,
    port: u16,
}

impl<'a> Tcp<'a> {
    /// A socket on `stack` with these buffers, for `host:port`.
    pub fn new(
        stack: Stack<'a>,
        rx: &'a mut [u8],
        tx: &'a mut [u8],
        host: &'static str,
        port: u16,
    ) -> Self {
        let mut socket = TcpSocket::new(stack, rx, tx);
        socket.set_timeout(Some(Duration::from_secs(60)));
        Self {
            stack,
            socket,
            host,
            port,
        }
    }

    async fn address(&self) -> Result<IpAddress, NetError> {
        if let Ok(address) = self.host.parse::<Ipv4Addr>() {
            return Ok(IpAddress::Ipv4(address));
        }
        let found = self
            .stack
            .dns_query(self.host, DnsQueryType::A)
            .await
            .map_err(|_| NetError::Dns)?;
        found.first().copied().ok_or(NetError::Dns)
    }
}

/// Why the broker could not be reached.
#[derive(Debug, Clone, Copy)]
pub enum NetError {
    /// The host name did not resolve.
    Dns,
    /// The TCP connection failed.
    Tcp(tcp::ConnectError),
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns => f.write_str("the broker's host name did not resolve"),
            Self::Tcp(error) => write!(f, "TCP: {error:?}"),
        }
    }
}

impl core::error::Error for NetError {}

impl embedded_io_async::Error for NetError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Dns => ErrorKind::AddrNotAvailable,
            Self::Tcp(error) => error.kind(),
        }
    }
}

impl embedded_io_async::ErrorType for Tcp<'_> {
    type Error = tcp::Error;
}

impl embedded_io_async::Read for Tcp<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, tcp::Error> {
        self.socket.read(buf).await
    }
}

impl embedded_io_async::Write for Tcp<'_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, tcp::Error> {
        self.socket.write(buf).await
    }

    async fn flush(&mut self) -> Result<(), tcp::Error> {
        self.socket.flush().await
    }
}

impl Transport for Tcp<'_> {
    type ConnectError = NetError;

    async fn connect(&mut self) -> Result<(), NetError> {
        self.socket.abort();
        let address = self.address().await?;
        self.socket
            .connect((address, self.port))
            .await
            .map_err(NetError::Tcp)
    }

    fn close(&mut self) {
        self.socket.abort();
    }
}

/// The wall clock: Unix seconds at boot, once SNTP has answered (0 before).
static UNIX_AT_BOOT: Mutex<Cell<i64>> = Mutex::new(Cell::new(0));

/// embassy-time for the driver, and the wall clock SNTP set.
pub struct EmbassyClock;

impl Clock for EmbassyClock {
    fn now_ms(&self) -> u64 {
        Instant::now().as_millis()
    }

    fn unix_now(&self) -> i64 {
        let at_boot = critical_section::with(|cs| UNIX_AT_BOOT.borrow(cs).get());
        if at_boot == 0 {
            return 0;
        }
        at_boot + i64::try_from(Instant::now().as_secs()).unwrap_or(0)
    }

    async fn sleep_until(&self, at_ms: u64) {
        Timer::at(Instant::from_millis(at_ms)).await;
    }
}

/// Seconds from 1900 (NTP's epoch) to 1970.
const NTP_TO_UNIX: i64 = 2_208_988_800;

/// Asks `server` for the time (SNTP) until it answers, then sets the wall clock.
pub async fn sync_time(stack: Stack<'_>, server: &str) {
    let mut rx_meta = [PacketMetadata::EMPTY; 2];
    let mut tx_meta = [PacketMetadata::EMPTY; 2];
    let (mut rx, mut tx) = ([0u8; 128], [0u8; 128]);
    let mut socket = UdpSocket::new(stack, &mut rx_meta, &mut rx, &mut tx_meta, &mut tx);
    if socket.bind(0).is_err() {
        return;
    }
    loop {
        if let Some(unix) = ask_time(stack, &mut socket, server).await {
            let at_boot = unix - i64::try_from(Instant::now().as_secs()).unwrap_or(0);
            critical_section::with(|cs| UNIX_AT_BOOT.borrow(cs).set(at_boot));
            esp_println::println!("time: {unix} (SNTP)");
            return;
        }
        Timer::after(Duration::from_secs(10)).await;
    }
}

async fn ask_time(stack: Stack<'_>, socket: &mut UdpSocket<'_>, server: &str) -> Option<i64> {
    let address = stack.dns_query(server, DnsQueryType::A).await.ok()?;
    let address = *address.first()?;
    let mut request = [0u8; 48];
    request[0] = 0x1b; // version 3, client mode
    socket.send_to(&request, (address, 123)).await.ok()?;
    let mut answer = [0u8; 48];
    let (len, _) = with_timeout(Duration::from_secs(5), socket.recv_from(&mut answer))
        .await
        .ok()?
        .ok()?;
    let seconds = answer.get(40..44).filter(|_| len >= 48)?;
    let seconds = u32::from_be_bytes(seconds.try_into().ok()?);
    Some(i64::from(seconds) - NTP_TO_UNIX)
}
