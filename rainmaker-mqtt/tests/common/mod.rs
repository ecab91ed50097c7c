//! What the MQTT integration tests share: the led_light node and bounded waits
//! for runner events.
#![allow(dead_code)]

use std::time::Duration;

use rainmaker_mqtt::RunnerEvent;
use rainmaker_test_support::node::{Light, led_light_info};
use rainmaker_types::NodeId;
use rainmaker_types::node::Node;
use tokio::sync::mpsc::Receiver;
use tokio::time::timeout;

/// How long a test waits for anything.
pub const WAIT: Duration = Duration::from_secs(15);

/// A node with one light, id `id`.
pub fn node(id: &str) -> Node {
    let id = NodeId::new(id).expect("valid id");
    let mut node = Node::new(id, led_light_info());
    node.add_device(Light::default()).expect("one light");
    node
}

/// The next runner event that `pick` accepts, within [`WAIT`].
pub async fn next_event<T>(
    events: &mut Receiver<RunnerEvent>,
    mut pick: impl FnMut(&RunnerEvent) -> Option<T>,
) -> T {
    timeout(WAIT, async {
        loop {
            let event = events.recv().await.expect("the runner runs");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    })
    .await
    .expect("the event within the wait")
}
