//! Time ranges, time units and buckets for the overview charts.
//!
//! Buckets are aligned the way the tracking server aligns them: `floor(timestamp_ms / size) * size`, so
//! days start at 00:00 UTC and weeks on a Thursday (the Unix epoch's weekday); a month is 30 days. Labels
//! are therefore given in UTC, whatever the viewer's time zone.

use crate::model::ids::{civil_from_days, days_from_civil};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// More buckets than this make a chart unreadable (and a server query slow): the unit is offered disabled.
pub const MAX_BUCKETS: i64 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 5] = [TimeUnit::Minute, TimeUnit::Hour, TimeUnit::Day, TimeUnit::Week, TimeUnit::Month];

    pub fn millis(self) -> i64 {
        match self {
            TimeUnit::Minute => MINUTE_MS,
            TimeUnit::Hour => HOUR_MS,
            TimeUnit::Day => DAY_MS,
            TimeUnit::Week => 7 * DAY_MS,
            TimeUnit::Month => 30 * DAY_MS,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
        }
    }

    pub fn parse(text: &str) -> Option<TimeUnit> {
        TimeUnit::ALL.into_iter().find(|unit| unit.name() == text)
    }
}

/// The time range the overview covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeRange {
    LastHour,
    Last24Hours,
    Last7Days,
    Last30Days,
    /// From the oldest trace to now.
    All,
    /// Inclusive bounds in Unix milliseconds.
    Custom {
        start_ms: i64,
        end_ms: i64,
    },
}

impl TimeRange {
    pub const PRESETS: [TimeRange; 5] =
        [TimeRange::LastHour, TimeRange::Last24Hours, TimeRange::Last7Days, TimeRange::Last30Days, TimeRange::All];

    /// The URL's name for the range (`range=`).
    pub fn key(self) -> &'static str {
        match self {
            TimeRange::LastHour => "1h",
            TimeRange::Last24Hours => "24h",
            TimeRange::Last7Days => "7d",
            TimeRange::Last30Days => "30d",
            TimeRange::All => "all",
            TimeRange::Custom { .. } => "custom",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimeRange::LastHour => "Last hour",
            TimeRange::Last24Hours => "Last 24 hours",
            TimeRange::Last7Days => "Last 7 days",
            TimeRange::Last30Days => "Last 30 days",
            TimeRange::All => "All time",
            TimeRange::Custom { .. } => "Custom",
        }
    }

    /// A preset by its URL name (a custom range also needs its bounds, see [`TimeRange::custom`]).
    pub fn preset(key: &str) -> Option<TimeRange> {
        TimeRange::PRESETS.into_iter().find(|range| range.key() == key)
    }

    /// A custom range from `YYYY-MM-DD[THH:MM]` bounds in UTC; the end date without a time covers its whole day.
    pub fn custom(from: &str, to: &str) -> Option<TimeRange> {
        let start_ms = parse_utc(from)?;
        let end_ms = match parse_utc(to)? {
            day_start if !to.contains('T') => day_start + DAY_MS - 1,
            end => end,
        };
        (start_ms <= end_ms).then_some(TimeRange::Custom { start_ms, end_ms })
    }

    /// Inclusive bounds in Unix milliseconds; `oldest_ms` is the oldest trace's time, used by `All`.
    pub fn bounds(self, now_ms: i64, oldest_ms: Option<i64>) -> (i64, i64) {
        let since = |span: i64| (now_ms - span, now_ms);
        match self {
            TimeRange::LastHour => since(HOUR_MS),
            TimeRange::Last24Hours => since(DAY_MS),
            TimeRange::Last7Days => since(7 * DAY_MS),
            TimeRange::Last30Days => since(30 * DAY_MS),
            TimeRange::All => (oldest_ms.unwrap_or(now_ms).min(now_ms), now_ms),
            TimeRange::Custom { start_ms, end_ms } => (start_ms, end_ms),
        }
    }
}

/// The start of the bucket holding `ms` (floored, also before 1970).
pub fn bucket_start(ms: i64, unit: TimeUnit) -> i64 {
    ms.div_euclid(unit.millis()) * unit.millis()
}

/// The start of every bucket between the bounds, empty ones included.
pub fn bucket_starts(start_ms: i64, end_ms: i64, unit: TimeUnit) -> Vec<i64> {
    let first = bucket_start(start_ms, unit);
    let last = bucket_start(end_ms.max(start_ms), unit);
    (0..=(last - first) / unit.millis()).map(|i| first + i * unit.millis()).collect()
}

/// How many buckets the bounds hold in `unit`.
pub fn bucket_count(start_ms: i64, end_ms: i64, unit: TimeUnit) -> i64 {
    (bucket_start(end_ms.max(start_ms), unit) - bucket_start(start_ms, unit)) / unit.millis() + 1
}

/// Units that make a readable chart of the bounds: not over [`MAX_BUCKETS`], and not one single bucket
/// when a finer unit would show a shape. When nothing fits (decades, a trace dated 1970), the coarsest unit
/// is allowed, and the window is cut to its last [`MAX_BUCKETS`] buckets by [`capped_start`].
pub fn allowed_units(start_ms: i64, end_ms: i64) -> Vec<(TimeUnit, bool)> {
    let fits = |unit: TimeUnit| {
        let count = bucket_count(start_ms, end_ms, unit);
        count <= MAX_BUCKETS && (count >= 2 || unit == TimeUnit::Minute)
    };
    let none_fits = !TimeUnit::ALL.into_iter().any(fits);
    TimeUnit::ALL.into_iter().map(|unit| (unit, fits(unit) || (none_fits && unit == TimeUnit::Month))).collect()
}

/// The start of the window charted in `unit`: `start_ms`, or later when that would make more than
/// [`MAX_BUCKETS`] buckets (the last ones before `end_ms` are kept).
pub fn capped_start(start_ms: i64, end_ms: i64, unit: TimeUnit) -> i64 {
    match bucket_count(start_ms, end_ms, unit) {
        count if count <= MAX_BUCKETS => start_ms,
        _ => bucket_start(end_ms, unit) - (MAX_BUCKETS - 1) * unit.millis(),
    }
}

/// The finest allowed unit giving at most 100 buckets (about one per 10 pixels of a desktop chart).
pub fn default_unit(start_ms: i64, end_ms: i64) -> TimeUnit {
    let allowed: Vec<TimeUnit> = allowed_units(start_ms, end_ms).into_iter().filter(|(_, ok)| *ok).map(|(unit, _)| unit).collect();
    allowed
        .iter()
        .copied()
        .find(|unit| bucket_count(start_ms, end_ms, *unit) <= 100)
        .or_else(|| allowed.last().copied())
        .unwrap_or(TimeUnit::Month)
}

/// The unit asked for when it is allowed, else the default for the bounds.
pub fn effective_unit(wanted: Option<TimeUnit>, start_ms: i64, end_ms: i64) -> TimeUnit {
    let allowed = allowed_units(start_ms, end_ms);
    match wanted {
        Some(unit) if allowed.contains(&(unit, true)) => unit,
        _ => default_unit(start_ms, end_ms),
    }
}

/// A UTC calendar date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl UtcTime {
    pub fn of(ms: i64) -> UtcTime {
        let days = ms.div_euclid(DAY_MS);
        let in_day = ms.rem_euclid(DAY_MS) / 1000;
        let (year, month, day) = civil_from_days(days);
        UtcTime {
            year,
            month: month as u32,
            day: day as u32,
            hour: (in_day / 3600) as u32,
            minute: (in_day / 60 % 60) as u32,
            second: (in_day % 60) as u32,
        }
    }

    /// The tracking server's form of a bucket start: `2026-11-14T00:00:00+00:00`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00", self.year, self.month, self.day, self.hour, self.minute, self.second)
    }

    /// `2026-11-14`, as a date input holds it.
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn month_name(&self) -> &'static str {
        MONTHS[(self.month as usize).saturating_sub(1) % 12]
    }
}

/// A bucket's label on a chart axis, in UTC: `14:05`, `Nov 14 13:00`, `Nov 14`, `Nov 2026`.
pub fn bucket_label(ms: i64, unit: TimeUnit) -> String {
    let t = UtcTime::of(ms);
    match unit {
        TimeUnit::Minute | TimeUnit::Hour => format!("{} {} {:02}:{:02}", t.month_name(), t.day, t.hour, t.minute),
        TimeUnit::Day | TimeUnit::Week => format!("{} {}", t.month_name(), t.day),
        TimeUnit::Month => format!("{} {} {}", t.month_name(), t.day, t.year),
    }
}

/// A bucket's full description for a tooltip: `Nov 14, 2026 13:00–14:00 UTC`.
pub fn bucket_title(ms: i64, unit: TimeUnit) -> String {
    let (from, to) = (UtcTime::of(ms), UtcTime::of(ms + unit.millis()));
    let date = |t: &UtcTime| format!("{} {}, {}", t.month_name(), t.day, t.year);
    match unit {
        TimeUnit::Minute | TimeUnit::Hour => {
            format!("{} {:02}:{:02}–{:02}:{:02} UTC", date(&from), from.hour, from.minute, to.hour, to.minute)
        }
        TimeUnit::Day => format!("{} (UTC)", date(&from)),
        TimeUnit::Week | TimeUnit::Month => format!("{} – {} (UTC)", date(&from), date(&UtcTime::of(ms + unit.millis() - 1))),
    }
}

/// Unix milliseconds of `2026-11-14T00:00:00+00:00`, `2026-11-14T00:00:00Z`, `2026-11-14T08:30` or
/// `2026-11-14` (all UTC; an explicit offset other than zero is applied).
pub fn parse_utc(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_once('T').unwrap_or((text, ""));
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset_minutes) = split_offset(time)?;
    let mut clock_parts = clock.split(':');
    let mut next = |limit: u32| -> Option<i64> {
        match clock_parts.next() {
            None | Some("") => Some(0),
            Some(part) => part.split('.').next()?.parse::<u32>().ok().filter(|v| *v < limit).map(i64::from),
        }
    };
    let (hour, minute, second) = (next(24)?, next(60)?, next(61)?);
    let seconds =
        days_from_civil(year, i64::from(month), i64::from(day)) * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000)
}

/// Splits `08:30:00+02:00` into the clock and the offset in minutes (`Z` and none are zero).
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock, 0));
    }
    match time.rfind(['+', '-']) {
        Some(at) => {
            let (clock, offset) = time.split_at(at);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let (hours, minutes) = offset[1..].split_once(':').unwrap_or((&offset[1..], "0"));
            Some((clock, sign * (hours.parse::<i64>().ok()? * 60 + minutes.parse::<i64>().ok()?)))
        }
        None => Some((time, 0)),
    }
}
