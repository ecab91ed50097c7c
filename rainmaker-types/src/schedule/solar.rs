//! Sunrise and sunset in UTC for a date and a place, by the NOAA solar calculator's
//! approximations (fractional year, equation of time, declination, hour angle at
//! the 90.833° zenith), as the SDK's `esp_daylight` evaluates them: one evaluation
//! per civil date (at its UTC midnight), the result rounded to the second and kept
//! within that UTC day.

use core::f64::consts::PI;

use crate::clock::{DAY, days_from_civil};

/// The zenith angle of the sun's centre at sunrise and sunset (refraction and the
/// sun's radius included), in degrees.
const ZENITH_DEGREES: f64 = 90.833;

/// Minutes in a day.
const MINUTES_PER_DAY: f64 = 1440.0;

/// Sunrise and sunset (Unix seconds, UTC) on `year-month-day` at `latitude`,
/// `longitude` (degrees, north and east positive); `None` when the sun does not
/// rise or does not set that day (polar day or night).
pub(crate) fn sunrise_sunset(
    year: i64,
    month: i64,
    day: i64,
    latitude: f64,
    longitude: f64,
) -> Option<(i64, i64)> {
    let gamma = fractional_year(year, month, day);
    let equation_of_time = equation_of_time_minutes(gamma);
    let declination = declination_radians(gamma);

    let zenith = ZENITH_DEGREES * (PI / 180.0);
    let phi = latitude * (PI / 180.0);
    let cos_hour_angle = (libm::cos(zenith) - libm::sin(phi) * libm::sin(declination))
        / (libm::cos(phi) * libm::cos(declination));
    if !(-1.0..=1.0).contains(&cos_hour_angle) {
        return None;
    }
    let hour_angle_degrees = libm::acos(cos_hour_angle) * 180.0 / PI;

    let solar_noon = 720.0 - 4.0 * longitude - equation_of_time;
    let half_day = 4.0 * hour_angle_degrees;
    let midnight = days_from_civil(year, month, day) * DAY;
    let at = |minutes: f64| midnight + seconds(within_day(minutes));
    Some((at(solar_noon - half_day), at(solar_noon + half_day)))
}

/// The NOAA fractional year γ (radians) at the start of the day.
fn fractional_year(year: i64, month: i64, day: i64) -> f64 {
    const CUMULATIVE_DAYS: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = crate::clock::is_leap(year);
    let month_index = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    let mut day_of_year = day + CUMULATIVE_DAYS[month_index];
    if leap && month > 2 {
        day_of_year += 1;
    }
    let days_in_year = if leap { 366.0 } else { 365.0 };
    2.0 * PI / days_in_year * (day_of_year as f64 - 1.0 - 0.5)
}

/// The equation of time in minutes.
fn equation_of_time_minutes(gamma: f64) -> f64 {
    229.18
        * (0.000075 + 0.001868 * libm::cos(gamma)
            - 0.032077 * libm::sin(gamma)
            - 0.014615 * libm::cos(2.0 * gamma)
            - 0.040849 * libm::sin(2.0 * gamma))
}

/// The sun's declination in radians.
fn declination_radians(gamma: f64) -> f64 {
    0.006918 - 0.399912 * libm::cos(gamma) + 0.070257 * libm::sin(gamma)
        - 0.006758 * libm::cos(2.0 * gamma)
        + 0.000907 * libm::sin(2.0 * gamma)
        - 0.002697 * libm::cos(3.0 * gamma)
        + 0.001480 * libm::sin(3.0 * gamma)
}

/// `minutes` brought into `[0, 1440)` by whole days.
fn within_day(mut minutes: f64) -> f64 {
    while minutes < 0.0 {
        minutes += MINUTES_PER_DAY;
    }
    while minutes >= MINUTES_PER_DAY {
        minutes -= MINUTES_PER_DAY;
    }
    minutes
}

/// Minutes to whole seconds, halves away from zero.
fn seconds(minutes: f64) -> i64 {
    // Within a day, so the conversion cannot overflow.
    libm::round(minutes * 60.0) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pune_in_november() {
        // 2023-11-14 at Pune: sunrise about 06:41 IST (01:11 UTC), sunset about
        // 17:57 IST (12:27 UTC), within the approximation's few minutes.
        let (sunrise, sunset) =
            sunrise_sunset(2023, 11, 14, 18.5204, 73.8567).expect("the sun rises");
        let midnight = days_from_civil(2023, 11, 14) * DAY;
        assert!(
            (sunrise - midnight - (3600 + 11 * 60)).abs() < 300,
            "{sunrise}"
        );
        assert!(
            (sunset - midnight - (12 * 3600 + 27 * 60)).abs() < 300,
            "{sunset}"
        );
    }

    #[test]
    fn polar_day_and_night_have_no_events() {
        assert_eq!(sunrise_sunset(2024, 6, 21, 80.0, 15.0), None);
        assert_eq!(sunrise_sunset(2024, 12, 21, 80.0, 15.0), None);
    }
}
