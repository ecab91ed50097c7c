//! Local time without `std`: POSIX time zones ([`PosixTz`]) as the node's
//! `TZ-POSIX` param holds them, evaluated the way the SDK's C library does.

mod civil;
mod posix_tz;

pub(crate) use civil::{DAY, days_from_civil, is_leap};
pub(crate) use posix_tz::Tm;
pub use posix_tz::{LocalTime, PosixTz, TzError, TzErrorReason};

/// The first instant the SDK takes for a synchronised clock (2019-01-01T00:00:00Z,
/// `esp_rmaker_time_check`): a node whose clock says earlier has not been told the
/// time yet.
pub const SYNCED_AFTER: i64 = 1_546_300_800;

/// The time of a node call, as devices with a [`Timer`](crate::device::Timer) see
/// it: the current time and the node's time zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// Unix seconds; at or before [`SYNCED_AFTER`] the time counts as unknown.
    pub now: i64,
    /// The node's time zone (its `TZ-POSIX`).
    pub tz: PosixTz,
}

impl Clock {
    /// Whether the time is known (after 2019-01-01, as the SDK checks).
    pub fn is_synced(&self) -> bool {
        self.now > SYNCED_AFTER
    }
}
