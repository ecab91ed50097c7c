//! Response statuses (tag 3).

use core::fmt;

/// A response status byte.
///
/// Values 0 to 4 have named constants; others are kept as is.
///
/// ```
/// use rainmaker_tlv::Status;
///
/// assert!(Status::SUCCESS.is_success());
/// assert_eq!(Status(3), Status::AUTH_FAIL);
/// assert_eq!(Status(9).name(), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Status(pub u8);

impl Status {
    /// 0: success.
    pub const SUCCESS: Status = Status(0);
    /// 1: the handler failed.
    pub const FAILED: Status = Status(1);
    /// 2: invalid command (missing request id, role or command).
    pub const INVALID: Status = Status(2);
    /// 3: the caller's role is not allowed to run the command.
    pub const AUTH_FAIL: Status = Status(3);
    /// 4: no handler for the command.
    pub const NOT_FOUND: Status = Status(4);

    /// Whether this is [`Status::SUCCESS`].
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }

    /// Whether the status has a named constant.
    pub const fn is_known(self) -> bool {
        self.0 <= 4
    }

    /// The name of a known status.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "success",
            1 => "failed",
            2 => "invalid",
            3 => "auth fail",
            4 => "not found",
            _ => return None,
        })
    }
}

impl From<u8> for Status {
    fn from(value: u8) -> Self {
        Status(value)
    }
}

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "Status({} {name})", self.0),
            None => write!(f, "Status({})", self.0),
        }
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
