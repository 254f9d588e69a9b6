//! Calendar days as the feedback service counts them: today's date and the
//! dates around it, as `YYYY-MM-DD` in the service's time zone.
//!
//! Not for: times of day. Nothing finer than a day is ever stored, and
//! nothing here hands one out.

use std::time::Duration;

/// Today's date (in the service's time zone), as `YYYY-MM-DD`.
pub fn today() -> String {
    day_offset(0)
}

/// The date `days` days from today, as `YYYY-MM-DD`.
pub fn day_offset(days: i64) -> String {
    let now = jiff::Zoned::now();
    let date = now.date();
    date.checked_add(jiff::Span::new().days(days))
        .unwrap_or(date)
        .to_string()
}

/// How long until the next day begins (local midnight), `None` when the
/// time zone cannot say.
pub fn until_tomorrow() -> Option<Duration> {
    let now = jiff::Zoned::now();
    let next = now.tomorrow().ok()?.start_of_day().ok()?;
    Duration::try_from(now.duration_until(&next)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_day(s: &str) -> bool {
        jiff::civil::Date::strptime("%Y-%m-%d", s).is_ok() && s.len() == 10
    }

    #[test]
    fn days_are_dates_in_order() {
        let (yesterday, today, tomorrow) = (day_offset(-1), today(), day_offset(1));
        for d in [&yesterday, &today, &tomorrow] {
            assert!(is_day(d), "{d}");
        }
        // Around midnight `today` may already be the next day: compare the
        // two that were taken from one look at the clock each way.
        assert!(yesterday < tomorrow, "{yesterday} < {tomorrow}");
        assert!(yesterday <= today && today <= tomorrow, "{today}");
    }

    #[test]
    fn the_next_day_begins_within_a_day() {
        let left = until_tomorrow().expect("the local time zone knows midnight");
        // 25 hours: a day that ends a daylight-saving change is longer.
        assert!(left <= Duration::from_secs(25 * 3600), "{left:?}");
    }
}
