//! Devices that act on their own at set times: the node's side of the schedule
//! service, open to any device.

use serde_json::{Map, Value};

use crate::clock::Clock;
use crate::prelude::*;

/// What a device with a timer (see [`Device::timer`](super::Device::timer)) does
/// for the node: take the time of every call, say when it is next due, and hand
/// over what fired then. The node applies each firing's action as a write (from
/// [`WriteSource::Schedule`](crate::node::WriteSource::Schedule)) and reports the
/// device's params when they changed.
pub trait Timer {
    /// The time of the current call.
    fn set_clock(&mut self, clock: Clock);

    /// When it next needs waking (Unix seconds), if ever.
    fn next_due(&self) -> Option<i64>;

    /// What is due at the clock's time: the actions to apply, in order.
    fn fire_due(&mut self) -> Vec<Firing>;

    /// Called after the action of `id` was applied; returns whether the device's
    /// params changed because of it (they are then reported).
    fn retire(&mut self, id: &str) -> bool;
}

/// Something that fired: its id and the params document to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing {
    /// What fired (a schedule's id).
    pub id: String,
    /// The params document to apply.
    pub action: Map<String, Value>,
}
