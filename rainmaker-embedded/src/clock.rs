//! The two clocks a driver needs: a monotonic one for keep-alive, timeouts and
//! back-off, and the wall clock the node's protocol time comes from.

/// Time for the driver. Implement it over the platform's timer (embassy-time's
/// `Instant` and `Timer`, a hardware counter, tokio in tests).
///
/// The trait's futures need not be `Send`: a driver runs on one executor.
#[allow(async_fn_in_trait)]
pub trait Clock {
    /// Milliseconds since an arbitrary start; never goes back.
    fn now_ms(&self) -> u64;

    /// The wall clock in Unix seconds: the `now` the node is given. Before the
    /// time is known (no SNTP answer yet), anything at or before 2019-01-01 (0 is
    /// fine): the node then skips time-series reports and holds schedules, as the
    /// SDK does.
    fn unix_now(&self) -> i64;

    /// Returns at or after `now_ms() == at_ms`.
    async fn sleep_until(&self, at_ms: u64);
}

/// A byte stream to the broker that can be opened again: a TCP socket, TLS over
/// one, a UART. The driver owns it for its whole life, opens it before every
/// connection attempt, and closes it when the connection is lost, so that an
/// implementation can reuse its buffers (embassy-net's `TcpSocket` reconnects the
/// same socket; TLS keeps its record buffers).
#[allow(async_fn_in_trait)]
pub trait Transport: embedded_io_async::Read + embedded_io_async::Write {
    /// Why a connection could not be opened.
    type ConnectError: embedded_io_async::Error;

    /// Opens a connection to the broker, closing what is left of the last one.
    async fn connect(&mut self) -> Result<(), Self::ConnectError>;

    /// Closes the connection (after a DISCONNECT, or when it is lost). Reads and
    /// writes may fail until the next [`Transport::connect`].
    fn close(&mut self);
}
