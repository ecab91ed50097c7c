//! Response statuses (tag 3).

use core::fmt;

use crate::display::debug_named;

/// A response status byte.
///
/// The statuses of the spec's `x-rainmaker-tlv` have named constants and names
/// (generated); others are kept as is.
///
/// ```
/// use rainmaker_tlv::Status;
///
/// assert!(Status::SUCCESS.is_success());
/// assert_eq!(Status(3), Status::AUTH_FAILED);
/// assert_eq!(Status(9).name(), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Status(pub u8);

impl Status {
    /// Whether this is [`Status::SUCCESS`].
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }

    /// Whether the status has a named constant.
    pub const fn is_known(self) -> bool {
        self.name().is_some()
    }
}

impl From<u8> for Status {
    fn from(value: u8) -> Self {
        Status(value)
    }
}

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_named(f, "Status", self.0, self.name())
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "unknown status {}", self.0),
        }
    }
}
