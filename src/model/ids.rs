//! Normalisation of ids and times as they appear on the wire.
//!
//! Ids arrive as base64 (MLflow span JSON), hex (OTLP/JSON, assessments, MLflow 3.5), `0x`-prefixed hex
//! (MLflow 2.x) or `tr-` + hex (trace ids). Everything is normalised to lowercase hex. Times arrive as
//! nanosecond integers (JSON numbers above 2^53 or decimal strings), RFC 3339 strings or protobuf
//! Duration strings; they are kept as exact integer nanoseconds.

use serde_json::Value;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Lowercase hex for an id given in any of the wire encodings; None when it is none of them.
pub fn normalize_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    // `0x` marks hex only when hex follows: a base64 id may begin with those two characters too.
    let raw = match raw.strip_prefix("0x") {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => hex,
        _ => raw.strip_prefix("tr-").unwrap_or(raw),
    };
    if raw.is_empty() {
        return None;
    }
    // 8- and 16-byte ids are 16/32 hex characters but 12/24 base64 characters, so lengths tell them apart.
    if (raw.len() == 16 || raw.len() == 32) && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(raw.to_ascii_lowercase());
    }
    if let Some(bytes) = decode_base64(raw) {
        return Some(to_hex(&bytes));
    }
    if raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(raw.to_ascii_lowercase());
    }
    None
}

/// MLflow's trace id for an OpenTelemetry trace id: `tr-` followed by the 32 hex digits.
pub fn mlflow_trace_id(otel_hex: &str) -> String {
    format!("tr-{otel_hex}")
}

pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[(byte >> 4) as usize] as char);
        out.push(DIGITS[(byte & 15) as usize] as char);
    }
    out
}

/// Standard base64 with optional padding (the alphabet protobuf JSON uses for bytes).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'-' => 62, // URL-safe alphabet, seen from some exporters
            b'_' => 63,
            _ => BASE64.iter().position(|&c| c == byte)? as u32,
        };
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// Standard base64 with padding, as protobuf JSON and MLflow write span ids.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, &b| acc << 8 | b as u32) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        out.push_str(&"=".repeat(3 - chunk.len()));
    }
    out
}

/// Bytes of an even-length hex string; None for anything else.
pub fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// Unix nanoseconds as RFC 3339 in UTC: with milliseconds as MLflow writes `request_time`, or with
/// nanoseconds when the time has them (so nothing is lost).
pub fn format_rfc3339(unix_ns: u64) -> String {
    let seconds = (unix_ns / 1_000_000_000) as i64;
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let nanos = unix_ns % 1_000_000_000;
    let fraction = if nanos.is_multiple_of(1_000_000) { format!("{:03}", nanos / 1_000_000) } else { format!("{nanos:09}") };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{fraction}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    )
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

/// A nanosecond timestamp from a JSON number or a decimal string, exactly.
pub fn nanos_from_json(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

/// An RFC 3339 timestamp (`2026-11-21T22:46:51.410Z`, `…+02:00`) as Unix nanoseconds.
pub fn parse_rfc3339_ns(text: &str) -> Option<u64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos: i64 = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, b) in fraction.bytes().take(9).enumerate().take(digits) {
            nanos += (b - b'0') as i64 * 10i64.pow(8 - i as u32);
        }
        rest = &fraction[digits..];
    }
    let offset_seconds = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours = rest.get(1..3)?.parse::<i64>().ok()?;
            let minutes = rest.get(4..6)?.parse::<i64>().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    u64::try_from(seconds).ok()?.checked_mul(1_000_000_000)?.checked_add(nanos as u64)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A protobuf Duration string such as `"0.102s"` or `"3s"` as nanoseconds.
pub fn parse_duration_ns(text: &str) -> Option<u64> {
    let number = text.trim().strip_suffix('s')?;
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let whole: u64 = whole.parse().ok()?;
    let mut nanos: u64 = 0;
    for (i, b) in fraction.bytes().take(9).enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        nanos += (b - b'0') as u64 * 10u64.pow(8 - i as u32);
    }
    whole.checked_mul(1_000_000_000)?.checked_add(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_every_encoding_normalise_to_the_same_hex() {
        assert_eq!(normalize_id("7kVgLFS43TI3J9WVkg9A6w==").unwrap(), "ee45602c54b8dd323727d595920f40eb");
        assert_eq!(normalize_id("tr-EE45602C54B8DD323727D595920F40EB").unwrap(), "ee45602c54b8dd323727d595920f40eb");
        assert_eq!(normalize_id("GxhfWHF5heI=").unwrap(), "1b185f58717985e2");
        assert_eq!(normalize_id("0x1b185f58717985e2").unwrap(), "1b185f58717985e2");
        assert_eq!(normalize_id(""), None);
        assert_eq!(normalize_id("not an id!"), None);
    }

    #[test]
    fn rfc3339_keeps_nanoseconds_and_offsets() {
        assert_eq!(parse_rfc3339_ns("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339_ns("2026-11-21T22:46:51.410Z"), Some(1_795_301_211_410_000_000));
        assert_eq!(parse_rfc3339_ns("2026-11-21T23:46:51.410123456+01:00"), Some(1_795_301_211_410_123_456));
        assert_eq!(parse_rfc3339_ns("yesterday"), None);
    }

    #[test]
    fn a_base64_id_that_begins_with_0x_is_base64() {
        // MLflow wrote this trace's spans with the id 0xeShE+…: one base64 id in 4,096 begins so.
        assert_eq!(normalize_id("0xeShE+xfubcxKmA7KiPFg==").as_deref(), Some("d31792844fb17ee6dcc4a980eca88f16"));
        assert_eq!(normalize_id("0x1b185f58717985e2").as_deref(), Some("1b185f58717985e2"));
    }

    #[test]
    fn writing_undoes_reading() {
        assert_eq!(encode_base64(&decode_hex("ee45602c54b8dd323727d595920f40eb").unwrap()), "7kVgLFS43TI3J9WVkg9A6w==");
        assert_eq!(encode_base64(&decode_hex("1b185f58717985e2").unwrap()), "GxhfWHF5heI=");
        assert_eq!(format_rfc3339(1_795_301_211_410_000_000), "2026-11-21T22:46:51.410Z");
        assert_eq!(format_rfc3339(1_795_301_211_410_585_093), "2026-11-21T22:46:51.410585093Z");
        for days in [-800_000, -1, 0, 59, 60, 11_016, 20_413, 1_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn protobuf_durations() {
        assert_eq!(parse_duration_ns("0.102s"), Some(102_000_000));
        assert_eq!(parse_duration_ns("3s"), Some(3_000_000_000));
        assert_eq!(parse_duration_ns("1.000000001s"), Some(1_000_000_001));
        assert_eq!(parse_duration_ns("12"), None);
    }

    #[test]
    fn nanosecond_integers_above_2_pow_53_stay_exact() {
        let value: Value = serde_json::from_str("1795301211410585093").unwrap();
        assert_eq!(nanos_from_json(&value), Some(1_795_301_211_410_585_093));
        assert_eq!(nanos_from_json(&Value::String("1795301211410585093".into())), Some(1_795_301_211_410_585_093));
    }
}
