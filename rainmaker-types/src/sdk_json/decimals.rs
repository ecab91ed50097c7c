//! `%.5f`: a float's exact value rounded to five decimals, ties to even, as C's
//! `printf` and Rust's `{:.5}` write it.
//!
//! Written out here because `{:.5}` links core's whole float formatter (about
//! 18 KiB of firmware flash) while five fixed decimals need integer arithmetic
//! only: `|value| * 10^5` is `mantissa * 5^5 * 2^(exponent + 5)`, an integer
//! product or a quotient by a power of two.

use core::fmt::Write as _;

use crate::prelude::*;

/// Appends `%.5f` of the finite `value` to `out` (`-` for every negative value,
/// `-0.0` included, as `{:.5}` writes it).
pub(crate) fn push_fixed5(out: &mut String, value: f64) {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        out.push('-');
    }
    // Eleven bits: the cast keeps them all.
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    // Subnormals have no implicit bit and the smallest exponent.
    let (mantissa, exponent) = match biased {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, biased - 1075),
    };
    let shift = exponent + 5;
    let mut digits = String::new();
    if shift < 0 {
        let _ = write!(digits, "{}", scaled_down(mantissa, shift.unsigned_abs()));
    } else {
        scaled_up(&mut digits, mantissa, shift.unsigned_abs());
    }
    // At least one digit before the point.
    if digits.len() < 6 {
        digits.insert_str(0, "000000".get(digits.len()..).unwrap_or_default());
    }
    let point = digits.len().saturating_sub(5);
    out.push_str(digits.get(..point).unwrap_or_default());
    out.push('.');
    out.push_str(digits.get(point..).unwrap_or_default());
}

/// `mantissa * 5^5 / 2^shift` rounded to the nearest integer, ties to even.
///
/// Fits `u64`: a shift of one or more means `|value| < 2^47`, so the result is below
/// `2^47 * 10^5 < 2^64`.
fn scaled_down(mantissa: u64, shift: u64) -> u64 {
    // mantissa < 2^53, so product < 2^65: for a shift of 66 or more the quotient is
    // 0 and the remainder below half.
    if shift >= 66 {
        return 0;
    }
    let product = u128::from(mantissa) * 3125;
    let quotient = product >> shift;
    let remainder = product & ((1 << shift) - 1);
    let half = 1 << (shift - 1);
    let up = remainder > half || (remainder == half && quotient & 1 == 1);
    u64::try_from(quotient + u128::from(up)).unwrap_or(u64::MAX)
}

/// Appends the decimal digits of `mantissa * 5^5 * 2^shift` (up to 10^314) to
/// `out`, computed in base-10^9 limbs.
fn scaled_up(out: &mut String, mantissa: u64, shift: u64) {
    const BASE: u64 = 1_000_000_000;
    // Least significant first; every limb below BASE.
    let mut limbs: Vec<u64> = Vec::new();
    let mut rest = mantissa;
    while rest > 0 {
        limbs.push(rest % BASE);
        rest /= BASE;
    }
    // Each factor is at most 2^29, so `limb * factor + carry` stays below 2^63.
    let mut multiply = |factor: u64| {
        let mut carry = 0;
        for limb in &mut limbs {
            let product = *limb * factor + carry;
            *limb = product % BASE;
            carry = product / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    };
    multiply(3125);
    let mut left = shift;
    while left > 0 {
        let step = left.min(29);
        multiply(1 << step);
        left -= step;
    }
    match limbs.split_last() {
        None => out.push('0'),
        Some((top, lower)) => {
            let _ = write!(out, "{top}");
            for limb in lower.iter().rev() {
                let _ = write!(out, "{limb:09}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixed5(value: f64) -> String {
        let mut out = String::new();
        push_fixed5(&mut out, value);
        out
    }

    #[test]
    fn agrees_with_core_on_edge_cases() {
        let cases = [
            0.0,
            -0.0,
            25.5,
            -25.5,
            0.1,
            1e-9,
            -1e-9,
            // Exact ties: ties go to the even digit.
            0.015625,
            0.046875,
            12345.015625,
            0.000005,
            0.000015,
            // The integer and fraction boundaries of the two paths.
            (1u64 << 47) as f64 - 0.5,
            (1u64 << 52) as f64,
            (1u64 << 53) as f64,
            9_007_199_254_740_993.0,
            1e21,
            f64::from(f32::MAX),
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -f64::MAX,
        ];
        for value in cases {
            assert_eq!(fixed5(value), format!("{value:.5}"), "{value:e}");
        }
    }

    #[test]
    fn agrees_with_core_on_every_exponent() {
        // Every binary exponent, each with a few mantissas, both signs.
        for biased in 0..2047_u64 {
            for fraction in [
                0,
                1,
                0x8_0000_0000_0000,
                0xF_FFFF_FFFF_FFFF,
                0x5_5555_5555_5555,
            ] {
                for sign in [0, 1_u64 << 63] {
                    let value = f64::from_bits(sign | biased << 52 | fraction);
                    assert_eq!(fixed5(value), format!("{value:.5}"), "{value:e}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_core_on_any_float(bits in any::<u64>()) {
            let value = f64::from_bits(bits);
            prop_assume!(value.is_finite());
            prop_assert_eq!(fixed5(value), format!("{value:.5}"));
        }
    }
}
