//! Calendar dates for certificate expiry checks: parsing the forms T-SQL accepts in
//! scripts, and today's date without a time-zone library (UTC is precise enough for
//! a warning about an expiry date).

/// A calendar date (year, month 1-12, day 1-31), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// `YYYY-MM-DD` (what `--today` takes).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The date forms of `EXPIRY_DATE` in link scripts: `YYYY-MM-DD` (optionally with a
    /// time), `YYYYMMDD`, and `MM/DD/YYYY` (the documentation's form; the US order is
    /// what `SET DATEFORMAT mdy`, the default for us_english, reads).
    pub fn parse_sql(text: &str) -> Option<Date> {
        let text = text.trim();
        let date_part = text.split(['T', ' ']).next()?;
        if let Some(d) = Date::parse_iso(date_part) {
            return Some(d);
        }
        if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
            let (y, md) = date_part.split_at(4);
            let (m, d) = md.split_at(2);
            return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
        let mut parts = date_part.splitn(3, ['/', '.']);
        let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_scripts_use() {
        let d = Date::new(2025, 3, 30).unwrap();
        assert_eq!(Date::parse_sql("03/30/2025"), Some(d));
        assert_eq!(Date::parse_sql("2025-03-30"), Some(d));
        assert_eq!(Date::parse_sql("20250330"), Some(d));
        assert_eq!(Date::parse_sql("2025-03-30T23:59:59"), Some(d));
        assert_eq!(Date::parse_sql("2025-02-30"), None);
        assert_eq!(Date::parse_sql("soon"), None);
    }

    #[test]
    fn epoch_days_to_dates() {
        assert_eq!(
            Date::from_days_since_epoch(0),
            Date::new(1970, 1, 1).unwrap()
        );
        assert_eq!(
            Date::from_days_since_epoch(20_418),
            Date::new(2025, 11, 26).unwrap()
        );
        assert_eq!(
            Date::from_days_since_epoch(11_016),
            Date::new(2000, 2, 29).unwrap()
        );
    }
}
