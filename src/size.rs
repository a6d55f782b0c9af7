//! Byte sizes: parsing the strings users write in config (`1.1GB`, `450MiB`) and formatting the
//! numbers people read (and counts with their word: `1 file`). Decimal units (kB, MB, GB) mean
//! powers of 1000 and binary units (KiB, MiB, GiB) powers of 1024, as `du --si` and `du -h`
//! do; a bare number is bytes.

use humansize::{format_size, FormatSizeOptions, DECIMAL};

/// Parse a size such as `1.1GB`, `450 MiB`, `1048576`. Units are case-insensitive; `b` alone
/// is bytes. Returns a message fit to follow "invalid size: ".
pub fn parse(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty size".into());
    }
    // parse-size 1.1 overflows (a panic, or a wrong 0 in release) on more significant digits
    // than u64 holds, even when spaces separate them; no real size has more than 20.
    let significant = t
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count();
    if significant > 20 {
        return Err(format!("`{s}`: number too large"));
    }
    parse_size::Config::new()
        .with_decimal()
        .parse_size(t)
        .map_err(|e| format!("`{s}`: {e} (write e.g. `1.1GB`, `450MiB`, `2048`)"))
}

/// A cleanup target: a size that is not zero (a 0-byte goal makes every percentage meaningless).
pub fn parse_target(s: &str) -> Result<u64, String> {
    match parse(s)? {
        0 => Err(format!("`{s}`: a target must be more than 0 bytes")),
        n => Ok(n),
    }
}

/// Human form with two decimals in decimal units, e.g. `1.07 GB`, `126 kB` → `126.00 kB`.
pub fn human(bytes: u64) -> String {
    let opts = FormatSizeOptions::from(DECIMAL).decimal_places(2);
    format_size(bytes, opts)
}

/// `part` as a percentage of `whole`, 0 when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// `n` with the word that fits it: `1 file`, `2 files`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_users_write() {
        let cases: &[(&str, u64)] = &[
            ("2048", 2048),
            ("1.1GB", 1_100_000_000),
            ("1.1 GB", 1_100_000_000),
            ("1.1gb", 1_100_000_000),
            ("450MiB", 450 * 1024 * 1024),
            ("450 MiB", 450 * 1024 * 1024),
            ("5 kB", 5_000),
            ("1KiB", 1024),
            ("10B", 10),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s), Ok(*want), "{s}");
        }
        for bad in [
            "",
            "  ",
            "GB",
            "1.1 XB",
            "-5MB",
            "abc",
            "184467440737095516155",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn formats_decimal_with_two_places() {
        assert_eq!(human(1_070_000_000), "1.07 GB");
        assert_eq!(human(0), "0 B");
        assert!((percent(1, 4) - 25.0).abs() < 1e-9);
        assert_eq!(percent(1, 0), 0.0);
    }
}
