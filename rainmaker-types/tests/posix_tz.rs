//! POSIX time zones: glibc's offsets (recorded), and jiff's on random instants.

use proptest::prelude::*;
use rainmaker_types::clock::{PosixTz, TzErrorReason};
use rainmaker_types::services::time::zones;

const GLIBC: &str = include_str!("data/schedule/glibc-offsets.txt");

#[test]
fn offsets_agree_with_glibc() {
    let mut compared = 0;
    for line in GLIBC.lines().filter(|line| !line.starts_with('#')) {
        let (input, output) = line.split_once(" => ").expect("input => output");
        let (tz, utc) = input.rsplit_once('|').expect("tz|unix");
        let (offset, dst) = output.split_once('|').expect("offset|dst");
        let zone = PosixTz::parse(tz).unwrap_or_else(|error| panic!("{tz}: {error}"));
        let utc: i64 = utc.parse().expect("unix seconds");
        let expected = (offset.parse::<i32>().expect("offset"), dst == "1");
        assert_eq!(zone.offset_at(utc), expected, "{line}");
        compared += 1;
    }
    assert!(compared > 5000, "{compared}");
}

/// jiff reads the same strings with its own implementation.
fn jiff_offset(tz: &str, utc: i64) -> (i32, bool) {
    let zone = jiff::tz::TimeZone::posix(tz).expect("jiff parses it");
    let info = zone.to_offset_info(jiff::Timestamp::from_second(utc).expect("in range"));
    (info.offset().seconds(), info.dst().is_dst())
}

proptest! {
    #[test]
    fn offsets_agree_with_jiff(zone in 0..zones().len(), utc in 0_i64..4_102_444_800) {
        let (_, tz) = zones()[zone];
        let ours = PosixTz::parse(tz).expect("table zones parse").offset_at(utc);
        prop_assert_eq!(ours, jiff_offset(tz, utc), "{} at {}", tz, utc);
    }

    #[test]
    fn local_time_round_trips(zone in 0..zones().len(), utc in 0_i64..4_102_444_800) {
        let (_, tz) = zones()[zone];
        let zone = PosixTz::parse(tz).expect("table zones parse");
        let local = zone.local(utc);
        let back = jiff::civil::date(
            i16::try_from(local.year).expect("year"),
            i8::try_from(local.month).expect("month"),
            i8::try_from(local.day).expect("day"),
        )
        .at(
            i8::try_from(local.hour).expect("hour"),
            i8::try_from(local.minute).expect("minute"),
            i8::try_from(local.second).expect("second"),
            0,
        )
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(0)))
        .expect("valid")
        .timestamp()
        .as_second()
            - i64::from(local.offset);
        prop_assert_eq!(back, utc);
    }
}

#[test]
fn malformed_zones_say_where() {
    let cases = [
        ("", 0, TzErrorReason::Name),
        ("AB1", 0, TzErrorReason::Name),
        ("CET", 3, TzErrorReason::Offset),
        ("CET-25", 3, TzErrorReason::Offset),
        ("CET-1CEST,M3.5", 10, TzErrorReason::Rule),
        ("CET-1CEST,M13.1.0,M10.5.0", 10, TzErrorReason::Rule),
        ("CET-1CEST,M3.5.0,M10.5.0/3x", 26, TzErrorReason::Trailing),
        ("<+05", 0, TzErrorReason::Name),
    ];
    for (text, at, reason) in cases {
        let error = PosixTz::parse(text).expect_err(text);
        assert_eq!((error.at, error.reason), (at, reason), "{text}: {error}");
    }
}
