//! The schedule engine: when a schedule trigger fires next, computed the way the
//! SDK's `esp_schedule` 1.3.3 computes it (local time from the node's POSIX time
//! zone, its day and month arithmetic, its daylight-saving adjustment, NOAA
//! sunrise and sunset), so that a Rust node fires when an SDK node would, to the
//! second.
//!
//! ```
//! use rainmaker_types::clock::PosixTz;
//! use rainmaker_types::schedule::Trigger;
//!
//! // 18:30 on weekdays (bit 0 = Monday), in Berlin.
//! let trigger = Trigger::from_json(&serde_json::json!({"m": 1110, "d": 31}));
//! let berlin = PosixTz::parse("CET-1CEST,M3.5.0,M10.5.0/3")?;
//! // Monday 2024-07-01 14:00 local: today at 18:30 local, 16:30 UTC.
//! assert_eq!(trigger.next_after(1_719_835_200, &berlin), Some(1_719_851_400));
//! # Ok::<(), rainmaker_types::clock::TzError>(())
//! ```

mod next;
mod solar;

use crate::prelude::*;

use serde_json::{Map, Value};

/// A schedule trigger as the SDK reads it from the first element of a schedule's
/// `triggers`: the first of `sr`, `ss`, `rsec`, then `m` with `dd` (a date) or `d`
/// (weekdays) decides the kind, and integer keys take JSON integers (fractions
/// dropped, as C's conversion does; anything else counts as absent).
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// `m` minutes after local midnight on the weekdays of `d` (bit 0 = Monday);
    /// `d: 0` fires once, at the next such minute.
    Weekdays {
        /// `m`: minutes after midnight (as the SDK's 16 bits hold it).
        minutes: u16,
        /// `d`: the weekday mask.
        weekdays: u8,
    },
    /// `m` minutes after local midnight on day `dd` of the months of `mm` (bit 0 =
    /// January), of year `yy`, every year when `r`; `mm: 0` fires once.
    Date {
        /// `m`: minutes after midnight (as the SDK's 16 bits hold it).
        minutes: u16,
        /// `dd`: the day of the month.
        day: u8,
        /// `mm`: the month mask.
        months: u16,
        /// `yy`: the year (0: none).
        year: u16,
        /// `r`: repeat every year.
        yearly: bool,
    },
    /// `rsec` seconds after the schedule is armed; fires once.
    Relative {
        /// `rsec`: the delay in seconds.
        seconds: i32,
    },
    /// `sr` or `ss` minutes after sunrise or sunset (negative before) at `lat`,
    /// `lon`: on the weekdays of `d`, or on day `dd` of the months of `mm`, or
    /// once (neither).
    Solar {
        /// Sunrise or sunset.
        event: SolarEvent,
        /// The offset in minutes.
        offset_minutes: i32,
        /// `lat` in degrees, as the SDK holds it (read as a 32-bit float).
        latitude: f64,
        /// `lon` in degrees, as the SDK holds it (read as a 32-bit float).
        longitude: f64,
        /// `d`: the weekday mask.
        weekdays: u8,
        /// `dd`: the day of the month (0: none).
        day: u8,
        /// `mm`: the month mask.
        months: u16,
        /// `loc`: the place's name, at most 31 bytes.
        location: Option<String>,
    },
    /// No kind the SDK knows (no `rsec`, `sr`, `ss`, `d` or `dd`): never fires;
    /// reported as `{"m": minutes}`, as the SDK writes it.
    Invalid {
        /// `m`, if any (0 otherwise).
        minutes: u16,
    },
}

/// Which solar event a trigger follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolarEvent {
    /// `sr`.
    Sunrise,
    /// `ss`.
    Sunset,
}

/// The longest `loc` the SDK keeps, in bytes.
const MAX_LOCATION_LEN: usize = 31;

impl Trigger {
    /// Reads a trigger object (an element of a schedule's `triggers`) as the SDK
    /// does; see [`Trigger`].
    pub fn from_json(trigger: &Value) -> Self {
        let keys = trigger.as_object();
        let int = |key: &str| keys.and_then(|keys| integer(keys.get(key)?));
        let solar = |event: SolarEvent, offset: i64| {
            let float = |key: &str| {
                keys.and_then(|keys| keys.get(key)?.as_f64())
                    .map_or(0.0, |value| f64::from(value as f32))
            };
            Self::Solar {
                event,
                offset_minutes: truncate_i32(offset),
                latitude: float("lat"),
                longitude: float("lon"),
                weekdays: int("d").map_or(0, truncate_u8),
                day: int("dd").map_or(0, truncate_u8),
                months: int("mm").map_or(0, truncate_u16),
                location: keys
                    .and_then(|keys| keys.get("loc")?.as_str())
                    .map(|loc| truncate_str(loc, MAX_LOCATION_LEN).to_owned()),
            }
        };
        if let Some(offset) = int("sr") {
            return solar(SolarEvent::Sunrise, offset);
        }
        if let Some(offset) = int("ss") {
            return solar(SolarEvent::Sunset, offset);
        }
        if let Some(seconds) = int("rsec") {
            return Self::Relative {
                seconds: truncate_i32(seconds),
            };
        }
        let minutes = int("m").map_or(0, truncate_u16);
        if let Some(day) = int("dd") {
            return Self::Date {
                minutes,
                day: truncate_u8(day),
                months: int("mm").map_or(0, truncate_u16),
                year: int("yy").map_or(0, truncate_u16),
                yearly: keys
                    .and_then(|keys| keys.get("r")?.as_bool())
                    .unwrap_or(false),
            };
        }
        match int("d") {
            Some(weekdays) => Self::Weekdays {
                minutes,
                weekdays: truncate_u8(weekdays),
            },
            None => Self::Invalid { minutes },
        }
    }

    /// The trigger object as the SDK reports it, with `ts` (the next time it
    /// fires, 0 when not armed) where the SDK writes one: for one-shot weekday and
    /// date triggers, relative and solar triggers.
    pub fn to_json(&self, ts: i64) -> Value {
        let mut keys = Map::new();
        let mut set = |key: &str, value: Value| {
            keys.insert(key.into(), value);
        };
        match self {
            Self::Weekdays { minutes, weekdays } => {
                set("m", (*minutes).into());
                set("d", (*weekdays).into());
                if *weekdays == 0 {
                    set("ts", ts.into());
                }
            }
            Self::Date {
                minutes,
                day,
                months,
                year,
                yearly,
            } => {
                set("m", (*minutes).into());
                set("dd", (*day).into());
                set("mm", (*months).into());
                set("yy", (*year).into());
                set("r", u8::from(*yearly).into());
                if *months == 0 {
                    set("ts", ts.into());
                }
            }
            Self::Relative { seconds } => {
                set("rsec", (*seconds).into());
                set("ts", ts.into());
            }
            Self::Solar {
                event,
                offset_minutes,
                latitude,
                longitude,
                weekdays,
                day,
                months,
                location,
            } => {
                let key = match event {
                    SolarEvent::Sunrise => "sr",
                    SolarEvent::Sunset => "ss",
                };
                set(key, (*offset_minutes).into());
                set("lat", float(*latitude));
                set("lon", float(*longitude));
                if *weekdays > 0 {
                    set("d", (*weekdays).into());
                }
                if *day > 0 {
                    set("dd", (*day).into());
                }
                if *months > 0 {
                    set("mm", (*months).into());
                }
                if let Some(location) = location.as_deref().filter(|loc| !loc.is_empty()) {
                    set("loc", location.into());
                }
                set("ts", ts.into());
            }
            Self::Invalid { minutes } => set("m", (*minutes).into()),
        }
        Value::Object(keys)
    }

    /// Whether the trigger fires at most once: weekdays `0`, months `0`, relative,
    /// and solar triggers with neither weekdays nor a day.
    pub fn is_one_shot(&self) -> bool {
        match self {
            Self::Weekdays { weekdays, .. } => *weekdays == 0,
            Self::Date { months, .. } => *months == 0,
            Self::Relative { .. } => true,
            Self::Solar { weekdays, day, .. } => *weekdays == 0 && *day == 0,
            Self::Invalid { .. } => false,
        }
    }

    /// Whether the SDK tracks and reports the trigger's next time (`ts`): one-shot
    /// weekday and date triggers, relative and solar triggers.
    pub fn reports_next(&self) -> bool {
        matches!(self, Self::Relative { .. } | Self::Solar { .. }) || self.is_one_shot()
    }

    /// When the trigger fires next after `now` (Unix seconds) in `tz`, as the SDK
    /// arms it; `None` where it arms nothing (no sunrise or sunset that day, an
    /// invalid trigger, or a computed delay of zero). A relative trigger counts
    /// from `now`; see [`Trigger::next_after_armed`] for one armed earlier.
    pub fn next_after(&self, now: i64, tz: &crate::clock::PosixTz) -> Option<i64> {
        self.next_after_armed(now, tz, 0)
    }

    /// As [`Trigger::next_after`], for a relative trigger already armed for `ts`
    /// (its reported `ts`; 0 when not armed).
    pub fn next_after_armed(&self, now: i64, tz: &crate::clock::PosixTz, ts: i64) -> Option<i64> {
        let next = next::next_time(self, now, tz, ts)?;
        // The SDK's delay is a 32-bit count of seconds; zero means "not armed".
        let delay = i32::try_from(next - now).ok()?;
        (delay != 0).then_some(next)
    }

    /// Whether `esp_schedule` stops re-arming the trigger after it fired with `ts`
    /// as its next time, checked at `now`.
    pub fn is_finished(&self, now: i64, tz: &crate::clock::PosixTz, ts: i64) -> bool {
        next::is_finished(self, now, tz, ts)
    }

    /// Whether the SDK's RainMaker layer disables the schedule at `now`, with `ts`
    /// its last armed time: a one-shot weekday, date or relative trigger whose
    /// time has passed, or a repeating date trigger past the last month of its
    /// year. (One-shot solar triggers stay enabled, as in the SDK.)
    pub fn has_expired(&self, now: i64, tz: &crate::clock::PosixTz, ts: i64) -> bool {
        next::has_expired(self, now, tz, ts)
    }
}

/// An integer key's value: a JSON integer, or the whole part of another number.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number
            .as_i64()
            .or_else(|| number.as_f64().map(|float| float as i64)),
        _ => None,
    }
}

/// C's conversion to a 32-bit `int` of a value read with `strtol`.
fn truncate_i32(value: i64) -> i32 {
    value as i32
}

/// C's conversion to `uint8_t`.
fn truncate_u8(value: i64) -> u8 {
    value as u8
}

/// C's conversion to `uint16_t`.
fn truncate_u16(value: i64) -> u16 {
    value as u16
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn truncate_str(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A float as the SDK's JSON writer writes it (`%.5f`).
fn float(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}
