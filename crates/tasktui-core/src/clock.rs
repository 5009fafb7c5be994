//! The time as tasktui sees it: the system clock, or a fixed instant in tests and snapshots.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<DateTime<FixedOffset>>,
}

/// How timestamps are stored: UTC, to the second.
pub const STORED_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

/// The system's time in UTC, whatever it is: a clock set before 1970 (a machine without a
/// battery, a test) is a time like any other, where chrono's `Utc::now` panics.
pub fn utc_now() -> DateTime<Utc> {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let (seconds, nanos) = match since {
        Ok(after) => (
            i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            after.subsec_nanos(),
        ),
        Err(before) => {
            let before = before.duration();
            let seconds = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            match before.subsec_nanos() {
                0 => (-seconds, 0),
                nanos => (-seconds - 1, 1_000_000_000 - nanos),
            }
        }
    };
    DateTime::from_timestamp(seconds, nanos).unwrap_or(DateTime::UNIX_EPOCH)
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock stopped at `instant`, whose offset is the local time zone.
    pub fn fixed(instant: DateTime<FixedOffset>) -> Clock {
        Clock {
            fixed: Some(instant),
        }
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.fixed
            .unwrap_or_else(|| utc_now().with_timezone(&Local).fixed_offset())
    }

    pub fn stamp(&self) -> String {
        self.now()
            .with_timezone(&Utc)
            .format(STORED_FORMAT)
            .to_string()
    }

    /// Today's date where the user is.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// A stored UTC timestamp in the user's time zone (`2026-11-23 14:05`), or the text as it
    /// was stored when it is not a timestamp.
    pub fn local(&self, stored: &str) -> String {
        match DateTime::parse_from_rfc3339(stored) {
            Ok(t) => t
                .with_timezone(self.now().offset())
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            Err(_) => stored.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stores_utc_and_shows_local_time() {
        let clock =
            Clock::fixed(DateTime::parse_from_rfc3339("2026-11-23T23:30:00+02:00").unwrap());
        assert_eq!(clock.stamp(), "2026-11-23T21:30:00Z");
        assert_eq!(clock.today().to_string(), "2026-11-23");
        assert_eq!(clock.local("2026-11-23T22:15:00Z"), "2026-11-24 00:15");
        assert_eq!(clock.local("yesterday-ish"), "yesterday-ish");
    }
}
