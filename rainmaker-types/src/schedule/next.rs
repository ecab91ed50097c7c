//! The next time of a trigger and when it stops repeating, step by step as
//! `esp_schedule` 1.3.3 computes them with its C library's `localtime_r` and
//! `mktime` (emulated by [`PosixTz`]), quirks included: the day counts of weekday
//! triggers, the month search of date triggers, the hour added or removed when
//! standard and daylight time differ between now and the trigger, and the solar
//! day search.

use super::{SolarEvent, Trigger, solar};
use crate::clock::{DAY, PosixTz, Tm};

/// `ffs`: the 1-based index of the lowest set bit, 0 for none.
fn ffs(bits: i64) -> i64 {
    if bits == 0 {
        0
    } else {
        i64::from(bits.trailing_zeros()) + 1
    }
}

/// `fls`: the 1-based index of the highest set bit, 0 for none.
fn fls(bits: i64) -> i64 {
    if bits <= 0 {
        0
    } else {
        64 - i64::from(bits.leading_zeros())
    }
}

/// Seconds since local midnight of `tm`, with or without its seconds.
fn seconds_of_day(tm: &Tm, with_seconds: bool) -> i64 {
    (tm.hour * 60 + tm.min) * 60 + if with_seconds { tm.sec } else { 0 }
}

/// The days from `current` to the next day of `weekdays` (bit 0 = Monday) whose
/// time of `schedule` is still ahead (`esp_schedule_get_no_of_days`).
fn days_until(weekdays: u8, current: &Tm, schedule: &Tm) -> i64 {
    let today = (current.wday + 6) % 7;
    let today_bit = 1_i64 << today;
    let repeat = i64::from(weekdays);
    let ahead = seconds_of_day(schedule, false) > seconds_of_day(current, true);
    if repeat == 0 {
        return if ahead { 0 } else { 1 };
    }
    if repeat & today_bit != 0 && ahead {
        return 0;
    }
    if repeat & (today_bit ^ 0xFF) > today_bit {
        let next = ffs(repeat & (0xFF << (today + 1))) - 1;
        next - today
    } else {
        let next = ffs(repeat) - 1;
        if next == today { 7 } else { 7 - today + next }
    }
}

/// The month (1-based, past 12 for next year, 0 for none) of the next date of a
/// date trigger (`esp_schedule_get_next_month`).
fn next_month(day: u8, months: u16, year: u16, yearly: bool, current: &Tm, schedule: &Tm) -> i64 {
    let ahead = seconds_of_day(schedule, false) > seconds_of_day(current, true);
    let current_month = current.mon + 1;
    let current_bit = 1_i64 << (current_month - 1);
    let (day, months, year) = (i64::from(day), i64::from(months), i64::from(year));
    if months == 0 {
        return if day == current.mday {
            if ahead {
                current_month
            } else {
                current_month + 1
            }
        } else if day > current.mday {
            current_month
        } else {
            current_month + 1
        };
    }
    if year > current.year {
        return ffs(months);
    }
    if current_bit & months != 0 && ((day == current.mday && ahead) || day > current.mday) {
        return current_month;
    }
    if months & (current_bit ^ 0xFFFF) > current_bit {
        return ffs(months & (0xFFFF << current_month));
    }
    if !yearly && year != 0 && year <= current.year {
        return 0;
    }
    ffs(months) + 12
}

/// The year of the next date of a date trigger (`esp_schedule_get_next_year`).
fn next_year(year: u16, current: &Tm) -> i64 {
    i64::from(year).max(current.year)
}

/// When the trigger fires next (its `next_scheduled_time_utc`); `None` where the
/// SDK computes nothing.
pub(super) fn next_time(trigger: &Trigger, now: i64, tz: &PosixTz, ts: i64) -> Option<i64> {
    match *trigger {
        Trigger::Relative { seconds } => Some(if ts > 0 { ts } else { now + i64::from(seconds) }),
        Trigger::Weekdays { minutes, weekdays } => {
            Some(clock_time(now, tz, minutes, |current, schedule| {
                schedule.sec += days_until(weekdays, current, schedule) * DAY;
            }))
        }
        Trigger::Date {
            minutes,
            day,
            months,
            year,
            yearly,
        } => Some(clock_time(now, tz, minutes, |current, schedule| {
            schedule.mday = i64::from(day);
            schedule.mon = next_month(day, months, year, yearly, current, schedule) - 1;
            schedule.year = next_year(year, current);
            if schedule.mon < 0 {
                schedule.mon = current.mon + 1;
            }
            if schedule.mon >= 12 {
                schedule.year += schedule.mon / 12;
                schedule.mon %= 12;
            }
        })),
        Trigger::Solar { .. } => solar_time(trigger, now, tz),
        Trigger::Invalid { .. } => None,
    }
}

/// The next time of a weekday or date trigger: today's local time at `minutes`
/// moved by `to_day`, corrected by the hour between standard and daylight time.
fn clock_time(now: i64, tz: &PosixTz, minutes: u16, to_day: impl FnOnce(&Tm, &mut Tm)) -> i64 {
    let current = tz.localtime(now);
    let mut schedule = current;
    schedule.sec = 0;
    // The SDK keeps hours and minutes in 8 bits each.
    schedule.min = i64::from(minutes % 60);
    schedule.hour = i64::from((minutes / 60) as u8);
    tz.mktime(&mut schedule);
    to_day(&current, &mut schedule);
    tz.mktime(&mut schedule);
    let adjust = match (current.isdst > 0, schedule.isdst > 0) {
        (false, true) => -3600,
        (true, false) => 3600,
        _ => 0,
    };
    schedule.sec += adjust;
    tz.mktime(&mut schedule)
}

/// The sunrise or sunset of a local date plus the trigger's offset; `None` when
/// the sun does not rise or set that day.
fn solar_on(trigger: &Trigger, date: &Tm) -> Option<i64> {
    let Trigger::Solar {
        event,
        offset_minutes,
        latitude,
        longitude,
        ..
    } = *trigger
    else {
        return None;
    };
    let (sunrise, sunset) =
        solar::sunrise_sunset(date.year, date.mon + 1, date.mday, latitude, longitude)?;
    let base = match event {
        SolarEvent::Sunrise => sunrise,
        SolarEvent::Sunset => sunset,
    };
    Some(base + i64::from(offset_minutes) * 60)
}

/// The next time of a solar trigger (`esp_schedule`'s daylight branch).
fn solar_time(trigger: &Trigger, now: i64, tz: &PosixTz) -> Option<i64> {
    let Trigger::Solar {
        weekdays,
        day,
        months,
        ..
    } = *trigger
    else {
        return None;
    };
    let current = tz.localtime(now);
    // The C code treats a computed time of 0 as "none"; so do we.
    let upcoming = |time: Option<i64>| time.filter(|time| *time > 0 && *time > now);
    let next = if day != 0 {
        let mut schedule = current;
        schedule.mday = i64::from(day);
        let in_month = (1_i64 << current.mon) & i64::from(months) != 0;
        let today = if i64::from(day) == current.mday && in_month {
            upcoming(solar_on(trigger, &current))
        } else {
            None
        };
        if today.is_some() {
            schedule.mon = current.mon;
            schedule.year = current.year;
        } else {
            schedule.mon = next_month(day, months, 0, false, &current, &schedule) - 1;
            schedule.year = next_year(0, &current);
        }
        if schedule.mon < 0 {
            return None;
        }
        if schedule.mon >= 12 {
            schedule.year += schedule.mon / 12;
            schedule.mon %= 12;
        }
        tz.mktime(&mut schedule);
        solar_on(trigger, &schedule)?
    } else if weekdays != 0 {
        let today_bit = 1_i64 << ((current.wday + 6) % 7);
        let today = if i64::from(weekdays) & today_bit != 0 {
            upcoming(solar_on(trigger, &current))
        } else {
            None
        };
        match today {
            Some(time) => time,
            None => {
                let mut schedule = current;
                schedule.mday += days_until(weekdays, &current, &current);
                tz.mktime(&mut schedule);
                solar_on(trigger, &schedule)?
            }
        }
    } else {
        let mut time = solar_on(trigger, &current)?;
        let mut date = current;
        // Today's has passed: tomorrow's, or the day after's for a large negative
        // offset.
        for _ in 0..2 {
            if time > now {
                break;
            }
            date.mday += 1;
            tz.mktime(&mut date);
            time = solar_on(trigger, &date)?;
        }
        time
    };
    let delay = i32::try_from(next - now).ok()?;
    (delay >= 0).then_some(next)
}

/// `esp_schedule_is_expired`: whether the trigger is not re-armed after firing,
/// with `ts` its last next time, checked at `now`.
pub(super) fn is_finished(trigger: &Trigger, now: i64, tz: &PosixTz, ts: i64) -> bool {
    let passed_or_unset = ts <= now;
    match *trigger {
        Trigger::Relative { .. } => passed_or_unset,
        Trigger::Weekdays { weekdays, .. } => weekdays == 0 && passed_or_unset,
        Trigger::Solar { weekdays, day, .. } => weekdays == 0 && day == 0 && passed_or_unset,
        Trigger::Date { .. } => date_past(trigger, now, tz, ts, true),
        Trigger::Invalid { .. } => true,
    }
}

/// The RainMaker layer's `esp_rmaker_schedule_is_expired`.
pub(super) fn has_expired(trigger: &Trigger, now: i64, tz: &PosixTz, ts: i64) -> bool {
    let passed = ts > 0 && ts <= now;
    match *trigger {
        Trigger::Relative { .. } => passed,
        Trigger::Weekdays { weekdays, .. } => weekdays == 0 && passed,
        Trigger::Date { .. } => date_past(trigger, now, tz, ts, false),
        Trigger::Solar { .. } | Trigger::Invalid { .. } => false,
    }
}

/// Whether a date trigger is past for good: its one date (`mm: 0`, with `ts`)
/// passed, or, not repeating yearly, its day in the last month of its year.
/// `esp_schedule` sets that day's time from `m` split into hours and minutes
/// (`split_minutes`); the RainMaker layer sets all of `m` as minutes.
fn date_past(trigger: &Trigger, now: i64, tz: &PosixTz, ts: i64, split_minutes: bool) -> bool {
    let Trigger::Date {
        minutes,
        day,
        months,
        year,
        yearly,
    } = *trigger
    else {
        return false;
    };
    if months == 0 {
        return ts > 0 && ts <= now;
    }
    if yearly {
        return false;
    }
    let (hours, minutes) = if split_minutes {
        (i64::from((minutes / 60) as u8), i64::from(minutes % 60))
    } else {
        (0, i64::from(minutes))
    };
    last_date_of_year(now, tz, hours, minutes, day, months, year) < now
}

/// The time of a date trigger on its day in the last month of `months`, in
/// `year`: local `hours`:`minutes` (which may be past 59, as the C code sets them).
fn last_date_of_year(
    now: i64,
    tz: &PosixTz,
    hours: i64,
    minutes: i64,
    day: u8,
    months: u16,
    year: u16,
) -> i64 {
    let mut schedule = tz.localtime(now);
    schedule.sec = 0;
    schedule.min = minutes;
    schedule.hour = hours;
    schedule.mday = i64::from(day);
    schedule.mon = fls(i64::from(months)) - 1;
    schedule.year = i64::from(year);
    tz.mktime(&mut schedule)
}
