//! Dates as people write them: `12/03/2009`, `2009-03-12`, `03.12.2009`, `12. 3. 2009`,
//! `3rd March`, `March 3rd 2009`, `on the 5th of june`, `Monday, 12 March 2018`, `Mar. 12,
//! 2009`, `12-Mar-09`, `March 2009`, and month names in French, Spanish, German, Italian and
//! Portuguese. Numbers are checked to be a day, a month and a year, so scores and versions stay.
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, re};

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|januar|februar|m[äa]rz|juni|juli|oktober|dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro)";
const ORDINAL: &str = r"(?:(?:(?:twenty|thirty)[\s\-]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)";
const WEEKDAY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thur?s?|fri|sat|sun)\.?";

struct Patterns {
    numeric: Regex,
    day_month: Regex,
    month_day: Regex,
    month_year: Regex,
    year_first: Regex,
    words: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    numeric: re(r"(?-u:\b)(\d{1,4})(?:[/\-]|\.\s?)(\d{1,2})(?:[/\-]|\.\s?)(\d{1,4})(?-u:\b)\.?"),
    // 3rd March, the 5th of june, Monday 12 March 2018, 12-Mar-09, 12 Mar. 2009
    day_month: re(&format!(
        r"(?i)(?-u:\b)(?:{WEEKDAY},?\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\.?(?:\s+of|\s+de)?(?:\s+|-){MONTH}(?-u:\b)\.?(?:(?:,?\s+|-)(?:(?:19|20)\d{{2}}(?-u:\b)|'\d{{2}}(?-u:\b)|\d{{2}}(?-u:\b)(?:\s*$|[^\w\s])))?"
    )),
    // March 3rd 2009, Mar. 12, 2009, Tuesday, March 12, Dec 25th
    month_day: re(&format!(
        r"(?i)(?-u:\b)(?:{WEEKDAY},?\s+)?{MONTH}\.?\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(?:19|20)\d{{2}}(?-u:\b))?"
    )),
    // March 2009, in june 2016
    month_year: re(&format!(
        r"(?i)(?-u:\b){MONTH}\.?,?\s+(?:19|20)\d{{2}}(?-u:\b)"
    )),
    // 2009 March 12, 2009. március 12.
    year_first: re(&format!(
        r"(?i)(?-u:\b)(?:19|20)\d{{2}}\.?,?\s+{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?-u:\b)\.?"
    )),
    // the first of may, the twenty-third of March 2010, June the fifth
    words: re(&format!(
        r"(?i)(?-u:\b)(?:(?:the\s+)?{ORDINAL}\s+of\s+{MONTH}(?-u:\b)(?:,?\s+(?:19|20)\d{{2}}(?-u:\b))?|{MONTH}\s+the\s+{ORDINAL}(?-u:\b))"
    )),
});

/// Whether three numbers can be a day, a month and a year in some order people use.
fn plausible(a: &str, b: &str, c: &str) -> bool {
    let n = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (x, y, z) = (n(a), n(b), n(c));
    // Years run to 2600 for calendars other than the Gregorian (Buddhist, Persian).
    if a.len() == 4 {
        // 2009-03-12
        return (1300..=2600).contains(&x) && (1..=12).contains(&y) && (1..=31).contains(&z);
    }
    if a.len() > 2 || b.len() > 2 || !(c.len() == 2 || c.len() == 4) {
        return false;
    }
    if c.len() == 4 && !(1300..=2600).contains(&z) {
        return false;
    }
    // 12/03/2009 or 03/12/2009
    let dm = (1..=31).contains(&x) && (1..=12).contains(&y);
    let md = (1..=12).contains(&x) && (1..=31).contains(&y);
    dm || md
}

/// Whether three numbers are a two-digit year, a month and a day of one digit ("16/11/5",
/// "18. 8. 9", as Basque and Korean write them): the single digit last can be no year. Taken with
/// slashes, or dots each followed by a space, only: "10.2.3" and "24-10-2" are as often a
/// version or a score.
fn year_month_day(a: &str, b: &str, c: &str) -> bool {
    let n = |s: &str| s.parse::<u32>().unwrap_or(0);
    a.len() == 2 && b.len() <= 2 && c.len() == 1 && (1..=12).contains(&n(b)) && n(c) >= 1
}

/// Whether `s` as a whole is a date in numbers ("12. 3. 2009"), which the phone number finder
/// leaves alone.
pub(super) fn is_numeric_date(s: &str) -> bool {
    let s = s.trim();
    P.numeric.captures(s).is_some_and(|c| {
        let whole = c
            .get(0)
            .is_some_and(|m| m.start() == 0 && m.end() >= s.len() - 1);
        match (c.get(1), c.get(2), c.get(3)) {
            (Some(a), Some(b), Some(d)) => whole && plausible(a.as_str(), b.as_str(), d.as_str()),
            _ => false,
        }
    })
}

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let p = &*P;
    // Every pattern but dates in words needs a digit, and most answers hold none: each pattern
    // is a scan of the whole text, and masking runs on every answer an import brings.
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    let (numbered, words): (&[&Regex], &[&Regex]) = (
        &[&p.day_month, &p.month_day, &p.month_year, &p.year_first],
        &[&p.words],
    );
    for c in p.numeric.captures_iter(if digits { text } else { "" }) {
        let (Some(m), Some(a), Some(b), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        // Part of a longer run of numbers (a phone number, an IP address) is not a date.
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(|ch| ch.is_ascii_digit() || ch == '.' || ch == '+')
            || after.is_some_and(|ch| ch.is_ascii_digit() || ch == '/' || ch == '-')
        {
            continue;
        }
        // Mixed separators ("12-03.2009") are rarer than numbers that only look like dates.
        let seps: Vec<char> = m
            .as_str()
            .chars()
            .filter(|ch| !ch.is_ascii_digit() && !ch.is_whitespace())
            .collect();
        if seps.len() >= 2 && seps[0] != seps[1] {
            continue;
        }
        let short_year_first = (seps.first() == Some(&'/') || m.as_str().contains(". "))
            && year_month_day(a.as_str(), b.as_str(), d.as_str());
        if short_year_first || plausible(a.as_str(), b.as_str(), d.as_str()) {
            let end = if m.as_str().ends_with('.') && !m.as_str()[..m.len() - 1].contains('.') {
                m.end() - 1
            } else {
                m.end()
            };
            out.push((m.start(), end, Kind::Date));
        }
    }
    let patterns = if digits { numbered } else { &[] };
    for r in patterns.iter().chain(words) {
        for m in r.find_iter(text) {
            let s = m.as_str();
            // "may 5" and "march 3" in lower case are more often a verb and a number; with an
            // ordinal or a year they are a date.
            if (s.starts_with("may ") || s.starts_with("march ")) && !ordinal_or_year(s) {
                continue;
            }
            out.push((m.start(), m.end(), Kind::Date));
        }
    }
}

fn ordinal_or_year(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    digits >= 4
        || ["st", "nd", "rd", "th"].iter().any(|o| {
            s.char_indices()
                .any(|(i, c)| c.is_ascii_digit() && s[i + 1..].starts_with(o))
        })
}
