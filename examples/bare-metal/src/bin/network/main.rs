//! A RainMaker node on a bare-metal RISC-V core, on a real network: the SDK's
//! `led_light` node (a light, OTA over topics), run by `rainmaker-embedded`'s
//! driver over QEMU's `virt` UART, which QEMU wires to a TCP connection to an MQTT
//! broker on the host (`-serial tcp:127.0.0.1:PORT`). It runs until killed, logs
//! through semihosting, and answers every OTA offer with `failed` (it downloads
//! nothing).
//!
//! The node id is set at build time: `RAINMAKER_NODE_ID` (default `7C9EBD4A1B2C`).
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
    use alloc::vec;

    use rainmaker_embedded::{Backoff, Config, Event, NodeDriver};
    use rainmaker_example_devices::{Light, led_light_info};
    use rainmaker_types::NodeId;
    use rainmaker_types::messages::OtaJobStatus;
    use rainmaker_types::node::{self, Node, Output};

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
        let mut node = Node::new(node_id, led_light_info()).with_ota_over_topics();
        if node.add_device(Light::default()).is_err() {
            semihosting::process::exit(2)
        }
        embassy_futures::block_on(run(node, &stack))
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
            answer_timeout_ms: 5_000,
            backoff: Backoff::new(500, 8_000, seed),
            ..Config::default()
        };
        let mut driver =
            NodeDriver::new(node, Uart, VirtClock, &mut rx, &mut tx).with_config(config);
        let mut peak = (0, 0);
        loop {
            let event = driver.next_event().await;
            semihosting::println!("{event:?}");
            if let Event::Node(event) = &event
                && let node::Event::OtaOffered(_) = **event
            {
                let answered = driver.change(|node, now| {
                    let publish = node.report_ota_status(
                        now,
                        OtaJobStatus::Failed,
                        "this firmware downloads nothing",
                    )?;
                    Ok(Output {
                        publish: vec![publish],
                        ..Output::default()
                    })
                });
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
