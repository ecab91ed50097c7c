//! The user role byte (tag 2): base role flags and a sub-role nibble.

use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign};

/// The role byte of a request.
///
/// The low nibble holds the base role flags ([`UserRole::SUPER_ADMIN`],
/// [`UserRole::PRIMARY_USER`], [`UserRole::SECONDARY_USER`], [`UserRole::NODE`]); the high
/// nibble a sub-role, reported as the index of its lowest set bit. The same
/// type serves as the mask of roles allowed to run a command; authorisation
/// looks at base flags only.
///
/// ```
/// use rainmaker_tlv::UserRole;
///
/// let role = UserRole(0x22);
/// assert_eq!(role.base(), UserRole::PRIMARY_USER);
/// assert_eq!(role.sub_role(), 2);
/// let allowed = UserRole::SUPER_ADMIN | UserRole::PRIMARY_USER;
/// assert!(allowed.allows(role));
/// assert!(!allowed.allows(UserRole::SECONDARY_USER));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UserRole(pub u8);

impl UserRole {
    /// All base roles: a mask that lets anyone with a base role through.
    pub const ANY: UserRole = UserRole(0x0F);

    /// The base role flags (low nibble).
    pub const fn base(self) -> UserRole {
        UserRole(self.0 & 0x0F)
    }

    /// The sub-role: index (1 to 4) of the lowest set bit of the high
    /// nibble, 0 when none is set.
    pub const fn sub_role(self) -> u8 {
        let high = self.0 >> 4;
        if high == 0 {
            0
        } else {
            high.trailing_zeros() as u8 + 1
        }
    }

    /// Whether every flag of `other` is set in `self`.
    pub const fn contains(self, other: UserRole) -> bool {
        self.0 & other.0 == other.0
    }

    /// Used as an access mask: whether `role`'s base flags share a flag with it.
    pub const fn allows(self, role: UserRole) -> bool {
        self.0 & role.base().0 != 0
    }

    /// The raw byte.
    pub const fn bits(self) -> u8 {
        self.0
    }
}

impl BitOr for UserRole {
    type Output = UserRole;
    fn bitor(self, rhs: UserRole) -> UserRole {
        UserRole(self.0 | rhs.0)
    }
}

impl BitOrAssign for UserRole {
    fn bitor_assign(&mut self, rhs: UserRole) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for UserRole {
    type Output = UserRole;
    fn bitand(self, rhs: UserRole) -> UserRole {
        UserRole(self.0 & rhs.0)
    }
}

impl From<u8> for UserRole {
    fn from(value: u8) -> Self {
        UserRole(value)
    }
}

impl fmt::Debug for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UserRole({:#04x}", self.0)?;
        let mut sep = " ";
        for (flag, name) in UserRole::FLAGS {
            if self.contains(flag) {
                write!(f, "{sep}{name}")?;
                sep = "|";
            }
        }
        if self.sub_role() != 0 {
            write!(f, " sub-role {}", self.sub_role())?;
        }
        f.write_str(")")
    }
}
