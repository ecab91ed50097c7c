//! Command numbers (tag 5).

use core::fmt;

use crate::display::{debug_named, display_named};

/// A command number: little-endian `u16` on the wire.
///
/// The commands of the spec's catalogue have named constants; every other value,
/// including the custom range from [`Command::CUSTOM_START`], stays representable.
///
/// ```
/// use rainmaker_tlv::Command;
///
/// assert_eq!(Command::SET_PARAMS.name(), Some("set-params"));
/// assert!(Command(0x1000).is_custom());
/// assert!(!Command(999).is_known());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Command(pub u16);

impl Command {
    /// First custom (application-defined) command; `0x1000..=0xFFFF` are custom.
    pub const CUSTOM_START: Command = Command(0x1000);

    /// Whether the command is in the custom range (`>= 0x1000`).
    pub const fn is_custom(self) -> bool {
        self.0 >= Self::CUSTOM_START.0
    }

    /// Whether the command is in the spec's catalogue.
    pub const fn is_known(self) -> bool {
        self.name().is_some()
    }

    /// The wire bytes (little-endian).
    pub const fn to_le_bytes(self) -> [u8; 2] {
        self.0.to_le_bytes()
    }

    /// The command as an answer echoes it. Command 0 is the node's get-pending
    /// request only in a frame the node sends on its own; in an answer it is the
    /// command of a request that had none (or a malformed one), and it shows as
    /// `0 (none)`.
    ///
    /// ```
    /// use rainmaker_tlv::Command;
    ///
    /// assert_eq!(Command(0).in_answer().to_string(), "0 (none)");
    /// assert_eq!(Command::SET_PARAMS.in_answer().to_string(), "1 (set-params)");
    /// ```
    pub const fn in_answer(self) -> InAnswer {
        InAnswer(self)
    }
}

/// A command as an answer echoes it ([`Command::in_answer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InAnswer(Command);

impl fmt::Display for InAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Command(0) => display_named(f, 0, Some("none")),
            command => fmt::Display::fmt(&command, f),
        }
    }
}

impl From<u16> for Command {
    fn from(value: u16) -> Self {
        Command(value)
    }
}

impl From<Command> for u16 {
    fn from(value: Command) -> Self {
        value.0
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            None if self.is_custom() => write!(f, "Command({:#06x} custom)", self.0),
            name => debug_named(f, "Command", self.0, name),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_named(f, self.0, self.name())
    }
}
