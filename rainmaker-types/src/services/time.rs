//! The time service.

use crate::clock::PosixTz;
use crate::device::{Device, DeviceDescriptor, ParamSpec, WriteRejection};
use crate::messages::DataType;
use crate::prelude::*;
use crate::value::ParamValue;

use super::{spec_at, string_of};

/// The POSIX TZ string of an IANA time-zone name (`Asia/Kolkata` gives
/// `IST-5:30`), from the tz database's table this crate carries; `None` for a name
/// the database does not know.
///
/// ```
/// use rainmaker_types::services::time::posix_tz;
///
/// assert_eq!(posix_tz("Asia/Shanghai"), Some("CST-8"));
/// ```
pub fn posix_tz(name: &str) -> Option<&'static str> {
    let zones = super::tz_posix::ZONES;
    let found = zones.binary_search_by(|(zone, _)| (*zone).cmp(name)).ok()?;
    zones.get(found).map(|(_, posix)| *posix)
}

/// Every `(IANA name, POSIX TZ string)` pair of the table, sorted by name.
pub fn zones() -> &'static [(&'static str, &'static str)] {
    super::tz_posix::ZONES
}

const TZ: ParamSpec = ParamSpec::new("TZ", DataType::String).with_type("esp.param.tz");

const TZ_POSIX: ParamSpec =
    ParamSpec::new("TZ-POSIX", DataType::String).with_type("esp.param.tz_posix");

const TIMESTAMP: ParamSpec =
    ParamSpec::new("Timestamp", DataType::Int).with_type("esp.param.timestamp");

const fn time_descriptor(params: &'static [ParamSpec]) -> DeviceDescriptor {
    DeviceDescriptor::service(Time::NAME, "esp.service.time", &[], params)
}

static WITHOUT_TIMESTAMP: DeviceDescriptor = time_descriptor(&[TZ, TZ_POSIX]);
static WITH_TIMESTAMP: DeviceDescriptor = time_descriptor(&[TZ, TZ_POSIX, TIMESTAMP]);

/// The time service (`esp.service.time`, named `Time`): the node's time zone, and
/// optionally its clock.
///
/// Config entry, as the SDK writes it (`Timestamp` only when enabled, see
/// [`Time::with_timestamp`]):
///
/// ```json
/// {"name":"Time","type":"esp.service.time","params":[
///   {"name":"TZ","type":"esp.param.tz","data_type":"string","properties":["read","write"]},
///   {"name":"TZ-POSIX","type":"esp.param.tz_posix","data_type":"string","properties":["read","write"]},
///   {"name":"Timestamp","type":"esp.param.timestamp","data_type":"int","properties":["read","write"]}]}
/// ```
///
/// A written `TZ` (an IANA name such as `Asia/Kolkata`) also sets `TZ-POSIX` to the
/// name's POSIX string ([`posix_tz`], from the tz database), and the node reports
/// that change before the write, as the SDK does:
/// `{"Time":{"TZ-POSIX":"IST-5:30"}}` then `{"Time":{"TZ":"Asia/Kolkata"}}`. A
/// name the database does not know leaves `TZ-POSIX` as it was. A written
/// `Timestamp` sets the clock; report the resulting time with
/// [`Time::set_timestamp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Time {
    tz: String,
    tz_posix: String,
    /// `tz_posix` read as a POSIX time zone, when it is one.
    zone: Option<PosixTz>,
    timestamp: Option<i64>,
}

impl Time {
    /// The service name, `Time`.
    pub const NAME: &'static str = "Time";

    /// The service with empty `TZ` and `TZ-POSIX` and no `Timestamp` param.
    pub fn new() -> Self {
        Self {
            tz: String::new(),
            tz_posix: String::new(),
            zone: None,
            timestamp: None,
        }
    }

    /// Adds the optional `Timestamp` param (epoch seconds), reporting `now`.
    #[must_use]
    pub fn with_timestamp(mut self, now: i64) -> Self {
        self.timestamp = Some(now);
        self
    }

    /// Sets the reported time zone: `tz` (IANA-style name) and `tz_posix` (POSIX TZ
    /// string).
    #[must_use]
    pub fn with_time_zone(mut self, tz: impl Into<String>, tz_posix: impl Into<String>) -> Self {
        self.tz = tz.into();
        self.set_tz_posix(tz_posix);
        self
    }

    /// The time-zone name (`TZ`).
    pub fn tz(&self) -> &str {
        &self.tz
    }

    /// The POSIX time-zone string (`TZ-POSIX`).
    pub fn tz_posix(&self) -> &str {
        &self.tz_posix
    }

    /// `TZ-POSIX` as a time zone; `None` when it is empty or not a POSIX time zone.
    pub fn zone(&self) -> Option<PosixTz> {
        self.zone
    }

    /// The `Timestamp` value; `None` when the service has no `Timestamp` param.
    pub fn timestamp(&self) -> Option<i64> {
        self.timestamp
    }

    /// Sets `TZ`.
    pub fn set_tz(&mut self, tz: impl Into<String>) {
        self.tz = tz.into();
    }

    /// Sets `TZ-POSIX`.
    pub fn set_tz_posix(&mut self, tz_posix: impl Into<String>) {
        self.tz_posix = tz_posix.into();
        self.zone = PosixTz::parse(&self.tz_posix).ok();
    }

    /// Sets `Timestamp`; ignored when the service has no `Timestamp` param (see
    /// [`Time::with_timestamp`]).
    pub fn set_timestamp(&mut self, now: i64) {
        if let Some(timestamp) = &mut self.timestamp {
            *timestamp = now;
        }
    }
}

impl Default for Time {
    fn default() -> Self {
        Self::new()
    }
}

impl Device for Time {
    fn descriptor(&self) -> &DeviceDescriptor {
        if self.timestamp.is_some() {
            &WITH_TIMESTAMP
        } else {
            &WITHOUT_TIMESTAMP
        }
    }

    fn param_value(&self, index: usize) -> Option<ParamValue> {
        match spec_at(self.descriptor(), index)?.name {
            "TZ" => Some(ParamValue::String(self.tz.clone())),
            "TZ-POSIX" => Some(ParamValue::String(self.tz_posix.clone())),
            "Timestamp" => self.timestamp.map(ParamValue::Int),
            _ => None,
        }
    }

    fn set_param(&mut self, index: usize, value: &ParamValue) -> Result<(), WriteRejection> {
        let spec = spec_at(self.descriptor(), index).ok_or(WriteRejection::UnknownParam)?;
        match spec.name {
            "TZ" => {
                self.tz = string_of(value)?;
                if let Some(posix) = posix_tz(&self.tz) {
                    self.set_tz_posix(posix);
                }
            }
            "TZ-POSIX" => self.set_tz_posix(string_of(value)?),
            "Timestamp" => {
                let now = value.as_i64().ok_or(WriteRejection::WrongType {
                    expected: DataType::Int,
                    found: value.kind(),
                })?;
                self.timestamp = Some(now);
            }
            _ => return Err(WriteRejection::UnknownParam),
        }
        Ok(())
    }
}
