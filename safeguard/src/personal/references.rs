//! Reference numbers an office gives a person (Home Office, school, council, police, passport
//! office, DVLA, hospital) and devices' IP addresses: near a word for one, or in a shape only
//! one has.
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, re};

struct Patterns {
    named: Regex,
    said: Regex,
    token: Regex,
    date_like: Regex,
    shaped: Regex,
    licence: Regex,
    ip: Regex,
}

// Digits are ASCII ones ([0-9], not `\d`, which takes any script's): the parts are read as
// bytes below.
static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    // Words that name a reference a person is given, so a number near one (40 characters before
    // or after) is one. A child seeking asylum carries a Home Office reference, a residence
    // permit and an application card; a pupil a unique pupil number; a child the police or the
    // council know, a crime or case reference: each identifies the child.
    named: re(concat!(
        r"(?i)(?-u:\b)(?:passport|home\s?office|brp|biometric\s+residence|residence\s+permit",
        r"|arc\s+card|application\s+registration|uan|gwf|port\s+ref(?:erence)?|upn|uln",
        r"|(?:visa|pupil|learner|student|candidate|case|client|patient|hospital|chi|prison(?:er)?",
        r"|custody|member(?:ship)?|crime|incident|police|reference|ref|id|identity)",
        r"\s+(?:number|no|num|ref(?:erence)?|id)|driving\s+licen[cs]e|licen[cs]e\s+(?:number|no)",
        r"|national\s+(?:id|identity)|id\s+card|identity\s+card|tazkira|aadhaar|cnic)(?-u:\b)",
    )),
    // A plainer word for one right before it, perhaps with a few words ending in "is" between
    // ("my ID is 20231234", "ref: 4412873", "my case with the council is 4412873").
    said: re(concat!(
        r"(?i)(?-u:\b)(?:id|ref(?:erence)?|case|client|patient|student|member|candidate)",
        r"(?:(?:\s+[a-z']{1,12}){0,4}?\s+(?:is|was)|\s*[:#=])\s*",
        r"([0-9]+(?:[ ][0-9]{3,6}){1,4}|[a-z0-9]+(?:[/\-.][a-z0-9]+)*)(?-u:\b)",
    )),
    // A reference as written: digits in groups split by single spaces ("1234 5678 9012"), or
    // letters and digits perhaps split by "/", "-" or "."; its digits counted below.
    token: re(
        r"(?-u:\b)(?:[0-9]+(?:[ ][0-9]{3,6}){1,4}|[A-Za-z0-9]+(?:[/\-.][A-Za-z0-9]+)*)(?-u:\b)",
    ),
    // Dates and spans of years, which the date finder knows.
    date_like: re(concat!(
        r"^(?:[0-9]{1,2}[/\-.][0-9]{1,2}[/\-.](?:[0-9]{2}|[0-9]{4})|[0-9]{4}[/\-.][0-9]{1,2}[/\-.][0-9]{1,2}",
        r"|(?:19|20)[0-9][0-9][/\-](?:[0-9][0-9]|(?:19|20)[0-9][0-9]))$",
    )),
    // Shapes no other number has, in capitals as printed: a Home Office reference or a passport
    // or residence permit number (one or two letters and seven digits, a dependant's "/1"
    // after), a unique pupil number (a letter and twelve characters), a visa application's
    // GWF number, an Italian tax code; and 16 to 20 digits run together (a national identity
    // number, China's ending perhaps in X; longer than any phone number, and a card's that
    // fails its check is still someone's).
    shaped: re(concat!(
        r"(?-u:\b)(?:[A-Z]{1,2}[0-9]{7}(?:/[0-9]{1,2})?|[A-Z][0-9]{11}[0-9A-Z]|GWF[0-9]{9}",
        r"|[A-Z]{6}[0-9]{2}[A-Z][0-9]{2}[A-Z][0-9]{3}[A-Z]|[0-9]{16,20}[Xx]?)(?-u:\b)",
    )),
    // A British driving licence: five letters of the surname (9s after a short one), six digits
    // of the birth date (the month plus 50 for a woman), two initials (or 9s), a digit and two
    // letters.
    licence: re(r"(?-u:\b)[A-Z9]{5}([0-9]{6})[A-Z9]{2}[0-9][A-Z0-9]{2}(?-u:\b)"),
    // Four numbers up to 255 split by dots.
    ip: re(r"(?-u:\b)([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})(?-u:\b)"),
});

/// The fewest digits a reference has when letters or separators are among them; digits alone
/// need one more. Fewer are a count, a year or a room number far more often.
const FEWEST_DIGITS: usize = 4;

/// How far from a word for a reference its number may be, in bytes either side.
const NEAR: usize = 40;

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if digits < FEWEST_DIGITS {
        return;
    }
    let p = &*P;
    let named: Vec<(usize, usize)> = p
        .named
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    // A number found near a word for a reference that lies inside a longer phone number
    // ("passport sorted. Call me on 07700 90", cut short) is part of that phone number; where
    // the two are as long, the reference wins (masking keeps identifiers before phone numbers).
    let phones: Vec<(usize, usize)> = out
        .iter()
        .filter(|f| f.2 == Kind::Phone)
        .map(|f| (f.0, f.1))
        .collect();
    let in_a_phone = |s: usize, e: usize| {
        phones
            .iter()
            .any(|&(ps, pe)| ps < e && s < pe && pe - ps > e - s)
    };
    let mut found: Vec<Found> = Vec::new();
    if !named.is_empty() {
        for m in p.token.find_iter(text) {
            let near = named
                .iter()
                .any(|&(s, e)| m.start() <= e + NEAR && s <= m.end() + NEAR);
            if near && reference_like(text, m.start(), m.as_str()) {
                found.push((m.start(), m.end(), Kind::Identifier));
            }
        }
    }
    for c in p.said.captures_iter(text) {
        if let Some(m) = c.get(1)
            && reference_like(text, m.start(), m.as_str())
        {
            found.push((m.start(), m.end(), Kind::Identifier));
        }
    }
    out.extend(found.into_iter().filter(|f| !in_a_phone(f.0, f.1)));
    // The shapes and licences all hold a capital beside a digit, or 16 digits in a row; an IP
    // address a digit, a dot and a digit. Most answers with numbers hold neither, and each
    // pattern is a scan of the whole text.
    let bytes = text.as_bytes();
    let capital_digit = bytes.windows(2).any(|w| {
        (w[0].is_ascii_uppercase() && w[1].is_ascii_digit())
            || (w[0].is_ascii_digit() && w[1].is_ascii_uppercase())
    });
    let shapes = if capital_digit || digits >= 16 {
        text
    } else {
        ""
    };
    for m in p.shaped.find_iter(shapes) {
        out.push((m.start(), m.end(), Kind::Identifier));
    }
    for c in p
        .licence
        .captures_iter(if capital_digit { text } else { "" })
    {
        let (Some(m), Some(born)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let month: u32 = born.as_str()[1..3].parse().unwrap_or(0);
        if matches!(month, 1..=12 | 51..=62) {
            out.push((m.start(), m.end(), Kind::Identifier));
        }
    }
    let dotted = bytes
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit());
    for c in p.ip.captures_iter(if dotted { text } else { "" }) {
        let Some(m) = c.get(0) else { continue };
        let octets = (1..=4).all(|i| {
            c.get(i)
                .and_then(|o| o.as_str().parse::<u32>().ok())
                .is_some_and(|o| o <= 255)
        });
        // Not part of a longer run of numbers and dots (a version "1.2.3.4.5"); a full stop
        // after it ends the sentence.
        let mut after = text[m.end()..].chars();
        let longer = text[..m.start()].ends_with(|ch: char| ch == '.' || ch.is_ascii_digit())
            || match after.next() {
                Some('.') => after.next().is_some_and(|ch| ch.is_ascii_digit()),
                Some(ch) => ch.is_ascii_digit(),
                None => false,
            };
        if octets && !longer {
            out.push((m.start(), m.end(), Kind::Identifier));
        }
    }
}

/// Whether `s`, at `start` of `text`, reads as a reference: enough digits, and not a phone
/// number, a date or an amount of money, which have finders (or no need) of their own.
fn reference_like(text: &str, start: usize, s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let plain = s.bytes().all(|b| b.is_ascii_digit() || b == b' ');
    let before = text[..start].trim_end_matches(' ');
    let money = before.ends_with(['£', '$', '€']);
    // A number starting with 0 of ten digits or more, or spaced as one ("07700 9001", cut
    // short), or after "+", is a phone number.
    let phone = plain
        && ((s.starts_with('0') && (digits >= 10 || s.contains(' '))) || before.ends_with('+'));
    digits >= FEWEST_DIGITS + usize::from(plain) && !money && !phone && !P.date_like.is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.sort();
        out.dedup();
        out.iter().map(|(s, e, _)| &text[*s..*e]).collect()
    }

    #[test]
    fn references_said_to_be_one() {
        let cases = [
            (
                "my passport number is 123456789 and it expired",
                "123456789",
            ),
            ("passport no. 502135326.", "502135326"),
            (
                "they kept my passport (O59233721) and never gave it back",
                "O59233721",
            ),
            ("533314789 is the number on my old passport", "533314789"),
            ("my BRP number is ZR1234567", "ZR1234567"),
            ("my UPN is A123456789012 at school", "A123456789012"),
            ("my ARC card says ABC123456", "ABC123456"),
            ("my UAN is 1234-5678-9012-3456", "1234-5678-9012-3456"),
            ("my case number with the council is 4412873", "4412873"),
            ("my case with the council is 4412873", "4412873"),
            (
                "reference number HO/123456/78 on the letter",
                "HO/123456/78",
            ),
            ("my student ID is 20231234", "20231234"),
            ("my ID is 20231234", "20231234"),
            ("ref: 4412873", "4412873"),
            ("crime reference number 6029384/23", "6029384/23"),
            ("aadhaar 1234 5678 9012", "1234 5678 9012"),
            ("CNIC: 12345-1234567-1", "12345-1234567-1"),
            ("national id 311 144 901 is on my card", "311 144 901"),
            ("my ID card says 756.1325.7098.47", "756.1325.7098.47"),
        ];
        for (text, want) in cases {
            assert_eq!(found(text), [want], "{text}");
        }
    }

    #[test]
    fn references_in_their_own_shapes() {
        assert_eq!(
            found("Home Office reference B1234567/1 is on my letter"),
            ["B1234567/1"]
        );
        assert_eq!(found("it says H1234567 at the top"), ["H1234567"]);
        assert_eq!(found("GWF012345678 came back"), ["GWF012345678"]);
        assert_eq!(
            found("my licence MORGA657054SM9IJ was taken"),
            ["MORGA657054SM9IJ"]
        );
        // A woman's month: 50 more.
        assert_eq!(found("licence MORGA653054SM9IJ"), ["MORGA653054SM9IJ"]);
        assert!(found("MORGA633054SM9IJ has no month 33").is_empty());
        assert_eq!(found("my code was RSSMRA85T10A562S"), ["RSSMRA85T10A562S"]);
        assert_eq!(
            found("610702197502130347 back home"),
            ["610702197502130347"]
        );
        assert_eq!(found("id card: 980-34-3254"), ["980-34-3254"]);
        // Other scripts' digits are not read as these shapes (nor sliced as if ASCII).
        assert!(found("MORGA٦٥٧٠٥٤SM9IJ ١٩٢.١٦٨.٠.١٢ 1234").is_empty());
        assert_eq!(
            found("my IP address is 192.168.0.12, they tracked it"),
            ["192.168.0.12"]
        );
        assert_eq!(found("from 10.0.0.1."), ["10.0.0.1"]);
    }

    #[test]
    fn counts_years_phones_money_and_versions_are_no_references() {
        for text in [
            "we have 123456789 problems",
            "our school has 1200 pupils and 98 staff",
            "I got my passport in 2019",
            "my passport took 12 weeks and cost £88500",
            "my passport was taken, call me on 07700 900123",
            "it took months to get my passport sorted. Call me on 07700 9001",
            "passport office on +44 300 222 0000",
            "the case was closed in 2021",
            "in 2023/24 each case number went up",
            "my case review is on 12/03/2025",
            "version 1.2.3.4.5 of the app",
            "on 12.03.2011 we moved",
            "a b1234567 in small letters is not printed so",
            "the ref gave 10 minutes",
            "student loans of 9250 a year",
            "be patient 1000 times over",
            "in any case 2000 people came",
            "my address is 300.400.500.600",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
