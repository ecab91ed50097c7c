//! The QEMU `virt` machine's devices the networked node uses: the NS16550A UART
//! (which QEMU wires to a TCP connection on the host: the MQTT broker), the CLINT's
//! timer and the Goldfish real-time clock, and a painted stack to measure its
//! depth.

// Memory-mapped registers are read and written through raw pointers.
#![allow(unsafe_code)]

use core::convert::Infallible;

use embassy_futures::yield_now;
use rainmaker_embedded::{Clock, Transport};

/// The UART's registers.
const UART: usize = 0x1000_0000;
/// Receive buffer (read) and transmit holding (write) register.
const UART_DATA: usize = UART;
/// Line status register: bit 0 data ready, bit 5 transmitter empty.
const UART_LSR: usize = UART + 5;
/// The CLINT's `mtime`, counting at 10 MHz.
const MTIME: usize = 0x0200_BFF8;
const MTIME_PER_MS: u64 = 10_000;
/// The Goldfish RTC: nanoseconds since 1970 (reading the low word latches the high).
const RTC: usize = 0x0010_1000;

fn read8(address: usize) -> u8 {
    // SAFETY: a device register of the `virt` machine, always mapped.
    unsafe { core::ptr::read_volatile(address as *const u8) }
}

fn write8(address: usize, value: u8) {
    // SAFETY: as above.
    unsafe { core::ptr::write_volatile(address as *mut u8, value) }
}

fn read32(address: usize) -> u32 {
    // SAFETY: as above.
    unsafe { core::ptr::read_volatile(address as *const u32) }
}

/// The UART as a byte stream. QEMU passes the bytes to and from the TCP
/// connection it made to the broker, so the stream carries only MQTT.
pub struct Uart;

impl Uart {
    fn data_ready() -> bool {
        read8(UART_LSR) & 0x01 != 0
    }
}

impl embedded_io_async::ErrorType for Uart {
    type Error = Infallible;
}

impl embedded_io_async::Read for Uart {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Infallible> {
        if buf.is_empty() {
            return Ok(0);
        }
        while !Self::data_ready() {
            yield_now().await;
        }
        let mut len = 0;
        while len < buf.len() && Self::data_ready() {
            buf[len] = read8(UART_DATA);
            len += 1;
        }
        Ok(len)
    }
}

impl embedded_io_async::Write for Uart {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Infallible> {
        for &byte in buf {
            while read8(UART_LSR) & 0x20 == 0 {
                yield_now().await;
            }
            write8(UART_DATA, byte);
        }
        Ok(buf.len())
    }

    /// Every byte is in the UART once written.
    async fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

/// "Connecting" drops whatever an earlier connection left in the UART: QEMU
/// itself makes (and remakes) the TCP connection.
impl Transport for Uart {
    type ConnectError = Infallible;

    async fn connect(&mut self) -> Result<(), Infallible> {
        while Self::data_ready() {
            let _ = read8(UART_DATA);
        }
        Ok(())
    }

    fn close(&mut self) {}
}

/// The CLINT timer and the RTC.
pub struct VirtClock;

impl VirtClock {
    fn mtime() -> u64 {
        loop {
            let high = read32(MTIME + 4);
            let low = read32(MTIME);
            if read32(MTIME + 4) == high {
                return (u64::from(high) << 32) | u64::from(low);
            }
        }
    }
}

impl Clock for VirtClock {
    fn now_ms(&self) -> u64 {
        Self::mtime() / MTIME_PER_MS
    }

    fn unix_now(&self) -> i64 {
        let low = read32(RTC);
        let high = read32(RTC + 4);
        let nanos = (u64::from(high) << 32) | u64::from(low);
        i64::try_from(nanos / 1_000_000_000).unwrap_or(0)
    }

    async fn sleep_until(&self, at_ms: u64) {
        while self.now_ms() < at_ms {
            yield_now().await;
        }
    }
}

/// Bits that differ from run to run: the timer and the wall clock, nanoseconds.
#[cfg(feature = "tls")]
pub fn clock_entropy() -> u64 {
    let low = read32(RTC);
    let nanos = (u64::from(read32(RTC + 4)) << 32) | u64::from(low);
    VirtClock::mtime().rotate_left(32) ^ nanos
}

/// The stack, painted below the caller's frame so that its deepest use can be
/// read later.
pub struct PaintedStack {
    /// Where the stack starts (its highest address).
    start: usize,
    /// The painted region.
    bottom: usize,
    top: usize,
}

/// The pattern left where the stack never reached.
const PAINT: u32 = 0x5AA5_C33C;

unsafe extern "C" {
    /// The top of the stack, from riscv-rt's linker script.
    static _stack_start: u8;
}

impl PaintedStack {
    /// Paints `size` bytes below the caller's frame (leaving 256 bytes to this
    /// call).
    #[inline(never)]
    pub fn paint(size: usize) -> Self {
        let marker = 0u32;
        let top = (&raw const marker as usize - 256) & !3;
        let bottom = top - size;
        let mut address = bottom;
        while address < top {
            // SAFETY: RAM below the live stack frames, used by nothing yet (the
            // firmware's data and heap lie far below: 16 MiB of RAM, 256 KiB of heap).
            unsafe { core::ptr::write_volatile(address as *mut u32, PAINT) };
            address += 4;
        }
        Self {
            start: &raw const _stack_start as usize,
            bottom,
            top,
        }
    }

    /// The most stack used so far, in bytes: from its start to the deepest
    /// address written.
    pub fn used(&self) -> usize {
        let mut address = self.bottom;
        while address < self.top
            // SAFETY: the region painted above.
            && unsafe { core::ptr::read_volatile(address as *const u32) } == PAINT
        {
            address += 4;
        }
        self.start - address
    }
}
