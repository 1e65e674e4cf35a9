//! Phone numbers in international and national formats from any country: `+44 7700 900123`,
//! `+33 (0)6 12 34 56 78`, `(212) 555-0147`, `0044 …`, `555 0147` after a cue, with extensions.
use std::sync::LazyLock;

use regex::Regex;

use super::{Found, Kind, re};

struct Patterns {
    candidate: Regex,
    cue: Regex,
    date_like: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    // A run of digits with the separators people use; extensions after it. Slashes are left out
    // because they write dates, and the run must start and end on a digit or a bracket.
    candidate: re(
        r"(?i)(?:\+\s?|(?-u:\b)00\s?)?(?:\(\s?\+?\d{1,4}\s?\)\s?)?\d(?:[ \-.]{0,2}(?:\(\d{1,4}\)|\d)){5,18}(?:\s?(?:(?-u:\b)ext\.?|(?-u:\b)extension|(?-u:\b)x)\s?\d{1,5}(?-u:\b))?",
    ),
    cue: re(
        r"(?i)(?:(?-u:\b)(?:phone|tel|telephone|mob|mobile|cell|number|no|num|ring|call|text|txt|whatsapp|viber|contact|fax|on)(?-u:\b)|☎|📞)(?:\s+(?:is|was|now|are))?[\s:.#\-=]*$",
    ),
    date_like: re(r"^\d{1,4}[.\- ]\d{1,2}[.\- ]\d{1,4}\.?$"),
});

/// Whether the digits, in groups, read as years or a date rather than a number to ring.
fn looks_like_years_or_date(s: &str, p: &Patterns) -> bool {
    if p.date_like.is_match(s) && !s.contains(' ') {
        return true;
    }
    let groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() >= 2
        && groups
            .iter()
            .all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")))
}

pub(super) fn find(text: &str, out: &mut Vec<Found>) {
    // A phone number has seven digits at least.
    if text.bytes().filter(u8::is_ascii_digit).count() < 7 {
        return;
    }
    let p = &*P;
    for m in p.candidate.find_iter(text) {
        let s = m.as_str();
        let start = m.start();
        // Not the tail of a longer token ("ID12345678", "1.5").
        if text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',' || c == '/')
        {
            continue;
        }
        // The number itself ends where the extension starts.
        let main_end = s.to_ascii_lowercase().find(['e', 'x']).unwrap_or(s.len());
        let main = s[..main_end].trim_end();
        let digits = main.chars().filter(char::is_ascii_digit).count();
        let plus = main.starts_with('+') || main.starts_with("00") || main.starts_with('(');
        let separated = main.contains([' ', '-', '.', '(']);
        let cued = p.cue.is_match(&text[..start]);
        let long_enough = match (plus || cued, separated) {
            (true, _) => digits >= 7,
            (false, true) => digits >= 8,
            (false, false) => digits >= 9,
        };
        if !long_enough
            || digits > 15
            || looks_like_years_or_date(main, p)
            || super::dates::is_numeric_date(main)
        {
            continue;
        }
        out.push((start, start + s.len(), Kind::Phone));
    }
}
