//! A flood of writes does not grow the driver's memory and loses nothing
//! silently: the driver runs on a thread of its own, where an allocator counts
//! the bytes in use, and the heap it holds after 2,000 writes is compared with
//! what it held after 200; every write is applied, every delta is delivered or
//! reported lost, and the cloud ends with the node's state.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use rainmaker_embedded::{Config, Event, NodeDriver};
use rainmaker_mqtt::{Broker, Consumer};
use rainmaker_test_support::mosquitto::Mosquitto;
use rainmaker_test_support::mosquitto_or_return;
use rainmaker_test_support::node::Light;
use rainmaker_types::node;
use rainmaker_types::{Channel, Message, NodeId, ParamValue, ParamsDocument, Topic};
use tokio::time::{Instant, timeout};

use common::{Tcp, TokioClock, WAIT};

thread_local! {
    /// Bytes allocated and not freed by this thread (frees of blocks another
    /// thread allocated count too: the driver's thread keeps what it makes).
    static IN_USE: Cell<isize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: every call goes to the system allocator; the counter only observes sizes.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        IN_USE.with(|in_use| in_use.set(in_use.get() + layout.size() as isize));
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        IN_USE.with(|in_use| in_use.set(in_use.get() - layout.size() as isize));
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

const WRITES: usize = 2_000;
const WARM_UP: usize = 200;

#[tokio::test]
async fn a_flood_of_writes_does_not_grow_memory() {
    let binary = mosquitto_or_return!();
    let broker = Mosquitto::start(&binary, false);
    let url: Broker = broker.url().parse().expect("a broker URL");
    let mut cloud = Consumer::connect(&url, "cloud-flood", None)
        .await
        .expect("the consumer connects");
    let port = broker.port();
    let (ready_tx, ready) = tokio::sync::oneshot::channel();
    let driver = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let (mut rx, mut tx) = (vec![0u8; 2048], vec![0u8; 2048]);
            let mut driver = NodeDriver::new(
                common::node("F1"),
                Tcp::new(port),
                TokioClock(Instant::now()),
                &mut rx,
                &mut tx,
            )
            .with_config(Config::default());
            let mut ready = Some(ready_tx);
            let (mut written, mut lost, mut after_warm_up) = (0, 0, 0);
            while written < WRITES {
                match timeout(WAIT, driver.next_event()).await {
                    Ok(Event::Node(event))
                        if matches!(*event, node::Event::ParamsWritten { .. }) =>
                    {
                        written += 1;
                        if written == WARM_UP {
                            after_warm_up = IN_USE.get();
                        }
                    }
                    Ok(Event::PublishLost { .. }) => lost += 1,
                    Ok(Event::Connected { .. }) => {
                        if let Some(ready) = ready.take() {
                            let _ = ready.send(());
                        }
                    }
                    Ok(_) => {}
                    Err(_) => panic!("only {written} writes arrived"),
                }
            }
            let after_flood = IN_USE.get();
            // The deltas still queued go out.
            while let Ok(event) = timeout(Duration::from_secs(1), driver.next_event()).await {
                if let Event::PublishLost { .. } = event {
                    lost += 1;
                }
            }
            (after_warm_up, after_flood, lost)
        })
    });
    ready.await.expect("the node connects");
    // Let the node's boot go out before the flood.
    timeout(WAIT, async {
        loop {
            let delivery = cloud.next().await.expect("the consumer runs");
            if delivery
                .decode()
                .is_ok_and(|message| message.topic().channel() == Channel::FromNode)
            {
                break;
            }
        }
    })
    .await
    .expect("the boot within the wait");
    let topic = Topic::ParamsRemote {
        node_id: NodeId::new("F1").expect("a valid id"),
    };
    // The node's deltas are read while the flood goes out.
    let publisher = cloud.publisher();
    let deltas = tokio::spawn(async move {
        let (mut deltas, mut last) = (0, None);
        // Until the node has been quiet for two seconds.
        while let Ok(Some(delivery)) = timeout(Duration::from_secs(2), cloud.next()).await {
            if let Ok((_, Message::ParamsLocal(delta))) =
                delivery.decode().map(|envelope| envelope.into_parts())
            {
                deltas += 1;
                if let Some(level) = delta
                    .get(Light::NAME, Light::PARAM_BRIGHTNESS)
                    .and_then(ParamValue::as_i64)
                {
                    last = Some(level);
                }
            }
        }
        (deltas, last)
    });
    for level in 0..WRITES {
        let mut write = ParamsDocument::new();
        write.insert(Light::NAME, Light::PARAM_BRIGHTNESS, (level % 100) as i64);
        publisher
            .write_params(&topic, &write)
            .await
            .expect("published");
    }
    // Joined off the runtime, whose tasks (the consumer's) must go on meanwhile.
    let (after_warm_up, after_flood, lost): (isize, isize, usize) =
        tokio::task::spawn_blocking(move || driver.join())
            .await
            .expect("joined")
            .expect("the driver's thread");
    let (deltas, last) = deltas.await.expect("the reader");
    // The node's deltas outrun the broker's acknowledgements (which wait behind
    // the flood in the broker's queue): those over the queue are dropped, each
    // says so, and once the queue has emptied a report of all params follows.
    assert!(
        deltas + lost >= WRITES,
        "every delta is delivered or reported lost: {deltas} + {lost}"
    );
    assert_eq!(
        last,
        Some((WRITES as i64 - 1) % 100),
        "the cloud ends with the node's state"
    );
    let growth = after_flood - after_warm_up;
    println!(
        "{WRITES} writes: {deltas} deltas delivered, {lost} reported lost; heap {growth:+} bytes from write {WARM_UP} to the last"
    );
    assert!(
        growth < 16 * 1024,
        "the driver's heap grew by {growth} bytes over {} writes",
        WRITES - WARM_UP
    );
}
