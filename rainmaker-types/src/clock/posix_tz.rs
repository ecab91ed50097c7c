//! POSIX `TZ` strings (`CET-1CEST,M3.5.0,M10.5.0/3`), as the node's `TZ-POSIX`
//! param holds them and the SDK hands them to its C library: parsed once, then
//! evaluated without `std` and without a time-zone database.

use core::fmt;

use super::civil::{DAY, civil_from_days, days_from_civil, days_in_month, is_leap, weekday};

/// A POSIX time zone: a standard offset and, optionally, a daylight-saving offset
/// with the rules that say when it applies.
///
/// ```
/// use rainmaker_types::clock::PosixTz;
///
/// let berlin = PosixTz::parse("CET-1CEST,M3.5.0,M10.5.0/3")?;
/// // 2024-07-01T12:00:00Z is 14:00 summer time in Berlin.
/// let local = berlin.local(1_719_835_200);
/// assert_eq!((local.hour, local.is_dst, local.offset), (14, true, 7200));
/// # Ok::<(), rainmaker_types::clock::TzError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PosixTz {
    /// Seconds east of UTC in standard time.
    std_offset: i32,
    dst: Option<Dst>,
}

/// Daylight-saving time: its offset and when it starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dst {
    /// Seconds east of UTC while it applies.
    offset: i32,
    /// When it starts, in standard local time.
    start: Transition,
    /// When it ends, in daylight-saving local time.
    end: Transition,
}

/// A day of the year and a time of that day (which may be negative or past 24 h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Transition {
    day: DayRule,
    /// Seconds after the day's midnight.
    time: i32,
}

/// How a transition's day is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayRule {
    /// `Jn`: day 1 to 365, February 29 never counted.
    NoLeapDay(u16),
    /// `n`: day 0 to 365, February 29 counted.
    ZeroBased(u16),
    /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1 to 5, 5 = the last) of
    /// month `m`.
    MonthWeekDay { month: u8, week: u8, weekday: u8 },
}

/// The rules a POSIX zone with a daylight-saving name but no rules gets (the United
/// States' since 2007, as the C libraries assume).
const DEFAULT_RULES: (Transition, Transition) = (
    Transition {
        day: DayRule::MonthWeekDay {
            month: 3,
            week: 2,
            weekday: 0,
        },
        time: 7200,
    },
    Transition {
        day: DayRule::MonthWeekDay {
            month: 11,
            week: 1,
            weekday: 0,
        },
        time: 7200,
    },
);

/// A `TZ` string that is not a POSIX time zone: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid POSIX time zone at byte {at}: {reason}")]
pub struct TzError {
    /// The byte offset of the problem in the string.
    pub at: usize,
    /// What is wrong there.
    pub reason: TzErrorReason,
}

/// What is wrong with a POSIX `TZ` string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TzErrorReason {
    /// A zone name must be 3 or more letters, or `<...>`.
    Name,
    /// An offset must be `[+-]hh[:mm[:ss]]` with hours 0 to 24.
    Offset,
    /// A rule must be `Jn`, `n` or `Mm.w.d`, optionally followed by `/time`.
    Rule,
    /// Something follows the zone.
    Trailing,
}

impl fmt::Display for TzErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Name => "a zone name is 3 or more letters, or `<...>`",
            Self::Offset => "an offset is [+-]hh[:mm[:ss]] with hours 0 to 24",
            Self::Rule => "a rule is Jn, n or Mm.w.d, optionally followed by /time",
            Self::Trailing => "unexpected text after the zone",
        })
    }
}

/// A point in time as a local clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The year.
    pub year: i64,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
    /// The second, 0 to 59.
    pub second: u8,
    /// The day of the week, 0 = Monday to 6 = Sunday (bit `n` of a schedule's
    /// weekday mask).
    pub weekday: u8,
    /// Whether daylight-saving time applies.
    pub is_dst: bool,
    /// Seconds east of UTC.
    pub offset: i32,
}

impl PosixTz {
    /// UTC (`UTC0`).
    pub const UTC: Self = Self {
        std_offset: 0,
        dst: None,
    };

    /// Parses a POSIX `TZ` string: `std offset [dst [offset] [,start[/time],end[/time]]]`,
    /// names as letters or `<...>`, offsets positive west of UTC (`CST-8` is
    /// UTC+8), transition times from -167 h to 167 h.
    ///
    /// # Errors
    ///
    /// A [`TzError`] with the byte offset of the first thing that does not fit.
    pub fn parse(text: &str) -> Result<Self, TzError> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            at: 0,
        };
        parser.name()?;
        let std_offset = -parser.offset(TzErrorReason::Offset, 24)?;
        if parser.done() {
            return Ok(Self {
                std_offset,
                dst: None,
            });
        }
        parser.name()?;
        let offset = if parser.peek().is_some_and(|b| b != b',') {
            -parser.offset(TzErrorReason::Offset, 24)?
        } else {
            std_offset + 3600
        };
        let (start, end) = if parser.done() {
            DEFAULT_RULES
        } else {
            parser.expect(b',', TzErrorReason::Rule)?;
            let start = parser.transition()?;
            parser.expect(b',', TzErrorReason::Rule)?;
            let end = parser.transition()?;
            (start, end)
        };
        if !parser.done() {
            return Err(parser.error(TzErrorReason::Trailing));
        }
        Ok(Self {
            std_offset,
            dst: Some(Dst { offset, start, end }),
        })
    }

    /// Whether the zone has daylight-saving time.
    pub fn has_dst(&self) -> bool {
        self.dst.is_some()
    }

    /// The offset (seconds east of UTC) and whether daylight-saving time applies at
    /// `utc` (Unix seconds).
    pub fn offset_at(&self, utc: i64) -> (i32, bool) {
        match &self.dst {
            Some(dst) if self.is_dst(dst, utc) => (dst.offset, true),
            _ => (self.std_offset, false),
        }
    }

    /// The local time at `utc` (Unix seconds).
    pub fn local(&self, utc: i64) -> LocalTime {
        let tm = self.localtime(utc);
        LocalTime {
            year: tm.year,
            month: to_u8(tm.mon + 1),
            day: to_u8(tm.mday),
            hour: to_u8(tm.hour),
            minute: to_u8(tm.min),
            second: to_u8(tm.sec),
            weekday: to_u8((tm.wday + 6) % 7),
            is_dst: tm.isdst > 0,
            offset: self.offset_at(utc).0,
        }
    }

    /// When daylight-saving time starts and ends in `year`, in Unix seconds (the
    /// start is written in standard local time, the end in daylight local time).
    fn transitions(&self, dst: &Dst, year: i64) -> (i64, i64) {
        let start = dst.start.day.day_number(year) * DAY + i64::from(dst.start.time)
            - i64::from(self.std_offset);
        let end =
            dst.end.day.day_number(year) * DAY + i64::from(dst.end.time) - i64::from(dst.offset);
        (start, end)
    }

    fn is_dst(&self, dst: &Dst, utc: i64) -> bool {
        // The rules of the UTC year, as glibc and newlib take them.
        let year = civil_from_days(utc.div_euclid(DAY)).0;
        let (start, end) = self.transitions(dst, year);
        if start < end {
            start <= utc && utc < end
        } else {
            !(end <= utc && utc < start)
        }
    }

    /// `localtime_r`: the broken-down local time at `utc`.
    pub(crate) fn localtime(&self, utc: i64) -> Tm {
        let (offset, dst) = self.offset_at(utc);
        let mut tm = Tm::from_local_seconds(utc + i64::from(offset));
        tm.isdst = i8::from(dst);
        tm
    }

    /// `mktime`: the instant of the broken-down local time `tm`, whose fields may be
    /// out of range, read with the offset `tm.isdst` asks for (standard time for 0,
    /// daylight time for a positive value in a zone that has it, whichever applies
    /// for a negative one), as the C libraries do. `tm` is then normalised to the
    /// local time of that instant.
    pub(crate) fn mktime(&self, tm: &mut Tm) -> i64 {
        let local = tm.local_seconds();
        let offset = match &self.dst {
            Some(dst) if tm.isdst > 0 => dst.offset,
            Some(dst) if tm.isdst < 0 => {
                let standard = local - i64::from(self.std_offset);
                if self.is_dst(dst, standard) {
                    dst.offset
                } else {
                    self.std_offset
                }
            }
            _ => self.std_offset,
        };
        let utc = local - i64::from(offset);
        *tm = self.localtime(utc);
        utc
    }
}

fn to_u8(value: i64) -> u8 {
    u8::try_from(value).unwrap_or(u8::MAX)
}

impl DayRule {
    /// The day number of the rule's day in `year`.
    fn day_number(self, year: i64) -> i64 {
        let january_first = days_from_civil(year, 1, 1);
        match self {
            Self::NoLeapDay(day) => {
                let day = i64::from(day);
                let leap_shift = i64::from(is_leap(year) && day >= 60);
                january_first + day - 1 + leap_shift
            }
            Self::ZeroBased(day) => january_first + i64::from(day),
            Self::MonthWeekDay {
                month,
                week,
                weekday: wanted,
            } => {
                let (month, week, wanted) = (i64::from(month), i64::from(week), i64::from(wanted));
                let first = days_from_civil(year, month, 1);
                let mut day = first + (wanted - weekday(first)).rem_euclid(7) + 7 * (week - 1);
                let end = first + days_in_month(year, month);
                while day >= end {
                    day -= 7;
                }
                day
            }
        }
    }
}

/// A `struct tm`: broken-down time whose fields may be out of range before
/// [`PosixTz::mktime`] normalises them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Tm {
    pub sec: i64,
    pub min: i64,
    pub hour: i64,
    /// Day of the month, from 1.
    pub mday: i64,
    /// Month, 0 = January.
    pub mon: i64,
    /// The full year (not years since 1900).
    pub year: i64,
    /// Day of the week, 0 = Sunday.
    pub wday: i64,
    /// Positive for daylight-saving time, 0 for standard time, negative for
    /// "find out" (as `tm_isdst`).
    pub isdst: i8,
}

impl Tm {
    /// The broken-down form of local seconds since 1970-01-01T00:00 (local).
    fn from_local_seconds(local: i64) -> Self {
        let days = local.div_euclid(DAY);
        let seconds = local.rem_euclid(DAY);
        let (year, month, mday) = civil_from_days(days);
        Self {
            sec: seconds % 60,
            min: seconds / 60 % 60,
            hour: seconds / 3600,
            mday,
            mon: month - 1,
            year,
            wday: weekday(days),
            isdst: 0,
        }
    }

    /// Local seconds since 1970-01-01T00:00 (local), fields carried over as
    /// `mktime` does.
    fn local_seconds(&self) -> i64 {
        let year = self.year + self.mon.div_euclid(12);
        let month = self.mon.rem_euclid(12) + 1;
        let days = days_from_civil(year, month, 1) + self.mday - 1;
        days * DAY + self.hour * 3600 + self.min * 60 + self.sec
    }
}

/// A cursor over the `TZ` string.
struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, reason: TzErrorReason) -> TzError {
        TzError {
            at: self.at,
            reason,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn expect(&mut self, byte: u8, reason: TzErrorReason) -> Result<(), TzError> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(reason))
        }
    }

    /// A zone name: three or more letters, or anything but `>` between `<` and `>`.
    fn name(&mut self) -> Result<(), TzError> {
        let start = self.at;
        if self.peek() == Some(b'<') {
            self.at += 1;
            while let Some(byte) = self.peek() {
                self.at += 1;
                if byte == b'>' {
                    return if self.at - start >= 5 {
                        Ok(())
                    } else {
                        Err(TzError {
                            at: start,
                            reason: TzErrorReason::Name,
                        })
                    };
                }
            }
            return Err(TzError {
                at: start,
                reason: TzErrorReason::Name,
            });
        }
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.at += 1;
        }
        if self.at - start >= 3 {
            Ok(())
        } else {
            Err(TzError {
                at: start,
                reason: TzErrorReason::Name,
            })
        }
    }

    /// A number of at most `digits` digits.
    fn number(&mut self, digits: usize) -> Option<i32> {
        let start = self.at;
        let mut value: i32 = 0;
        while self.at - start < digits
            && let Some(digit) = self.peek().filter(u8::is_ascii_digit)
        {
            value = value * 10 + i32::from(digit - b'0');
            self.at += 1;
        }
        (self.at > start).then_some(value)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, positive unless `-`; hours up to `max_hours`.
    fn offset(&mut self, reason: TzErrorReason, max_hours: i32) -> Result<i32, TzError> {
        let start = self.at;
        let sign = match self.peek() {
            Some(b'-') => {
                self.at += 1;
                -1
            }
            Some(b'+') => {
                self.at += 1;
                1
            }
            _ => 1,
        };
        let error = TzError { at: start, reason };
        let hours = self
            .number(3)
            .filter(|h| *h <= max_hours)
            .ok_or(error.clone())?;
        let mut seconds = hours * 3600;
        for scale in [60, 1] {
            if self.peek() != Some(b':') {
                break;
            }
            self.at += 1;
            let part = self.number(2).filter(|n| *n < 60).ok_or(error.clone())?;
            seconds += part * scale;
        }
        Ok(sign * seconds)
    }

    /// `Jn`, `n` or `Mm.w.d`, then `/time` (02:00 when absent).
    fn transition(&mut self) -> Result<Transition, TzError> {
        let start = self.at;
        let error = TzError {
            at: start,
            reason: TzErrorReason::Rule,
        };
        let day = match self.peek() {
            Some(b'J') => {
                self.at += 1;
                let day = self
                    .number(3)
                    .filter(|d| (1..=365).contains(d))
                    .ok_or(error.clone())?;
                DayRule::NoLeapDay(u16::try_from(day).map_err(|_| error.clone())?)
            }
            Some(b'M') => {
                self.at += 1;
                let month = self.number(2).filter(|m| (1..=12).contains(m));
                let week = self
                    .expect(b'.', TzErrorReason::Rule)
                    .ok()
                    .and_then(|()| self.number(1))
                    .filter(|w| (1..=5).contains(w));
                let wanted = self
                    .expect(b'.', TzErrorReason::Rule)
                    .ok()
                    .and_then(|()| self.number(1))
                    .filter(|d| *d <= 6);
                match (month, week, wanted) {
                    (Some(month), Some(week), Some(wanted)) => DayRule::MonthWeekDay {
                        month: u8::try_from(month).map_err(|_| error.clone())?,
                        week: u8::try_from(week).map_err(|_| error.clone())?,
                        weekday: u8::try_from(wanted).map_err(|_| error.clone())?,
                    },
                    _ => return Err(error),
                }
            }
            Some(byte) if byte.is_ascii_digit() => {
                let day = self.number(3).filter(|d| *d <= 365).ok_or(error.clone())?;
                DayRule::ZeroBased(u16::try_from(day).map_err(|_| error.clone())?)
            }
            _ => return Err(error),
        };
        let time = if self.peek() == Some(b'/') {
            self.at += 1;
            self.offset(TzErrorReason::Rule, 167)?
        } else {
            7200
        };
        Ok(Transition { day, time })
    }
}
