//! Command numbers (tag 5).

use core::fmt;

/// A command number: little-endian `u16` on the wire.
///
/// Known commands have named constants; every other value, including the
/// custom range from [`Command::CUSTOM_START`], stays representable.
///
/// ```
/// use rainmaker_tlv::Command;
///
/// assert_eq!(Command::SET_PARAMS.name(), Some("set params"));
/// assert!(Command(0x1000).is_custom());
/// assert!(!Command(999).is_known());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Command(pub u16);

impl Command {
    /// 0: node -> cloud, get all pending commands.
    pub const GET_PENDING: Command = Command(0);
    /// 1: cloud -> node, set params (`{"params": ...}`).
    pub const SET_PARAMS: Command = Command(1);
    /// 16: file upload URL request / confirm (node) and URL reply (cloud).
    pub const FILE_UPLOAD: Command = Command(16);
    /// 17: get a file download URL.
    pub const FILE_DOWNLOAD_URL: Command = Command(17);
    /// 20: file upload confirmed (cloud's reply to the confirm).
    pub const FILE_UPLOAD_CONFIRMED: Command = Command(20);
    /// 201: CSR submission for DAC / custom data.
    pub const DAC_CSR: Command = Command(201);
    /// 202: request/response for DAC, custom data or PAI certificate.
    pub const DAC_REQUEST: Command = Command(202);
    /// 203: status update of DAC data retrieval.
    pub const DAC_STATUS: Command = Command(203);
    /// First custom (application-defined) command; `0x1000..=0xFFFF` are custom.
    pub const CUSTOM_START: Command = Command(0x1000);

    /// Whether the command is in the custom range (`>= 0x1000`).
    pub const fn is_custom(self) -> bool {
        self.0 >= Self::CUSTOM_START.0
    }

    /// Whether the command has a named constant.
    pub const fn is_known(self) -> bool {
        self.name().is_some()
    }

    /// The name of a known command.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "get pending",
            1 => "set params",
            16 => "file upload",
            17 => "file download url",
            20 => "file upload confirmed",
            201 => "dac csr",
            202 => "dac request",
            203 => "dac status",
            _ => return None,
        })
    }

    /// The wire bytes (little-endian).
    pub const fn to_le_bytes(self) -> [u8; 2] {
        self.0.to_le_bytes()
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
            Some(name) => write!(f, "Command({} {name})", self.0),
            None if self.is_custom() => write!(f, "Command({:#06x} custom)", self.0),
            None => write!(f, "Command({})", self.0),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({name})", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}
