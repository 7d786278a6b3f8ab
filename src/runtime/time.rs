//! Points in time (RFC 3339, as conversations carry them) and lengths of
//! time as people read them. Times are milliseconds since 1970-01-01 UTC.

/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// Reads an RFC 3339 time such as `2026-11-20T10:00:00Z` or
/// `2026-11-20 10:00:00.250+02:00`.
pub fn parse_rfc3339(text: &str) -> Option<Millis> {
    let b = text.trim().as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, c)| b.get(at) != Some(&c))
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    let mut at = 19;
    let mut millis = 0;
    if b.get(at) == Some(&b'.') {
        let start = at + 1;
        at = start;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return None;
        }
        let fraction = &b[start..at.min(start + 3)];
        millis = fraction.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0'))
            * 10i64.pow(3 - fraction.len() as u32);
    }
    let offset_minutes = match b.get(at) {
        Some(b'Z' | b'z') if at + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if at + 6 == b.len() && b[at + 3] == b':' => {
            let minutes = digits(at + 1, 2)? * 60 + digits(at + 4, 2)?;
            if sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60;
    if !valid {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second.min(59) - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A point in time as RFC 3339, in UTC, to the millisecond:
/// `2026-11-20T10:00:00.250Z`.
pub fn format_rfc3339(at: Millis) -> String {
    let seconds = at.div_euclid(1000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60,
        at.rem_euclid(1000)
    )
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A length of time in seconds as a person says it: `40 s`, `2 min`,
/// `1 h 5 min`, `3 days`.
pub fn human_duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as i64;
    match s {
        0..60 => format!("{s} s"),
        60..3_600 => format!("{} min", s / 60),
        3_600..86_400 if s % 3_600 >= 60 => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
        3_600..86_400 => format!("{} h", s / 3_600),
        _ if s / 86_400 == 1 => "1 day".to_string(),
        _ => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_with_offsets_and_fractions() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-11-20T10:00:00Z"),
            Some(1_795_168_800_000)
        );
        assert_eq!(
            parse_rfc3339("2026-11-20T12:00:00+02:00"),
            parse_rfc3339("2026-11-20T10:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("2026-11-20 10:00:00.25z"),
            Some(1_795_168_800_250)
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T00:00:00-00:30"),
            Some(1_709_166_600_000)
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for bad in [
            "yesterday",
            "2026-11-20",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-20T10:00:00",
            "2026-11-20T25:00:00Z",
            "2026-11-20T10:00:00.Z",
            "",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_are_written_back_as_read() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format_rfc3339(1_795_168_800_250),
            "2026-11-20T10:00:00.250Z"
        );
        for t in ["2024-02-29T23:59:59.999Z", "1999-12-31T00:00:00.000Z"] {
            assert_eq!(parse_rfc3339(t).map(format_rfc3339).as_deref(), Some(t));
        }
    }

    #[test]
    fn durations_read_the_way_people_say_them() {
        assert_eq!(human_duration(40.0), "40 s");
        assert_eq!(human_duration(115.0), "1 min");
        assert_eq!(human_duration(3_900.0), "1 h 5 min");
        assert_eq!(human_duration(7_200.0), "2 h");
        assert_eq!(human_duration(3.0 * 86_400.0), "3 days");
    }
}
