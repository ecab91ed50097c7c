//! The standard services of the ESP RainMaker SDK, ready to add to a
//! [`Node`](crate::node::Node) with [`Node::add_service`](crate::node::Node::add_service).
//!
//! Each type produces the same node-config entry as the C SDK (docs/protocol.md,
//! "Standard service instances the SDK creates") and checks remote writes like any
//! other [`Device`](crate::Device):
//!
//! | type | name | service type | params |
//! |---|---|---|---|
//! | [`Time`] | `Time` | `esp.service.time` | `TZ`, `TZ-POSIX`, optional `Timestamp` |
//! | [`Schedule`] | `Schedule` | `esp.service.schedule` | `Schedules` (array, `{"max":N}`) |
//! | [`Scenes`] | `Scenes` | `esp.service.scenes` | `Scenes` (array, `{"max":N}`) |
//! | [`System`] | `System` | `esp.service.system` | `Reboot`, `Factory-Reset`, `Wi-Fi-Reset` (each per flag) |
//! | [`Ota`] | `OTA` | `esp.service.ota` | `Status`, `Info` (read), `URL` (write) |
//! | [`LocalControl`] | `Local Control` | `esp.service.local_control` | `POP`, `Type` (read) |
//! | [`Connectivity`] | `Connectivity` | `esp.service.connectivity` | `Connected` (read) |
//! | [`Groups`] | `Groups` | `esp.service.groups` | `GroupID` |
//!
//! # Reacting to writes
//!
//! A service only stores what the cloud writes; acting on it is the application's
//! job. After [`Node::handle`](crate::node::Node::handle), look at the accepted
//! values of [`Event::ParamsWritten`](crate::node::Event::ParamsWritten):
//!
//! * [`System::requested`] lists the `Reboot` / `Factory-Reset` / `Wi-Fi-Reset`
//!   params written `true`. The SDK echoes `true` back (the node's delta on
//!   `params/local` already carries it) and acts after a short delay, so that the
//!   report goes out first: do the same.
//! * [`Ota::requested_url`] returns the firmware URL written to `OTA.URL`: start the
//!   download and report progress with [`Ota::set_status`] and
//!   [`Node::report_changes`](crate::node::Node::report_changes).
//! * [`Schedule`] and [`Scenes`] apply the list operations themselves (`add`, `edit`,
//!   `remove`, ...) and report the whole list. A [`Node`](crate::node::Node) runs the
//!   schedules (it arms them, fires them at their times and applies their actions;
//!   see [`Node::handle_timeout`](crate::node::Node::handle_timeout)) and applies
//!   scene activations as writes.
//! * `Time.TZ` / `Time.TZ-POSIX` / `Time.Timestamp` and `Groups.GroupID` are stored as
//!   written; the application sets its clock, time zone or group from them.
//!
//! # How the services are built
//!
//! Services with a fixed shape ([`Ota`], [`LocalControl`], [`Connectivity`],
//! [`Groups`]) use this crate's own `#[derive(Device)]` (with
//! `#[device(crate = "crate")]`). That is why `rainmaker-macros` is a regular
//! dependency of this crate: this module is always available, and the `derive`
//! feature only decides whether the macro is re-exported as
//! `rainmaker_types::Device` for applications.
//!
//! Services whose params or attributes depend on options given at run time
//! ([`Time`] with or without `Timestamp`, [`System`] per flag, [`Schedule`] and
//! [`Scenes`] with their maximum count and attribute) implement [`Device`](crate::Device) by hand.
//! Their descriptors are `static` where the options are a small closed set; for a
//! run-time maximum count each distinct configuration is allocated once for the life
//! of the process and shared by every instance with that configuration.
//!
//! # Example
//!
//! ```
//! use rainmaker_types::services::{Schedule, System, SystemFlags, Time};
//! use rainmaker_types::{Device, ParamValue};
//! use rainmaker_types::value::DeviceParams;
//! use serde_json::json;
//!
//! let schedule = Schedule::new(10).with_daylight_support(true);
//! assert_eq!(
//!     schedule.config_json(),
//!     json!({"name":"Schedule","type":"esp.service.schedule",
//!            "attributes":[{"name":"daylight_support","value":"yes"}],
//!            "params":[{"name":"Schedules","type":"esp.param.schedules","data_type":"array",
//!                       "properties":["read","write"],"bounds":{"max":10}}]})
//! );
//!
//! let time = Time::new();
//! assert_eq!(serde_json::to_value(time.params())?, json!({"TZ":"","TZ-POSIX":""}));
//!
//! // A reboot request: accepted and echoed, for the application to act on.
//! let mut system = System::new(SystemFlags::ALL);
//! let write: DeviceParams = [("Reboot", ParamValue::Bool(true))].into_iter().collect();
//! let outcome = system.apply(&write);
//! assert_eq!(outcome.accepted.get("Reboot"), Some(&ParamValue::Bool(true)));
//! assert!(system.reboot());
//! # Ok::<(), serde_json::Error>(())
//! ```

mod fixed;
mod list;
mod schedule;
mod system;
pub mod time;
#[rustfmt::skip]
mod tz_posix;

use crate::prelude::*;
pub use fixed::{Connectivity, Groups, LocalControl, Ota, UserAuth};
pub use list::{DEFAULT_MAX_ENTRIES, SceneActivation, SceneEntry, Scenes};
pub use schedule::{Schedule, ScheduleEntry, Validity};
pub use system::{System, SystemAction, SystemFlags};
pub use time::Time;

use crate::device::{DeviceDescriptor, ParamSpec};
use crate::value::ParamValue;

/// The param at `index` of `descriptor`, for the hand-written glue that dispatches on
/// param names (the param list of those services depends on their options).
fn spec_at(descriptor: &DeviceDescriptor, index: usize) -> Option<&'static ParamSpec> {
    let params: &'static [ParamSpec] = descriptor.params;
    params.get(index)
}

/// A string value of an already validated write.
fn string_of(value: &ParamValue) -> Result<String, crate::device::WriteRejection> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or(crate::device::WriteRejection::WrongType {
            expected: crate::messages::DataType::String,
            found: value.kind(),
        })
}
