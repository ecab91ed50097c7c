//! A RainMaker node on a bare-metal RISC-V core, on a real network: the SDK's
//! `led_light` node (a light, OTA over topics), run by `rainmaker-embedded`'s
//! driver over QEMU's `virt` UART, which QEMU wires to a TCP connection to an MQTT
//! broker on the host (`-serial tcp:127.0.0.1:PORT`). It runs until killed, logs
//! through semihosting, and answers every OTA offer with `failed` (it downloads
//! nothing).
//!
//! The node id is set at build time: `RAINMAKER_NODE_ID` (default `7C9EBD4A1B2C`).
//! With the `tls` feature it speaks TLS 1.3 with a client certificate over the
//! UART: `RAINMAKER_CA`, `RAINMAKER_CERT` and `RAINMAKER_KEY` name the DER files
//! built in, `RAINMAKER_SERVER_NAME` the broker's name (default `localhost`).
//! `bash examples/bare-metal/run-qemu.sh --broker 127.0.0.1:PORT --node-id ID`
//! builds and runs it.

#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
extern crate alloc;

#[cfg(target_os = "none")]
#[path = "../../heap.rs"]
mod heap;
#[cfg(target_os = "none")]
mod virt;

#[cfg(target_os = "none")]
mod node {
    use rainmaker_embedded::{Backoff, Config, Event, NodeDriver};
    use rainmaker_example_devices::{decline_ota, led_light_node};
    use rainmaker_types::NodeId;
    use rainmaker_types::node::{self, Node};

    use crate::heap::HEAP;
    use crate::virt::{PaintedStack, Uart, VirtClock};

    /// The node id, from the build's environment.
    const NODE_ID: &str = match option_env!("RAINMAKER_NODE_ID") {
        Some(id) => id,
        None => "7C9EBD4A1B2C",
    };
    /// The largest message either way: a multi-device config is several KiB.
    const BUFFER: usize = 4096;

    #[riscv_rt::entry]
    fn main() -> ! {
        crate::heap::init();
        let stack = PaintedStack::paint(64 * 1024);
        semihosting::println!("rainmaker bare-metal node {NODE_ID}: connecting over the UART");
        let Ok(node_id) = NodeId::new(NODE_ID) else {
            semihosting::println!("RAINMAKER_NODE_ID is not a valid node id: {NODE_ID}");
            semihosting::process::exit(2)
        };
        let Ok(node) = led_light_node(node_id) else {
            semihosting::process::exit(2)
        };
        embassy_futures::block_on(run(node, &stack))
    }

    /// MQTT straight over the UART.
    #[cfg(not(feature = "tls"))]
    fn transport() -> Uart {
        Uart
    }

    /// TLS 1.3 over the UART, with the certificates built in.
    #[cfg(feature = "tls")]
    fn transport() -> rainmaker_embedded::tls::TlsTransport<'static, Uart, rand_chacha::ChaCha20Rng>
    {
        use rainmaker_embedded::tls::{Identity, TlsTransport};
        use rand_chacha::rand_core::SeedableRng;

        static CA: &[u8] = include_bytes!(env!("RAINMAKER_CA"));
        static CERT: &[u8] = include_bytes!(env!("RAINMAKER_CERT"));
        static KEY: &[u8] = include_bytes!(env!("RAINMAKER_KEY"));
        const SERVER_NAME: &str = match option_env!("RAINMAKER_SERVER_NAME") {
            Some(name) => name,
            None => "localhost",
        };
        let Ok(identity) = Identity::new(CA, CERT, KEY) else {
            semihosting::println!("RAINMAKER_KEY is not a P-256 key (PKCS#8 or SEC1 DER)");
            semihosting::process::exit(2)
        };
        // QEMU's `virt` machine has no RNG this firmware reads: the seed comes from
        // the clocks, good enough for an emulator and nothing else. A device seeds
        // from its hardware RNG.
        let rng = rand_chacha::ChaCha20Rng::seed_from_u64(crate::virt::clock_entropy());
        TlsTransport::new(Uart, identity, SERVER_NAME, rng)
    }

    async fn run(node: Node, stack: &PaintedStack) -> ! {
        let (mut rx, mut tx) = ([0u8; BUFFER], [0u8; BUFFER]);
        let seed = NODE_ID
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
            });
        let config = Config {
            keep_alive_secs: 10,
            // An emulated core takes seconds over a TLS handshake.
            connect_timeout_ms: 10_000,
            answer_timeout_ms: 5_000,
            backoff: Backoff::new(500, 8_000, seed),
            ..Config::default()
        };
        let mut driver =
            NodeDriver::new(node, transport(), VirtClock, &mut rx, &mut tx).with_config(config);
        let mut peak = (0, 0);
        loop {
            let event = driver.next_event().await;
            semihosting::println!("{event:?}");
            if let Event::Node(event) = &event
                && let node::Event::OtaOffered(_) = **event
            {
                let answered = driver.change(decline_ota);
                if let Err(error) = answered {
                    semihosting::println!("OTA status not sent: {error:?}");
                }
            }
            let now = (HEAP.counts().1, stack.used());
            if now != peak {
                peak = now;
                semihosting::println!("memory: heap peak {} bytes, stack {} bytes", now.0, now.1);
            }
        }
    }
}

#[cfg(not(target_os = "none"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "this firmware runs on bare metal: bash examples/bare-metal/run-qemu.sh --broker 127.0.0.1:PORT --node-id ID"
    );
    std::process::ExitCode::from(2)
}
